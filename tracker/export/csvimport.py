"""CSV import: bulk-add (or, with update, replace) events from the one-row-per-event CSV.

How a file is checked, so that every problem is reported at once as `FILE:row N: column: ...`:
1. The CSV itself: encoding (UTF-8, BOM accepted), delimiter (comma; a semicolon or tab file
   saved by a spreadsheet is recognised), header (unknown, repeated or missing columns), list
   cells and the lengths of the parallel lists (sources, participant roles), repeated ids.
2. The events: each row becomes an event block in the house YAML style (`yamltext`), the
   blocks are placed into events.yaml's text in date order, and the whole candidate file is
   validated with the same rules as `tracker validate`. Each problem inside an imported block
   is reported against its CSV row and column; problems elsewhere keep their YAML position.
Nothing is written unless every row is valid; the write goes through `tracker.edit.transact`
(lock, re-read, validate, atomic replace), the same path as `add`.

Derived columns (date_first, family, cameo_code, ...) are ignored: they are recomputed from
the columns they derive from. A spreadsheet copy (`export csv --spreadsheet`) is recognised
by its first line, and its `'` prefixes are undone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import vocab
from tracker.dataset import Document, YList, YMap, decode, load_document, read_bytes
from tracker.dates import DateError, parse_partial_date
from tracker.export import columns as C
from tracker.export.cells import CellError, split_list, unneutralise
from tracker.problems import DataError, Problem, UsageError
from tracker.records import Event
from tracker.validate import suggest, validate_document
from tracker.yamltext import dump_event

SortKey = tuple[Any, ...]
_DERIVED = {c.name for c in C.FLAT_EVENTS.columns if c.derived}
_REQUIRED = [c.name for c in C.FLAT_EVENTS.columns if c.required and not c.derived]
_SCALARS = ("id", "date", "end_date", "kind", "title", "summary", "initiator", "location")
_SOURCE_KEYS = {
    "publisher": "source_publishers",
    "title": "source_titles",
    "published": "source_published",
    "url": "source_urls",
    "type": "source_types",
    "language": "source_languages",
}
_LIST_COLUMNS = {c.name for c in C.FLAT_EVENTS.columns if c.multi}
_DATE_HINT = " (if a spreadsheet reformatted it, set the column's format to Text and retype it)"


@dataclass(slots=True)
class ImportRow:
    row: int  # the record's number in the file, header and note included (a spreadsheet row)
    id: str
    mapping: dict[str, Any]  # the event as events.yaml holds it, ready for dump_event
    block: str = ""

    def __post_init__(self) -> None:
        self.block = dump_event(self.mapping)

    @property
    def sort_key(self) -> SortKey:
        """events.yaml's order (validate.event_order); rows with a bad date go last."""
        try:
            d = parse_partial_date(str(self.mapping.get("date", "")))
        except DateError:
            from datetime import date

            return (date.max, 9, self.id)
        return (*d.sort_key, self.id)


@dataclass(slots=True)
class ParsedCsv:
    file: str
    rows: list[ImportRow]
    spreadsheet: bool = False  # a spreadsheet copy: its ' prefixes were undone
    ignored_columns: list[str] = field(default_factory=list)  # derived columns present
    problems: list[Problem] = field(default_factory=list)  # rows that could not be read


@dataclass(slots=True)
class ImportPlan:
    file: str
    data: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    text: str = ""  # events.yaml after the import ('' when nothing changes)
    written: bool = False
    dry_run: bool = False

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.updated)


# --- 1. reading the CSV -------------------------------------------------------------------


def _problem(file: str, row: int, column: str | None, message: str, code: str) -> Problem:
    return Problem(code, message, file=f"{file}:row {row}", field=column)


