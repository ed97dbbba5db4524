"""Property tests: any valid dataset -> export CSV -> import into an empty dataset -> the same
events; and the cell encodings (lists, spreadsheet neutralisation) are exact inverses."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracker import vocab
from tracker.api import load_dataset, load_valid_dataset
from tracker.export.cells import (
    FORMULA_STARTS,
    join_list,
    neutralise,
    split_list,
    unneutralise,
)
from tracker.export.csvimport import event_mapping, import_events
from tracker.export.csvout import render_events_csv
from tracker.export.selection import select
from tracker.records import Event
from tracker.validate import event_order
from tracker.yamltext import dump_dataset

# Text the validator accepts: no control characters or line/paragraph separators, nothing a
# YAML reader refuses (unassigned code points, surrogates), plus the characters CSV and the
# list encoding must survive.
_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Co", "Zl", "Zp"))
_AWKWARD = st.sampled_from(list(";\",'=+-@ #|\\<>&梁光烈马\u00e9\u00a0\u200b\ufeff😀aZ9"))
_ALPHABET = st.one_of(_AWKWARD, _AWKWARD, _CHARS)


def _short(min_size: int = 1) -> st.SearchStrategy[str]:
    """A one-line text field (title, role, publisher...)."""
    return (
        st.text(_ALPHABET, min_size=min_size, max_size=12)
        .map(str.strip)
        .filter(lambda s: len(s) >= min_size and not s.startswith(vocab.FORMULA_PREFIXES))
    )


def _long() -> st.SearchStrategy[str]:
    """A multi-line text field (summary, notes): tabs and line breaks allowed inside."""
    return (
        st.text(st.one_of(_ALPHABET, st.sampled_from(["\n", "\t"])), min_size=1, max_size=20)
        .map(str.strip)
        .filter(bool)
    )


_SLUG = st.lists(st.text("abcxyz019", min_size=1, max_size=5), min_size=1, max_size=2).map("-".join)
CHANNELS = ["all", "dct", "mmca"]
ACTORS = ["robert-gates", "liang-guanglie", "ma-xiaotian"]


@st.composite
def _dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(1991, 2030))
    precision = draw(st.sampled_from(["day", "month", "year"]))
    text = f"{year:04d}"
    if precision != "year":
        month = draw(st.integers(1, 12))
        text += f"-{month:02d}"
        if precision == "day":
            text += f"-{draw(st.integers(1, 28)):02d}"
    return text + draw(st.sampled_from(vocab.QUALIFIERS))


@st.composite
def _source(draw: st.DrawFn) -> dict[str, str]:
    return {
        "publisher": draw(_short()),
        "title": draw(_short()),
        "published": draw(st.one_of(st.just(""), _dates())),
        "url": draw(st.one_of(st.just(""), _SLUG.map(lambda s: f"https://example.org/{s}?q=1"))),
        "type": draw(st.sampled_from(vocab.SOURCE_TYPES)),
        "language": draw(st.sampled_from(vocab.LANGUAGES)),
    }


@st.composite
def _event(draw: st.DrawFn, n: int) -> dict[str, object]:
    date = draw(_dates())
    kind = draw(st.sampled_from(vocab.KINDS))
    state_change = kind in vocab.STATE_CHANGE_KINDS
    end = ""
    if draw(st.booleans()) and not date.endswith(("~", "?")):
        end = str(int(date[:4]) + draw(st.integers(1, 2)))
    return {
        "id": f"{date.rstrip('~?')}-e{n}-{draw(_SLUG)}",
        "date": date,
        "end_date": end,
        "kind": kind,
        "title": draw(_short()),
        "summary": draw(_long()),
        "channels": draw(
            st.lists(st.sampled_from(CHANNELS), min_size=int(state_change), max_size=3)
        ),
        "initiator": draw(st.sampled_from(vocab.INITIATORS))
        if state_change or draw(st.booleans())
        else "",
        "participants": [
            {"actor": a, "role": draw(st.one_of(st.just(""), _short()))}
            for a in draw(st.lists(st.sampled_from(ACTORS), max_size=3))
        ],
        "location": draw(st.one_of(st.just(""), _short())),
        "significance": draw(st.sampled_from(["", "1", "2", "3"])),
        "responds_to": [],
        "sources": draw(st.lists(_source(), min_size=1, max_size=2)),
        "tags": draw(st.lists(_SLUG, max_size=3)),
        "notes": draw(st.one_of(st.just(""), _long())),
    }


HEADER = """channels:
  - id: "all"
    name: "All contacts"
  - id: "dct"
    name: "DCT"
  - id: "mmca"
    name: "MMCA; talks"

