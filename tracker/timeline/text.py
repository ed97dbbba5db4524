"""Words, labels and escaped snippets shared by the figures and the page (pure).

Safety rule (reliability.md, HTML): every string that comes from the data goes through `esc`
before it reaches Plotly or the page. The only markup in a snippet is markup we add ourselves
(`<b>`, `<br>`, `<i>`), around text that is already escaped.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from tracker.records import Actor, Event

WHO: dict[str, str] = {"CN": "the PRC", "US": "the US"}
WHO_SHORT: dict[str, str] = {"CN": "PRC", "US": "US"}

KIND_LABELS: dict[str, str] = {
    "summit": "Leaders' summit",
    "defense_ministerial": "Defense ministers",
    "senior_visit": "Senior visit",
    "dialogue_round": "Dialogue round",
    "call": "Call",
    "agreement": "Agreement",
    "exercise": "Exercise or port call",
    "arms_sale": "Arms sale to Taiwan",
    "incident": "Incident",
    "political": "Political trigger",
    "cancellation": "Cancellation",
    "suspension": "Suspension",
    "resumption": "Resumption",
}

FAMILY_LABELS: dict[str, str] = {
    "leaders & ministers": "Leaders & ministers",
    "military dialogue": "Military dialogue",
    "friction": "Friction",
    "suspensions & resumptions": "Suspensions & resumptions",
}

SOURCE_TYPE_LABELS: dict[str, str] = {
    "official-us": "US official",
    "official-prc": "PRC official",
    "press": "press",
    "research": "research",
}

PRECISION_NOTES: dict[str, str] = {
    "day": "",
    "month": "day not known",
    "year": "month not known",
}


def esc(text: object) -> str:
    """Escape text for HTML (and for Plotly's HTML-like labels): & < > " '."""
    return html.escape(str(text), quote=True)


@lru_cache(maxsize=32)
def _line_re(width: int) -> re.Pattern[str]:
    # the longest run of at most `width` characters that ends before a space; else one word
    return re.compile(r"\S.{0," + str(width - 1) + r"}(?=\s|$)|\S+")


def wrap(text: str, width: int = 72, max_lines: int | None = None) -> str:
    """Escaped text broken into lines with <br>; cut with an ellipsis after `max_lines`.

    Wraps the escaped text at whitespace with one regular expression (textwrap is twenty
    times slower, and the hover labels of 100,000 events go through here). Entities never
    contain whitespace, so a line never cuts one; a word longer than `width` keeps a line to
    itself.
    """
    lines: list[str] = []
    for m in _line_re(width).finditer(esc(" ".join(text.split()))):
        if max_lines is not None and len(lines) == max_lines:
            lines[-1] = lines[-1].rstrip(" .,;:") + " …"
            break
        lines.append(m.group())
    return "<br>".join(lines)


def day_text(d: date) -> str:
    """A day at full precision: '30 Jan 2010'."""
    return f"{d.day} {calendar.month_abbr[d.month]} {d.year}"


def when(e: Event) -> str:
    """The event's date at its true precision, with its end if it has one."""
    text = e.date.display()
    if e.end_date is not None:
        text += " – " + e.end_date.display()
    return text


def precision_note(e: Event) -> str:
    """'day not known' for a month-precision date, and so on; '' for days."""
    return PRECISION_NOTES[e.date.precision]


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def duration_text(start: date, end: date) -> str:
    """A duration as a reader says it: '23 days', '10 months', '4 years 4 months'."""
    days = (end - start).days
    if days < 60:
        return "1 day" if days == 1 else f"{days} days"
    months = months_between(start, end)
    if months < 24:
        return f"{months} months"
    years, rest = divmod(months, 12)
    out = f"{years} years"
    if rest:
        out += f" {rest} month" + ("s" if rest != 1 else "")
    return out


def length_text(days: int) -> str:
    """A number of days as a reader says it ('10 months'), for totals without an anchor."""
    from datetime import timedelta

    base = date(2001, 1, 1)
    return duration_text(base, base + timedelta(days=days))


def actor_label(actor: Actor | None, actor_id: str, role: str = "") -> str:
    """'Liang Guanglie 梁光烈 (Minister of National Defense)' (plain text, not escaped)."""
    if actor is None:
        name = actor_id
    else:
        name = actor.name + (f" {actor.name_zh}" if actor.name_zh else "")
    return f"{name} ({role})" if role else name


def participants(e: Event, actors: Mapping[str, Actor]) -> list[str]:
    return [actor_label(actors.get(p.actor), p.actor, p.role) for p in e.participants]


def publishers(e: Event) -> list[str]:
    return list(dict.fromkeys(s.publisher for s in e.sources))


def safe_url(url: str) -> str | None:
    """The URL if it is an http(s) address with a host; anything else is never linked."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def join_names(names: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def event_hover(e: Event, actors: Mapping[str, Actor], *, compact: bool = False) -> str:
    """The hover label of one event: escaped data between our own constant tags.

    `compact` (pages drawn with WebGL, thousands of events) keeps the date, kind, title and
    who took part, and leaves the summary and sources to the details a click opens: the
    labels are most of the page's chart data, and a reader skimming thousands of markers
    reads titles.
    """
    note = precision_note(e)
    head = esc(when(e)) + (f" <i>({note})</i>" if note else "")
    parts = [
        f"<b>{wrap(e.title, 60, 2)}</b>",
        f"{head} · {esc(KIND_LABELS.get(e.kind, e.kind))}",
    ]
    if compact:
        names = [actors[p.actor].name if p.actor in actors else p.actor for p in e.participants]
        if names:
            parts.append("With: " + wrap(", ".join(names), 72, 1))
        return "<br>".join(parts)
    people = participants(e, actors)
    if people:
        parts.append("With: " + wrap("; ".join(people), 72, 2))
    if e.location:
        parts.append("In: " + esc(e.location))
    parts.append(wrap(e.summary, 72, 4))
    pubs = publishers(e)
    if pubs:
        parts.append("<i>Sources: " + wrap("; ".join(pubs), 72, 2) + "</i>")
    parts.append("<i>Click for details and sources</i>")
    return "<br>".join(parts)
