"""Commands that change the record: add, edit, remove, and actor add.

Each gathers its options (prompting on a terminal for what is missing), makes one call to
`tracker.edit`, and shows what was written. Prompts happen only when stdin is a terminal;
`TRACKER_INTERACTIVE=1` / `=0` overrides that (tests drive the prompts with CliRunner).
Without a terminal a missing required value is a usage error naming its option, and a write
needs `--yes` (or `--dry-run` to see it first).
"""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tracker.cli.common import DEFAULT_DATA, DataOption, app, err, handle_errors, print_problems
from tracker.problems import Problem, UsageError

if TYPE_CHECKING:
    from tracker.edit import Names

ENV_INTERACTIVE = "TRACKER_INTERACTIVE"

actor_app = typer.Typer(
    name="actor", help="Manage the people and institutions events name.", no_args_is_help=True
)
app.add_typer(actor_app)

# --- options shared by add and edit -----------------------------------------------------------

DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date", metavar="DATE", help="When: '31 Oct 2025', 'Oct 2025', '2025' or 2025-10-31."
    ),
]
EndDateOpt = Annotated[
    str | None, typer.Option("--end-date", metavar="DATE", help="Last day, if several.")
]
KindOpt = Annotated[
    str | None, typer.Option("--kind", metavar="KIND", help="One of the kinds (see codebook).")
]
TitleOpt = Annotated[
    str | None, typer.Option("--title", metavar="TEXT", help="One line, plain text.")
]
SummaryOpt = Annotated[str | None, typer.Option("--summary", metavar="TEXT", help="1-3 sentences.")]
ChannelsOpt = Annotated[
    list[str] | None, typer.Option("--channel", metavar="ID", help="Channel id (repeatable).")
]
InitiatorOpt = Annotated[
    str | None,
    typer.Option("--initiator", metavar="US|CN", help="US or CN (suspensions, resumptions)."),
]
ParticipantsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--participant", metavar="ACTOR[:ROLE]", help="ACTOR_ID or ACTOR_ID:ROLE (repeatable)."
    ),
]
LocationOpt = Annotated[str | None, typer.Option("--location", metavar="PLACE", help="Place name.")]
SignificanceOpt = Annotated[
    int | None,
    typer.Option(
        "--significance", min=1, max=3, metavar="1-3", help="1 routine, 2, 3 turning point."
    ),
]
RespondsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--responds-to",
        metavar="EVENT_ID",
        help="Id of an earlier event this reacts to (repeatable).",
    ),
]
TagsOpt = Annotated[
    list[str] | None, typer.Option("--tag", metavar="SLUG", help="Tag slug (repeatable).")
]
NotesOpt = Annotated[str | None, typer.Option("--notes", metavar="TEXT", help="Curator's notes.")]
SrcPublisherOpt = Annotated[
    str | None,
    typer.Option(
        "--source-publisher", metavar="NAME", help="Who published the source (more: edit)."
    ),
]
SrcTitleOpt = Annotated[
    str | None, typer.Option("--source-title", metavar="TEXT", help="Its headline.")
]
SrcPublishedOpt = Annotated[
    str | None,
    typer.Option("--source-published", metavar="DATE", help="Its date (human dates accepted)."),
]
SrcUrlOpt = Annotated[
    str | None, typer.Option("--source-url", metavar="URL", help="http(s) address.")
]
SrcTypeOpt = Annotated[
    str | None,
    typer.Option(
        "--source-type", metavar="TYPE", help="official-us, official-prc, press or research."
    ),
]
SrcLanguageOpt = Annotated[
    str | None, typer.Option("--source-language", metavar="en|zh", help="en or zh.")
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Write without asking.")]
DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show what would be written; change nothing.")
]
DayFirstOpt = Annotated[
    bool | None,
    typer.Option(
        "--dayfirst/--monthfirst",
        help="Read 03/04/2010 as 3 April / as March 4.",
        show_default=False,
    ),
]