def _records(text: str, file: str) -> tuple[list[tuple[int, list[str]]], bool]:
    """(row number, cells) of every record after the spreadsheet note, and whether it had one.

    Comma-separated as exported; a file a spreadsheet saved with semicolons or tabs (as some
    locales do) is recognised by its header.
    """
    chosen: list[list[str]] | None = None
    for delimiter in (",", ";", "\t"):
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            if delimiter == ",":
                raise DataError(
                    f"{file}: not a readable CSV file",
                    [Problem("csv-syntax", f"not a readable CSV file: {exc}", file=file)],
                ) from None
            continue
        if chosen is None:
            chosen = records  # the comma reading, unless another delimiter fits better
        header = next((r for r in records if r and not r[0].startswith("# ")), [])
        if len(header) > 1 and "id" in (h.strip() for h in header):
            chosen = records
            break
    numbered = [(n, r) for n, r in enumerate(chosen or [], 1) if r]
    spreadsheet = bool(numbered) and numbered[0][1][0].startswith(C.SPREADSHEET_NOTE[:20])
    return (numbered[1:] if spreadsheet else numbered), spreadsheet


def read_import_csv(path: str | Path) -> ParsedCsv:
    """Parse the CSV into event mappings; DataError lists every problem the file itself has."""
    file = str(path)
    if not Path(path).is_file():
        raise UsageError(f"{file}: no such file to import; give the path of a CSV file")
    text = decode(read_bytes(path), file)
    records, spreadsheet = _records(text, file)
    problems: list[Problem] = []
    if not records:
        raise DataError(
            f"{file}: no header row",
            [_problem(file, 1, None, "the file is empty; expected a header row", "csv-empty")],
        )
    header_row, header = records[0]
    header = [h.strip() for h in header]
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in index:
            problems.append(
                _problem(file, header_row, name, f"column {name!r} appears twice", "csv-header")
            )
        elif name not in C.FLAT_EVENTS.names:
            if name:
                problems.append(
                    _problem(
                        file,
                        header_row,
                        name,
                        f"unknown column {name!r}{suggest(name, C.FLAT_EVENTS.names)}; "
                        "columns are those of `tracker export csv`",
                        "csv-header",
                    )
                )
        else:
            index[name] = i
    for name in _REQUIRED:
        if name not in index:
            problems.append(
                _problem(file, header_row, name, f"missing column {name!r}", "csv-header")
            )
    if problems:
        raise DataError(f"{file}: the header row is not the export's", problems)
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank lines, and the empty rows spreadsheets leave at the end
        if spreadsheet:
            cells = [unneutralise(c) for c in cells]
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            problems.append(
                _problem(
                    file,
                    number,
                    None,
                    f"the row has {len(cells)} cells but the header has {len(header)} columns",
                    "csv-row-length",
                )
            )
            continue
        values = {name: (cells[i] if i < len(cells) else "") for name, i in index.items()}
        mapping = _event_mapping(values, file, number, problems)
        if mapping is None:
            continue
        row = ImportRow(number, str(mapping.get("id", "")), mapping)
        if row.id:
            if row.id in seen:
                problems.append(
                    _problem(
                        file,
                        number,
                        "id",
                        f"id {row.id!r} is also on row {seen[row.id]}; each row is one event",
                        "duplicate-id",
                    )
                )
            seen.setdefault(row.id, number)
        rows.append(row)
    ignored = [h for h in header if h in _DERIVED]
    return ParsedCsv(file, rows, spreadsheet, ignored, problems)


def _summary(file: str, problems: list[Problem]) -> str:
    n = len([p for p in problems if p.severity == "error"])
    return f"{file}: {n} problem{'s' if n != 1 else ''}; nothing was imported"


def _by_row(problems: list[Problem]) -> list[Problem]:
    """CSV rows in numeric order (row 9 before row 10), then YAML-positioned problems."""

    def key(p: Problem) -> tuple[int, str, int, bool, str]:
        m = re.search(r":row (\d+)$", p.file or "")
        row = int(m.group(1)) if m else 1 << 30
        return (row, p.file or "", p.line or 0, p.severity != "error", p.field or "")

    return sorted(problems, key=key)


def _split(
    values: dict[str, str], name: str, file: str, row: int, problems: list[Problem]
) -> list[str] | None:
    cell = values.get(name, "")
    try:
        items = split_list(cell)
    except CellError as exc:
        problems.append(_problem(file, row, name, str(exc), "csv-list"))
        return None
    return [] if items == [""] else items


