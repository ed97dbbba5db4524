"""The timeline page: escape every data string, fill our own template, write the file.

Safety (reliability.md, HTML): the page is our template, not Plotly's. Every text from the
data is `html.escape`d here (or in `figures` before it reaches Plotly). Figures travel to the
browser as one JSON blob (`<script type="application/json">`, with `<`, `>` and `&` escaped
as `\\u003c` etc.), read by one constant script (`templates/page.js`) that passes a constant
Plotly `config`: no data ever sits in executable script text, `config`, `div_id` or
`post_script`. Departure from "render with to_html(full_html=False)": the figures go through
`fig.to_plotly_json()` instead, so that every script on the page is a constant whose hash the
page's Content-Security-Policy pins; a payload that slipped through escaping still could not
run. Links are written only for http(s) addresses; the page makes no network request unless
`--plotlyjs cdn` is asked for.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import statistics
import tempfile
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from tracker import __version__
from tracker.problems import UsageError
from tracker.records import Event
from tracker.timeline.text import (
    KIND_LABELS,
    SOURCE_TYPE_LABELS,
    WHO,
    WHO_SHORT,
    actor_label,
    day_text,
    duration_text,
    esc,
    join_names,
    length_text,
    precision_note,
    safe_url,
)
from tracker.timeline.view import Band, TimelineView
from tracker.vocab import ALL_CHANNEL, FAMILY_OF_KIND

PLOTLYJS_MODES: tuple[str, ...] = ("inline", "directory", "cdn")
PLOTLYJS_FILE = "plotly.min.js"
FAMILY_CLASS = {
    "leaders & ministers": "fam-leaders",
    "military dialogue": "fam-dialogue",
    "friction": "fam-friction",
    "suspensions & resumptions": "fam-change",
}


@dataclass(frozen=True, slots=True)
class PageResult:
    path: Path
    bytes: int
    events: int
    start: date
    end: date
    status: str  # the status line, plain text
    webgl: bool
    extra_files: tuple[Path, ...] = ()


# --- template and static files ----------------------------------------------------------


@lru_cache(maxsize=8)
def _template_file(name: str) -> str:
    return resources.files("tracker.timeline").joinpath("templates", name).read_text("utf-8")


@lru_cache(maxsize=1)
def _plotlyjs() -> tuple[str, str]:
    """plotly.js bundled with plotly.py (no network) and its version."""
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    return get_plotlyjs(), get_plotlyjs_version()


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=4)
def _plotlyjs_hash() -> str:
    return _sha256(_plotlyjs()[0])


def embed_json(obj: Any) -> str:
    """JSON safe inside a <script type="application/json"> element: no `<`, `>`, `&` left."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- words ------------------------------------------------------------------------------


def _since(view: TimelineView, event_id: str | None, day: date) -> str:
    """When a period began, at the precision of the event that began it."""
    e = view.by_id.get(event_id or "")
    return e.date.display() if e else day_text(day)


def status_text(view: TimelineView) -> str:
    """The status line in plain text: 'Military-to-military contacts: suspended by the PRC
    since 30 Jan 2010' / '... active since 10 Dec 2010'."""
    st = view.status.overall
    head = "Military-to-military contacts: "
    if st is None:
        return head + f"no record yet on {day_text(view.as_of)}"
    if st.state == "suspended":
        who = WHO.get(st.initiator or "", "")
        by = f" by {who}" if who else ""
        return head + f"suspended{by} since {_since(view, st.opened_by, st.since)}"
    if st.opened_by is None:
        return head + f"active since the record begins ({day_text(st.since)})"
    return head + f"active since {_since(view, st.opened_by, st.since)}"


def _event_link(view: TimelineView, event_id: str | None, shown: set[str]) -> str:
    """The event's title, linked to its row when the page shows it (escaped)."""
    e = view.by_id.get(event_id or "")
    if e is None:
        return ""
    if e.id in shown:
        return f'<a href="#{esc(e.id)}">{esc(e.title)}</a>'
    return esc(e.title)