# Where a problem's field came from, to name the option in messages.
_FLAGS = {
    "id": "--id",
    "date": "--date",
    "end_date": "--end-date",
    "kind": "--kind",
    "title": "--title",
    "summary": "--summary",
    "channels": "--channel",
    "initiator": "--initiator",
    "participants": "--participant",
    "location": "--location",
    "significance": "--significance",
    "responds_to": "--responds-to",
    "tags": "--tag",
    "notes": "--notes",
}


def interactive() -> bool:
    """Prompt? On a terminal, unless TRACKER_INTERACTIVE says otherwise (1/0)."""
    env = os.environ.get(ENV_INTERACTIVE, "").strip().lower()
    if env:
        return env in ("1", "true", "yes", "on")
    return sys.stdin.isatty()


def flag_for(fieldname: str | None, actor_prefix: str = "--new-actor") -> str | None:
    """The option a problem's field came from: 'events[3].sources[0].url' -> '--source-url'."""
    if not fieldname:
        return None
    parts = fieldname.split(".")
    head = parts[0].split("[")[0]
    if head == "actors" or head == "actor":
        rest = parts[1] if len(parts) > 1 else "id"
        return actor_prefix if rest == "id" else f"{actor_prefix}-{rest.replace('_', '-')}"
    if head == "events":
        parts = parts[1:]
        if not parts:
            return None
        head = parts[0].split("[")[0]
    if head == "sources":
        return f"--source-{parts[-1]}" if len(parts) > 1 else "--source-publisher"
    return _FLAGS.get(head)


def as_flag_problems(problems: list[Problem]) -> list[Problem]:
    """Problems of a new record restated against the options that gave the values."""
    out = []
    for p in problems:
        flag = flag_for(p.field)
        message = p.message
        if p.code == "unknown-actor":
            message = message.replace(
                "add it under actors first",
                "add it in the same command with --new-actor ID --new-actor-name NAME "
                "--new-actor-country CC, or with `tracker actor add`",
            )
        out.append(Problem(p.code, message, p.severity, field=flag) if flag else p)
    return out


def _ask(question: str, *, default: str | None = None) -> str:
    return str(
        typer.prompt(question, default=default, err=True, show_default=default not in (None, ""))
    )


def _confirm(question: str) -> bool:
    return bool(typer.confirm(question, default=True, err=True))


def _need_go_ahead(yes: bool, dry_run: bool, what: str, question: str, preview: str) -> None:
    """Show `preview` and ask (on a terminal); elsewhere --yes is required."""
    if yes or dry_run:
        return
    if not interactive():
        raise UsageError(
            f"not on a terminal, so nothing is asked: pass --yes to {what} without "
            "confirmation, or --dry-run to see it first"
        )
    err(preview.rstrip("\n"))
    if not _confirm(question):
        err("Nothing written.")
        raise typer.Exit(1)


def _human_date(value: str, option: str, dayfirst: bool | None) -> str:
    from tracker.dates import DateError, parse_human_date

    try:
        return parse_human_date(value, dayfirst=dayfirst).text
    except DateError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _prompt_date(label: str, dayfirst: bool | None) -> str:
    from tracker.dates import DateError, parse_human_date

    while True:
        typed = _ask(f"{label} (e.g. 31 Oct 2025, Oct 2025, 2025)")
        try:
            d = parse_human_date(typed, dayfirst=dayfirst)
        except DateError as exc:
            err(f"  {exc}")
            continue
        err(f"  -> {d.text} ({d.display()}, {d.precision} precision)")
        return d.text


def _prompt_choice(
    label: str, choices: tuple[str, ...], notes: dict[str, str] | None = None
) -> str:
    from tracker.validate import suggest

    if notes:
        for i, c in enumerate(choices, 1):
            err(f"  {i:2d}. {c:<20} {notes.get(c, '')}")
    while True:
        typed = _ask(f"{label} ({'/'.join(choices) if not notes else 'name or number'})").strip()
        if typed.isdigit() and 1 <= int(typed) <= len(choices):
            return choices[int(typed) - 1]
        if typed in choices:
            return typed
        err(f"  {typed!r} is not one of them{suggest(typed, choices)}")


def _prompt_text(label: str) -> str:
    while True:
        typed = _ask(label).strip()
        if typed:
            return typed
        err("  this value is required")


