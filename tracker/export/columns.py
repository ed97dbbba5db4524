"""The one specification of every exported column: CSV, JSON, data package and codebook read it.

A `Table` lists its `Column`s in their stable export order, with the Table Schema type, a
description, the allowed values and the keys that join it to other tables. Adding a column
here adds it everywhere: to the CSV header, the JSON records, the Frictionless schema and the
codebook section (`codebook_markdown`), so the four cannot drift apart.

Pure and dependency-free (only `vocab`), so the codebook generator can import it cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker import vocab

LIST_SEPARATOR = "; "
SPREADSHEET_NOTE = (
    "# Spreadsheet copy: cells that began with = + - @ tab or CR are prefixed with ' so that "
    "spreadsheets do not run them. Use the canonical CSV for analysis; import accepts both."
)

# --- CAMEO --------------------------------------------------------------------------------
# The nearest CAMEO event code (CAMEO 1.1b3, the scheme behind ICEWS and GDELT) for each kind.
# Approximate by design: a kind is broader than any one code, and CAMEO codes a directed act
# between a source and a target actor while our events are often joint or reciprocal.
CAMEO: dict[str, tuple[str, str, str]] = {
    # kind: (code, CAMEO label, why / caveat)
    "summit": (
        "040",
        "Consult, not specified below",
        "meetings and calls of leaders; 041-044 if the form (call, visit, third place) matters",
    ),
    "defense_ministerial": (
        "040",
        "Consult, not specified below",
        "meetings and calls of defense ministers, as for summits",
    ),
    "senior_visit": (
        "042",
        "Make a visit",
        "coded from the visitor's side; the host's side is 043 (Host a visit)",
    ),
    "dialogue_round": ("046", "Engage in negotiation", "a round of an institutional dialogue"),
    "call": ("041", "Discuss by telephone", "telephone and video calls"),
    "agreement": ("057", "Sign formal agreement", "agreements, memoranda, joint statements"),
    "exercise": ("062", "Cooperate militarily", "joint or multilateral exercises, port calls"),
    "arms_sale": (
        "072",
        "Provide military aid",
        "the dyad is US to Taiwan, not US to China; CAMEO has no arms-sale code",
    ),
    "incident": (
        "150",
        "Demonstrate military or police power, not specified below",
        "unsafe intercepts and confrontations; seizures fit 171, shoot-downs 190",
    ),
    "political": (
        "",
        "",
        "left empty: visits to Taiwan, sanctions (163) and laws have no single nearest code",
    ),
    "cancellation": (
        "125",
        "Reject proposal to meet, discuss, or negotiate",
        "a planned engagement cancelled, postponed or declined",
    ),
    "suspension": (
        "161",
        "Reduce or break diplomatic relations",
        "suspension of military contacts; 164 (Halt negotiations) for a single dialogue",
    ),
    "resumption": (
        "036",
        "Express intent to meet or negotiate",
        "CAMEO has no code for restoring relations; resumptions are announced as agreements "
        "to meet again",
    ),
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, date
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str = ""
    minimum: int | None = None
    maximum: int | None = None
    example: str = ""
    multi: bool = False  # a "; "-joined list (only in the one-row-per-event CSV)
    derived: bool = False  # computed from other columns; ignored (recomputed) by import

    def field_descriptor(self) -> dict[str, object]:
        """This column as a Frictionless Table Schema field."""
        out: dict[str, object] = {"name": self.name, "type": self.type}
        out["description"] = self.description
        if self.type == "date":
            out["format"] = "%Y-%m-%d"
        constraints: dict[str, object] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True, slots=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# --- shared column shapes -----------------------------------------------------------------

_ID_PATTERN = vocab.EVENT_ID_RE.pattern.lstrip("^").rstrip("$")
_SLUG_PATTERN = vocab.SLUG_RE.pattern.lstrip("^").rstrip("$")
_DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?[~?]?"


def _event_id(name: str, description: str, required: bool = True) -> Column:
    return Column(
        name,
        "string",
        description,
        required=required,
        pattern=_ID_PATTERN,
        example="2010-01-30-prc-suspends-exchanges",
    )


def _date_columns(prefix: str, what: str, required: bool) -> tuple[Column, ...]:
    return (
        Column(
            prefix,
            "string",
            f"{what}, as written in events.yaml: YYYY, YYYY-MM or YYYY-MM-DD at the precision "
            "the sources support, optionally followed by ~ (approximate) or ? (uncertain).",
            required=required,
            pattern=_DATE_PATTERN,
            example="2010-01~",
        ),
        Column(
            f"{prefix}_first",
            "date",
            f"First day of the span {prefix} covers (2010-01 -> 2010-01-01).",
            required=required,
            derived=True,
            example="2010-01-01",
        ),
        Column(
            f"{prefix}_last",
            "date",
            f"Last day of the span {prefix} covers (2010-01 -> 2010-01-31).",
            required=required,
            derived=True,
            example="2010-01-31",
        ),
        Column(
            f"{prefix}_precision",
            "string",
            f"Precision of {prefix}: day, month or year.",
            required=required,
            enum=vocab.PRECISIONS,
            derived=True,
            example="month",
        ),
    )


_CAMEO_CODES = tuple(sorted({code for code, _label, _why in CAMEO.values() if code}))
_CAMEO_LABELS = tuple(sorted({label for _code, label, _why in CAMEO.values() if label}))

_EVENT_HEAD: tuple[Column, ...] = (
    _event_id("id", "Stable event id: the date at its precision, then short words; unique."),
    *_date_columns("date", "When the event happened (its start)", required=True),
    *_date_columns("end_date", "End of a multi-day event (empty for one-day events)", False),
    Column("kind", "string", "What happened (see Kinds).", required=True, enum=vocab.KINDS),
    Column(
        "family",
        "string",
        "The kind's family (timeline lane), derived from kind.",
        required=True,
        enum=tuple(vocab.KIND_FAMILIES),
        derived=True,
    ),
    Column("title", "string", "One line, plain text.", required=True),
    Column("summary", "string", "One to three sentences, paraphrased; may span lines.", True),
)
_CHANNELS = Column(
    "channels",
    "string",
    "Ids of the channels the event concerns, joined with '; ' (see channels.csv).",
    multi=True,
    example="all; dct",
)
_INITIATOR = Column(
    "initiator",
    "string",
    "Who suspended or agreed to resume (suspension and resumption events): US or CN.",
    enum=vocab.INITIATORS,
)
_PARTICIPANTS = (
    Column(
        "participants",
        "string",
        "Actor ids of the participants, joined with '; ' (see actors.csv).",
        multi=True,
        example="robert-gates; liang-guanglie",
    ),
    Column(
        "participant_roles",
        "string",
        "Each participant's role at the time, in the same order ('' when not recorded).",
        multi=True,
        example="Secretary of Defense; Minister of National Defense",
    ),
)
_LOCATION = Column("location", "string", "Place name.")
_SIGNIFICANCE = Column(
    "significance",
    "integer",
    "1 (routine), 2 or 3 (turning point); empty when not assessed.",
    minimum=vocab.SIGNIFICANCE_RANGE[0],
    maximum=vocab.SIGNIFICANCE_RANGE[1],
)
_RESPONDS_TO = Column(
    "responds_to",
    "string",
    "Ids of earlier events this one reacts to, joined with '; ' (see links.csv).",
    multi=True,
)
_SOURCE_LISTS = (
    Column(
        "source_publishers",
        "string",
        "Publisher of each source, joined with '; ' (every event has at least one source).",
        required=True,
        multi=True,
    ),
    Column("source_titles", "string", "Title of each source, same order.", True, multi=True),
    Column(
        "source_published",
        "string",
        "Publication date of each source (YYYY[-MM[-DD]]), same order; '' when unknown.",
        multi=True,
    ),
    Column("source_urls", "string", "URL of each source, same order; '' when none.", multi=True),
    Column(
        "source_types",
        "string",
        "Origin of each source, same order: " + ", ".join(vocab.SOURCE_TYPES) + ".",
        required=True,
        multi=True,
    ),
    Column(
        "source_languages",
        "string",
        "Language of each source, same order: " + ", ".join(vocab.LANGUAGES) + ".",
        required=True,
        multi=True,
    ),
)
_TAGS = Column("tags", "string", "Free slugs, joined with '; '.", multi=True)
_NOTES = Column("notes", "string", "Curator's notes: uncertainty, conflicting sources.")
_EVENT_TAIL = (
    Column(
        "cameo_code",
        "string",
        "Nearest CAMEO event code for the kind (approximate; see the CAMEO table). Read it as "
        "text: the leading zero matters.",
        enum=_CAMEO_CODES,
        derived=True,
        example="042",
    ),
    Column(
        "cameo_label",
        "string",
        "The CAMEO code's label.",
        enum=_CAMEO_LABELS,
        derived=True,
    ),
)

# The one-row-per-event CSV, in the order of the codebook's event fields.
FLAT_EVENTS = Table(
    "events",
    "Events, one row per event",
    "Every event with its lists joined with '; ' (the form `tracker import` reads).",
    (
        *_EVENT_HEAD,
        _CHANNELS,
        _INITIATOR,
        *_PARTICIPANTS,
        _LOCATION,
        _SIGNIFICANCE,
        _RESPONDS_TO,
        *_SOURCE_LISTS,
        _TAGS,
        _NOTES,
        *_EVENT_TAIL,
    ),
    primary_key=("id",),
)

EVENTS = Table(
    "events",
    "Events",
    "One row per event, single-valued fields only; lists are in the linked tables.",
    tuple(c for c in FLAT_EVENTS.columns if not c.multi),
    primary_key=("id",),
)

_EVENT_FK = ForeignKey(("event_id",), "events", ("id",))

SOURCES = Table(
    "sources",
    "Sources",
    "The sources of each event, in the order the event lists them.",
    (
        _event_id("event_id", "The event this source supports (events.id)."),
        Column("position", "integer", "1 for the event's first source, 2 for the next...", True),
        Column("publisher", "string", "Who published it.", required=True),
        Column("title", "string", "Headline or document title.", required=True),
        *_date_columns("published", "Publication date", required=False),
        Column("url", "string", "Web address (http or https).", pattern=r"https?://\S+"),
        Column(
            "type",
            "string",
            "Origin: official-us, official-prc (either government's own readout or statement), "
            "press, research.",
            required=True,
            enum=vocab.SOURCE_TYPES,
        ),
        Column("language", "string", "Language: en or zh.", required=True, enum=vocab.LANGUAGES),
    ),
    primary_key=("event_id", "position"),
    foreign_keys=(_EVENT_FK,),
)

PARTICIPANTS = Table(
    "participants",
    "Participants",
    "Who took part in each event; join actor_id to actors.id for names and countries.",
    (
        _event_id("event_id", "The event (events.id)."),
        Column("position", "integer", "Order in the event's participant list, from 1.", True),
        Column(
            "actor_id",
            "string",
            "The person or institution (actors.id).",
            required=True,
            pattern=_SLUG_PATTERN,
        ),
        Column("role", "string", "Title at the time of the event; empty when not recorded."),
    ),
    primary_key=("event_id", "position"),
    foreign_keys=(_EVENT_FK, ForeignKey(("actor_id",), "actors", ("id",))),
)

ACTORS = Table(
    "actors",
    "Actors",
    "People and institutions that appear in events.",
    (
        Column("id", "string", "Slug of the full name.", required=True, pattern=_SLUG_PATTERN),
        Column("name", "string", "Name in Latin script.", required=True),
        Column("name_zh", "string", "Name in Chinese characters, when a source confirms them."),
        Column(
            "country",
            "string",
            "ISO 3166 alpha-2 code: US, CN, TW...",
            required=True,
            pattern=r"[A-Z]{2}",
        ),
        Column("description", "string", "Offices held, with years."),
    ),
    primary_key=("id",),
)

CHANNELS = Table(
    "channels",
    "Channels",
    "The dialogue mechanisms whose state is tracked; 'all' stands for contacts as a whole.",
    (
        Column("id", "string", "Channel slug.", required=True, pattern=_SLUG_PATTERN),
        Column("name", "string", "Full name.", required=True),
        *_date_columns("established", "When the mechanism began", required=False),
        Column("description", "string", "What the channel is."),
    ),
    primary_key=("id",),
)

EVENT_CHANNELS = Table(
    "event_channels",
    "Event channels",
    "Which channels each event concerns (a suspension of 'all' concerns every channel).",
    (
        _event_id("event_id", "The event (events.id)."),
        Column("channel_id", "string", "The channel (channels.id).", True, pattern=_SLUG_PATTERN),
        Column("position", "integer", "Order in the event's channel list, from 1.", True),
    ),
    primary_key=("event_id", "channel_id"),
    foreign_keys=(_EVENT_FK, ForeignKey(("channel_id",), "channels", ("id",))),
)

LINKS = Table(
    "links",
    "Links between events",
    "responds_to: event_id reacts to the earlier event responds_to_id (trigger -> response).",
    (
        _event_id("event_id", "The later, responding event (events.id)."),
        _event_id("responds_to_id", "The earlier event it reacts to (events.id)."),
        Column("position", "integer", "Order in the event's responds_to list, from 1.", True),
    ),
    primary_key=("event_id", "responds_to_id"),
    foreign_keys=(_EVENT_FK, ForeignKey(("responds_to_id",), "events", ("id",))),
)

EVENT_TAGS = Table(
    "event_tags",
    "Event tags",
    "Free tags of each event.",
    (
        _event_id("event_id", "The event (events.id)."),
        Column("tag", "string", "A tag (slug).", required=True, pattern=_SLUG_PATTERN),
        Column("position", "integer", "Order in the event's tag list, from 1.", True),
    ),
    primary_key=("event_id", "tag"),
    foreign_keys=(_EVENT_FK,),
)

PERIODS = Table(
    "periods",
    "Periods",
    "Derived active/suspended periods of every channel (see How periods are derived). "
    "Always computed from the whole dataset, whatever the filters.",
    (
        Column("channel_id", "string", "The channel (channels.id).", True, pattern=_SLUG_PATTERN),
        Column("state", "string", "active or suspended.", required=True, enum=vocab.PERIOD_STATES),
        Column("start", "date", "First day: the first day of the event that opened it.", True),
        Column(
            "end",
            "date",
            "First day of the event that closed it; empty while the period is ongoing.",
        ),
        Column(
            "days",
            "integer",
            "end - start in days; empty while ongoing (compute it up to your own cut-off date).",
            minimum=1,
        ),
        _event_id("opened_by", "The event that opened it; empty for the first period.", False),
        _event_id("closed_by", "The event that closed it; empty while ongoing.", False),
        Column(
            "initiator",
            "string",
            "Who suspended (suspended periods): US or CN.",
            enum=vocab.INITIATORS,
        ),
    ),
    primary_key=("channel_id", "start"),
    foreign_keys=(
        ForeignKey(("channel_id",), "channels", ("id",)),
        ForeignKey(("opened_by",), "events", ("id",)),
        ForeignKey(("closed_by",), "events", ("id",)),
    ),
)

# The tidy tables, in the order they are written and documented.
TIDY_TABLES: tuple[Table, ...] = (
    EVENTS,
    SOURCES,
    PARTICIPANTS,
    ACTORS,
    CHANNELS,
    EVENT_CHANNELS,
    LINKS,
    EVENT_TAGS,
    PERIODS,
)

# Import reads these columns of the one-row-per-event CSV; derived ones are recomputed.
IMPORT_COLUMNS: tuple[str, ...] = tuple(c.name for c in FLAT_EVENTS.columns if not c.derived)


# --- codebook -----------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _allowed(c: Column) -> str:
    if c.enum:
        return ", ".join(f"`{v}`" for v in c.enum)
    parts = []
    if c.minimum is not None or c.maximum is not None:
        parts.append(f"{c.minimum if c.minimum is not None else ''}–{c.maximum or ''}")
    if c.pattern:
        parts.append(f"pattern `{_cell(c.pattern)}`")
    return "; ".join(parts)


def _column_table(table: Table) -> str:
    rows = ["| column | type | required | meaning | allowed values |", "|---|---|---|---|---|"]
    for c in table.columns:
        kind = "list (`; `)" if c.multi else c.type
        req = "yes" if c.required else ""
        meaning = c.description + (" *Derived.*" if c.derived else "")
        rows.append(f"| `{c.name}` | {kind} | {req} | {_cell(meaning)} | {_allowed(c)} |")
    return "\n".join(rows)


def _keys(table: Table) -> str:
    out = f"Primary key: `{', '.join(table.primary_key)}`."
    for fk in table.foreign_keys:
        out += f" `{', '.join(fk.fields)}` → `{fk.table}.csv` (`{', '.join(fk.reference)}`)."
    return out


_INTRO = """\
`tracker export` writes the dataset in the shapes researchers' tools read. Every file is
UTF-8 without a byte-order mark, comma-separated with `"` quoting (RFC 4180, CRLF line ends),
one header row, and an empty cell for a missing value. Columns keep the order below; new
columns are only ever added at the end of a table.

