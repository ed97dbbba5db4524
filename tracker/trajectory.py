"""The start-stop-restart trajectory: per-channel periods derived from typed events (pure).

Rules (docs/codebook.md, "How periods are derived"):
- events are taken in date order (first day, finer precision first, then id);
- a suspension of a channel suspends it; a suspension of `all` suspends every channel;
- a resumption of a channel resumes it, even inside a suspension of `all`; a resumption of
  `all` resumes every channel;
- a period starts on the first day of the event that opened it and ends on the first day of
  the event that closed it; a period nobody closed is open-ended (end None).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.records import Event
from tracker.vocab import ALL_CHANNEL


@dataclass(frozen=True, slots=True)
class Period:
    channel: str
    state: str  # "active" or "suspended"
    start: date
    end: date | None  # None: still going on
    opened_by: str | None = None  # event id
    closed_by: str | None = None
    initiator: str | None = None  # who suspended (suspended periods)

    def days(self, today: date) -> int:
        return ((self.end or today) - self.start).days


def _ordered(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (*e.date.sort_key, e.id))


def _touches(event: Event, channel: str) -> bool:
    return channel in event.channels or ALL_CHANNEL in event.channels


def channel_periods(events: Sequence[Event], channel: str, origin: date) -> list[Period]:
    """Alternating active/suspended periods of one channel, from `origin` on."""
    periods: list[Period] = []
    state, start, opened_by, initiator = "active", origin, None, None
    for e in _ordered(events):
        if e.kind not in ("suspension", "resumption"):
            continue
        if channel == ALL_CHANNEL:
            relevant = ALL_CHANNEL in e.channels
        else:
            relevant = _touches(e, channel)
        if not relevant:
            continue
        new_state = "suspended" if e.kind == "suspension" else "active"
        if new_state == state:
            continue  # already in that state: a second suspension does not restart the clock
        day = e.date.first
        if day > start:  # a zero-length period (change on the origin day) is not kept
            periods.append(Period(channel, state, start, day, opened_by, e.id, initiator))
        state, start, opened_by = new_state, day, e.id
        initiator = e.initiator if new_state == "suspended" else None
    periods.append(Period(channel, state, start, None, opened_by, None, initiator))
    return periods


def derive_periods(events: Sequence[Event], channels: Iterable[str]) -> list[Period]:
    """Periods of every channel; the origin is the first event's first day."""
    if not events:
        return []
    origin = min(e.date.first for e in events)
    out: list[Period] = []
    for ch in channels:
        out.extend(channel_periods(events, ch, origin))
    return out


def suspensions(periods: Iterable[Period]) -> list[Period]:
    return [p for p in periods if p.state == "suspended"]
