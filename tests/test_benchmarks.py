"""Benchmark data and floor stay honest: the generator's output validates cleanly, builds, covers
the schema, and the benchmark's floor writes the same rows as `tracker build`. No timings."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from tracker import vocab
from tracker.api import load_dataset
from tracker.db import build_database

BENCH = Path(__file__).parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    """benchmarks/ is a folder of scripts, not a package: load a script by its path."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _load("generate")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_small_dataset_validates_without_any_problem_and_builds(
    gen: ModuleType, tmp_path: Path
) -> None:
    path = _write(tmp_path, gen.generate(50, seed=1))
    ds, report = load_dataset(path)
    assert report.problems == []
    assert len(ds.events) == 50
    result = build_database(ds, f"sqlite:///{tmp_path / 'events.db'}")
    assert result.counts["event"] == 50
    assert result.counts["source"] == sum(len(e.sources) for e in ds.events)


def test_generator_covers_the_schema(gen: ModuleType, tmp_path: Path) -> None:
    ds, report = load_dataset(_write(tmp_path, gen.generate(400, seed=0)))
    assert report.problems == []
    assert Counter(e.kind for e in ds.events).keys() == set(vocab.KINDS)
    assert {e.date.precision for e in ds.events} == set(vocab.PRECISIONS)
    assert {e.date.qualifier for e in ds.events} == set(vocab.QUALIFIERS)
    assert any(e.end_date for e in ds.events)
    assert any(e.kind == "suspension" and e.channels == ("all",) for e in ds.events)
    assert all(2 <= len(e.participants) <= 4 for e in ds.events)
    assert all(1 <= len(e.sources) <= 3 for e in ds.events)
    assert any(e.tags for e in ds.events)
    by_id = ds.event_by_id()
    resumptions = [e for e in ds.events if e.kind == "resumption"]
    assert resumptions
    for e in resumptions:  # each resumes what the suspension it responds to suspended
        (opener,) = e.responds_to
        assert by_id[opener].kind == "suspension"
        assert by_id[opener].channels == e.channels
    assert any(ch.id == vocab.ALL_CHANNEL for ch in ds.channels)
    assert {a.country for a in ds.actors} == {"US", "CN"}


def test_text_is_plainly_synthetic(gen: ModuleType) -> None:
    channels, actors, events = gen.generate_records(100, seed=3)
    assert all(e["title"].startswith("Synthetic event ") for e in events)
    assert all(e["summary"].startswith("Synthetic event ") for e in events)
    assert all(a["name"].startswith("Synthetic Actor ") for a in actors)
    urls = [s["url"] for e in events for s in e["sources"] if "url" in s]
    assert urls and all(u.startswith("https://example.org/synthetic/") for u in urls)
    assert gen.generate(100, seed=3).startswith("# SYNTHETIC benchmark data")


def test_output_is_deterministic_per_seed(gen: ModuleType) -> None:
    assert gen.generate(30, seed=7) == gen.generate(30, seed=7)
    assert gen.generate(30, seed=7) != gen.generate(30, seed=8)
    assert gen.generate(0).count("- id:") == 8 + 40  # channels and actors, no events


def test_script_writes_the_file(gen: ModuleType, tmp_path: Path) -> None:
    out = tmp_path / "ev.yaml"
    assert gen.main(["20", "-o", str(out), "--seed", "2"]) == 0
    assert out.read_text(encoding="utf-8") == gen.generate(20, seed=2)


def test_floor_writes_the_same_rows_as_the_tracker(gen: ModuleType, tmp_path: Path) -> None:
    bench = _load("bench_build")
    path = _write(tmp_path, gen.generate(60, seed=4))
    data = bench.floor_parse(path)
    bench.check_floor_schema(data)
    floor_db = tmp_path / "floor.db"
    bench.floor_insert(data, floor_db, bench.schema_ddl())
    ds = bench.tracker_validate(path)
    tracker_db = tmp_path / "tracker.db"
    bench.tracker_build(ds, tracker_db)

    def dump(db: Path, table: str) -> list[tuple[object, ...]]:
        """Every row, every column but those the floor leaves empty on purpose."""
        con = sqlite3.connect(db)
        try:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
            keep = [c for c in cols if c not in bench.FLOOR_SKIPS.get(table, ())]
            return sorted(con.execute(f"SELECT {', '.join(keep)} FROM {table}"), key=repr)
        finally:
            con.close()

    for table in bench.floor_rows(data):
        assert dump(floor_db, table) == dump(tracker_db, table), table
