"""Partial dates: parsing, spans, precision, display, ordering, and human input."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import DateError, PartialDate, parse_human_date, parse_partial_date


@pytest.mark.parametrize(
    ("text", "first", "last", "precision", "shown"),
    [
        ("2010-01-30", date(2010, 1, 30), date(2010, 1, 30), "day", "30 Jan 2010"),
        ("2010-01", date(2010, 1, 1), date(2010, 1, 31), "month", "Jan 2010"),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29), "month", "Feb 2012"),
        ("2010", date(2010, 1, 1), date(2010, 12, 31), "year", "2010"),
        ("2010-01~", date(2010, 1, 1), date(2010, 1, 31), "month", "c. Jan 2010"),
        ("1996-03?", date(1996, 3, 1), date(1996, 3, 31), "month", "Mar 1996?"),
    ],
)
def test_partial_date_span_and_display(
    text: str, first: date, last: date, precision: str, shown: str
) -> None:
    d = parse_partial_date(text)
    assert (d.first, d.last, d.precision, d.display(), d.text) == (
        first,
        last,
        precision,
        shown,
        text,
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2010-13-02", "month 13"),
        ("2010-02-30", "has days 01-28"),
        ("1899", "outside 1900-2100"),
        ("2101-01", "outside 1900-2100"),
        ("10-01-2010", "YYYY"),
        ("2010/01/30", "YYYY"),
        ("", "YYYY"),
        ("2010-1-3", "YYYY"),
        ("2010-01-30~?", "YYYY"),
    ],
)
def test_invalid_partial_dates_say_what_is_valid(text: str, fragment: str) -> None:
    with pytest.raises(DateError, match=fragment):
        parse_partial_date(text)


def test_sort_key_orders_by_first_day_then_finer_precision() -> None:
    texts = ["2010", "2010-01", "2010-01-01", "2009-12-31", "2010-02"]
    ordered = sorted((parse_partial_date(t) for t in texts), key=lambda d: d.sort_key)
    assert [d.text for d in ordered] == ["2009-12-31", "2010-01-01", "2010-01", "2010", "2010-02"]


def test_overlaps_uses_the_whole_span() -> None:
    jan = parse_partial_date("2010-01")
    assert jan.overlaps(date(2010, 1, 31), None)
    assert not jan.overlaps(date(2010, 2, 1), None)
    assert jan.overlaps(None, date(2010, 1, 1))


partial_dates = st.builds(
    lambda y, m, d, q, prec: PartialDate(
        y, m if prec != "year" else None, min(d, 28) if prec == "day" else None, q
    ),
    st.integers(1900, 2100),
    st.integers(1, 12),
    st.integers(1, 31),
    st.sampled_from(["", "~", "?"]),
    st.sampled_from(["day", "month", "year"]),
)


@given(partial_dates)
def test_text_round_trips(d: PartialDate) -> None:
    again = parse_partial_date(d.text)
    assert again == d
    assert again.first <= again.last
    assert again.overlaps(again.first, again.last)


@given(st.text(max_size=30))
def test_arbitrary_text_never_crashes(text: str) -> None:
    for parse in (parse_partial_date, parse_human_date):
        try:
            d = parse(text)
        except DateError:
            continue
        assert 1900 <= d.year <= 2100


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31 Oct 2025", "2025-10-31"),
        ("31 October 2025", "2025-10-31"),
        ("October 31, 2025", "2025-10-31"),
        ("Oct 2025", "2025-10"),
        ("October 2025", "2025-10"),
        ("2025", "2025"),
        ("2025-10", "2025-10"),
        ("1/30/2010", "2010-01-30"),
        ("30/1/2010", "2010-01-30"),
        ("c. Jan 2010", "2010-01~"),
        ("Jan 2010?", "2010-01?"),
    ],
)
def test_human_dates_keep_the_precision_typed(typed: str, expected: str) -> None:
    assert parse_human_date(typed).text == expected


def test_ambiguous_numeric_date_needs_a_hint() -> None:
    with pytest.raises(DateError, match="ambiguous"):
        parse_human_date("3/4/2010")
    assert parse_human_date("3/4/2010", dayfirst=True).text == "2010-04-03"
    assert parse_human_date("3/4/2010", dayfirst=False).text == "2010-03-04"


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("Spring 2015", "Spring"),
        ("Oct", "no year"),
        ("31 Oct", "no year"),
        ("1/2/10", "four digits"),
        ("yesterday", "yesterday"),
    ],
)
def test_human_dates_never_fill_in_from_today(typed: str, fragment: str) -> None:
    with pytest.raises(DateError, match=fragment):
        parse_human_date(typed)
