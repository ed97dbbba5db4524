"""The YAML loader: strings only, positions kept, unsafe or ambiguous YAML refused."""

from __future__ import annotations

import time

import pytest

from tracker.dataset import YList, YMap, load_document
from tracker.problems import DataError


def codes(doc_or_exc: object) -> list[str]:
    return [p.code for p in doc_or_exc.problems]  # type: ignore[attr-defined]


def test_every_scalar_stays_a_string() -> None:
    doc = load_document("x.yaml", b"a: no\nb: 12:30\nc: 2010-01-30\nd: 1e3\ne: ~\nf:\n")
    assert doc.data == {"a": "no", "b": "12:30", "c": "2010-01-30", "d": "1e3", "e": "~", "f": ""}


def test_positions_are_one_based_line_and_column() -> None:
    doc = load_document("x.yaml", b"events:\n  - id: one\n    date: 2010\n")
    assert isinstance(doc.data, YMap)
    events = doc.data["events"]
    assert isinstance(events, YList)
    first = events[0]
    assert isinstance(first, YMap)
    assert first.value_pos["date"] == (3, 11)
    assert first.key_pos["date"] == (3, 5)
    assert events.item_pos[0] == (2, 5)


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    doc = load_document("x.yaml", b"a: 1\nb: 2\na: 3\n")
    (problem,) = doc.problems
    assert (problem.code, problem.line, problem.col) == ("duplicate-key", 3, 1)
    assert "first at line 1" in problem.message


def test_non_scalar_keys_are_refused() -> None:
    doc = load_document("x.yaml", b"? [a, b]\n: 1\n")
    assert codes(doc) == ["non-scalar-key"]


@pytest.mark.parametrize(
    "payload",
    [
        b"a: !!python/object/apply:os.system ['echo pwned']\n",
        b"a: !!python/name:os.system\n",
        b"a: !!int 5\n",
        b"a: !custom {x: 1}\n",
    ],
)
def test_explicit_tags_are_refused_and_never_constructed(payload: bytes) -> None:
    doc = load_document("x.yaml", payload)
    assert codes(doc) == ["yaml-tag"]
    assert doc.data == {"a": None}


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    bomb = ("\n".join(lines) + "\n").encode()
    start = time.perf_counter()
    doc = load_document("bomb.yaml", bomb)
    assert time.perf_counter() - start < 2  # 9**10 items were never expanded
    assert set(codes(doc)) == {"yaml-alias"}


def test_deep_nesting_is_refused_not_a_crash() -> None:
    doc = load_document("x.yaml", b"[" * 900 + b"]" * 900)
    assert codes(doc) == ["yaml-too-deep"]


def test_bom_and_crlf_are_accepted() -> None:
    doc = load_document("x.yaml", b"\xef\xbb\xbfa: 1\r\nb: two words\r\n")
    assert doc.data == {"a": "1", "b": "two words"}
    assert doc.problems == []


def test_non_utf8_bytes_are_reported_with_position() -> None:
    with pytest.raises(DataError) as info:
        load_document("x.yaml", b"a: 1\nb: caf\xe9\n")
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.col) == ("not-utf8", 2, 7)
    assert "0xe9" in problem.message


def test_syntax_error_is_positioned() -> None:
    with pytest.raises(DataError) as info:
        load_document("x.yaml", b"a: [1, 2\nb: 3\n")
    (problem,) = info.value.problems
    assert problem.code == "yaml-syntax"
    assert problem.file == "x.yaml" and problem.line is not None


def test_control_characters_in_the_file_are_positioned() -> None:
    with pytest.raises(DataError) as info:
        load_document("x.yaml", b"a: ok\nb: bad\x07\n")
    (problem,) = info.value.problems
    assert (problem.code, problem.line) == ("yaml-syntax", 2)


def test_content_hash_changes_with_content() -> None:
    a = load_document("x.yaml", b"a: 1\n")
    b = load_document("x.yaml", b"a: 2\n")
    assert a.content_hash != b.content_hash and len(a.content_hash) == 64
