"""Line edits: where new blocks go, applying them, and checking a splice locally."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.dataset import YList, load_document
from tracker.edit.index import _Index, _ListPos, _positions
from tracker.edit.text import SortKey, _blank, _comment, _content_end, _newline, split_lines
from tracker.problems import DataError, TrackerError, UsageError

# --- line edits -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Edit:
    """Replace lines [start, end] (1-based, inclusive) by `new`; end = start - 1 inserts.

    `offset` is where the record of interest starts inside `new` (after a blank separator).
    """

    start: int
    end: int
    new: list[str]
    offset: int = 0

    @property
    def delta(self) -> int:
        return len(self.new) - (self.end - self.start + 1)


def _apply(lines: Sequence[str], edits: Sequence[_Edit]) -> list[str]:
    out = list(lines)
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start <= a.end or (b.start == a.start and b.end < b.start and a.end < a.start):
            raise AssertionError("overlapping edits")  # a bug, not bad input
    for e in reversed(ordered):
        out[e.start - 1 : e.end] = e.new
    return out


def _final_line(edit: _Edit, edits: Sequence[_Edit]) -> int:
    """The line where `edit`'s record starts once every edit is applied."""
    shift = sum(
        o.delta for o in edits if o is not edit and o.start <= edit.start and o.end < edit.start
    )
    return edit.start + shift + edit.offset


def _reindent(block: str, dash_indent: int, nl: str) -> list[str]:
    """House-style item lines (dash in column 3) moved to the list's own indentation."""
    return _shift(block, dash_indent - 2, nl)


def _shift(block: str, delta: int, nl: str) -> list[str]:
    """The block's lines indented `delta` columns more (fewer if negative), ends `nl`."""
    out = []
    for line in block.split("\n"):
        if line and delta > 0:
            line = " " * delta + line
        elif line and delta < 0:
            line = line[-delta:]
        out.append(line + nl)
    if block.endswith("\n"):
        out.pop()
    return out


def _dash(pos: _ListPos) -> int:
    """Indentation of the dash of a block list's items (2 in the house style)."""
    return max(pos.items[0][1] - 3, 0) if pos.items else 2


def _lead_start(lines: Sequence[str], pos: _ListPos, j: int) -> int:
    """First line of item j's leading comments (comment lines right above it), or its own."""
    at, col = pos.items[j]
    floor = pos.items[j - 1][0] if j > 0 else pos.key_line
    while at - 1 > floor and _comment(lines[at - 2], col - 1):
        at -= 1
    return at


def _local_blank(lines: Sequence[str], pos: _ListPos, k: int, default: bool) -> bool:
    """Does a new item k get a blank line to separate it? As the neighbours are separated:
    the gap above item k (or, at either end, the nearest gap); the default without one."""
    n = len(pos.items)
    j = min(max(k, 1), n - 1)
    if n < 2:
        return default
    return _blank(lines[_lead_start(lines, pos, j) - 2])


def _is_flow_empty(line: str, key: str) -> bool:
    head = line.split("#", 1)[0].replace(" ", "").rstrip("\r\n")
    return head == f"{key}:[]"


def _plan_insert(
    lines: Sequence[str], index: _Index, key: str, k: int, block: str, *, default_blank: bool
) -> list[_Edit]:
    """The edits that make `block` (house-style item text) item `k` of the list under `key`."""
    pos = index.lists[key]
    nl = _newline(lines)
    blank = _local_blank(lines, pos, k, default_blank)
    body = _reindent(block, _dash(pos), nl)
    n = len(pos.items)
    if n == 0:
        key_line = lines[pos.key_line - 1]
        if _is_flow_empty(key_line, key):  # `events: []` becomes `events:` + the item
            return [_Edit(pos.key_line, pos.key_line, [f"{key}:{nl}", *body], offset=1)]
        if key_line.split("#", 1)[0].rstrip().endswith(":"):
            return [_Edit(pos.key_line + 1, pos.key_line, body)]
        raise UsageError(
            f"line {pos.key_line}: {key} is not written as a list of `- ` items; "
            "tracker can only insert into a block list"
        )
    if pos.value_line == pos.key_line:
        raise UsageError(
            f"line {pos.key_line}: {key} is written as a flow list ([...]); "
            "tracker can only insert into a block list of `- ` items"
        )
    if k < n:  # above the next item's leading comments (a "# 2010" heading stays with it)
        at = _lead_start(lines, pos, k)
        return [_Edit(at, at - 1, body + ([nl] if blank else []))]
    last_line, last_col = pos.items[-1]
    end = _content_end(lines, last_line, index.region_end(key, len(lines)), last_col - 1)
    return [_Edit(end + 1, end, ([nl] if blank else []) + body, offset=1 if blank else 0)]


