"""A Frictionless data package: the tidy CSVs plus `datapackage.json` describing them.

The descriptor's Table Schemas come from `columns` (types, required, enums, patterns, ranges,
primary and foreign keys), so `frictionless validate DIR/datapackage.json` checks every file
against the codebook. Each resource also records its byte size and SHA-256, so a reader can
tell a file was altered. The package always holds the whole dataset: a filtered subset would
break the foreign keys of links and periods.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

from tracker.export import columns as C
from tracker.export.csvout import render_tidy_tables
from tracker.export.output import write_files
from tracker.export.selection import PACKAGE_NAME, PACKAGE_TITLE, Selection

DESCRIPTION = (
    "A curated, sourced record of US-PRC military engagement events - leaders' summits, "
    "defense ministers' meetings and calls, dialogue rounds, senior visits, agreements, "
    "Taiwan arms sales, incidents, and above all the suspensions and resumptions of "
    "contact - with the per-channel periods of suspension derived from them. Dates keep the "
    "precision their sources support (original string, first day, last day, precision). "
    "Columns are documented in docs/codebook.md (Exported columns) and in each schema below."
)
# The project's licence (pyproject.toml: MIT) covers the data file it ships with.
LICENSES = [{"name": "MIT", "title": "MIT License", "path": "https://opensource.org/licenses/MIT"}]
CONTRIBUTORS = [{"title": "The tracker project maintainers", "role": "author"}]
KEYWORDS = [
    "United States",
    "China",
    "military-to-military contacts",
    "defense diplomacy",
    "event data",
    "CAMEO",
]


def _schema(table: C.Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [c.field_descriptor() for c in table.columns],
        "missingValues": [""],
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fk.fields),
                "reference": {"resource": fk.table, "fields": list(fk.reference)},
            }
            for fk in table.foreign_keys
        ]
    return schema


def _sources(sel: Selection) -> list[dict[str, str]]:
    """The publishers cited, most cited first: the data's sources, as the spec means them."""
    counts = Counter(s.publisher for e in sel.dataset.events for s in e.sources)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"title": publisher} for publisher, _n in ordered]


def descriptor(sel: Selection, files: dict[str, bytes]) -> dict[str, Any]:
    """The datapackage.json content for the tidy files `files` (name -> bytes)."""
    prov = sel.provenance
    resources = []
    for table in C.TIDY_TABLES:
        data = files[table.file]
        resources.append(
            {
                "name": table.name,
                "type": "table",
                "path": table.file,
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": table.title,
                "description": table.description,
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "schema": _schema(table),
            }
        )
    return {
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": DESCRIPTION,
        "version": prov.version,
        "created": prov.built_at,
        "licenses": LICENSES,
        "sources": _sources(sel),
        "contributors": CONTRIBUTORS,
        "keywords": KEYWORDS,
        "content_hash": prov.content_hash,
        "hash_algorithm": "sha256",
        "tool_version": prov.tool_version,
        "source_file": prov.source_file,
        "event_count": prov.event_count,
        "temporal_coverage": {"start": prov.first_day, "end": prov.last_day},
        "resources": resources,
    }


def render_datapackage(sel: Selection) -> dict[str, bytes]:
    """Every file of the package: the tidy CSVs, then datapackage.json."""
    import json

    if sel.filters.active:
        raise ValueError("a data package holds the whole dataset; export it without filters")
    files = render_tidy_tables(sel)
    text = json.dumps(descriptor(sel, files), ensure_ascii=False, indent=2) + "\n"
    files["datapackage.json"] = text.encode("utf-8")
    return files


def write_datapackage(sel: Selection, folder: Path) -> list[Path]:
    return write_files(folder, render_datapackage(sel))