def status_html(view: TimelineView, shown: set[str]) -> str:
    st = view.status.overall
    state = st.state if st else "unknown"
    opener = _event_link(view, st.opened_by, shown) if st else ""
    line = (
        f'<p class="status status-{state}" role="status"><strong>{esc(status_text(view))}'
        f'</strong> <span class="as-of">as of {esc(day_text(view.as_of))}'
        + (f" · {opener}" if opener else "")
        + "</span></p>"
    )
    if not view.status.partial:
        return line
    names = view.channel_names
    items = []
    for p in view.status.partial:
        who = WHO.get(p.initiator or "", "")
        items.append(
            f"<li>But {esc(names.get(p.channel, p.channel))}: suspended"
            + (f" by {esc(who)}" if who else "")
            + f" since {esc(_since(view, p.opened_by, p.since))}</li>"
        )
    return line + '\n    <ul class="status-partial">' + "".join(items) + "</ul>"


def _built(stamp: str) -> str:
    """'2026-11-28T00:35:07Z' -> '28 Nov 2026, 00:35 UTC' (text kept as is if unparsable)."""
    try:
        dt = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    zone = "UTC" if dt.utcoffset() is not None and not dt.utcoffset() else dt.strftime("%z")
    return f"{day_text(dt.date())}, {dt:%H:%M} {zone}".strip()


def _full_bands(view: TimelineView) -> list[tuple[Band, date, date]]:
    out = []
    for b in view.bands:
        clipped = b.clip(view.start, view.end)
        if b.full and clipped:
            out.append((b, *clipped))
    return out


def facts_html(view: TimelineView) -> str:
    total = len(view.by_id)
    shown = len(view.events)
    facts = [
        ("Period shown", f"{day_text(view.start)} – {day_text(view.end)}"),
        ("Events", f"{shown:,}" if shown == total else f"{shown:,} of {total:,}"),
    ]
    full = _full_bands(view)
    if full:
        days = sum((e - s).days for _, s, e in full)
        facts.append(
            (
                "Suspensions of all contacts",
                f"{len(full)} · {length_text(days)} in all",
            )
        )
    version = view.content_hash[:12] or "unknown"
    updated = f" · updated {_built(view.built_at)}" if view.built_at else ""
    rows = [f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in facts]
    rows.append(
        f"<div><dt>Dataset</dt><dd>version <code>{esc(version)}</code>{esc(updated)}</dd></div>"
    )
    if view.selection:
        rows.append(f"<div><dt>Selection</dt><dd>{esc(view.selection)}</dd></div>")
    return "\n".join("      " + r for r in rows)


def lede_html() -> str:
    return (
        "Each mark is one event, in four lanes: suspensions and resumptions of contacts at "
        "the top, then meetings of leaders and defense ministers, military dialogue, and "
        "friction (arms sales to Taiwan, incidents, political triggers, cancellations). "
        "Larger marks mattered more. "
        '<span class="key"><span class="swatch swatch-full"></span>Red bands:</span> all '
        "military-to-military contacts suspended; "
        '<span class="key"><span class="swatch swatch-partial"></span>light hatched bands:</span> '
        "only some channels suspended. "
        '<span class="key"><span class="swatch swatch-span"></span>Bars:</span> events known '
        "only to the month or year, drawn over that whole month or year. "
        "Hover over a mark for the event, click it for its details and sources; drag to zoom, "
        "double-click to reset; click a kind in the legend to hide or show it."
    )


# --- suspensions table --------------------------------------------------------------------


