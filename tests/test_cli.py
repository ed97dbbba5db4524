"""The command line: messages, exit codes, --json, --help speed (imports), a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker import __version__
from tracker.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tracker {__version__}"


def test_validate_valid_file_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--data", str(FIXTURES / "valid.yaml")])
    assert result.exit_code == 0
    assert "valid: 7 events, 0 error(s), 0 warning(s)" in result.stderr


def test_validate_invalid_file_prints_positioned_problem_and_exits_1(runner: CliRunner) -> None:
    path = FIXTURES / "invalid-invalid-date.yaml"
    result = runner.invoke(app, ["validate", "--data", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:38:11: events[1].date: '2010-13-29' is not a valid date: "
        "month 13 is not 01-12 [invalid-date]"
    )
    assert "Traceback" not in result.output


def test_validate_json_is_one_document_on_stdout(runner: CliRunner) -> None:
    path = FIXTURES / "invalid-unknown-channel.yaml"
    result = runner.invoke(app, ["validate", "--json", "--data", str(path)])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False and doc["errors"] == 1 and doc["events"] == 7
    (problem,) = doc["problems"]
    assert problem["code"] == "unknown-channel" and problem["line"] == 107


def test_strict_fails_on_warnings(runner: CliRunner) -> None:
    path = str(FIXTURES / "invalid-likely-duplicate.yaml")
    assert runner.invoke(app, ["validate", "--data", path]).exit_code == 0
    result = runner.invoke(app, ["validate", "--strict", "--data", path])
    assert result.exit_code == 1
    assert "warning: looks like a duplicate" in result.stderr


def test_missing_data_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--data", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "data file not found; pass --data PATH" in result.stderr


def test_data_path_from_environment(runner: CliRunner) -> None:
    env = {"TRACKER_DATA": str(FIXTURES / "invalid-invalid-url.yaml")}
    result = runner.invoke(app, ["validate"], env=env)
    assert result.exit_code == 1 and "[invalid-url]" in result.stderr


def test_unknown_option_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--stict"])
    assert result.exit_code == 2
    assert "No such option: --stict" in result.stderr


def test_build_reports_a_summary(runner: CliRunner, valid_yaml: Path) -> None:
    result = runner.invoke(app, ["build", "--data", str(valid_yaml)])
    assert result.exit_code == 0, result.output
    assert "7 events, 2009-11-17 to 2011-01-12" in result.stdout
    assert valid_yaml.with_suffix(".db").exists()


def test_build_refuses_invalid_data_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "events.yaml"
    data.write_bytes((FIXTURES / "invalid-unknown-actor.yaml").read_bytes())
    result = runner.invoke(app, ["build", "--data", str(data)])
    assert result.exit_code == 1
    assert "[unknown-actor]" in result.stderr and "fix them and try again" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["events.yaml"]


def test_bad_db_url_is_a_usage_error(runner: CliRunner, valid_yaml: Path) -> None:
    result = runner.invoke(app, ["build", "--data", str(valid_yaml), "--db", "not a url"])
    assert result.exit_code == 2
    assert "--db" in result.stderr and "Traceback" not in result.output


def test_password_in_db_url_is_never_printed(runner: CliRunner, valid_yaml: Path) -> None:
    url = "postgresql+nosuchdriver://user:s3cret@localhost/db"
    result = runner.invoke(app, ["build", "--data", str(valid_yaml), "--db", url])
    assert result.exit_code != 0
    assert "s3cret" not in result.output


def _run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        cwd=kwargs.pop("cwd", ROOT),
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.slow
def test_real_subprocess_exit_codes_and_streams(tmp_path: Path) -> None:
    ok = _run("validate", "--data", str(FIXTURES / "valid.yaml"))
    assert ok.returncode == 0 and ok.stdout == ""
    bad = _run("validate", "--data", str(FIXTURES / "invalid-yaml-syntax.yaml"))
    assert bad.returncode == 1 and "[yaml-syntax]" in bad.stderr
    assert "Traceback" not in bad.stderr
    usage = _run("validate", "--data", str(tmp_path / "missing.yaml"))
    assert usage.returncode == 2


HEAVY = ("sqlalchemy", "sqlmodel", "plotly", "pandas", "yaml", "filelock")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--help"], ("validate", "build", "timeline")),
        (["add", "--help"], ("--source-publisher", "--new-actor")),
    ],
)
def test_help_imports_no_heavy_library(argv: list[str], expected: tuple[str, ...]) -> None:
    """`tracker --help` and `tracker add --help` must start fast: no heavy import."""
    code = (
        "import sys\n"
        "from tracker.cli import app\n"
        "try:\n"
        f"    app({argv!r}, prog_name='tracker')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('HEAVY', [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
    assert all(word in out.stdout for word in expected)
