"""Add, edit and remove records in events.yaml: one safe write, minimal text changes.

Why text edits: the file is reviewed in git, so a change must show up as the few lines it
really changes. Nothing here round-trips the file through a YAML emitter: the loader's
positions (`YMap.key_pos`, `YList.item_pos`) say where each record starts, and the new lines
(written by `tracker.yamltext` in the house style) are spliced in between existing lines.
Comments, quoting, blank lines and the order of everything else stay as they were.

Why one write function: `transact` is the only code that replaces events.yaml. It takes the
lock, re-reads the file, applies a change, checks the result and swaps it in atomically (see
docs in the function). The CSV import calls it too, with `insert_event_blocks`.

Why an index: at 10,000 events parsing the file takes seconds (the C loader) and validating
it seconds more, so `add` cannot afford a whole-file round trip. Every text that has passed a
whole-file validation gets a small JSON *index* (ids, dates, kinds, titles, channels and line
numbers of every record), stored in a cache folder under the SHA-256 of the text. An add looks
up the index of the text it re-read under the lock; the new event is then validated by the
real validator in a tiny document holding the known channels, actors and the few events the
rules compare it with, and the splice is checked by parsing the lines around it before and
after. Whole-file validation happens only when no index exists for the current text (the
first add after a hand edit), and its index then serves the next adds. Edit and remove
validate the whole result: they are rarer, and their effects on other events are wider.

Measured (benchmarks/bench_add.py, 2 cores): an add with a cached index takes 0.02 s on the
real file and 0.39 s at 10,000 events (5x the floor of reading, hashing and durably
rewriting the file); validating the whole result instead would take 0.1 s and 4.7 s.
Indexes live in $TRACKER_CACHE_DIR (default ~/.cache/tracker; "off" disables them), named by
the text's BLAKE2b digest, so a stale index cannot be found for a changed file.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tracker import __version__, vocab
from tracker.dataset import YList, YMap, decode, load_document, read_bytes
from tracker.dates import DateError, parse_partial_date
from tracker.problems import DataError, NotFoundError, Problem, TrackerError, UsageError
from tracker.yamltext import dump_record, q

LOCK_TIMEOUT = 60.0  # seconds to wait for another writer before giving up
INDEX_FORMAT = 3
INDEX_KEEP = 8  # index files kept in the cache folder (oldest removed first)
ENV_CACHE = "TRACKER_CACHE_DIR"  # where indexes live; "off" disables them
RETIRED_KEY = "retired_ids"
RETIRED_COMMENT = "# Ids of removed events, kept so that they are never reused (tracker remove)."
_BOM = b"\xef\xbb\xbf"
SortKey = tuple[date, int, str]


# --- the one write ----------------------------------------------------------------------------


def transact(
    path: str | Path,
    change: Callable[[str], str],
    *,
    validate: bool = True,
    dry_run: bool = False,
) -> str:
    """Apply `change` to the text of the dataset at `path` and write the result safely.

    Steps: resolve symlinks (the target is written; the link stays a link); take
    `FileLock(target + ".lock")`; re-read the text under the lock (so a concurrent writer's
    change is never lost); `new = change(text)`; with `validate`, load and validate the whole
    new text and raise DataError carrying every positioned error (lines refer to the new
    text) if it is invalid; then `mkstemp` in the same folder -> write -> flush -> fsync ->
    restore the original file mode -> `os.replace` -> fsync the folder. A crash at any point
    leaves the old or the new file, never a mix; on any error the temp file is removed and
    the data file is byte-for-byte as it was.

    `change` may raise a TrackerError to refuse; nothing is written then. Pass
    `validate=False` only when `change` has itself checked its result (as `add_event` does
    against the index). With `dry_run` everything runs (without the lock) except the write.
    A leading UTF-8 BOM is kept. Returns the new text (the old one if nothing changed).
    """
    return _transact(path, change, validate=validate, dry_run=dry_run)


def _transact(
    path: str | Path,
    change: Callable[[str], str],
    *,
    validate: bool,
    dry_run: bool,
    written: Callable[[str], None] | None = None,
) -> str:
    """`transact`, plus a hook called with the new text once it is on disk, still under
    the lock (add caches the new text's index there, so the next writer finds it)."""
    given = str(path)
    target = Path(os.path.realpath(path))
    lock = None
    if not dry_run:
        from filelock import FileLock, Timeout

        lock = FileLock(f"{target}.lock")
        try:
            lock.acquire(timeout=LOCK_TIMEOUT)
        except Timeout:
            raise UsageError(
                f"{given}: another tracker command has been writing it for "
                f"{LOCK_TIMEOUT:.0f} s (lock {target}.lock); try again"
            ) from None
        except OSError as exc:
            raise UsageError(f"{given}: cannot create the lock file: {exc.strerror}") from exc
    try:
        raw = read_bytes(target) if target.exists() else read_bytes(given)
        bom = _BOM if raw.startswith(_BOM) else b""
        text = decode(raw, given)
        _remember(text, raw[len(bom) :])
        new_text = change(text)
        if new_text == text:
            return text
        data = bom + new_text.encode("utf-8")
        _remember(new_text, data[len(bom) :])
        if validate:
            check_whole(given, new_text, data)
        if not dry_run:
            _atomic_write(target, data, given)
            if written is not None:
                written(new_text)
        return new_text
    finally:
        if lock is not None:
            lock.release()


def check_whole(name: str, text: str, data: bytes | None = None) -> None:
    """Validate a whole dataset text; DataError with every error if it is invalid.

    A valid text's index is cached on the way, so the next add need not parse it again.
    """
    from tracker.validate import validate_document

    doc = load_document(name, data if data is not None else text.encode("utf-8"))
    _ds, report = validate_document(doc)
    if report.errors:
        n = len(report.errors)
        raise DataError(
            f"{name}: the change would leave {n} error{'s' if n != 1 else ''} "
            "(lines as they would be after it); nothing was written",
            report.sorted(),
        )
    if isinstance(doc.data, YMap):
        _save_index(_Index.build(doc.data, text, valid=True))


def _atomic_write(target: Path, data: bytes, given: str) -> None:
    folder = target.parent
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(f"{given}: cannot write in {folder}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise UsageError(f"{given}: cannot write: {exc.strerror or exc}") from exc
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- lines --------------------------------------------------------------------------------------

_YAML_BREAKS = re.compile(
    r"[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029])|[^\r\n\x85\u2028\u2029]+$"
)


def split_lines(text: str) -> list[str]:
    """Lines with their ends, broken where YAML breaks them (so loader line numbers match)."""
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return _YAML_BREAKS.findall(text)
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out


def _newline(lines: Sequence[str]) -> str:
    return "\r\n" if lines and lines[0].endswith("\r\n") else "\n"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank(line: str) -> bool:
    return not line.strip()


def _comment(line: str, max_indent: int) -> bool:
    stripped = line.lstrip(" ")
    return stripped.startswith("#") and _indent(line) <= max_indent


def _content_end(lines: Sequence[str], start: int, stop: int, key_indent: int) -> int:
    """Last line (1-based) in [start, stop) that is part of a record beginning at `start`.

    Trailing blank lines and comments indented no deeper than the record's keys are left out
    (a block scalar's text would be indented deeper, so it is never mistaken for them).
    """
    end = stop - 1
    while end > start and (_blank(lines[end - 1]) or _comment(lines[end - 1], key_indent)):
        end -= 1
    return end


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


# --- sort keys, ids, blocks ----------------------------------------------------------------------


def event_sort_key(date_text: str, event_id: str) -> SortKey:
    """The file's order: first day, then finer precision first, then id.

    Raises DateError for a date that is not in the dataset's format.
    """
    d = parse_partial_date(date_text)
    return (*d.sort_key, event_id)


def _safe_sort_key(date_text: str, event_id: str) -> SortKey:
    try:
        return event_sort_key(date_text, event_id)
    except DateError:
        return (date.max, 9, event_id)


def event_block(event: Mapping[str, Any]) -> tuple[SortKey, str]:
    """An event mapping as (sort key, house-style YAML list item) for insert_event_blocks."""
    key = event_sort_key(str(event["date"]), str(event["id"]))
    return key, dump_record(event, vocab.EVENT_FIELDS)


_STOP_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with over after before".split()
)
MAX_ID_WORDS = 6
# Letters NFKD does not take apart into an ASCII letter and accents.
_TRANSLIT = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "þ": "th",
        "ð": "d",
    }
)


