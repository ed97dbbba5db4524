"""The readers' timeline: an interactive, self-contained, offline HTML page.

- `view`: what the page shows (events, periods clipped to the range, bands, status); pure.
- `figures`: pure builders returning Plotly figures (tested through `fig.to_dict()`).
- `page`: escapes every data string, fills `templates/`, writes the file atomically.
- `text`: labels and escaped snippets shared by both.

`make_timeline` is the one call the CLI makes. Plotly is imported only when a page is built.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.query import Filters
    from tracker.records import Dataset, Event
    from tracker.timeline.page import PageResult

__all__ = ["make_timeline", "DEFAULT_OUT"]

DEFAULT_OUT = Path("reports/timeline.html")


def make_timeline(
    dataset: Dataset,
    every_event: list[Event] | None,
    out: str | Path = DEFAULT_OUT,
    *,
    filters: Filters | None = None,
    title: str | None = None,
    built_at: str = "",
    plotlyjs: str = "inline",
    today: date | None = None,
) -> PageResult:
    """Build the page for `dataset.events` (the selection), the trajectory from `every_event`
    (all events; None: the same), and write it to `out`."""
    from tracker.timeline.page import write_page
    from tracker.timeline.view import build_view

    view = build_view(
        dataset, every_event, filters=filters, title=title, built_at=built_at, today=today
    )
    return write_page(view, out, plotlyjs=plotlyjs)
