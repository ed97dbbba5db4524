"""Writing export files: whole or not at all.

Each file is written to a temporary file in the same folder, flushed, fsynced and moved into
place with `os.replace`, so a reader (or a crash) never sees half an export file. Folder
problems are usage errors naming the path.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tracker.problems import UsageError


def write_file(path: Path, data: bytes) -> None:
    """Atomically replace `path` with `data` (mode 0644 for a new file, else the old mode)."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"--out {path}: is a folder; give a file name, or '-' for stdout")
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(f"--out {path}: folder {folder} does not exist")
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except PermissionError as exc:
        raise UsageError(f"--out {path}: permission denied") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def prepare_folder(folder: Path) -> Path:
    """Create `folder` (and parents) if needed; refuse a path that is a file."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder}: is a file; give a folder for this export")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {folder}: cannot create the folder: {exc.strerror}") from exc
    return folder


def write_files(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write every file into `folder`; the paths written, in order."""
    folder = prepare_folder(folder)
    written = []
    for name, data in files.items():
        write_file(folder / name, data)
        written.append(folder / name)
    return written
