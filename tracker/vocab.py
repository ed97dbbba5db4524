"""Allowed values and identifier rules: the vocabulary every other module reads.

Dependency-free on purpose, so that `validate` and `add` never need SQLAlchemy to know what a
valid kind or id is. `tests/test_vocab.py` checks that the database model agrees.
"""

from __future__ import annotations

import re

KINDS: tuple[str, ...] = (
    "summit",
    "defense_ministerial",
    "senior_visit",
    "dialogue_round",
    "call",
    "agreement",
    "exercise",
    "arms_sale",
    "incident",
    "political",
    "cancellation",
    "suspension",
    "resumption",
)

KIND_DESCRIPTIONS: dict[str, str] = {
    "summit": "meeting or call between the two countries' top leaders",
    "defense_ministerial": "meeting or call between defense ministers",
    "senior_visit": "visit by a senior military or defense official",
    "dialogue_round": "a round of an institutional dialogue (DCT, DPCT, MMCA, ...)",
    "call": "telephone or video call between military or defense officials",
    "agreement": "an agreement, memorandum or joint statement signed or announced",
    "exercise": "a joint or multilateral exercise, or a port call",
    "arms_sale": "a US arms sale to Taiwan announced or notified to Congress",
    "incident": "an air or sea confrontation, collision, seizure, or a context incident",
    "political": "a political event that triggered a change (visit to Taiwan, sanction, law)",
    "cancellation": "a planned engagement cancelled, postponed or declined",
    "suspension": "one side suspends contacts on one or more channels",
    "resumption": "contacts on one or more channels resume",
}

# Lanes of the timeline; every kind belongs to exactly one family.
KIND_FAMILIES: dict[str, tuple[str, ...]] = {
    "leaders & ministers": ("summit", "defense_ministerial"),
    "military dialogue": ("senior_visit", "dialogue_round", "call", "agreement", "exercise"),
    "friction": ("arms_sale", "incident", "political", "cancellation"),
    "suspensions & resumptions": ("suspension", "resumption"),
}
FAMILY_OF_KIND: dict[str, str] = {k: fam for fam, kinds in KIND_FAMILIES.items() for k in kinds}

STATE_CHANGE_KINDS: frozenset[str] = frozenset({"suspension", "resumption"})
INITIATORS: tuple[str, ...] = ("US", "CN")
SOURCE_TYPES: tuple[str, ...] = ("official-us", "official-prc", "press", "research")
LANGUAGES: tuple[str, ...] = ("en", "zh")
PRECISIONS: tuple[str, ...] = ("day", "month", "year")
QUALIFIERS: tuple[str, ...] = ("", "~", "?")
SIGNIFICANCE_RANGE: tuple[int, int] = (1, 3)
PERIOD_STATES: tuple[str, ...] = ("active", "suspended")
ALL_CHANNEL = "all"