def new_event_id(date_text: str, title: str, taken: Iterable[str] = ()) -> str:
    """`YYYY-MM-DD-short-words` from the date (at its precision) and the title; unique.

    Words are the title's, lowercased and transliterated to ASCII, without small words,
    at most six; `-2`, `-3`, ... are appended while the id is taken (or retired).
    """
    core = parse_partial_date(date_text).text.rstrip("~?")
    folded = unicodedata.normalize("NFKD", title.translate(_TRANSLIT))
    ascii_title = folded.encode("ascii", "ignore").decode()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_title.lower()) if w not in _STOP_WORDS]
    slug = "-".join(words[:MAX_ID_WORDS]) or "event"
    base = f"{core}-{slug}"
    used = set(taken)
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


# --- line edits -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Edit:
    """Replace lines [start, end] (1-based, inclusive) by `new`; end = start - 1 inserts.

    `offset` is where the record of interest starts inside `new` (after a blank separator).
    """

    start: int
    end: int
    new: list[str]
    offset: int = 0

    @property
    def delta(self) -> int:
        return len(self.new) - (self.end - self.start + 1)


def _apply(lines: Sequence[str], edits: Sequence[_Edit]) -> list[str]:
    out = list(lines)
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start <= a.end or (b.start == a.start and b.end < b.start and a.end < a.start):
            raise AssertionError("overlapping edits")  # a bug, not bad input
    for e in reversed(ordered):
        out[e.start - 1 : e.end] = e.new
    return out


def _final_line(edit: _Edit, edits: Sequence[_Edit]) -> int:
    """The line where `edit`'s record starts once every edit is applied."""
    shift = sum(
        o.delta for o in edits if o is not edit and o.start <= edit.start and o.end < edit.start
    )
    return edit.start + shift + edit.offset


def _reindent(block: str, dash_indent: int, nl: str) -> list[str]:
    """House-style item lines (dash in column 3) moved to the list's own indentation."""
    return _shift(block, dash_indent - 2, nl)


def _shift(block: str, delta: int, nl: str) -> list[str]:
    """The block's lines indented `delta` columns more (fewer if negative), ends `nl`."""
    out = []
    for line in block.split("\n"):
        if line and delta > 0:
            line = " " * delta + line
        elif line and delta < 0:
            line = line[-delta:]
        out.append(line + nl)
    if block.endswith("\n"):
        out.pop()
    return out


