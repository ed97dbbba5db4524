"""The database: engine factory, schema, bulk load, and rebuild-when-the-YAML-changed.

The database is a cache of events.yaml. SQLite (the default, a gitignored file beside the data)
is rebuilt into a temporary file and swapped in with `os.replace`, so readers see the old or the
new database, never a half-built one. Other databases (PostgreSQL) are rebuilt in one
transaction. Nothing SQLite-specific lives outside `make_engine` and `_swap_in_sqlite`.

Departure from reliability.md: the SQLite cache uses the rollback journal, not WAL. Nothing
writes to the live file (it is only ever replaced whole), and a WAL file left beside a replaced
database could be replayed into the new one.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from tracker import __version__, model, vocab
from tracker.problems import DataError, UsageError
from tracker.records import Dataset

ENV_DB = "TRACKER_DB"


def default_url(data_path: str | Path) -> str:
    """The default database: `events.db` beside `events.yaml`."""
    return f"sqlite:///{Path(data_path).with_suffix('.db')}"


def resolve_url(db: str | None, data_path: str | Path) -> str:
    """--db, else TRACKER_DB, else the default; refuses what is not a database URL."""
    url = db or os.environ.get(ENV_DB) or default_url(data_path)
    _parse_url(url)
    return url


def _parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except Exception as exc:  # noqa: BLE001 - sqlalchemy raises ArgumentError or ValueError
        raise UsageError(
            f"--db: {url!r} is not a database URL; use e.g. sqlite:///path/events.db or "
            "postgresql+psycopg://user@host/dbname"
        ) from exc


def display_url(url: str) -> str:
    """The URL with any password hidden, safe to print."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL we cannot parse is shown as nothing secret
        return "<unparsable database URL>"


