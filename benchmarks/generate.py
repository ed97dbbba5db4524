"""Synthetic datasets in the real events.yaml schema, for benchmarks and tests.

Why: performance targets (docs/benchmarks.md) need 1k-100k events that `tracker validate`
accepts without a single error or warning, shaped like the real file (about 1 KB of YAML per
event). Every text is plainly synthetic ("Synthetic event 123", example.org addresses): the
generator never produces anything that reads like a real fact.

Stable API (other benchmarks import it; keep these signatures):

    generate(n, seed=0) -> str                     the whole YAML text (0 <= n <= 200,000)
    generate_records(n, seed=0) -> (channels, actors, events)   plain dicts, file order
    write(path, n, seed=0) -> int                  writes generate(n, seed); returns bytes

Same (n, seed) -> byte-identical output on every machine and Python version (only
`random.Random` with an explicit seed, no hash-order dependence).

Import it from a script in benchmarks/ as `from generate import generate` (the script's folder
is on sys.path), or from the repository root as `from benchmarks.generate import generate`.
As a script:

    python benchmarks/generate.py 10000 -o /tmp/ev10k.yaml [--seed 0]

What the data holds: the `all` channel and seven others (some with an `established` date);
actors from both countries (PRC ones with `name_zh`); events in date order with partial dates
of every precision (day, month, year; some `~` or `?`), some `end_date`s, all thirteen kinds,
suspension/resumption pairs (each resumption resumes the channels of an open suspension and
`responds_to` it; suspensions respond to an earlier friction event), 2-4 participants, 1-3
sources, 0-3 tags, a location, significance and notes on some. No two events share the same
date text and kind, so the likely-duplicate warning never fires.
"""

from __future__ import annotations

import argparse
import calendar
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tracker import vocab
from tracker.yamltext import dump_dataset

__all__ = ["generate", "generate_records", "write", "main"]

FIRST_YEAR, LAST_YEAR = 1950, 2049  # inside the validator's 1900-2100
MAX_PER_DATE = 6  # events per date text; fewer than the 11 ordinary kinds, see _pick_kind
MAX_EVENTS = 200_000  # the 1950-2049 day slots (6 per date) fill up not far beyond this
N_CHANNELS = 7  # besides "all"
SUMMARY_CHARS = 300

_WORDS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike "
    "november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu"
).split()
_ZH_DIGITS = "零一二三四五六七八九"
_ORDINARY_KINDS = tuple(k for k in vocab.KINDS if k not in vocab.STATE_CHANGE_KINDS)
# Roughly the mix of the real file; suspension/resumption are placed by _pick_kind's pairing.
_KIND_WEIGHTS = {
    "summit": 5,
    "defense_ministerial": 8,
    "senior_visit": 8,
    "dialogue_round": 10,
    "call": 6,
    "agreement": 3,
    "exercise": 6,
    "arms_sale": 5,
    "incident": 9,
    "political": 5,
    "cancellation": 8,
    "suspension": 4,
    "resumption": 4,
}
_TRIGGER_KINDS = frozenset({"arms_sale", "incident", "political"})


def _header(n: int, seed: int) -> str:
    return (
        f"# SYNTHETIC benchmark data: {n} made-up events (benchmarks/generate.py, seed {seed}).\n"
        "# Nothing here describes a real event, person or source.\n\n"
    )


def generate(n: int, seed: int = 0) -> str:
    """The YAML text of a valid synthetic dataset of `n` events (house style, dump_dataset)."""
    channels, actors, events = generate_records(n, seed)
    return dump_dataset(channels, actors, events, header=_header(n, seed))


def write(path: str | Path, n: int, seed: int = 0) -> int:
    """Write generate(n, seed) to `path` as UTF-8; returns the number of bytes written."""
    data = generate(n, seed).encode("utf-8")
    Path(path).write_bytes(data)
    return len(data)


