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
    print_problems,
)

if TYPE_CHECKING:
    from tracker.export import ExportResult
    from tracker.export.csvimport import ImportPlan

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
            metavar="PATH",
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
    out: Annotated[
        str, typer.Option("--out", "-o", metavar="PATH", help="Output file, or '-' for stdout.")
    ] = "-",
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
    out: Annotated[
        str, typer.Option("--out", "-o", metavar="DIR", help="Output folder (created if missing).")
    ],
    data: DataOption = Path(DEFAULT_DATA),
) -> None:
    """The whole dataset as a Frictionless data package: tidy CSVs and datapackage.json.

    Check it with: frictionless validate DIR/datapackage.json
    """
    from tracker.export import export_datapackage as run

    _present(run(data, out), "a data package")


def _describe(plan: ImportPlan) -> None:
    for event_id in plan.added:
        err(f"  add     {event_id}")
    for event_id in plan.updated:
        err(f"  update  {event_id}")
    if plan.unchanged:
        err(f"  ({len(plan.unchanged)} row(s) match their events already and are left as they are)")


@app.command("import")
@handle_errors
def import_csv(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV file in the form `tracker export csv` writes (a spreadsheet copy or a "
            "colleague's edited file will do).",
            show_default=False,
        ),
    ],
    data: DataOption = Path(DEFAULT_DATA),
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check every row and say what would change; write nothing."),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Write without asking (needed when not on a terminal)."),
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Replace events whose id already exists (else such rows are refused)."
        ),
    ] = False,
) -> None:
    """Add events to the dataset from a CSV file, checking every row with the dataset's rules.

    Problems are reported as FILE:row N: column: message; nothing is written unless every row
    is valid. Columns derived from others (date_first, family, cameo_code, ...) are ignored.
    """
    from tracker.export.csvimport import import_events
    from tracker.problems import UsageError

    def confirm(plan: ImportPlan) -> bool:
        _describe(plan)
        if yes:
            return True
        if not sys.stdin.isatty():
            raise UsageError(
                f"{plan.changes} event(s) would change in {data}; pass --yes to write them "
                "(or --dry-run to only check)"
            )
        return typer.confirm(f"Write these changes to {data}?", default=False, err=True)

    plan = import_events(file, data, update=update, dry_run=dry_run, confirm=confirm)
    print_problems(plan.warnings)
    counts = (
        f"{len(plan.added)} added, {len(plan.updated)} updated, {len(plan.unchanged)} unchanged"
    )
    if plan.dry_run:
        _describe(plan)
        err(f"Dry run: {file} is valid against {data}: {counts}; nothing written")
    elif plan.written:
        err(f"Imported {file} into {data}: {counts}")
    elif plan.changes:
        err("Nothing written.")
    else:
        err(f"Nothing to import from {file}: {counts}")
