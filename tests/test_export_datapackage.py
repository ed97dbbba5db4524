"""The Frictionless data package: descriptor contents, and `frictionless validate` passing on
our output and failing on damaged copies (so the passing check means something)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.export import columns as C
from tracker.export import export_datapackage

ROOT = Path(__file__).parent.parent
FIXTURE = Path(__file__).parent / "golden" / "dataset.yaml"


def _validate(descriptor: Path) -> tuple[bool, list[str]]:
    from frictionless import validate

    report = validate(str(descriptor))
    return report.valid, [
        t for _row, _field, t in report.flatten(["rowNumber", "fieldName", "type"])
    ]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    out = tmp_path / "pkg"
    export_datapackage(FIXTURE, out, built_at="2000-01-01T00:00:00Z")
    return out


def test_descriptor_names_cites_and_describes_every_file(package: Path) -> None:
    desc = json.loads((package / "datapackage.json").read_text("utf-8"))
    for key in ("name", "title", "version", "licenses", "sources", "contributors", "created"):
        assert desc[key], key
    digest = hashlib.sha256(FIXTURE.read_bytes()).hexdigest()
    assert desc["content_hash"] == digest and desc["version"] == f"2012.12.31+{digest[:12]}"
    assert desc["created"] == "2000-01-01T00:00:00Z"
    assert {"title": "新华社"} in desc["sources"]
    assert [r["path"] for r in desc["resources"]] == [t.file for t in C.TIDY_TABLES]
    for resource, table in zip(desc["resources"], C.TIDY_TABLES, strict=True):
        data = (package / resource["path"]).read_bytes()
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert [f["name"] for f in resource["schema"]["fields"]] == header == table.names
        assert resource["schema"]["primaryKey"] == list(table.primary_key)
    events = desc["resources"][0]["schema"]
    kind = next(f for f in events["fields"] if f["name"] == "kind")
    assert kind["constraints"] == {"required": True, "enum": list(C.vocab.KINDS)}
    parts = desc["resources"][2]["schema"]
    assert {"fields": ["actor_id"], "reference": {"resource": "actors", "fields": ["id"]}} in (
        parts["foreignKeys"]
    )


def test_frictionless_validates_the_package(package: Path) -> None:
    assert _validate(package / "datapackage.json") == (True, [])


def _damage(package: Path, name: str, old: str, new: str) -> None:
    """Change one file and re-record its size and hash, so only the data checks can fail."""
    path = package / name
    text = path.read_bytes()
    assert old.encode() in text, (name, old)
    path.write_bytes(text.replace(old.encode(), new.encode(), 1))
    desc_path = package / "datapackage.json"
    desc = json.loads(desc_path.read_text("utf-8"))
    for r in desc["resources"]:
        if r["path"] == name:
            data = path.read_bytes()
            r["bytes"], r["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    desc_path.write_text(json.dumps(desc), "utf-8")


def test_frictionless_catches_damaged_files(package: Path) -> None:
    """One damaged copy, one validation: each kind of damage must be reported."""
    _damage(package, "events.csv", ",summit,", ",summitt,")  # enum
    _damage(package, "events.csv", ",2,,040,", ",7,,040,")  # significance maximum
    _damage(package, "sources.csv", ",2009-11-01,2009-11-30,", ",2009-11-01,2009-11-31,")
    _damage(package, "participants.csv", "robert-gates,Secretary", "robert-gatez,Secretary")
    _damage(package, "event_channels.csv", "gates-beijing,dct,1", "gates-beijing,mmca,1")
    actors = package / "actors.csv"  # changed after export: size and hash no longer match
    actors.write_bytes(actors.read_bytes() + b"extra-actor,Extra,,US,\r\n")
    valid, errors = _validate(package / "datapackage.json")
    assert not valid
    assert errors.count("constraint-error") == 2
    for error in ("type-error", "foreign-key", "primary-key", "hash-count", "byte-count"):
        assert error in errors, (error, errors)


def test_cli_datapackage_needs_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "events.yaml"
    shutil.copyfile(FIXTURE, data)
    result = runner.invoke(app, ["export", "datapackage", "--data", str(data)])
    assert result.exit_code == 2 and "--out" in result.stderr
    out = tmp_path / "pkg"
    result = runner.invoke(app, ["export", "datapackage", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Exported 8 of 8 events as a data package to 10 files in" in result.stderr
    assert (out / "datapackage.json").exists()


@pytest.mark.slow
def test_the_real_dataset_passes_frictionless_cli(tmp_path: Path) -> None:
    """The whole of data/events.yaml, checked by the `frictionless validate` command itself."""
    out = tmp_path / "pkg"
    export_datapackage(ROOT / "data" / "events.yaml", out)
    frictionless = Path(sys.executable).parent / "frictionless"
    checked = subprocess.run(
        [str(frictionless), "validate", "--json", str(out / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(checked.stdout)
    assert checked.returncode == 0 and report["valid"] is True, checked.stdout[-2000:]
