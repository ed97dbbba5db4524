"""The one write: lock, re-read, change, check, atomic replace (see `transact`)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from tracker.dataset import YMap, decode, load_document, read_bytes
from tracker.edit.index import _Index, _remember, _save_index
from tracker.problems import DataError, UsageError

LOCK_TIMEOUT = 60.0  # seconds to wait for another writer before giving up
_BOM = b"\xef\xbb\xbf"


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
