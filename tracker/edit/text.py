"""Lines, sort keys, ids and event blocks: the small text helpers every edit uses."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from tracker import vocab
from tracker.dates import DateError, parse_partial_date
from tracker.yamltext import dump_record

RETIRED_KEY = "retired_ids"
RETIRED_COMMENT = "# Ids of removed events, kept so that they are never reused (tracker remove)."
SortKey = tuple[date, int, str]


# --- lines --------------------------------------------------------------------------------------

_YAML_BREAKS = re.compile(
    r"[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029])|[^\r\n\x85\u2028\u2029]+$"
)


def split_lines(text: str) -> list[str]:
    """Lines with their ends, broken where YAML breaks them (so loader line numbers match)."""
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return _YAML_BREAKS.findall(text)
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out


def _newline(lines: Sequence[str]) -> str:
    return "\r\n" if lines and lines[0].endswith("\r\n") else "\n"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


def _comment(line: str, max_indent: int) -> bool:
    stripped = line.lstrip(" ")
    return stripped.startswith("#") and _indent(line) <= max_indent


def _content_end(lines: Sequence[str], start: int, stop: int, key_indent: int) -> int:
    """Last line (1-based) in [start, stop) that is part of a record beginning at `start`.

    Trailing blank lines and comments indented no deeper than the record's keys are left out
    (a block scalar's text would be indented deeper, so it is never mistaken for them).
    """
    end = stop - 1
    while end > start and (_blank(lines[end - 1]) or _comment(lines[end - 1], key_indent)):
        end -= 1
    return end


# --- sort keys, ids, blocks ----------------------------------------------------------------------


def event_sort_key(date_text: str, event_id: str) -> SortKey:
    """The file's order: first day, then finer precision first, then id.

    Raises DateError for a date that is not in the dataset's format.
    """
    d = parse_partial_date(date_text)
    return (*d.sort_key, event_id)


def _safe_sort_key(date_text: str, event_id: str) -> SortKey:
    try:
        return event_sort_key(date_text, event_id)
    except DateError:
        return (date.max, 9, event_id)


def event_block(event: Mapping[str, Any]) -> tuple[SortKey, str]:
    """An event mapping as (sort key, house-style YAML list item) for insert_event_blocks."""
    key = event_sort_key(str(event["date"]), str(event["id"]))
    return key, dump_record(event, vocab.EVENT_FIELDS)


_STOP_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with over after before".split()
)
MAX_ID_WORDS = 6
# Letters NFKD does not take apart into an ASCII letter and accents.
_TRANSLIT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "þ": "th",
        "ð": "d",
    }
)


def new_event_id(date_text: str, title: str, taken: Iterable[str] = ()) -> str:
    """`YYYY-MM-DD-short-words` from the date (at its precision) and the title; unique.

    Words are the title's, lowercased and transliterated to ASCII, without small words,
    at most six; `-2`, `-3`, ... are appended while the id is taken (or retired).
    """
    core = parse_partial_date(date_text).text.rstrip("~?")
    folded = unicodedata.normalize("NFKD", title.translate(_TRANSLIT))
    ascii_title = folded.encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_title.lower()) if w not in _STOP_WORDS]
    slug = "-".join(words[:MAX_ID_WORDS]) or "event"
    base = f"{core}-{slug}"
    used = set(taken)
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
