"""`tracker add` against a floor and the whole-file alternative, measured in the same run.

Why: issue 5 asks that an add stay well under a second on the real dataset and that a
benchmark measure it at 10k events. Three figures per size, each a median of --repeat runs
on a fresh copy of the same synthetic file (benchmarks/generate.py):

- floor: the least any safe add must do to the file: read it, hash it, write the whole new
  text to a temp file, fsync, os.replace, fsync the folder (no parsing, no validation);
- add (warm): `tracker.edit.add_event` when the index of the current text is cached (every
  add after the first: each add caches the index of the text it writes);
- add (cold): the same with no cached index (the first add after a hand edit): it parses
  and validates the whole file once;
- whole-file: what validating the whole result on every add would cost (parse + validate
  of the new text), the alternative the index avoids.

Also times the command end to end (`tracker add ... --yes` in a subprocess, warm) against
`python -c pass`. Prints a Markdown table to stdout; progress to stderr.

    python benchmarks/bench_add.py                      # 1k and 10k events, median of 5
    python benchmarks/bench_add.py --sizes 195 10000 --repeat 3

Measured here (2 cores, medians of 5; 195 = the real file):

| events | floor s | add warm s | add cold s | whole-file check s | `tracker add` s |
|---:|---:|---:|---:|---:|---:|
| 195 | 0.003 | 0.017 | 0.12 | 0.10 | 0.44 |
| 1,000 | 0.008 | 0.040 | 0.53 | 0.47 | 0.47 |
| 10,000 | 0.072 | 0.390 | 5.81 | 4.73 | 0.89 |

The command's time is mostly start-up (Python, Typer, which imports pydantic): about
0.35 s of the 0.44 s on the real file.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import generate  # noqa: E402 - benchmarks/generate.py, found through the lines above

from tracker.api import load_dataset  # noqa: E402
from tracker.edit import add_event, known_names  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def new_event(i: int, actor: str) -> dict[str, object]:
    return {
        "date": f"2001-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "kind": "call",
        "title": f"Benchmark call number {i}",
        "summary": "A synthetic call added by benchmarks/bench_add.py.",
        "participants": [{"actor": actor, "role": "Synthetic role"}],
        "sources": [{"publisher": "Benchmark", "title": "Call", "type": "press", "language": "en"}],
    }


def floor_write(path: Path) -> None:
    """Read, hash, and rewrite the file atomically and durably: no YAML at all."""
    raw = path.read_bytes()
    hashlib.sha256(raw).hexdigest()
    data = raw + b"  - id: x\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dfd = os.open(path.parent, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def median(values: list[float]) -> float:
    return statistics.median(values)


def bench_size(n: int, repeat: int, work: Path, cache: Path) -> dict[str, float]:
    src = work / f"events-{n}.yaml"
    if not src.exists():
        print(f"generating {n} events ...", file=sys.stderr)
        if n == 195:
            shutil.copyfile(ROOT / "data" / "events.yaml", src)
        else:
            generate.write(src, n)
    path = work / "copy" / "events.yaml"
    path.parent.mkdir(exist_ok=True)
    figures: dict[str, list[float]] = {"floor": [], "warm": [], "cold": [], "whole": []}
    for r in range(repeat):
        print(f"  {n} events, run {r + 1}/{repeat}", file=sys.stderr)
        shutil.copyfile(src, path)
        figures["floor"].append(timed(lambda: floor_write(path)))
        shutil.copyfile(src, path)
        shutil.rmtree(cache, ignore_errors=True)
        actor = next(iter(known_names(path).actors))
        cold, warm = new_event(2 * r, actor), new_event(2 * r + 1, actor)
        figures["cold"].append(timed(lambda: add_event(path, cold)))  # noqa: B023 - called now
        figures["warm"].append(timed(lambda: add_event(path, warm)))  # noqa: B023 - called now
        figures["whole"].append(timed(lambda: load_dataset(path)))
    out = {k: median(v) for k, v in figures.items()}
    out["bytes"] = float(src.stat().st_size)
    out["cli"] = cli_add(path) if n else 0.0
    return out


def cli_add(path: Path) -> float:
    """Wall time of one warm `tracker add --yes` in a fresh process, minus nothing."""
    args = [
        sys.executable,
        "-m",
        "tracker",
        "add",
        "--data",
        str(path),
        "--date",
        "2002-02-02",
        "--kind",
        "call",
        "--title",
        "Benchmark command-line call",
        "--summary",
        "Synthetic.",
        "--source-publisher",
        "Benchmark",
        "--source-title",
        "Call",
        "--source-type",
        "press",
        "--source-language",
        "en",
        "--yes",
    ]
    t = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=ROOT, env=os.environ.copy())
    return time.perf_counter() - t


def python_startup() -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", help="keep generated files here (default: a temp dir)")
    args = parser.parse_args(argv)
    work = Path(args.workdir or tempfile.mkdtemp(prefix="bench-add-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    os.environ["TRACKER_CACHE_DIR"] = str(cache)
    startup = median([python_startup() for _ in range(3)])
    print(
        "| events | MB | floor s | add warm s | add cold s | whole-file check s "
        "| warm / floor | whole / warm | `tracker add` s (process) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        f = bench_size(n, args.repeat, work, cache)
        print(
            f"| {n:,} | {f['bytes'] / 1e6:.1f} | {f['floor']:.3f} | {f['warm']:.3f} "
            f"| {f['cold']:.2f} | {f['whole']:.2f} | {f['warm'] / f['floor']:.1f}x "
            f"| {f['whole'] / f['warm']:.0f}x | {f['cli']:.2f} |",
            flush=True,
        )
    print(f"\n`python -c pass`: {startup:.3f} s. n = 195 means a copy of data/events.yaml.")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