def _parallel(
    values: dict[str, str],
    name: str,
    count: int,
    of: str,
    file: str,
    row: int,
    problems: list[Problem],
) -> list[str] | None:
    """A list with one item per participant or source; an empty cell means all empty."""
    cell = values.get(name, "")
    if not cell.strip():
        return [""] * count
    try:
        items = split_list(cell)
    except CellError as exc:
        problems.append(_problem(file, row, name, str(exc), "csv-list"))
        return None
    if len(items) != count:
        problems.append(
            _problem(
                file,
                row,
                name,
                f"{len(items)} item{'s' if len(items) != 1 else ''} but {of} has {count}; "
                f"give one per entry of {of}, in the same order, separated by '; ' "
                "(an empty item is allowed)",
                "csv-list-length",
            )
        )
        return None
    return items


def _event_mapping(
    values: dict[str, str], file: str, row: int, problems: list[Problem]
) -> dict[str, Any] | None:
    """One row as the mapping events.yaml would hold; None if a list cell is unreadable."""
    before = len(problems)
    m: dict[str, Any] = {k: values.get(k, "").strip() for k in _SCALARS}
    m["significance"] = values.get("significance", "").strip()
    m["notes"] = values.get("notes", "").strip()
    lists = {k: _split(values, k, file, row, problems) for k in ("channels", "responds_to", "tags")}
    actors = _split(values, "participants", file, row, problems)
    publishers = _split(values, "source_publishers", file, row, problems)
    roles = sources_parts = None
    if actors is not None:
        roles = _parallel(
            values, "participant_roles", len(actors), "participants", file, row, problems
        )
    if publishers is not None:
        sources_parts = {
            key: _parallel(values, col, len(publishers), "source_publishers", file, row, problems)
            for key, col in _SOURCE_KEYS.items()
            if key != "publisher"
        }
    if len(problems) > before:
        return None
    assert actors is not None and roles is not None and publishers is not None
    assert sources_parts is not None
    m["channels"] = lists["channels"]
    m["responds_to"] = lists["responds_to"]
    m["tags"] = lists["tags"]
    m["participants"] = [{"actor": a, "role": r} for a, r in zip(actors, roles, strict=True)]
    m["sources"] = [
        {"publisher": p, **{k: parts[i] for k, parts in sources_parts.items()}}  # type: ignore[index]
        for i, p in enumerate(publishers)
    ]
    return {k: m[k] for k in vocab.EVENT_FIELDS if k in m}


# --- 2. planning against events.yaml ------------------------------------------------------


def event_mapping(e: Event) -> dict[str, Any]:
    """A validated event as the mapping `dump_event` writes (the inverse of validation)."""
    return {
        "id": e.id,
        "date": e.date.text,
        "end_date": e.end_date.text if e.end_date else "",
        "kind": e.kind,
        "title": e.title,
        "summary": e.summary,
        "channels": list(e.channels),
        "initiator": e.initiator,
        "participants": [{"actor": p.actor, "role": p.role} for p in e.participants],
        "location": e.location,
        "significance": "" if e.significance is None else str(e.significance),
        "responds_to": list(e.responds_to),
        "sources": [
            {
                "publisher": s.publisher,
                "title": s.title,
                "published": s.published.text if s.published else "",
                "url": s.url,
                "type": s.type,
                "language": s.language,
            }
            for s in e.sources
        ],
        "tags": list(e.tags),
        "notes": e.notes,
    }


Inserter = Callable[[str, list[tuple[SortKey, str]]], str]


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def event_block_span(doc: Document, index: int) -> tuple[int, int]:
    """(start, end) character offsets of event `index`'s list item in the document's text.

    From the start of its `- ` line to the end of its last content line: blank lines and
    comments just before the next item stay with that item.
    """
    text = doc.text
    top = doc.data
    assert isinstance(top, YMap)
    events = top["events"]
    assert isinstance(events, YList)
    starts = [_line_start(text, line) for line, _col in events.item_pos]
    line, col = events.item_pos[index]
    start = starts[index]
    prefix = text[start : start + col - 1]
    if not re.fullmatch(r"\s*-\s+", prefix):
        raise DataError(
            f"{doc.path}:{line}: cannot find where event {index} begins; write each event "
            "as '  - id: ...' to update it by import"
        )
    if index + 1 < len(starts):
        end = starts[index + 1]
    else:
        end = _events_end(text, top, line)
    # Trailing blank lines and comments belong to whatever follows.
    lines = text[start:end].splitlines(keepends=True)
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start, start + len("".join(lines))


