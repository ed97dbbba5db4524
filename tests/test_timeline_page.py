"""The timeline page as HTML: one row per event, anchors, no external URLs, escaping, the CSP,
the plotly.js modes, and the `tracker timeline` command (filters, status, errors).

`write_dataset` and `HOSTILE` are shared with the other test_timeline_* files.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.yamltext import dump_dataset

PWN = "<script>window.__pwned=1</script>"
IMG = "<img src=x onerror=window.__pwned=1>"
HOSTILE = {
    "title": PWN,
    "summary": f'{IMG} and a fake link <a href="https://evil.example">click</a>',
    "location": '"><script>window.__pwned=1</script>',
    "actor": '<b style="color:red">Evil</b> <svg onload=window.__pwned=1>',
    "channel": "<svg/onload=window.__pwned=1> channel",
    "publisher": "</script><script>window.__pwned=1</script>",
    "role": "<iframe src=javascript:window.__pwned=1>",
}
HOSTILE_ID = "2012-03-04-hostile-title"


def _src(title: str = "Report", url: str = "https://example.org/report") -> dict[str, Any]:
    return {"publisher": "Example Press", "title": title, "url": url, "type": "press",
            "language": "en"}  # fmt: skip


def events(hostile: bool = False) -> list[dict[str, Any]]:
    """Eleven events 2009-2014: a suspension of all contacts and its resumption (month
    precision), a partial suspension of mmca, day/month/year precision, one multi-day visit."""
    evs: list[dict[str, Any]] = [
        {"id": "2009-11-17-summit", "date": "2009-11-17", "kind": "summit",
         "title": "Leaders meet in Beijing", "summary": "The presidents meet.",
         "significance": "2", "sources": [_src("Leaders meet")]},
        {"id": "2010-01-29-arms-package", "date": "2010-01-29", "kind": "arms_sale",
         "title": "Arms package notified", "summary": "A package is notified.",
         "sources": [_src("Package")]},
        {"id": "2010-01-30-prc-suspends", "date": "2010-01-30", "kind": "suspension",
         "title": "PRC suspends exchanges", "summary": "Exchanges are suspended.",
         "channels": ["all"], "initiator": "CN", "significance": "3",
         "responds_to": ["2010-01-29-arms-package"], "sources": [_src("Suspended")]},
        {"id": "2010-06-visit-declined", "date": "2010-06", "kind": "cancellation",
         "title": "Visit declined", "summary": "A visit is called off.",
         "sources": [_src("Visit off")]},
        {"id": "2010-10-12-ministers-hanoi", "date": "2010-10-12",
         "kind": "defense_ministerial", "title": "Ministers meet in Hanoi",
         "summary": "The ministers agree to resume talks.",
         "participants": [{"actor": "robert-gates", "role": "Secretary of Defense"},
                          {"actor": "liang-guanglie", "role": "Minister of National Defense"}],
         "sources": [_src("Ministers meet", "http://example.org/hanoi")]},
        {"id": "2010-12-resumption", "date": "2010-12~", "kind": "resumption",
         "title": "Talks resume", "summary": "Talks resume.", "channels": ["all"],
         "initiator": "CN", "responds_to": ["2010-10-12-ministers-hanoi"],
         "sources": [_src("Resume", "")]},
        {"id": "2011-01-09-visit-beijing", "date": "2011-01-09", "end_date": "2011-01-12",
         "kind": "senior_visit", "title": "Secretary visits Beijing", "summary": "A visit.",
         "channels": ["dct"], "participants": [{"actor": "robert-gates"}],
         "sources": [_src("Visit")]},
        {"id": "2012-exercise", "date": "2012", "kind": "exercise",
         "title": "Joint exercise", "summary": "An exercise at some point in 2012.",
         "sources": [_src("Exercise")]},
        {"id": "2013-05-01-mmca-suspended", "date": "2013-05-01", "kind": "suspension",
         "title": "PRC suspends MMCA talks", "summary": "Only the MMCA talks stop.",
         "channels": ["mmca"], "initiator": "CN", "sources": [_src("MMCA off")]},
        {"id": "2014-02-03-mmca-resumes", "date": "2014-02-03", "kind": "resumption",
         "title": "MMCA talks resume", "summary": "The MMCA talks resume.",
         "channels": ["mmca"], "initiator": "CN", "sources": [_src("MMCA on")]},
        {"id": "2014-06-01-call", "date": "2014-06-01", "kind": "call",
         "title": "Chiefs talk by phone", "summary": "A call.", "significance": "1",
         "sources": [_src("Call")]},
    ]  # fmt: skip
    if hostile:
        evs.insert(
            7,
            {
                "id": HOSTILE_ID,
                "date": "2012-03-04",
                "kind": "incident",
                "title": HOSTILE["title"],
                "summary": HOSTILE["summary"],
                "location": HOSTILE["location"],
                "channels": ["evil"],
                "participants": [{"actor": "evil-actor", "role": HOSTILE["role"]}],
                "sources": [
                    {
                        "publisher": HOSTILE["publisher"],
                        "title": PWN,
                        "url": "https://example.org/x?a=1&b=<2>",
                        "type": "press",
                        "language": "en",
                    }
                ],
            },
        )
    return evs


def write_dataset(folder: Path, hostile: bool = False, evs: list[dict] | None = None) -> Path:
    """events.yaml in `folder` (valid: `tracker validate` accepts it)."""
    channels = [
        {"id": "all", "name": "Military-to-military contacts (all)"},
        {"id": "dct", "name": "Defense Consultative Talks (DCT)", "established": "1997"},
        {"id": "mmca", "name": "Military Maritime Consultative Agreement talks (MMCA)"},
    ]
    actors = [
        {"id": "robert-gates", "name": "Robert Gates", "country": "US"},
        {"id": "liang-guanglie", "name": "Liang Guanglie", "name_zh": "梁光烈", "country": "CN"},
    ]
    if hostile:
        channels.append({"id": "evil", "name": HOSTILE["channel"]})
        actors.append({"id": "evil-actor", "name": HOSTILE["actor"], "country": "US"})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "events.yaml"
    path.write_text(dump_dataset(channels, actors, evs or events(hostile)), "utf-8")
    return path


def build(runner: CliRunner, folder: Path, *args: str, hostile: bool = False) -> tuple[Any, str]:
    data = write_dataset(folder, hostile)
    out = folder / "out" / "timeline.html"
    result = runner.invoke(app, ["timeline", "--data", str(data), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result, out.read_text("utf-8")


class Page(HTMLParser):
    """Elements, attributes and text of a page, as a browser's parser would see them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self.rows: list[dict[str, str]] = []
        self.text: list[str] = []
        self._script: dict[str, str] | None = None
        self._cell_stack: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "script":
            self._script = a
        if tag == "tr" and "event" in a.get("class", "").split():
            self.rows.append(a)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def figures_blob(text: str) -> dict[str, Any]:
    page = Page(text)
    (blob,) = [d for a, d in page.scripts if a.get("id") == "tl-figures"]
    return json.loads(blob)