def _dash(pos: _ListPos) -> int:
    """Indentation of the dash of a block list's items (2 in the house style)."""
    return max(pos.items[0][1] - 3, 0) if pos.items else 2


def _lead_start(lines: Sequence[str], pos: _ListPos, j: int) -> int:
    """First line of item j's leading comments (comment lines right above it), or its own."""
    at, col = pos.items[j]
    floor = pos.items[j - 1][0] if j > 0 else pos.key_line
    while at - 1 > floor and _comment(lines[at - 2], col - 1):
        at -= 1
    return at


def _local_blank(lines: Sequence[str], pos: _ListPos, k: int, default: bool) -> bool:
    """Does a new item k get a blank line to separate it? As the neighbours are separated:
    the gap above item k (or, at either end, the nearest gap); the default without one."""
    n = len(pos.items)
    j = min(max(k, 1), n - 1)
    if n < 2:
        return default
    return _blank(lines[_lead_start(lines, pos, j) - 2])


def _is_flow_empty(line: str, key: str) -> bool:
    head = line.split("#", 1)[0].replace(" ", "").rstrip("\r\n")
    return head == f"{key}:[]"


def _plan_insert(
    lines: Sequence[str], index: _Index, key: str, k: int, block: str, *, default_blank: bool
) -> list[_Edit]:
    """The edits that make `block` (house-style item text) item `k` of the list under `key`."""
    pos = index.lists[key]
    nl = _newline(lines)
    blank = _local_blank(lines, pos, k, default_blank)
    body = _reindent(block, _dash(pos), nl)
    n = len(pos.items)
    if n == 0:
        key_line = lines[pos.key_line - 1]
        if _is_flow_empty(key_line, key):  # `events: []` becomes `events:` + the item
            return [_Edit(pos.key_line, pos.key_line, [f"{key}:{nl}", *body], offset=1)]
        if key_line.split("#", 1)[0].rstrip().endswith(":"):
            return [_Edit(pos.key_line + 1, pos.key_line, body)]
        raise UsageError(
            f"line {pos.key_line}: {key} is not written as a list of `- ` items; "
            "tracker can only insert into a block list"
        )
    if pos.value_line == pos.key_line:
        raise UsageError(
            f"line {pos.key_line}: {key} is written as a flow list ([...]); "
            "tracker can only insert into a block list of `- ` items"
        )
    if k < n:  # above the next item's leading comments (a "# 2010" heading stays with it)
        at = _lead_start(lines, pos, k)
        return [_Edit(at, at - 1, body + ([nl] if blank else []))]
    last_line, last_col = pos.items[-1]
    end = _content_end(lines, last_line, index.region_end(key, len(lines)), last_col - 1)
    return [_Edit(end + 1, end, ([nl] if blank else []) + body, offset=1 if blank else 0)]


def _insertion_index(index: _Index, key: SortKey) -> int:
    """Item index where an event with this sort key belongs (after everything <= it)."""
    keys = [(e.first, e.rank, e.id) for e in index.events]  # ordinals: cheap to compare
    new = (key[0].toordinal(), key[1], key[2])
    if all(keys[i] <= keys[i + 1] for i in range(len(keys) - 1)):
        return bisect.bisect_right(keys, new)
    last = 0
    for i, other in enumerate(keys):
        if other <= new:
            last = i + 1
    return last


def _terminated(text: str) -> list[str]:
    """The text's lines, the last one given a line end if it had none."""
    lines = split_lines(text)
    if lines and not lines[-1].endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
        lines[-1] += _newline(lines)
    return lines


def insert_event_blocks(text: str, blocks: list[tuple[SortKey, str]]) -> str:
    """Insert each event's YAML block at its place in date order, changing no other line.

    `blocks` are (sort key, block) pairs: the key from `event_sort_key(date, id)` (first day,
    finer precision first, then id) and the block a house-style list item as written by
    `tracker.yamltext.dump_event` (or `event_block`), dash in column 3. Each block goes
    after the last existing event that sorts before it, re-indented to the list's
    indentation and blank-line separated if the file separates events so; blocks sharing a
    place keep their key order. Existing events are found from the index of `text` (cached
    for a validated text, else one parse). Nothing is validated here: call it inside
    `transact(path, change)` (validate=True), which checks the whole result before writing.
    """
    if not blocks:
        return text
    index = _positions("<text>", text)
    if "events" not in index.lists:
        raise DataError("the dataset has no events list to insert into")
    lines = _terminated(text)
    groups: dict[int, list[str]] = {}
    for key, block in sorted(blocks, key=lambda b: b[0]):
        body = block if block.endswith("\n") else block + "\n"
        groups.setdefault(_insertion_index(index, key), []).append(body)
    edits: list[_Edit] = []
    for k, group in groups.items():
        blank = _local_blank(lines, index.lists["events"], k, True)
        joined = ("\n" if blank else "").join(group)
        edits.extend(_plan_insert(lines, index, "events", k, joined, default_blank=True))
    return "".join(_apply(lines, edits))


# --- checking splices without parsing the whole file ---------------------------------------


def _parse_items(text: str) -> list[object] | None:
    try:
        doc = load_document("<window>", text.encode("utf-8"))
    except TrackerError:
        return None
    if doc.problems or not isinstance(doc.data, YList):
        return None
    return list(doc.data)


