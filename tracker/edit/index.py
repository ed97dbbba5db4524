"""The content-addressed index that lets `add` skip whole-file validation (see package doc)."""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tracker import __version__
from tracker.dataset import YList, YMap, load_document
from tracker.edit.text import RETIRED_KEY, SortKey, _safe_sort_key
from tracker.problems import DataError, Problem

INDEX_FORMAT = 3
INDEX_KEEP = 8  # index files kept in the cache folder (oldest removed first)
ENV_CACHE = "TRACKER_CACHE_DIR"  # where indexes live; "off" disables them


# --- the index ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    """One event as the index knows it: what cross-event rules and ordering need."""

    id: str
    date: str
    end_date: str
    kind: str
    title: str
    channels: list[str]
    initiator: str
    responds_to: list[str]
    line: int
    col: int
    first: int = -1  # ordinal of the date's first day (-1: not computed yet)
    rank: int = 0  # 0 day, 1 month, 2 year precision

    def __post_init__(self) -> None:
        if self.first < 0:  # computed once, then kept in the index (10k dates cost 0.2 s)
            first, self.rank, _id = _safe_sort_key(self.date, self.id)
            self.first = first.toordinal()

    def to_json(self) -> list[Any]:
        return [
            self.id,
            self.date,
            self.end_date,
            self.kind,
            self.title,
            self.channels,
            self.initiator,
            self.responds_to,
            self.line,
            self.col,
            self.first,
            self.rank,
        ]

    @property
    def sort_key(self) -> SortKey:
        return (date.fromordinal(self.first), self.rank, self.id)


@dataclass(slots=True)
class _ListPos:
    """Where a top-level list stands: its key line and its items' (line, col)."""

    key: str
    key_line: int
    value_line: int
    value_col: int
    items: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class _Index:
    hash: str
    valid: bool
    lists: dict[str, _ListPos]
    top_lines: list[int]  # line of every top-level key, ascending
    channels: list[tuple[str, str]]  # (id, name)
    actors: list[tuple[str, str, str, str]]  # (id, name, country, name_zh)
    events: list[_Entry]
    retired: list[str]

    # building ------------------------------------------------------------------------------

    @classmethod
    def build(cls, top: YMap, text: str, *, valid: bool) -> _Index:
        """From a loaded document (valid or not: invalid records are indexed as well as can
        be, and such an index is never cached)."""
        lists: dict[str, _ListPos] = {}
        for key in top:
            value = top[key]
            kl = top.key_pos[key][0]
            vl, vc = top.value_pos.get(key, (kl, 1))
            items = list(value.item_pos) if isinstance(value, YList) else []
            lists[key] = _ListPos(key, kl, vl, vc, items)
        channels = [(_s(m.get("id")), _s(m.get("name"))) for m in _maps(top.get("channels"))]
        actors = [
            (_s(m.get("id")), _s(m.get("name")), _s(m.get("country")), _s(m.get("name_zh")))
            for m in _maps(top.get("actors"))
        ]
        events = []
        raw_events = top.get("events")
        if isinstance(raw_events, YList):
            for item, (line, col) in zip(raw_events, raw_events.item_pos, strict=True):
                m = item if isinstance(item, YMap) else {}
                events.append(
                    _Entry(
                        _s(m.get("id")),
                        _s(m.get("date")),
                        _s(m.get("end_date")),
                        _s(m.get("kind")),
                        _s(m.get("title")),
                        _strs(m.get("channels")),
                        _s(m.get("initiator")),
                        _strs(m.get("responds_to")),
                        line,
                        col,
                    )
                )
        retired = _strs(top.get(RETIRED_KEY))
        return cls(
            hash=_text_hash(text),
            valid=valid,
            lists=lists,
            top_lines=sorted(top.key_pos[k][0] for k in top.key_pos),
            channels=channels,
            actors=actors,
            events=events,
            retired=retired,
        )

    @classmethod
    def parse(cls, name: str, text: str) -> _Index:
        """Positions of an unvalidated text (one parse, no validation)."""
        doc = load_document(name, text.encode("utf-8"))
        if doc.problems:
            raise DataError(f"{name}: cannot be edited as it is", doc.problems)
        if not isinstance(doc.data, YMap):
            raise DataError(
                f"{name}: expected a mapping with channels, actors and events",
                [Problem("wrong-type", "expected channels, actors and events", file=name)],
            )
        return cls.build(doc.data, text, valid=False)

    # json ---------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": INDEX_FORMAT,
            "tool": __version__,
            "hash": self.hash,
            "lists": {
                k: [p.key_line, p.value_line, p.value_col, p.items] for k, p in self.lists.items()
            },
            "top_lines": self.top_lines,
            "channels": self.channels,
            "actors": self.actors,
            "events": [e.to_json() for e in self.events],
            "retired": self.retired,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> _Index:
        return cls(
            hash=doc["hash"],
            valid=True,
            lists={
                k: _ListPos(k, v[0], v[1], v[2], [tuple(i) for i in v[3]])  # type: ignore[misc]
                for k, v in doc["lists"].items()
            },
            top_lines=doc["top_lines"],
            channels=[tuple(c) for c in doc["channels"]],  # type: ignore[misc]
            actors=[tuple(a) for a in doc["actors"]],  # type: ignore[misc]
            events=[_Entry(*e) for e in doc["events"]],
            retired=doc["retired"],
        )

    # queries ------------------------------------------------------------------------------

    def region_end(self, key: str, nlines: int) -> int:
        """First line after the list under `key`: the next top-level key, or past the end."""
        key_line = self.lists[key].key_line
        i = bisect.bisect_right(self.top_lines, key_line)
        return self.top_lines[i] if i < len(self.top_lines) else nlines + 1

    def event_ids(self) -> dict[str, int]:
        return {e.id: i for i, e in enumerate(self.events)}

    def shift(self, at: int, count: int) -> None:
        """Lines at or after `at` moved down by `count` (negative: up)."""

        def mv(line: int) -> int:
            return line + count if line >= at else line

        for p in self.lists.values():
            p.key_line, p.value_line = mv(p.key_line), mv(p.value_line)
            p.items = [(mv(ln), c) for ln, c in p.items]
        self.top_lines = [mv(ln) for ln in self.top_lines]
        for e in self.events:
            e.line = mv(e.line)


