"""Keep docs/codebook.md in step with the code: its tables are generated from `vocab`.

`python -m tracker.codebook` rewrites the generated sections (between `<!-- BEGIN x -->` and
`<!-- END x -->` markers); `--check` exits 1 when the file is stale (tests/test_docs.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from tracker import vocab

ROOT = Path(__file__).resolve().parent.parent
CODEBOOK = ROOT / "docs" / "codebook.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _field_table(record: str, spec: dict[str, bool]) -> str:
    docs = vocab.FIELD_DOCS[record]
    rows = ["| field | required | meaning |", "|---|---|---|"]
    for name, required in spec.items():
        req = "yes" if required else "no"
        if record == "event" and name in ("channels", "initiator"):
            req = "for suspension / resumption"
        rows.append(f"| `{name}` | {req} | {_cell(docs[name])} |")
    return "\n".join(rows)


def kinds_table() -> str:
    rows = ["| kind | family (timeline lane) | meaning |", "|---|---|---|"]
    for kind in vocab.KINDS:
        rows.append(
            f"| `{kind}` | {vocab.FAMILY_OF_KIND[kind]} | {_cell(vocab.KIND_DESCRIPTIONS[kind])} |"
        )
    return "\n".join(rows)


def rules_table() -> str:
    rows = ["| code | severity | what it checks |", "|---|---|---|"]
    for code, (severity, text) in vocab.RULES.items():
        rows.append(f"| `{code}` | {severity} | {_cell(text)} |")
    return "\n".join(rows)


def channels_table() -> str:
    """The channel registry as it stands in data/events.yaml."""
    from tracker.api import load_dataset

    ds, _report = load_dataset(ROOT / "data" / "events.yaml")
    rows = ["| id | name | established | description |", "|---|---|---|---|"]
    for ch in ds.channels:
        est = ch.established.display() if ch.established else ""
        rows.append(f"| `{ch.id}` | {_cell(ch.name)} | {est} | {_cell(ch.description)} |")
    return "\n".join(rows)


def export_columns() -> str:
    try:
        from tracker.export.columns import codebook_markdown  # type: ignore[import-not-found]
    except ImportError:
        return "_The export columns are documented once the export feature lands._"
    return str(codebook_markdown()).strip()


SECTIONS: dict[str, Callable[[], str]] = {
    "event-fields": lambda: _field_table("event", vocab.EVENT_FIELDS),
    "source-fields": lambda: _field_table("source", vocab.SOURCE_FIELDS),
    "actor-fields": lambda: _field_table("actor", vocab.ACTOR_FIELDS),
    "channel-fields": lambda: _field_table("channel", vocab.CHANNEL_FIELDS),
    "kinds": kinds_table,
    "channels": channels_table,
    "rules": rules_table,
    "export-columns": export_columns,
}


def render(text: str) -> str:
    """`text` with every generated section filled in afresh."""
    for name, make in SECTIONS.items():
        pattern = re.compile(
            rf"(<!-- BEGIN {re.escape(name)} -->\n)(?:.*?\n)?(<!-- END {re.escape(name)} -->)", re.S
        )
        if not pattern.search(text):
            raise ValueError(f"docs/codebook.md has no generated section {name!r}")
        body = make()
        text = pattern.sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    current = CODEBOOK.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in args:
        if fresh != current:
            print("docs/codebook.md is stale; run: python -m tracker.codebook", file=sys.stderr)
            return 1
        return 0
    CODEBOOK.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
