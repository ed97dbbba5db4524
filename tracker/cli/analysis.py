"""Commands that read the record: list, show, periods, status."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from tracker.cli.common import (
    DEFAULT_DATA,
    ActorOption,
    ChannelOption,
    DataOption,
    DbOption,
    JsonOption,
    KindOption,
    SearchOption,
    SinceOption,
    TagOption,
    UntilOption,
    app,
    handle_errors,
    make_filters,
    parse_date_option,
)


def _days(n: int | None) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _emit_json(doc: object) -> None:
    typer.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


def _event_brief(e: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "date": e.date.text,
        "date_display": e.date.display(),
        "first_day": e.date.first.isoformat(),
        "last_day": e.last_day.last.isoformat(),
        "precision": e.date.precision,
        "kind": e.kind,
        "title": e.title,
    }


@app.command("list")
@handle_errors
def list_events(
    data: DataOption = Path(DEFAULT_DATA),
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    kind: KindOption = None,
    channel: ChannelOption = None,
    actor: ActorOption = None,
    tag: TagOption = None,
    search: SearchOption = None,
    as_json: JsonOption = False,
) -> None:
    """List events, oldest first, with the shared filters."""
    from tracker.api import open_database
    from tracker.query import fetch_events

    filters = make_filters(since, until, kind, channel, actor, tag, search)
    events = fetch_events(open_database(data, db), filters)
    if as_json:
        _emit_json([_event_brief(e) for e in events])
        return
    for e in events:
        typer.echo(f"{e.date.display():>14}  {e.kind:<19}  {e.title}  [{e.id}]")
    typer.echo(f"{len(events)} event(s)", err=True)


@app.command()
@handle_errors
def show(
    event_id: Annotated[
        str, typer.Argument(metavar="ID", help="The event's id, e.g. 2010-01-30-...")
    ],
    data: DataOption = Path(DEFAULT_DATA),
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything about one event: dates, participants, channels, links and sources."""
    from tracker.api import open_database
    from tracker.query import fetch_dataset, fetch_event

    engine = open_database(data, db)
    e = fetch_event(engine, event_id)
    ds = fetch_dataset(engine)
    actors = {a.id: a for a in ds.actors}
    by_id = {x.id: x for x in ds.events}
    responses = [x.id for x in ds.events if e.id in x.responds_to]
    if as_json:
        doc = _event_brief(e) | {
            "end_date": e.end_date.text if e.end_date else None,
            "summary": e.summary,
            "channels": list(e.channels),
            "initiator": e.initiator or None,
            "participants": [
                {"actor": p.actor, "name": actors[p.actor].name, "role": p.role}
                for p in e.participants
            ],
            "location": e.location or None,
            "significance": e.significance,
            "responds_to": list(e.responds_to),
            "responses": responses,
            "tags": list(e.tags),
            "notes": e.notes or None,
            "sources": [
                {
                    "publisher": s.publisher,
                    "title": s.title,
                    "published": s.published.text if s.published else None,
                    "url": s.url or None,
                    "type": s.type,
                    "language": s.language,
                }
                for s in e.sources
            ],
        }
        _emit_json(doc)
        return
    when = e.date.display() + (f" to {e.end_date.display()}" if e.end_date else "")
    lines = [e.title, f"  id:           {e.id}", f"  date:         {when} ({e.date.precision})"]
    lines.append(f"  kind:         {e.kind}")
    if e.significance:
        lines.append(f"  significance: {e.significance}")
    if e.location:
        lines.append(f"  location:     {e.location}")
    if e.channels:
        lines.append(f"  channels:     {', '.join(e.channels)}")
    if e.initiator:
        lines.append(f"  initiator:    {e.initiator}")
    for p in e.participants:
        a = actors[p.actor]
        zh = f" {a.name_zh}" if a.name_zh else ""
        lines.append(f"  participant:  {a.name}{zh}" + (f", {p.role}" if p.role else ""))
    lines += ["", f"  {e.summary}"]
    for t in e.responds_to:
        lines.append(f"  responds to:  {by_id[t].date.display()} {by_id[t].title} [{t}]")
    for r in responses:
        lines.append(f"  response:     {by_id[r].date.display()} {by_id[r].title} [{r}]")
    if e.tags:
        lines.append(f"  tags:         {', '.join(e.tags)}")
    if e.notes:
        lines.append(f"  notes:        {e.notes}")
    lines.append("  sources:")
    for s in e.sources:
        pub = f", {s.published.display()}" if s.published else ""
        lines.append(f"    - {s.publisher}: {s.title}{pub} [{s.type}, {s.language}]")
        if s.url:
            lines.append(f"      {s.url}")
    typer.echo("\n".join(lines))


def _load_all(data: Path, db: str | None) -> tuple[Any, list[Any]]:
    from tracker.api import open_database
    from tracker.query import fetch_dataset
    from tracker.trajectory import derive_periods

    ds = fetch_dataset(open_database(data, db))
    return ds, derive_periods(ds.events, ds.channels)


