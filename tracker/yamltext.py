"""Write records as events.yaml text, in the dataset's one house style.

Every scalar is double-quoted (JSON string syntax is valid YAML), keys follow the codebook's
order, lists of short strings stay on one line. The same text is produced for a new event by
`add` as for the whole file, so diffs stay minimal and reviewable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from tracker import vocab

_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def q(value: object) -> str:
    """A YAML double-quoted scalar.

    C1 controls and U+2028/2029 are escaped (YAML reads raw ones as line breaks or refuses
    them), so the text reads back exactly and the validator can name the character.
    """
    text = json.dumps(str(value), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _ordered(record: Mapping[str, Any], order: Iterable[str]) -> list[tuple[str, Any]]:
    keys = list(order)
    known = [(k, record[k]) for k in keys if k in record]
    extra = [(k, v) for k, v in record.items() if k not in keys]
    return [(k, v) for k, v in known + extra if v not in (None, "", [], ())]


def _mapping_lines(record: Mapping[str, Any], order: Iterable[str], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for i, (key, value) in enumerate(_ordered(record, order)):
        lead = " " * (indent - 2) + "- " if i == 0 else pad
        if isinstance(value, Mapping):
            raise TypeError(f"nested mapping for {key!r} is not part of the schema")
        if isinstance(value, list | tuple):
            if value and isinstance(value[0], Mapping):
                order_for = (
                    vocab.PARTICIPANT_FIELDS if key == "participants" else vocab.SOURCE_FIELDS
                )
                lines.append(f"{lead}{key}:")
                for item in value:
                    lines.extend(_mapping_lines(item, order_for, indent + 4))
            else:
                lines.append(f"{lead}{key}: [{', '.join(q(v) for v in value)}]")
        else:
            lines.append(f"{lead}{key}: {q(value)}")
    return lines


def dump_record(record: Mapping[str, Any], order: Iterable[str], indent: int = 4) -> str:
    """One list item (`  - key: ...`) at the given indentation of its keys."""
    return "\n".join(_mapping_lines(record, order, indent)) + "\n"


def dump_event(event: Mapping[str, Any]) -> str:
    return dump_record(event, vocab.EVENT_FIELDS)


def dump_dataset(
    channels: Iterable[Mapping[str, Any]],
    actors: Iterable[Mapping[str, Any]],
    events: Iterable[Mapping[str, Any]],
    header: str = "",
) -> str:
    parts = [header] if header else []
    parts.append("channels:\n")
    parts.extend(dump_record(c, vocab.CHANNEL_FIELDS) for c in channels)
    parts.append("\nactors:\n")
    parts.extend(dump_record(a, vocab.ACTOR_FIELDS) for a in actors)
    parts.append("\nevents:\n")
    parts.append("\n".join(dump_event(e) for e in events))
    return "".join(parts)
