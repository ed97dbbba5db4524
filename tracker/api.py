"""The library's front door: load, validate and build in one call each.

The CLI is a thin layer over these functions; tests call them directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tracker.dataset import load_document
from tracker.problems import DataError, Report
from tracker.records import Dataset
from tracker.validate import validate_document

if TYPE_CHECKING:
    from sqlalchemy import Engine


def load_dataset(path: str | Path, raw: bytes | None = None) -> tuple[Dataset, Report]:
    """Read and validate events.yaml. Unparsable files raise DataError; rule violations are
    returned in the Report."""
    try:
        doc = load_document(path, raw)
    except DataError as exc:
        return Dataset(path=str(path)), Report(list(exc.problems))
    return validate_document(doc)


def load_valid_dataset(
    path: str | Path, raw: bytes | None = None, *, strict: bool = False
) -> Dataset:
    """The validated dataset, or DataError carrying every problem."""
    ds, report = load_dataset(path, raw)
    if not report.passes(strict):
        n = len(report.errors) or len(report.warnings)
        what = "error" if report.errors else "warning"
        raise DataError(
            f"{path}: {n} {what}{'s' if n != 1 else ''}; fix them and try again",
            report.sorted(),
        )
    return ds


def open_database(data_path: str | Path, db: str | None = None) -> Engine:
    """An engine on a database that reflects events.yaml as it is now (rebuilt if stale)."""
    from tracker.db import ensure_fresh, make_engine, resolve_url

    url = resolve_url(db, data_path)
    ensure_fresh(data_path, url)
    engine = make_engine(url)
    _OPEN_ENGINES.append(engine)
    return engine


_OPEN_ENGINES: list[Engine] = []


def close_databases() -> None:
    """Dispose of every engine `open_database` made (the CLI calls this after each command),
    so that pooled connections close cleanly instead of at garbage collection."""
    while _OPEN_ENGINES:
        _OPEN_ENGINES.pop().dispose()