def generate_records(
    n: int, seed: int = 0
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Channels, actors and events as plain dicts (strings and lists), events in file order."""
    if not 0 <= n <= MAX_EVENTS:
        raise ValueError(f"n must be from 0 to {MAX_EVENTS:,}")
    rng = random.Random(seed)
    channels = _channels(rng)
    actors = _actors(rng, n)
    dates = _dates(rng, n)
    width = max(6, len(str(n)))
    events = _events(rng, dates, [c["id"] for c in channels], actors, width)
    return channels, actors, events


# --- channels and actors ------------------------------------------------------------------


def _channels(rng: random.Random) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {
            "id": vocab.ALL_CHANNEL,
            "name": "Synthetic contacts as a whole",
            "description": "Synthetic channel standing for all contacts; benchmark data only.",
        }
    ]
    for i in range(1, N_CHANNELS + 1):
        ch: dict[str, Any] = {"id": f"synthetic-channel-{i}", "name": f"Synthetic channel {i}"}
        if i % 2:
            ch["established"] = _date_text(rng, rng.choice(("day", "month", "year")))
        ch["description"] = f"Synthetic channel {i}, made up for benchmarks."
        out.append(ch)
    return out


def _actors(rng: random.Random, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(1, 40 + n // 100 + 1):
        country = "CN" if i % 2 else "US"
        actor: dict[str, Any] = {"id": f"synthetic-actor-{i}", "name": f"Synthetic Actor {i}"}
        if country == "CN":
            actor["name_zh"] = "合成人物" + "".join(_ZH_DIGITS[int(d)] for d in str(i))
        actor["country"] = country
        if rng.random() < 0.5:
            actor["description"] = f"Synthetic actor {i} ({country}), made up for benchmarks."
        out.append(actor)
    return out


# --- dates ----------------------------------------------------------------------------------


def _date_text(rng: random.Random, precision: str) -> str:
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    if precision == "year":
        return f"{year:04d}"
    month = rng.randint(1, 12)
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    day = rng.randint(1, calendar.monthrange(year, month)[1])
    return f"{year:04d}-{month:02d}-{day:02d}"


def _span(core: str) -> tuple[date, date, int]:
    """First day, last day and precision rank (day 0, month 1, year 2) of a date core."""
    parts = [int(p) for p in core.split("-")]
    if len(parts) == 3:
        d = date(*parts)
        return d, d, 0
    if len(parts) == 2:
        y, m = parts
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), 1
    return date(parts[0], 1, 1), date(parts[0], 12, 31), 2


def _dates(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """`n` (core, qualifier) pairs in the file's order, at most MAX_PER_DATE per date text.

    Mostly day precision; a full date text falls back to a finer precision, then redraws.
    """
    counts: dict[str, int] = {}
    drawn: list[tuple[tuple[date, int], str, str]] = []
    for _ in range(n):
        r = rng.random()
        precision = "day" if r < 0.85 else ("month" if r < 0.97 else "year")
        q = rng.random()
        qualifier = "" if q < 0.9 else ("~" if q < 0.96 else "?")
        while True:
            core = _date_text(rng, precision)
            if counts.get(core + qualifier, 0) < MAX_PER_DATE:
                break
            precision = {"year": "month", "month": "day", "day": "day"}[precision]
        counts[core + qualifier] = counts.get(core + qualifier, 0) + 1
        first, _last, rank = _span(core)
        drawn.append(((first, rank), core, qualifier))
    drawn.sort(key=lambda t: t[0])
    return [(core, qualifier) for _key, core, qualifier in drawn]


def _end_date(rng: random.Random, core: str) -> str:
    """A later end in the same precision as `core`."""
    first, last, rank = _span(core)
    if rank == 0:
        end = first + timedelta(days=rng.randint(1, 4))
        if end.year > LAST_YEAR:
            return ""
        return end.isoformat()
    if rank == 1:
        y, m = (first.year, first.month + 1) if first.month < 12 else (first.year + 1, 1)
        return f"{y:04d}-{m:02d}" if y <= LAST_YEAR else ""
    return f"{first.year + 1:04d}" if first.year < LAST_YEAR else ""


# --- events ---------------------------------------------------------------------------------


class _Pairing:
    """Open suspensions, so that every resumption resumes something actually suspended."""

    def __init__(self, channel_ids: list[str]) -> None:
        self.specific = [c for c in channel_ids if c != vocab.ALL_CHANNEL]
        self.open: list[tuple[str, tuple[str, ...]]] = []  # (suspension id, its channels)

    def suspended(self) -> set[str]:
        return {c for _eid, chans in self.open for c in chans}

    def can_suspend(self) -> bool:
        taken = self.suspended()
        return vocab.ALL_CHANNEL not in taken and any(c not in taken for c in self.specific)

    def suspension_channels(self, rng: random.Random) -> tuple[str, ...]:
        """`all` when nothing is suspended (sometimes), else 1-2 channels not yet suspended."""
        taken = self.suspended()
        if not taken and rng.random() < 0.3:
            return (vocab.ALL_CHANNEL,)
        free = [c for c in self.specific if c not in taken]
        return tuple(sorted(rng.sample(free, min(len(free), rng.randint(1, 2)))))


def _pick_kind(rng: random.Random, used: set[str], pairing: _Pairing) -> str:
    kinds, weights = zip(*_KIND_WEIGHTS.items(), strict=True)
    kind = rng.choices(kinds, weights)[0]
    if kind == "resumption" and not pairing.open:
        kind = "suspension"
    if kind == "suspension" and not pairing.can_suspend():
        kind = "resumption" if pairing.open else rng.choice(_ORDINARY_KINDS)
    if kind in used:  # keep (date text, kind) unique: no likely-duplicate warnings
        kind = rng.choice([k for k in _ORDINARY_KINDS if k not in used])
    return kind


def _summary(i: int, kind: str, rng: random.Random) -> str:
    text = (
        f"Synthetic event {i} of kind {kind}, generated for benchmarks; it describes nothing "
        "real. Filler words follow:"
    )
    while len(text) < SUMMARY_CHARS:
        text += " " + rng.choice(_WORDS)
    return text + "."


def _events(
    rng: random.Random,
    dates: list[tuple[str, str]],
    channel_ids: list[str],
    actors: list[dict[str, Any]],
    width: int,
) -> list[dict[str, Any]]:
    pairing = _Pairing(channel_ids)
    used_kinds: dict[str, set[str]] = {}
    recent_triggers: list[str] = []
    out: list[dict[str, Any]] = []
    for i, (core, qualifier) in enumerate(dates):
        date_text = core + qualifier
        used = used_kinds.setdefault(date_text, set())
        kind = _pick_kind(rng, used, pairing)
        used.add(kind)
        eid = f"{core}-synthetic-event-{i:0{width}d}"
        ev: dict[str, Any] = {"id": eid, "date": date_text}
        if rng.random() < 0.1:
            end = _end_date(rng, core)
            if end:
                ev["end_date"] = end
        ev["kind"] = kind
        ev["title"] = f"Synthetic event {i}: {kind.replace('_', ' ')}"
        ev["summary"] = _summary(i, kind, rng)
        responds: list[str] = []
        if kind == "suspension":
            chans = pairing.suspension_channels(rng)
            ev["channels"] = list(chans)
            ev["initiator"] = rng.choice(vocab.INITIATORS)
            pairing.open.append((eid, chans))
            if recent_triggers:
                responds.append(recent_triggers[-1])
        elif kind == "resumption":
            opened_by, chans = pairing.open.pop(rng.randrange(len(pairing.open)))
            ev["channels"] = list(chans)
            ev["initiator"] = rng.choice(vocab.INITIATORS)
            responds.append(opened_by)
        elif rng.random() < 0.3:
            ev["channels"] = sorted(rng.sample(channel_ids[1:], rng.randint(1, 2)))
        ev["participants"] = [
            {"actor": a["id"], "role": f"Synthetic role {rng.randint(1, 30)}"}
            for a in rng.sample(actors, rng.randint(2, 4))
        ]
        if rng.random() < 0.6:
            ev["location"] = f"Synthetic City {rng.randint(1, 50)}"
        if rng.random() < 0.7:
            ev["significance"] = str(rng.randint(*vocab.SIGNIFICANCE_RANGE))
        if not responds and out and rng.random() < 0.15:
            responds.append(out[rng.randrange(max(0, len(out) - 50), len(out))]["id"])
        if responds:
            ev["responds_to"] = responds
        ev["sources"] = [_source(rng, i, j, core) for j in range(1, rng.randint(1, 3) + 1)]
        tags = rng.sample(range(1, 21), rng.randint(0, 3))
        if tags:
            ev["tags"] = [f"synthetic-tag-{t}" for t in sorted(tags)]
        if rng.random() < 0.2:
            ev["notes"] = f"Synthetic note on event {i}; benchmark data, not a real record."
        if kind in _TRIGGER_KINDS:
            recent_triggers = (recent_triggers + [eid])[-10:]
        out.append(ev)
    return out


def _source(rng: random.Random, i: int, j: int, core: str) -> dict[str, Any]:
    src: dict[str, Any] = {
        "publisher": f"Synthetic Publisher {rng.randint(1, 40)}",
        "title": f"Synthetic source {j} on event {i}",
    }
    if rng.random() < 0.9:
        src["published"] = core
    if rng.random() < 0.8:
        src["url"] = f"https://example.org/synthetic/{i}/{j}"
    src["type"] = rng.choice(vocab.SOURCE_TYPES)
    src["language"] = rng.choice(vocab.LANGUAGES)
    return src


# --- script ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a synthetic events.yaml (valid for `tracker validate`).",
    )
    parser.add_argument("n", type=int, help="number of events")
    parser.add_argument("-o", "--output", help="output file (default: stdout)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if not 0 <= args.n <= MAX_EVENTS:
        parser.error(f"n must be from 0 to {MAX_EVENTS:,}")
    if args.output:
        size = write(args.output, args.n, args.seed)
        print(f"wrote {args.output}: {args.n} events, {size:,} bytes", file=sys.stderr)
    else:
        sys.stdout.write(generate(args.n, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
