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
TOP_LEVEL_KEYS: dict[str, bool] = {"channels": True, "actors": True, "events": True}
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
