"""The documentation cannot go stale: generated sections and the README's commands."""

from __future__ import annotations

import re
from pathlib import Path

from tracker import codebook, vocab
from tracker.api import load_dataset

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def test_codebook_is_current() -> None:
    text = codebook.CODEBOOK.read_text(encoding="utf-8")
    assert codebook.render(text) == text, "run: python -m tracker.codebook"


def test_every_rule_code_the_validator_emits_is_documented() -> None:
    emitted = set()
    for path in FIXTURES.glob("invalid-*.yaml"):
        _ds, report = load_dataset(path)
        emitted |= {(p.code, p.severity) for p in report.problems}
    documented = {(code, sev) for code, (sev, _text) in vocab.RULES.items()}
    assert emitted <= documented
    sources = "".join(
        (ROOT / "tracker" / name).read_text() for name in ("validate.py", "dataset.py")
    )
    literals = set(re.findall(r'"([a-z]+(?:-[a-z0-9]+)+)"', sources))
    assert set(vocab.RULES) <= literals, "a documented rule the validator never emits"


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text().splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```", lines.index("```sh") + 1)]
    commands = [line.split("#")[0].strip() for line in block]
    assert len(commands) == 2 and commands[1] == "./run test"
    assert commands[0].startswith("./run ")