- `tracker export csv [--out FILE] [filters]`: one row per event (`events.csv` below, with
  list columns).
- `tracker export csv --tables --out DIR [filters]`: the tidy tables below, one file each.
- `tracker export json [--out FILE] [filters]`: one JSON document with the provenance, the
  events (lists as arrays, sources and participants as objects), channels, actors, periods.
- `tracker export datapackage --out DIR`: the tidy tables of the whole dataset plus
  `datapackage.json` (Frictionless: licence, sources, a Table Schema per file with types,
  enums, primary and foreign keys). `frictionless validate DIR/datapackage.json` checks it.
- `tracker import FILE [--dry-run] [--yes] [--update]`: reads the one-row-per-event CSV back
  into `events.yaml`.

The filters are those of `tracker list`: `--since`, `--until`, `--kind`, `--channel`,
`--actor`, `--tag`, `--search`. Filters select events; `channels.csv`, `actors.csv` and
`periods.csv` always cover the whole dataset, and links may point to events outside a
filtered selection.

**Citing.** `datapackage.json` and the JSON export carry the dataset `version`
(`<last day covered>+<first 12 hex digits of the content hash>`, e.g.
`2025.11.01+3f2a9c1b7e4d`), the full `content_hash` (SHA-256 of `events.yaml`) and the build
time. Cite the version; the hash identifies the exact content. Set `SOURCE_DATE_EPOCH` to fix
the build time for a reproducible export.

