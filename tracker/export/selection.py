"""What an export contains: the validated dataset, the filtered events, periods and provenance.

Exports read events.yaml itself (the source of truth), not the database: the file keeps every
list in its written order and every repeat, which the database does not, and that is what
makes export -> import lossless. Filters are the shared `query.Filters`, applied in memory with
`Filters.matches` (tests/test_query.py checks it agrees with the SQL used by `list`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tracker import __version__
from tracker.query import Filters
from tracker.records import Dataset, Event
from tracker.trajectory import Period, derive_periods

PACKAGE_NAME = "us-china-mil-mil-contacts"
PACKAGE_TITLE = "US-China military-to-military contacts: start, stop and restart"


@dataclass(frozen=True, slots=True)
class Provenance:
    """Enough to cite an export and to tell whether two exports hold the same data."""

    version: str  # "<last day covered as YYYY.MM.DD>+<12 hex digits of the content hash>"
    content_hash: str  # SHA-256 of events.yaml, hex
    built_at: str  # ISO 8601 UTC, when this export was made
    tool_version: str
    source_file: str  # events.yaml's file name (no folders: they say nothing about the data)
    event_count: int  # events in the whole dataset
    first_day: str
    last_day: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": PACKAGE_NAME,
            "title": PACKAGE_TITLE,
            "version": self.version,
            "content_hash": self.content_hash,
            "hash_algorithm": "sha256",
            "built_at": self.built_at,
            "tool_version": self.tool_version,
            "source_file": self.source_file,
            "event_count": self.event_count,
            "coverage": {"first_day": self.first_day, "last_day": self.last_day},
        }


@dataclass(slots=True)
class Selection:
    dataset: Dataset  # the whole validated dataset
    events: list[Event]  # the events the filters selected, in file order
    periods: list[Period]  # derived from the whole dataset, whatever the filters
    provenance: Provenance
    filters: Filters = field(default_factory=Filters)


def build_time(now: datetime | None = None) -> str:
    """ISO 8601 UTC to the second; SOURCE_DATE_EPOCH (reproducible builds) wins when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if now is None and epoch.isdigit():
        now = datetime.fromtimestamp(int(epoch), UTC)
    now = now or datetime.now(UTC)
    return now.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def dataset_version(ds: Dataset) -> str:
    last = max((e.last_day.last for e in ds.events), default=None)
    stamp = last.strftime("%Y.%m.%d") if last else "0000.00.00"
    return f"{stamp}+{ds.content_hash[:12]}"


def provenance(ds: Dataset, built_at: str | None = None) -> Provenance:
    first = min((e.date.first for e in ds.events), default=None)
    last = max((e.last_day.last for e in ds.events), default=None)
    return Provenance(
        version=dataset_version(ds),
        content_hash=ds.content_hash,
        built_at=built_at or build_time(),
        tool_version=__version__,
        source_file=Path(ds.path).name,
        event_count=len(ds.events),
        first_day=first.isoformat() if first else "",
        last_day=last.isoformat() if last else "",
    )


def select(
    data_path: str | Path, filters: Filters | None = None, *, built_at: str | None = None
) -> Selection:
    """Load and validate events.yaml (DataError if invalid) and pick the filtered events."""
    from tracker.api import load_valid_dataset

    filters = filters or Filters()
    ds = load_valid_dataset(data_path)
    events = [e for e in ds.events if filters.matches(e)] if filters.active else list(ds.events)
    periods = derive_periods(ds.events, ds.channels)
    return Selection(ds, events, periods, provenance(ds, built_at), filters)


def filters_dict(filters: Filters) -> dict[str, Any] | None:
    """The filters as recorded in the JSON export (None when nothing was filtered)."""
    if not filters.active:
        return None
    out: dict[str, Any] = {}
    for name in ("since", "until"):
        value = getattr(filters, name)
        if value:
            out[name] = value.isoformat()
    for name in ("kinds", "channels", "actors", "tags", "ids"):
        value = getattr(filters, name)
        if value:
            out[name] = list(value)
    if filters.search:
        out["search"] = filters.search
    return out
