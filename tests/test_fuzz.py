"""Any malformed dataset gives positioned problems, never a crash (property tests)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.api import load_dataset
from tracker.problems import DataError

VALID = (Path(__file__).parent / "fixtures" / "valid.yaml").read_bytes()
LINES = VALID.splitlines(keepends=True)

edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "replace", "insert", "truncate", "swap"]),
        st.integers(0, len(LINES) - 1),
        st.integers(0, 60),
        st.binary(max_size=8) | st.text(max_size=8).map(lambda t: t.encode("utf-8")),
    ),
    min_size=1,
    max_size=4,
)


def mutate(ops: list[tuple[str, int, int, bytes]]) -> bytes:
    lines = list(LINES)
    for op, i, j, payload in ops:
        i %= len(lines) or 1
        if not lines:
            lines = [payload]
            continue
        line = lines[i]
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "replace":
            lines[i] = line[:j] + payload + line[j + len(payload) :]
        elif op == "insert":
            lines.insert(i, payload + b"\n")
        elif op == "truncate":
            lines = lines[:i] + [line[:j]]
        elif op == "swap":
            k = j % len(lines)
            lines[i], lines[k] = lines[k], lines[i]
    return b"".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_mutated_datasets_never_crash(ops: list[tuple[str, int, int, bytes]]) -> None:
    raw = mutate(ops)
    try:
        _ds, report = load_dataset("fuzz.yaml", raw=raw)
    except DataError as exc:  # only through load_valid_dataset; load_dataset reports
        report_problems = exc.problems
    else:
        report_problems = report.problems
    for p in report_problems:
        assert p.code and p.message
        assert p.file == "fuzz.yaml"
        if p.line is not None:
            assert p.line >= 1 and (p.col is None or p.col >= 1)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text: str) -> None:
    _ds, report = load_dataset("any.yaml", raw=text.encode("utf-8", "surrogatepass"))
    assert report.ok or report.problems