def _resolve_id(value: str, known: dict[str, str], what: str, extra: set[str]) -> str | None:
    """An actor or channel id as typed, or (on a terminal) a known one the user picks."""
    if value in known or value in extra:
        return value
    close = difflib.get_close_matches(value, list(known) + sorted(extra), n=1, cutoff=0.6)
    err(f"{what} {value!r} is not known.")
    if close and _confirm(f"  Did you mean {close[0]!r} ({known.get(close[0], 'new')})?"):
        return close[0]
    while True:
        typed = _ask(f"  {what} id (empty to leave it out)", default="").strip()
        if not typed:
            return None
        if typed in known or typed in extra:
            return typed
        close = difflib.get_close_matches(typed, list(known), n=3, cutoff=0.5)
        hint = f"; close: {', '.join(close)}" if close else ""
        err(f"  {typed!r} is not known either{hint}")


# --- add --------------------------------------------------------------------------------------


@app.command()
@handle_errors
def add(
    data: DataOption = Path(DEFAULT_DATA),
    date: DateOpt = None,
    end_date: EndDateOpt = None,
    kind: KindOpt = None,
    title: TitleOpt = None,
    summary: SummaryOpt = None,
    channel: ChannelsOpt = None,
    initiator: InitiatorOpt = None,
    participant: ParticipantsOpt = None,
    location: LocationOpt = None,
    significance: SignificanceOpt = None,
    responds_to: RespondsOpt = None,
    tag: TagsOpt = None,
    notes: NotesOpt = None,
    source_publisher: SrcPublisherOpt = None,
    source_title: SrcTitleOpt = None,
    source_published: SrcPublishedOpt = None,
    source_url: SrcUrlOpt = None,
    source_type: SrcTypeOpt = None,
    source_language: SrcLanguageOpt = None,
    event_id: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="Event id (default: from date and title)."),
    ] = None,
    new_actor: Annotated[
        str | None,
        typer.Option("--new-actor", metavar="ID", help="Add this actor too (then name it)."),
    ] = None,
    new_actor_name: Annotated[str | None, typer.Option("--new-actor-name", metavar="NAME")] = None,
    new_actor_country: Annotated[
        str | None, typer.Option("--new-actor-country", metavar="CC", help="US, CN, TW, ...")
    ] = None,
    new_actor_name_zh: Annotated[
        str | None, typer.Option("--new-actor-name-zh", metavar="NAME")
    ] = None,
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
    dayfirst: DayFirstOpt = None,
) -> None:
    """Add an event: one option per field, prompts on a terminal for what is missing.

    The event is inserted at its place in date order; no other line of the file changes.
    Prints the new event's id on stdout.
    """
    from tracker.edit import add_event

    ask = interactive()
    values: dict[str, Any] = {
        "id": event_id,
        "date": date,
        "end_date": end_date,
        "kind": kind,
        "title": title,
        "summary": summary,
        "channels": list(channel or []),
        "initiator": initiator,
        "participants": [_participant(p) for p in participant or []],
        "location": location,
        "significance": significance,
        "responds_to": list(responds_to or []),
        "tags": list(tag or []),
        "notes": notes,
    }
    source = {
        "publisher": source_publisher,
        "title": source_title,
        "published": source_published,
        "url": source_url,
        "type": source_type,
        "language": source_language,
    }
    actor = None
    if new_actor or new_actor_name or new_actor_country or new_actor_name_zh:
        actor = {
            "id": new_actor,
            "name": new_actor_name,
            "name_zh": new_actor_name_zh,
            "country": new_actor_country,
        }
    _complete_event(values, source, actor, data, ask, dayfirst)
    values["sources"] = [source]
    try:
        if dry_run or not yes:  # a preview to show (or to confirm) first
            result = add_event(data, values, new_actor=actor, dry_run=True)
            question = f"Add this to {data}?"
            _need_go_ahead(yes, dry_run, "add the event", question, _add_preview(result))
        if not dry_run:
            result = add_event(data, values, new_actor=actor)
    except UsageError as exc:
        exc.problems = as_flag_problems(exc.problems)
        raise
    print_problems(result.warnings + result.notices)
    if dry_run:
        typer.echo(
            (result.actor_block + "\n" if result.actor_block else "") + result.block, nl=False
        )
        err(f"dry run: nothing written; the event would start at {data}:{result.line}")
        return
    if result.actor_id:
        err(f"Added actor {result.actor_id} at {data}:{result.actor_line}")
    n = result.block.count("\n")
    err(f"Added {result.id} at {data}:{result.line} ({n} lines)")
    typer.echo(result.id)