def _splice_ok(
    old: Sequence[str],
    new: Sequence[str],
    index: _Index,
    key: str,
    k: int,
    edit: _Edit,
    edits: Sequence[_Edit],
    block: str,
) -> bool | None:
    """Did `edit` add exactly the item `block` to the list, as item `k`, and nothing else?

    Parses the window from the item before the new one to the item after it (or the list's
    end), before and after the edit. Outside the window the lines are byte-identical, and
    a window starts and ends at item boundaries, so equal parses prove the splice right.
    None: this check cannot tell (let the whole-file check decide); False: the splice would
    change the meaning of the text around it (a `|+` block scalar's trailing lines, say).
    """
    items = index.lists[key].items
    n = len(items)
    if n == 0 or edit.end >= edit.start:
        return None  # an empty list or a rewritten line: let the whole-file check decide
    a = items[k - 1][0] if k > 0 else min(edit.start, items[0][0])  # above leading comments
    b = items[k + 1][0] if k + 1 < n else index.region_end(key, len(old))
    if any(o is not edit and a <= o.start <= b for o in edits):
        return None
    shift = sum(o.delta for o in edits if o is not edit and o.start < a)
    before = _parse_items("".join(old[a - 1 : b - 1]))
    after = _parse_items("".join(new[a - 1 + shift : b - 1 + shift + edit.delta]))
    item = _parse_items(block)
    if before is None or item is None or len(item) != 1:
        return None
    if after is None:
        return False
    at = 1 if k > 0 else 0
    return after == before[:at] + item + before[at:]


# --- add ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class AddResult:
    """What an add did (or, with dry_run, would do)."""

    path: str
    id: str = ""
    line: int = 0  # first line of the new event in the new file
    block: str = ""  # the event's YAML as written
    actor_id: str = ""
    actor_line: int = 0
    actor_block: str = ""
    warnings: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    incremental: bool = True  # checked against the index (False: the whole file)
    written: bool = False


_CROSS_CODES = frozenset(
    {
        "likely-duplicate",
        "out-of-order",
        "resumption-without-suspension",
        "responds-to-later",
        "unknown-event",
        "missing-name-zh",
    }
)


def clean_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Text stripped, empty values dropped, everything else as text (the file's one type)."""

    def one(value: Any) -> Any:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, Mapping):
            return {k: v for k, v in ((k, one(v)) for k, v in value.items()) if v not in _EMPTY}
        if isinstance(value, list | tuple):
            return [v for v in (one(v) for v in value) if v not in _EMPTY]
        return None if value is None else str(value)

    return {k: v for k, v in ((k, one(v)) for k, v in record.items()) if v not in _EMPTY}


_EMPTY: tuple[Any, ...] = (None, "", [], {})


