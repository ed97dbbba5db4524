"""Adding events (and actors): plan the splice, check the new records, update the index."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import vocab
from tracker.dataset import YList, YMap, load_document
from tracker.dates import DateError
from tracker.edit.index import _Entry, _Index, _known_valid, _save_index, _strs, _text_hash
from tracker.edit.safewrite import _transact, check_whole
from tracker.edit.splice import (
    _apply,
    _Edit,
    _final_line,
    _insertion_index,
    _parse_items,
    _plan_insert,
    _splice_ok,
    _terminated,
)
from tracker.edit.text import _content_end, _safe_sort_key, new_event_id
from tracker.problems import DataError, NotFoundError, Problem, UsageError
from tracker.yamltext import dump_record, q

# --- add ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class AddResult:
    """What an add did (or, with dry_run, would do)."""

    path: str
    id: str = ""
    line: int = 0  # first line of the new event in the new file
    block: str = ""  # the event's YAML as written
    actor_id: str = ""
    actor_line: int = 0
    actor_block: str = ""
    warnings: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    incremental: bool = True  # checked against the index (False: the whole file)
    written: bool = False


_CROSS_CODES = frozenset(
    {
        "likely-duplicate",
        "out-of-order",
        "resumption-without-suspension",
        "responds-to-later",
        "unknown-event",
        "missing-name-zh",
    }
)


def clean_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Text stripped, empty values dropped, everything else as text (the file's one type)."""

    def one(value: Any) -> Any:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, Mapping):
            return {k: v for k, v in ((k, one(v)) for k, v in value.items()) if v not in _EMPTY}
        if isinstance(value, list | tuple):
            return [v for v in (one(v) for v in value) if v not in _EMPTY]
        return None if value is None else str(value)

    return {k: v for k, v in ((k, one(v)) for k, v in record.items()) if v not in _EMPTY}


_EMPTY: tuple[Any, ...] = (None, "", [], {})


