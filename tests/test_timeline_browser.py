"""The timeline page in headless Chromium (Debian's `chromium`, driven by Playwright with
`executable_path`; never `playwright install`): the plots render, a hover shows the event, a
click opens its details, `#<id>` highlights the row from file://, no request leaves the page,
an injected script never runs, and the page reads without JavaScript and in print.

Skipped when Chromium or Playwright is missing, unless TRACKER_REQUIRE_BROWSER=1 (as in
.ci/run), where a missing browser fails every test instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_timeline_page import HOSTILE_ID, IMG, PWN, write_dataset
from typer.testing import CliRunner

from tracker.cli import app

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REQUIRED = os.environ.get("TRACKER_REQUIRE_BROWSER") == "1"
HIGHLIGHT = "rgb(255, 244, 194)"  # --hl in page.css
pytestmark = pytest.mark.slow


def _unavailable() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _unavailable()
    if reason:
        if REQUIRED:
            pytest.fail(f"TRACKER_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A page from a small dataset with hostile text in every field, and a hostile title."""
    folder = tmp_path_factory.mktemp("timeline")
    data = write_dataset(folder, hostile=True)
    out = folder / "timeline.html"
    db = f"sqlite:///{folder / 'events.db'}"
    args = ["timeline", "--data", str(data), "--db", db, "--out", str(out), "--title", PWN]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out.resolve().as_uri()


# Records Content-Security-Policy violations: a blocked script or fetch is a bug of the page.
CSP_WATCH = """window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_WATCH)
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    pg.on(
        "console",
        lambda m: m.type == "error" and pg.errors.append(m.text),  # type: ignore[attr-defined]
    )
    yield pg
    context.close()


def open_page(pg: Any, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector("html[data-plotted]", timeout=30_000)


def point_of(pg: Any, event_id: str) -> dict[str, float]:
    """Where an event's marker is on the screen (after scrolling the chart into view)."""
    pg.locator("#tl-main").scroll_into_view_if_needed()
    pos = pg.evaluate(
        """(id) => {
          const gd = document.getElementById("tl-main"), fl = gd._fullLayout;
          for (const t of gd.data) {
            const i = (t.customdata || []).findIndex((c) => c[0] === id);
            if (i >= 0 && t.type.startsWith("scatter")) {
              const r = gd.getBoundingClientRect();
              return {x: r.left + fl.xaxis._offset + fl.xaxis.d2p(t.x[i]),
                      y: r.top + fl.yaxis._offset + fl.yaxis.d2p(t.y[i])};
            }
          }
          return null;
        }""",
        event_id,
    )
    assert pos is not None, event_id
    return pos


def hover(pg: Any, event_id: str) -> str:
    pos = point_of(pg, event_id)
    pg.mouse.move(pos["x"] - 30, pos["y"] - 30)
    pg.mouse.move(pos["x"], pos["y"], steps=3)
    label = pg.locator("#tl-main .hoverlayer .hovertext")
    label.first.wait_for(timeout=5_000)
    return label.first.text_content() or ""


def test_plots_render(page: Any, page_url: str) -> None:
    open_page(page, page_url)
    for chart in ("tl-main", "tl-intensity", "tl-channels"):
        assert page.locator(f"#{chart} svg.main-svg").count() >= 1, chart
        assert page.locator(f"#{chart} .cartesianlayer .trace").count() >= 1, chart
    # every day-precision event is a marker: 9 of the 12 events (3 are month/year spans)
    assert page.locator("#tl-main .cartesianlayer .scatterlayer path.point").count() == 9
    assert page.locator("#tl-main .cartesianlayer .barlayer path").count() >= 3 + 2
    hover(page, "2010-10-12-ministers-hanoi")
    assert page.errors == [] and page.evaluate("window.__csp") == []


def test_hover_shows_the_event(page: Any, page_url: str) -> None:
    open_page(page, page_url)
    text = hover(page, "2010-10-12-ministers-hanoi")
    assert "Ministers meet in Hanoi" in text and "12 Oct 2010" in text
    assert "Robert Gates (Secretary of Defense)" in text and "Example Press" in text


def test_click_opens_details_with_sources(page: Any, page_url: str) -> None:
    open_page(page, page_url)
    details = page.locator("#tl-details")
    assert details.is_hidden()
    pos = point_of(page, "2010-10-12-ministers-hanoi")
    page.mouse.move(pos["x"], pos["y"], steps=3)
    page.mouse.click(pos["x"], pos["y"])
    details.wait_for(state="visible", timeout=5_000)
    assert "Ministers meet in Hanoi" in details.locator("h3").text_content()
    link = details.locator("a[href^='http']").first
    assert link.get_attribute("href") == "http://example.org/hanoi"
    assert details.locator(".details-link").get_attribute("href") == "#2010-10-12-ministers-hanoi"
    row = page.locator('tr[id="2010-10-12-ministers-hanoi"]')
    assert "is-current" in (row.get_attribute("class") or "")


