"""CSV output: the canonical, lossless form and the spreadsheet copy.

Canonical: UTF-8 without a byte-order mark, RFC 4180 through the csv module (comma, `"`
quoting when needed, CRLF line ends), one header row, '' for a missing value.
Spreadsheet copy: a BOM, a first line saying what it is, and formula-like cells neutralised
(`cells.neutralise`); meant for double-click opening, never for analysis.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from tracker.export import columns as C
from tracker.export.cells import neutralise
from tracker.export.selection import Selection
from tracker.export.tables import Row, flat_event_row, text_value, tidy_rows

BOM = "\ufeff"


def render_table(
    columns: Sequence[str], rows: Iterable[Row], *, spreadsheet: bool = False
) -> bytes:
    """One CSV file as bytes."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    if spreadsheet:
        buf.write(BOM)
        writer.writerow([C.SPREADSHEET_NOTE])
    writer.writerow(columns)
    for row in rows:
        cells = [text_value(row[name]) for name in columns]
        writer.writerow([neutralise(c) for c in cells] if spreadsheet else cells)
    return buf.getvalue().encode("utf-8")


def render_events_csv(sel: Selection, *, spreadsheet: bool = False) -> bytes:
    """The one-row-per-event CSV of the selected events."""
    return render_table(
        C.FLAT_EVENTS.names, (flat_event_row(e) for e in sel.events), spreadsheet=spreadsheet
    )


def render_tidy_tables(sel: Selection, *, spreadsheet: bool = False) -> dict[str, bytes]:
    """File name -> bytes for every tidy table, in `columns.TIDY_TABLES` order."""
    ds = sel.dataset
    rows = tidy_rows(sel.events, ds.channels, ds.actors, sel.periods)
    return {
        t.file: render_table(t.names, rows[t.name], spreadsheet=spreadsheet) for t in C.TIDY_TABLES
    }
