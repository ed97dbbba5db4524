"""Figure builders, tested on `fig.to_dict()`: lanes, bands from periods, spans for partial
dates, marker sizes, escaped text, WebGL above the threshold, intensity and channel rows."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_timeline_page import HOSTILE, HOSTILE_ID, PWN, write_dataset

from tracker.api import load_valid_dataset
from tracker.dates import parse_partial_date
from tracker.records import Dataset, Event, Source
from tracker.timeline.figures import (
    DAY_MS,
    GL_THRESHOLD,
    MARKER_SIZE,
    channel_figure,
    channel_tick,
    intensity_figure,
    is_span,
    lanes,
    main_figure,
)
from tracker.timeline.view import TimelineView, build_view

TODAY = date(2016, 6, 1)  # a range of more than six years: counts per year


@pytest.fixture
def view(tmp_path: Path) -> TimelineView:
    return build_view(load_valid_dataset(write_dataset(tmp_path)), today=TODAY)


@pytest.fixture
def hostile_view(tmp_path: Path) -> TimelineView:
    return build_view(load_valid_dataset(write_dataset(tmp_path, hostile=True)), today=TODAY)


def traces(fig: Any) -> list[dict[str, Any]]:
    return fig.to_dict()["data"]


def ids_of(trace: dict[str, Any]) -> list[str]:
    return [cd[0] for cd in trace.get("customdata", [])]


def is_band(trace: dict[str, Any]) -> bool:
    return trace["name"] in ("All contacts suspended", "Some channels suspended")


def trace_of(fig: Any, event_id: str) -> dict[str, Any]:
    (found,) = [t for t in traces(fig) if event_id in ids_of(t) and not is_band(t)]
    return found


# --- lanes ---------------------------------------------------------------------------------


def test_lanes_by_kind_family_top_to_bottom() -> None:
    y = lanes()
    assert y["suspension"] > y["summit"] > y["senior_visit"] > y["arms_sale"]
    assert round(y["suspension"]) == round(y["resumption"]) == 3
    assert {round(y[k]) for k in ("arms_sale", "incident", "political", "cancellation")} == {0}
    assert len(set(y.values())) == len(y), "each kind has its own row inside its lane"


def test_every_event_is_drawn_once_in_its_lane(view: TimelineView) -> None:
    fig = main_figure(view)
    drawn = [i for t in traces(fig) if not is_band(t) for i in ids_of(t)]
    assert sorted(drawn) == sorted(e.id for e in view.events)
    for e in view.events:
        t = trace_of(fig, e.id)
        assert set(t["y"]) == {lanes()[e.kind]}, e.id
    layout = fig.to_dict()["layout"]
    assert layout["yaxis"]["ticktext"][0].startswith("Suspensions")
    assert layout["xaxis"]["rangeslider"]["visible"] is True
    assert [b["label"] for b in layout["xaxis"]["rangeselector"]["buttons"]][-1] == "All"


def test_legend_toggles_kinds_with_their_spans(view: TimelineView) -> None:
    fig = main_figure(view)
    by_group: dict[str, list[dict[str, Any]]] = {}
    for t in traces(fig):
        by_group.setdefault(t["legendgroup"], []).append(t)
    assert {"suspension", "resumption", "exercise", "cancellation"} <= set(by_group)
    for group in by_group.values():
        assert sum(t.get("showlegend", True) for t in group) == 1


def test_markers_sized_by_significance(view: TimelineView) -> None:
    fig = main_figure(view)
    t = trace_of(fig, "2010-01-30-prc-suspends")
    i = ids_of(t).index("2010-01-30-prc-suspends")
    assert t["type"] == "scatter" and t["marker"]["size"][i] == MARKER_SIZE[3]
    call = trace_of(fig, "2014-06-01-call")
    assert call["marker"]["size"][0] == MARKER_SIZE[1] < MARKER_SIZE[3]


# --- spans for partial dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_id", "first", "days"),
    [("2010-06-visit-declined", "2010-06-01", 30), ("2012-exercise", "2012-01-01", 366),
     ("2010-12-resumption", "2010-12-01", 31)],
)  # fmt: skip
def test_month_and_year_dates_are_bars_over_their_span(
    view: TimelineView, event_id: str, first: str, days: int
) -> None:
    t = trace_of(main_figure(view), event_id)
    i = ids_of(t).index(event_id)
    assert t["type"] == "bar" and t["orientation"] == "h"
    assert t["base"][i] == first and t["x"][i] == days * DAY_MS
    assert "day not known" in t["customdata"][i][1] or "month not known" in t["customdata"][i][1]


def test_day_dates_are_points_even_with_a_short_end(view: TimelineView) -> None:
    t = trace_of(main_figure(view), "2011-01-09-visit-beijing")
    assert t["type"] == "scatter" and t["x"] == ["2011-01-09"]
    assert "9 Jan 2011 – 12 Jan 2011" in t["customdata"][0][1]


def test_is_span_rules() -> None:
    base = Event("x-a", parse_partial_date("2010-01-01"), "call", "t", "s", ())
    assert not is_span(base)
    assert is_span(replace(base, date=parse_partial_date("2010-01")))
    assert is_span(replace(base, end_date=parse_partial_date("2010-02")))
    assert is_span(replace(base, end_date=parse_partial_date("2010-01-08")))
    assert not is_span(replace(base, end_date=parse_partial_date("2010-01-07")))


# --- bands from periods --------------------------------------------------------------------


def test_bands_from_periods(view: TimelineView) -> None:
    fig = main_figure(view)
    (full,) = [t for t in traces(fig) if t["name"] == "All contacts suspended"]
    assert full["base"] == ["2010-01-30"]
    assert full["x"] == [(date(2010, 12, 1) - date(2010, 1, 30)).days * DAY_MS]
    assert full["width"] == 4 and full["hoverinfo"] == "skip", "markers inside keep their hover"
    notes = fig.to_dict()["layout"]["annotations"]
    (label,) = [a for a in notes if a["name"] == "2010-01-30-prc-suspends"]
    assert label["text"] == "<b>PRC</b><br>10 mo" and label["captureevents"] is True
    hover = label["hovertext"]
    assert "All military-to-military contacts suspended" in hover and "by the PRC" in hover
    assert "After: Arms package notified (29 Jan 2010)" in hover and "10 months" in hover
    (partial,) = [t for t in traces(fig) if t["name"] == "Some channels suspended"]
    assert partial["base"] == ["2013-05-01"]
    assert partial["x"] == [(date(2014, 2, 3) - date(2013, 5, 1)).days * DAY_MS]
    (plabel,) = [a for a in notes if a["name"] == "2013-05-01-mmca-suspended"]
    assert "Military Maritime Consultative Agreement talks (MMCA)" in plabel["hovertext"]
    assert plabel["text"] == "▼", "a partial band shorter than PARTIAL_LABEL_DAYS gets a mark"
    assert partial["marker"]["color"] != full["marker"]["color"]


def test_bands_clipped_to_the_range(tmp_path: Path) -> None:
    from tracker.query import Filters

    ds = load_valid_dataset(write_dataset(tmp_path))
    v = build_view(ds, filters=Filters(since=date(2010, 6, 1)), today=TODAY)
    fig = main_figure(v)
    (full,) = [t for t in traces(fig) if t["name"] == "All contacts suspended"]
    assert full["base"] == ["2010-06-01"]
    (label,) = [a for a in fig.to_dict()["layout"]["annotations"] if "10 mo" in a["text"]]
    assert "30 Jan 2010 – c. Dec 2010" in label["hovertext"], "hover keeps the true dates"


# --- escaping ------------------------------------------------------------------------------


def test_figures_carry_only_escaped_text(hostile_view: TimelineView) -> None:
    figs = [main_figure(hostile_view), intensity_figure(hostile_view), channel_figure(hostile_view)]
    dump = json.dumps([f.to_dict() for f in figs], ensure_ascii=False)
    for raw in [PWN, "<img", "<svg", "<iframe", "<b style", "<a href"]:
        assert raw not in dump, raw
    t = trace_of(figs[0], HOSTILE_ID)
    hover = t["customdata"][0][1]
    assert hover.startswith("<b>&lt;script&gt;window.__pwned=1&lt;/script&gt;</b>")
    assert "&lt;b style=&quot;color:red&quot;&gt;Evil&lt;/b&gt;" in hover
    assert all(
        t["hovertemplate"] == "%{customdata[1]}<extra></extra>"
        for t in traces(figs[0])
        if t.get("hoverinfo") != "skip"
    )
    ticks = figs[2].to_dict()["layout"]["yaxis"]["ticktext"]
    assert any(tick.startswith("&lt;svg/onload=") for tick in ticks)
    assert HOSTILE["channel"] not in dump


def test_channel_tick_keeps_the_abbreviation() -> None:
    assert channel_tick("all", "anything") == "<b>All contacts</b>"
    assert channel_tick("dpct", "Defense Policy Coordination Talks (DPCT)").endswith("(DPCT)")
    assert channel_tick("x", "A & B") == "A &amp; B"


# --- WebGL at scale ------------------------------------------------------------------------


def _many(n: int) -> Dataset:
    src = (Source("P", "T", "press", "en"),)
    start = date(1990, 1, 1)
    evs = [
        Event(
            f"{(start + timedelta(days=i)).isoformat()}-e{i}",
            parse_partial_date((start + timedelta(days=i)).isoformat()),
            ("call", "summit", "incident")[i % 3],
            f"Event {i}",
            "Summary.",
            src,
        )
        for i in range(n)
    ]
    return Dataset(events=evs)


def test_scattergl_from_the_threshold() -> None:
    small = main_figure(build_view(_many(50), today=TODAY))
    assert {t["type"] for t in traces(small)} == {"scatter"}
    big = main_figure(build_view(_many(GL_THRESHOLD), today=TODAY))
    assert {t["type"] for t in traces(big)} == {"scattergl"}
    assert sum(len(t["x"]) for t in traces(big)) == GL_THRESHOLD


# --- intensity and channels ---------------------------------------------------------------


def test_intensity_counts_and_days_suspended(view: TimelineView) -> None:
    fig = intensity_figure(view)
    data = {t["name"]: t for t in traces(fig)}
    years = [x[:4] for x in data["Friction"]["x"]]
    assert years == [str(y) for y in range(2009, 2015)]
    assert data["Friction"]["y"][years.index("2010")] == 2  # arms sale + cancellation
    assert data["Suspensions &amp; resumptions"]["y"][years.index("2013")] == 1
    days = data["Days all contacts were suspended"]
    assert days["yaxis"] == "y2"
    assert days["y"][years.index("2010")] == (date(2010, 12, 1) - date(2010, 1, 30)).days
    assert days["y"][years.index("2013")] == 0
    assert (
        fig.to_dict()["layout"]["xaxis"]["range"]
        == main_figure(view).to_dict()["layout"]["xaxis"]["range"]
    ), "the same time axis"


def test_channel_rows_active_and_suspended(view: TimelineView) -> None:
    fig = channel_figure(view)
    data = {t["name"]: t for t in traces(fig)}
    sus = data["Suspended"]
    rows = list(zip(sus["y"], sus["base"], strict=True))
    assert ("mmca", "2013-05-01") in rows and ("all", "2010-01-30") in rows
    assert ("dct", "2010-01-30") in rows
    act = data["Active"]
    dct = [b for y, b in zip(act["y"], act["base"], strict=True) if y == "dct"]
    assert dct[0] == "2009-11-17", "starts with the record (established 1997 is earlier)"
    assert fig.to_dict()["layout"]["yaxis"]["categoryarray"][0] == "all"


def test_unvalidated_main_figure_is_the_same_figure(view: TimelineView) -> None:
    """The page skips plotly.py's validation for speed; the figure must not change."""
    assert main_figure(view, validate=False).to_dict() == main_figure(view).to_dict()


