"""tracker.edit: minimal text changes (add, edit, remove) through the one safe write."""

from __future__ import annotations

import difflib
import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import edit
from tracker.api import load_dataset, load_valid_dataset
from tracker.edit import (
    RETIRED_COMMENT,
    add_event,
    edit_event,
    event_block,
    insert_event_blocks,
    new_event_id,
    remove_event,
    transact,
)
from tracker.problems import DataError, NotFoundError, UsageError

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own index cache, never the developer's."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def handwritten(tmp_path: Path) -> Path:
    target = tmp_path / "hand.yaml"
    shutil.copyfile(FIXTURES / "edit-handwritten.yaml", target)
    return target


@pytest.fixture
def real_copy(tmp_path: Path) -> Path:
    """A temp copy of the real dataset (never the file itself)."""
    target = tmp_path / "real" / "events.yaml"
    target.parent.mkdir()
    shutil.copyfile(ROOT / "data" / "events.yaml", target)
    return target


def source(**extra: str) -> dict[str, str]:
    return {"publisher": "Example Press", "title": "A report", "type": "press", "language": "en"}


def event(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "date": "2010-06-15",
        "kind": "call",
        "title": "Officials hold a call",
        "summary": "A call is held.",
        "sources": [source()],
    }
    return base | fields


def only_added(old: str, new: str) -> list[str]:
    """The added lines, sorted, asserting that every old line is still there, in order.

    Sorted because a diff may align repeated lines (`type: "press"`) either way; what was
    added, as a multiset, does not depend on that.
    """
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), (tag, a[i1:i2], b[j1:j2])
        if tag == "insert":
            added += b[j1:j2]
    return sorted(added)


def lines_at(text: str, line: int, block: str) -> bool:
    """Does `block` stand in `text` from 1-based `line` on?"""
    n = block.count("\n")
    return "".join(text.splitlines(keepends=True)[line - 1 : line - 1 + n]) == block


# --- add ------------------------------------------------------------------------------------


def test_add_then_validate(valid_yaml: Path) -> None:
    result = add_event(valid_yaml, event())
    ds = load_valid_dataset(valid_yaml, strict=True)
    assert result.id == "2010-06-15-officials-hold-call"
    assert [e.id for e in ds.events].index(result.id) == 4  # between 2010-06 and 2010-10-12
    assert result.written and result.incremental


@pytest.mark.parametrize("date", ["1990", "2010-01-30", "2010-06", "2010-06-30", "2030-01-01"])
@pytest.mark.parametrize("fixture", ["valid.yaml", "edit-handwritten.yaml", "real"])
def test_add_inserts_lines_only_at_the_event_place(tmp_path: Path, fixture: str, date: str) -> None:
    """Only added lines; the event's own, where the result says; in date order (strict
    validation fails on an out-of-order event)."""
    path = tmp_path / "events.yaml"
    shutil.copyfile(
        ROOT / "data" / "events.yaml" if fixture == "real" else FIXTURES / fixture, path
    )
    before = path.read_text(encoding="utf-8")
    result = add_event(path, event(date=date, title="Inserted for the test"))
    after = path.read_text(encoding="utf-8")
    added = only_added(before, after)
    assert [a for a in added if a.strip()] == sorted(result.block.splitlines(keepends=True))
    assert lines_at(after, result.line, result.block)
    load_valid_dataset(path, strict=True)
    assert result.incremental  # the splice check proved it without a whole-file check


def test_blank_lines_follow_the_neighbours(real_copy: Path, valid_yaml: Path) -> None:
    """Late in the real file events are separated by a blank line; in the fixture they are
    not. A new event is separated as its neighbours are."""
    before = real_copy.read_text(encoding="utf-8")
    assert '"\n\n  - id: "2025-10-31-hegseth-dong-kuala-lumpur"' in before
    result = add_event(real_copy, event(date="2025-10-31", title="Test event"))
    after = real_copy.read_text(encoding="utf-8")
    lines = after.splitlines()
    n = result.block.count("\n")
    assert lines[result.line - 2] == "" and lines[result.line - 1 + n] == ""
    assert only_added(before, after).count("\n") == 1
    before = valid_yaml.read_text(encoding="utf-8")
    add_event(valid_yaml, event(date="2010-06-15"))
    added = only_added(before, valid_yaml.read_text(encoding="utf-8"))
    assert all(line.strip() for line in added)


