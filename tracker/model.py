"""SQLModel tables: the storage schema, and nothing else.

The database is a derived, rebuildable copy of events.yaml. Every partial date is stored four
ways: the original string, its first day, its last day and its precision.
"""

from __future__ import annotations

from datetime import date as Date

from sqlmodel import Field, SQLModel

# Bump when a table changes: databases built with another version are rebuilt.
SCHEMA_VERSION = "2"


class Channel(SQLModel, table=True):
    __tablename__ = "channel"
    id: str = Field(primary_key=True)
    name: str
    established: str | None = None
    established_first: Date | None = None
    established_last: Date | None = None
    established_precision: str | None = None
    description: str = ""


class Actor(SQLModel, table=True):
    __tablename__ = "actor"
    id: str = Field(primary_key=True)
    name: str
    name_zh: str = ""
    country: str = Field(index=True)
    description: str = ""


class Event(SQLModel, table=True):
    __tablename__ = "event"
    id: str = Field(primary_key=True)
    position: int  # order in events.yaml
    date: str
    date_first: Date = Field(index=True)
    date_last: Date
    date_precision: str
    end_date: str | None = None
    end_date_first: Date | None = None
    end_date_last: Date | None = None
    end_date_precision: str | None = None
    kind: str = Field(index=True)
    family: str
    title: str
    summary: str
    initiator: str | None = None
    location: str | None = None
    significance: int | None = None
    notes: str | None = None
    line: int | None = None


class Source(SQLModel, table=True):
    __tablename__ = "source"
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(foreign_key="event.id", index=True)
    position: int
    publisher: str
    title: str
    published: str | None = None
    published_first: Date | None = None
    published_last: Date | None = None
    published_precision: str | None = None
    url: str | None = None
    type: str
    language: str


class Participation(SQLModel, table=True):
    """An actor's part in an event; a link table that carries the actor's role."""

    __tablename__ = "participation"
    event_id: str = Field(foreign_key="event.id", primary_key=True)
    position: int = Field(primary_key=True)
    actor_id: str = Field(foreign_key="actor.id", index=True)
    role: str = ""


class EventChannel(SQLModel, table=True):
    __tablename__ = "event_channel"
    event_id: str = Field(foreign_key="event.id", primary_key=True)
    channel_id: str = Field(foreign_key="channel.id", primary_key=True, index=True)
    position: int = 0  # order in the event's list


class EventLink(SQLModel, table=True):
    """`responds_to`: event `event_id` reacts to the earlier event `responds_to_id`."""

    __tablename__ = "event_link"
    event_id: str = Field(foreign_key="event.id", primary_key=True)
    responds_to_id: str = Field(foreign_key="event.id", primary_key=True, index=True)
    position: int = 0


class EventTag(SQLModel, table=True):
    __tablename__ = "event_tag"
    event_id: str = Field(foreign_key="event.id", primary_key=True)
    tag: str = Field(primary_key=True, index=True)
    position: int = 0


class Period(SQLModel, table=True):
    """A stretch of time in which a channel was active or suspended (derived at build)."""

    __tablename__ = "period"
    id: int | None = Field(default=None, primary_key=True)
    channel_id: str = Field(foreign_key="channel.id", index=True)
    state: str  # "active" or "suspended"
    start: Date
    end: Date | None = None  # None: still going on
    opened_by: str | None = Field(default=None, foreign_key="event.id")
    closed_by: str | None = Field(default=None, foreign_key="event.id")
    initiator: str | None = None


class Meta(SQLModel, table=True):
    """Provenance of the build: content hash, build time, tool version, data path."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


# Insert order that satisfies the foreign keys; delete in reverse.
TABLES_IN_ORDER = (
    Channel,
    Actor,
    Event,
    Source,
    Participation,
    EventChannel,
    EventLink,
    EventTag,
    Period,
    Meta,
)
