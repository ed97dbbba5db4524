"""Command: timeline (registered on the shared app)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import (
    DEFAULT_DATA,
    ActorOption,
    ChannelOption,
    DataOption,
    DbOption,
    KindOption,
    SearchOption,
    SinceOption,
    TagOption,
    UntilOption,
    app,
    err,
    handle_errors,
    make_filters,
)


class PlotlyJs(StrEnum):
    inline = "inline"
    directory = "directory"
    cdn = "cdn"


@app.command()
@handle_errors
def timeline(
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", metavar="PATH", help="Where to write the page.", show_default=True
        ),
    ] = Path("reports/timeline.html"),
    data: DataOption = Path(DEFAULT_DATA),
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    kind: KindOption = None,
    channel: ChannelOption = None,
    actor: ActorOption = None,
    tag: TagOption = None,
    search: SearchOption = None,
    title: Annotated[
        str | None,
        typer.Option("--title", metavar="TEXT", help="The page's title (default: a plain one)."),
    ] = None,
    plotlyjs: Annotated[
        PlotlyJs,
        typer.Option(
            "--plotlyjs",
            help="inline: plotly.js inside the page (self-contained, offline); directory: "
            "plotly.min.js written beside it (for sites with many reports); cdn: loaded "
            "from cdn.plot.ly (needs the network).",
            case_sensitive=False,
        ),
    ] = PlotlyJs.inline,
    open_page: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
) -> None:
    """Write the readers' timeline: an interactive HTML page that works offline.

    The filters select the events shown; suspensions and the status line are always derived
    from every event, for the period shown.
    """
    from tracker.api import open_database
    from tracker.db import read_meta, resolve_url
    from tracker.query import fetch_dataset, fetch_events
    from tracker.timeline import make_timeline

    filters = make_filters(since, until, kind, channel, actor, tag, search)
    engine = open_database(data, db)
    dataset = fetch_dataset(engine, filters)
    every = fetch_events(engine) if filters.active else dataset.events
    meta = read_meta(resolve_url(db, data))
    result = make_timeline(
        dataset,
        every,
        out,
        filters=filters,
        title=title,
        built_at=meta.get("built_at", ""),
        plotlyjs=plotlyjs.value,
    )
    size = result.bytes / 1_000_000
    err(
        f"Wrote {result.path}: {result.events} event(s), {result.start} to {result.end}, "
        f"{size:.1f} MB" + (" (WebGL markers)" if result.webgl else "")
    )
    for extra in result.extra_files:
        err(f"  with {extra}")
    err(f"  {result.status}")
    if open_page:
        import webbrowser

        webbrowser.open(result.path.resolve().as_uri())