def add_event(
    path: str | Path,
    event: Mapping[str, Any] | None,
    *,
    new_actor: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> AddResult:
    """Add one event and/or one actor to the dataset, as inserted lines only.

    `event` holds the codebook's fields with canonical values (dates `YYYY[-MM[-DD]]`, lists
    of strings, participants and sources as lists of mappings); without an `id`, one is made
    from the date and title (`new_event_id`), unique among current and retired ids. The
    event goes at its place in date order, an actor at its place by id if the actors are
    sorted (else last). Raises UsageError carrying positioned problems when the new records
    are invalid or an id is taken, DataError when the file itself is invalid. Warnings on
    the new event (a likely duplicate) are returned in the result, not raised.
    """
    given = str(path)
    ev = clean_record(event) if event is not None else None
    actor = clean_record(new_actor) if new_actor is not None else None
    result = AddResult(path=given)

    new_index: list[_Index | None] = [None]

    def change(text: str) -> str:
        result.warnings.clear()
        result.notices.clear()
        index = _known_valid(given, text)
        new_text, new_index[0] = _plan_add(given, text, index, ev, actor, result)
        return new_text

    def written(new_text: str) -> None:  # still under the lock: the next writer finds it
        if new_index[0] is not None:
            new_index[0].hash = _text_hash(new_text)
            _save_index(new_index[0])

    _transact(path, change, validate=False, dry_run=dry_run, written=written)
    result.written = not dry_run
    return result


def _plan_add(
    name: str,
    text: str,
    index: _Index,
    event: dict[str, Any] | None,
    actor: dict[str, Any] | None,
    result: AddResult,
) -> tuple[str, _Index | None]:
    lines = _terminated(text)
    edits: list[_Edit] = []
    actor_edit = event_edit = None
    actor_k = event_k = 0
    if actor is not None:
        if "actors" not in index.lists:
            raise DataError(f"{name}: has no actors list")
        aid = str(actor.get("id", ""))
        result.actor_id = aid
        if aid in {a[0] for a in index.actors}:
            raise UsageError(
                f"actor {aid!r} already exists; name it in --participant without --new-actor",
                [Problem("duplicate-id", f"actor id {aid!r} is already used", field="actor.id")],
            )
        actor_k = _actor_place(index, actor)
        result.actor_block = dump_record(actor, vocab.ACTOR_FIELDS)
        _faithful(result.actor_block, actor, "actor")
        planned = _plan_insert(
            lines, index, "actors", actor_k, result.actor_block, default_blank=False
        )
        actor_edit = planned[0]
        edits += planned
    if event is not None:
        if "events" not in index.lists:
            raise DataError(f"{name}: has no events list")
        event = _with_id(event, index, name)
        result.id = str(event["id"])
        result.block = dump_record(event, vocab.EVENT_FIELDS)
        _faithful(result.block, event, "event")
        event_k = _insertion_index(index, _safe_sort_key(str(event.get("date", "")), result.id))
        planned = _plan_insert(lines, index, "events", event_k, result.block, default_blank=True)
        event_edit = planned[0]
        edits += planned
    new_lines = _apply(lines, edits)
    if actor_edit is not None:
        result.actor_line = _final_line(actor_edit, edits)
    if event_edit is not None:
        result.line = _final_line(event_edit, edits)
    conclusive = _check_new_records(name, index, event, actor, result, event_k, actor_k)
    if conclusive:
        checks = [("actors", actor_k, actor_edit, result.actor_block)] if actor_edit else []
        if event_edit:
            checks.append(("events", event_k, event_edit, result.block))
        verdicts = [
            _splice_ok(lines, new_lines, index, key, k, e, edits, block)
            for key, k, e, block in checks
        ]
        if False in verdicts:
            raise DataError(
                f"{name}: inserting here would change the text around the new lines (a "
                "block scalar ending in blank lines?); nothing was written. Add the record "
                "by hand, or write that value another way first."
            )
        conclusive = all(verdicts)
    # Report the records as they stand in the file (re-indented to its lists).
    result.block = _as_written(new_lines, result.line, result.block)
    result.actor_block = _as_written(new_lines, result.actor_line, result.actor_block)
    new_text = "".join(new_lines)
    if not conclusive:  # fall back on validating the whole result (and caching its index)
        result.incremental = False
        try:
            check_whole(name, new_text)
        except DataError as exc:
            spans = [
                (line, line + block.count("\n") - 1)
                for line, block in (
                    (result.line, result.block),
                    (result.actor_line, result.actor_block),
                )
                if block
            ]
            if exc.problems and all(
                any(a <= (p.line or 0) <= b for a, b in spans) for p in exc.problems
            ):  # the new records' own errors: the input is wrong, not the file
                raise UsageError(
                    f"the new record has {len(exc.problems)} error(s); nothing was written",
                    exc.problems,
                ) from None
            raise
        return new_text, None
    _update_index(index, new_text, edits, event, event_k, event_edit, actor, actor_k, actor_edit)
    return new_text, index


def _actor_place(index: _Index, actor: Mapping[str, Any]) -> int:
    """Where a new actor goes: in order if the actors are sorted by id, or by country then
    id (as in the real file), else last."""
    new = (str(actor.get("country", "")), str(actor.get("id", "")))
    for key in (lambda a: a[1], lambda a: a):
        order = [key((c, i)) for i, _n, c, _zh in index.actors]
        if order == sorted(order):
            return bisect.bisect_right(order, key(new))
    return len(index.actors)


def _as_written(lines: Sequence[str], line: int, block: str) -> str:
    if not block:
        return block
    n = block.count("\n")
    return "".join(ln.rstrip("\r\n") + "\n" for ln in lines[line - 1 : line - 1 + n])


def _with_id(event: dict[str, Any], index: _Index, name: str) -> dict[str, Any]:
    ids = index.event_ids()
    eid = str(event.get("id", ""))
    if not eid:
        try:
            eid = new_event_id(
                str(event.get("date", "")),
                str(event.get("title", "")),
                set(ids) | set(index.retired),
            )
        except DateError as exc:
            raise UsageError(str(exc), [Problem("invalid-date", str(exc), field="date")]) from None
        event = {"id": eid, **event}
    if eid in ids:
        line = index.events[ids[eid]].line
        raise UsageError(
            f"id {eid!r} is already used by the event at {name}:{line}; choose another id",
            [Problem("duplicate-id", f"id {eid!r} is already used (line {line})", field="id")],
        )
    if eid in index.retired:
        raise UsageError(
            f"id {eid!r} belonged to a removed event and is retired; ids are never reused",
            [Problem("retired-id", f"id {eid!r} is retired", field="id")],
        )
    return event


def _faithful(block: str, record: Mapping[str, Any], what: str) -> None:
    """The written YAML must read back as exactly the record (no silently changed text)."""
    items = _parse_items(block)
    if items is None or len(items) != 1 or items[0] != record:
        raise UsageError(
            f"the new {what} cannot be written faithfully as YAML; "
            "check its text for control characters or line separators"
        )


def _check_new_records(
    name: str,
    index: _Index,
    event: dict[str, Any] | None,
    actor: dict[str, Any] | None,
    result: AddResult,
    event_k: int,
    actor_k: int,
) -> bool:
    """Validate the new records with the real validator, in a small document holding the
    known channels and actors and the few events the rules compare a new event with.

    Raises UsageError with the new records' errors, positioned where they will stand in the
    file; collects their warnings and notices in `result`. Returns False when the check is
    inconclusive (an unexpected error outside the new records).
    """
    from tracker.validate import validate_document

    parts = ["channels:\n"]
    parts += [f"  - id: {q(c)}\n    name: {q(n or c)}\n" for c, n in index.channels]
    parts.append("actors:\n")
    parts += [
        f"  - id: {q(a)}\n    name: {q(n or a)}\n    country: {q(c or 'US')}\n"
        for a, n, c, _zh in index.actors
    ]
    ranges: dict[
        str, tuple[int, int, int, int, int]
    ] = {}  # first, last, synthetic i, real k, real line

    def place(key: str, block: str, synthetic_i: int, k: int, line: int) -> None:
        first = "".join(parts).count("\n") + 1
        parts.append(block)
        ranges[key] = (first, first + block.count("\n") - 1, synthetic_i, k, line)

    if actor is not None:
        place("actors", result.actor_block, len(index.actors), actor_k, result.actor_line)
    parts.append("events:\n" if event is not None else "events: []\n")
    if event is not None:
        context = _context(index, event)
        parts += [_context_block(e) for e in context]
        place("events", result.block, len(context), event_k, result.line)
    doc = load_document(name, "".join(parts).encode("utf-8"))
    _ds, report = validate_document(doc)
    errors: list[Problem] = []
    for p in report.problems:
        where = next(
            (k for k, r in ranges.items() if p.line is not None and r[0] <= p.line <= r[1]),
            None,
        )
        if where is None:
            if p.severity == "error" and p.code not in _CROSS_CODES:
                return False
            continue
        if p.code == "out-of-order":
            continue  # the new event is inserted at its place in the real file
        first, _last, synthetic_i, k, line = ranges[where]
        moved = Problem(
            p.code,
            p.message,
            p.severity,
            name,
            line + (p.line or first) - first,
            p.col,
            _renumber(p.field, where, synthetic_i, k),
        )
        {"error": errors, "warning": result.warnings, "notice": result.notices}[p.severity].append(
            moved
        )
    if errors:
        n = len(errors)
        what = " and ".join(k.rstrip("s") for k in ranges) or "record"
        raise UsageError(
            f"the new {what} has {n} error{'s' if n != 1 else ''}; nothing was written",
            errors,
        )
    return True


def _renumber(fieldname: str | None, key: str, old: int, new: int) -> str | None:
    prefix = f"{key}[{old}]"
    if fieldname and fieldname.startswith(prefix):
        return f"{key}[{new}]{fieldname[len(prefix) :]}"
    return fieldname


def _context(index: _Index, event: Mapping[str, Any]) -> list[_Entry]:
    """The known events the rules compare a new event with, in file order: its responds_to
    targets, same date and kind (likely duplicates), and for a resumption the suspensions."""
    by_id = index.event_ids()
    wanted = {by_id[t] for t in _strs(event.get("responds_to")) if t in by_id}
    date_text, kind = str(event.get("date", "")), str(event.get("kind", ""))
    for i, e in enumerate(index.events):
        if (e.date == date_text and e.kind == kind) or (
            kind == "resumption" and e.kind == "suspension"
        ):
            wanted.add(i)
    return [index.events[i] for i in sorted(wanted)]


def _context_block(e: _Entry) -> str:
    record: dict[str, Any] = {
        "id": e.id,
        "date": e.date,
        "end_date": e.end_date,
        "kind": e.kind,
        "title": e.title,
        "summary": "known event",
        "channels": e.channels,
        "initiator": e.initiator,
        "sources": [{"publisher": "known", "title": "known", "type": "press", "language": "en"}],
    }
    return dump_record(record, vocab.EVENT_FIELDS)


def _update_index(
    index: _Index,
    new_text: str,
    edits: Sequence[_Edit],
    event: Mapping[str, Any] | None,
    event_k: int,
    event_edit: _Edit | None,
    actor: Mapping[str, Any] | None,
    actor_k: int,
    actor_edit: _Edit | None,
) -> None:
    """Turn the index of the old text into that of the new one (lines shifted, records in)."""
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        index.shift(e.end + 1, e.delta)
    if actor is not None and actor_edit is not None:
        pos = index.lists["actors"]
        col = pos.items[0][1] if pos.items else 5
        pos.items.insert(actor_k, (_final_line(actor_edit, edits), col))
        index.actors.insert(
            actor_k,
            tuple(str(actor.get(f, "")) for f in ("id", "name", "country", "name_zh")),  # type: ignore[arg-type]
        )
    if event is not None and event_edit is not None:
        pos = index.lists["events"]
        col = pos.items[0][1] if pos.items else 5
        line = _final_line(event_edit, edits)
        pos.items.insert(event_k, (line, col))
        index.events.insert(
            event_k,
            _Entry(
                str(event["id"]),
                str(event.get("date", "")),
                str(event.get("end_date", "")),
                str(event.get("kind", "")),
                str(event.get("title", "")),
                _strs(event.get("channels")),
                str(event.get("initiator", "")),
                _strs(event.get("responds_to")),
                line,
                col,
            ),
        )
    index.hash = ""  # set once the text is written (its digest is computed then)
    index.valid = True


# --- the lines of one record ----------------------------------------------------------------------


def _find_event(index: _Index, event_id: str, name: str) -> int:
    ids = index.event_ids()
    if event_id not in ids:
        from tracker.validate import suggest

        hint = suggest(event_id, ids)
        raise NotFoundError(
            f"no event with id {event_id!r} in {name}{hint}; `tracker list` shows the ids"
        )
    return ids[event_id]


def _event_span(lines: Sequence[str], index: _Index, i: int) -> tuple[int, int]:
    """First and last line (inclusive) of event i's own text (no trailing blanks/comments)."""
    items = index.lists["events"].items
    start, col = items[i]
    stop = items[i + 1][0] if i + 1 < len(items) else index.region_end("events", len(lines))
    return start, _content_end(lines, start, stop, col - 1)


def _parse_record(lines: Sequence[str], start: int, end: int) -> YMap:
    """One record's lines parsed alone; positions are relative to `start` (line 1)."""
    doc = load_document("<record>", "".join(lines[start - 1 : end]).encode("utf-8"))
    if doc.problems or not isinstance(doc.data, YList) or not isinstance(doc.data[0], YMap):
        raise DataError(f"lines {start}-{end}: cannot read this record on its own")
    return doc.data[0]


def _key_spans(block: Sequence[str], m: YMap) -> dict[str, tuple[int, int]]:
    """Each key's lines (1-based, inclusive, relative to the block), trailing comments out."""
    keys = sorted(m.key_pos, key=lambda k: m.key_pos[k])
    spans = {}
    for j, key in enumerate(keys):
        first, col = m.key_pos[key]
        stop = m.key_pos[keys[j + 1]][0] if j + 1 < len(keys) else len(block) + 1
        spans[key] = (first, _content_end(block, first, stop, col - 1))
    return spans


def _field_lines(key: str, value: Any, indent: int, nl: str) -> list[str]:
    """`key: value` in the house style (yamltext), at the given key indentation."""
    text = dump_record({"_": "_", key: value}, ["_", key], indent=indent)
    return [line + nl for line in text.split("\n")[1:-1]]


# --- edit -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class EditResult:
    """What an edit changed: the event's old and new lines, and where they stand."""

    path: str
    id: str
    old_line: int = 0
    old_block: str = ""
    line: int = 0
    block: str = ""
    moved: bool = False  # the new date put the event elsewhere in date order
    written: bool = False


def edit_event(
    path: str | Path,
    event_id: str,
    changes: Mapping[str, Any],
    *,
    add_sources: Sequence[Mapping[str, Any]] = (),
    dry_run: bool = False,
) -> EditResult:
    """Change fields of one event, touching only that event's lines.

    `changes` maps field names to new canonical values; None, "" or [] removes an optional
    field. `add_sources` are appended to the event's sources. A field keeps its line when it
    exists (a new field goes after its predecessor in the codebook's order); when a new date
    moves the event in date order, its block moves. The id cannot change (ids are stable).
    The whole result is validated before it is written.
    """
    given = str(path)
    bad = [k for k in changes if k not in vocab.EVENT_FIELDS or k == "id"]
    if bad:
        raise UsageError(
            f"cannot edit {bad[0]!r}: "
            + ("ids never change" if bad[0] == "id" else "not an event field")
        )
    for key, value in changes.items():
        if vocab.EVENT_FIELDS[key] and value in _EMPTY:
            raise UsageError(f"{key} is required and cannot be removed")
    result = EditResult(path=given, id=event_id)
    cleaned = {k: (clean_record({k: v}).get(k)) for k, v in changes.items()}
    sources = [clean_record(s) for s in add_sources]

    def change(text: str) -> str:
        return _plan_edit(given, text, event_id, cleaned, sources, result)

    transact(path, change, validate=True, dry_run=dry_run)
    result.written = not dry_run
    return result


def _plan_edit(
    name: str,
    text: str,
    event_id: str,
    changes: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]],
    result: EditResult,
) -> str:
    index = _positions(name, text)
    lines = _terminated(text)
    nl = _newline(lines)
    i = _find_event(index, event_id, name)
    start, end = _event_span(lines, index, i)
    block = list(lines[start - 1 : end])
    m = _parse_record(lines, start, end)
    spans = _key_spans(block, m)
    key_indent = m.pos[1] - 1
    edits: list[_Edit] = []
    order = list(vocab.EVENT_FIELDS)
    for key, value in changes.items():
        if key in spans:
            first, last = spans[key]
            new = [] if value is None else _field_lines(key, value, key_indent, nl)
            if first == 1:  # the item's first key carries the `- ` lead
                new = [block[0][:key_indent] + new[0][key_indent:], *new[1:]] if new else []
                if not new:
                    raise UsageError(f"cannot remove {key!r}: it is the first key of the event")
            edits.append(_Edit(first, last, new))
        elif value is not None:
            before = [k for k in order[: order.index(key)] if k in spans and k not in changes]
            after_key = before[-1] if before else min(spans, key=lambda k: spans[k])
            at = spans[after_key][1] + 1
            edits.append(_Edit(at, at - 1, _field_lines(key, value, key_indent, nl)))
    if sources:
        if "sources" in spans and isinstance(m.get("sources"), YList) and m["sources"]:
            src_list = m["sources"]
            src_indent = src_list.item_pos[0][1] - 1
            at = spans["sources"][1] + 1
            new = []
            for s in sources:
                new += [
                    ln + nl
                    for ln in dump_record(s, vocab.SOURCE_FIELDS, src_indent).split("\n")[:-1]
                ]
            if any(e.start == at and e.end < e.start for e in edits):
                raise UsageError("cannot add a source and a field at the same place")
            edits.append(_Edit(at, at - 1, new))
        else:
            raise DataError(f"{name}:{start}: event {event_id!r} has no sources list to add to")
    new_block = _apply(block, edits)
    result.old_line, result.old_block = start, "".join(block)
    result.line, result.block = start, "".join(new_block)
    new_lines = [*lines[: start - 1], *new_block, *lines[end:]]
    new_date = changes.get("date")
    if new_date and new_date != index.events[i].date:
        new_lines = _move_if_needed(name, lines, new_lines, index, i, start, end, new_block, result)
    return "".join(new_lines)