@app.command()
@handle_errors
def periods(
    data: DataOption = Path(DEFAULT_DATA),
    db: DbOption = None,
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel", metavar="ID", help="One channel's suspensions (including those of 'all')."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Each suspension: start, end or ongoing, who suspended, trigger, duration and lag.

    Without --channel, each suspension is listed under the channels it named (a suspension
    of 'all' once). Durations of ongoing suspensions count up to today.
    """
    from tracker.problems import UsageError
    from tracker.trajectory import summarize_suspensions, suspension_episodes
    from tracker.validate import suggest

    ds, all_periods = _load_all(data, db)
    channel_ids = [c.id for c in ds.channels]
    if channel is not None and channel not in channel_ids:
        raise UsageError(
            f"--channel: {channel!r} is not a channel{suggest(channel, channel_ids)}; "
            f"use one of: {', '.join(channel_ids)}"
        )
    today = date.today()
    episodes = suspension_episodes(ds.events, all_periods, channel)
    summary = summarize_suspensions(episodes, today)
    by_id = {e.id: e for e in ds.events}
    if as_json:
        rows = [
            {
                "channel": s.period.channel,
                "start": s.period.start.isoformat(),
                "end": s.period.end.isoformat() if s.period.end else None,
                "ongoing": s.period.end is None,
                "initiator": s.period.initiator,
                "suspended_by": s.period.opened_by,
                "resumed_by": s.period.closed_by,
                "triggers": list(s.triggers),
                "days_suspended": s.duration(today),
                "days_from_trigger": s.lag_days,
            }
            for s in episodes
        ]
        _emit_json({"as_of": today.isoformat(), "suspensions": rows, "summary": summary})
        return
    who = {"CN": "PRC", "US": "US"}
    for s in episodes:
        p = s.period
        end = p.end.isoformat() if p.end else "ongoing"
        lag = f", {_days(s.lag_days)} after the trigger" if s.lag_days is not None else ""
        typer.echo(
            f"{p.channel:<16} {p.start} to {end:<10}  {_days(s.duration(today)):>10}  "
            f"suspended by {who.get(p.initiator or '', '?')}{lag}"
        )
        opener = by_id.get(p.opened_by or "")
        if opener:
            typer.echo(f"{'':16} suspension: {opener.title} [{opener.id}]")
        for t in s.triggers:
            if t in by_id:
                typer.echo(f"{'':16} trigger:    {by_id[t].date.display()} {by_id[t].title}")
        closer = by_id.get(p.closed_by or "")
        if closer:
            typer.echo(f"{'':16} resumed:    {closer.date.display()} {closer.title}")
    if summary["count"]:
        typer.echo(
            f"\n{summary['count']} suspension(s), {summary['ongoing']} ongoing; "
            f"median {summary['median_days']} days, longest {summary['longest_days']} days "
            f"[{summary['longest']}]"
        )
    else:
        typer.echo("No suspensions recorded.")


@app.command()
@handle_errors
def status(
    data: DataOption = Path(DEFAULT_DATA),
    db: DbOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="A briefing as of this day (e.g. '30 Jan 2010', 'Jan 2010'; default today). "
            "A month or year means its last day.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The state of every channel on a day, since when, and the last contact of each kind."""
    from tracker.trajectory import last_contacts, state_on

    day = parse_date_option(as_of, "--as-of", end=True) or date.today()
    ds, all_periods = _load_all(data, db)
    by_id = {e.id: e for e in ds.events}
    states = [
        None if c.established and day < c.established.first else state_on(all_periods, c.id, day)
        for c in ds.channels
    ]
    contacts = last_contacts(ds.events, day)
    if as_json:
        _emit_json(
            {
                "as_of": day.isoformat(),
                "channels": [
                    {
                        "channel": c.id,
                        "state": s.state if s else "not established",
                        "since": s.since.isoformat() if s else None,
                        "event": s.opened_by if s else None,
                        "initiator": s.initiator if s else None,
                    }
                    for c, s in zip(ds.channels, states, strict=True)
                ],
                "last_contacts": [
                    {
                        "kind": lc.label,
                        "event": lc.event_id,
                        "day": lc.day.isoformat() if lc.day else None,
                        "days_since": lc.days_since,
                    }
                    for lc in contacts
                ],
            }
        )
        return
    typer.echo(f"Status as of {day.isoformat()}")
    for c, s in zip(ds.channels, states, strict=True):
        if s is None:
            typer.echo(f"  {c.id:<18} not yet established or recorded")
            continue
        by = f" by {'the PRC' if s.initiator == 'CN' else 'the US'}" if s.initiator else ""
        typer.echo(f"  {c.id:<18} {s.state.upper()}{by} since {s.since.isoformat()}")
    typer.echo("Last contacts")
    for lc in contacts:
        if lc.event_id is None:
            typer.echo(f"  {lc.label:<28} none recorded")
        else:
            e = by_id[lc.event_id]
            typer.echo(f"  {lc.label:<28} {e.date.display()} ({lc.days_since} days ago): {e.title}")
