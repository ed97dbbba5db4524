"""Writes under stress: concurrent writers all land; a killed writer never corrupts the file.

Real processes (subprocess), a shared index cache, the fixture dataset.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.api import load_dataset

ROOT = Path(__file__).parent.parent

WRITER = """
import sys
from tracker.edit import add_event

path, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
i = 0
while count < 0 or i < count:
    result = add_event(path, {
        "date": f"{1950 + writer}-{1 + i % 12:02d}-{1 + i % 28:02d}",  # no likely duplicates
        "kind": "call",
        "title": f"Writer {writer} call {i}",
        "summary": "A call made by a test writer.",
        "sources": [{"publisher": "Test", "title": "Call", "type": "press", "language": "en"}],
    })
    print("ACK", result.id, flush=True)
    i += 1
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_CACHE_DIR"] = str(tmp_path / "cache")
    env["PYTHONPATH"] = str(ROOT)
    return env


def _acks(output: str) -> list[str]:
    return [line.split()[1] for line in output.splitlines() if line.startswith("ACK ")]


@pytest.mark.slow
def test_concurrent_writers_all_land(tmp_path: Path, valid_yaml: Path) -> None:
    writers, each = 4, 6
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(valid_yaml), str(n), str(each)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(tmp_path),
        )
        for n in range(writers)
    ]
    # and one writer through the command line at the same time
    cli = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tracker",
            "add",
            "--data",
            str(valid_yaml),
            "--date",
            "2010-07",
            "--kind",
            "exercise",
            "--title",
            "Command-line writer",
            "--summary",
            "Added while the others write.",
            "--source-publisher",
            "Test",
            "--source-title",
            "Exercise",
            "--source-type",
            "press",
            "--source-language",
            "en",
            "--yes",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(tmp_path),
        cwd=ROOT,
    )
    acked: list[str] = []
    for p in procs:
        out, errs = p.communicate(timeout=300)
        assert p.returncode == 0, errs
        acked += _acks(out)
    out, errs = cli.communicate(timeout=300)
    assert cli.returncode == 0, errs
    acked.append(out.strip())
    assert len(acked) == writers * each + 1 == len(set(acked))
    ds, report = load_dataset(valid_yaml)
    assert report.passes(strict=True), report.sorted()
    assert set(acked) <= {e.id for e in ds.events}
    assert len(ds.events) == 7 + len(acked)


@pytest.mark.slow
def test_a_killed_writer_never_corrupts_the_file(tmp_path: Path, valid_yaml: Path) -> None:
    rng = random.Random(5)  # deterministic "random moments"
    acked: list[str] = []
    for round_ in range(8):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(valid_yaml), str(round_), "-1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(tmp_path),
        )
        time.sleep(rng.uniform(0.3, 1.2))
        writer.send_signal(signal.SIGKILL)
        out, _errs = writer.communicate(timeout=60)
        assert writer.returncode == -signal.SIGKILL
        acked += _acks(out)
        ds, report = load_dataset(valid_yaml)
        assert report.ok, report.sorted()
        assert set(acked) <= {e.id for e in ds.events}, "an acknowledged event was lost"
    assert len(acked) >= 8, "the writer hardly got to write; the test proved little"
    # Only the data file, its lock and perhaps a killed writer's temp files are left.
    names = {p.name for p in valid_yaml.parent.iterdir() if p.is_file()}
    assert {n for n in names if not n.endswith(".tmp")} == {"events.yaml", "events.yaml.lock"}
