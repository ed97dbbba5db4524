"""The timeline benchmark stays honest and touches only its own section of the docs.
No timings here: benchmarks run on demand (benchmarks/bench_timeline.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(BENCH))  # the script imports benchmarks/generate.py by name
    try:
        spec = importlib.util.spec_from_file_location("bench_timeline", BENCH / "bench_timeline.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_update_doc_replaces_only_the_timeline_section(bench: ModuleType, tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\n## Build\n\nkeep me\n\n## Timeline\n\nold\n\n## Export\n\nme too\n"
    )
    bench.update_doc("new table", doc)
    text = doc.read_text()
    assert "keep me" in text and "me too" in text and "old" not in text
    assert text.index("## Build") < text.index("new table") < text.index("## Export")
    fresh = tmp_path / "none.md"
    bench.update_doc("first", fresh)
    assert fresh.read_text() == "# Benchmarks\n\n## Timeline\n\nfirst\n"


def test_baseline_draws_the_same_points(bench: ModuleType, tmp_path: Path) -> None:
    from test_timeline_page import write_dataset

    from tracker.api import load_valid_dataset
    from tracker.timeline.figures import lanes

    events = load_valid_dataset(write_dataset(tmp_path)).events
    out = tmp_path / "bare.html"
    assert bench.baseline_page(events, out) == out.stat().st_size
    text = out.read_text()
    start = text.index("Plotly.newPlot(")
    data = json.JSONDecoder().raw_decode(text, text.index("[", start))[0]
    (trace,) = data
    assert trace["type"] == "scatter" and len(trace["x"]) == len(events)
    assert trace["y"] == [lanes()[e.kind] for e in events]