# --- the table and anchors ----------------------------------------------------------------


def test_one_row_per_event_with_its_id_and_a_permalink(runner: CliRunner, tmp_path: Path) -> None:
    _result, text = build(runner, tmp_path)
    page = Page(text)
    ids = [e["id"] for e in events()]
    assert [r["id"] for r in page.rows] == ids
    hrefs = {a.get("href") for t, a in page.tags if t == "a"}
    assert all(f"#{i}" in hrefs for i in ids)
    assert len({a["id"] for t, a in page.tags if "id" in a}) == len(
        [a for t, a in page.tags if "id" in a]
    ), "element ids are unique"


def test_table_markup_is_accessible(runner: CliRunner, tmp_path: Path) -> None:
    _result, text = build(runner, tmp_path)
    page = Page(text)
    tags = [t for t, _ in page.tags]
    assert "caption" in tags and "thead" in tags
    cols = [a.get("scope") for t, a in page.tags if t == "th" and a.get("scope") == "col"]
    assert len(cols) >= 5
    assert sum(1 for t, a in page.tags if t == "th" and a.get("scope") == "row") >= len(events())
    assert '<html lang="en">' in text and "@media print" in text


def test_dates_shown_at_their_true_precision(runner: CliRunner, tmp_path: Path) -> None:
    _result, text = build(runner, tmp_path)
    assert '<time datetime="2010-06">Jun 2010</time>' in text
    assert '<time datetime="2010-12">c. Dec 2010</time>' in text
    assert '<time datetime="2012">2012</time>' in text
    assert '<time datetime="2011-01-09">9 Jan 2011</time> – <time' in text


