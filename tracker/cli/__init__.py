"""The `tracker` command line: parse options, make one library call, present the result.

Each command module registers its commands on the one Typer `app`. Heavy libraries
(SQLAlchemy, SQLModel, Plotly) are imported inside the commands that need them, so
`tracker --help` starts fast; tests/test_cli.py keeps it so.
"""

from tracker.cli import analysis, data, edit, export, timeline  # noqa: F401 (registers commands)
from tracker.cli.common import app, main

__all__ = ["app", "main"]
