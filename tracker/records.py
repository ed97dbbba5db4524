"""Typed, validated records: what `validate` produces and every other module consumes.

Plain frozen dataclasses (cheap to build by the ten thousand); the storage schema lives in
`model.py` and is filled from these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.dates import PartialDate


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    name: str
    established: PartialDate | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    country: str
    name_zh: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Participant:
    actor: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    publisher: str
    title: str
    type: str
    language: str
    published: PartialDate | None = None
    url: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: PartialDate
    kind: str
    title: str
    summary: str
    sources: tuple[Source, ...]
    end_date: PartialDate | None = None
    channels: tuple[str, ...] = ()
    initiator: str = ""
    participants: tuple[Participant, ...] = ()
    location: str = ""
    significance: int | None = None
    responds_to: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str = ""
    line: int = 0  # where the event starts in events.yaml, for messages

    @property
    def last_day(self) -> PartialDate:
        """The date whose last day ends the event (end_date if any)."""
        return self.end_date or self.date


@dataclass(slots=True)
class Dataset:
    channels: list[Channel] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    path: str = ""
    content_hash: str = ""

    def event_by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}