def _move_if_needed(
    name: str,
    lines: list[str],
    edited: list[str],
    index: _Index,
    i: int,
    start: int,
    end: int,
    new_block: list[str],
    result: EditResult,
) -> list[str]:
    """Move an event whose new date no longer fits between its neighbours."""
    new_key = _safe_sort_key(str(_parse_items("".join(new_block))[0]["date"]), index.events[i].id)  # type: ignore[index]
    events = index.events
    fits = (i == 0 or events[i - 1].sort_key <= new_key) and (
        i + 1 == len(events) or new_key <= events[i + 1].sort_key
    )
    if fits:
        return edited
    cut = _removal_edits(lines, index, i)
    without = _apply(lines, cut)
    for e in sorted(cut, key=lambda e: e.start, reverse=True):
        index.shift(e.end + 1, e.delta)
    index.events.pop(i)
    index.lists["events"].items.pop(i)
    k = _insertion_index(index, new_key)
    # The edited lines are in the list's indentation; _plan_insert wants house style.
    items = index.lists["events"].items
    dash = max(items[0][1] - 3, 0) if items else 2
    text = "".join(line.rstrip("\r\n") + "\n" for line in new_block)
    house = "".join(_shift(text, 2 - dash, "\n"))
    ins = _plan_insert(without, index, "events", k, house, default_blank=True)
    result.moved = True
    result.line = _final_line(ins[0], ins)
    return _apply(without, ins)