def test_no_external_urls_except_source_links(runner: CliRunner, tmp_path: Path) -> None:
    _result, text = build(runner, tmp_path)
    page = Page(text)
    for tag, attrs in page.tags:
        for key in ("src", "href", "action", "data", "poster"):
            value = attrs.get(key, "")
            if re.match(r"(?i)\s*(https?:)?//", value):
                assert tag == "a" and key == "href", (tag, attrs)
    # every http(s) link is a source link in the table of events
    source_urls = {
        s.get("url") for e in events() for s in e["sources"] if s.get("url")
    }  # fmt: skip
    links = {a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("http")}
    assert links == source_urls
    assert all(s.get("src") is None for s, _ in page.scripts), "plotly.js is inlined"
    assert "cdn.plot.ly" not in text.split("<script>", 1)[0]


def test_sources_link_only_http_and_https(tmp_path: Path) -> None:
    from tracker.api import load_valid_dataset
    from tracker.records import Source
    from tracker.timeline.page import render_page
    from tracker.timeline.view import build_view

    ds = load_valid_dataset(write_dataset(tmp_path))
    bad = (
        "javascript:window.__pwned=1",
        "data:text/html,<script>1</script>",
        "//evil.example",
        "vbscript:x",
    )
    first = ds.events[0]
    ds.events[0] = type(first)(
        **{
            **{f: getattr(first, f) for f in first.__slots__},  # type: ignore[attr-defined]
            "sources": tuple(
                Source("P", f"bad {i}", "press", "en", url=u) for i, u in enumerate(bad)
            ),
        }
    )
    text = render_page(build_view(ds))
    for u in bad:
        assert f'href="{u}' not in text
    assert (
        "javascript:" not in text.split("<body>", 1)[1].split('<script type="application/json"')[0]
    )


# --- escaping -----------------------------------------------------------------------------


def test_hostile_text_never_appears_unescaped(runner: CliRunner, tmp_path: Path) -> None:
    _result, text = build(runner, tmp_path, "--title", PWN, hostile=True)
    page = Page(text)
    # the only elements are ours: three scripts, no img/svg/iframe, no event-handler attributes
    assert len(page.scripts) == 3
    assert not [t for t, _ in page.tags if t in ("img", "svg", "iframe", "object", "embed")]
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    assert not [a for t, a in page.tags if t == "a" and "evil.example" in a.get("href", "")]
    ours = text.replace(page.scripts[0][1], "")  # all but plotly.js itself
    assert len(ours) < len(text) - 1_000_000
    for payload in [PWN, IMG, "<svg", "<iframe", "<b style", "</script><script>"]:
        assert payload not in ours, payload
    visible = "".join(page.text)
    assert PWN in visible and IMG in visible  # shown literally, as text
    assert f"<title>{PWN.replace('<', '&lt;').replace('>', '&gt;')}</title>" in text