@pytest.mark.parametrize("fixture", ["valid.yaml", "edit-handwritten.yaml", "real"])
@pytest.mark.parametrize("date", ["1990", "2010-06-15", "2030"])
def test_add_then_remove_restores_the_file(tmp_path: Path, fixture: str, date: str) -> None:
    """Byte for byte, apart from the retired id now on record (ids are never reused)."""
    path = tmp_path / "events.yaml"
    shutil.copyfile(
        ROOT / "data" / "events.yaml" if fixture == "real" else FIXTURES / fixture, path
    )
    original = path.read_bytes()
    result = add_event(path, event(date=date))
    remove_event(path, result.id)
    retired = f'\n{RETIRED_COMMENT}\nretired_ids:\n  - "{result.id}"\n'.encode()
    assert path.read_bytes() == original + retired
    # Once the list exists, another add and remove adds exactly one line to it.
    second = add_event(path, event(date=date, title="Another call"))
    remove_event(path, second.id)
    assert path.read_bytes() == original + retired + f'  - "{second.id}"\n'.encode()
    load_valid_dataset(path, strict=True)


def test_generated_ids_are_unique_and_never_reuse_retired_ones(valid_yaml: Path) -> None:
    first = add_event(valid_yaml, event()).id
    second = add_event(valid_yaml, event(summary="Another one.")).id
    assert second == f"{first}-2"
    remove_event(valid_yaml, second)
    third = add_event(valid_yaml, event(summary="A third one.")).id
    assert third == f"{first}-3"


def test_new_event_id() -> None:
    assert new_event_id("2025-10-31", "Hegseth and Dong Jun meet in Kuala Lumpur") == (
        "2025-10-31-hegseth-dong-jun-meet-kuala-lumpur"
    )
    assert new_event_id("2010-01~", "PRC suspends exchanges") == "2010-01-prc-suspends-exchanges"
    assert new_event_id("2010", "Über-Größe à Pékin, Łódź") == "2010-uber-grosse-pekin-lodz"
    assert new_event_id("2010", "!!!") == "2010-event"
    assert new_event_id("2010", "A b", ["2010-b", "2010-b-2"]) == "2010-b-3"
    many = "one two three four five six seven eight"
    assert new_event_id("2010", many) == "2010-one-two-three-four-five-six"


def test_explicit_id_is_kept(valid_yaml: Path) -> None:
    result = add_event(valid_yaml, event(id="2010-06-15-my-own-id"))
    assert result.id == "2010-06-15-my-own-id"
    assert "2010-06-15-my-own-id" in {e.id for e in load_valid_dataset(valid_yaml).events}


def test_likely_duplicate_is_a_warning_not_a_refusal(real_copy: Path) -> None:
    result = add_event(
        real_copy,
        event(
            date="2025-10-31",
            kind="defense_ministerial",
            title="Hegseth and Dong Jun meet at ADMM-Plus in Kuala Lumpur",
        ),
        dry_run=True,
    )
    (warning,) = result.warnings
    assert warning.code == "likely-duplicate"
    assert "2025-10-31-hegseth-dong-kuala-lumpur" in warning.message
    assert warning.line == result.line


def test_add_with_a_new_actor(valid_yaml: Path) -> None:
    before = valid_yaml.read_text(encoding="utf-8")
    actor = {"id": "dong-jun", "name": "Dong Jun", "name_zh": "董军", "country": "CN"}
    result = add_event(
        valid_yaml,
        event(participants=[{"actor": "dong-jun", "role": "Minister"}]),
        new_actor=actor,
    )
    after = valid_yaml.read_text(encoding="utf-8")
    added = only_added(before, after)
    assert len(added) == 4 + result.block.count("\n")
    assert lines_at(
        after,
        result.actor_line,
        '  - id: "dong-jun"\n    name: "Dong Jun"\n    name_zh: "董军"\n    country: "CN"\n',
    )
    ds = load_valid_dataset(valid_yaml, strict=True)
    assert [a.id for a in ds.actors] == ["robert-gates", "liang-guanglie", "dong-jun"]
    lines = valid_yaml.read_text(encoding="utf-8").splitlines()
    assert lines[result.actor_line - 1] == '  - id: "dong-jun"'
    assert lines[result.line - 1] == f'  - id: "{result.id}"'


