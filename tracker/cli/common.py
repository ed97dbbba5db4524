"""The Typer app, shared options and error handling used by every command module."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from tracker import __version__
from tracker.problems import Problem, TrackerError, UsageError

if TYPE_CHECKING:
    from tracker.query import Filters

app = typer.Typer(
    name="tracker",
    help="Follow US-China military-to-military contacts: validate the curated dataset, "
    "build its database, and more.",
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEFAULT_DATA = "data/events.yaml"

DataOption = Annotated[
    Path,
    typer.Option(
        "--data",
        metavar="PATH",
        envvar="TRACKER_DATA",
        help="The dataset file.",
        show_default=True,
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        envvar="TRACKER_DB",
        help="Database URL (default: sqlite file beside the data, e.g. data/events.db); "
        "postgresql+psycopg://user@host/db for a shared database.",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document to stdout instead of text.")
]

SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="Only events on or after this date ('2010', 'Oct 2010', '2010-10-12').",
    ),
]
UntilOption = Annotated[
    str | None, typer.Option("--until", metavar="DATE", help="Only events on or before this date.")
]
KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind", metavar="KIND", help="Only events of this kind (repeatable), e.g. suspension."
    ),
]
ChannelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--channel", metavar="ID", help="Only events concerning this channel id (repeatable)."
    ),
]
ActorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--actor", metavar="ID", help="Only events with this participant id (repeatable)."
    ),
]
TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", metavar="TAG", help="Only events with this tag (repeatable)."),
]
SearchOption = Annotated[
    str | None,
    typer.Option(
        "--search",
        metavar="TEXT",
        help="Only events whose title, summary, location or notes "
        "contain this text (case-insensitive).",
    ),
]

_state = {"debug": False}
F = TypeVar("F", bound=Callable[..., Any])


def err(message: str) -> None:
    typer.echo(message, err=True)


def print_problems(problems: list[Problem]) -> None:
    for p in problems:
        err(p.format())


def handle_errors(func: F) -> F:
    """Turn library errors into one message and an exit code; --debug shows the traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TrackerError as exc:
            if _state["debug"]:
                raise
            print_problems([p for p in exc.problems if p.severity != "notice"])
            err(f"error: {exc.message}")
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:  # noqa: BLE001 - a bug must still not print a traceback
            if _state["debug"] or os.environ.get("TRACKER_DEBUG"):
                raise
            err(
                f"internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in tracker; run again with --debug for the traceback and "
                "report it."
            )
            raise typer.Exit(1) from None
        finally:
            if "tracker.api" in sys.modules:  # never import it (and SQLAlchemy) just for this
                sys.modules["tracker.api"].close_databases()

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tracker {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the full traceback on errors.")
    ] = False,
) -> None:
    _state["debug"] = debug


def main() -> None:
    """Console-script entry point."""
    if os.environ.get("NO_COLOR"):
        os.environ.setdefault("TERM", "dumb")
    try:
        app(prog_name="tracker")
    except BrokenPipeError:  # output piped into `head`: stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    sys.exit(0)


def parse_date_option(value: str | None, option: str, *, end: bool = False) -> date | None:
    """A human date from an option, as its first day (or last day with `end`)."""
    if not value:
        return None
    from tracker.dates import DateError, parse_human_date

    try:
        d = parse_human_date(value)
    except DateError as exc:
        raise UsageError(f"{option}: {exc}") from None
    return d.last if end else d.first


def make_filters(
    since: str | None = None,
    until: str | None = None,
    kind: list[str] | None = None,
    channel: list[str] | None = None,
    actor: list[str] | None = None,
    tag: list[str] | None = None,
    search: str | None = None,
) -> Filters:
    """The shared filter options as one Filters value; bad values are usage errors."""
    from tracker import vocab
    from tracker.query import Filters

    kinds = tuple(kind or ())
    for k in kinds:
        if k not in vocab.KINDS:
            from tracker.validate import suggest

            raise UsageError(
                f"--kind: {k!r} is not a kind{suggest(k, vocab.KINDS)}; "
                f"use one of: {', '.join(vocab.KINDS)}"
            )
    start = parse_date_option(since, "--since")
    stop = parse_date_option(until, "--until", end=True)
    if start and stop and stop < start:
        raise UsageError("--until is before --since")
    return Filters(
        since=start,
        until=stop,
        kinds=kinds,
        channels=tuple(channel or ()),
        actors=tuple(actor or ()),
        tags=tuple(tag or ()),
        search=(search or "").strip(),
    )