def _line_start(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset


def _events_end(text: str, top: YMap, last_line: int) -> int:
    """Where the events list ends: the next top-level key after it, or the end of the file."""
    following = [pos[0] for pos in top.key_pos.values() if pos[0] > last_line]
    return _line_start(text, min(following)) if following else len(text)


def _retired_ids(doc: Document) -> set[str]:
    """Ids of removed events (`retired_ids`, kept by `tracker remove`): never reused."""
    top = doc.data
    retired = top.get("retired_ids") if isinstance(top, YMap) else None
    return {str(i) for i in retired if isinstance(i, str)} if isinstance(retired, YList) else set()


def plan_import(
    parsed: ParsedCsv, text: str, data_path: str | Path, *, update: bool, insert: Inserter
) -> ImportPlan:
    """What importing `parsed` into events.yaml's `text` does; DataError if any row is bad.

    Pure apart from its arguments: `transact` calls it again on the text it re-read under
    its lock, so a concurrent change is taken into account.
    """
    data = str(data_path)
    plan = ImportPlan(parsed.file, data)
    doc = load_document(data, text.encode("utf-8"))
    current, report = validate_document(doc)
    if not report.ok:
        raise DataError(
            f"{data} has errors already; fix them (tracker validate) before importing",
            report.sorted(),
        )
    existing = {e.id: i for i, e in enumerate(current.events)}
    retired = _retired_ids(doc)
    problems: list[Problem] = list(parsed.problems)
    adds: list[ImportRow] = []
    replaces: dict[int, ImportRow] = {}
    for row in parsed.rows:
        if row.id in retired:
            problems.append(
                _problem(
                    parsed.file,
                    row.row,
                    "id",
                    f"id {row.id!r} belonged to a removed event; ids are never reused, give "
                    "this event another id",
                    "retired-id",
                )
            )
        elif row.id in existing:
            old = current.events[existing[row.id]]
            if not update:
                problems.append(
                    _problem(
                        parsed.file,
                        row.row,
                        "id",
                        f"event {row.id!r} already exists in {data}; pass --update to replace "
                        "it, or give the new event another id",
                        "existing-id",
                    )
                )
            elif dump_event(event_mapping(old)) == row.block:
                plan.unchanged.append(row.id)
            else:
                replaces[existing[row.id]] = row
                plan.updated.append(row.id)
        else:
            adds.append(row)
            plan.added.append(row.id)
    if not adds and not replaces:
        if problems:
            raise DataError(_summary(parsed.file, problems), _by_row(problems))
        return plan
    # Remove the replaced blocks (from the end, so offsets stay true), then insert every
    # new or replaced block at its place in date order.
    new_text = text
    for index in sorted(replaces, reverse=True):
        start, end = event_block_span(doc, index)
        # Take one blank separator line with the block (the one before it, else after it);
        # the inserter lays out separators for the blocks it places.
        if new_text[max(0, start - 2) : start] == "\n\n":
            start -= 1
        elif new_text[end : end + 1] == "\n":
            end += 1
        new_text = new_text[:start] + new_text[end:]
    rows = adds + list(replaces.values())
    new_text = insert(new_text, [(r.sort_key, r.block) for r in rows])
    plan.warnings = _check(parsed.file, data, new_text, rows, problems)
    plan.text = new_text
    return plan


def _check(
    file: str, data: str, text: str, rows: list[ImportRow], earlier: list[Problem]
) -> list[Problem]:
    """Validate the whole candidate file. If it or `earlier` has errors, raise them all
    (row-positioned where they lie in imported blocks); else return the rows' warnings."""
    try:
        doc = load_document(data, text.encode("utf-8"))
    except DataError as exc:  # a block the YAML parser refuses (it should not happen)
        found = _relocate(file, exc.problems, text, rows, None)
    else:
        _ds, report = validate_document(doc)
        found = _relocate(file, report.sorted(), text, rows, doc)
    problems = earlier + found
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        imported = {f"{file}:row {r.row}" for r in rows}
        shown = [p for p in problems if p.severity == "error" or p.file in imported]
        raise DataError(_summary(file, errors), _by_row(shown))
    imported = {f"{file}:row {r.row}" for r in rows}
    return [p for p in found if p.file in imported]


def _relocate(
    file: str, problems: list[Problem], text: str, rows: list[ImportRow], doc: Document | None
) -> list[Problem]:
    """Problems inside imported blocks, re-addressed to their CSV row and column."""
    spans: list[tuple[int, int, ImportRow]] = []
    taken: set[int] = set()
    for r in rows:
        at = text.find(r.block)
        while at in taken:
            at = text.find(r.block, at + 1)
        taken.add(at)
        first = _line_of(text, at)
        spans.append((first, first + r.block.count("\n") - 1, r))
    by_id = {r.id: r for r in rows if r.id}
    index_ids: list[str] = []
    if doc is not None and isinstance(doc.data, YMap) and isinstance(doc.data.get("events"), YList):
        for item in doc.data["events"]:  # type: ignore[union-attr]
            index_ids.append(str(item.get("id", "")) if isinstance(item, YMap) else "")
    out = []
    for p in problems:
        row = _row_for(p, spans, by_id, index_ids)
        if row is None:
            out.append(p)
            continue
        column = _column_for(p.field or "")
        message = p.message + (_DATE_HINT if p.code == "invalid-date" else "")
        out.append(
            Problem(
                p.code, message, severity=p.severity, file=f"{file}:row {row.row}", field=column
            )
        )
    return out


_FIELD_RE = re.compile(r"^events\[([^\]]+)\](?:\.(.+))?$")


def _row_for(
    p: Problem,
    spans: list[tuple[int, int, ImportRow]],
    by_id: dict[str, ImportRow],
    index_ids: list[str],
) -> ImportRow | None:
    m = _FIELD_RE.match(p.field or "")
    if m:
        key = m.group(1)
        event_id = index_ids[int(key)] if key.isdigit() and int(key) < len(index_ids) else key
        if event_id in by_id:
            return by_id[event_id]
    if p.line is not None:
        for first, last, row in spans:
            if first <= p.line <= last:
                return row
    return None


_SUFFIX_RE = re.compile(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?")


def _column_for(field: str) -> str | None:
    """'events[3].sources[1].url' -> 'source_urls (item 2)'; 'events[3].date' -> 'date'."""
    m = _FIELD_RE.match(field)
    if not m or not m.group(2):
        return None
    s = _SUFFIX_RE.match(m.group(2))
    if not s:
        return None
    key, idx, sub = s.group(1), s.group(2), s.group(3)
    if key == "sources":
        column = _SOURCE_KEYS.get(sub or "", "source_publishers")
    elif key == "participants":
        column = "participant_roles" if sub == "role" else "participants"
    else:
        column = key
    if idx is not None and column in _LIST_COLUMNS:
        return f"{column} (item {int(idx) + 1})"
    return column


# --- 3. the import ------------------------------------------------------------------------


def import_events(
    file: str | Path,
    data_path: str | Path,
    *,
    update: bool = False,
    dry_run: bool = False,
    confirm: Callable[[ImportPlan], bool] | None = None,
) -> ImportPlan:
    """Check `file` against events.yaml and, unless `dry_run`, write the result.

    `confirm` (the CLI's prompt) sees the plan before anything is written and may decline.
    The write re-plans on the text `transact` re-read under its lock, so an event added by
    someone else meanwhile is neither lost nor silently duplicated.
    """
    from tracker.edit import insert_event_blocks, transact

    parsed = read_import_csv(file)
    data = Path(data_path)
    text = decode(read_bytes(data), str(data))
    plan = plan_import(parsed, text, data, update=update, insert=insert_event_blocks)
    plan.dry_run = dry_run
    if dry_run or not plan.changes or (confirm is not None and not confirm(plan)):
        return plan
    final: list[ImportPlan] = []

    def change(current: str) -> str:
        fresh = plan_import(parsed, current, data, update=update, insert=insert_event_blocks)
        final.append(fresh)
        return fresh.text if fresh.changes else current

    transact(data, change)
    done = final[-1]
    done.written = done.changes > 0
    return done