**Reading it.** In pandas: `pd.read_csv("events.csv", dtype={"cameo_code": "string"},
parse_dates=["date_first", "date_last", "end_date_first", "end_date_last"])`; in R:
`readr::read_csv("events.csv", col_types = readr::cols(cameo_code = "c"))`. Join
`participants.csv` to `actors.csv` on `actor_id` = `id`, `sources.csv` to `events.csv` on
`event_id` = `id`.

**Partial dates.** A date keeps the precision its sources support. Each date is exported four
ways: the original string (`2010-01~`), its first day (`2010-01-01`), its last day
(`2010-01-31`) and its precision (`month`). A trailing `~` in the string marks an approximate
date, `?` an uncertain one. Sort by the first day; to test whether an event falls in a window,
compare its span (first to last day) with the window, as `--since`/`--until` do. Do not treat a
month-precision date's first day as the day it happened.

**Periods.** `periods.csv` holds the active and suspended stretches of every channel, derived
from the suspension and resumption events (see *How periods are derived*). `end` and `days` are
empty for a period still going on; `opened_by` and `closed_by` name the events that opened and
closed it.

**Lists in one cell.** In the one-row-per-event CSV, a list is joined with `; `. Id lists
(`channels`, `participants`, `responds_to`, `tags`) split exactly on `; `. In the text lists
(`participant_roles`, `source_*`) an item that itself contains `;` or begins with `"` is
written in double quotes, inner quotes doubled (`"Remarks; Q&A"; Readout`); the parallel lists
have one item per participant or source, empty items included. For exact per-item text, use
`participants.csv` and `sources.csv`.

