"""What the page shows (tracker.timeline.view, pure): range, clipping, bands, status, words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_timeline_page import write_dataset

from tracker.api import load_valid_dataset
from tracker.query import Filters
from tracker.records import Dataset
from tracker.timeline.page import status_text
from tracker.timeline.text import duration_text, safe_url, wrap
from tracker.timeline.view import _minus, build_view, describe_filters

TODAY = date(2016, 6, 1)


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    return load_valid_dataset(write_dataset(tmp_path))


def test_range_runs_from_the_first_event_to_today(dataset: Dataset) -> None:
    v = build_view(dataset, today=TODAY)
    assert (v.start, v.end, v.as_of) == (date(2009, 11, 17), TODAY, TODAY)
    assert v.granularity == "year" and v.selection == ""


def test_filters_set_the_range_and_the_status_day(dataset: Dataset) -> None:
    f = Filters(since=date(2010, 3, 1), until=date(2010, 6, 30))
    shown = Dataset(dataset.channels, dataset.actors, [e for e in dataset.events if f.matches(e)])
    v = build_view(shown, dataset.events, filters=f, today=TODAY)
    assert (v.start, v.end, v.as_of) == (date(2010, 3, 1), date(2010, 6, 30), date(2010, 6, 30))
    assert v.granularity == "quarter"
    assert [e.id for e in v.events] == ["2010-06-visit-declined"]
    assert status_text(v) == (
        "Military-to-military contacts: suspended by the PRC since 30 Jan 2010"
    )
    (band,) = v.bands
    assert band.full and band.clip(v.start, v.end) == (date(2010, 3, 1), date(2010, 6, 30))
    assert v.selection == "from 1 Mar 2010; until 30 Jun 2010"


def test_trajectory_comes_from_every_event_not_the_selection(dataset: Dataset) -> None:
    f = Filters(kinds=("call",))
    shown = Dataset(dataset.channels, dataset.actors, [e for e in dataset.events if f.matches(e)])
    v = build_view(shown, dataset.events, filters=f, today=TODAY)
    assert [e.id for e in v.events] == ["2014-06-01-call"]
    assert v.start == date(2014, 6, 1)
    assert v.status.overall is not None
    assert v.status.overall.opened_by == "2010-12-resumption"
    assert v.bands == [], "no suspension meets 1 Jun 2014 - 1 Jun 2016"
    alone = build_view(shown, today=TODAY)  # the selection alone knows no suspension
    assert alone.status.overall is not None and alone.status.overall.opened_by is None


def test_partial_suspension_band_and_status(dataset: Dataset) -> None:
    v = build_view(dataset, today=TODAY)
    full = [b for b in v.bands if b.full]
    partial = [b for b in v.bands if not b.full]
    assert [(b.start, b.end) for b in full] == [(date(2010, 1, 30), date(2010, 12, 1))]
    assert [(b.channels, b.start, b.end, b.initiator) for b in partial] == [
        (("mmca",), date(2013, 5, 1), date(2014, 2, 3), "CN")
    ]
    during = build_view(dataset, filters=Filters(until=date(2013, 6, 1)), today=TODAY)
    assert [p.channel for p in during.status.partial] == ["mmca"]
    assert during.status.overall is not None and during.status.overall.state == "active"


def test_interval_difference() -> None:
    d = date
    holes = [(d(2001, 1, 1), d(2002, 1, 1)), (d(2005, 1, 1), None)]
    assert _minus(d(2000, 1, 1), None, holes) == [
        (d(2000, 1, 1), d(2001, 1, 1)),
        (d(2002, 1, 1), d(2005, 1, 1)),
    ]
    assert _minus(d(2001, 2, 1), d(2001, 3, 1), holes) == []
    assert _minus(d(2003, 1, 1), d(2004, 1, 1), holes) == [(d(2003, 1, 1), d(2004, 1, 1))]


def test_no_events_still_makes_a_view() -> None:
    v = build_view(Dataset(), today=TODAY)
    assert v.events == [] and v.bands == [] and v.status.overall is None
    assert status_text(v) == "Military-to-military contacts: no record yet on 1 Jun 2016"


def test_words() -> None:
    assert duration_text(date(2010, 1, 30), date(2010, 12, 10)) == "10 months"
    assert duration_text(date(1989, 6, 5), date(1993, 10, 31)) == "4 years 4 months"
    assert duration_text(date(2020, 1, 1), date(2020, 1, 10)) == "9 days"
    assert duration_text(date(2020, 1, 1), date(2022, 1, 1)) == "2 years"
    assert wrap("a <b> " * 30, 20, 2).count("<br>") == 1 and "&lt;b&gt;" in wrap("<b>")
    assert wrap("one two three four", 5, 2).endswith("two …")
    assert safe_url("https://example.org/a") == "https://example.org/a"
    for bad in ("javascript:alert(1)", "ftp://x.org", "//x.org", "http://", "data:,x", ""):
        assert safe_url(bad) is None, bad
    assert describe_filters(Filters(search="<b>")) == "text contains “<b>”"