def test_no_events_still_draws_empty_figures() -> None:
    empty = build_view(Dataset(), today=TODAY)
    for build in (main_figure, intensity_figure, channel_figure):
        fig = build(empty)
        assert all(len(t.get("x", [])) == 0 for t in traces(fig))


def test_a_lone_early_baseline_does_not_open_the_chart_on_empty_years(tmp_path: Path) -> None:
    from test_timeline_page import events

    baseline = {
        "id": "1980-01-first-visit", "date": "1980-01", "kind": "defense_ministerial",
        "title": "First visit", "summary": "A visit.",
        "sources": [{"publisher": "P", "title": "T", "type": "press", "language": "en"}],
    }  # fmt: skip
    v = build_view(
        load_valid_dataset(write_dataset(tmp_path, evs=[baseline, *events()])), today=TODAY
    )
    layout = main_figure(v).to_dict()["layout"]["xaxis"]
    first_band = min(b.start for b in v.bands)  # 30 Jan 2010
    opened = date.fromisoformat(layout["range"][0])
    assert first_band - timedelta(days=4 * 365) < opened < first_band - timedelta(days=2 * 365)
    assert date.fromisoformat(layout["rangeslider"]["range"][0]) < date(1980, 1, 1)
    # without the baseline the chart opens on its first event, as before
    plain = build_view(load_valid_dataset(write_dataset(tmp_path / "p")), today=TODAY)
    plain_axis = main_figure(plain).to_dict()["layout"]["xaxis"]
    assert plain_axis["range"] == plain_axis["rangeslider"]["range"]
