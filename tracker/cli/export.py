"""Commands: `export csv|json|datapackage` (a sub-app) and `import` (on the shared app).

Each command parses options, makes one call into `tracker.export`, and presents the result:
the export itself on stdout (or in files), one line of provenance on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tracker.cli.common import (
    DEFAULT_DATA,
    ActorOption,
    ChannelOption,
    DataOption,
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

if TYPE_CHECKING:
    from tracker.export import ExportResult

export_app = typer.Typer(
    name="export",
    help="Export the dataset for research: CSV (one row per event, or tidy tables), JSON, "
    "or a Frictionless data package. Columns: docs/codebook.md, 'Exported columns'.",
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(export_app)


def _present(result: ExportResult, what: str) -> None:
    """The export on stdout (if it goes there), provenance on stderr."""
    if result.data is not None:
        sys.stdout.flush()
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
    prov = result.provenance
    where = ", ".join(str(p) for p in result.paths) if result.paths else "stdout"
    if len(result.paths) > 1:
        where = f"{len(result.paths)} files in {result.paths[0].parent}"
    err(
        f"Exported {result.events} of {prov.event_count} events as {what} to {where} "
        f"(dataset version {prov.version}, built {prov.built_at})"
    )


@export_app.command("csv")
@handle_errors
def export_csv(
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            help="Output file, or '-' for stdout (the default); with --tables, a folder.",
            show_default=False,
        ),
    ] = None,
    tables: Annotated[
        bool,
        typer.Option(
            "--tables",
            help="Write the tidy tables (events, sources, participants, actors, channels, "
            "event_channels, links, event_tags, periods) into the --out folder.",
        ),
    ] = False,
    spreadsheet: Annotated[
        bool,
        typer.Option(
            "--spreadsheet",
            help="A copy for opening by double-click: byte-order mark, a first line saying "
            "so, formula-like cells prefixed with '. Not for analysis.",
        ),
    ] = False,
    data: DataOption = Path(DEFAULT_DATA),
    since: SinceOption = None,
    until: UntilOption = None,
    kind: KindOption = None,
    channel: ChannelOption = None,
    actor: ActorOption = None,
    tag: TagOption = None,
    search: SearchOption = None,
) -> None:
    """Events as CSV: one row per event (lists joined with '; '), or --tables for tidy CSVs.

    UTF-8 without BOM, RFC 4180; each date as its original string, first day, last day and
    precision. `tracker import` reads the one-row-per-event file back.
    """
    from tracker.export import export_csv as run

    filters = make_filters(since, until, kind, channel, actor, tag, search)
    result = run(data, filters, out, tables=tables, spreadsheet=spreadsheet)
    what = "tidy CSV tables" if tables else "CSV"
    _present(result, f"{what} (spreadsheet copy)" if spreadsheet else what)


@export_app.command("json")
@handle_errors
def export_json(
    out: Annotated[str, typer.Option("--out", "-o", help="Output file, or '-' for stdout.")] = "-",
    data: DataOption = Path(DEFAULT_DATA),
    since: SinceOption = None,
    until: UntilOption = None,
    kind: KindOption = None,
    channel: ChannelOption = None,
    actor: ActorOption = None,
    tag: TagOption = None,
    search: SearchOption = None,
) -> None:
    """Events as one JSON document, with the dataset version, content hash and build time."""
    from tracker.export import export_json as run

    filters = make_filters(since, until, kind, channel, actor, tag, search)
    _present(run(data, filters, out), "JSON")


@export_app.command("datapackage")
@handle_errors
def export_datapackage(
    out: Annotated[str, typer.Option("--out", "-o", help="Output folder (created if missing).")],
    data: DataOption = Path(DEFAULT_DATA),
) -> None:
    """The whole dataset as a Frictionless data package: tidy CSVs and datapackage.json.

    Check it with: frictionless validate DIR/datapackage.json
    """
    from tracker.export import export_datapackage as run

    _present(run(data, out), "a data package")