**Spreadsheet copy.** `--spreadsheet` writes a copy for people who open CSV files by
double-click: a UTF-8 byte-order mark (so Excel reads Chinese names correctly), a first line
that says it is a spreadsheet copy, and every cell that begins with `=`, `+`, `-`, `@`, a tab
or a carriage return (or with `'`) prefixed with `'`, so that no cell runs as a formula. The
canonical export is never altered; `tracker import` accepts both and undoes the prefix.

**Importing.** `tracker import FILE` reads the one-row-per-event CSV (columns marked *Derived*
are ignored and recomputed; missing optional columns are empty). Every row is checked with the
same rules as `events.yaml`, problems are reported as `FILE:row N: column: message`, and
nothing is written unless every row is valid. Ids that already exist are refused unless
`--update` is given, which replaces those events. `--dry-run` checks and reports without
writing.
"""


def _cameo_table() -> str:
    rows = ["| kind | CAMEO code | CAMEO label | note |", "|---|---|---|---|"]
    for kind in vocab.KINDS:
        code, label, why = CAMEO[kind]
        rows.append(
            f"| `{kind}` | {f'`{code}`' if code else '—'} | {_cell(label) or '—'} | {_cell(why)} |"
        )
    return "\n".join(rows)


def codebook_markdown() -> str:
    """The exported-columns section of docs/codebook.md, rendered from the specification."""
    parts = [_INTRO]
    parts.append(
        "### `events.csv` — one row per event (`tracker export csv`)\n\n"
        f"{FLAT_EVENTS.description} {_keys(FLAT_EVENTS)}\n\n{_column_table(FLAT_EVENTS)}\n"
    )
    parts.append(
        "### The tidy tables (`--tables`, `datapackage`)\n\n"
        "`events.csv` in the tidy form has the single-valued columns above (no list columns); "
        "each list lives in its own table, joined on the keys given.\n"
    )
    for table in TIDY_TABLES[1:]:
        parts.append(
            f"#### `{table.file}` — {table.title}\n\n{table.description} {_keys(table)}\n\n"
            f"{_column_table(table)}\n"
        )
    parts.append(
        "### CAMEO codes\n\n"
        "`cameo_code` and `cameo_label` map each kind to its nearest code in CAMEO (the event "
        "scheme of ICEWS and GDELT), so the data can be joined with them. The mapping is "
        "approximate: a kind is broader than one code, and CAMEO codes a directed act from a "
        "source to a target actor while many of these events are joint. Use it to line up "
        "broad categories, not to re-code events.\n\n" + _cameo_table() + "\n"
    )
    return "\n".join(parts)
