"""Exports: golden files, CSV conventions, awkward text, the spreadsheet copy, JSON, filters.

Golden files live in tests/golden/ and are made from tests/golden/dataset.yaml with a fixed
build time. After an intended change, rewrite them with:
    TRACKER_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export.py
and review the diff.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.api import load_valid_dataset
from tracker.cli import app
from tracker.export import columns as C
from tracker.export import export_csv, export_json
from tracker.export.cells import FORMULA_STARTS, split_list, unneutralise
from tracker.export.csvout import render_events_csv, render_tidy_tables
from tracker.export.jsonout import render_json
from tracker.export.selection import build_time, select
from tracker.query import Filters

GOLDEN = Path(__file__).parent / "golden"
FIXTURE = GOLDEN / "dataset.yaml"
BUILT_AT = "2000-01-01T00:00:00Z"
UPDATE = os.environ.get("TRACKER_UPDATE_GOLDEN") == "1"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the export fixture (commands may build a database beside it)."""
    target = tmp_path / "dataset.yaml"
    shutil.copyfile(FIXTURE, target)
    return target


def _golden(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    assert path.exists(), f"missing golden file {name}; run with TRACKER_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes(), f"{name} differs from the golden file"


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


# --- golden files -----------------------------------------------------------------------


def test_golden_events_csv() -> None:
    _golden("events.csv", render_events_csv(select(FIXTURE, built_at=BUILT_AT)))


def test_golden_tidy_tables() -> None:
    files = render_tidy_tables(select(FIXTURE, built_at=BUILT_AT))
    assert list(files) == [t.file for t in C.TIDY_TABLES]
    for name, data in files.items():
        _golden(f"tables/{name}", data)


def test_golden_json() -> None:
    _golden("events.json", render_json(select(FIXTURE, built_at=BUILT_AT)))


def test_build_time_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")
    assert build_time() == BUILT_AT
    assert json.loads(render_json(select(FIXTURE)))["built_at"] == BUILT_AT


# --- CSV conventions ----------------------------------------------------------------------


def test_csv_is_utf8_without_bom_rfc4180_with_stable_header() -> None:
    data = render_events_csv(select(FIXTURE))
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    assert text.startswith(",".join(C.FLAT_EVENTS.names) + "\r\n")
    # Records end with CRLF; a line break inside a quoted cell stays as written.
    assert text.endswith("\r\n")
    assert '"The two presidents agree to deepen military exchanges.\nA second line' in text


def test_every_row_has_every_column_and_dates_parse() -> None:
    from datetime import date

    rows = _rows(render_events_csv(select(FIXTURE)))
    assert len(rows) == 8
    for row in rows:
        assert list(row) == C.FLAT_EVENTS.names and None not in row.values()
        first, last = date.fromisoformat(row["date_first"]), date.fromisoformat(row["date_last"])
        assert first <= last
    by_id = {r["id"]: r for r in rows}
    month = by_id["2010-12-resumption"]
    assert (month["date"], month["date_first"], month["date_last"], month["date_precision"]) == (
        "2010-12~",
        "2010-12-01",
        "2010-12-31",
        "month",
    )
    year = by_id["2012-year-event"]
    assert (year["date_first"], year["date_last"], year["date_precision"]) == (
        "2012-01-01",
        "2012-12-31",
        "year",
    )


def test_quotes_commas_newlines_semicolons_and_chinese_survive() -> None:
    ds = load_valid_dataset(FIXTURE)
    by_id = {r["id"]: r for r in _rows(render_events_csv(select(FIXTURE)))}
    for e in ds.events:
        row = by_id[e.id]
        assert row["title"] == e.title and row["summary"] == e.summary
        assert row["notes"] == e.notes and row["location"] == e.location
        assert split_list(row["source_titles"]) == [s.title for s in e.sources]
        assert split_list(row["source_publishers"]) == [s.publisher for s in e.sources]
        if e.participants:
            assert split_list(row["participant_roles"]) == [p.role for p in e.participants]
    summit = by_id["2009-11-17-obama-hu-summit"]
    assert summit["title"] == 'Leaders meet in Beijing, agree to "deepen" exchanges'
    assert summit["source_publishers"] == "Example Press; 新华社"
    assert summit["source_titles"] == '"Leaders meet; no agreements reached"; 胡锦涛与奥巴马会谈'
    tidy = render_tidy_tables(select(FIXTURE))
    actors = {r["id"]: r for r in _rows(tidy["actors.csv"])}
    assert actors["liang-guanglie"]["name_zh"] == "梁光烈"
    sources = _rows(tidy["sources.csv"])
    assert sources[0]["title"] == "Leaders meet; no agreements reached"


def test_participants_join_actors_on_their_keys() -> None:
    tidy = render_tidy_tables(select(FIXTURE))
    actors = {r["id"]: r for r in _rows(tidy["actors.csv"])}
    events = {r["id"] for r in _rows(tidy["events.csv"])}
    joined = [
        (p["event_id"], actors[p["actor_id"]]["name"], actors[p["actor_id"]]["country"])
        for p in _rows(tidy["participants.csv"])
    ]
    assert ("2010-10-12-gates-liang-hanoi", "Liang Guanglie", "CN") in joined
    assert all(event_id in events for event_id, _n, _c in joined)
    for table in C.TIDY_TABLES:
        header = tidy[table.file].decode("utf-8").split("\r\n", 1)[0]
        assert header == ",".join(table.names)


def test_tidy_events_have_no_list_columns_and_lists_live_in_link_tables() -> None:
    tidy = render_tidy_tables(select(FIXTURE))
    assert "channels" not in _rows(tidy["events.csv"])[0]
    chans = [
        (r["event_id"], r["channel_id"], r["position"]) for r in _rows(tidy["event_channels.csv"])
    ]
    assert ("2011-01-09-gates-beijing", "dct", "1") in chans
    assert ("2011-01-09-gates-beijing", "mmca", "2") in chans
    periods = _rows(tidy["periods.csv"])
    suspended = [p for p in periods if p["channel_id"] == "all" and p["state"] == "suspended"]
    assert suspended == [
        {
            "channel_id": "all",
            "state": "suspended",
            "start": "2010-01-30",
            "end": "2010-12-01",
            "days": "305",
            "opened_by": "2010-01-30-prc-suspends",
            "closed_by": "2010-12-resumption",
            "initiator": "CN",
        }
    ]
    ongoing = [p for p in periods if p["channel_id"] == "all"][-1]
    assert ongoing["end"] == "" and ongoing["days"] == "" and ongoing["state"] == "active"


# --- the spreadsheet copy -----------------------------------------------------------------


def test_spreadsheet_copy_has_bom_note_and_no_formula_cells() -> None:
    sel = select(FIXTURE)
    canonical = render_events_csv(sel)
    sheet = render_events_csv(sel, spreadsheet=True)
    assert sheet.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(sheet.decode("utf-8-sig"), newline="")))
    assert records[0] == [C.SPREADSHEET_NOTE] and "Spreadsheet copy" in records[0][0]
    assert records[1] == C.FLAT_EVENTS.names
    for record in records[1:]:
        for cell in record:
            assert not cell.startswith(FORMULA_STARTS), cell
    arms = next(r for r in records if r[0] == "2010-01-29-arms-package")
    row = dict(zip(C.FLAT_EVENTS.names, arms, strict=True))
    assert row["summary"] == "'=SUM(A1:A2) is how a spreadsheet would read this summary."
    assert row["notes"].startswith("'@mention")
    # The canonical file is untouched, and the copy maps back to it exactly.
    assert b"\r\n2010-01-29-arms-package" in canonical and b",=SUM(A1:A2)" in canonical
    back = [[unneutralise(c) for c in r] for r in records[1:]]
    assert back == list(csv.reader(io.StringIO(canonical.decode("utf-8"), newline="")))


