"""Commands on the dataset itself: validate and build."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import (
    DEFAULT_DATA,
    DataOption,
    DbOption,
    JsonOption,
    app,
    err,
    handle_errors,
    print_problems,
)
from tracker.problems import Report


@app.command()
@handle_errors
def validate(
    data: DataOption = Path(DEFAULT_DATA),
    as_json: JsonOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too (likely duplicates, ...).")
    ] = False,
) -> None:
    """Check the dataset against every rule of the codebook and report all problems.

    Exit 0 when valid, 1 when there are errors (or warnings with --strict), 2 on usage errors.
    """
    from tracker.api import load_dataset

    ds, report = load_dataset(data)
    ok = report.passes(strict)
    if as_json:
        doc = report.to_dict() | {"file": str(data), "strict": strict, "events": len(ds.events)}
        doc["ok"] = ok
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print_problems(report.sorted())
        err(_summary_line(str(data), len(ds.events), report))
    if not ok:
        raise typer.Exit(1)


def _summary_line(name: str, events: int, report: Report) -> str:
    e, w, n = len(report.errors), len(report.warnings), len(report.notices)
    verdict = "valid" if not e else "INVALID"
    return f"{name}: {verdict}: {events} events, {e} error(s), {w} warning(s), {n} notice(s)"


@app.command()
@handle_errors
def build(data: DataOption = Path(DEFAULT_DATA), db: DbOption = None) -> None:
    """Validate the dataset and load it into the database (rebuilt from scratch)."""
    from tracker.api import load_valid_dataset
    from tracker.db import build_database, display_url, resolve_url

    url = resolve_url(db, data)
    started = time.perf_counter()
    err(f"Validating {data} ...")
    ds = load_valid_dataset(data)
    err(f"Loading {len(ds.events)} events into {display_url(url)} ...")
    result = build_database(ds, url)
    err(f"Done in {time.perf_counter() - started:.1f} s")
    typer.echo(f"Built {result.url} from {data}")
    typer.echo(f"  {len(ds.events)} events, {result.first} to {result.last}")
    for kind, n in result.kinds.items():
        typer.echo(f"  {n:5d}  {kind}")
    tables = ", ".join(f"{t} {n}" for t, n in result.counts.items() if t != "meta")
    typer.echo(f"  rows: {tables}")
    typer.echo(f"  content hash {result.content_hash[:12]}, built {result.built_at}")