def _removal_edits(lines: Sequence[str], index: _Index, i: int) -> list[_Edit]:
    """The edits that delete event i's lines and the separator that came with it."""
    items = index.lists["events"].items
    n = len(items)
    start, end = _event_span(lines, index, i)
    pos = index.lists["events"]
    if i + 1 < n:  # up to the next event's leading comments, which belong to it
        return [_Edit(start, _lead_start(lines, pos, i + 1) - 1, [])]
    if n == 1:
        nl = _newline(lines)
        return [_Edit(pos.key_line, pos.key_line, [f"events: []{nl}"]), _Edit(start, end, [])]
    if _blank(lines[start - 2]):  # the blank line that separated it from the one before
        start -= 1
    return [_Edit(start, end, [])]


# --- remove ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class RemoveResult:
    """What a remove deleted, and which references it dropped (with force)."""

    path: str
    id: str
    line: int = 0
    block: str = ""
    referrers: list[str] = field(default_factory=list)
    retired: bool = False
    written: bool = False


def remove_event(
    path: str | Path, event_id: str, *, force: bool = False, dry_run: bool = False
) -> RemoveResult:
    """Delete one event's lines and record its id under `retired_ids` (never reused).

    Refused (DataError) while other events name it in `responds_to`, unless `force`, which
    also drops those references (and only them). The whole result is validated before it is
    written, so a removal that would break another rule (a resumption losing its
    suspension) is refused with that problem.
    """
    given = str(path)
    result = RemoveResult(path=given, id=event_id)

    def change(text: str) -> str:
        return _plan_remove(given, text, event_id, force, result)

    transact(path, change, validate=True, dry_run=dry_run)
    result.written = not dry_run
    return result


