"""Filters shared by list, timeline and export, and reading records back from the database.

One `Filters` value selects events everywhere: in SQL (`Filters.where`) and in memory
(`Filters.matches`); a test checks that both agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, Select, and_, exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from tracker import model
from tracker.dates import PartialDate, parse_partial_date
from tracker.problems import NotFoundError
from tracker.records import Actor, Channel, Dataset, Event, Participant, Source


@dataclass(frozen=True, slots=True)
class Filters:
    since: date | None = None  # events whose span reaches this day or later
    until: date | None = None  # events whose span starts on this day or earlier
    kinds: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    search: str = ""  # case-insensitive text in title, summary, location or notes
    ids: tuple[str, ...] = ()  # exactly these events

    @property
    def active(self) -> bool:
        return any(
            (self.since, self.until, self.kinds, self.channels, self.actors, self.tags)
        ) or bool(self.search or self.ids)

    def matches(self, e: Event) -> bool:
        if self.ids and e.id not in self.ids:
            return False
        if self.since and e.last_day.last < self.since:
            return False
        if self.until and e.date.first > self.until:
            return False
        if self.kinds and e.kind not in self.kinds:
            return False
        if self.channels and not set(self.channels) & set(e.channels):
            return False
        if self.actors and not set(self.actors) & {p.actor for p in e.participants}:
            return False
        if self.tags and not set(self.tags) & set(e.tags):
            return False
        if self.search:
            needle = self.search.lower()
            hay = (e.title, e.summary, e.location, e.notes)
            if not any(needle in h.lower() for h in hay):
                return False
        return True

    def where(self) -> ColumnElement[bool]:
        E = model.Event
        clauses: list[ColumnElement[bool]] = []
        if self.ids:
            clauses.append(E.id.in_(self.ids))
        if self.since:
            clauses.append(func.coalesce(E.end_date_last, E.date_last) >= self.since)
        if self.until:
            clauses.append(E.date_first <= self.until)
        if self.kinds:
            clauses.append(E.kind.in_(self.kinds))
        if self.channels:
            EC = model.EventChannel
            clauses.append(
                exists().where(and_(EC.event_id == E.id, EC.channel_id.in_(self.channels)))
            )
        if self.actors:
            P = model.Participation
            clauses.append(exists().where(and_(P.event_id == E.id, P.actor_id.in_(self.actors))))
        if self.tags:
            T = model.EventTag
            clauses.append(exists().where(and_(T.event_id == E.id, T.tag.in_(self.tags))))
        if self.search:
            needle = self.search.lower()
            cols = (E.title, E.summary, E.location, E.notes)
            clauses.append(
                or_(
                    *(
                        func.lower(func.coalesce(c, "")).contains(needle, autoescape=True)
                        for c in cols
                    )
                )
            )
        return and_(True, *clauses)


def _pd(text: str | None) -> PartialDate | None:
    return parse_partial_date(text) if text else None


def fetch_events(engine: Engine, filters: Filters | None = None) -> list[Event]:
    """Matching events in file order, with sources, participants, channels, links and tags."""
    filters = filters or Filters()
    E = model.Event
    with engine.connect() as conn:
        rows = conn.execute(select(E).where(filters.where()).order_by(E.position)).all()
        ids: list[str] | Select[Any] | None = None  # whose children to read; None: all
        if filters.active:
            ids = [r.id for r in rows]
            if len(ids) > _IDS_IN_LIST:  # PostgreSQL takes at most 65,535 parameters, and
                ids = select(E.id).where(filters.where())  # reads long lists slowly
        children = _children(conn, ids)
    out = []
    for r in rows:
        kids = children[r.id]
        out.append(
            Event(
                id=r.id,
                date=parse_partial_date(r.date),
                end_date=_pd(r.end_date),
                kind=r.kind,
                title=r.title,
                summary=r.summary,
                sources=tuple(kids["sources"]),
                channels=tuple(kids["channels"]),
                initiator=r.initiator or "",
                participants=tuple(kids["participants"]),
                location=r.location or "",
                significance=r.significance,
                responds_to=tuple(kids["links"]),
                tags=tuple(kids["tags"]),
                notes=r.notes or "",
                line=r.line or 0,
            )
        )
    return out


# Above this many matching events, their children are selected by a subquery, not by a list.
_IDS_IN_LIST = 1_000


def _children(conn: Any, ids: list[str] | Select[Any] | None) -> dict[str, dict[str, list[Any]]]:
    """The child rows of the events `ids` lists or selects (of all events when None)."""
    kids: dict[str, dict[str, list[Any]]] = defaultdict(
        lambda: {"sources": [], "participants": [], "channels": [], "links": [], "tags": []}
    )

    def rows(table: Any, *order: Any) -> Any:
        stmt = select(table)
        if ids is not None:
            stmt = stmt.where(table.event_id.in_(ids))
        return conn.execute(stmt.order_by(*order)).all()

    S, P = model.Source, model.Participation
    for s in rows(S, S.event_id, S.position):
        kids[s.event_id]["sources"].append(
            Source(s.publisher, s.title, s.type, s.language, _pd(s.published), s.url or "")
        )
    for p in rows(P, P.event_id, P.position):
        kids[p.event_id]["participants"].append(Participant(p.actor_id, p.role))
    EC, L, T = model.EventChannel, model.EventLink, model.EventTag
    for c in rows(EC, EC.event_id, EC.position):
        kids[c.event_id]["channels"].append(c.channel_id)
    for link in rows(L, L.event_id, L.position):
        kids[link.event_id]["links"].append(link.responds_to_id)
    for t in rows(T, T.event_id, T.position):
        kids[t.event_id]["tags"].append(t.tag)
    return kids


def fetch_dataset(engine: Engine, filters: Filters | None = None) -> Dataset:
    """Channels, actors and the (filtered) events, with the build's provenance."""
    with engine.connect() as conn:
        chans = [
            Channel(c.id, c.name, _pd(c.established), c.description)
            for c in conn.execute(select(model.Channel)).all()
        ]
        actors = [
            Actor(a.id, a.name, a.country, a.name_zh, a.description)
            for a in conn.execute(select(model.Actor)).all()
        ]
        meta = {m.key: m.value for m in conn.execute(select(model.Meta)).all()}
    # Sorted here, by code point: ORDER BY follows the database's collation, which differs
    # between SQLite (binary) and PostgreSQL (e.g. en_US ignores hyphens: "liang-" < "li-").
    chans.sort(key=lambda c: c.id)
    actors.sort(key=lambda a: a.id)
    ds = Dataset(chans, actors, fetch_events(engine, filters))
    ds.path = meta.get("data_path", "")
    ds.content_hash = meta.get("content_hash", "")
    return ds


def fetch_event(engine: Engine, event_id: str) -> Event:
    """One event by id; an unknown id raises NotFoundError naming the closest ids."""
    import difflib

    E = model.Event
    with engine.connect() as conn:
        found = conn.execute(select(E.id).where(E.id == event_id)).first()
        if found is None:
            all_ids = [r[0] for r in conn.execute(select(E.id)).all()]
            close = difflib.get_close_matches(event_id, all_ids, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise NotFoundError(f"no event with id {event_id!r}{hint}")
    (event,) = fetch_events(engine, Filters(ids=(event_id,)))
    return event