def suspensions_html(view: TimelineView) -> str:
    shown = {e.id for e in view.events}
    names = view.channel_names
    full = _full_bands(view)
    bands = [(b, b.clip(view.start, view.end)) for b in view.bands]
    if not bands:
        return (
            '    <p class="lede">No suspension of contacts overlaps the period shown '
            f"({esc(day_text(view.start))} – {esc(day_text(view.end))}).</p>"
        )
    parts = ['    <p class="lede">' + _suspension_summary(view, full) + "</p>"]
    rows = []
    bands = _whole_suspensions(view, bands)
    longest = max(((b.end or view.as_of) - b.start).days for b, _ in bands) or 1
    for b, _clip in bands:
        opener = view.by_id.get(b.opened_by or "")
        closer = view.by_id.get(b.closed_by or "")
        began = _since(view, b.opened_by, b.start)
        what = (
            '<span class="tag tag-full">All contacts</span>'
            if b.full
            else '<span class="tag tag-partial">Some channels</span> '
            + esc(join_names(names.get(c, c) for c in b.channels))
        )
        triggers = [
            f"{_event_link(view, t, shown)} ({esc(view.by_id[t].date.display())})"
            for t in b.triggers
            if t in view.by_id
        ]
        if closer is not None:
            ended = f"{esc(closer.date.display())}: {_event_link(view, closer.id, shown)}"
        elif b.end is None:
            ended = '<span class="ongoing">not yet</span>'
        else:
            ended = esc(day_text(b.end)) + " (when all contacts were suspended)"
        lasted = duration_text(b.start, b.end or view.as_of) + (" so far" if b.end is None else "")
        share = 100 * ((b.end or view.as_of) - b.start).days / longest
        bar = f'<span class="dur-bar" style="width: {max(share, 1):.0f}%"></span>'
        opener_cell = _event_link(view, b.opened_by, shown) if opener else ""
        rows.append(
            f'<tr class="{"full-row" if b.full else "partial-row"}">'
            f'<th scope="row">{esc(began)}</th>'
            f'<td class="who">{esc(WHO_SHORT.get(b.initiator, "?"))}</td>'
            f"<td>{what}{'<br>' + opener_cell if opener_cell else ''}</td>"
            f"<td>{'<br>'.join(triggers) or '—'}</td>"
            f"<td>{ended}</td>"
            f'<td class="dur">{esc(lasted)}{bar}</td></tr>'
        )
    parts.append(
        '    <div class="table-wrap" role="region" aria-labelledby="susp-caption" tabindex="0">'
        '<table class="suspensions"><caption id="susp-caption">Suspensions that overlap the '
        "period shown, oldest first; the chart's red bands are the suspensions of all "
        "contacts.</caption><thead><tr>"
        '<th scope="col">Suspended</th><th scope="col">By</th><th scope="col">What</th>'
        '<th scope="col">After (the trigger)</th><th scope="col">Resumed</th>'
        '<th scope="col">Lasted</th></tr></thead><tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table></div>"
    )
    return "\n".join(parts)


def _whole_suspensions(
    view: TimelineView, bands: list[tuple[Band, tuple[date, date] | None]]
) -> list[tuple[Band, tuple[date, date] | None]]:
    """The table lists each suspension once, as it really ran: a partial band that the chart
    cut around a suspension of all contacts gets back its true end and the event that ended
    it (a channel can resume while all contacts are still suspended)."""
    out: list[tuple[Band, tuple[date, date] | None]] = []
    seen: set[tuple[object, ...]] = set()
    for b, clip in bands:
        if not b.full:
            key = (b.opened_by, b.channels)
            if key in seen:
                continue
            seen.add(key)
            true = [
                p
                for p in view.periods
                if p.state == "suspended" and p.opened_by == b.opened_by and p.channel in b.channels
            ]
            if true:
                p = true[0]
                b = replace(b, start=p.start, end=p.end, closed_by=p.closed_by)
        out.append((b, clip))
    return out


def _suspension_summary(view: TimelineView, full: list[tuple[Band, date, date]]) -> str:
    span = f"Between {day_text(view.start)} and {day_text(view.end)}"
    if not full:
        return esc(f"{span}, contacts as a whole were never suspended; some channels were.")
    lengths = [(b.end or view.as_of) - b.start for b, _, _ in full]
    longest_band, _, _ = max(full, key=lambda t: (t[0].end or view.as_of) - t[0].start)
    total = sum((e - s).days for _, s, e in full)
    n = len(full)
    text = (
        f"{span}, military-to-military contacts as a whole were suspended "
        f"{'once' if n == 1 else f'{n} times'}, "
        f"{length_text(total)} in all"
    )
    if n > 1:
        median = statistics.median(d.days for d in lengths)
        lb = longest_band
        text += (
            f"; the longest, by {WHO.get(lb.initiator, 'one side')} from "
            f"{_since(view, lb.opened_by, lb.start)}, lasted "
            f"{duration_text(lb.start, lb.end or view.as_of)}, and half lasted "
            f"{length_text(int(median))} or less"
        )
    return esc(text + ". Below, each suspension with its trigger and what ended it.")


# --- the table of events ------------------------------------------------------------------


def _time(pd: Any) -> str:
    return f'<time datetime="{esc(pd.text.rstrip("~?"))}">{esc(pd.display())}</time>'


