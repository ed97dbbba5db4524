"""Read events.yaml safely, keeping the line and column of every value.

Every scalar stays a string (nothing is left to YAML 1.1 implicit typing: `no` stays "no",
`2010-01-30` stays "2010-01-30"); duplicate keys, non-scalar keys, explicit tags and
anchors/aliases are refused with their position. The result is plain dicts and lists that
remember where each value came from, for `validate` to report `file:line:col`.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tracker.problems import DataError, Problem, UsageError

try:  # libyaml is 4-5x faster; fall back to the pure-Python parser where it is missing.
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import BaseLoader as _Loader  # type: ignore[assignment]

Pos = tuple[int, int]
MAX_DEPTH = 32  # the dataset needs 5 levels; deeper input is refused before recursion hurts
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


class YMap(dict[str, object]):
    """A mapping that remembers where it, its keys and its values stood (1-based)."""

    __slots__ = ("pos", "key_pos", "value_pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}
        self.value_pos: dict[str, Pos] = {}


class YList(list[object]):
    """A sequence that remembers where it and each item stood (1-based)."""

    __slots__ = ("pos", "item_pos")

    def __init__(self, pos: Pos) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []


@dataclass(slots=True)
class Document:
    path: str
    text: str
    content_hash: str
    data: object
    problems: list[Problem] = field(default_factory=list)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC: parsing and validating 10k+ records runs 2-6x faster without it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"{p}: data file not found; pass --data PATH or set TRACKER_DATA"
        ) from None
    except IsADirectoryError:
        raise UsageError(f"{p}: is a folder, not a YAML file; pass --data PATH") from None
    except PermissionError:
        raise UsageError(f"{p}: permission denied") from None


def decode(raw: bytes, name: str) -> str:
    """UTF-8 (a leading BOM is accepted); other bytes are a positioned error."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            f"{name} is not valid UTF-8",
            [
                Problem(
                    "not-utf8",
                    f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                    file=name,
                    line=line,
                    col=col,
                )
            ],
        ) from None


def load_document(path: str | Path, raw: bytes | None = None) -> Document:
    """Read and parse `path` (or `raw` bytes standing for it) into a positioned Document.

    Raises DataError for a file that cannot be parsed at all; recoverable problems
    (duplicate keys, tags, ...) are collected in `Document.problems`.
    """
    name = str(path)
    if raw is None:
        raw = read_bytes(path)
    text = decode(raw, name)
    with gc_paused():
        node = _compose(text, name)
        problems: list[Problem] = []
        data = _Builder(name, problems).build(node) if node is not None else None
    return Document(name, text, content_hash(raw), data, problems)


def _compose(text: str, name: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            what = f"{exc.problem} ({exc.context})"
        raise DataError(
            f"{name}: invalid YAML",
            [
                Problem(
                    "yaml-syntax",
                    f"invalid YAML: {what}",
                    file=name,
                    line=mark.line + 1 if mark else None,
                    col=mark.column + 1 if mark else None,
                )
            ],
        ) from None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        pos = getattr(exc, "position", None)
        line = col = None
        if isinstance(pos, int):
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        char = getattr(exc, "character", None)
        detail = f"{reason} (character {ord(char):#06x})" if isinstance(char, str) else reason
        raise DataError(
            f"{name}: invalid YAML",
            [Problem("yaml-syntax", f"invalid YAML: {detail}", file=name, line=line, col=col)],
        ) from None
    finally:
        loader.dispose()


class _Builder:
    """Composed YAML nodes -> YMap / YList / str, refusing what a dataset never needs."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        self.name = name
        self.problems = problems
        self.seen: set[int] = set()
        self.aliased: set[int] = set()

    def _problem(self, code: str, message: str, node: yaml.Node) -> None:
        m = node.start_mark
        self.problems.append(
            Problem(code, message, file=self.name, line=m.line + 1, col=m.column + 1)
        )

    def build(self, node: yaml.Node, depth: int = 0) -> object:
        if depth > MAX_DEPTH:
            self._problem("yaml-too-deep", f"nested more than {MAX_DEPTH} levels deep", node)
            return None
        key = id(node)
        if key in self.seen:  # the same node reached twice: an alias
            if key not in self.aliased:
                self.aliased.add(key)
                self._problem(
                    "yaml-alias",
                    "this value is reused through an alias (&name / *name); aliases are "
                    "not allowed, write the value out",
                    node,
                )
            return None
        self.seen.add(key)
        tag = node.tag
        expected = (
            _STR
            if isinstance(node, yaml.ScalarNode)
            else (_SEQ if isinstance(node, yaml.SequenceNode) else _MAP)
        )
        if tag != expected:  # None stands for the refused value; validation skips it
            self._problem("yaml-tag", f"explicit tag {tag!r} is not allowed", node)
            return None
        if isinstance(node, yaml.ScalarNode):
            return node.value
        pos = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.SequenceNode):
            seq = YList(pos)
            for item in node.value:
                seq.item_pos.append((item.start_mark.line + 1, item.start_mark.column + 1))
                seq.append(self.build(item, depth + 1))
            return seq
        mapping = YMap(pos)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem("non-scalar-key", "a key must be plain text", key_node)
                continue
            k = key_node.value
            kpos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if k in mapping:
                first = mapping.key_pos[k]
                self._problem(
                    "duplicate-key",
                    f"duplicate key {k!r} (first at line {first[0]}); keep only one",
                    key_node,
                )
                continue
            mapping.key_pos[k] = kpos
            mapping.value_pos[k] = (
                value_node.start_mark.line + 1,
                value_node.start_mark.column + 1,
            )
            mapping[k] = self.build(value_node, depth + 1)
        return mapping
