"""Periods, suspension episodes, status and intensity, on small hand-made event lists."""

from __future__ import annotations

from datetime import date

from tracker.dates import parse_partial_date
from tracker.records import Event, Source
from tracker.trajectory import (
    derive_periods,
    intensity,
    last_contacts,
    state_on,
    summarize_suspensions,
    suspension_episodes,
)

SRC = (Source("Example", "Example", "press", "en"),)
CHANNELS = ["all", "dct", "mmca"]


def ev(eid: str, when: str, kind: str, channels: tuple[str, ...] = (), **kw: object) -> Event:
    return Event(
        id=eid,
        date=parse_partial_date(when),
        kind=kind,
        title=eid,
        summary="s",
        sources=SRC,
        channels=channels,
        initiator=str(kw.pop("initiator", "CN" if kind in ("suspension", "resumption") else "")),
        **kw,  # type: ignore[arg-type]
    )


def suspended(periods: list, channel: str) -> list[tuple[date, date | None]]:
    return [(p.start, p.end) for p in periods if p.channel == channel and p.state == "suspended"]


def test_suspension_of_all_suspends_every_channel_until_resumed() -> None:
    events = [
        ev("2010-01-01-start", "2010-01-01", "summit"),
        ev("2010-01-30-s", "2010-01-30", "suspension", ("all",)),
        ev("2010-12-10-r", "2010-12-10", "resumption", ("all",)),
    ]
    periods = derive_periods(events, CHANNELS)
    for ch in CHANNELS:
        assert suspended(periods, ch) == [(date(2010, 1, 30), date(2010, 12, 10))]
    dct = [p for p in periods if p.channel == "dct"]
    assert [p.state for p in dct] == ["active", "suspended", "active"]
    assert dct[-1].end is None and dct[1].opened_by == "2010-01-30-s"
    assert dct[1].closed_by == "2010-12-10-r" and dct[1].initiator == "CN"


def test_partial_suspension_touches_only_its_channel() -> None:
    events = [
        ev("2022-08-05-s", "2022-08-05", "suspension", ("mmca",)),
        ev("2023-11-15-r", "2023-11-15", "resumption", ("mmca",)),
    ]
    periods = derive_periods(events, CHANNELS)
    assert suspended(periods, "mmca") == [(date(2022, 8, 5), date(2023, 11, 15))]
    assert suspended(periods, "all") == [] and suspended(periods, "dct") == []


def test_open_ended_suspension_has_no_end() -> None:
    events = [
        ev("2019-01-01-x", "2019-01-01", "summit"),
        ev("2019-12-02-s", "2019-12-02", "suspension", ("mmca",)),
    ]
    periods = derive_periods(events, CHANNELS)
    assert suspended(periods, "mmca") == [(date(2019, 12, 2), None)]
    state = state_on(periods, "mmca", date(2030, 1, 1))
    assert state is not None and state.state == "suspended" and state.since == date(2019, 12, 2)


def test_resumption_of_one_channel_inside_a_suspension_of_all() -> None:
    events = [
        ev("2008-10-06-s", "2008-10-06", "suspension", ("all",)),
        ev("2009-02-27-r", "2009-02-27", "resumption", ("dct",)),
        ev("2009-06-23-r", "2009-06-23", "resumption", ("all",)),
    ]
    periods = derive_periods(events, CHANNELS)
    assert suspended(periods, "dct") == [(date(2008, 10, 6), date(2009, 2, 27))]
    assert suspended(periods, "mmca") == [(date(2008, 10, 6), date(2009, 6, 23))]
    assert suspended(periods, "all") == [(date(2008, 10, 6), date(2009, 6, 23))]
    assert state_on(periods, "dct", date(2009, 3, 1)).state == "active"  # type: ignore[union-attr]
    assert state_on(periods, "all", date(2009, 3, 1)).state == "suspended"  # type: ignore[union-attr]


def test_overlapping_suspensions_do_not_restart_the_clock() -> None:
    events = [
        ev("1999-05-s1", "1999-05", "suspension", ("mmca",)),
        ev("1999-05-10-s2", "1999-05-10", "suspension", ("all",)),
        ev("1999-09-07-r1", "1999-09-07", "resumption", ("mmca",)),
        ev("2000-01-24-r2", "2000-01-24", "resumption", ("all",)),
    ]
    periods = derive_periods(events, CHANNELS)
    # mmca: suspended from the month-precision suspension's first day, resumed explicitly
    assert suspended(periods, "mmca") == [(date(1999, 5, 1), date(1999, 9, 7))]
    assert suspended(periods, "dct") == [(date(1999, 5, 10), date(2000, 1, 24))]
    episodes = suspension_episodes(events, periods)
    assert [(s.period.channel, s.period.opened_by) for s in episodes] == [
        ("mmca", "1999-05-s1"),
        ("all", "1999-05-10-s2"),
    ]


def test_month_precision_dates_at_period_edges() -> None:
    events = [
        ev("2010-01-s", "2010-01", "suspension", ("all",)),
        ev("2010-12-r", "2010-12~", "resumption", ("all",)),
    ]
    periods = derive_periods(events, CHANNELS)
    assert suspended(periods, "all") == [(date(2010, 1, 1), date(2010, 12, 1))]
    assert state_on(periods, "all", date(2010, 11, 30)).state == "suspended"  # type: ignore[union-attr]
    assert state_on(periods, "all", date(2010, 12, 1)).state == "active"  # type: ignore[union-attr]