def _participant(value: str) -> dict[str, str]:
    actor, _sep, role = value.partition(":")
    return {"actor": actor.strip(), "role": role.strip()}


def _add_preview(result: Any) -> str:
    parts = []
    if result.actor_block:
        parts.append(f"New actor, at line {result.actor_line}:\n{result.actor_block}")
    parts.append(f"New event, at line {result.line}:\n{result.block}")
    text = "\n".join(parts)
    for p in result.warnings:
        text += f"warning: {p.message} [{p.code}]\n"
    return text


def _complete_event(
    values: dict[str, Any],
    source: dict[str, Any],
    actor: dict[str, Any] | None,
    data: Path,
    ask: bool,
    dayfirst: bool | None,
) -> None:
    """Fill in what is missing (on a terminal) or name every missing option (elsewhere)."""
    from tracker import vocab

    needed = [("date", "--date"), ("kind", "--kind"), ("title", "--title")]
    needed += [("summary", "--summary")]
    state_change = values.get("kind") in vocab.STATE_CHANGE_KINDS
    src_needed = [
        ("publisher", "--source-publisher"),
        ("title", "--source-title"),
        ("type", "--source-type"),
        ("language", "--source-language"),
    ]
    actor_needed = [("id", "--new-actor"), ("name", "--new-actor-name")]
    actor_needed += [("country", "--new-actor-country")]
    for record, key, flag in (
        (values, "date", "--date"),
        (values, "end_date", "--end-date"),
        (source, "published", "--source-published"),
    ):
        if record.get(key):
            try:
                record[key] = _human_date(record[key], flag, dayfirst)
            except UsageError as exc:
                if not ask or key != "date":
                    raise
                err(exc.message)
                record[key] = None
    if not ask:
        missing = [flag for key, flag in needed if not values.get(key)]
        if state_change:
            missing += [
                f
                for k, f in (("channels", "--channel"), ("initiator", "--initiator"))
                if not values.get(k)
            ]
        missing += [flag for key, flag in src_needed if not source.get(key)]
        if actor is not None:
            missing += [flag for key, flag in actor_needed if not actor.get(key)]
        if missing:
            raise UsageError(
                f"missing {', '.join(missing)}: not on a terminal, so nothing is asked; "
                "pass them as options"
            )
        return
    names = _names(data)
    if actor is not None:
        for key, _flag in actor_needed:
            if not actor.get(key):
                actor[key] = _prompt_text(f"New actor {key}")
    if not values.get("date"):
        values["date"] = _prompt_date("Date", dayfirst)
    if values.get("kind") not in vocab.KINDS:
        if values.get("kind"):
            from tracker.validate import suggest

            err(f"{values['kind']!r} is not a kind{suggest(values['kind'], vocab.KINDS)}")
        err("Kinds:")
        values["kind"] = _prompt_choice("Kind", vocab.KINDS, vocab.KIND_DESCRIPTIONS)
    for key in ("title", "summary"):
        if not values.get(key):
            values[key] = _prompt_text(key.capitalize())
    extra_actors = {actor["id"]} if actor and actor.get("id") else set()
    kept = []
    for p in values["participants"]:
        aid = _resolve_id(p["actor"], names.actors, "actor", extra_actors)
        if aid:
            kept.append({**p, "actor": aid})
    values["participants"] = kept
    values["channels"] = [
        c
        for c in (_resolve_id(c, names.channels, "channel", set()) for c in values["channels"])
        if c
    ]
    if values["kind"] in vocab.STATE_CHANGE_KINDS:
        while not values["channels"]:
            err("Channels: " + ", ".join(names.channels))
            typed = [c.strip() for c in _ask("Channels (comma-separated ids)").split(",")]
            values["channels"] = [
                c
                for c in (_resolve_id(t, names.channels, "channel", set()) for t in typed if t)
                if c
            ]
        if values.get("initiator") not in vocab.INITIATORS:
            values["initiator"] = _prompt_choice("Initiator", vocab.INITIATORS)
    if not source.get("publisher"):
        source["publisher"] = _prompt_text("Source publisher")
        if not source.get("title"):
            source["title"] = _prompt_text("Source title")
        if not source.get("url"):
            source["url"] = _ask("Source URL (optional)", default="").strip() or None
        if not source.get("published"):
            typed = _ask("Source published (optional date)", default="").strip()
            if typed:
                source["published"] = _human_date(typed, "source published", dayfirst)
    if not source.get("title"):
        source["title"] = _prompt_text("Source title")
    if source.get("type") not in vocab.SOURCE_TYPES:
        source["type"] = _prompt_choice("Source type", vocab.SOURCE_TYPES)
    if source.get("language") not in vocab.LANGUAGES:
        source["language"] = _prompt_choice("Source language", vocab.LANGUAGES)