# Event ids: the event's date at its precision, then short lowercase words.
EVENT_ID_RE = re.compile(r"^(?=.*[a-z])\d{4}(?:-\d{2}(?:-\d{2})?)?(?:-[a-z0-9]+)+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
URL_SCHEMES: tuple[str, ...] = ("http", "https")

# Fields of each record: name -> required?
TOP_LEVEL_KEYS: dict[str, bool] = {
    "channels": True,
    "actors": True,
    "events": True,
    "retired_ids": False,  # ids of removed events, never reused (tracker remove)
}
CHANNEL_FIELDS: dict[str, bool] = {
    "id": True,
    "name": True,
    "established": False,
    "description": False,
}
ACTOR_FIELDS: dict[str, bool] = {
    "id": True,
    "name": True,
    "name_zh": False,
    "country": True,
    "description": False,
}
EVENT_FIELDS: dict[str, bool] = {
    "id": True,
    "date": True,
    "end_date": False,
    "kind": True,
    "title": True,
    "summary": True,
    "channels": False,
    "initiator": False,
    "participants": False,
    "location": False,
    "significance": False,
    "responds_to": False,
    "sources": True,
    "tags": False,
    "notes": False,
}
PARTICIPANT_FIELDS: dict[str, bool] = {"actor": True, "role": False}
SOURCE_FIELDS: dict[str, bool] = {
    "publisher": True,
    "title": True,
    "published": False,
    "url": False,
    "type": True,
    "language": True,
}

# Short, one-line text fields: no newlines, and no leading character a spreadsheet would
# execute as a formula (see reliability.md, CSV).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@")
TITLE_MAX = 200

# What each field means: the codebook's field tables are generated from these.
FIELD_DOCS: dict[str, dict[str, str]] = {
    "event": {
        "id": "Stable slug: the date at its precision, then short words "
        "(`2010-01-30-prc-suspends-military-exchanges`). Unique, never reused, used in links.",
        "date": "When it happened: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, at the precision the "
        "sources support, optionally followed by `~` (approximate) or `?` (uncertain).",
        "end_date": "Last day of a multi-day event, same format; not before `date`.",
        "kind": "What happened; one of the kinds below.",
        "title": "One line, plain text.",
        "summary": "One to three sentences, paraphrased, plain text.",
        "channels": "Channel ids the event concerns. Required for suspensions and resumptions; "
        "a suspension of `all` suspends every channel.",
        "initiator": "`US` or `CN`: who suspended, or whose decision restarted contacts. "
        "Required for suspensions and resumptions.",
        "participants": "List of `{actor: id, role: title at the time}`; actors must be in the "
        "actor registry.",
        "location": "Place name.",
        "significance": "1 (routine), 2 (notable) or 3 (turning point); drives marker size.",
        "responds_to": "Ids of earlier events this one reacts to (a suspension responds to an "
        "arms sale; a resumption to a summit's agreement); gives the lag figures.",
        "sources": "At least one `{publisher, title, published, url, type, language}`.",
        "tags": "Free lowercase slugs (`taiwan`, `context`).",
        "notes": "Curator's notes: uncertainty, disagreements between sources, modelling choices.",
    },
    "source": {
        "publisher": "Who published it (agency, ministry, newspaper, CRS).",
        "title": "The document's headline or title.",
        "published": "Publication date, at its known precision.",
        "url": "An http(s) address, only when that exact address was seen.",
        "type": "`official-us`, `official-prc`, `press` or `research`.",
        "language": "`en` or `zh`.",
    },
    "actor": {
        "id": "Slug of the full name (`liang-guanglie`).",
        "name": "Name in Latin script.",
        "name_zh": "Name in Chinese characters (PRC actors), when a source confirms them.",
        "country": "ISO 3166 alpha-2 code (`US`, `CN`, `TW`).",
        "description": "Offices held, with years.",
    },
    "channel": {
        "id": "Slug (`dct`, `mmca`); `all` stands for military-to-military contacts as a whole.",
        "name": "Full name.",
        "established": "When the mechanism began, at known precision (optional).",
        "description": "What the channel is.",
    },
}

# Validation rules: code -> (severity, what it checks). `docs/codebook.md` lists them.
RULES: dict[str, tuple[str, str]] = {
    "yaml-syntax": ("error", "The file is not well-formed YAML (or holds a forbidden character)."),
    "not-utf8": ("error", "The file is not UTF-8 (a BOM is accepted)."),
    "duplicate-key": ("error", "The same key twice in one mapping (YAML would keep the last)."),
    "non-scalar-key": ("error", "A key that is a list or mapping."),
    "yaml-tag": ("error", "An explicit tag such as `!!python/object` (never constructed)."),
    "yaml-alias": ("error", "Anchors and aliases (`&a` / `*a`): refused, which stops alias bombs."),
    "yaml-too-deep": ("error", "Nesting deeper than the schema could need."),
    "empty-file": ("error", "The file holds no data."),
    "wrong-type": ("error", "A value of the wrong shape (text where a list is expected, ...)."),
    "missing-field": (
        "error",
        "A required field is absent (including `channels` and "
        "`initiator` on suspensions and resumptions).",
    ),
    "unknown-field": ("error", "A field the codebook does not define (usually a typo)."),
    "empty-value": ("error", "A required text field is empty."),
    "invalid-choice": (
        "error",
        "A value outside its list (kind, initiator, source type, language).",
    ),
    "invalid-id": ("error", "An id or tag that does not match its slug pattern."),
    "duplicate-id": ("error", "Two events, actors or channels with the same id."),
    "invalid-date": (
        "error",
        "A date that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (+ `~`/`?`) "
        "or not a real day, or a year outside 1900-2100.",
    ),
    "end-before-start": ("error", "`end_date` before `date`."),
    "unknown-channel": ("error", "A channel id missing from the channel registry."),
    "missing-all-channel": ("error", "The channel registry lacks `all`."),
    "unknown-actor": ("error", "A participant missing from the actor registry."),
    "unknown-event": ("error", "`responds_to` names an id that no event has."),
    "responds-to-later": ("error", "`responds_to` names a later event (or the event itself)."),
    "resumption-without-suspension": (
        "error",
        "A resumption of a channel with no earlier suspension of it (or of `all`).",
    ),
    "missing-source": ("error", "An event without sources."),
    "invalid-url": ("error", "A source URL that is not http(s)."),
    "invalid-significance": ("error", "Significance outside 1-3."),
    "invalid-country": ("error", "A country that is not an ISO 3166 alpha-2 code."),
    "formula-prefix": (
        "error",
        "A one-line text field starting with `= + - @`, which spreadsheets would run as a formula.",
    ),
    "control-character": (
        "error",
        "Control characters (or line breaks in one-line fields, U+2028/2029).",
    ),
    "too-long": ("error", "A title over the length limit."),
    "likely-duplicate": (
        "warning",
        "Two events with the same date and kind and a near-identical title.",
    ),
    "out-of-order": ("warning", "Events not in date order (first day, finer precision first, id)."),
    "retired-id": (
        "error",
        "An event uses an id listed in `retired_ids` (ids of removed "
        "events are never reused), or a retired id that is not an event id.",
    ),
    "missing-name-zh": (
        "notice",
        "A PRC actor without `name_zh`; never fails, even with "
        "`--strict`, since the characters must come from a source.",
    ),
}