def add_event(
    path: str | Path,
    event: Mapping[str, Any] | None,
    *,
    new_actor: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> AddResult:
    """Add one event and/or one actor to the dataset, as inserted lines only.

    `event` holds the codebook's fields with canonical values (dates `YYYY[-MM[-DD]]`, lists
    of strings, participants and sources as lists of mappings); without an `id`, one is made
    from the date and title (`new_event_id`), unique among current and retired ids. The
    event goes at its place in date order, an actor at its place by id if the actors are
    sorted (else last). Raises UsageError carrying positioned problems when the new records
    are invalid or an id is taken, DataError when the file itself is invalid. Warnings on
    the new event (a likely duplicate) are returned in the result, not raised.
    """
    given = str(path)
    ev = clean_record(event) if event is not None else None
    actor = clean_record(new_actor) if new_actor is not None else None
    result = AddResult(path=given)

    new_index: list[_Index | None] = [None]

    def change(text: str) -> str:
        result.warnings.clear()
        result.notices.clear()
        index = _known_valid(given, text)
        new_text, new_index[0] = _plan_add(given, text, index, ev, actor, result)
        return new_text

    def written(new_text: str) -> None:  # still under the lock: the next writer finds it
        if new_index[0] is not None:
            new_index[0].hash = _text_hash(new_text)
            _save_index(new_index[0])

    _transact(path, change, validate=False, dry_run=dry_run, written=written)
    result.written = not dry_run
    return result


def _plan_add(
    name: str,
    text: str,
    index: _Index,
    event: dict[str, Any] | None,
    actor: dict[str, Any] | None,
    result: AddResult,
) -> tuple[str, _Index | None]:
    lines = _terminated(text)
    edits: list[_Edit] = []
    actor_edit = event_edit = None
    actor_k = event_k = 0
    if actor is not None:
        if "actors" not in index.lists:
            raise DataError(f"{name}: has no actors list")
        aid = str(actor.get("id", ""))
        result.actor_id = aid
        if aid in {a[0] for a in index.actors}:
            raise UsageError(
                f"actor {aid!r} already exists; name it in --participant without --new-actor",
                [Problem("duplicate-id", f"actor id {aid!r} is already used", field="actor.id")],
            )
        actor_k = _actor_place(index, actor)
        result.actor_block = dump_record(actor, vocab.ACTOR_FIELDS)
        _faithful(result.actor_block, actor, "actor")
        planned = _plan_insert(
            lines, index, "actors", actor_k, result.actor_block, default_blank=False
        )
        actor_edit = planned[0]
        edits += planned
    if event is not None:
        if "events" not in index.lists:
            raise DataError(f"{name}: has no events list")
        event = _with_id(event, index, name)
        result.id = str(event["id"])
        result.block = dump_record(event, vocab.EVENT_FIELDS)
        _faithful(result.block, event, "event")
        event_k = _insertion_index(index, _safe_sort_key(str(event.get("date", "")), result.id))
        planned = _plan_insert(lines, index, "events", event_k, result.block, default_blank=True)
        event_edit = planned[0]
        edits += planned
    new_lines = _apply(lines, edits)
    if actor_edit is not None:
        result.actor_line = _final_line(actor_edit, edits)
    if event_edit is not None:
        result.line = _final_line(event_edit, edits)
    conclusive = _check_new_records(name, index, event, actor, result, event_k, actor_k)
    if conclusive:
        checks = [("actors", actor_k, actor_edit, result.actor_block)] if actor_edit else []
        if event_edit:
            checks.append(("events", event_k, event_edit, result.block))
        verdicts = [
            _splice_ok(lines, new_lines, index, key, k, e, edits, block)
            for key, k, e, block in checks
        ]
        if False in verdicts:
            raise DataError(
                f"{name}: inserting here would change the text around the new lines (a "
                "block scalar ending in blank lines?); nothing was written. Add the record "
                "by hand, or write that value another way first."
            )
        conclusive = all(verdicts)
    # Report the records as they stand in the file (re-indented to its lists).
    result.block = _as_written(new_lines, result.line, result.block)
    result.actor_block = _as_written(new_lines, result.actor_line, result.actor_block)
    new_text = "".join(new_lines)
    if not conclusive:  # fall back on validating the whole result (and caching its index)
        result.incremental = False
        try:
            check_whole(name, new_text)
        except DataError as exc:
            spans = [
                (line, line + block.count("\n") - 1)
                for line, block in (
                    (result.line, result.block),
                    (result.actor_line, result.actor_block),
                )
                if block
            ]
            if exc.problems and all(
                any(a <= (p.line or 0) <= b for a, b in spans) for p in exc.problems
            ):  # the new records' own errors: the input is wrong, not the file
                raise UsageError(
                    f"the new record has {len(exc.problems)} error(s); nothing was written",
                    exc.problems,
                ) from None
            raise
        return new_text, None
    _update_index(index, new_text, edits, event, event_k, event_edit, actor, actor_k, actor_edit)
    return new_text, index


def _actor_place(index: _Index, actor: Mapping[str, Any]) -> int:
    """Where a new actor goes: in order if the actors are sorted by id, or by country then
    id (as in the real file), else last."""
    new = (str(actor.get("country", "")), str(actor.get("id", "")))
    for key in (lambda a: a[1], lambda a: a):
        order = [key((c, i)) for i, _n, c, _zh in index.actors]
        if order == sorted(order):
            return bisect.bisect_right(order, key(new))
    return len(index.actors)


def _as_written(lines: Sequence[str], line: int, block: str) -> str:
    if not block:
        return block
    n = block.count("\n")
    return "".join(ln.rstrip("\r\n") + "\n" for ln in lines[line - 1 : line - 1 + n])


def _with_id(event: dict[str, Any], index: _Index, name: str) -> dict[str, Any]:
    ids = index.event_ids()
    eid = str(event.get("id", ""))
    if not eid:
        try:
            eid = new_event_id(
                str(event.get("date", "")),
                str(event.get("title", "")),
                set(ids) | set(index.retired),
            )
        except DateError as exc:
            raise UsageError(str(exc), [Problem("invalid-date", str(exc), field="date")]) from None
        event = {"id": eid, **event}
    if eid in ids:
        line = index.events[ids[eid]].line
        raise UsageError(
            f"id {eid!r} is already used by the event at {name}:{line}; choose another id",
            [Problem("duplicate-id", f"id {eid!r} is already used (line {line})", field="id")],
        )
    if eid in index.retired:
        raise UsageError(
            f"id {eid!r} belonged to a removed event and is retired; ids are never reused",
            [Problem("retired-id", f"id {eid!r} is retired", field="id")],
        )
    return event


def _faithful(block: str, record: Mapping[str, Any], what: str) -> None:
    """The written YAML must read back as exactly the record (no silently changed text)."""
    items = _parse_items(block)
    if items is None or len(items) != 1 or items[0] != record:
        raise UsageError(
            f"the new {what} cannot be written faithfully as YAML; "
            "check its text for control characters or line separators"
        )


def _check_new_records(
    name: str,
    index: _Index,
    event: dict[str, Any] | None,
    actor: dict[str, Any] | None,
    result: AddResult,
    event_k: int,
    actor_k: int,
) -> bool:
    """Validate the new records with the real validator, in a small document holding the
    known channels and actors and the few events the rules compare a new event with.

    Raises UsageError with the new records' errors, positioned where they will stand in the
    file; collects their warnings and notices in `result`. Returns False when the check is
    inconclusive (an unexpected error outside the new records).
    """
    from tracker.validate import validate_document

    parts = ["channels:\n"]
    parts += [f"  - id: {q(c)}\n    name: {q(n or c)}\n" for c, n in index.channels]
    parts.append("actors:\n")
    parts += [
        f"  - id: {q(a)}\n    name: {q(n or a)}\n    country: {q(c or 'US')}\n"
        for a, n, c, _zh in index.actors
    ]
    ranges: dict[
        str, tuple[int, int, int, int, int]
    ] = {}  # first, last, synthetic i, real k, real line

    def place(key: str, block: str, synthetic_i: int, k: int, line: int) -> None:
        first = "".join(parts).count("\n") + 1
        parts.append(block)
        ranges[key] = (first, first + block.count("\n") - 1, synthetic_i, k, line)

    if actor is not None:
        place("actors", result.actor_block, len(index.actors), actor_k, result.actor_line)
    parts.append("events:\n" if event is not None else "events: []\n")
    if event is not None:
        context = _context(index, event)
        parts += [_context_block(e) for e in context]
        place("events", result.block, len(context), event_k, result.line)
    doc = load_document(name, "".join(parts).encode("utf-8"))
    _ds, report = validate_document(doc)
    errors: list[Problem] = []
    for p in report.problems:
        where = next(
            (k for k, r in ranges.items() if p.line is not None and r[0] <= p.line <= r[1]),
            None,
        )
        if where is None:
            if p.severity == "error" and p.code not in _CROSS_CODES:
                return False
            continue
        if p.code == "out-of-order":
            continue  # the new event is inserted at its place in the real file
        first, _last, synthetic_i, k, line = ranges[where]
        moved = Problem(
            p.code,
            p.message,
            p.severity,
            name,
            line + (p.line or first) - first,
            p.col,
            _renumber(p.field, where, synthetic_i, k),
        )
        {"error": errors, "warning": result.warnings, "notice": result.notices}[p.severity].append(
            moved
        )
    if errors:
        n = len(errors)
        what = " and ".join(k.rstrip("s") for k in ranges) or "record"
        raise UsageError(
            f"the new {what} has {n} error{'s' if n != 1 else ''}; nothing was written",
            errors,
        )
    return True


def _renumber(fieldname: str | None, key: str, old: int, new: int) -> str | None:
    prefix = f"{key}[{old}]"
    if fieldname and fieldname.startswith(prefix):
        return f"{key}[{new}]{fieldname[len(prefix) :]}"
    return fieldname


def _context(index: _Index, event: Mapping[str, Any]) -> list[_Entry]:
    """The known events the rules compare a new event with, in file order: its responds_to
    targets, same date and kind (likely duplicates), and for a resumption the suspensions."""
    by_id = index.event_ids()
    wanted = {by_id[t] for t in _strs(event.get("responds_to")) if t in by_id}
    date_text, kind = str(event.get("date", "")), str(event.get("kind", ""))
    for i, e in enumerate(index.events):
        if (e.date == date_text and e.kind == kind) or (
            kind == "resumption" and e.kind == "suspension"
        ):
            wanted.add(i)
    return [index.events[i] for i in sorted(wanted)]


def _context_block(e: _Entry) -> str:
    record: dict[str, Any] = {
        "id": e.id,
        "date": e.date,
        "end_date": e.end_date,
        "kind": e.kind,
        "title": e.title,
        "summary": "known event",
        "channels": e.channels,
        "initiator": e.initiator,
        "sources": [{"publisher": "known", "title": "known", "type": "press", "language": "en"}],
    }
    return dump_record(record, vocab.EVENT_FIELDS)


def _update_index(
    index: _Index,
    new_text: str,
    edits: Sequence[_Edit],
    event: Mapping[str, Any] | None,
    event_k: int,
    event_edit: _Edit | None,
    actor: Mapping[str, Any] | None,
    actor_k: int,
    actor_edit: _Edit | None,
) -> None:
    """Turn the index of the old text into that of the new one (lines shifted, records in)."""
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        index.shift(e.end + 1, e.delta)
    if actor is not None and actor_edit is not None:
        pos = index.lists["actors"]
        col = pos.items[0][1] if pos.items else 5
        pos.items.insert(actor_k, (_final_line(actor_edit, edits), col))
        index.actors.insert(
            actor_k,
            tuple(str(actor.get(f, "")) for f in ("id", "name", "country", "name_zh")),  # type: ignore[arg-type]
        )
    if event is not None and event_edit is not None:
        pos = index.lists["events"]
        col = pos.items[0][1] if pos.items else 5
        line = _final_line(event_edit, edits)
        pos.items.insert(event_k, (line, col))
        index.events.insert(
            event_k,
            _Entry(
                str(event["id"]),
                str(event.get("date", "")),
                str(event.get("end_date", "")),
                str(event.get("kind", "")),
                str(event.get("title", "")),
                _strs(event.get("channels")),
                str(event.get("initiator", "")),
                _strs(event.get("responds_to")),
                line,
                col,
            ),
        )
    index.hash = ""  # set once the text is written (its digest is computed then)
    index.valid = True


# --- the lines of one record ----------------------------------------------------------------------


def _find_event(index: _Index, event_id: str, name: str) -> int:
    ids = index.event_ids()
    if event_id not in ids:
        from tracker.validate import suggest

        hint = suggest(event_id, ids)
        raise NotFoundError(
            f"no event with id {event_id!r} in {name}{hint}; `tracker list` shows the ids"
        )
    return ids[event_id]


def _event_span(lines: Sequence[str], index: _Index, i: int) -> tuple[int, int]:
    """First and last line (inclusive) of event i's own text (no trailing blanks/comments)."""
    items = index.lists["events"].items
    start, col = items[i]
    stop = items[i + 1][0] if i + 1 < len(items) else index.region_end("events", len(lines))
    return start, _content_end(lines, start, stop, col - 1)


def _parse_record(lines: Sequence[str], start: int, end: int) -> YMap:
    """One record's lines parsed alone; positions are relative to `start` (line 1)."""
    doc = load_document("<record>", "".join(lines[start - 1 : end]).encode("utf-8"))
    if doc.problems or not isinstance(doc.data, YList) or not isinstance(doc.data[0], YMap):
        raise DataError(f"lines {start}-{end}: cannot read this record on its own")
    return doc.data[0]


def _key_spans(block: Sequence[str], m: YMap) -> dict[str, tuple[int, int]]:
    """Each key's lines (1-based, inclusive, relative to the block), trailing comments out."""
    keys = sorted(m.key_pos, key=lambda k: m.key_pos[k])
    spans = {}
    for j, key in enumerate(keys):
        first, col = m.key_pos[key]
        stop = m.key_pos[keys[j + 1]][0] if j + 1 < len(keys) else len(block) + 1
        spans[key] = (first, _content_end(block, first, stop, col - 1))
    return spans


def _field_lines(key: str, value: Any, indent: int, nl: str) -> list[str]:
    """`key: value` in the house style (yamltext), at the given key indentation."""
    text = dump_record({"_": "_", key: value}, ["_", key], indent=indent)
    return [line + nl for line in text.split("\n")[1:-1]]
