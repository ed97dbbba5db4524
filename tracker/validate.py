"""Raw positioned YAML -> typed records + a Report of every problem (pure; no I/O).

Each rule has a stable code (documented in docs/codebook.md). All problems are collected, not
just the first, and each carries file, line, column and field.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from urllib.parse import urlsplit

from tracker import vocab
from tracker.dataset import Document, Pos, YList, YMap, gc_paused
from tracker.dates import DateError, PartialDate, parse_partial_date
from tracker.problems import Problem, Report
from tracker.records import Actor, Channel, Dataset, Event, Participant, Source

# C0 controls except tab/newline, DEL, C1 controls, and the Unicode line/paragraph separators.
_BAD_CHARS_LONG = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_BAD_CHARS_SHORT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def event_order(event: Event) -> tuple[object, ...]:
    """The file's canonical order: first day, finer precision first, then id."""
    return (*event.date.sort_key, event.id)


def suggest(word: str, choices: object) -> str:
    """' (did you mean X?)' for a near miss, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)  # type: ignore[call-overload]
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Checker:
    def __init__(self, file: str, report: Report) -> None:
        self.file = file
        self.report = report
        # Cross-reference state: every event id written (valid or not, so that one broken
        # event does not cascade into "unknown event" errors), and where each reference stood.
        self.event_ids: set[str] = set()
        self.ref_pos: dict[tuple[str, int], tuple[Pos | None, str]] = {}

    def add(
        self,
        code: str,
        message: str,
        pos: Pos | None,
        field: str,
        warn: bool = False,
        severity: str = "",
    ) -> None:
        line, col = pos if pos else (None, None)
        self.report.problems.append(
            Problem(
                code,
                message,
                severity=severity or ("warning" if warn else "error"),
                file=self.file,
                line=line,
                col=col,
                field=field,
            )
        )

    # --- structural helpers -----------------------------------------------------------

    def mapping(self, value: object, pos: Pos | None, where: str, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        if value is None:  # refused by the loader (tag, alias), already reported
            return None
        self.add("wrong-type", f"expected {what} (a mapping of field: value)", pos, where)
        return None

    def fields(self, m: YMap, spec: dict[str, bool], where: str, what: str) -> None:
        for key in m:
            if key not in spec:
                self.add(
                    "unknown-field",
                    f"unknown field {key!r} in {what}{suggest(key, spec)}; "
                    f"allowed: {', '.join(spec)}",
                    m.key_pos.get(key),
                    f"{where}.{key}",
                )
        for key, required in spec.items():
            if required and key not in m:
                self.add("missing-field", f"{what} needs {key!r}", m.pos, f"{where}.{key}")

    def text(
        self, m: YMap, key: str, where: str, *, short: bool = True, required: bool = False
    ) -> str:
        if key not in m:
            return ""
        value, pos, field = m[key], m.value_pos.get(key), f"{where}.{key}"
        if value is None:
            return ""
        if not isinstance(value, str):
            self.add("wrong-type", f"{key} must be text, not a list or mapping", pos, field)
            return ""
        value = value.strip()
        if not value:
            if required:
                self.add("empty-value", f"{key} must not be empty", pos, field)
            return ""
        bad = (_BAD_CHARS_SHORT if short else _BAD_CHARS_LONG).search(value)
        if bad:
            ch = bad.group()
            name = unicodedata.name(ch, f"U+{ord(ch):04X}")
            kind = "a line break" if ch in "\n\r" else f"control character {name}"
            self.add(
                "control-character",
                f"{key} contains {kind}; {'keep it on one line' if short else 'remove it'}",
                pos,
                field,
            )
        elif short and value.startswith(vocab.FORMULA_PREFIXES):
            self.add(
                "formula-prefix",
                f"{key} starts with {value[0]!r}, which spreadsheets run as a formula; "
                "reword it or start with a letter",
                pos,
                field,
            )
        return value

    def text_list(self, m: YMap, key: str, where: str) -> list[tuple[str, Pos | None, str]]:
        """A list of short strings; a single string is accepted as a one-item list."""
        if key not in m:
            return []
        value, pos = m[key], m.value_pos.get(key)
        if isinstance(value, str):
            return [(value.strip(), pos, f"{where}.{key}")] if value.strip() else []
        if value is None:
            return []
        if not isinstance(value, YList):
            self.add("wrong-type", f"{key} must be a list", pos, f"{where}.{key}")
            return []
        out = []
        for i, (item, ipos) in enumerate(zip(value, value.item_pos, strict=True)):
            f = f"{where}.{key}[{i}]"
            if not isinstance(item, str) or not item.strip():
                self.add("wrong-type", f"{key} items must be non-empty text", ipos, f)
                continue
            out.append((item.strip(), ipos, f))
        return out

    def items(self, m: YMap, key: str, where: str) -> list[tuple[object, Pos | None, str]]:
        if key not in m:
            return []
        value, pos = m[key], m.value_pos.get(key)
        if value is None:
            return []
        if not isinstance(value, YList):
            self.add("wrong-type", f"{key} must be a list", pos, f"{where}.{key}")
            return []
        prefix = f"{where}.{key}" if where else key
        return [
            (item, ipos, f"{prefix}[{i}]")
            for i, (item, ipos) in enumerate(zip(value, value.item_pos, strict=True))
        ]

    def date(self, m: YMap, key: str, where: str) -> PartialDate | None:
        text = self.text(m, key, where)
        if not text:
            return None
        try:
            return parse_partial_date(text)
        except DateError as exc:
            self.add("invalid-date", str(exc), m.value_pos.get(key), f"{where}.{key}")
            return None

    def choice(self, m: YMap, key: str, where: str, allowed: tuple[str, ...]) -> str:
        value = self.text(m, key, where)
        if value and value not in allowed:
            self.add(
                "invalid-choice",
                f"{value!r} is not a valid {key}{suggest(value, allowed)}; "
                f"use one of: {', '.join(allowed)}",
                m.value_pos.get(key),
                f"{where}.{key}",
            )
            return ""
        return value

    def pattern(
        self, value: str, regex: re.Pattern[str], pos: Pos | None, field: str, hint: str
    ) -> bool:
        if value and not regex.match(value):
            self.add("invalid-id", f"{value!r} is not a valid id; {hint}", pos, field)
            return False
        return bool(value)


_SLUG_HINT = "use lowercase letters, digits and single hyphens, e.g. 'robert-gates'"
_EVENT_ID_HINT = (
    "use the date then short lowercase words, e.g. '2010-01-30-prc-suspends-exchanges' "
    "('2010-01-...' or '2010-...' for month or year precision)"
)


def validate_document(doc: Document) -> tuple[Dataset, Report]:
    """Check a loaded document against every rule of the codebook."""
    report = Report(list(doc.problems))
    c = _Checker(doc.path, report)
    ds = Dataset(path=doc.path, content_hash=doc.content_hash)
    with gc_paused():
        if doc.data is None and not doc.problems:
            c.add(
                "empty-file",
                "the file is empty; expected channels, actors and events",
                (1, 1),
                "(top)",
            )
            return ds, report
        top = c.mapping(doc.data, (1, 1), "(top)", "a dataset with channels, actors and events")
        if top is None:
            return ds, report
        c.fields(top, vocab.TOP_LEVEL_KEYS, "(top)", "the dataset")
        ds.channels = _channels(c, top)
        ds.actors = _actors(c, top)
        channel_ids = {ch.id for ch in ds.channels} | {vocab.ALL_CHANNEL}
        ds.events = _events(c, top, channel_ids, {a.id for a in ds.actors})
        _check_links(c, ds.events)
        _check_resumptions(c, ds.events)
        _check_duplicates(c, ds.events)
        _check_retired(c, top, ds.events)
    return ds, report


def _records(
    c: _Checker, top: YMap, key: str, what: str, build: Callable[[YMap, str], object]
) -> list[object]:
    out: list[object] = []
    for item, pos, where in c.items(top, key, ""):
        m = c.mapping(item, pos, where, what)
        if m is not None:
            rec = build(m, where)
            if rec is not None:
                out.append(rec)
    return out


def _unique(c: _Checker, records: list[object], positions: dict[str, Pos], what: str) -> None:
    seen: set[str] = set()
    for rec in records:
        rid = rec.id  # type: ignore[attr-defined]
        if rid in seen:
            c.add("duplicate-id", f"{what} id {rid!r} is used twice", positions.get(rid), what)
        seen.add(rid)


def _channels(c: _Checker, top: YMap) -> list[Channel]:
    def build(m: YMap, where: str) -> Channel | None:
        c.fields(m, vocab.CHANNEL_FIELDS, where, "a channel")
        cid = c.text(m, "id", where, required=True)
        ok = c.pattern(cid, vocab.SLUG_RE, m.value_pos.get("id"), f"{where}.id", _SLUG_HINT)
        name = c.text(m, "name", where, required=True)
        est = c.date(m, "established", where)
        desc = c.text(m, "description", where, short=False)
        return Channel(cid, name, est, desc) if ok and name else None

    chans: list[Channel] = _records(c, top, "channels", "a channel", build)  # type: ignore[assignment]
    _unique(c, chans, {}, "channel")
    if "channels" in top and isinstance(top["channels"], YList):
        if not any(ch.id == vocab.ALL_CHANNEL for ch in chans):
            c.add(
                "missing-all-channel",
                "the channels list must include 'all' (military contacts as a whole)",
                top.value_pos.get("channels"),
                "channels",
            )
    return chans


def _actors(c: _Checker, top: YMap) -> list[Actor]:
    def build(m: YMap, where: str) -> Actor | None:
        c.fields(m, vocab.ACTOR_FIELDS, where, "an actor")
        aid = c.text(m, "id", where, required=True)
        ok = c.pattern(aid, vocab.SLUG_RE, m.value_pos.get("id"), f"{where}.id", _SLUG_HINT)
        name = c.text(m, "name", where, required=True)
        country = c.text(m, "country", where, required=True)
        if country and not vocab.COUNTRY_RE.match(country):
            c.add(
                "invalid-country",
                f"{country!r} is not an ISO 3166 alpha-2 code; use e.g. US, CN, TW",
                m.value_pos.get("country"),
                f"{where}.country",
            )
        name_zh = c.text(m, "name_zh", where)
        if country == "CN" and not name_zh and ok:
            c.add(
                "missing-name-zh",
                f"PRC actor {aid!r} has no name_zh (name in Chinese characters); add it "
                "when a source confirms the characters",
                m.pos,
                f"{where}.name_zh",
                severity="notice",
            )
        desc = c.text(m, "description", where, short=False)
        return Actor(aid, name, country, name_zh, desc) if ok and name else None

    actors: list[Actor] = _records(c, top, "actors", "an actor", build)  # type: ignore[assignment]
    _unique(c, actors, {}, "actor")
    return actors


def _events(c: _Checker, top: YMap, channel_ids: set[str], actor_ids: set[str]) -> list[Event]:
    seen: dict[str, Pos | None] = {}
    previous: Event | None = None

    def build(m: YMap, where: str) -> Event | None:
        nonlocal previous
        c.fields(m, vocab.EVENT_FIELDS, where, "an event")
        eid = c.text(m, "id", where, required=True)
        id_pos = m.value_pos.get("id")
        id_ok = c.pattern(eid, vocab.EVENT_ID_RE, id_pos, f"{where}.id", _EVENT_ID_HINT)
        if id_ok and eid in seen:
            first = seen[eid]
            c.add(
                "duplicate-id",
                f"event id {eid!r} is already used (line {first[0] if first else '?'}); "
                "ids are unique and never reused",
                id_pos,
                f"{where}.id",
            )
        seen.setdefault(eid, id_pos)
        c.event_ids.add(eid)
        start = c.date(m, "date", where)
        end = c.date(m, "end_date", where)
        if start and end and end.last < start.first:
            c.add(
                "end-before-start",
                f"end_date {end.text} is before date {start.text}",
                m.value_pos.get("end_date"),
                f"{where}.end_date",
            )
        kind = c.choice(m, "kind", where, vocab.KINDS)
        title = c.text(m, "title", where, required=True)
        if len(title) > vocab.TITLE_MAX:
            c.add(
                "too-long",
                f"title has {len(title)} characters; keep it under {vocab.TITLE_MAX}",
                m.value_pos.get("title"),
                f"{where}.title",
            )
        summary = c.text(m, "summary", where, short=False, required=True)
        channels = []
        for value, pos, f in c.text_list(m, "channels", where):
            if value not in channel_ids:
                c.add(
                    "unknown-channel",
                    f"channel {value!r} is not in the channels list{suggest(value, channel_ids)}",
                    pos,
                    f,
                )
            channels.append(value)
        initiator = c.choice(m, "initiator", where, vocab.INITIATORS)
        if kind in vocab.STATE_CHANGE_KINDS:
            for key, have in (("channels", channels), ("initiator", "initiator" in m)):
                if not have:
                    c.add(
                        "missing-field",
                        f"a {kind} needs {key!r} (which channels, and who "
                        f"{'suspended' if kind == 'suspension' else 'resumed'})",
                        m.pos,
                        f"{where}.{key}",
                    )
        participants = _participants(c, m, where, actor_ids)
        location = c.text(m, "location", where)
        significance = None
        sig = c.text(m, "significance", where)
        if sig:
            lo, hi = vocab.SIGNIFICANCE_RANGE
            if sig.isdigit() and lo <= int(sig) <= hi:
                significance = int(sig)
            else:
                c.add(
                    "invalid-significance",
                    f"significance {sig!r} must be a whole number from {lo} (routine) "
                    f"to {hi} (turning point)",
                    m.value_pos.get("significance"),
                    f"{where}.significance",
                )
        responds = []
        for j, (value, pos, f) in enumerate(c.text_list(m, "responds_to", where)):
            c.ref_pos[(eid, j)] = (pos, f)
            responds.append(value)
        sources = _sources(c, m, where)
        tags = []
        for value, pos, f in c.text_list(m, "tags", where):
            if vocab.SLUG_RE.match(value):
                tags.append(value)
            else:
                c.add("invalid-id", f"tag {value!r} is not a slug; {_SLUG_HINT}", pos, f)
        notes = c.text(m, "notes", where, short=False)
        if not (id_ok and start and kind and title and summary):
            return None
        event = Event(
            id=eid,
            date=start,
            end_date=end,
            kind=kind,
            title=title,
            summary=summary,
            sources=tuple(sources),
            channels=tuple(channels),
            initiator=initiator,
            participants=tuple(participants),
            location=location,
            significance=significance,
            responds_to=tuple(responds),
            tags=tuple(tags),
            notes=notes,
            line=m.pos[0],
        )
        if previous is not None and event_order(event) < event_order(previous):
            c.add(
                "out-of-order",
                f"event is dated {start.text}, before the previous event "
                f"({previous.date.text}); keep events in date order",
                m.value_pos.get("date"),
                f"{where}.date",
                warn=True,
            )
        previous = event
        return event

    return _records(c, top, "events", "an event", build)  # type: ignore[return-value]


def _participants(c: _Checker, m: YMap, where: str, actor_ids: set[str]) -> list[Participant]:
    out = []
    for item, pos, f in c.items(m, "participants", where):
        p = c.mapping(item, pos, f, "a participant {actor: id, role: ...}")
        if p is None:
            continue
        c.fields(p, vocab.PARTICIPANT_FIELDS, f, "a participant")
        actor = c.text(p, "actor", f, required=True)
        if actor and actor not in actor_ids:
            c.add(
                "unknown-actor",
                f"actor {actor!r} is not in the actors list{suggest(actor, actor_ids)}; "
                "add it under actors first",
                p.value_pos.get("actor"),
                f"{f}.actor",
            )
        role = c.text(p, "role", f)
        if actor:
            out.append(Participant(actor, role))
    return out


def _sources(c: _Checker, m: YMap, where: str) -> list[Source]:
    out = []
    if "sources" in m and isinstance(m["sources"], YList) and not m["sources"]:
        c.add(
            "missing-source",
            "every event needs at least one source",
            m.value_pos.get("sources"),
            f"{where}.sources",
        )
    for item, pos, f in c.items(m, "sources", where):
        s = c.mapping(item, pos, f, "a source {publisher, title, published, url, type, language}")
        if s is None:
            continue
        c.fields(s, vocab.SOURCE_FIELDS, f, "a source")
        publisher = c.text(s, "publisher", f, required=True)
        title = c.text(s, "title", f, required=True)
        stype = c.choice(s, "type", f, vocab.SOURCE_TYPES)
        language = c.choice(s, "language", f, vocab.LANGUAGES)
        published = c.date(s, "published", f)
        url = c.text(s, "url", f)
        if url:
            parts = urlsplit(url)
            if parts.scheme not in vocab.URL_SCHEMES or not parts.netloc:
                c.add(
                    "invalid-url",
                    f"url {url!r} must be an http:// or https:// address",
                    s.value_pos.get("url"),
                    f"{f}.url",
                )
                url = ""
        if publisher and title and stype and language:
            out.append(Source(publisher, title, stype, language, published, url))
    return out


def _check_links(c: _Checker, events: list[Event]) -> None:
    by_id: dict[str, Event] = {}
    for e in events:
        by_id.setdefault(e.id, e)
    for e in events:
        for j, target in enumerate(e.responds_to):
            pos, field = c.ref_pos.get((e.id, j), ((e.line, 1), f"events[{e.id}].responds_to"))
            other = by_id.get(target)
            if target == e.id:
                c.add("responds-to-later", "an event cannot respond to itself", pos, field)
            elif other is None:
                if target not in c.event_ids:  # else the target is invalid and reported
                    c.add(
                        "unknown-event",
                        f"responds_to {target!r} is not an event id{suggest(target, c.event_ids)}",
                        pos,
                        field,
                    )
            elif other.date.first > e.last_day.last:
                c.add(
                    "responds-to-later",
                    f"responds_to {target!r} ({other.date.text}) is after this event "
                    f"({e.date.text}); an event can only respond to an earlier one",
                    pos,
                    field,
                )


def _check_resumptions(c: _Checker, events: list[Event]) -> None:
    """A resumption of a channel needs an earlier suspension of it or of 'all'."""
    suspended_at: dict[str, list[PartialDate]] = defaultdict(list)
    for e in events:
        if e.kind == "suspension":
            for ch in e.channels:
                suspended_at[ch].append(e.date)
    for e in events:
        if e.kind != "resumption":
            continue
        for ch in e.channels:
            if ch == vocab.ALL_CHANNEL:
                candidates = [d for ds in suspended_at.values() for d in ds]
            else:
                candidates = suspended_at[ch] + suspended_at[vocab.ALL_CHANNEL]
            if not any(d.first <= e.date.last for d in candidates):
                c.add(
                    "resumption-without-suspension",
                    f"resumption of {ch!r} on {e.date.text}, but no earlier suspension of "
                    f"{ch!r} or 'all' is recorded; add the suspension first",
                    (e.line, 1),
                    f"events[{e.id}].channels",
                )


def _normal_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def _check_duplicates(c: _Checker, events: list[Event]) -> None:
    groups: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in events:
        groups[(e.date.text, e.kind)].append(e)
    for group in groups.values():
        for i, a in enumerate(group):
            for b in group[:i]:
                ratio = difflib.SequenceMatcher(
                    None, _normal_title(a.title), _normal_title(b.title)
                ).ratio()
                if ratio >= 0.9:
                    c.add(
                        "likely-duplicate",
                        f"looks like a duplicate of {b.id!r} (same date and kind, "
                        "near-identical title)",
                        (a.line, 1),
                        f"events[{a.id}]",
                        warn=True,
                    )


def _check_retired(c: _Checker, top: YMap, events: list[Event]) -> None:
    """`retired_ids` lists the ids of removed events, which are never used again."""
    retired: set[str] = set()
    for item, pos, where in c.items(top, "retired_ids", ""):
        if not isinstance(item, str) or not item.strip():
            c.add("wrong-type", "retired_ids items must be event ids", pos, where)
        elif c.pattern(item.strip(), vocab.EVENT_ID_RE, pos, where, _EVENT_ID_HINT):
            retired.add(item.strip())
    for e in events:
        if e.id in retired:
            c.add(
                "retired-id",
                f"event id {e.id!r} belonged to a removed event (see retired_ids); ids are "
                "never reused, choose another",
                (e.line, 1),
                f"events[{e.id}].id",
            )