def event_row(e: Event, view: TimelineView, shown: set[str]) -> str:
    """One <tr> of the table of all events. Its id is the event's id, and its date links to
    itself (the permalink). Kept lean: at 100,000 events every byte here counts 100,000 times;
    the columns are styled by position (page.css) and labelled from <thead> (page.js)."""
    eid = esc(e.id)
    when = _time(e.date) + (f" – {_time(e.end_date)}" if e.end_date else "")
    note = precision_note(e)
    date_cell = f'<a href="#{eid}">{when}</a>' + (f"<small>{esc(note)}</small>" if note else "")
    family = FAMILY_OF_KIND.get(e.kind, "")
    label = esc(KIND_LABELS.get(e.kind, e.kind))
    kind = f'<span class="kind {FAMILY_CLASS.get(family, "")}">{label}</span>'
    meta = []
    if e.location:
        meta.append("In " + esc(e.location))
    if e.channels:
        names = view.channel_names
        chans = ("all contacts" if c == ALL_CHANNEL else names.get(c, c) for c in e.channels)
        meta.append("Channels: " + esc(", ".join(chans)))
    if e.initiator and e.kind in ("suspension", "resumption"):
        verb = "Suspended by" if e.kind == "suspension" else "Agreed by"
        meta.append(f"{verb} {esc(WHO.get(e.initiator, e.initiator))}")
    links = [_event_link(view, t, shown) for t in e.responds_to if t in view.by_id]
    if links:
        meta.append("Responds to: " + "; ".join(links))
    event_cell = f"<strong>{esc(e.title)}</strong><p>{esc(e.summary)}</p>" + (
        f'<p class="m">{" · ".join(meta)}</p>' if meta else ""
    )
    people = "".join(
        f"<li>{esc(actor_label(view.actors.get(p.actor), p.actor, p.role))}</li>"
        for p in e.participants
    )
    sources = []
    for s in e.sources:
        label = esc(f"{s.publisher}: {s.title}")
        url = safe_url(s.url)
        link = f'<a href="{esc(url)}">{label}</a>' if url else label
        bits = [s.published.display()] if s.published else []
        bits += [SOURCE_TYPE_LABELS.get(s.type, s.type), s.language]
        sources.append(f"<li>{link} <small>{esc(' · '.join(bits))}</small></li>")
    return (
        f'<tr id="{eid}" class="event k-{esc(e.kind)}"><td>{date_cell}</td><td>{kind}</td>'
        f'<th scope="row">{event_cell}</th><td>{f"<ul>{people}</ul>" if people else "—"}</td>'
        f"<td><ul>{''.join(sources)}</ul></td></tr>"
    )


def footer_html(view: TimelineView) -> str:
    plotly_version = _plotlyjs()[1]
    built = f"database built {_built(view.built_at)}; " if view.built_at else ""
    return (
        "<p>Dataset content hash (SHA-256 of events.yaml): "
        f"<code>{esc(view.content_hash or 'unknown')}</code><br>"
        f"{esc(built)}page generated {esc(_built(view.generated_at))} by tracker "
        f"{esc(__version__)} with plotly.js {esc(plotly_version)}.</p>"
        "<p>Every event has at least one source; dates are shown at the precision the "
        "sources support (a month or a year when the day is not known). Periods are derived "
        "from the recorded suspensions and resumptions.</p>"
    )


# --- the whole page -----------------------------------------------------------------------


def _csp(plotlyjs: str, app_js: str, webgl: bool) -> str:
    """Only our two scripts may run (pinned by hash), nothing may be fetched or sent.

    WebGL traces need 'unsafe-eval' (plotly.js compiles its shaders' glue code with
    `new Function`; without it the chart says "WebGL is not supported"), so pages drawn with
    WebGL allow it; it lets those scripts evaluate strings, not new scripts run."""
    scripts = [_sha256(app_js)] + (["'unsafe-eval'"] if webgl else [])
    if plotlyjs == "inline":
        scripts.insert(0, _plotlyjs_hash())
    elif plotlyjs == "cdn":
        scripts.insert(0, "https://cdn.plot.ly")
    else:
        scripts.insert(0, "'self'")
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(scripts),
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "font-src data:",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _plotlyjs_tag(mode: str) -> str:
    js, version = _plotlyjs()
    if mode == "inline":
        return f"<script>{js}</script>"
    if mode == "cdn":
        return f'<script src="https://cdn.plot.ly/plotly-{esc(version)}.min.js"></script>'
    return f'<script src="{PLOTLYJS_FILE}"></script>'


