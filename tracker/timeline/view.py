"""What the timeline page shows, computed once from the records (pure, no Plotly, no I/O).

The page shows the events the filters selected, but the trajectory (periods, suspension
bands, the status line) is always derived from *every* event and then clipped to the page's
time range: hiding arms sales with `--kind` must not make a suspension disappear, and a
`--until 2010-06` page must say what the state was in June 2010.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from tracker.records import Actor, Channel, Dataset, Event
from tracker.trajectory import Period, derive_periods, intensity, state_on
from tracker.vocab import ALL_CHANNEL

if TYPE_CHECKING:
    from tracker.query import Filters

DEFAULT_TITLE = "US–China military-to-military contacts"
QUARTERS_BELOW_YEARS = 6  # a range shorter than this counts engagements per quarter


@dataclass(frozen=True, slots=True)
class Band:
    """A stretch of time when contacts were suspended: all of them (`full`) or some channels.

    `start`/`end` are the true dates (end None: still suspended); pages clip them to their range.
    """

    channels: tuple[str, ...]
    full: bool
    start: date
    end: date | None
    initiator: str
    opened_by: str | None
    closed_by: str | None
    triggers: tuple[str, ...] = ()

    def clip(self, lo: date, hi: date) -> tuple[date, date] | None:
        """The part of the band inside [lo, hi], or None when they do not meet."""
        start, end = max(self.start, lo), min(self.end or hi, hi)
        return (start, end) if end > start else None


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    channel: str
    state: str  # "active" or "suspended"
    since: date
    opened_by: str | None
    initiator: str | None


@dataclass(frozen=True, slots=True)
class Status:
    """The state of all contacts on `as_of`, and the channels suspended while `all` is not."""

    as_of: date
    overall: ChannelStatus | None  # None: before the record starts
    partial: tuple[ChannelStatus, ...] = ()


@dataclass(slots=True)
class TimelineView:
    title: str
    events: list[Event]  # what the page shows (the filtered events), in date order
    by_id: dict[str, Event]  # every event, for triggers and period openers
    channels: list[Channel]
    actors: dict[str, Actor]
    periods: list[Period]  # every channel, from every event, unclipped
    start: date  # the page's time range
    end: date
    as_of: date  # the day the status line describes
    status: Status
    bands: list[Band]  # suspensions that meet [start, end], full and partial, by start
    intensity: list[dict[str, object]]
    granularity: str  # "year" or "quarter"
    content_hash: str = ""
    built_at: str = ""
    generated_at: str = ""
    selection: str = ""  # the filters in words; "" when the page shows everything
    today: date = field(default_factory=date.today)

    @property
    def channel_names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.channels}


def _sorted(events: Sequence[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (*e.date.sort_key, e.id))


def page_range(
    shown: Sequence[Event],
    every: Sequence[Event],
    since: date | None,
    until: date | None,
    today: date,
) -> tuple[date, date]:
    """The time axis: the filters' dates when given, else the shown events, up to today."""
    pool = shown or every
    start = since or (min(e.date.first for e in pool) if pool else today)
    end = until or max([today, *(e.last_day.last for e in pool)])
    return start, max(end, start)


def suspension_bands(events: Sequence[Event], periods: Sequence[Period]) -> list[Band]:
    """Suspensions of `all` as full bands; other channels' suspensions, outside those, as
    partial bands (channels suspended by the same event over the same days share one band)."""
    by_id = {e.id: e for e in events}

    def triggers(opener: str | None) -> tuple[str, ...]:
        e = by_id.get(opener or "")
        return e.responds_to if e else ()

    full = [p for p in periods if p.channel == ALL_CHANNEL and p.state == "suspended"]
    bands = [
        Band(
            (ALL_CHANNEL,),
            True,
            p.start,
            p.end,
            p.initiator or "",
            p.opened_by,
            p.closed_by,
            triggers(p.opened_by),
        )
        for p in full
    ]
    pieces: dict[tuple[object, ...], list[str]] = {}
    for p in periods:
        if p.channel == ALL_CHANNEL or p.state != "suspended":
            continue
        for start, end in _minus(p.start, p.end, [(f.start, f.end) for f in full]):
            key = (p.opened_by, start, end, p.initiator, p.closed_by if end == p.end else None)
            pieces.setdefault(key, []).append(p.channel)
    for (opened_by, start, end, initiator, closed_by), chans in pieces.items():
        bands.append(
            Band(
                tuple(chans),
                False,
                start,  # type: ignore[arg-type]
                end,  # type: ignore[arg-type]
                str(initiator or ""),
                opened_by,  # type: ignore[arg-type]
                closed_by,  # type: ignore[arg-type]
                triggers(opened_by),  # type: ignore[arg-type]
            )
        )
    return sorted(bands, key=lambda b: (b.start, not b.full, b.channels))


