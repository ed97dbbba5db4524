"""Editing and removing events, and the known names used for prompts and suggestions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import vocab
from tracker.dataset import YList, decode, read_bytes
from tracker.edit.add import (
    _EMPTY,
    _event_span,
    _field_lines,
    _find_event,
    _key_spans,
    _parse_record,
    clean_record,
)
from tracker.edit.index import _Index, _positions
from tracker.edit.safewrite import transact
from tracker.edit.splice import (
    _apply,
    _Edit,
    _final_line,
    _insertion_index,
    _lead_start,
    _parse_items,
    _plan_insert,
    _shift,
    _terminated,
)
from tracker.edit.text import RETIRED_COMMENT, RETIRED_KEY, _blank, _newline, _safe_sort_key
from tracker.problems import DataError, Problem, UsageError
from tracker.yamltext import dump_record, q

# --- edit -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class EditResult:
    """What an edit changed: the event's old and new lines, and where they stand."""

    path: str
    id: str
    old_line: int = 0
    old_block: str = ""
    line: int = 0
    block: str = ""
    moved: bool = False  # the new date put the event elsewhere in date order
    written: bool = False


def edit_event(
    path: str | Path,
    event_id: str,
    changes: Mapping[str, Any],
    *,
    add_sources: Sequence[Mapping[str, Any]] = (),
    dry_run: bool = False,
) -> EditResult:
    """Change fields of one event, touching only that event's lines.

    `changes` maps field names to new canonical values; None, "" or [] removes an optional
    field. `add_sources` are appended to the event's sources. A field keeps its line when it
    exists (a new field goes after its predecessor in the codebook's order); when a new date
    moves the event in date order, its block moves. The id cannot change (ids are stable).
    The whole result is validated before it is written.
    """
    given = str(path)
    bad = [k for k in changes if k not in vocab.EVENT_FIELDS or k == "id"]
    if bad:
        raise UsageError(
            f"cannot edit {bad[0]!r}: "
            + ("ids never change" if bad[0] == "id" else "not an event field")
        )
    for key, value in changes.items():
        if vocab.EVENT_FIELDS[key] and value in _EMPTY:
            raise UsageError(f"{key} is required and cannot be removed")
    result = EditResult(path=given, id=event_id)
    cleaned = {k: (clean_record({k: v}).get(k)) for k, v in changes.items()}
    sources = [clean_record(s) for s in add_sources]

    def change(text: str) -> str:
        return _plan_edit(given, text, event_id, cleaned, sources, result)

    transact(path, change, validate=True, dry_run=dry_run)
    result.written = not dry_run
    return result


def _plan_edit(
    name: str,
    text: str,
    event_id: str,
    changes: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]],
    result: EditResult,
) -> str:
    index = _positions(name, text)
    lines = _terminated(text)
    nl = _newline(lines)
    i = _find_event(index, event_id, name)
    start, end = _event_span(lines, index, i)
    block = list(lines[start - 1 : end])
    m = _parse_record(lines, start, end)
    spans = _key_spans(block, m)
    key_indent = m.pos[1] - 1
    edits: list[_Edit] = []
    order = list(vocab.EVENT_FIELDS)
    for key, value in changes.items():
        if key in spans:
            first, last = spans[key]
            new = [] if value is None else _field_lines(key, value, key_indent, nl)
            if first == 1:  # the item's first key carries the `- ` lead
                new = [block[0][:key_indent] + new[0][key_indent:], *new[1:]] if new else []
                if not new:
                    raise UsageError(f"cannot remove {key!r}: it is the first key of the event")
            edits.append(_Edit(first, last, new))
        elif value is not None:
            before = [k for k in order[: order.index(key)] if k in spans and k not in changes]
            after_key = before[-1] if before else min(spans, key=lambda k: spans[k])
            at = spans[after_key][1] + 1
            edits.append(_Edit(at, at - 1, _field_lines(key, value, key_indent, nl)))
    if sources:
        if "sources" in spans and isinstance(m.get("sources"), YList) and m["sources"]:
            src_list = m["sources"]
            src_indent = src_list.item_pos[0][1] - 1
            at = spans["sources"][1] + 1
            new = []
            for s in sources:
                new += [
                    ln + nl
                    for ln in dump_record(s, vocab.SOURCE_FIELDS, src_indent).split("\n")[:-1]
                ]
            if any(e.start == at and e.end < e.start for e in edits):
                raise UsageError("cannot add a source and a field at the same place")
            edits.append(_Edit(at, at - 1, new))
        else:
            raise DataError(f"{name}:{start}: event {event_id!r} has no sources list to add to")
    new_block = _apply(block, edits)
    result.old_line, result.old_block = start, "".join(block)
    result.line, result.block = start, "".join(new_block)
    new_lines = [*lines[: start - 1], *new_block, *lines[end:]]
    new_date = changes.get("date")
    if new_date and new_date != index.events[i].date:
        new_lines = _move_if_needed(name, lines, new_lines, index, i, start, end, new_block, result)
    return "".join(new_lines)