def test_before_the_record_there_is_no_state() -> None:
    periods = derive_periods([ev("2010-01-30-s", "2010-01-30", "suspension", ("all",))], ["all"])
    assert state_on(periods, "all", date(2009, 1, 1)) is None
    assert derive_periods([], ["all"]) == []


def test_lag_from_trigger_and_summary() -> None:
    events = [
        ev("2010-01-29-a", "2010-01-29", "arms_sale"),
        ev("2010-01-30-s", "2010-01-30", "suspension", ("all",), responds_to=("2010-01-29-a",)),
        ev("2010-12-10-r", "2010-12-10", "resumption", ("all",)),
        ev("2022-08-02-p", "2022-08-02", "political"),
        ev("2022-08-05-s", "2022-08-05", "suspension", ("mmca",), responds_to=("2022-08-02-p",)),
    ]
    periods = derive_periods(events, CHANNELS)
    episodes = suspension_episodes(events, periods)
    assert [(s.period.channel, s.lag_days, s.triggers) for s in episodes] == [
        ("all", 1, ("2010-01-29-a",)),
        ("mmca", 3, ("2022-08-02-p",)),
    ]
    summary = summarize_suspensions(episodes, today=date(2023, 8, 5))
    assert summary["count"] == 2 and summary["ongoing"] == 1
    assert summary["longest_days"] == 365 and summary["longest"] == "2022-08-05-s"
    assert summary["median_days"] == (314 + 365) / 2
    only_dct = suspension_episodes(events, periods, "dct")
    assert [s.period.opened_by for s in only_dct] == ["2010-01-30-s"]


def test_last_contacts_and_days_since() -> None:
    events = [
        ev("2010-10-12-m", "2010-10-12", "defense_ministerial"),
        ev("2011-01-m", "2011-01", "defense_ministerial"),
        ev("2011-05-c", "2011-05-03", "call"),
    ]
    got = {lc.label: lc for lc in last_contacts(events, date(2011, 1, 15))}
    minister = got["defense ministers' meeting"]
    assert minister.event_id == "2011-01-m" and minister.days_since == 0  # month not over
    assert got["call"].event_id is None
    later = {lc.label: lc for lc in last_contacts(events, date(2011, 2, 10))}
    assert later["defense ministers' meeting"].days_since == 10


def test_intensity_counts_by_family_and_days_suspended() -> None:
    events = [
        ev("2009-11-17-s", "2009-11-17", "summit"),
        ev("2010-01-30-s", "2010-01-30", "suspension", ("all",)),
        ev("2010-06-x", "2010-06", "cancellation"),
        ev("2011-01-09-r", "2011-01-09", "resumption", ("all",)),
    ]
    periods = derive_periods(events, CHANNELS)
    rows = {r["period"]: r for r in intensity(events, periods)}
    assert list(rows) == ["2009", "2010", "2011"]
    assert rows["2009"]["leaders & ministers"] == 1
    assert rows["2010"]["friction"] == 1 and rows["2010"]["suspensions & resumptions"] == 1
    assert rows["2010"]["days_suspended"] == (date(2011, 1, 1) - date(2010, 1, 30)).days
    assert rows["2011"]["days_suspended"] == 8
    quarters = intensity(events, periods, granularity="quarter")
    assert quarters[0]["period"] == "2009-Q4" and quarters[-1]["period"] == "2011-Q1"
    assert len(quarters) == 6


def test_a_month_precision_change_never_precedes_its_trigger() -> None:
    events = [
        ev("1999-05-07-bombing", "1999-05-07", "political"),
        ev("1999-05-s", "1999-05", "suspension", ("mmca",), responds_to=("1999-05-07-bombing",)),
        ev("1999-09-07-r", "1999-09-07", "resumption", ("mmca",)),
    ]
    periods = derive_periods(events, CHANNELS)
    assert suspended(periods, "mmca") == [(date(1999, 5, 7), date(1999, 9, 7))]
    (episode,) = suspension_episodes(events, periods)
    assert episode.lag_days == 0


def test_a_channel_starts_at_its_established_date_in_the_state_of_the_day() -> None:
    from tracker.records import Channel

    events = [
        ev("2008-10-06-s", "2008-10-06", "suspension", ("all",)),
        ev("2009-06-23-r", "2009-06-23", "resumption", ("all",)),
        ev("2010-01-30-s", "2010-01-30", "suspension", ("all",)),
        ev("2010-12-10-r", "2010-12-10", "resumption", ("all",)),
    ]
    born_active = Channel("ssd", "SSD", parse_partial_date("2009-09"))
    born_suspended = Channel("late", "Late", parse_partial_date("2010-05"))
    periods = derive_periods(events, [born_active, born_suspended])
    ssd = [(p.state, p.start, p.end) for p in periods if p.channel == "ssd"]
    assert ssd == [
        ("active", date(2009, 9, 1), date(2010, 1, 30)),
        ("suspended", date(2010, 1, 30), date(2010, 12, 10)),
        ("active", date(2010, 12, 10), None),
    ]
    late = [(p.state, p.start, p.end, p.opened_by) for p in periods if p.channel == "late"]
    assert late[0] == ("suspended", date(2010, 5, 1), date(2010, 12, 10), "2010-01-30-s")