def sqlite_path(url: str) -> Path | None:
    u = _parse_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def make_engine(url: str, *, build: bool = False) -> Engine:
    """An engine for `url`. SQLite gets foreign keys, a busy timeout and BEGIN IMMEDIATE."""
    u = _parse_url(url)
    if u.get_backend_name() != "sqlite":
        try:
            return create_engine(u, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            hint = (
                "; install the PostgreSQL driver: pip install 'tracker[postgres]'"
                if u.get_backend_name() == "postgresql"
                else ""
            )
            raise UsageError(f"--db {display_url(url)}: {exc}{hint}") from exc
        except Exception as exc:  # noqa: BLE001 - bad options
            raise UsageError(f"--db {display_url(url)}: {exc}") from exc
    kwargs: dict[str, Any] = {}
    if not u.database or u.database == ":memory:":
        from sqlalchemy.pool import StaticPool

        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    engine = create_engine(u, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        # SQLite's lower() folds ASCII only; search (query.Filters) must fold as Python and
        # PostgreSQL do, or `--search élysée` would miss "Élysée" here and find it there.
        dbapi_conn.create_function("lower", 1, _lower, deterministic=True)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        if build:  # a private temp file: durability comes from fsync + os.replace
            cur.execute("PRAGMA journal_mode=OFF")
            cur.execute("PRAGMA synchronous=OFF")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


@dataclass
class BuildResult:
    url: str
    counts: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    first: str = ""
    last: str = ""
    content_hash: str = ""
    built_at: str = ""
    rebuilt: bool = True


def dataset_rows(ds: Dataset, built_at: str) -> dict[type[SQLModel], list[dict[str, Any]]]:
    """The dataset as plain rows per table, ready for bulk inserts."""
    from tracker.trajectory import derive_periods

    rows: dict[type[SQLModel], list[dict[str, Any]]] = {t: [] for t in model.TABLES_IN_ORDER}
    for ch in ds.channels:
        est = ch.established
        rows[model.Channel].append(
            {
                "id": ch.id,
                "name": ch.name,
                "established": est.text if est else None,
                "established_first": est.first if est else None,
                "established_last": est.last if est else None,
                "established_precision": est.precision if est else None,
                "description": ch.description,
            }
        )
    for a in ds.actors:
        rows[model.Actor].append(
            {
                "id": a.id,
                "name": a.name,
                "name_zh": a.name_zh,
                "country": a.country,
                "description": a.description,
            }
        )
    for pos, e in enumerate(ds.events):
        end = e.end_date
        rows[model.Event].append(
            {
                "id": e.id,
                "position": pos,
                "date": e.date.text,
                "date_first": e.date.first,
                "date_last": e.date.last,
                "date_precision": e.date.precision,
                "end_date": end.text if end else None,
                "end_date_first": end.first if end else None,
                "end_date_last": end.last if end else None,
                "end_date_precision": end.precision if end else None,
                "kind": e.kind,
                "family": vocab.FAMILY_OF_KIND[e.kind],
                "title": e.title,
                "summary": e.summary,
                "initiator": e.initiator or None,
                "location": e.location or None,
                "significance": e.significance,
                "notes": e.notes or None,
                "line": e.line or None,
            }
        )
        for i, s in enumerate(e.sources):
            pub = s.published
            rows[model.Source].append(
                {
                    "event_id": e.id,
                    "position": i,
                    "publisher": s.publisher,
                    "title": s.title,
                    "published": pub.text if pub else None,
                    "published_first": pub.first if pub else None,
                    "published_last": pub.last if pub else None,
                    "published_precision": pub.precision if pub else None,
                    "url": s.url or None,
                    "type": s.type,
                    "language": s.language,
                }
            )
        for i, p in enumerate(e.participants):
            rows[model.Participation].append(
                {"event_id": e.id, "position": i, "actor_id": p.actor, "role": p.role}
            )
        for i, ch_id in enumerate(dict.fromkeys(e.channels)):
            rows[model.EventChannel].append({"event_id": e.id, "channel_id": ch_id, "position": i})
        for i, target in enumerate(dict.fromkeys(e.responds_to)):
            rows[model.EventLink].append(
                {"event_id": e.id, "responds_to_id": target, "position": i}
            )
        for i, tag in enumerate(dict.fromkeys(e.tags)):
            rows[model.EventTag].append({"event_id": e.id, "tag": tag, "position": i})
    for period in derive_periods(ds.events, ds.channels):
        rows[model.Period].append(
            {
                "channel_id": period.channel,
                "state": period.state,
                "start": period.start,
                "end": period.end,
                "opened_by": period.opened_by,
                "closed_by": period.closed_by,
                "initiator": period.initiator,
            }
        )
    meta = {
        "content_hash": ds.content_hash,
        "built_at": built_at,
        "tool_version": __version__,
        "schema_version": model.SCHEMA_VERSION,
        "data_path": ds.path,
        "event_count": str(len(ds.events)),
    }
    rows[model.Meta] = [{"key": k, "value": v} for k, v in meta.items()]
    return rows


# Key of the PostgreSQL advisory lock that serialises rebuilds (any number; ours is "trak").
_REBUILD_LOCK = 0x7472616B


def _load(engine: Engine, rows: dict[type[SQLModel], list[dict[str, Any]]]) -> None:
    """Recreate every table and fill it in one transaction, with bulk (executemany) inserts.

    Dropping and creating inside the transaction means PostgreSQL readers wait for the commit
    and never see a half-built database, and it picks up schema changes. Two rebuilds at once
    (analysts' first commands on a new database) collided on CREATE TABLE, so on PostgreSQL
    the second waits for the first behind a transaction-scoped advisory lock. SQLite needs
    none: each build writes a private file."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _REBUILD_LOCK})
        _refuse_foreign_tables(conn)
        SQLModel.metadata.drop_all(conn)
        SQLModel.metadata.create_all(conn)
        for table in model.TABLES_IN_ORDER:
            if rows[table]:
                conn.execute(insert(table), rows[table])


def _refuse_foreign_tables(conn: Connection) -> None:
    """A shared database may hold an `event` or `source` table of its own: a rebuild drops
    only tables that a tracker build made (its `meta` table says so), never someone else's."""
    ours = {t.__tablename__ for t in model.TABLES_IN_ORDER}  # type: ignore[attr-defined]
    found = ours & set(inspect(conn).get_table_names())
    if not found or _built_by_tracker(conn, found):
        return
    where = conn.engine.url.render_as_string(hide_password=True)
    raise UsageError(
        f"--db {where}: the database has tables that tracker did not create "
        f"({', '.join(sorted(found))}); give tracker a database of its own, or a schema "
        "(add ?options=-csearch_path%3Dtracker to the URL after CREATE SCHEMA tracker)"
    )


def _built_by_tracker(conn: Connection, tables: set[str]) -> bool:
    if "meta" not in tables:
        return False
    if {"key", "value"} - {c["name"] for c in inspect(conn).get_columns("meta")}:
        return False
    found = select(model.Meta.value).where(model.Meta.key == "content_hash")
    return conn.execute(found).first() is not None


def build_database(ds: Dataset, url: str) -> BuildResult:
    """Load a validated dataset into the database at `url`, replacing what was there."""
    built_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    rows = dataset_rows(ds, built_at)
    path = sqlite_path(url)
    try:
        if path is not None:
            _swap_in_sqlite(path, rows)
        else:
            engine = make_engine(url)
            try:
                _load(engine, rows)
            finally:
                engine.dispose()
    except SQLAlchemyError as exc:
        raise DataError(f"database {display_url(url)}: {_short(exc)}") from exc
    result = BuildResult(url=display_url(url), content_hash=ds.content_hash, built_at=built_at)
    result.counts = {t.__tablename__: len(r) for t, r in rows.items()}  # type: ignore[attr-defined]
    result.kinds = dict(Counter(e.kind for e in ds.events).most_common())
    if ds.events:
        result.first = min(e.date.first for e in ds.events).isoformat()
        result.last = max(e.last_day.last for e in ds.events).isoformat()
    return result


def _short(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).splitlines()[0]


def _swap_in_sqlite(path: Path, rows: dict[type[SQLModel], list[dict[str, Any]]]) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the database folder {folder}: {exc.strerror}") from exc
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        engine = make_engine(f"sqlite:///{tmp}", build=True)
        try:
            _load(engine, rows)
        finally:
            engine.dispose()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_meta(url: str) -> dict[str, str]:
    """The Meta table as a dict; empty when the database or table does not exist yet."""
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return {}
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                row[0]: row[1] for row in conn.execute(select(model.Meta.key, model.Meta.value))
            }
    except SQLAlchemyError:
        return {}
    finally:
        engine.dispose()


def ensure_fresh(data_path: str | Path, url: str) -> BuildResult:
    """Rebuild the database if events.yaml changed since the last build (by content hash).

    Read commands call this first, so they never answer from a stale copy.
    """
    from filelock import FileLock

    from tracker.dataset import content_hash, read_bytes

    raw = read_bytes(data_path)
    digest = content_hash(raw)
    path = sqlite_path(url)
    lock = FileLock(f"{path}.lock") if path is not None else None
    if lock is not None:
        path.parent.mkdir(parents=True, exist_ok=True)  # type: ignore[union-attr]
        lock.acquire(timeout=120)
    try:
        meta = read_meta(url)
        if meta.get("content_hash") == digest and meta.get("schema_version") == (
            model.SCHEMA_VERSION
        ):
            return BuildResult(
                url=display_url(url),
                content_hash=digest,
                built_at=meta.get("built_at", ""),
                rebuilt=False,
            )
        from tracker.api import load_valid_dataset

        ds = load_valid_dataset(data_path, raw=raw)
        return build_database(ds, url)
    finally:
        if lock is not None:
            lock.release()
