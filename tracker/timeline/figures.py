"""Pure builders of the timeline's Plotly figures: a TimelineView in, a `go.Figure` out.

Nothing here writes files or knows about the page. Every string from the data reaching a
figure is escaped (`text.esc`, `text.wrap`, `text.event_hover`); hover templates are
constants that read `%{customdata[1]}`, and `customdata[0]` is the id the page's script uses
to open an event's details.

Three figures share one time axis (the page's script keeps their x ranges in step):
- `main_figure`: lanes by kind family, suspension bands, events as markers sized by
  significance, month/year-precision events as bars over their whole span;
- `intensity_figure`: events per year (or quarter) by family, days all contacts were suspended;
- `channel_figure`: every channel's active and suspended periods.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

from tracker.records import Event
from tracker.timeline.text import (
    FAMILY_LABELS,
    KIND_LABELS,
    WHO,
    day_text,
    duration_text,
    esc,
    event_hover,
    join_names,
    wrap,
)
from tracker.timeline.view import Band, TimelineView
from tracker.trajectory import Period
from tracker.vocab import ALL_CHANNEL, KIND_FAMILIES

GL_THRESHOLD = 5000  # from this many events on, markers are drawn with WebGL (scattergl)
DAY_MS = 86_400_000
HOVER = "%{customdata[1]}<extra></extra>"  # the one hover template of every trace

# Top lane first: the state changes, then who met, then what caused friction.
LANE_ORDER: tuple[str, ...] = (
    "suspensions & resumptions",
    "leaders & ministers",
    "military dialogue",
    "friction",
)
LANE_TICKS: dict[str, str] = {
    "suspensions & resumptions": "Suspensions &<br>resumptions",
    "leaders & ministers": "Leaders &<br>ministers",
    "military dialogue": "Military<br>dialogue",
    "friction": "Friction",
}
FAMILY_COLORS: dict[str, str] = {
    "leaders & ministers": "#1d4ed8",
    "military dialogue": "#0f766e",
    "friction": "#f29a3f",  # amber: kept apart from the red of suspended days
    "suspensions & resumptions": "#6b21a8",
}
KIND_STYLE: dict[str, tuple[str, str]] = {  # kind -> (color, marker symbol)
    "summit": ("#1e3a8a", "star"),
    "defense_ministerial": ("#3b82f6", "diamond"),
    "senior_visit": ("#0f766e", "circle"),
    "dialogue_round": ("#0891b2", "square"),
    "call": ("#14b8a6", "circle"),
    "agreement": ("#065f46", "star-diamond"),
    "exercise": ("#65a30d", "hexagon"),
    "arms_sale": ("#b45309", "diamond-tall"),
    "incident": ("#ea580c", "x"),
    "political": ("#9f1239", "circle"),
    "cancellation": ("#78716c", "square-x"),
    "suspension": ("#b91c1c", "triangle-down"),
    "resumption": ("#15803d", "triangle-up"),
}
MARKER_SIZE: dict[int | None, int] = {None: 9, 1: 8, 2: 11, 3: 16}
SPAN_THICKNESS: dict[int | None, float] = {None: 0.12, 1: 0.1, 2: 0.13, 3: 0.18}
BAND_FULL = "rgba(185, 28, 28, 0.16)"
BAND_PARTIAL = "rgba(185, 28, 28, 0.07)"
SUSPENDED = "#b91c1c"
ACTIVE = "#86c29c"
MARGIN_L, MARGIN_R = 140, 24  # the same on every chart, so that their time axes line up
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


# --- shared helpers ---------------------------------------------------------------------


def lanes() -> dict[str, float]:
    """Kind -> y position: one lane per family (top lane highest), kinds spread inside it."""
    out: dict[str, float] = {}
    for i, family in enumerate(LANE_ORDER):
        centre = len(LANE_ORDER) - 1 - i
        kinds = KIND_FAMILIES[family]
        step = 0.64 / max(len(kinds) - 1, 1)
        for j, kind in enumerate(kinds):
            offset = 0.32 - j * step if len(kinds) > 1 else 0.0
            out[kind] = round(centre + offset, 4)
    return out


def is_span(e: Event) -> bool:
    """Drawn as a bar over its span: a month/year-precision date, or a week-long event."""
    if e.date.precision != "day" or (e.end_date and e.end_date.precision != "day"):
        return True
    return (e.last_day.last - e.date.first).days >= 7


def _iso(d: date) -> str:
    return d.isoformat()


def _span_ms(start: date, end_inclusive: date) -> int:
    """Length of a bar covering start .. end_inclusive (whole days), in milliseconds."""
    return ((end_inclusive - start).days + 1) * DAY_MS


LEAD_IN_YEARS = 3  # how much time before the first suspension the opening view keeps
LEAD_IN_MAX_EVENTS = 2  # a lead-in with more events than this is shown whole


def opening_start(view: TimelineView) -> date:
    """Where the charts open: the page's start, unless a few early events (the record's
    baseline, e.g. 1980) would leave years of empty chart before the first suspension; then
    a little before that suspension. The range slider and the 'All' button still show all."""
    if not view.bands:
        return view.start
    cut = min(b.start for b in view.bands) - timedelta(days=365 * LEAD_IN_YEARS)
    early = sum(1 for e in view.events if e.date.first < cut)
    if cut > view.start and 0 < early <= LEAD_IN_MAX_EVENTS:
        return cut
    return view.start


def _full_range(view: TimelineView) -> list[str]:
    pad = max(timedelta(days=20), (view.end - view.start) * 0.015)
    return [_iso(view.start - pad), _iso(view.end + pad)]


def _x_range(view: TimelineView) -> list[str]:
    start = opening_start(view)
    pad = max(timedelta(days=20), (view.end - start) * 0.015)
    return [_iso(start - pad), _iso(view.end + pad)]


def _base_layout(view: TimelineView, height: int) -> dict[str, Any]:
    return {
        "height": height,
        "font": {"family": FONT, "size": 13, "color": "#1f2937"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {
            "bgcolor": "#ffffff",
            "bordercolor": "#9ca3af",
            "font": {"family": FONT, "size": 13, "color": "#111827"},
            "align": "left",
        },
        "xaxis": {
            "type": "date",
            "range": _x_range(view),
            "showgrid": True,
            "gridcolor": "#eef0f3",
            "linecolor": "#9ca3af",
            "ticks": "outside",
        },
        "showlegend": True,
    }


# --- the main chart -----------------------------------------------------------------------


def band_hover(band: Band, view: TimelineView) -> str:
    """What a suspension band says on hover: who, what, when, how long, why, what ended it."""
    names = view.channel_names
    if band.full:
        what = "All military-to-military contacts suspended"
    else:
        what = "Suspended: " + join_names(names.get(c, c) for c in band.channels)
    who = WHO.get(band.initiator, "")
    opener = view.by_id.get(band.opened_by or "")
    closer = view.by_id.get(band.closed_by or "")
    start = opener.date.display() if opener else day_text(band.start)
    end = (
        closer.date.display() if closer else ("ongoing" if band.end is None else day_text(band.end))
    )
    lasted = duration_text(band.start, band.end or view.as_of)
    lines = [
        f"<b>{wrap(what, 64, 3)}</b>" + (f" <b>by {esc(who)}</b>" if who else ""),
        f"{esc(start)} – {esc(end)} · {esc(lasted)}" + (" so far" if band.end is None else ""),
    ]
    for t in band.triggers:
        trig = view.by_id.get(t)
        if trig:
            lines.append(f"After: {wrap(trig.title, 64, 2)} ({esc(trig.date.display())})")
    if opener:
        lines.append(f"Began: {wrap(opener.title, 64, 2)}")
    if closer:
        lines.append(f"Ended: {wrap(closer.title, 64, 2)}")
    lines.append("<i>Click for details of the suspension</i>")
    return "<br>".join(lines)


def band_label(band: Band, view: TimelineView) -> str:
    """The short label above a band: 'PRC<br>10 mo' (partial bands: 'some channels')."""
    who = {"CN": "PRC", "US": "US"}.get(band.initiator, "")
    lasted = duration_text(band.start, band.end or view.as_of)
    lasted = lasted.replace(" years", " yr").replace(" months", " mo").replace(" month", " mo")
    if band.end is None:
        lasted += "+"
    if not band.full:
        return f"<i>some channels:</i> {esc(who)} · {esc(lasted)}".replace(":</i>  · ", ":</i> ")
    return f"<b>{esc(who)}</b><br>{esc(lasted)}" if who else esc(lasted)


PARTIAL_LABEL_DAYS = 300  # shorter partial bands stay unlabelled (their hover says it all)


def _band_traces(view: TimelineView, n_lanes: int) -> list[go.Bar]:
    traces = []
    for full in (True, False):
        rows = [(b, b.clip(view.start, view.end)) for b in view.bands if b.full is full]
        rows = [(b, c) for b, c in rows if c is not None]
        if not rows:
            continue
        traces.append(
            go.Bar(
                name="All contacts suspended" if full else "Some channels suspended",
                legendgroup="bands-full" if full else "bands-partial",
                legendrank=1 if full else 2,
                orientation="h",
                base=[_iso(c[0]) for _, c in rows],
                x=[(c[1] - c[0]).days * DAY_MS for _, c in rows],
                y=[(n_lanes - 1) / 2] * len(rows),
                width=n_lanes,
                hoverinfo="skip",  # markers inside a band keep their hover; the label has it
                marker={
                    "color": BAND_FULL if full else BAND_PARTIAL,
                    "line": {"width": 0},
                    "pattern": {"shape": "" if full else "/", "fgcolor": "rgba(185,28,28,0.25)"},
                },
            )
        )
    return traces


def _band_annotations(view: TimelineView) -> list[dict[str, Any]]:
    """A label above each band, in two alternating rows so that neighbours do not clash.

    The label carries the band's hover text (who, when, how long, why) and, as its `name`,
    the id of the event that began the suspension: clicking it opens that event's details.
    Short partial bands get a small mark instead of words.
    """
    labelled = []
    for b in view.bands:
        clipped = b.clip(view.start, view.end)
        if clipped is not None:
            labelled.append((clipped[0] + (clipped[1] - clipped[0]) / 2, clipped, b))
    labelled.sort(key=lambda t: t[0])
    notes = []
    for i, (mid, (start, end), b) in enumerate(labelled):
        short = not b.full and (end - start).days < PARTIAL_LABEL_DAYS
        notes.append(
            {
                "x": _iso(mid),
                "y": 1.0,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "yshift": 2 + (i % 2) * 28,
                "showarrow": False,
                "text": "▼" if short else band_label(b, view),
                "font": {"size": 11, "color": SUSPENDED if b.full else "#7f1d1d"},
                "align": "center",
                "hovertext": band_hover(b, view),
                "captureevents": True,
                "name": esc(b.opened_by or ""),
            }
        )
    return notes


def _event_trace(
    kind: str, events: Sequence[Event], y: float, view: TimelineView, gl: bool, validate: bool
) -> Any:
    color, symbol = KIND_STYLE[kind]
    cls = go.Scattergl if gl else go.Scatter
    return cls(
        _validate=validate,
        name=esc(KIND_LABELS[kind]),
        legendgroup=kind,
        mode="markers",
        x=[_iso(e.date.first) for e in events],
        y=[y] * len(events),
        customdata=[[e.id, event_hover(e, view.actors, compact=gl)] for e in events],
        hovertemplate=HOVER,
        marker={
            "color": color,
            "symbol": symbol,
            "size": [MARKER_SIZE.get(e.significance, 9) for e in events],
            # white rims separate a few marks; thousands of WebGL marks would drown in them
            "line": {"color": "#ffffff", "width": 0 if gl else 1},
            "opacity": 0.75 if gl else 0.92,
        },
    )


def _span_trace(
    kind: str,
    events: Sequence[Event],
    y: float,
    view: TimelineView,
    first: bool,
    validate: bool,
    compact: bool,
) -> Any:
    color, _symbol = KIND_STYLE[kind]
    return go.Bar(
        _validate=validate,
        name=esc(KIND_LABELS[kind]) + " (date known to the month or year)",
        legendgroup=kind,
        showlegend=first,
        orientation="h",
        base=[_iso(e.date.first) for e in events],
        x=[_span_ms(e.date.first, e.last_day.last) for e in events],
        y=[y] * len(events),
        width=[SPAN_THICKNESS.get(e.significance, 0.12) for e in events],
        customdata=[[e.id, event_hover(e, view.actors, compact=compact)] for e in events],
        hovertemplate=HOVER,
        marker={"color": color, "opacity": 0.45, "line": {"color": color, "width": 1.5}},
    )


def main_figure(view: TimelineView, *, gl: bool | None = None, validate: bool = True) -> go.Figure:
    """Events in lanes by kind family over time, with the suspensions as shaded bands.

    `validate=False` skips plotly.py's per-value checks (a second at 10,000 events); the page
    uses it, and a test checks that both give the same figure.
    """
    gl = len(view.events) >= GL_THRESHOLD if gl is None else gl
    ys = lanes()
    n_lanes = len(LANE_ORDER)
    traces: list[Any] = list(_band_traces(view, n_lanes))
    by_kind: dict[str, tuple[list[Event], list[Event]]] = {}
    for e in view.events:
        points, spans = by_kind.setdefault(e.kind, ([], []))
        (spans if is_span(e) else points).append(e)
    rank = 10
    for family in LANE_ORDER:
        for kind in KIND_FAMILIES[family]:
            points, spans = by_kind.get(kind, ([], []))
            if not points and not spans:
                continue
            rank += 1
            if points:
                trace = _event_trace(kind, points, ys[kind], view, gl, validate)
                trace.legendrank = rank
                traces.append(trace)
            if spans:
                trace = _span_trace(kind, spans, ys[kind], view, not points, validate, gl)
                trace.legendrank = rank
                traces.append(trace)
    layout = _base_layout(view, 640)
    shapes = [
        {
            "type": "rect",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": c - 0.5,
            "y1": c + 0.5,
            "fillcolor": "#f7f8fa",
            "line": {"width": 0},
            "layer": "below",
        }
        for c in range(0, n_lanes, 2)
    ]
    layout["xaxis"] |= {
        "rangeslider": {
            "visible": True,
            "thickness": 0.07,
            "bgcolor": "#f3f4f6",
            "range": _full_range(view),
        },
        "rangeselector": {
            "buttons": [
                {"count": 2, "label": "2 y", "step": "year", "stepmode": "backward"},
                {"count": 5, "label": "5 y", "step": "year", "stepmode": "backward"},
                {"count": 10, "label": "10 y", "step": "year", "stepmode": "backward"},
                {"label": "All", "step": "all"},
            ],
            "x": 0,
            "y": 1.17,
            "yanchor": "bottom",
            "bgcolor": "#eef0f3",
            "activecolor": "#d1d5db",
            "font": {"size": 12},
        },
    }
    layout |= {
        "barmode": "overlay",
        "hovermode": "closest",
        "hoverdistance": 12,
        "dragmode": "zoom",
        "margin": {"l": MARGIN_L, "r": MARGIN_R, "t": 118, "b": 16},
        "yaxis": {
            "range": [-0.55, n_lanes - 0.45],
            "tickvals": [n_lanes - 1 - i for i in range(n_lanes)],
            "ticktext": [LANE_TICKS[f] for f in LANE_ORDER],
            "fixedrange": True,
            "automargin": False,
            "showgrid": False,
            "zeroline": False,
            "ticks": "",
        },
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": -0.3,
            "yanchor": "top",
            "font": {"size": 12},
            "itemclick": "toggle",
            "itemdoubleclick": "toggleothers",
        },
        "shapes": shapes,
        "annotations": _band_annotations(view),
    }
    # one Figure(data=...) call: add_trace would deep-copy every trace
    return go.Figure(data=traces, layout=layout, _validate=validate)


# --- intensity -----------------------------------------------------------------------------


def _bucket_bounds(label: str) -> tuple[date, date]:
    if "-Q" in label:
        year, q = label.split("-Q")
        start = date(int(year), 3 * (int(q) - 1) + 1, 1)
        end = date(int(year) + (q == "4"), 1 if q == "4" else 3 * int(q) + 1, 1)
        return start, end
    return date(int(label), 1, 1), date(int(label) + 1, 1, 1)


def intensity_figure(view: TimelineView) -> go.Figure:
    """Events per year (or quarter) by family as stacked bars; below them, on the same time
    axis, the days of each year (or quarter) when all contacts were suspended."""
    rows = view.intensity
    bounds = [_bucket_bounds(str(r["period"])) for r in rows]
    mids = [_iso(s + (e - s) / 2) for s, e in bounds]
    widths = [(e - s).days * DAY_MS * 0.8 for s, e in bounds]
    unit = "quarter" if view.granularity == "quarter" else "year"
    fig = go.Figure()
    for family in reversed(LANE_ORDER):
        label = esc(FAMILY_LABELS[family])
        fig.add_trace(
            go.Bar(
                name=label,
                x=mids,
                y=[r[family] for r in rows],
                width=widths,
                marker={"color": FAMILY_COLORS[family], "line": {"width": 0}},
                customdata=[["", f"{label}: {r[family]}"] for r in rows],
                hovertemplate=HOVER,
            )
        )
    fig.add_trace(
        go.Bar(
            name="Days all contacts were suspended",
            x=mids,
            y=[r["days_suspended"] for r in rows],
            width=widths,
            yaxis="y2",
            marker={"color": SUSPENDED, "line": {"width": 0}},
            customdata=[
                ["", f"<b>All contacts suspended: {r['days_suspended']} days</b>"] for r in rows
            ],
            hovertemplate=HOVER,
        )
    )
    layout = _base_layout(view, 340)
    layout["xaxis"] |= {"anchor": "y2", "hoverformat": "%Y" if unit == "year" else "%Y Q%q"}
    layout |= {
        "barmode": "stack",
        "hovermode": "x unified",
        "margin": {"l": MARGIN_L, "r": MARGIN_R, "t": 30, "b": 28},
        "yaxis": {
            "domain": [0.36, 1],
            "title": {"text": f"events per {unit}", "font": {"size": 12}},
            "rangemode": "tozero",
            "gridcolor": "#eef0f3",
            "fixedrange": True,
            "automargin": False,
        },
        "yaxis2": {
            "domain": [0, 0.26],
            "title": {"text": "days<br>suspended", "font": {"size": 12, "color": SUSPENDED}},
            "range": [0, 366 if unit == "year" else 92],
            "tickvals": [0, 365] if unit == "year" else [0, 90],
            "gridcolor": "#eef0f3",
            "fixedrange": True,
            "automargin": False,
            "tickfont": {"color": SUSPENDED},
        },
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "traceorder": "reversed",
        },
    }
    fig.update_layout(layout)
    return fig


# --- channels ------------------------------------------------------------------------------


def _period_hover(p: Period, start: date, end: date, view: TimelineView) -> str:
    name = view.channel_names.get(p.channel, p.channel)
    opener = view.by_id.get(p.opened_by or "")
    closer = view.by_id.get(p.closed_by or "")
    if p.state == "suspended":
        state = "Suspended" + (f" by {esc(WHO[p.initiator])}" if p.initiator in WHO else "")
    else:
        state = "Active"
    first = opener.date.display() if opener else day_text(p.start)
    last = closer.date.display() if closer else ("today" if p.end is None else day_text(p.end))
    lines = [
        f"<b>{wrap(name, 64, 2)}</b>",
        f"{state}: {esc(first)} – {esc(last)} ({esc(duration_text(p.start, p.end or view.as_of))})",
    ]
    if opener:
        lines.append(f"Began with: {wrap(opener.title, 64, 2)}")
    if closer:
        lines.append(f"Ended with: {wrap(closer.title, 64, 2)}")
    if opener:
        lines.append("<i>Click for details</i>")
    return "<br>".join(lines)


def channel_figure(view: TimelineView) -> go.Figure:
    """One row per channel: active periods in green, suspended periods in red."""
    channels = sorted(view.channels, key=lambda c: c.id != ALL_CHANNEL)
    est = {c.id: c.established.first for c in channels if c.established}
    fig = go.Figure()
    for state, color, label in (
        ("active", ACTIVE, "Active"),
        ("suspended", SUSPENDED, "Suspended"),
    ):
        rows: list[tuple[Period, date, date]] = []
        for p in view.periods:
            if p.state != state:
                continue
            lo = max(view.start, est.get(p.channel, view.start))
            hi = min(view.end, view.as_of)
            start, end = max(p.start, lo), min(p.end or hi, hi)
            if end > start:
                rows.append((p, start, end))
        fig.add_trace(
            go.Bar(
                name=label,
                orientation="h",
                base=[_iso(s) for _, s, _ in rows],
                x=[(e - s).days * DAY_MS for _, s, e in rows],
                y=[esc(p.channel) for p, _, _ in rows],
                width=0.62,
                marker={"color": color, "line": {"width": 0}},
                customdata=[[p.opened_by or "", _period_hover(p, s, e, view)] for p, s, e in rows],
                hovertemplate=HOVER,
            )
        )
    layout = _base_layout(view, 80 + 34 * len(channels))
    layout |= {
        "barmode": "overlay",
        "hovermode": "closest",
        "margin": {"l": MARGIN_L, "r": MARGIN_R, "t": 30, "b": 28},
        "yaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [esc(c.id) for c in channels],
            "tickvals": [esc(c.id) for c in channels],
            "ticktext": [channel_tick(c.id, c.name) for c in channels],
            "tickfont": {"size": 11},
            "automargin": False,
            "autorange": "reversed",
            "fixedrange": True,
        },
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    }
    fig.update_layout(layout)
    return fig


def channel_tick(channel_id: str, name: str, width: int = 21) -> str:
    """A channel's name as an escaped axis label of at most two short lines; a trailing
    abbreviation such as '(DPCT)' is kept when the name has to be cut."""
    if channel_id == ALL_CHANNEL:
        return "<b>All contacts</b>"
    lines = textwrap.wrap(name, width) or [channel_id]
    if len(lines) > 2:
        stem, _, abbr = name.rpartition(" (")
        tail = f" ({abbr}" if stem and abbr.endswith(")") and len(abbr) < 12 else ""
        lines = textwrap.wrap(stem if tail else name, width)
        lines = [lines[0], lines[1][: width - 1 - len(tail)].rstrip() + "…" + tail]
    return "<br>".join(esc(line) for line in lines)
