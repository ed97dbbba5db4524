"""Researchers' exports (CSV, tidy CSV tables, JSON, Frictionless data package) and CSV import.

One call per command, for the CLI and for tests. Submodules: `columns` (the one column
specification and the codebook section), `cells` (list and spreadsheet cell encoding),
`tables` (records -> rows), `csvout`, `jsonout`, `datapackage`, `csvimport`, `output`
(atomic file writes), `selection` (what is exported, with provenance).

This module imports its submodules lazily: `tracker.codebook` reads `columns` without
paying for the database layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.export.selection import Provenance
    from tracker.query import Filters

STDOUT = "-"


@dataclass(slots=True)
class ExportResult:
    provenance: Provenance
    events: int  # events written
    paths: list[Path] = field(default_factory=list)  # files written
    data: bytes | None = None  # the output, when it goes to stdout


def _to_stdout(out: Path | str | None) -> bool:
    return out is None or str(out) == STDOUT


def _emit(result: ExportResult, data: bytes, out: Path | str | None) -> ExportResult:
    """Keep `data` for stdout, or write it atomically to the file `out`."""
    from tracker.export.output import write_file

    if out is None or _to_stdout(out):
        result.data = data
    else:
        write_file(Path(out), data)
        result.paths = [Path(out)]
    return result


def export_csv(
    data_path: str | Path,
    filters: Filters | None = None,
    out: Path | str | None = None,
    *,
    tables: bool = False,
    spreadsheet: bool = False,
    built_at: str | None = None,
) -> ExportResult:
    """The one-row-per-event CSV (to a file or stdout), or with `tables` the tidy CSVs in a
    folder; `spreadsheet` writes the neutralised copy instead of the canonical one."""
    from tracker.export.csvout import render_events_csv, render_tidy_tables
    from tracker.export.output import write_files
    from tracker.export.selection import select
    from tracker.problems import UsageError

    if tables and (out is None or _to_stdout(out)):
        raise UsageError("--tables writes several files: give a folder with --out DIR")
    sel = select(data_path, filters, built_at=built_at)
    result = ExportResult(sel.provenance, len(sel.events))
    if tables and out is not None:
        result.paths = write_files(Path(out), render_tidy_tables(sel, spreadsheet=spreadsheet))
        return result
    return _emit(result, render_events_csv(sel, spreadsheet=spreadsheet), out)


def export_json(
    data_path: str | Path,
    filters: Filters | None = None,
    out: Path | str | None = None,
    *,
    built_at: str | None = None,
) -> ExportResult:
    """One JSON document with provenance, the selected events, channels, actors, periods."""
    from tracker.export.jsonout import render_json
    from tracker.export.selection import select

    sel = select(data_path, filters, built_at=built_at)
    result = ExportResult(sel.provenance, len(sel.events))
    return _emit(result, render_json(sel), out)


def export_datapackage(
    data_path: str | Path, out: Path | str, *, built_at: str | None = None
) -> ExportResult:
    """The whole dataset as a Frictionless data package in folder `out`."""
    from tracker.export.datapackage import write_datapackage
    from tracker.export.selection import select
    from tracker.problems import UsageError

    if _to_stdout(out):
        raise UsageError("a data package is a folder of files: give one with --out DIR")
    sel = select(data_path, None, built_at=built_at)
    result = ExportResult(sel.provenance, len(sel.events))
    result.paths = write_datapackage(sel, Path(out))
    return result