def test_figures_blob_is_inert_and_escaped(runner: CliRunner, tmp_path: Path) -> None:
    _result, text = build(runner, tmp_path, hostile=True)
    page = Page(text)
    (blob,) = [d for a, d in page.scripts if a.get("id") == "tl-figures"]
    assert not set("<>&") & set(blob), "< > & are \\u-escaped inside the JSON blob"
    figs = json.loads(blob)
    dump = json.dumps(figs, ensure_ascii=False)
    assert "<script" not in dump and "<img" not in dump and "<svg" not in dump
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in dump
    hovers = [cd[1] for t in figs["main"]["data"] for cd in t.get("customdata", [])]
    assert any("&lt;img src=x onerror=window.__pwned=1&gt;" in h for h in hovers)
    # plotly config, div ids and scripts never carry data
    assert "config" not in figs["main"] and "__pwned" not in page.scripts[-1][1]


def test_every_script_is_pinned_by_the_csp(runner: CliRunner, tmp_path: Path) -> None:
    _result, text = build(runner, tmp_path)
    page = Page(text)
    (csp,) = [
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    script_src = csp.split("script-src", 1)[1].split(";")[0]
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src, "only pages drawn with WebGL need it"
    executable = [d for a, d in page.scripts if a.get("type") != "application/json"]
    assert len(executable) == 2
    for body in executable:
        assert _hash(body) in csp


def test_app_script_is_a_constant(runner: CliRunner, tmp_path: Path) -> None:
    _r, one = build(runner, tmp_path / "a")
    _r, two = build(runner, tmp_path / "b", "--title", "Other", hostile=True)
    js = [d for a, d in Page(one).scripts if not a and "tl-figures" in d]
    js2 = [d for a, d in Page(two).scripts if not a and "tl-figures" in d]
    assert js == js2 and len(js) == 1


# --- plotly.js modes ------------------------------------------------------------------------


def test_plotlyjs_directory_and_cdn(runner: CliRunner, tmp_path: Path) -> None:
    result, text = build(runner, tmp_path, "--plotlyjs", "directory")
    assert '<script src="plotly.min.js"></script>' in text
    js = tmp_path / "out" / "plotly.min.js"
    assert js.stat().st_size > 1_000_000 and "plotly.min.js" in result.stderr
    assert len(text) < 1_000_000
    _result, cdn = build(runner, tmp_path, "--plotlyjs", "cdn")
    assert re.search(r'<script src="https://cdn\.plot\.ly/plotly-[\d.]+\.min\.js"></script>', cdn)
    bad = runner.invoke(app, ["timeline", "--plotlyjs", "web", "--data", "x.yaml"])
    assert bad.exit_code == 2 and "inline" in bad.stderr


# --- the command ----------------------------------------------------------------------------


def test_command_reports_what_it_wrote(runner: CliRunner, tmp_path: Path) -> None:
    result, text = build(runner, tmp_path)
    assert result.stdout == ""
    assert f"Wrote {tmp_path / 'out' / 'timeline.html'}: 11 event(s)" in result.stderr
    assert "Military-to-military contacts: active since c. Dec 2010" in result.stderr
    assert "Military-to-military contacts: active since c. Dec 2010" in text


def test_default_output_path(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write_dataset(tmp_path)
    monkeypatch.chdir(tmp_path)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    result = runner.invoke(app, ["timeline", "--data", str(data), "--open"])
    assert result.exit_code == 0, result.output
    page = tmp_path / "reports" / "timeline.html"
    assert page.is_file() and opened == [page.resolve().as_uri()]


def test_filters_select_rows_but_not_the_trajectory(runner: CliRunner, tmp_path: Path) -> None:
    _result, text = build(runner, tmp_path, "--kind", "call", "--kind", "summit")
    page = Page(text)
    assert [r["id"] for r in page.rows] == ["2009-11-17-summit", "2014-06-01-call"]
    figs = figures_blob(text)
    bands = [t for t in figs["main"]["data"] if t["name"] == "All contacts suspended"]
    assert bands and bands[0]["base"] == ["2010-01-30"], "the suspension is still drawn"
    assert "kind: call, summit" in text and "2 of 11" in text


def test_status_reflects_the_end_of_the_range(runner: CliRunner, tmp_path: Path) -> None:
    result, text = build(runner, tmp_path, "--until", "Jun 2010")
    assert "suspended by the PRC since 30 Jan 2010" in result.stderr
    page = Page(text)
    assert [r["id"] for r in page.rows][-1] == "2010-06-visit-declined"
    figs = figures_blob(text)
    (band,) = [t for t in figs["main"]["data"] if t["name"] == "All contacts suspended"]
    clipped = (date(2010, 6, 30) - date(2010, 1, 30)).days
    assert band["base"] == ["2010-01-30"] and band["x"] == [clipped * 86_400_000]
    result2, text2 = build(runner, tmp_path, "--until", "2013-06-01")
    assert "active since c. Dec 2010" in result2.stderr
    assert (
        "But Military Maritime Consultative Agreement talks (MMCA): suspended by the PRC "
        "since 1 May 2013" in text2
    )


def test_bad_options_are_usage_errors_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    data = write_dataset(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cases = [
        (["--since", "Spring 2010"], "--since"),
        (["--kind", "sumit"], "did you mean 'summit'?"),
        (["--out", str(blocker / "timeline.html")], "cannot write"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["timeline", "--data", str(data), *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr and "Traceback" not in result.output
    assert blocker.read_text() == "x"


def test_invalid_data_fails_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "events.yaml"
    data.write_text("channels: []\nactors: []\nevents:\n  - id: nope\n", "utf-8")
    out = tmp_path / "timeline.html"
    result = runner.invoke(app, ["timeline", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert not out.exists()


def test_a_selection_with_no_events_still_makes_a_page(runner: CliRunner, tmp_path: Path) -> None:
    result, text = build(runner, tmp_path, "--search", "no such words")
    assert ": 0 event(s)" in result.stderr
    assert Page(text).rows == [] and "0 of 11" in text


def test_a_channel_resumed_inside_a_suspension_of_all_is_listed_as_it_ran(
    runner: CliRunner, tmp_path: Path
) -> None:
    def ev(eid: str, when: str, kind: str, chans: list[str], responds: list[str]) -> dict:
        return {"id": eid, "date": when, "kind": kind, "title": f"Title {eid}", "summary": "S.",
                "channels": chans, "initiator": "CN", "responds_to": responds,
                "sources": [_src()]}  # fmt: skip

    evs = [
        {
            "id": "1999-05-07-bombing",
            "date": "1999-05-07",
            "kind": "political",
            "title": "Embassy bombed",
            "summary": "S.",
            "sources": [_src()],
        },  # fmt: skip
        ev("1999-05-mmca-off", "1999-05", "suspension", ["mmca"], ["1999-05-07-bombing"]),
        ev("1999-05-10-all-off", "1999-05-10", "suspension", ["all"], ["1999-05-07-bombing"]),
        ev("1999-09-07-mmca-on", "1999-09-07", "resumption", ["mmca"], ["1999-05-mmca-off"]),
        ev("2000-01-24-all-on", "2000-01-24", "resumption", ["all"], ["1999-05-10-all-off"]),
    ]
    data = write_dataset(tmp_path, evs=evs)
    out = tmp_path / "timeline.html"
    result = runner.invoke(app, ["timeline", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    table = text[text.index('class="suspensions"') :]
    row = table[table.index('<tr class="partial-row">') :]
    row = row[: row.index("</tr>")]
    assert "Title 1999-09-07-mmca-on" in row  # the event that really ended it
    assert "when all contacts were suspended" not in row
    assert "4 months" in row  # 7 May (its trigger) to 7 Sep 1999, not 3 days