def _insertion_index(index: _Index, key: SortKey) -> int:
    """Item index where an event with this sort key belongs (after everything <= it)."""
    keys = [(e.first, e.rank, e.id) for e in index.events]  # ordinals: cheap to compare
    new = (key[0].toordinal(), key[1], key[2])
    if all(keys[i] <= keys[i + 1] for i in range(len(keys) - 1)):
        return bisect.bisect_right(keys, new)
    last = 0
    for i, other in enumerate(keys):
        if other <= new:
            last = i + 1
    return last


def _terminated(text: str) -> list[str]:
    """The text's lines, the last one given a line end if it had none."""
    lines = split_lines(text)
    if lines and not lines[-1].endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
        lines[-1] += _newline(lines)
    return lines


def insert_event_blocks(text: str, blocks: list[tuple[SortKey, str]]) -> str:
    """Insert each event's YAML block at its place in date order, changing no other line.

    `blocks` are (sort key, block) pairs: the key from `event_sort_key(date, id)` (first day,
    finer precision first, then id) and the block a house-style list item as written by
    `tracker.yamltext.dump_event` (or `event_block`), dash in column 3. Each block goes
    after the last existing event that sorts before it, re-indented to the list's
    indentation and blank-line separated if the file separates events so; blocks sharing a
    place keep their key order. Existing events are found from the index of `text` (cached
    for a validated text, else one parse). Nothing is validated here: call it inside
    `transact(path, change)` (validate=True), which checks the whole result before writing.
    """
    if not blocks:
        return text
    index = _positions("<text>", text)
    if "events" not in index.lists:
        raise DataError("the dataset has no events list to insert into")
    lines = _terminated(text)
    groups: dict[int, list[str]] = {}
    for key, block in sorted(blocks, key=lambda b: b[0]):
        body = block if block.endswith("\n") else block + "\n"
        groups.setdefault(_insertion_index(index, key), []).append(body)
    edits: list[_Edit] = []
    for k, group in groups.items():
        blank = _local_blank(lines, index.lists["events"], k, True)
        joined = ("\n" if blank else "").join(group)
        edits.extend(_plan_insert(lines, index, "events", k, joined, default_blank=True))
    return "".join(_apply(lines, edits))


# --- checking splices without parsing the whole file ---------------------------------------


def _parse_items(text: str) -> list[object] | None:
    try:
        doc = load_document("<window>", text.encode("utf-8"))
    except TrackerError:
        return None
    if doc.problems or not isinstance(doc.data, YList):
        return None
    return list(doc.data)


def _splice_ok(
    old: Sequence[str],
    new: Sequence[str],
    index: _Index,
    key: str,
    k: int,
    edit: _Edit,
    edits: Sequence[_Edit],
    block: str,
) -> bool | None:
    """Did `edit` add exactly the item `block` to the list, as item `k`, and nothing else?

    Parses the window from the item before the new one to the item after it (or the list's
    end), before and after the edit. Outside the window the lines are byte-identical, and
    a window starts and ends at item boundaries, so equal parses prove the splice right.
    None: this check cannot tell (let the whole-file check decide); False: the splice would
    change the meaning of the text around it (a `|+` block scalar's trailing lines, say).
    """
    items = index.lists[key].items
    n = len(items)
    if n == 0 or edit.end >= edit.start:
        return None  # an empty list or a rewritten line: let the whole-file check decide
    a = items[k - 1][0] if k > 0 else min(edit.start, items[0][0])  # above leading comments
    b = items[k + 1][0] if k + 1 < n else index.region_end(key, len(old))
    if any(o is not edit and a <= o.start <= b for o in edits):
        return None
    shift = sum(o.delta for o in edits if o is not edit and o.start < a)
    before = _parse_items("".join(old[a - 1 : b - 1]))
    after = _parse_items("".join(new[a - 1 + shift : b - 1 + shift + edit.delta]))
    item = _parse_items(block)
    if before is None or item is None or len(item) != 1:
        return None
    if after is None:
        return False
    at = 1 if k > 0 else 0
    return after == before[:at] + item + before[at:]
