"""Validate and build: the tracker against a floor measured in the same run, on the same file.

Why: issue 2's target is "validate + build of 10k events within 2x the floor", where the floor
is the least any implementation must do for the same job:

- floor parse: PyYAML's C loader (`yaml.load(text, Loader=yaml.CSafeLoader)`) with the cyclic
  GC paused, as the project's performance notes measured it (pausing it made parsing 2-6x
  faster);
- floor insert: the same records as rows of the same normalised tables (the DDL is compiled
  from tracker/model.py, so keys, foreign keys and indexes are identical), each date stored
  four ways as the tracker does, with `sqlite3.executemany` in one transaction, the build
  pragmas of tracker/db.py (foreign keys on, no journal, no sync) and one fsync at the end.

The floor does no validation and derives no periods: everything the tracker adds on top of
parsing and inserting (positions, every rule of the codebook, typed records, SQLAlchemy,
the trajectory) is in the ratio.

    python benchmarks/bench_build.py                      # 1k and 10k events, median of 3
    python benchmarks/bench_build.py --sizes 100000 --repeat 1
    python benchmarks/bench_build.py --sizes 10000 --profile   # + cProfile of the tracker

Prints a Markdown table (seconds, medians of --repeat runs, and tracker / floor) to stdout;
progress goes to stderr. Also times CLI start-up: `tracker --help` against `python -c pass`.
"""

from __future__ import annotations

import argparse
import calendar
import cProfile
import gc
import os
import platform
import pstats
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402 - benchmarks/generate.py, found through the line above

from tracker.vocab import FAMILY_OF_KIND as _FAMILY  # noqa: E402

TARGET = 2.0  # validate + build of 10k events within 2x the floor (issue 2)
TARGET_SIZE = 10_000


# --- the floor ------------------------------------------------------------------------------


@contextmanager
def gc_paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def floor_parse(path: Path) -> Any:
    """Bytes -> plain Python objects with libyaml, GC paused."""
    import yaml

    text = path.read_bytes().decode("utf-8-sig")
    with gc_paused():
        return yaml.load(text, Loader=yaml.CSafeLoader)


def _date4(text: str | None) -> tuple[str | None, str | None, str | None, str | None]:
    """A partial date as (original, first day, last day, precision), ISO strings as stored."""
    if not text:
        return None, None, None, None
    parts = [int(p) for p in text.rstrip("~?").split("-")]
    if len(parts) == 3:
        d = date(*parts).isoformat()
        return text, d, d, "day"
    if len(parts) == 2:
        y, m = parts
        last = calendar.monthrange(y, m)[1]
        return text, date(y, m, 1).isoformat(), date(y, m, last).isoformat(), "month"
    y = parts[0]
    return text, f"{y:04d}-01-01", f"{y:04d}-12-31", "year"