def _names(data: Path) -> Names:
    from tracker.edit import known_names

    return known_names(data)


# --- edit -------------------------------------------------------------------------------------


@app.command()
@handle_errors
def edit(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The event's id.")],
    data: DataOption = Path(DEFAULT_DATA),
    date: DateOpt = None,
    end_date: EndDateOpt = None,
    kind: KindOpt = None,
    title: TitleOpt = None,
    summary: SummaryOpt = None,
    channel: ChannelsOpt = None,
    initiator: InitiatorOpt = None,
    participant: ParticipantsOpt = None,
    location: LocationOpt = None,
    significance: SignificanceOpt = None,
    responds_to: RespondsOpt = None,
    tag: TagsOpt = None,
    notes: NotesOpt = None,
    source_publisher: SrcPublisherOpt = None,
    source_title: SrcTitleOpt = None,
    source_published: SrcPublishedOpt = None,
    source_url: SrcUrlOpt = None,
    source_type: SrcTypeOpt = None,
    source_language: SrcLanguageOpt = None,
    unset: Annotated[
        list[str] | None,
        typer.Option("--unset", metavar="FIELD", help="Remove an optional field, e.g. notes."),
    ] = None,
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
    dayfirst: DayFirstOpt = None,
) -> None:
    """Change fields of one event; only that event's lines change.

    A list option (--channel, --participant, --responds-to, --tag) replaces the whole list.
    The --source-* options add a source. A new date moves the event to its place.
    """
    from tracker.edit import edit_event

    changes: dict[str, Any] = {
        "date": _human_date(date, "--date", dayfirst) if date else None,
        "end_date": _human_date(end_date, "--end-date", dayfirst) if end_date else None,
        "kind": kind,
        "title": title,
        "summary": summary,
        "channels": channel or None,
        "initiator": initiator,
        "participants": [_participant(p) for p in participant] if participant else None,
        "location": location,
        "significance": significance,
        "responds_to": responds_to or None,
        "tags": tag or None,
        "notes": notes,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    for name in unset or []:
        field = name.replace("-", "_")
        if field in changes:
            raise UsageError(f"--unset {name}: the field is also given a value")
        changes[field] = None
    source = {
        "publisher": source_publisher,
        "title": source_title,
        "published": _human_date(source_published, "--source-published", dayfirst)
        if source_published
        else None,
        "url": source_url,
        "type": source_type,
        "language": source_language,
    }
    sources = [source] if any(source.values()) else []
    if not changes and not sources:
        raise UsageError(
            "nothing to change: give at least one --FIELD VALUE, --source-* or --unset"
        )
    preview = edit_event(data, event_id, changes, add_sources=sources, dry_run=True)
    diff = _diff(preview, str(data))
    if dry_run:
        typer.echo(diff, nl=False)
        err("dry run: nothing written")
        return
    _need_go_ahead(yes, dry_run, "edit the event", f"Write this change to {data}?", diff)
    result = edit_event(data, event_id, changes, add_sources=sources)
    where = f"moved to {data}:{result.line}" if result.moved else f"at {data}:{result.line}"
    err(f"Edited {result.id} ({where})")


def _diff(result: Any, name: str) -> str:
    old = result.old_block.splitlines(keepends=True)
    new = result.block.splitlines(keepends=True)
    return "".join(
        difflib.unified_diff(old, new, f"{name}:{result.old_line}", f"{name}:{result.line}", n=1)
    )


# --- remove -----------------------------------------------------------------------------------


@app.command()
@handle_errors
def remove(
    event_id: Annotated[str, typer.Argument(metavar="ID", help="The event's id.")],
    data: DataOption = Path(DEFAULT_DATA),
    force: Annotated[
        bool,
        typer.Option("--force", help="Also drop other events' responds_to references to it."),
    ] = False,
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Remove one event. Its id is kept under retired_ids and never reused.

    Refused while other events name it in responds_to, unless --force.
    """
    from tracker.edit import remove_event

    preview = remove_event(data, event_id, force=force, dry_run=True)
    shown = "".join(f"-{line}" for line in preview.block.splitlines(keepends=True))
    if preview.referrers:
        shown += f"and its id is dropped from responds_to of: {', '.join(preview.referrers)}\n"
    if dry_run:
        typer.echo(shown, nl=False)
        err("dry run: nothing written")
        return
    _need_go_ahead(yes, dry_run, "remove the event", f"Remove {event_id} from {data}?", shown)
    result = remove_event(data, event_id, force=force)
    extra = f"; references dropped from {len(result.referrers)}" if result.referrers else ""
    err(f"Removed {result.id} (was at {data}:{result.line}); its id is retired{extra}")


# --- actor add --------------------------------------------------------------------------------


@actor_app.command("add")
@handle_errors
def actor_add(
    actor_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="Slug, e.g. dong-jun.")
    ] = None,
    data: DataOption = Path(DEFAULT_DATA),
    name: Annotated[
        str | None, typer.Option("--name", metavar="NAME", help="Name in Latin script.")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", metavar="CC", help="ISO code: US, CN, TW, ...")
    ] = None,
    name_zh: Annotated[
        str | None, typer.Option("--name-zh", metavar="NAME", help="Name in Chinese characters.")
    ] = None,
    description: Annotated[str | None, typer.Option("--description", metavar="TEXT")] = None,
    yes: YesOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Add an actor (a person or institution events can name as a participant)."""
    from tracker.edit import add_event

    actor: dict[str, Any] = {
        "id": actor_id,
        "name": name,
        "name_zh": name_zh,
        "country": country,
        "description": description,
    }
    needed = (("id", "ID"), ("name", "--name"), ("country", "--country"))
    if interactive():
        for key, _flag in needed:
            if not actor.get(key):
                actor[key] = _prompt_text(f"Actor {key}")
    else:
        missing = [flag for key, flag in needed if not actor.get(key)]
        if missing:
            raise UsageError(
                f"missing {', '.join(missing)}: not on a terminal, so nothing is asked; "
                "pass them as arguments"
            )
    try:
        preview = add_event(data, None, new_actor=actor, dry_run=True)
        if dry_run:
            result = preview
        else:
            _need_go_ahead(
                yes,
                dry_run,
                "add the actor",
                f"Add this actor to {data}?",
                f"New actor, at line {preview.actor_line}:\n{preview.actor_block}",
            )
            result = add_event(data, None, new_actor=actor)
    except UsageError as exc:
        exc.problems = [
            Problem(p.code, p.message, p.severity, field=_actor_flag(p.field)) for p in exc.problems
        ]
        raise
    print_problems(result.notices)
    if dry_run:
        typer.echo(result.actor_block, nl=False)
        err(f"dry run: nothing written; the actor would start at {data}:{result.actor_line}")
        return
    err(f"Added actor {result.actor_id} at {data}:{result.actor_line}")


def _actor_flag(fieldname: str | None) -> str | None:
    """'actors[3].country' -> '--country' (the options of `tracker actor add`)."""
    last = (fieldname or "").split(".")[-1]
    if last in ("id", ""):
        return "ID"
    return f"--{last.replace('_', '-')}"