def _s(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _strs(value: object) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _maps(value: object) -> list[YMap]:
    return [m for m in value if isinstance(m, YMap)] if isinstance(value, list) else []


# The digests of the last texts read and written: hashing 12 MB (10k events) takes 20 ms,
# and each add needs the digest of the text it read and of the text it wrote.
_DIGESTS: list[tuple[str, str]] = []


def _digest(data: bytes) -> str:
    """The index key of a text's UTF-8 bytes (BLAKE2b: 3x faster here than SHA-256)."""
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def _remember(text: str, data: bytes) -> None:
    _DIGESTS[:] = [(text, _digest(data)), *_DIGESTS[:1]]


def _text_hash(text: str) -> str:
    for known, digest in _DIGESTS:
        if known is text:
            return digest
    return _digest(text.encode("utf-8"))


def cache_dir() -> Path | None:
    """Where indexes are kept: $TRACKER_CACHE_DIR, else the user's cache folder."""
    env = os.environ.get(ENV_CACHE)
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "none") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tracker"


def _index_file(digest: str) -> Path | None:
    folder = cache_dir()
    return folder / f"index-{digest}.json" if folder else None


def _load_index(digest: str) -> _Index | None:
    path = _index_file(digest)
    if path is None:
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != INDEX_FORMAT or doc.get("tool") != __version__:
            return None
        if doc.get("hash") != digest:
            return None
        return _Index.from_json(doc)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # a missing or damaged cache entry is only a cache miss


def _save_index(index: _Index) -> None:
    """Store a validated text's index; failures are ignored (it is only a cache)."""
    if not index.valid:
        return
    path = _index_file(index.hash)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
        text = json.dumps(index.to_json(), ensure_ascii=False, separators=(",", ":"))
        with os.fdopen(fd, "w", encoding="utf-8") as f:  # dumps: C encoder, 10x json.dump
            f.write(text)
        os.replace(tmp, path)
        old = sorted(path.parent.glob("index-*.json"), key=_mtime, reverse=True)
        for stale in old[INDEX_KEEP:]:
            with contextlib.suppress(OSError):
                stale.unlink()
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def _known_valid(name: str, text: str) -> _Index:
    """The index of `text`, which must be valid: from the cache, else by validating it all."""
    cached = _load_index(_text_hash(text))
    if cached is not None:
        return cached
    from tracker.validate import validate_document

    doc = load_document(name, text.encode("utf-8"))
    _ds, report = validate_document(doc)
    if report.errors:
        n = len(report.errors)
        raise DataError(
            f"{name} has {n} error{'s' if n != 1 else ''} already; fix "
            f"{'them' if n != 1 else 'it'} first (tracker validate --data {name})",
            report.sorted(),
        )
    assert isinstance(doc.data, YMap)
    index = _Index.build(doc.data, text, valid=True)
    _save_index(index)
    return index


def _positions(name: str, text: str) -> _Index:
    """The index of `text` from the cache, else from one parse (no validation)."""
    return _load_index(_text_hash(text)) or _Index.parse(name, text)
