"""Building the database: every table filled, counts match the YAML, rebuild on change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tracker import model
from tracker.api import load_valid_dataset
from tracker.db import build_database, default_url, ensure_fresh, make_engine, read_meta
from tracker.problems import DataError

ROOT = Path(__file__).parent.parent


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.__tablename__: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in model.TABLES_IN_ORDER
            }
    finally:
        engine.dispose()


def test_build_fills_every_table_with_counts_from_the_yaml(valid_yaml: Path) -> None:
    ds = load_valid_dataset(valid_yaml)
    url = default_url(valid_yaml)
    result = build_database(ds, url)
    got = counts(url)
    assert got == result.counts
    assert got["event"] == 7 and got["channel"] == 3 and got["actor"] == 2
    assert got["source"] == sum(len(e.sources) for e in ds.events) == 7
    assert got["participation"] == 3
    assert got["event_channel"] == 3  # the suspension, the resumption, the dct visit
    assert got["event_link"] == 2
    assert got["event_tag"] == 2
    assert got["period"] > 0
    assert got["meta"] == 6


def test_partial_dates_are_stored_four_ways(valid_yaml: Path) -> None:
    url = default_url(valid_yaml)
    build_database(load_valid_dataset(valid_yaml), url)
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    row = con.execute(
        "select date, date_first, date_last, date_precision from event where id = ?",
        ("2010-06-gates-visit-declined",),
    ).fetchone()
    con.close()
    assert row == ("2010-06", "2010-06-01", "2010-06-30", "month")


def test_in_memory_database(valid_yaml: Path) -> None:
    ds = load_valid_dataset(valid_yaml)
    result = build_database(ds, "sqlite://")
    assert result.counts["event"] == 7


def test_rebuild_happens_only_when_the_yaml_changes(valid_yaml: Path) -> None:
    url = default_url(valid_yaml)
    first = ensure_fresh(valid_yaml, url)
    assert first.rebuilt
    again = ensure_fresh(valid_yaml, url)
    assert not again.rebuilt and again.content_hash == first.content_hash
    text = valid_yaml.read_text().replace("Leaders meet in Beijing", "Leaders meet in Beijing!")
    valid_yaml.write_text(text)
    third = ensure_fresh(valid_yaml, url)
    assert third.rebuilt and third.content_hash != first.content_hash
    assert read_meta(url)["content_hash"] == third.content_hash


def test_invalid_change_keeps_the_old_database(valid_yaml: Path) -> None:
    url = default_url(valid_yaml)
    ensure_fresh(valid_yaml, url)
    db_file = valid_yaml.with_suffix(".db")
    before = db_file.read_bytes()
    valid_yaml.write_text(valid_yaml.read_text().replace('kind: "summit"', 'kind: "sumit"'))
    with pytest.raises(DataError):
        ensure_fresh(valid_yaml, url)
    assert db_file.read_bytes() == before
    assert not [p for p in valid_yaml.parent.iterdir() if p.name.endswith(".tmp")]


def test_real_dataset_builds(tmp_path: Path) -> None:
    ds = load_valid_dataset(ROOT / "data" / "events.yaml", strict=True)
    result = build_database(ds, f"sqlite:///{tmp_path / 'real.db'}")
    assert result.counts["event"] == len(ds.events) >= 150
