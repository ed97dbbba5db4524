"""The start-stop-restart trajectory: per-channel periods derived from typed events (pure).

Rules (docs/codebook.md, "How periods are derived"):
- events are taken in date order (first day, finer precision first, then id);
- a suspension of a channel suspends it; a suspension of `all` suspends every channel;
- a resumption of a channel resumes it, even inside a suspension of `all`; a resumption of
  `all` resumes every channel;
- a period starts on the first day of the event that opened it and ends on the first day of
  the event that closed it, but never before an event it responds to (within the opening
  event's own span); a period nobody closed is open-ended (end None).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.records import Channel, Event
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
    first_day = {e.id: e.date.first for e in events}
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
        # A change cannot precede what it responds to: a "1999-05" suspension that responds
        # to an event of 7 May 1999 starts on 7 May, not on 1 May.
        day = max([e.date.first, *(first_day[t] for t in e.responds_to if t in first_day)])
        day = max(min(day, e.date.last), origin)  # changes before the origin set the state
        if day > start:  # a zero-length period (change on the origin day) is not kept
            periods.append(Period(channel, state, start, day, opened_by, e.id, initiator))
        state, start, opened_by = new_state, day, e.id
        initiator = e.initiator if new_state == "suspended" else None
    periods.append(Period(channel, state, start, None, opened_by, None, initiator))
    return periods


def derive_periods(events: Sequence[Event], channels: Iterable[str | Channel]) -> list[Period]:
    """Periods of every channel, from the first event's first day, or from a channel's
    `established` date when it is later (a channel born during a suspension of `all`
    starts suspended)."""
    if not events:
        return []
    origin = min(e.date.first for e in events)
    out: list[Period] = []
    for ch in channels:
        if isinstance(ch, Channel):
            start = max(origin, ch.established.first) if ch.established else origin
            out.extend(channel_periods(events, ch.id, start))
        else:
            out.extend(channel_periods(events, ch, origin))
    return out


def suspensions(periods: Iterable[Period]) -> list[Period]:
    return [p for p in periods if p.state == "suspended"]


# --- suspension episodes, lags and summaries -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Suspension:
    """A suspended period with its trigger(s) and the lag from trigger to suspension."""

    period: Period
    triggers: tuple[str, ...]  # ids of the events the suspension responded to
    lag_days: int | None  # from the earliest trigger's first day to the suspension

    def duration(self, today: date) -> int:
        return self.period.days(today)


def suspension_episodes(
    events: Sequence[Event], periods: Iterable[Period], channel: str | None = None
) -> list[Suspension]:
    """Suspended periods with triggers. Without `channel`, each period is listed under the
    channels its suspension named (a suspension of `all` once, not once per channel)."""
    by_id = {e.id: e for e in events}
    out = []
    for p in periods:
        if p.state != "suspended":
            continue
        opener = by_id.get(p.opened_by or "")
        if channel is None:
            if opener is None or p.channel not in opener.channels:
                continue
        elif p.channel != channel:
            continue
        triggers = opener.responds_to if opener else ()
        trigger_days = [by_id[t].date.first for t in triggers if t in by_id]
        lag = (p.start - min(trigger_days)).days if trigger_days else None
        out.append(Suspension(p, tuple(triggers), lag))
    return sorted(out, key=lambda s: (s.period.start, s.period.channel))


def summarize_suspensions(episodes: Sequence[Suspension], today: date) -> dict[str, object]:
    """Count, median and longest duration in days (open periods count up to `today`)."""
    durations = sorted(s.duration(today) for s in episodes)
    if not durations:
        return {"count": 0, "median_days": None, "longest_days": None, "longest": None}
    n = len(durations)
    mid = n // 2
    median = durations[mid] if n % 2 else (durations[mid - 1] + durations[mid]) / 2
    longest = max(episodes, key=lambda s: s.duration(today))
    return {
        "count": n,
        "median_days": median,
        "longest_days": longest.duration(today),
        "longest": longest.period.opened_by,
        "ongoing": sum(1 for s in episodes if s.period.end is None),
    }


# --- status on a given day -----------------------------------------------------------------

CONTACT_KINDS: dict[str, tuple[str, ...]] = {
    "leaders' summit": ("summit",),
    "defense ministers' meeting": ("defense_ministerial",),
    "call": ("call",),
    "dialogue round": ("dialogue_round",),
    "senior visit": ("senior_visit",),
}


@dataclass(frozen=True, slots=True)
class ChannelState:
    channel: str
    state: str
    since: date
    opened_by: str | None
    initiator: str | None


@dataclass(frozen=True, slots=True)
class LastContact:
    label: str
    event_id: str | None
    day: date | None  # last day of that event's date span
    days_since: int | None


def state_on(periods: Iterable[Period], channel: str, day: date) -> ChannelState | None:
    """The period of `channel` that contains `day` (None before the record starts)."""
    for p in periods:
        if p.channel == channel and p.start <= day and (p.end is None or day < p.end):
            return ChannelState(channel, p.state, p.start, p.opened_by, p.initiator)
    return None


def last_contacts(events: Sequence[Event], day: date) -> list[LastContact]:
    """The latest event of each contact kind that had started by `day`, and days since it."""
    out = []
    for label, kinds in CONTACT_KINDS.items():
        best: Event | None = None
        for e in events:
            if e.kind in kinds and e.date.first <= day:
                if best is None or e.date.sort_key > best.date.sort_key:
                    best = e
        if best is None:
            out.append(LastContact(label, None, None, None))
        else:
            end = min(best.last_day.last, day)
            out.append(LastContact(label, best.id, end, (day - end).days))
    return out


# --- engagement intensity ------------------------------------------------------------------


def _bucket(d: date, granularity: str) -> str:
    if granularity == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    return str(d.year)


def _bucket_bounds(label: str) -> tuple[date, date]:
    if "-Q" in label:
        year, q = label.split("-Q")
        start = date(int(year), 3 * (int(q) - 1) + 1, 1)
        end_month = 3 * int(q)
        end = date(int(year) + (end_month == 12), end_month % 12 + 1, 1)
        return start, end
    year_n = int(label)
    return date(year_n, 1, 1), date(year_n + 1, 1, 1)


def intensity(
    events: Sequence[Event],
    periods: Iterable[Period],
    *,
    granularity: str = "year",
    channel: str = ALL_CHANNEL,
    today: date | None = None,
) -> list[dict[str, object]]:
    """Per year (or quarter): event counts by kind family and days `channel` was suspended.

    Events are counted in the bucket of their first day; every bucket from the first to the
    last event appears, empty ones included, so the series can be drawn as is.
    """
    from tracker.vocab import FAMILY_OF_KIND, KIND_FAMILIES

    if granularity not in ("year", "quarter"):
        raise ValueError("granularity must be 'year' or 'quarter'")
    if not events:
        return []
    today = today or date.today()
    first = min(e.date.first for e in events)
    last = max(max(e.last_day.last for e in events), first)
    labels: list[str] = []
    cursor = first
    while cursor <= last:
        label = _bucket(cursor, granularity)
        if not labels or labels[-1] != label:
            labels.append(label)
        cursor = _bucket_bounds(label)[1]
    rows: dict[str, dict[str, object]] = {
        lb: {"period": lb, **dict.fromkeys(KIND_FAMILIES, 0), "days_suspended": 0} for lb in labels
    }
    for e in events:
        row = rows.get(_bucket(e.date.first, granularity))
        if row is not None:
            fam = FAMILY_OF_KIND[e.kind]
            row[fam] = int(row[fam]) + 1  # type: ignore[call-overload]
    suspended = [p for p in periods if p.channel == channel and p.state == "suspended"]
    for lb, row in rows.items():
        b_start, b_end = _bucket_bounds(lb)
        days = 0
        for p in suspended:
            start = max(p.start, b_start)
            end = min(p.end or today, b_end)
            days += max(0, (end - start).days)
        row["days_suspended"] = days
    return list(rows.values())
