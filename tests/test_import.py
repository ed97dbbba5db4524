"""`tracker import`: the export read back, row-positioned problems, all-or-nothing writes,
--update, --dry-run, spreadsheet copies and files a spreadsheet saved."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tracker import vocab
from tracker.api import load_valid_dataset
from tracker.cli import app
from tracker.export.csvimport import import_events, read_import_csv
from tracker.export.csvout import render_events_csv
from tracker.export.selection import select
from tracker.problems import DataError
from tracker.query import Filters
from tracker.records import Event

FIXTURE = Path(__file__).parent / "golden" / "dataset.yaml"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes cache an index of the file (tracker.edit); keep it out of the user's cache."""
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(tmp_path / "cache"))


def _same(events: list[Event]) -> list[Event]:
    return [dataclasses.replace(e, line=0) for e in events]


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """The fixture's channels and actors with no events."""
    text = FIXTURE.read_text("utf-8")
    path = tmp_path / "events.yaml"
    path.write_text(text[: text.index("events:")] + "events: []\n", "utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "full.yaml"
    path.write_bytes(FIXTURE.read_bytes())
    return path


def _export(tmp_path: Path, filters: Filters | None = None, *, spreadsheet: bool = False) -> Path:
    out = tmp_path / ("sheet.csv" if spreadsheet else "export.csv")
    out.write_bytes(render_events_csv(select(FIXTURE, filters), spreadsheet=spreadsheet))
    return out


def _edit(path: Path, changes: dict[str, dict[str, str]], out: Path | None = None) -> Path:
    """Rewrite the CSV with some cells changed: {event id: {column: value}}."""
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"), newline="")))
    for row in rows:
        row.update(changes.get(row["id"], {}))
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    out = out or path
    out.write_text(buf.getvalue(), "utf-8", newline="")
    return out


def _invoke(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["import", *args])


# --- the round trip -----------------------------------------------------------------------


def test_export_then_import_gives_back_the_same_events(
    runner: CliRunner, tmp_path: Path, empty: Path
) -> None:
    csv_file = _export(tmp_path)
    result = runner.invoke(app, ["import", str(csv_file), "--data", str(empty), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"Imported {csv_file} into {empty}: 8 added, 0 updated, 0 unchanged" in result.stderr
    assert _same(load_valid_dataset(empty).events) == _same(load_valid_dataset(FIXTURE).events)


def test_the_spreadsheet_copy_imports_to_the_same_events(tmp_path: Path, empty: Path) -> None:
    sheet = _export(tmp_path, spreadsheet=True)
    assert b"'=SUM" in sheet.read_bytes()
    parsed = read_import_csv(sheet)
    assert parsed.spreadsheet and parsed.rows[0].row == 3  # note, header, then the first event
    plan = import_events(sheet, empty)
    assert plan.written and len(plan.added) == 8
    assert _same(load_valid_dataset(empty).events) == _same(load_valid_dataset(FIXTURE).events)


def test_a_file_saved_with_semicolons_and_a_bom_is_read(tmp_path: Path, empty: Path) -> None:
    canonical = _export(tmp_path)
    rows = list(csv.reader(io.StringIO(canonical.read_text("utf-8"), newline="")))
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=";").writerows(rows)
    saved = tmp_path / "excel.csv"
    saved.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    import_events(saved, empty)
    assert _same(load_valid_dataset(empty).events) == _same(load_valid_dataset(FIXTURE).events)


def test_a_filtered_export_adds_only_its_events(tmp_path: Path, data: Path) -> None:
    csv_file = _export(tmp_path, Filters(kinds=("senior_visit",)))
    _edit(csv_file, {"2011-01-09-gates-beijing": {"id": "2011-01-10-second-visit"}})
    plan = import_events(csv_file, data)
    assert plan.added == ["2011-01-10-second-visit"] and plan.written
    ids = [e.id for e in load_valid_dataset(data).events]
    assert ids.index("2011-01-10-second-visit") == ids.index("2011-01-09-gates-beijing") + 1


# --- all or nothing, with positioned messages ---------------------------------------------


def test_every_bad_row_is_reported_against_its_row_and_column(
    runner: CliRunner, tmp_path: Path, data: Path
) -> None:
    csv_file = _export(tmp_path)
    bad = {
        "2009-11-17-obama-hu-summit": {"id": "2009-11-18-new-one", "date": "2010-13-02"},
        "2010-01-29-arms-package": {"id": "2010-01-29-new-two", "participants": "robert-gatez"},
        "2010-06-gates-visit-declined": {"id": "2010-06-new-three", "source_urls": "ftp://x"},
        "2012-year-event": {"id": "2012-new-four", "source_titles": "one; two"},
    }
    keep = {"2011-01-09-gates-beijing": {"id": "2011-01-09-fine"}}
    rows = list(csv.DictReader(io.StringIO(csv_file.read_text("utf-8"), newline="")))
    rows = [r for r in rows if r["id"] in bad or r["id"] in keep]
    for r in rows:
        r.update({**bad, **keep}[r["id"]])
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_file.write_text(buf.getvalue(), "utf-8", newline="")
    before = data.read_bytes()
    result = _invoke(runner, str(csv_file), "--data", str(data), "--yes")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    f = str(csv_file)
    assert lines[:4] == [
        f"{f}:row 2: date: '2010-13-02' is not a valid date: month 13 is not 01-12 (if a "
        "spreadsheet reformatted it, set the column's format to Text and retype it) "
        "[invalid-date]",
        f"{f}:row 3: participants (item 1): actor 'robert-gatez' is not in the actors list "
        "(did you mean 'robert-gates'?); add it under actors first [unknown-actor]",
        f"{f}:row 4: source_urls (item 1): url 'ftp://x' must be an http:// or https:// "
        "address [invalid-url]",
        f"{f}:row 6: source_titles: 2 items but source_publishers has 1; give one per entry "
        "of source_publishers, in the same order, separated by '; ' (an empty item is "
        "allowed) [csv-list-length]",
    ]
    assert lines[-1] == f"error: {f}: 4 problems; nothing was imported"
    assert "Traceback" not in result.output
    assert data.read_bytes() == before


def test_existing_ids_are_refused_without_update(
    runner: CliRunner, tmp_path: Path, data: Path
) -> None:
    csv_file = _export(tmp_path, Filters(kinds=("summit",)))
    before = data.read_bytes()
    result = _invoke(runner, str(csv_file), "--data", str(data), "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{csv_file}:row 2: id: event '2009-11-17-obama-hu-summit' already exists in {data}; "
        "pass --update to replace it, or give the new event another id [existing-id]"
    )
    assert data.read_bytes() == before


def test_header_problems_are_named(tmp_path: Path, data: Path) -> None:
    path = tmp_path / "bad-header.csv"
    path.write_text("id,date,kind,titel,summary,source_publishers,source_types\r\n", "utf-8")
    with pytest.raises(DataError) as info:
        read_import_csv(path)
    shown = [p.format() for p in info.value.problems]
    assert shown[0] == (
        f"{path}:row 1: titel: unknown column 'titel' (did you mean 'title'?); columns are "
        "those of `tracker export csv` [csv-header]"
    )
    assert f"{path}:row 1: source_titles: missing column 'source_titles' [csv-header]" in shown


def test_unreadable_list_and_ragged_rows(tmp_path: Path, data: Path) -> None:
    csv_file = _export(tmp_path, Filters(kinds=("summit",)))
    _edit(csv_file, {"2009-11-17-obama-hu-summit": {"id": "2009-11-17-x", "channels": '"dct'}})
    with pytest.raises(DataError) as info:
        import_events(csv_file, data)
    (problem,) = info.value.problems
    assert (problem.file, problem.field, problem.code) == (
        f"{csv_file}:row 2",
        "channels",
        "csv-list",
    )
    with csv_file.open("a", encoding="utf-8", newline="") as fh:
        fh.write("2009-11-19-y" + ",x" * 40 + "\r\n")
    with pytest.raises(DataError) as info:
        import_events(csv_file, data)
    assert [p.code for p in info.value.problems] == ["csv-list", "csv-row-length"]


def test_not_utf8_and_missing_files(runner: CliRunner, tmp_path: Path, data: Path) -> None:
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("id,title\r\n2010-01-01-caf\xe9,x\r\n".encode("latin-1"))
    result = _invoke(runner, str(latin), "--data", str(data), "--yes")
    assert result.exit_code == 1
    assert "is not valid UTF-8; save the file as UTF-8 [not-utf8]" in result.stderr
    missing = _invoke(runner, str(tmp_path / "nope.csv"), "--data", str(data))
    assert missing.exit_code == 2
    assert "no such file to import" in missing.stderr


# --- update, dry run, confirmation --------------------------------------------------------


def test_update_replaces_changed_events_and_keeps_the_rest_of_the_file(
    runner: CliRunner, tmp_path: Path, data: Path
) -> None:
    text = data.read_text("utf-8")
    data.write_text(text.replace("events:\n", "events:\n  # curator's comment stays\n"), "utf-8")
    before = data.read_text("utf-8")
    csv_file = _export(tmp_path)
    _edit(
        csv_file,
        {
            "2010-06-gates-visit-declined": {"title": "Visit declined by Beijing"},
            # A new date moves the event to its place in date order.
            "2009-11-17-obama-hu-summit": {"date": "2010-02-01", "date_first": "ignored"},
            # Only a derived column changes: the event is unchanged.
            "2012-year-event": {"family": "friction", "cameo_code": "999"},
        },
    )
    result = _invoke(runner, str(csv_file), "--data", str(data), "--update", "--yes")
    assert result.exit_code == 0, result.output
    assert "2 updated, 6 unchanged" in result.stderr
    events = {e.id: e for e in load_valid_dataset(data).events}
    assert events["2010-06-gates-visit-declined"].title == "Visit declined by Beijing"
    ids = list(events)
    assert ids.index("2009-11-17-obama-hu-summit") == ids.index("2010-01-30-prc-suspends") + 1
    after = data.read_text("utf-8")
    assert "  # curator's comment stays\n" in after and after.startswith(before[:200])
    # Only the two replaced events' lines differ.
    import difflib

    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert all(
        ("Visit declined" in line or "obama-hu-summit" in line or "date:" in line)
        or line[1:].startswith("    ")
        for line in changed
    )
    assert sum(1 for line in changed if line.startswith("-  - id:")) == 1


def test_dry_run_writes_nothing_and_says_what_would_change(
    runner: CliRunner, tmp_path: Path, empty: Path
) -> None:
    csv_file = _export(tmp_path, Filters(kinds=("suspension", "arms_sale")))
    before = empty.read_bytes()
    result = _invoke(runner, str(csv_file), "--data", str(empty), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "  add     2010-01-30-prc-suspends" in result.stderr
    assert "Dry run:" in result.stderr and "2 added" in result.stderr
    assert empty.read_bytes() == before


def test_without_a_terminal_writing_needs_yes(
    runner: CliRunner, tmp_path: Path, empty: Path
) -> None:
    csv_file = _export(tmp_path, Filters(kinds=("summit",)))
    before = empty.read_bytes()
    result = _invoke(runner, str(csv_file), "--data", str(empty))
    assert result.exit_code == 2
    assert "pass --yes to write them (or --dry-run to only check)" in result.stderr
    assert empty.read_bytes() == before


def test_nothing_to_do_writes_nothing(tmp_path: Path, data: Path) -> None:
    csv_file = _export(tmp_path)
    before = data.stat().st_mtime_ns, data.read_bytes()
    plan = import_events(csv_file, data, update=True)
    assert not plan.written and len(plan.unchanged) == 8
    assert (data.stat().st_mtime_ns, data.read_bytes()) == before


@pytest.mark.skipif(
    "retired_ids" not in vocab.TOP_LEVEL_KEYS,
    reason="the validator does not accept retired_ids (tracker.edit's remove) yet",
)
def test_ids_of_removed_events_are_not_reused(tmp_path: Path, empty: Path) -> None:
    empty.write_text(
        empty.read_text("utf-8") + '\nretired_ids: ["2009-11-17-obama-hu-summit"]\n', "utf-8"
    )
    csv_file = _export(tmp_path, Filters(kinds=("summit",)))
    with pytest.raises(DataError) as info:
        import_events(csv_file, empty)
    (problem,) = info.value.problems
    assert (problem.file, problem.field, problem.code) == (f"{csv_file}:row 2", "id", "retired-id")