def schema_ddl() -> list[str]:
    """CREATE TABLE / CREATE INDEX statements of tracker/model.py, compiled for SQLite."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable
    from sqlmodel import SQLModel

    import tracker.model  # noqa: F401 - registers the tables

    dialect = sqlite.dialect()
    out = []
    for table in SQLModel.metadata.sorted_tables:
        out.append(str(CreateTable(table).compile(dialect=dialect)))
        out.extend(str(CreateIndex(ix).compile(dialect=dialect)) for ix in table.indexes)
    return out


def floor_rows(data: dict[str, Any]) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """The parsed records as insert-ready tuples per table: the same rows the tracker writes."""
    channels = [
        (c["id"], c["name"], *_date4(c.get("established")), c.get("description", ""))
        for c in data["channels"]
    ]
    actors = [
        (a["id"], a["name"], a.get("name_zh", ""), a["country"], a.get("description", ""))
        for a in data["actors"]
    ]
    events, sources, parts, ev_ch, links, tags = [], [], [], [], [], []
    for pos, e in enumerate(data["events"]):
        eid = e["id"]
        events.append(
            (
                eid,
                pos,
                *_date4(e["date"]),
                *_date4(e.get("end_date")),
                e["kind"],
                _FAMILY[e["kind"]],
                e["title"],
                e["summary"],
                e.get("initiator"),
                e.get("location"),
                int(e["significance"]) if "significance" in e else None,
                e.get("notes"),
            )
        )
        for i, s in enumerate(e["sources"]):
            sources.append(
                (
                    eid,
                    i,
                    s["publisher"],
                    s["title"],
                    *_date4(s.get("published")),
                    s.get("url"),
                    s["type"],
                    s["language"],
                )
            )
        for i, p in enumerate(e.get("participants", ())):
            parts.append((eid, i, p["actor"], p.get("role", "")))
        ev_ch.extend((eid, c, i) for i, c in enumerate(dict.fromkeys(e.get("channels", ()))))
        links.extend((eid, t, i) for i, t in enumerate(dict.fromkeys(e.get("responds_to", ()))))
        tags.extend((eid, t, i) for i, t in enumerate(dict.fromkeys(e.get("tags", ()))))
    date_cols = ["{0}", "{0}_first", "{0}_last", "{0}_precision"]
    return {
        "channel": (
            ["id", "name", *(c.format("established") for c in date_cols), "description"],
            channels,
        ),
        "actor": (["id", "name", "name_zh", "country", "description"], actors),
        "event": (
            [
                "id",
                "position",
                *(c.format("date") for c in date_cols),
                *(c.format("end_date") for c in date_cols),
                *"kind family title summary initiator location significance notes".split(),
            ],
            events,
        ),
        "source": (
            [
                "event_id",
                "position",
                "publisher",
                "title",
                *(c.format("published") for c in date_cols),
                "url",
                "type",
                "language",
            ],
            sources,
        ),
        "participation": (["event_id", "position", "actor_id", "role"], parts),
        "event_channel": (["event_id", "channel_id", "position"], ev_ch),
        "event_link": (["event_id", "responds_to_id", "position"], links),
        "event_tag": (["event_id", "tag", "position"], tags),
    }


# Columns of tracker/model.py the floor leaves empty on purpose: they hold what only the
# tracker knows (the YAML line of each event, for messages).
FLOOR_SKIPS = {"event": {"line"}}


def check_floor_schema(data: dict[str, Any]) -> None:
    """Stop with a clear message when tracker/model.py gained or lost a column the floor fills,
    so the floor never silently measures a different job."""
    from sqlmodel import SQLModel

    import tracker.model  # noqa: F401 - registers the tables

    sample = {"channels": data["channels"], "actors": data["actors"], "events": data["events"]}
    for name, (cols, _rows) in floor_rows(sample).items():
        table = SQLModel.metadata.tables[name]
        model_cols = {c.name for c in table.columns if c is not table.autoincrement_column}
        model_cols -= FLOOR_SKIPS.get(name, set())
        if set(cols) != model_cols:
            raise SystemExit(
                f"bench_build.py: the floor's {name} columns {sorted(cols)} differ from "
                f"tracker/model.py's {sorted(model_cols)}; update floor_rows()"
            )


def floor_insert(data: dict[str, Any], db_path: Path, ddl: list[str]) -> None:
    """Rows into a fresh SQLite file: one transaction, executemany per table, one fsync."""
    with gc_paused():
        tables = floor_rows(data)
        con = sqlite3.connect(db_path, isolation_level=None)
        try:
            con.execute("PRAGMA foreign_keys=ON")
            con.execute("PRAGMA journal_mode=OFF")
            con.execute("PRAGMA synchronous=OFF")
            con.execute("BEGIN IMMEDIATE")
            for stmt in ddl:
                con.execute(stmt)
            for name, (cols, rows) in tables.items():
                marks = ", ".join("?" * len(cols))
                con.executemany(
                    f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({marks})",
                    rows,
                )
            con.execute("COMMIT")
        finally:
            con.close()
        fd = os.open(db_path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the tracker ----------------------------------------------------------------------------


def tracker_validate(path: Path) -> Any:
    from tracker.api import load_dataset

    ds, report = load_dataset(path)
    if not report.ok or report.warnings:
        first = report.sorted()[0].format()
        raise SystemExit(f"generated data did not validate cleanly ({first}); fix generate.py")
    return ds


def tracker_build(ds: Any, db_path: Path) -> None:
    from tracker.db import build_database

    build_database(ds, f"sqlite:///{db_path}")


# --- timing ---------------------------------------------------------------------------------


def timed(fn: Callable[..., Any], *args: Any, collect: bool = True) -> tuple[float, Any]:
    """Wall time of fn(*args). A full collection first makes runs start alike; the second step
    of a chain skips it, so that garbage-collector work the first step left behind (after a
    GC pause) is charged to the chain, as a real `tracker build` pays it."""
    if collect:
        gc.collect()
    t0 = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - t0, result


def fresh(path: Path) -> Path:
    path.unlink(missing_ok=True)
    return path


def tracker_command() -> list[str]:
    script = Path(sys.executable).parent / "tracker"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracker"]


def run_quiet(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def bench_size(n: int, repeat: int, seed: int, work: Path, cli: bool) -> dict[str, Any]:
    path = work / f"events-{n}.yaml"
    if not path.exists():
        t0 = time.perf_counter()
        size = generate.write(path, n, seed)
        note(f"  generated {path.name}: {size:,} bytes in {time.perf_counter() - t0:.1f} s")
    ddl = schema_ddl()
    check_floor_schema(floor_parse(path))
    times: dict[str, list[float]] = {k: [] for k in ("parse", "insert", "validate", "build")}
    if cli:
        times["cli_build"] = []
    for r in range(repeat):
        t, data = timed(floor_parse, path)
        times["parse"].append(t)
        t, _ = timed(floor_insert, data, fresh(work / "floor.db"), ddl, collect=False)
        times["insert"].append(t)
        del data
        t, ds = timed(tracker_validate, path)
        times["validate"].append(t)
        t, _ = timed(tracker_build, ds, fresh(work / "tracker.db"), collect=False)
        times["build"].append(t)
        del ds
        if cli:
            cmd = [*tracker_command(), "build", "--data", str(path)]
            cmd += ["--db", f"sqlite:///{fresh(work / 'cli.db')}"]
            times["cli_build"].append(run_quiet(cmd))
        note(f"  run {r + 1}/{repeat}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in times.items()))
    med = {k: statistics.median(v) for k, v in times.items()}
    med["bytes"] = path.stat().st_size
    return med


def bench_startup(repeat: int) -> dict[str, float]:
    tracker = [*tracker_command(), "--help"]
    run_quiet(tracker)  # warm the page cache and the bytecode
    py: list[float] = []
    tr: list[float] = []
    for _ in range(repeat):
        py.append(run_quiet([sys.executable, "-c", "pass"]))
        tr.append(run_quiet(tracker))
    return {"python": statistics.median(py), "tracker": statistics.median(tr)}


def profile(path: Path, work: Path, limit: int = 25) -> None:
    """cProfile of validate + build, top functions by own time and by cumulative time."""
    prof = cProfile.Profile()
    prof.enable()
    ds = tracker_validate(path)
    tracker_build(ds, fresh(work / "profile.db"))
    prof.disable()
    stats = pstats.Stats(prof, stream=sys.stdout)
    print(f"\n## cProfile: validate + build of {path.name}\n\n```")
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)
    print("```")


# --- report ---------------------------------------------------------------------------------


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def machine() -> str:
    import sqlalchemy
    import yaml

    return (
        f"{platform.system()} {platform.machine()}, nproc {os.cpu_count()}, "
        f"Python {platform.python_version()}, PyYAML {yaml.__version__} "
        f"(libyaml {'yes' if yaml.__with_libyaml__ else 'NO'}), SQLite {sqlite3.sqlite_version}, "
        f"SQLAlchemy {sqlalchemy.__version__}"
    )


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def table(results: dict[int, dict[str, Any]], repeat: int) -> list[str]:
    lines = [
        "| events | YAML MB | step | tracker s | floor s | tracker / floor |",
        "|---:|---:|---|---:|---:|---:|",
    ]
    for n, m in results.items():
        mb = f"{m['bytes'] / 1e6:.1f}"
        total_t, total_f = m["validate"] + m["build"], m["parse"] + m["insert"]
        rows = [
            ("validate (load_dataset) vs parse (CSafeLoader)", m["validate"], m["parse"]),
            ("build (build_database) vs insert (executemany)", m["build"], m["insert"]),
            ("**validate + build** vs parse + insert", total_t, total_f),
        ]
        if "cli_build" in m:
            rows.append(("`tracker build` subprocess vs parse + insert", m["cli_build"], total_f))
        for step, t, f in rows:
            lines.append(f"| {n:,} | {mb} | {step} | {t:.3f} | {f:.3f} | {ratio(t, f)} |")
    lines.append("")
    lines.append(f"Medians of {repeat} run(s).")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 10000],
        help="event counts to measure (default: 1000 10000; 100000 on demand)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; medians shown")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument(
        "--startup-repeat", type=int, default=15, help="runs of each start-up command"
    )
    parser.add_argument(
        "--no-cli", action="store_true", help="skip the end-to-end `tracker build` subprocess"
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of the largest size"
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep generated files here (default: a temp folder)"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or any(n < 1 for n in args.sizes):
        parser.error("--repeat and --sizes must be positive")

    work = args.workdir or Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        note(machine())
        load0 = os.getloadavg()[0]  # other work on the machine skews every figure
        import tracker.api  # noqa: F401 - imports are start-up cost, timed separately
        import tracker.db  # noqa: F401

        results = {}
        for n in args.sizes:
            note(f"{n:,} events:")
            results[n] = bench_size(n, args.repeat, args.seed, work, not args.no_cli)
        note("start-up:")
        start = bench_startup(args.startup_repeat)

        print(f"Machine: {machine()}")
        print(f"Load average (1 min) at start / end: {load0:.2f} / {os.getloadavg()[0]:.2f}\n")
        print("\n".join(table(results, args.repeat)))
        print(
            f"\nStart-up (median of {args.startup_repeat}): `tracker --help` "
            f"{start['tracker'] * 1000:.0f} ms, `python -c pass` {start['python'] * 1000:.0f} ms "
            f"({ratio(start['tracker'], start['python'])})."
        )
        if TARGET_SIZE in results:
            m = results[TARGET_SIZE]
            r = (m["validate"] + m["build"]) / (m["parse"] + m["insert"])
            verdict = "MET" if r <= TARGET else "MISSED"
            print(
                f"\nTarget: validate + build of {TARGET_SIZE:,} events within {TARGET:g}x the "
                f"floor: {r:.2f}x, {verdict}."
            )
        if args.profile:
            profile(work / f"events-{max(args.sizes)}.yaml", work)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
