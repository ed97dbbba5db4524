"""JSON output: the same records as the CSV exports, as one document with provenance.

Events carry their single-valued columns (as in the tidy events.csv) plus their lists as
arrays: `channels`, `responds_to`, `tags`, and `participants` and `sources` as objects with
the columns of participants.csv and sources.csv (less the event key and position, which the
nesting gives). Missing values are null; dates are ISO 8601 strings.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from tracker.export import columns as C
from tracker.export.selection import Selection, filters_dict
from tracker.export.tables import (
    Row,
    actor_rows,
    channel_rows,
    event_values,
    participant_rows,
    period_rows,
    source_rows,
)

_NESTED_SKIP = {"event_id", "position"}


def _event_record(e: Any) -> Row:
    row = event_values(e)
    nested = {
        "channels": list(e.channels),
        "participants": [
            {k: v for k, v in p.items() if k not in _NESTED_SKIP} for p in participant_rows([e])
        ],
        "responds_to": list(e.responds_to),
        "sources": [
            {k: v for k, v in s.items() if k not in _NESTED_SKIP} for s in source_rows([e])
        ],
        "tags": list(e.tags),
    }
    # Keep the one-row-per-event CSV's column order, lists where that file has them.
    out: Row = {}
    for name in C.FLAT_EVENTS.names:
        if name in row:
            out[name] = row[name]
        elif name in nested:
            out[name] = nested[name]
        elif name == "source_publishers":
            out["sources"] = nested["sources"]
    return out


def build_document(sel: Selection) -> dict[str, Any]:
    ds = sel.dataset
    doc = sel.provenance.to_dict()
    doc["filters"] = filters_dict(sel.filters)
    doc["codebook"] = "docs/codebook.md#exported-columns"
    doc["selected_events"] = len(sel.events)
    doc["events"] = [_event_record(e) for e in sel.events]
    doc["channels"] = channel_rows(ds.channels)
    doc["actors"] = actor_rows(ds.actors)
    doc["periods"] = period_rows(sel.periods)
    return doc


def _default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def render_json(sel: Selection) -> bytes:
    """The document as UTF-8 JSON (Chinese text kept as is), ending with a newline."""
    text = json.dumps(build_document(sel), ensure_ascii=False, indent=2, default=_default)
    return (text + "\n").encode("utf-8")