def _plan_remove(name: str, text: str, event_id: str, force: bool, result: RemoveResult) -> str:
    index = _positions(name, text)
    lines = _terminated(text)
    nl = _newline(lines)
    i = _find_event(index, event_id, name)
    refs = [e for e in index.events if event_id in e.responds_to and e.id != event_id]
    result.referrers = [e.id for e in refs]
    if refs and not force:
        problems = [
            Problem(
                "referenced",
                f"{e.id!r} responds to {event_id!r}",
                file=name,
                line=e.line,
                col=e.col,
                field=f"events[{e.id}].responds_to",
            )
            for e in refs
        ]
        raise DataError(
            f"{event_id!r} is referred to by {len(refs)} event{'s' if len(refs) != 1 else ''} "
            "(responds_to); remove those references first, or pass --force to drop them too",
            problems,
        )
    start, end = _event_span(lines, index, i)
    result.line, result.block = start, "".join(lines[start - 1 : end])
    edits = _removal_edits(lines, index, i)
    by_id = index.event_ids()
    for e in refs:
        j = by_id[e.id]
        s, t = _event_span(lines, index, j)
        m = _parse_record(lines, s, t)
        block = lines[s - 1 : t]
        first, last = _key_spans(block, m)["responds_to"]
        kept = [r for r in e.responds_to if r != event_id]
        new = _field_lines("responds_to", kept, m.pos[1] - 1, nl) if kept else []
        edits.append(_Edit(s + first - 1, s + last - 1, new))
    if event_id not in index.retired:
        edits += _retire_edits(lines, index, event_id)
        result.retired = True
    return "".join(_apply(lines, edits))


def _retire_edits(lines: Sequence[str], index: _Index, event_id: str) -> list[_Edit]:
    nl = _newline(lines)
    item = f"  - {q(event_id)}\n"
    if RETIRED_KEY in index.lists:
        pos = index.lists[RETIRED_KEY]
        k = len(pos.items)
        return _plan_insert(lines, index, RETIRED_KEY, k, item, default_blank=False)
    at = len(lines) + 1
    tail = [] if lines and _blank(lines[-1]) else [nl]
    tail += [RETIRED_COMMENT + nl, f"{RETIRED_KEY}:{nl}", item.replace("\n", nl)]
    return [_Edit(at, at - 1, tail)]


# --- names, for prompts and suggestions -----------------------------------------------------


@dataclass(slots=True)
class Names:
    """Ids (and names) the dataset knows: for prompts, suggestions and id generation."""

    actors: dict[str, str]
    channels: dict[str, str]
    events: dict[str, str]  # id -> title
    retired: list[str]


def known_names(path: str | Path) -> Names:
    """The actors, channels and event ids of the dataset (from its index when cached)."""
    name = str(path)
    text = decode(read_bytes(path), name)
    index = _positions(name, text)
    return Names(
        actors={a[0]: a[1] for a in index.actors},
        channels={c[0]: c[1] for c in index.channels},
        events={e.id: e.title for e in index.events},
        retired=list(index.retired),
    )