def test_actor_alone_goes_in_the_actors_order(real_copy: Path) -> None:
    """The real file lists actors by country, then id."""
    before = real_copy.read_text(encoding="utf-8")
    for aid, country in (("dong-jun-2", "CN"), ("aaa-test", "US"), ("zzz-test", "TW")):
        actor = {"id": aid, "name": "Test Person", "country": country, "name_zh": "测试"}
        result = add_event(real_copy, None, new_actor=actor)
        assert result.id == "" and result.actor_id == aid
    only_added(before, real_copy.read_text(encoding="utf-8"))
    actors = [(a.country, a.id) for a in load_valid_dataset(real_copy).actors]
    assert actors == sorted(actors)
    ids = [a[1] for a in actors]
    assert ids.index("dong-jun-2") == ids.index("dong-jun") + 1


# --- refusals leave the file as it was ---------------------------------------------------------

BAD_EVENTS = {  # case -> (the problem code it must produce, the event)
    "invalid-kind": ("invalid-choice", event(kind="sumit")),
    "unknown-actor": ("unknown-actor", event(participants=[{"actor": "liang-guanglei"}])),
    "unknown-channel": ("unknown-channel", event(channels=["dtc"])),
    "unknown-event": ("unknown-event", event(responds_to=["2010-01-29-arms-pakage"])),
    "responds-to-later": ("responds-to-later", event(responds_to=["2011-01-09-gates-beijing"])),
    "invalid-url": ("invalid-url", event(sources=[source() | {"url": "ftp://x"}])),
    "formula-prefix": ("formula-prefix", event(title="=HYPERLINK()")),
    "line-separator": ("control-character", event(title="a\u2028b")),
    "no-sources": ("missing-field", event(sources=[])),
    "suspension-without-channels": ("missing-field", event(kind="suspension")),
    "resumption-without-suspension": (
        "resumption-without-suspension",
        event(date="2009-12", kind="resumption", channels=["dct"], initiator="US"),
    ),
    "end-before-start": ("end-before-start", event(end_date="2010-06-01")),
    "duplicate-id": ("duplicate-id", event(id="2010-01-30-prc-suspends")),
    "invalid-id": ("invalid-id", event(id="Not An Id")),
    "invalid-significance": ("invalid-significance", event(significance="7")),
}


@pytest.mark.parametrize("case", sorted(BAD_EVENTS))
def test_invalid_new_event_is_refused_and_nothing_changes(valid_yaml: Path, case: str) -> None:
    code, bad = BAD_EVENTS[case]
    before = valid_yaml.read_bytes()
    with pytest.raises(UsageError) as info:
        add_event(valid_yaml, bad)
    assert code in {p.code for p in info.value.problems}
    assert valid_yaml.read_bytes() == before


@pytest.mark.parametrize("case", sorted(set(BAD_EVENTS) - {"duplicate-id"}))
def test_problems_match_a_whole_file_validation(valid_yaml: Path, case: str) -> None:
    """The index-based check reports what validating the whole result would, at the same
    lines and fields."""
    add_event(valid_yaml, event(title="Warm the index", date="2001"))  # a cached index now
    with pytest.raises(UsageError) as info:
        add_event(valid_yaml, BAD_EVENTS[case][1])
    incremental = {(p.code, p.line, p.field) for p in info.value.problems}
    bad = edit.clean_record(BAD_EVENTS[case][1])
    bad.setdefault("id", new_event_id(bad["date"], bad["title"]))
    text = insert_event_blocks(valid_yaml.read_text(encoding="utf-8"), [event_block(bad)])
    _ds, report = load_dataset(valid_yaml, raw=text.encode("utf-8"))
    whole = {(p.code, p.line, p.field) for p in report.errors}
    assert incremental == whole


