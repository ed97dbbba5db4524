"""One Filters value selects the same events in SQL as in memory."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.api import load_valid_dataset, open_database
from tracker.problems import NotFoundError
from tracker.query import Filters, fetch_dataset, fetch_event, fetch_events

ROOT = Path(__file__).parent.parent

CASES = [
    Filters(),
    Filters(since=date(2010, 6, 15)),  # the month-precision June 2010 event overlaps
    Filters(until=date(2010, 6, 1)),
    Filters(since=date(2010, 2, 1), until=date(2010, 12, 31)),
    Filters(kinds=("suspension", "resumption")),
    Filters(channels=("dct",)),
    Filters(actors=("liang-guanglie",)),
    Filters(tags=("taiwan",)),
    Filters(search="BEIJING"),
    Filters(search="100%_"),
    Filters(kinds=("summit",), search="leaders"),
    Filters(ids=("2010-06-gates-visit-declined",)),
]


@pytest.mark.parametrize("filters", CASES)
def test_sql_and_memory_agree(valid_yaml: Path, filters: Filters) -> None:
    engine = open_database(valid_yaml)
    in_sql = [e.id for e in fetch_events(engine, filters)]
    in_memory = [e.id for e in load_valid_dataset(valid_yaml).events if filters.matches(e)]
    assert in_sql == in_memory


def test_span_overlap_keeps_partial_dates(valid_yaml: Path) -> None:
    engine = open_database(valid_yaml)
    ids = [e.id for e in fetch_events(engine, Filters(since=date(2010, 6, 30)))]
    assert ids[0] == "2010-06-gates-visit-declined"


def test_fetched_events_equal_the_validated_records(valid_yaml: Path) -> None:
    engine = open_database(valid_yaml)
    from_db = fetch_dataset(engine).events
    from_yaml = load_valid_dataset(valid_yaml).events
    assert from_db == from_yaml


def test_real_dataset_round_trips_through_the_database(tmp_path: Path) -> None:
    engine = open_database(ROOT / "data" / "events.yaml", f"sqlite:///{tmp_path / 'x.db'}")
    assert fetch_dataset(engine).events == load_valid_dataset(ROOT / "data" / "events.yaml").events


def test_unknown_id_suggests_the_closest(valid_yaml: Path) -> None:
    engine = open_database(valid_yaml)
    with pytest.raises(NotFoundError, match="did you mean 2010-01-30-prc-suspends"):
        fetch_event(engine, "2010-01-30-prc-suspend")
