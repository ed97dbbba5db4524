"""tracker: a curated record of US-PRC military-to-military contacts and the tools around it.

The public API is re-exported here lazily so that `import tracker` stays cheap for the CLI.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "PartialDate",
    "parse_partial_date",
    "parse_human_date",
    "Problem",
    "Report",
    "TrackerError",
    "DataError",
    "UsageError",
    "load_document",
    "load_dataset",
    "validate_document",
    "load_valid_dataset",
]

_LAZY = {
    "PartialDate": "tracker.dates",
    "parse_partial_date": "tracker.dates",
    "parse_human_date": "tracker.dates",
    "Problem": "tracker.problems",
    "Report": "tracker.problems",
    "TrackerError": "tracker.problems",
    "DataError": "tracker.problems",
    "UsageError": "tracker.problems",
    "load_document": "tracker.dataset",
    "load_dataset": "tracker.api",
    "validate_document": "tracker.validate",
    "load_valid_dataset": "tracker.api",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tracker' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
