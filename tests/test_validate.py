"""Validation rules: one broken fixture file per rule, each problem positioned."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.api import load_dataset, load_valid_dataset
from tracker.problems import DataError

FIXTURES = Path(__file__).parent / "fixtures"

# rule file -> (code, line, field, severity) of the problem it must produce, and nothing else
EXPECTED = {
    "yaml-syntax": ("yaml-syntax", 57, None, "error"),
    "duplicate-key": ("duplicate-key", 41, None, "error"),
    "yaml-tag": ("yaml-tag", 40, None, "error"),
    "yaml-alias": ("yaml-alias", 40, None, "error"),
    "wrong-type": ("wrong-type", 40, "events[1].title", "error"),
    "missing-field": ("missing-field", 37, "events[1].summary", "error"),
    "unknown-field": ("unknown-field", 41, "events[1].sumary", "error"),
    "invalid-choice": ("invalid-choice", 39, "events[1].kind", "error"),
    "invalid-id": ("invalid-id", 63, "events[3].id", "error"),
    "duplicate-id": ("duplicate-id", 63, "events[3].id", "error"),
    "invalid-date": ("invalid-date", 38, "events[1].date", "error"),
    "end-before-start": ("end-before-start", 103, "events[6].end_date", "error"),
    "unknown-channel": ("unknown-channel", 107, "events[6].channels[0]", "error"),
    "unknown-actor": ("unknown-actor", 109, "events[6].participants[0].actor", "error"),
    "unknown-event": ("unknown-event", 55, "events[2].responds_to[0]", "error"),
    "responds-to-later": ("responds-to-later", 55, "events[2].responds_to[0]", "error"),
    "resumption-without-suspension": (
        "resumption-without-suspension",
        88,
        "events[2010-12-resumption].channels",
        "error",
    ),
    "missing-source": ("missing-source", 42, "events[1].sources", "error"),
    "formula-prefix": ("formula-prefix", 40, "events[1].title", "error"),
    "control-character": ("control-character", 40, "events[1].title", "error"),
    "invalid-url": ("invalid-url", 34, "events[0].sources[0].url", "error"),
    "invalid-significance": ("invalid-significance", 29, "events[0].significance", "error"),
    "invalid-country": ("invalid-country", 16, "actors[0].country", "error"),
    "missing-all-channel": ("missing-all-channel", 3, "channels", "error"),
    "empty-value": ("empty-value", 40, "events[1].title", "error"),
    "too-long": ("too-long", 40, "events[1].title", "error"),
    "likely-duplicate": (
        "likely-duplicate",
        47,
        "events[2010-01-29-arms-package-again]",
        "warning",
    ),
    "out-of-order": ("out-of-order", 64, "events[3].date", "warning"),
    "missing-name-zh": ("missing-name-zh", 17, "actors[1].name_zh", "notice"),
    "retired-id": ("retired-id", 37, "events[2010-01-29-arms-package].id", "error"),
}


def test_every_rule_fixture_is_listed() -> None:
    files = {p.stem.removeprefix("invalid-") for p in FIXTURES.glob("invalid-*.yaml")}
    assert files == set(EXPECTED)


def test_valid_fixture_has_no_problems() -> None:
    ds, report = load_dataset(FIXTURES / "valid.yaml")
    assert report.problems == []
    assert len(ds.events) == 7 and len(ds.actors) == 2 and len(ds.channels) == 3
    suspension = ds.event_by_id()["2010-01-30-prc-suspends"]
    assert suspension.channels == ("all",) and suspension.initiator == "CN"
    assert suspension.significance == 3 and suspension.tags == ("taiwan", "arms-sales")


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_each_rule_reports_one_positioned_problem(rule: str) -> None:
    path = FIXTURES / f"invalid-{rule}.yaml"
    _ds, report = load_dataset(path)
    code, line, field, severity = EXPECTED[rule]
    assert [(p.code, p.line, p.field, p.severity) for p in report.problems] == [
        (code, line, field, severity)
    ]
    (problem,) = report.problems
    assert problem.file == str(path)
    assert problem.col is not None and problem.message
    assert problem.format().startswith(f"{path}:{line}:{problem.col}: ")


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_strictness_follows_severity(rule: str) -> None:
    _ds, report = load_dataset(FIXTURES / f"invalid-{rule}.yaml")
    severity = EXPECTED[rule][3]
    assert report.passes(strict=False) == (severity != "error")
    assert report.passes(strict=True) == (severity == "notice")


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = (FIXTURES / "valid.yaml").read_text()
    text = text.replace('kind: "arms_sale"', 'kind: "arms"').replace(
        'date: "2010-06"', 'date: "2010-06-31"'
    )
    text = text.replace('country: "US"', 'country: "usa"')
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    _ds, report = load_dataset(bad)
    assert {p.code for p in report.errors} == {"invalid-choice", "invalid-date", "invalid-country"}


def test_suggestions_for_near_misses() -> None:
    _ds, report = load_dataset(FIXTURES / "invalid-unknown-actor.yaml")
    assert "did you mean 'robert-gates'?" in report.problems[0].message


def test_load_valid_dataset_raises_with_every_problem() -> None:
    with pytest.raises(DataError) as info:
        load_valid_dataset(FIXTURES / "invalid-duplicate-id.yaml")
    assert [p.code for p in info.value.problems] == ["duplicate-id"]
    with pytest.raises(DataError):
        load_valid_dataset(FIXTURES / "invalid-out-of-order.yaml", strict=True)
    assert load_valid_dataset(FIXTURES / "invalid-out-of-order.yaml").events


@pytest.mark.parametrize(
    "top",
    ["just text\n", "- a\n- b\n", "channels: []\nactors: []\nevents: {}\n", ""],
)
def test_wrong_top_level_shapes_are_problems_not_crashes(tmp_path: Path, top: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(top)
    _ds, report = load_dataset(path)
    assert not report.ok