def _minus(
    start: date, end: date | None, holes: Sequence[tuple[date, date | None]]
) -> list[tuple[date, date | None]]:
    """The interval [start, end) without the intervals in `holes` (None = open-ended)."""
    out: list[tuple[date, date | None]] = [(start, end)]
    for h_start, h_end in holes:
        nxt: list[tuple[date, date | None]] = []
        for s, e in out:
            if (e is not None and e <= h_start) or (h_end is not None and h_end <= s):
                nxt.append((s, e))
                continue
            if s < h_start:
                nxt.append((s, h_start))
            if h_end is not None and (e is None or h_end < e):
                nxt.append((h_end, e))
        out = nxt
    return out


def contacts_status(periods: Sequence[Period], channels: Sequence[Channel], day: date) -> Status:
    """The state of `all` on `day`, and each other channel suspended while `all` is not."""
    overall = _state(periods, ALL_CHANNEL, day)
    partial: list[ChannelStatus] = []
    if overall is not None and overall.state == "active":
        for c in channels:
            if c.id == ALL_CHANNEL or (c.established and day < c.established.first):
                continue
            st = _state(periods, c.id, day)
            if st is not None and st.state == "suspended":
                partial.append(st)
    return Status(day, overall, tuple(partial))


def _state(periods: Sequence[Period], channel: str, day: date) -> ChannelStatus | None:
    s = state_on(periods, channel, day)
    if s is None:
        return None
    return ChannelStatus(s.channel, s.state, s.since, s.opened_by, s.initiator)


def describe_filters(filters: Filters | None) -> str:
    """The selection in words, for the page header ('' when nothing is filtered)."""
    if filters is None or not filters.active:
        return ""
    from tracker.timeline.text import day_text

    parts = []
    if filters.since:
        parts.append(f"from {day_text(filters.since)}")
    if filters.until:
        parts.append(f"until {day_text(filters.until)}")
    for label, values in (
        ("kind", filters.kinds),
        ("channel", filters.channels),
        ("actor", filters.actors),
        ("tag", filters.tags),
        ("id", filters.ids),
    ):
        if values:
            parts.append(f"{label}: {', '.join(values)}")
    if filters.search:
        parts.append(f"text contains “{filters.search}”")
    return "; ".join(parts)


def build_view(
    dataset: Dataset,
    every_event: Sequence[Event] | None = None,
    *,
    filters: Filters | None = None,
    title: str | None = None,
    built_at: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> TimelineView:
    """Everything the page needs. `dataset.events` are the events to show; `every_event`
    (default: the same) are all events, from which the trajectory is derived."""
    today = today or date.today()
    now = now or datetime.now().astimezone()
    shown = _sorted(dataset.events)
    every = _sorted(every_event) if every_event is not None else shown
    periods = derive_periods(every, dataset.channels)
    since = filters.since if filters else None
    until = filters.until if filters else None
    start, end = page_range(shown, every, since, until, today)
    as_of = min(end, today)
    bands = [b for b in suspension_bands(every, periods) if b.clip(start, end)]
    granularity = "quarter" if (end - start).days < QUARTERS_BELOW_YEARS * 365 else "year"
    return TimelineView(
        title=(title or "").strip() or DEFAULT_TITLE,
        events=shown,
        by_id={e.id: e for e in every},
        channels=list(dataset.channels),
        actors={a.id: a for a in dataset.actors},
        periods=periods,
        start=start,
        end=end,
        as_of=as_of,
        status=contacts_status(periods, dataset.channels, as_of),
        bands=bands,
        intensity=intensity(shown, periods, granularity=granularity, today=as_of),
        granularity=granularity,
        content_hash=dataset.content_hash,
        built_at=built_at,
        generated_at=now.replace(microsecond=0).isoformat(),
        selection=describe_filters(filters),
        today=today,
    )
