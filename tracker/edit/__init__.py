"""Add, edit and remove records in events.yaml: one safe write, minimal text changes.

Why text edits: the file is reviewed in git, so a change must show up as the few lines it
really changes. Nothing here round-trips the file through a YAML emitter: the loader's
positions (`YMap.key_pos`, `YList.item_pos`) say where each record starts, and the new lines
(written by `tracker.yamltext` in the house style) are spliced in between existing lines.
Comments, quoting, blank lines and the order of everything else stay as they were.

Why one write function: `transact` is the only code that replaces events.yaml. It takes the
lock, re-reads the file, applies a change, checks the result and swaps it in atomically (see
docs in the function). The CSV import calls it too, with `insert_event_blocks`.

Why an index: at 10,000 events parsing the file takes seconds (the C loader) and validating
it seconds more, so `add` cannot afford a whole-file round trip. Every text that has passed a
whole-file validation gets a small JSON *index* (ids, dates, kinds, titles, channels and line
numbers of every record), stored in a cache folder under the SHA-256 of the text. An add looks
up the index of the text it re-read under the lock; the new event is then validated by the
real validator in a tiny document holding the known channels, actors and the few events the
rules compare it with, and the splice is checked by parsing the lines around it before and
after. Whole-file validation happens only when no index exists for the current text (the
first add after a hand edit), and its index then serves the next adds. Edit and remove
validate the whole result: they are rarer, and their effects on other events are wider.

Measured (benchmarks/bench_add.py, 2 cores): an add with a cached index takes 0.02 s on the
real file and 0.39 s at 10,000 events (5x the floor of reading, hashing and durably
rewriting the file); validating the whole result instead would take 0.1 s and 4.7 s.
Indexes live in $TRACKER_CACHE_DIR (default ~/.cache/tracker; "off" disables them), named by
the text's BLAKE2b digest, so a stale index cannot be found for a changed file.
"""

from tracker.edit.add import AddResult, add_event, clean_record
from tracker.edit.index import cache_dir
from tracker.edit.modify import Names, edit_event, known_names, remove_event
from tracker.edit.safewrite import check_whole, transact
from tracker.edit.splice import _parse_items, insert_event_blocks
from tracker.edit.text import (
    RETIRED_COMMENT,
    RETIRED_KEY,
    SortKey,
    event_block,
    event_sort_key,
    new_event_id,
)

__all__ = [
    "RETIRED_COMMENT",
    "RETIRED_KEY",
    "AddResult",
    "Names",
    "SortKey",
    "_parse_items",
    "add_event",
    "cache_dir",
    "check_whole",
    "clean_record",
    "edit_event",
    "event_block",
    "event_sort_key",
    "insert_event_blocks",
    "known_names",
    "new_event_id",
    "remove_event",
    "transact",
]
