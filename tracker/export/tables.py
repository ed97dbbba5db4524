"""Records -> rows of the exported tables (pure).

Values are typed Python values (str, int, date or None); the CSV writer turns them into text,
the JSON writer into JSON. Each row is a dict keyed by the column names of `columns`, built
from one function per table so that every output agrees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tracker import vocab
from tracker.dates import PartialDate
from tracker.export import columns as C
from tracker.export.cells import join_list
from tracker.records import Actor, Channel, Event
from tracker.trajectory import Period

Row = dict[str, Any]


def date_values(prefix: str, d: PartialDate | None) -> Row:
    """A partial date four ways: original string, first day, last day, precision."""
    if d is None:
        return {prefix: None, f"{prefix}_first": None, f"{prefix}_last": None,
                f"{prefix}_precision": None}  # fmt: skip
    return {
        prefix: d.text,
        f"{prefix}_first": d.first,
        f"{prefix}_last": d.last,
        f"{prefix}_precision": d.precision,
    }


def _or_none(text: str) -> str | None:
    return text or None


def event_values(e: Event) -> Row:
    """Every single-valued column of an event (the tidy events table)."""
    code, label, _why = C.CAMEO[e.kind]
    row: Row = {"id": e.id}
    row |= date_values("date", e.date)
    row |= date_values("end_date", e.end_date)
    row |= {
        "kind": e.kind,
        "family": vocab.FAMILY_OF_KIND[e.kind],
        "title": e.title,
        "summary": e.summary,
        "initiator": _or_none(e.initiator),
        "location": _or_none(e.location),
        "significance": e.significance,
        "notes": _or_none(e.notes),
        "cameo_code": _or_none(code),
        "cameo_label": _or_none(label),
    }
    return {name: row[name] for name in C.EVENTS.names}


def flat_event_row(e: Event) -> Row:
    """One row of the one-row-per-event CSV: lists joined with '; '."""
    row = event_values(e)
    src = e.sources
    lists = {
        "channels": e.channels,
        "participants": [p.actor for p in e.participants],
        "participant_roles": [p.role for p in e.participants] if e.participants else [],
        "responds_to": e.responds_to,
        "source_publishers": [s.publisher for s in src],
        "source_titles": [s.title for s in src],
        "source_published": [s.published.text if s.published else "" for s in src],
        "source_urls": [s.url for s in src],
        "source_types": [s.type for s in src],
        "source_languages": [s.language for s in src],
        "tags": e.tags,
    }
    for name, items in lists.items():
        row[name] = join_list(items) or None
    return {name: row[name] for name in C.FLAT_EVENTS.names}


def source_rows(events: Iterable[Event]) -> list[Row]:
    out = []
    for e in events:
        for i, s in enumerate(e.sources, 1):
            row: Row = {"event_id": e.id, "position": i, "publisher": s.publisher, "title": s.title}
            row |= date_values("published", s.published)
            row |= {"url": _or_none(s.url), "type": s.type, "language": s.language}
            out.append(row)
    return out


def participant_rows(events: Iterable[Event]) -> list[Row]:
    return [
        {"event_id": e.id, "position": i, "actor_id": p.actor, "role": _or_none(p.role)}
        for e in events
        for i, p in enumerate(e.participants, 1)
    ]


def _link_rows(events: Iterable[Event], attr: str, key: str) -> list[Row]:
    """One row per distinct list item (the primary key forbids repeats), with its position."""
    out = []
    for e in events:
        for i, value in enumerate(dict.fromkeys(getattr(e, attr)), 1):
            out.append({"event_id": e.id, key: value, "position": i})
    return out


def actor_rows(actors: Iterable[Actor]) -> list[Row]:
    return [
        {
            "id": a.id,
            "name": a.name,
            "name_zh": _or_none(a.name_zh),
            "country": a.country,
            "description": _or_none(a.description),
        }
        for a in actors
    ]


def channel_rows(channels: Iterable[Channel]) -> list[Row]:
    out = []
    for ch in channels:
        row: Row = {"id": ch.id, "name": ch.name}
        row |= date_values("established", ch.established)
        row["description"] = _or_none(ch.description)
        out.append(row)
    return out


def period_rows(periods: Iterable[Period]) -> list[Row]:
    return [
        {
            "channel_id": p.channel,
            "state": p.state,
            "start": p.start,
            "end": p.end,
            "days": (p.end - p.start).days if p.end else None,
            "opened_by": p.opened_by,
            "closed_by": p.closed_by,
            "initiator": p.initiator,
        }
        for p in periods
    ]


def tidy_rows(
    events: Sequence[Event],
    channels: Sequence[Channel],
    actors: Sequence[Actor],
    periods: Sequence[Period],
) -> dict[str, list[Row]]:
    """Every tidy table's rows, keyed by table name, in `columns.TIDY_TABLES` order."""
    rows = {
        "events": [event_values(e) for e in events],
        "sources": source_rows(events),
        "participants": participant_rows(events),
        "actors": actor_rows(actors),
        "channels": channel_rows(channels),
        "event_channels": _link_rows(events, "channels", "channel_id"),
        "links": _link_rows(events, "responds_to", "responds_to_id"),
        "event_tags": _link_rows(events, "tags", "tag"),
        "periods": period_rows(periods),
    }
    return {t.name: [{n: r[n] for n in t.names} for r in rows[t.name]] for t in C.TIDY_TABLES}


def text_value(value: Any) -> str:
    """How a value is written in a CSV cell: '' for missing, ISO 8601 for dates."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