def test_spreadsheet_tables_are_neutralised_too() -> None:
    files = render_tidy_tables(select(FIXTURE), spreadsheet=True)
    for data in files.values():
        assert data.startswith(b"\xef\xbb\xbf# Spreadsheet copy")
    assert b"'=SUM" in files["events.csv"]


# --- JSON ---------------------------------------------------------------------------------


def test_json_carries_provenance_and_the_same_records() -> None:
    doc = json.loads(render_json(select(FIXTURE, built_at=BUILT_AT)))
    assert doc["content_hash"] == hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert doc["version"] == f"2012.12.31+{doc['content_hash'][:12]}"
    assert doc["built_at"] == BUILT_AT and doc["filters"] is None
    assert doc["event_count"] == doc["selected_events"] == len(doc["events"]) == 8
    rows = {r["id"]: r for r in _rows(render_events_csv(select(FIXTURE)))}
    for ev in doc["events"]:
        row = rows[ev["id"]]
        for name in C.EVENTS.names:
            value = ev[name]
            assert ("" if value is None else str(value)) == row[name], name
        assert ev["channels"] == (split_list(row["channels"]) if row["channels"] else [])
        assert [s["title"] for s in ev["sources"]] == split_list(row["source_titles"])
    gates = next(e for e in doc["events"] if e["id"] == "2011-01-09-gates-beijing")
    assert gates["participants"] == [
        {"actor_id": "robert-gates", "role": None},
        {"actor_id": "ma-xiaotian", "role": "Deputy Chief of the General Staff"},
    ]
    assert gates["significance"] is None and isinstance(doc["events"][0]["significance"], int)
    assert {a["id"] for a in doc["actors"]} == {"robert-gates", "liang-guanglie", "ma-xiaotian"}


