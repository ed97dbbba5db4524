"""list, show, periods and status through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tracker.cli import app

ROOT = Path(__file__).parent.parent
REAL = str(ROOT / "data" / "events.yaml")


def run(runner: CliRunner, *args: str) -> object:
    return runner.invoke(app, list(args))


def test_list_with_filters(runner: CliRunner, valid_yaml: Path) -> None:
    result = runner.invoke(app, ["list", "--data", str(valid_yaml), "--kind", "suspension"])
    assert result.exit_code == 0, result.output
    assert "PRC suspends exchanges  [2010-01-30-prc-suspends]" in result.stdout
    assert result.stdout.count("\n") == 1


def test_list_json_and_human_dates(runner: CliRunner, valid_yaml: Path) -> None:
    args = ["list", "--data", str(valid_yaml), "--since", "Jun 2010", "--until", "2010", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == [
        "2010-06-gates-visit-declined",
        "2010-10-12-gates-liang-hanoi",
        "2010-12-resumption",
    ]
    assert rows[0]["date_display"] == "Jun 2010" and rows[0]["precision"] == "month"


def test_list_bad_filter_values_are_usage_errors(runner: CliRunner, valid_yaml: Path) -> None:
    bad_kind = runner.invoke(app, ["list", "--data", str(valid_yaml), "--kind", "sumit"])
    assert bad_kind.exit_code == 2 and "did you mean 'summit'?" in bad_kind.stderr
    bad_date = runner.invoke(app, ["list", "--data", str(valid_yaml), "--since", "Spring 2010"])
    assert bad_date.exit_code == 2 and bad_date.stderr.startswith("error: --since:")
    reversed_range = runner.invoke(
        app, ["list", "--data", str(valid_yaml), "--since", "2011", "--until", "2010"]
    )
    assert reversed_range.exit_code == 2


def test_show_everything_about_one_event(runner: CliRunner, valid_yaml: Path) -> None:
    result = runner.invoke(app, ["show", "2010-01-30-prc-suspends", "--data", str(valid_yaml)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "PRC suspends exchanges" in out and "channels:     all" in out
    assert "responds to:  29 Jan 2010 Arms package notified" in out
    assert "Example Daily: Exchanges suspended, 30 Jan 2010 [press, zh]" in out
    doc = json.loads(
        runner.invoke(
            app, ["show", "2010-10-12-gates-liang-hanoi", "--json", "--data", str(valid_yaml)]
        ).stdout
    )
    assert doc["participants"][1] == {
        "actor": "liang-guanglie",
        "name": "Liang Guanglie",
        "role": "Minister of National Defense",
    }
    assert doc["responses"] == ["2010-12-resumption"]


def test_show_unknown_id(runner: CliRunner, valid_yaml: Path) -> None:
    result = runner.invoke(app, ["show", "2010-01-30-prc-suspend", "--data", str(valid_yaml)])
    assert result.exit_code == 2
    assert "did you mean 2010-01-30-prc-suspends" in result.stderr


def test_periods_json(runner: CliRunner, valid_yaml: Path) -> None:
    result = runner.invoke(app, ["periods", "--json", "--data", str(valid_yaml)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (row,) = doc["suspensions"]
    assert row == {
        "channel": "all",
        "start": "2010-01-30",
        "end": "2010-12-01",
        "ongoing": False,
        "initiator": "CN",
        "suspended_by": "2010-01-30-prc-suspends",
        "resumed_by": "2010-12-resumption",
        "triggers": ["2010-01-29-arms-package"],
        "days_suspended": 305,
        "days_from_trigger": 1,
    }
    assert doc["summary"]["count"] == 1


def test_periods_unknown_channel(runner: CliRunner, valid_yaml: Path) -> None:
    result = runner.invoke(app, ["periods", "--channel", "dtc", "--data", str(valid_yaml)])
    assert result.exit_code == 2 and "did you mean 'dct'?" in result.stderr


def test_status_as_of_a_past_day(runner: CliRunner, valid_yaml: Path) -> None:
    result = runner.invoke(app, ["status", "--as-of", "15 Mar 2010", "--data", str(valid_yaml)])
    assert result.exit_code == 0, result.output
    assert "all                SUSPENDED by the PRC since 2010-01-30" in result.stdout
    assert "leaders' summit              17 Nov 2009 (118 days ago)" in result.stdout
    doc = json.loads(
        runner.invoke(
            app, ["status", "--as-of", "2011", "--json", "--data", str(valid_yaml)]
        ).stdout
    )
    assert doc["as_of"] == "2011-12-31"
    states = {c["channel"]: c["state"] for c in doc["channels"]}
    assert states == {"all": "active", "dct": "active", "mmca": "active"}


def test_status_knows_the_real_cycles(runner: CliRunner, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'real.db'}"

    def state(day: str) -> str:
        out = runner.invoke(app, ["status", "--as-of", day, "--json", "--data", REAL, "--db", db])
        assert out.exit_code == 0, out.output
        return {c["channel"]: c["state"] for c in json.loads(out.stdout)["channels"]}["all"]

    assert state("1 Jan 1991") == "suspended"  # after Tiananmen
    assert state("1 Jan 1997") == "active"
    assert state("1 Aug 1999") == "suspended"  # after the Belgrade embassy bombing
    assert state("1 Jan 2009") == "suspended"  # after the October 2008 arms package
    assert state("1 Mar 2010") == "suspended"
    assert state("1 Mar 2012") == "active"
