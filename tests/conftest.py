"""Shared fixtures: tiny datasets on disk and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def valid_yaml(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/valid.yaml in a temp folder."""
    target = tmp_path / "events.yaml"
    shutil.copyfile(FIXTURES / "valid.yaml", target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read the developer's TRACKER_* settings nor write to their cache."""
    for var in ("TRACKER_DATA", "TRACKER_DB", "TRACKER_DEBUG", "TRACKER_INTERACTIVE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TRACKER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