def test_json_records_the_filters() -> None:
    sel = select(FIXTURE, Filters(kinds=("suspension", "resumption"), search="talks"))
    doc = json.loads(render_json(sel))
    assert doc["filters"] == {"kinds": ["suspension", "resumption"], "search": "talks"}
    assert [e["id"] for e in doc["events"]] == ["2010-12-resumption"]
    assert doc["event_count"] == 8 and doc["selected_events"] == 1


# --- filters are those of `list` ----------------------------------------------------------

FILTER_CASES = [
    [],
    ["--kind", "suspension", "--kind", "resumption"],
    ["--since", "2010-06-15"],
    ["--until", "Jun 2010"],
    ["--since", "2010", "--until", "2010"],
    ["--channel", "dct"],
    ["--channel", "all"],
    ["--actor", "robert-gates"],
    ["--tag", "taiwan"],
    ["--search", "HANOI"],
    ["--search", "spreadsheet"],
    ["--actor", "robert-gates", "--since", "2010-11"],
]


@pytest.mark.parametrize("args", FILTER_CASES, ids=lambda a: " ".join(a) or "none")
def test_export_filters_select_what_list_selects(
    runner: CliRunner, data: Path, args: list[str]
) -> None:
    listed = runner.invoke(app, ["list", "--json", "--data", str(data), *args])
    assert listed.exit_code == 0, listed.output
    want = [e["id"] for e in json.loads(listed.stdout)]
    exported = runner.invoke(app, ["export", "csv", "--data", str(data), *args])
    assert exported.exit_code == 0, exported.output
    got = [r["id"] for r in _rows(exported.stdout_bytes)]
    assert got == want
    as_json = runner.invoke(app, ["export", "json", "--data", str(data), *args])
    assert [e["id"] for e in json.loads(as_json.stdout)["events"]] == want