def figure_dicts(view: TimelineView) -> dict[str, Any]:
    """The three figures as plain dicts (data + layout), ready for the JSON blob."""
    from tracker.timeline.figures import channel_figure, intensity_figure, main_figure

    figs = {
        "main": main_figure(view, validate=False),
        "intensity": intensity_figure(view),
        "channels": channel_figure(view),
    }
    out = {}
    for name, fig in figs.items():
        d = fig.to_plotly_json()
        out[name] = {"data": d["data"], "layout": d["layout"]}
    return out


def render_page(view: TimelineView, *, plotlyjs: str = "inline") -> str:
    """The whole HTML page as text."""
    if plotlyjs not in PLOTLYJS_MODES:
        raise UsageError(
            f"--plotlyjs: {plotlyjs!r} is not a mode; use one of: {', '.join(PLOTLYJS_MODES)}"
        )
    from tracker.timeline.figures import GL_THRESHOLD

    shown = {e.id for e in view.events}
    app_js = _template_file("page.js")
    n = len(view.events)
    unit = "quarter" if view.granularity == "quarter" else "year"
    values = {
        "csp": esc(_csp(plotlyjs, app_js, n >= GL_THRESHOLD)),
        "generator": esc(f"tracker {__version__}"),
        "title": esc(view.title),
        "css": _template_file("page.css"),
        "plotlyjs": _plotlyjs_tag(plotlyjs),
        "kicker": esc(
            f"Start, stop, restart · {n:,} event{'s' if n != 1 else ''} · "
            f"{day_text(view.start)} – {day_text(view.end)}"
        ),
        "status": status_html(view, shown),
        "facts": facts_html(view),
        "lede": lede_html(),
        "suspensions": suspensions_html(view),
        "intensity_heading": esc(f"Engagement and suspension, {unit} by {unit}"),
        "intensity_lede": esc(
            f"Bars count the events of each family per {unit}, stacked; the red bars below "
            f"count the days of that {unit} when all military contacts were suspended."
        ),
        "channels_lede": esc(
            "Each dialogue mechanism's periods: green while active, red while suspended. A "
            "suspension of all contacts suspends every channel; a channel can resume before "
            "contacts as a whole. Channels start at their establishment date when it is known."
        ),
        "table_lede": (
            "Every event shown above, oldest first, with its sources. Each date links to its "
            "row: copy that link to point someone at one event (the page opens there, even "
            "from an e-mail attachment)."
        ),
        "caption": esc(
            f"{n:,} event{'s' if n != 1 else ''}, {day_text(view.start)} – "
            f"{day_text(view.end)}: date (at the precision the sources support), kind, "
            "title and summary, participants, and sources."
        ),
        "rows": "\n".join(event_row(e, view, shown) for e in view.events),
        "table_height": f"{120 + 150 * n}px",  # a guess until the table is first laid out
        "footer": footer_html(view),
        "figures": embed_json(figure_dicts(view)),
        "js": app_js,
    }
    return Template(_template_file("page.html")).substitute(values)


def write_page(view: TimelineView, out: str | Path, *, plotlyjs: str = "inline") -> PageResult:
    """Render the page and write it atomically to `out` (folders created as needed).

    With `plotlyjs="directory"`, plotly.min.js is written beside the page (once)."""
    from tracker.timeline.figures import GL_THRESHOLD

    text = render_page(view, plotlyjs=plotlyjs)
    path = Path(out)
    data = text.encode("utf-8")
    extra: list[Path] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if plotlyjs == "directory":
            js_path = path.parent / PLOTLYJS_FILE
            js = _plotlyjs()[0].encode("utf-8")
            if not js_path.exists() or js_path.read_bytes() != js:
                _atomic_write(js_path, js)
            extra.append(js_path)
        _atomic_write(path, data)
    except OSError as exc:
        raise UsageError(f"--out: cannot write {path}: {exc.strerror or exc}") from exc
    return PageResult(
        path=path,
        bytes=len(data),
        events=len(view.events),
        start=view.start,
        end=view.end,
        status=status_text(view),
        webgl=len(view.events) >= GL_THRESHOLD,
        extra_files=tuple(extra),
    )


def _atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, os.replace: readers see the old or the new page."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