def test_refused_when_the_file_is_already_invalid(tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    shutil.copyfile(FIXTURES / "invalid-unknown-actor.yaml", path)
    before = path.read_bytes()
    with pytest.raises(DataError) as info:
        add_event(path, event())
    assert "fix it first" in info.value.message
    assert [p.code for p in info.value.problems] == ["unknown-actor"]
    assert path.read_bytes() == before


def test_retired_id_is_refused(valid_yaml: Path) -> None:
    remove_event(valid_yaml, "2010-06-gates-visit-declined")
    before = valid_yaml.read_bytes()
    with pytest.raises(UsageError) as info:
        add_event(valid_yaml, event(id="2010-06-gates-visit-declined"))
    assert "never reused" in info.value.message
    assert valid_yaml.read_bytes() == before


def test_validator_refuses_a_retired_id_in_use() -> None:
    _ds, report = load_dataset(FIXTURES / "invalid-retired-id.yaml")
    assert report.flatten() == [
        ("retired-id", 37, "events[2010-01-29-arms-package].id"),
    ]


def test_duplicate_actor_is_refused(valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    with pytest.raises(UsageError, match="already exists"):
        add_event(valid_yaml, None, new_actor={"id": "robert-gates", "name": "X", "country": "US"})
    assert valid_yaml.read_bytes() == before


# --- the index --------------------------------------------------------------------------------


def test_second_add_uses_the_cached_index(
    valid_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_event(valid_yaml, event())
    sizes: list[int] = []
    real = edit.add.load_document

    def spy(name: str, raw: bytes | None = None) -> Any:
        sizes.append(len(raw or b""))
        return real(name, raw)

    for module in (edit.add, edit.index, edit.safewrite, edit.splice):
        monkeypatch.setattr(module, "load_document", spy)
    result = add_event(valid_yaml, event(title="Second call"))
    assert result.incremental
    assert max(sizes) < valid_yaml.stat().st_size / 2  # only small documents were parsed
    load_valid_dataset(valid_yaml, strict=True)


def test_a_damaged_index_is_only_a_cache_miss(valid_yaml: Path, _cache: Path) -> None:
    add_event(valid_yaml, event())
    for f in _cache.glob("index-*.json"):
        f.write_text('{"format": 3, "tool": "0.1.0", "hash": "nope"', encoding="utf-8")
    add_event(valid_yaml, event(title="Second call"))
    load_valid_dataset(valid_yaml, strict=True)


def test_cache_can_be_turned_off(valid_yaml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_CACHE_DIR", "off")
    assert edit.cache_dir() is None
    add_event(valid_yaml, event())
    add_event(valid_yaml, event(title="Second call"))
    load_valid_dataset(valid_yaml, strict=True)


def test_inconclusive_splice_check_falls_back_on_the_whole_file(
    valid_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(edit.add, "_splice_ok", lambda *a, **k: None)
    result = add_event(valid_yaml, event())
    assert not result.incremental
    load_valid_dataset(valid_yaml, strict=True)


def test_index_follows_hand_edits(valid_yaml: Path) -> None:
    """A hand edit between two adds changes the hash: the next add re-reads everything."""
    add_event(valid_yaml, event())
    text = valid_yaml.read_text(encoding="utf-8").replace("events:\n", "events:\n  # hand\n")
    valid_yaml.write_text(text, encoding="utf-8")
    before = valid_yaml.read_text(encoding="utf-8")
    add_event(valid_yaml, event(title="After the hand edit", date="2011"))
    only_added(before, valid_yaml.read_text(encoding="utf-8"))
    load_valid_dataset(valid_yaml, strict=True)


# --- insert_event_blocks ----------------------------------------------------------------------


def test_insert_event_blocks_puts_each_at_its_place(real_copy: Path) -> None:
    before = real_copy.read_text(encoding="utf-8")
    blocks = [
        event_block(event(id=f"{d}-block-{i}", date=d, title=f"Block {i}"))
        for i, d in enumerate(["2030", "1950-02", "2010-06-15", "2010-06-15", "1950-02-01"])
    ]
    after = insert_event_blocks(before, blocks)
    only_added(before, after)
    _ds, report = load_dataset(real_copy, raw=after.encode("utf-8"))
    assert report.passes(strict=True), report.sorted()
    ids = [e.id for e in _ds.events]
    assert ids[:2] == ["1950-02-01-block-4", "1950-02-block-1"]
    assert ids[-1] == "2030-block-0"
    assert ids.index("2010-06-15-block-2") + 1 == ids.index("2010-06-15-block-3")


def test_insert_into_an_empty_flow_list(tmp_path: Path) -> None:
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    empty = text[: text.index("events:")] + "events: []\n"
    path = tmp_path / "events.yaml"
    path.write_text(empty, encoding="utf-8")
    add_event(path, event())
    assert len(load_valid_dataset(path).events) == 1


# --- edit ---------------------------------------------------------------------------------------


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    minus, plus = [], []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("- "):
            minus.append(line[2:])
        elif line.startswith("+ "):
            plus.append(line[2:])
    return minus, plus


def test_edit_touches_only_the_field_lines(real_copy: Path) -> None:
    before = real_copy.read_text(encoding="utf-8")
    eid = "2025-10-31-hegseth-dong-kuala-lumpur"
    result = edit_event(real_copy, eid, {"location": "Kuala Lumpur", "significance": "3"})
    minus, plus = changed_lines(before, real_copy.read_text(encoding="utf-8"))
    assert minus == ['    location: "Kuala Lumpur, Malaysia"', '    significance: "2"']
    assert plus == ['    location: "Kuala Lumpur"', '    significance: "3"']
    assert not result.moved
    load_valid_dataset(real_copy)


def test_edit_adds_a_missing_field_in_codebook_order_and_a_source(valid_yaml: Path) -> None:
    before = valid_yaml.read_text(encoding="utf-8")
    extra = source() | {"url": "https://example.org/more", "published": "2010-10-13"}
    edit_event(
        valid_yaml, "2010-10-12-gates-liang-hanoi", {"location": "Hanoi"}, add_sources=[extra]
    )
    after = valid_yaml.read_text(encoding="utf-8")
    added = only_added(before, after)
    assert added == sorted(
        [
            '    location: "Hanoi"\n',
            '      - publisher: "Example Press"\n',
            '        title: "A report"\n',
            '        published: "2010-10-13"\n',
            '        url: "https://example.org/more"\n',
            '        type: "press"\n',
            '        language: "en"\n',
        ]
    )
    lines = after.splitlines()
    start = lines.index('  - id: "2010-10-12-gates-liang-hanoi"')
    assert start < lines.index('    location: "Hanoi"') < lines.index("    sources:", start)
    (ev,) = [e for e in load_valid_dataset(valid_yaml).events if e.id.endswith("hanoi")]
    assert ev.location == "Hanoi" and len(ev.sources) == 2


def test_edit_keeps_hand_formatting_around_the_change(handwritten: Path) -> None:
    before = handwritten.read_text(encoding="utf-8")
    edit_event(handwritten, "2009-11-17-obama-hu-summit", {"summary": "Replaced."})
    minus, plus = changed_lines(before, handwritten.read_text(encoding="utf-8"))
    assert minus == [
        "  summary: >",
        "    The two presidents agree to deepen",
        "    military exchanges.",
    ]
    assert plus == ['  summary: "Replaced."']
    load_valid_dataset(handwritten, strict=True)


def test_edit_can_unset_an_optional_field(handwritten: Path) -> None:
    before = handwritten.read_text(encoding="utf-8")
    edit_event(handwritten, "2010-01-30-prc-suspends", {"notes": None})
    minus, plus = changed_lines(before, handwritten.read_text(encoding="utf-8"))
    assert minus == [
        "  notes: |",
        "    Kept verbatim.",
        "    # this line is part of the notes, not a comment",
    ]
    assert plus == []


def test_edit_of_the_date_moves_the_event(valid_yaml: Path) -> None:
    result = edit_event(
        valid_yaml, "2011-01-09-gates-beijing", {"date": "2009-01", "end_date": None}
    )
    assert result.moved
    ids = [e.id for e in load_valid_dataset(valid_yaml, strict=True).events]
    assert ids[0] == "2011-01-09-gates-beijing"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"id": "2010-x-y"}, UsageError),
        ({"title": None}, UsageError),
        ({"kind": "sumit"}, DataError),
        ({"date": "2010-13"}, DataError),
        ({"responds_to": ["2011-01-09-gates-beijing"]}, DataError),
        ({"nonsense": "x"}, UsageError),
    ],
)
def test_invalid_edits_are_refused_and_nothing_changes(
    valid_yaml: Path, changes: dict[str, Any], error: type[Exception]
) -> None:
    before = valid_yaml.read_bytes()
    with pytest.raises(error):
        edit_event(valid_yaml, "2010-10-12-gates-liang-hanoi", changes)
    assert valid_yaml.read_bytes() == before


def test_edit_of_an_unknown_event_suggests_one(valid_yaml: Path) -> None:
    with pytest.raises(NotFoundError, match="did you mean '2010-01-30-prc-suspends'"):
        edit_event(valid_yaml, "2010-01-30-prc-suspend", {"title": "x"})


# --- remove -------------------------------------------------------------------------------------


def test_remove_refuses_while_referenced_and_changes_nothing(valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    with pytest.raises(DataError) as info:
        remove_event(valid_yaml, "2010-01-29-arms-package")
    assert "--force" in info.value.message
    assert [(p.code, p.line) for p in info.value.problems] == [("referenced", 47)]
    assert valid_yaml.read_bytes() == before


def test_remove_with_force_drops_the_references(valid_yaml: Path) -> None:
    before = valid_yaml.read_text(encoding="utf-8")
    result = remove_event(valid_yaml, "2010-01-29-arms-package", force=True)
    assert result.referrers == ["2010-01-30-prc-suspends"]
    minus, _plus = changed_lines(before, valid_yaml.read_text(encoding="utf-8"))
    assert '    responds_to: ["2010-01-29-arms-package"]' in minus
    assert len(minus) == 11  # the event's ten lines and the one reference
    ds = load_valid_dataset(valid_yaml, strict=True)
    assert "2010-01-29-arms-package" not in {e.id for e in ds.events}


def test_remove_refused_when_the_result_breaks_a_rule(valid_yaml: Path) -> None:
    """Removing the suspension would leave the resumption without one."""
    before = valid_yaml.read_bytes()
    with pytest.raises(DataError) as info:
        remove_event(valid_yaml, "2010-01-30-prc-suspends")
    assert "resumption-without-suspension" in {p.code for p in info.value.problems}
    assert valid_yaml.read_bytes() == before


def test_remove_of_an_unknown_id(valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    with pytest.raises(NotFoundError):
        remove_event(valid_yaml, "2010-01-01-nothing")
    assert valid_yaml.read_bytes() == before


def test_remove_keeps_comments_of_the_next_event(handwritten: Path) -> None:
    before = handwritten.read_text(encoding="utf-8")
    remove_event(handwritten, "2009-11-17-obama-hu-summit")
    minus, _plus = changed_lines(before, handwritten.read_text(encoding="utf-8"))
    assert minus[0] == "- id: 2009-11-17-obama-hu-summit"
    assert len(minus) == 10 and minus[-1] == ""  # its nine lines and the blank after it
    assert "# 2010 ---" in handwritten.read_text(encoding="utf-8")
    load_valid_dataset(handwritten, strict=True)


# --- the one write ----------------------------------------------------------------------------


def test_transact_validates_the_whole_result(valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    with pytest.raises(DataError) as info:
        transact(valid_yaml, lambda t: t.replace('kind: "call"', 'kind: "x"', 1) + "oops: 1\n")
    assert {p.code for p in info.value.problems} == {"unknown-field"}
    assert info.value.problems[0].line == 115
    assert valid_yaml.read_bytes() == before


def test_a_refusing_change_writes_nothing(valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()

    def refuse(text: str) -> str:
        raise UsageError("no")

    with pytest.raises(UsageError):
        transact(valid_yaml, refuse)
    assert valid_yaml.read_bytes() == before


def test_failed_replace_leaves_the_file_and_no_temp_file(
    valid_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = valid_yaml.read_bytes()

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(UsageError, match="No space left"):
        add_event(valid_yaml, event())
    assert valid_yaml.read_bytes() == before
    assert sorted(p.name for p in valid_yaml.parent.iterdir() if p.is_file()) == [
        "events.yaml",
        "events.yaml.lock",
    ]


def test_file_mode_is_kept(valid_yaml: Path) -> None:
    os.chmod(valid_yaml, 0o640)
    add_event(valid_yaml, event())
    assert stat.S_IMODE(valid_yaml.stat().st_mode) == 0o640
    os.chmod(valid_yaml, 0o664)
    remove_event(valid_yaml, "2010-06-gates-visit-declined")
    assert stat.S_IMODE(valid_yaml.stat().st_mode) == 0o664


def test_symlinked_data_file_is_written_through(tmp_path: Path, valid_yaml: Path) -> None:
    link = tmp_path / "link" / "events.yaml"
    link.parent.mkdir()
    link.symlink_to(valid_yaml)
    result = add_event(link, event())
    assert link.is_symlink() and link.resolve() == valid_yaml.resolve()
    assert result.id in valid_yaml.read_text(encoding="utf-8")
    assert (tmp_path / "events.yaml.lock").exists()  # beside the target, not the link
    assert not (link.parent / "events.yaml.lock").exists()


def test_bom_and_crlf_are_kept(tmp_path: Path) -> None:
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "events.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    add_event(path, event())
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    load_valid_dataset(path, strict=True)


def test_dry_run_writes_nothing(valid_yaml: Path) -> None:
    before = valid_yaml.read_bytes()
    result = add_event(valid_yaml, event(), dry_run=True)
    assert not result.written and result.block.startswith('  - id: "2010-06-15')
    remove_event(valid_yaml, "2010-06-gates-visit-declined", dry_run=True)
    edit_event(valid_yaml, "2010-06-gates-visit-declined", {"title": "x"}, dry_run=True)
    assert valid_yaml.read_bytes() == before
    assert not (valid_yaml.parent / "events.yaml.lock").exists()


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="data file not found"):
        add_event(tmp_path / "nope.yaml", event())


def test_fallback_still_blames_the_new_event(
    valid_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(edit.add, "_splice_ok", lambda *a, **k: None)
    before = valid_yaml.read_bytes()
    with pytest.raises(UsageError) as info:
        add_event(valid_yaml, event(kind="sumit"))
    assert [p.code for p in info.value.problems] == ["invalid-choice"]
    assert valid_yaml.read_bytes() == before


def test_a_splice_that_would_change_its_neighbour_is_refused(tmp_path: Path) -> None:
    """A `|+` block scalar keeps its trailing blank lines: appending after it would take
    them away. The window check sees the changed value and refuses."""
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    text += "    notes: |+\n      Kept with its blank lines.\n\n\n"
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    load_valid_dataset(path, strict=True)
    with pytest.raises(DataError, match="would change the text around"):
        add_event(path, event(date="2030"))
    assert path.read_text(encoding="utf-8") == text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=st.text(min_size=0, max_size=40),
    summary=st.text(min_size=0, max_size=60),
    location=st.text(max_size=20),
)
def test_any_text_is_added_faithfully_or_refused(
    valid_yaml: Path, title: str, summary: str, location: str
) -> None:
    """Arbitrary text never yields a traceback or a file that reads back differently."""
    before = valid_yaml.read_bytes()
    try:
        result = add_event(
            valid_yaml, event(title=title, summary=summary, location=location), dry_run=True
        )
    except UsageError:
        return
    finally:
        assert valid_yaml.read_bytes() == before
    (written,) = edit._parse_items(result.block) or [None]
    assert written["title"] == title.strip() and written["summary"] == summary.strip()