def test_tidy_tables_follow_the_filters(tmp_path: Path) -> None:
    out = tmp_path / "tables"
    result = export_csv(FIXTURE, Filters(kinds=("senior_visit",)), out, tables=True)
    assert result.events == 1 and [p.name for p in result.paths] == [t.file for t in C.TIDY_TABLES]
    assert [r["id"] for r in _rows((out / "events.csv").read_bytes())] == [
        "2011-01-09-gates-beijing"
    ]
    assert {r["event_id"] for r in _rows((out / "sources.csv").read_bytes())} == {
        "2011-01-09-gates-beijing"
    }
    # Reference tables and periods always cover the whole dataset.
    assert len(_rows((out / "actors.csv").read_bytes())) == 3
    assert any(r["state"] == "suspended" for r in _rows((out / "periods.csv").read_bytes()))


# --- the command line ---------------------------------------------------------------------


def test_cli_csv_to_stdout_matches_the_library(runner: CliRunner, data: Path) -> None:
    result = runner.invoke(app, ["export", "csv", "--data", str(data)])
    assert result.exit_code == 0
    assert result.stdout_bytes == render_events_csv(select(data))
    assert "Exported 8 of 8 events as CSV to stdout (dataset version 2012.12.31+" in result.stderr


def test_cli_writes_files_and_says_where(runner: CliRunner, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    result = runner.invoke(app, ["export", "csv", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert f"to {out} (dataset version" in result.stderr
    assert out.read_bytes() == render_events_csv(select(data))
    js = tmp_path / "export.json"
    result = runner.invoke(app, ["export", "json", "--data", str(data), "-o", str(js)])
    assert result.exit_code == 0 and json.loads(js.read_text("utf-8"))["event_count"] == 8
    folder = tmp_path / "new" / "tables"
    result = runner.invoke(
        app, ["export", "csv", "--tables", "--data", str(data), "-o", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(t.file for t in C.TIDY_TABLES)


def test_cli_usage_errors(runner: CliRunner, data: Path, tmp_path: Path) -> None:
    no_dir = runner.invoke(app, ["export", "csv", "--tables", "--data", str(data)])
    assert no_dir.exit_code == 2 and "--tables writes several files" in no_dir.stderr
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    clash = runner.invoke(
        app, ["export", "csv", "--tables", "--data", str(data), "--out", str(a_file)]
    )
    assert clash.exit_code == 2 and "is a file; give a folder" in clash.stderr
    missing = runner.invoke(
        app, ["export", "csv", "--data", str(data), "--out", str(tmp_path / "no" / "x.csv")]
    )
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    bad_kind = runner.invoke(app, ["export", "json", "--data", str(data), "--kind", "sumit"])
    assert bad_kind.exit_code == 2 and "did you mean 'summit'" in bad_kind.stderr
    for result in (no_dir, clash, missing, bad_kind):
        assert "Traceback" not in result.output
    assert a_file.read_text() == "x"


def test_invalid_data_exports_nothing(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "events.yaml"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "invalid-unknown-actor.yaml", bad)
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["export", "csv", "--data", str(bad), "--out", str(out)])
    assert result.exit_code == 1 and "[unknown-actor]" in result.stderr
    assert not out.exists()


def test_library_returns_stdout_bytes_without_writing(tmp_path: Path) -> None:
    result = export_json(FIXTURE, None, "-", built_at=BUILT_AT)
    assert result.paths == [] and result.data is not None
    assert json.loads(result.data)["built_at"] == BUILT_AT


# --- codebook -----------------------------------------------------------------------------


def test_codebook_documents_every_column_and_the_cameo_mapping() -> None:
    from tracker import vocab

    text = C.codebook_markdown()
    for table in (C.FLAT_EVENTS, *C.TIDY_TABLES):
        for column in table.columns:
            assert f"| `{column.name}` |" in text, (table.name, column.name)
        assert f"`{table.file}`" in text
    assert set(C.CAMEO) == set(vocab.KINDS)
    for kind in vocab.KINDS:
        assert f"| `{kind}` |" in text
    assert "approximate" in text and "Partial dates" in text and "Periods" in text