actors:
  - id: "robert-gates"
    name: "Robert Gates"
    country: "US"
  - id: "liang-guanglie"
    name: "Liang Guanglie"
    name_zh: "梁光烈"
    country: "CN"
  - id: "ma-xiaotian"
    name: "Ma Xiaotian"
    name_zh: "马晓天"
    country: "CN"
"""

# Every generated dataset opens with a suspension of 'all', so any resumption is valid.
OPENING = {
    "id": "1990-01-01-opening-suspension",
    "date": "1990-01-01",
    "kind": "suspension",
    "title": "Opening suspension",
    "summary": "Contacts are suspended.",
    "channels": ["all"],
    "initiator": "US",
    "sources": [{"publisher": "P", "title": "T", "type": "press", "language": "en"}],
}


@st.composite
def datasets(draw: st.DrawFn) -> str:
    """The text of a valid events.yaml (checked by the test with `assume`)."""
    events = [draw(_event(i)) for i in range(draw(st.integers(1, 4)))]
    # Link some events to earlier ones (responds_to points back in time).
    first_day = {e["id"]: str(e["date"]).rstrip("~?") for e in events}
    for e in events:
        earlier = [i for i, d in first_day.items() if d < str(e["date"]) and i != e["id"]]
        if earlier and draw(st.booleans()):
            e["responds_to"] = draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
    doc = dump_dataset([], [], [OPENING, *events])
    return HEADER + doc[doc.index("\nevents:") :]


def _normal(events: list[Event]) -> list[Event]:
    return [dataclasses.replace(e, line=0) for e in events]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes cache an index of the file (tracker.edit); keep it out of the user's cache."""
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(tmp_path / "cache"))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=datasets())
def test_any_valid_dataset_survives_export_then_import(tmp_path: Path, text: str) -> None:
    source = tmp_path / "source.yaml"
    source.write_text(text, "utf-8")
    ds, report = load_dataset(source)
    assume(report.ok)
    # The file keeps events in date order; sort the generated ones the same way.
    ordered = sorted(ds.events, key=event_order)
    if ordered != ds.events:
        from tracker.yamltext import dump_event

        blocks = "\n".join(dump_event(event_mapping(e)) for e in ordered)
        source.write_text(HEADER + "\nevents:\n" + blocks, "utf-8")
        ds = load_valid_dataset(source)
    exported = tmp_path / "export.csv"
    exported.write_bytes(render_events_csv(select(source)))
    target = tmp_path / "target.yaml"
    target.write_text(HEADER + "\nevents: []\n", "utf-8")
    plan = import_events(exported, target)
    assert plan.written and len(plan.added) == len(ds.events)
    assert _normal(load_valid_dataset(target).events) == _normal(ds.events)


@given(st.lists(_short(0).filter(lambda s: s.strip() == s), max_size=5))
def test_joined_lists_split_back_exactly(items: list[str]) -> None:
    joined = join_list(items)
    if items:
        assert split_list(joined) == items
    else:
        assert split_list(joined) == [""]


@given(st.text(max_size=20))
def test_neutralised_cells_never_start_like_a_formula_and_undo_exactly(cell: str) -> None:
    safe = neutralise(cell)
    assert not safe.startswith(FORMULA_STARTS)
    assert unneutralise(safe) == cell
