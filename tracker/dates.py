"""Partial dates: a year, a month or a day, optionally approximate (~) or uncertain (?).

Pure functions only. A `PartialDate` knows the span it covers (first and last day), its
precision and how to display itself, so that sorting, filtering and drawing never pretend a
month-precision event happened on the 1st.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

YEAR_MIN, YEAR_MAX = 1900, 2100

_PARTIAL_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?]?)$")
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
FORMAT_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by ~ or ?"


class DateError(ValueError):
    """A date string that is not a valid partial date; the message says what would be."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    qualifier: str = ""  # "", "~" (approximate) or "?" (uncertain)

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def first(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> date:
        if self.day is not None:
            return self.first
        if self.month is not None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    @property
    def text(self) -> str:
        """The canonical string, as stored in events.yaml."""
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        return out + self.qualifier

    @property
    def sort_key(self) -> tuple[date, int]:
        """Sort by first day; at the same first day the more precise date comes first."""
        return (self.first, _PRECISION_RANK[self.precision])

    def display(self) -> str:
        """Human form at the true precision: '30 Jan 2010', 'Jan 2010', '2010', 'c. Jan 2010'."""
        if self.day is not None:
            core = f"{self.day} {calendar.month_abbr[self.month or 1]} {self.year}"
        elif self.month is not None:
            core = f"{calendar.month_abbr[self.month]} {self.year}"
        else:
            core = str(self.year)
        if self.qualifier == "~":
            return f"c. {core}"
        if self.qualifier == "?":
            return f"{core}?"
        return core

    def overlaps(self, start: date | None, end: date | None) -> bool:
        """True if this date's span meets the closed interval [start, end] (None = open)."""
        return (start is None or self.last >= start) and (end is None or self.first <= end)

    def __str__(self) -> str:
        return self.text


def parse_partial_date(text: str) -> PartialDate:
    """Parse the dataset's own format: YYYY, YYYY-MM or YYYY-MM-DD, then an optional ~ or ?."""
    if not isinstance(text, str):
        raise DateError(f"expected a date as text; {FORMAT_HINT}")
    m = _PARTIAL_RE.match(text.strip())
    if not m:
        raise DateError(f"{text!r} is not a valid date; {FORMAT_HINT}")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    return make_partial_date(year, month, day, m.group(4), original=text)


def make_partial_date(
    year: int, month: int | None, day: int | None, qualifier: str = "", original: str = ""
) -> PartialDate:
    shown = original or f"{year}-{month}-{day}"
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise DateError(f"{shown!r}: year {year} is outside {YEAR_MIN}-{YEAR_MAX}")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{shown!r} is not a valid date: month {month} is not 01-12")
    if day is not None:
        assert month is not None
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise DateError(
                f"{shown!r} is not a valid date: {calendar.month_name[month]} {year} "
                f"has days 01-{last:02d}"
            )
    if qualifier not in ("", "~", "?"):
        raise DateError(f"{shown!r}: qualifier must be ~ (approximate) or ? (uncertain)")
    return PartialDate(year, month, day, qualifier)


# --- human input (CLI) --------------------------------------------------------------------

_MONTH_WORDS = {
    name.lower() for i in range(1, 13) for name in (calendar.month_name[i], calendar.month_abbr[i])
} | {"sept"}
_FILLER_WORDS = {"st", "nd", "rd", "th", "of"}
_NUMERIC_DMY = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{1,4})\s*$")


def parse_human_date(text: str, *, dayfirst: bool | None = None) -> PartialDate:
    """Turn what a person typed ("31 Oct 2025", "Oct 2025", "1/30/2010") into a PartialDate.

    The precision is what was typed: missing parts are never filled in from today. Numeric
    day/month forms that could be read both ways are refused unless `dayfirst` says which.
    """
    raw = text.strip()
    qualifier = ""
    if raw[-1:] in ("~", "?"):
        qualifier, raw = raw[-1], raw[:-1].strip()
    if raw.lower().startswith(("c.", "circa ", "about ")):
        qualifier, raw = "~", raw.split(None, 1)[1] if " " in raw else ""
    if not raw:
        raise DateError("empty date; type e.g. '31 Oct 2025', 'Oct 2025' or '2025'")
    try:
        return parse_partial_date(raw + qualifier)
    except DateError as exc:
        if _PARTIAL_RE.match(raw + qualifier):
            raise exc
    numeric = _NUMERIC_DMY.match(raw)
    if numeric:
        a, b, y = (int(g) for g in numeric.groups())
        if len(numeric.group(3)) != 4:
            raise DateError(f"{text!r}: write the year with four digits")
        if dayfirst is None:
            if a <= 12 and b <= 12 and a != b:
                raise DateError(
                    f"{text!r} is ambiguous (day/month or month/day?); "
                    "write it as YYYY-MM-DD or pass --dayfirst / --monthfirst"
                )
            dayfirst = a > 12
        day, month = (a, b) if dayfirst else (b, a)
        return make_partial_date(y, month, day, qualifier, original=text)
    words = re.findall(r"[A-Za-z]+", raw)
    unknown = [w for w in words if w.lower() not in _MONTH_WORDS | _FILLER_WORDS]
    if unknown:
        raise DateError(
            f"{text!r}: cannot read {unknown[0]!r} as part of a date; "
            "type e.g. '31 Oct 2025', 'October 2025' or '2025-10-31'"
        )
    from datetime import datetime

    from dateutil import parser as du_parser

    # Parse twice with different defaults: a part that changes with the default was not typed.
    d1, d2 = datetime(2000, 1, 1), datetime(2004, 2, 2)
    try:
        p1 = du_parser.parse(raw, default=d1, dayfirst=bool(dayfirst))
        p2 = du_parser.parse(raw, default=d2, dayfirst=bool(dayfirst))
    except (ValueError, OverflowError) as exc:
        raise DateError(
            f"{text!r} is not a date I can read; type e.g. '31 Oct 2025', 'Oct 2025' or "
            "'2025-10-31'"
        ) from exc
    if p1.year != p2.year:
        raise DateError(f"{text!r} has no year; add the four-digit year")
    if not re.search(r"\d{4}", raw):
        raise DateError(f"{text!r}: write the year with four digits")
    has_month = p1.month == p2.month
    has_day = p1.day == p2.day
    if has_day and not has_month:
        raise DateError(f"{text!r} has a day but no month")
    return make_partial_date(
        p1.year, p1.month if has_month else None, p1.day if has_day else None, qualifier, text
    )