def _move_if_needed(
    name: str,
    lines: list[str],
    edited: list[str],
    index: _Index,
    i: int,
    start: int,
    end: int,
    new_block: list[str],
    result: EditResult,
) -> list[str]:
    """Move an event whose new date no longer fits between its neighbours."""
    new_key = _safe_sort_key(str(_parse_items("".join(new_block))[0]["date"]), index.events[i].id)  # type: ignore[index]
    events = index.events
    fits = (i == 0 or events[i - 1].sort_key <= new_key) and (
        i + 1 == len(events) or new_key <= events[i + 1].sort_key
    )
    if fits:
        return edited
    cut = _removal_edits(lines, index, i)
    without = _apply(lines, cut)
    for e in sorted(cut, key=lambda e: e.start, reverse=True):
        index.shift(e.end + 1, e.delta)
    index.events.pop(i)
    index.lists["events"].items.pop(i)
    k = _insertion_index(index, new_key)
    # The edited lines are in the list's indentation; _plan_insert wants house style.
    items = index.lists["events"].items
    dash = max(items[0][1] - 3, 0) if items else 2
    text = "".join(line.rstrip("\r\n") + "\n" for line in new_block)
    house = "".join(_shift(text, 2 - dash, "\n"))
    ins = _plan_insert(without, index, "events", k, house, default_blank=True)
    result.moved = True
    result.line = _final_line(ins[0], ins)
    return _apply(without, ins)


def _removal_edits(lines: Sequence[str], index: _Index, i: int) -> list[_Edit]:
    """The edits that delete event i's lines and the separator that came with it."""
    items = index.lists["events"].items
    n = len(items)
    start, end = _event_span(lines, index, i)
    pos = index.lists["events"]
    if i + 1 < n:  # up to the next event's leading comments, which belong to it
        return [_Edit(start, _lead_start(lines, pos, i + 1) - 1, [])]
    if n == 1:
        nl = _newline(lines)
        return [_Edit(pos.key_line, pos.key_line, [f"events: []{nl}"]), _Edit(start, end, [])]
    if _blank(lines[start - 2]):  # the blank line that separated it from the one before
        start -= 1
    return [_Edit(start, end, [])]


# --- remove ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class RemoveResult:
    """What a remove deleted, and which references it dropped (with force)."""

    path: str
    id: str
    line: int = 0
    block: str = ""
    referrers: list[str] = field(default_factory=list)
    retired: bool = False
    written: bool = False


def remove_event(
    path: str | Path, event_id: str, *, force: bool = False, dry_run: bool = False
) -> RemoveResult:
    """Delete one event's lines and record its id under `retired_ids` (never reused).

    Refused (DataError) while other events name it in `responds_to`, unless `force`, which
    also drops those references (and only them). The whole result is validated before it is
    written, so a removal that would break another rule (a resumption losing its
    suspension) is refused with that problem.
    """
    given = str(path)
    result = RemoveResult(path=given, id=event_id)

    def change(text: str) -> str:
        return _plan_remove(given, text, event_id, force, result)

    transact(path, change, validate=True, dry_run=dry_run)
    result.written = not dry_run
    return result


def _plan_remove(name: str, text: str, event_id: str, force: bool, result: RemoveResult) -> str:
    index = _positions(name, text)
    lines = _terminated(text)
    nl = _newline(lines)
    i = _find_event(index, event_id, name)
    refs = [e for e in index.events if event_id in e.responds_to and e.id != event_id]
    result.referrers = [e.id for e in refs]
    if refs and not force:
        problems = [
            Problem(
                "referenced",
                f"{e.id!r} responds to {event_id!r}",
                file=name,
                line=e.line,
                col=e.col,
                field=f"events[{e.id}].responds_to",
            )
            for e in refs
        ]
        raise DataError(
            f"{event_id!r} is referred to by {len(refs)} event{'s' if len(refs) != 1 else ''} "
            "(responds_to); remove those references first, or pass --force to drop them too",
            problems,
        )
    start, end = _event_span(lines, index, i)
    result.line, result.block = start, "".join(lines[start - 1 : end])
    edits = _removal_edits(lines, index, i)
    by_id = index.event_ids()
    for e in refs:
        j = by_id[e.id]
        s, t = _event_span(lines, index, j)
        m = _parse_record(lines, s, t)
        block = lines[s - 1 : t]
        first, last = _key_spans(block, m)["responds_to"]
        kept = [r for r in e.responds_to if r != event_id]
        new = _field_lines("responds_to", kept, m.pos[1] - 1, nl) if kept else []
        edits.append(_Edit(s + first - 1, s + last - 1, new))
    if event_id not in index.retired:
        edits += _retire_edits(lines, index, event_id)
        result.retired = True
    return "".join(_apply(lines, edits))


def _retire_edits(lines: Sequence[str], index: _Index, event_id: str) -> list[_Edit]:
    nl = _newline(lines)
    item = f"  - {q(event_id)}\n"
    if RETIRED_KEY in index.lists:
        pos = index.lists[RETIRED_KEY]
        k = len(pos.items)
        return _plan_insert(lines, index, RETIRED_KEY, k, item, default_blank=False)
    at = len(lines) + 1
    tail = [] if lines and _blank(lines[-1]) else [nl]
    tail += [RETIRED_COMMENT + nl, f"{RETIRED_KEY}:{nl}", item.replace("\n", nl)]
    return [_Edit(at, at - 1, tail)]


# --- names, for prompts and suggestions -----------------------------------------------------


@dataclass(slots=True)
class Names:
    """Ids (and names) the dataset knows: for prompts, suggestions and id generation."""

    actors: dict[str, str]
    channels: dict[str, str]
    events: dict[str, str]  # id -> title
    retired: list[str]


def known_names(path: str | Path) -> Names:
    """The actors, channels and event ids of the dataset (from its index when cached)."""
    name = str(path)
    text = decode(read_bytes(path), name)
    index = _positions(name, text)
    return Names(
        actors={a[0]: a[1] for a in index.actors},
        channels={c[0]: c[1] for c in index.channels},
        events={e.id: e.title for e in index.events},
        retired=list(index.retired),
    )