def test_deep_link_highlights_the_row_from_file_url(page: Any, page_url: str) -> None:
    target = "2013-05-01-mmca-suspended"
    open_page(page, f"{page_url}#{target}")
    state = page.evaluate(
        """(id) => {
          const row = document.getElementById(id), r = row.getBoundingClientRect();
          return {target: document.querySelector(":target")?.id,
                  current: row.classList.contains("is-current"),
                  bg: getComputedStyle(row).backgroundColor,
                  visible: r.top >= 0 && r.bottom <= window.innerHeight};
        }""",
        target,
    )
    assert state == {"target": target, "current": True, "bg": HIGHLIGHT, "visible": True}


def test_no_request_leaves_the_page(browser: Any, page_url: str) -> None:
    context = browser.new_context()
    seen: list[str] = []

    def record(route: Any) -> None:
        seen.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", record)
    pg = context.new_page()
    pg.on("request", lambda r: seen.append(r.url))
    open_page(pg, page_url)
    hover(pg, "2010-10-12-ministers-hanoi")
    pg.wait_for_timeout(300)
    context.close()
    assert seen, "requests were recorded"
    assert [u for u in seen if not u.startswith(("file://", "data:"))] == []


def test_injected_script_never_runs(page: Any, page_url: str) -> None:
    open_page(page, page_url)
    text = hover(page, HOSTILE_ID)
    assert PWN in text, "the hover shows the markup literally"
    pos = point_of(page, HOSTILE_ID)
    page.mouse.click(pos["x"], pos["y"])  # the details panel copies the row's nodes
    page.locator("#tl-details").wait_for(state="visible", timeout=5_000)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert page.title() == PWN
    row_text = page.locator(f'tr[id="{HOSTILE_ID}"]').inner_text()
    assert PWN in row_text and IMG in row_text
    assert page.locator("#tl-details h3").text_content() == PWN
    foreign = (
        "[...document.querySelectorAll('img, iframe, svg')]"
        ".filter((e) => !e.closest('.js-plotly-plot') && e.id !== 'js-plotly-tester').length"
    )
    assert page.evaluate(foreign) == 0


def test_time_axes_move_together(page: Any, page_url: str) -> None:
    open_page(page, page_url)
    ranges = page.evaluate(
        """async () => {
          await Plotly.relayout("tl-main", {"xaxis.range": ["2010-01-01", "2011-01-01"]});
          await new Promise((r) => setTimeout(r, 300));
          return ["tl-main", "tl-intensity", "tl-channels"].map(
            (id) => document.getElementById(id)._fullLayout.xaxis.range.map((v) => v.slice(0, 10)));
        }"""
    )
    assert ranges == [["2010-01-01", "2011-01-01"]] * 3


def test_readable_without_javascript_and_in_print(browser: Any, page_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(page_url)
    assert pg.locator("tr.event").count() == 12
    assert pg.locator("tr.event").first.is_visible()
    assert pg.locator("noscript").count() == 1
    assert pg.locator("table.suspensions tbody tr").count() == 2
    pg.emulate_media(media="print")
    assert pg.locator("#events table").is_visible() and pg.locator(".skip").is_hidden()
    context.close()


def test_webgl_markers_at_scale(browser: Any, tmp_path: Path) -> None:
    from tracker.dates import parse_partial_date
    from tracker.records import Dataset, Event, Source
    from tracker.timeline.figures import GL_THRESHOLD
    from tracker.timeline.page import write_page
    from tracker.timeline.view import build_view

    src = (Source("P", "T", "press", "en", url="https://example.org/"),)
    first = date(1990, 1, 1)
    evs = [
        Event(
            f"{(first + timedelta(days=i * 2)).isoformat()}-e{i}",
            parse_partial_date((first + timedelta(days=i * 2)).isoformat()),
            ("call", "summit", "incident", "dialogue_round")[i % 4],
            f"Event {i}",
            "Summary.",
            src,
        )
        for i in range(GL_THRESHOLD)
    ]
    out = tmp_path / "big.html"
    result = write_page(build_view(Dataset(events=evs), today=date(2020, 1, 1)), out)
    assert result.webgl
    context = browser.new_context()
    context.add_init_script(CSP_WATCH)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    open_page(pg, out.resolve().as_uri())
    assert pg.locator("#tl-main .gl-container canvas").count() >= 1
    assert "WebGL is not supported" not in pg.locator("#tl-main").inner_text()
    assert pg.locator("tr.event").count() == GL_THRESHOLD
    assert errors == [] and pg.evaluate("window.__csp") == []
    context.close()
