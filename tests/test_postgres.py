"""PostgreSQL, a team's shared database: a real server gives what SQLite gives.

Runs against the server that TRACKER_TEST_PG_URL names (`.ci/postgres.sh` starts a private
one on 127.0.0.1 and prints its URL); skips without it, but with TRACKER_REQUIRE_PG=1 (CI) a
missing or unreachable server fails. The role must be allowed to create databases: every
database here has a random name and is dropped after use. They use an ICU collation that, like
glibc's en_US, ignores hyphens when sorting ("liang-guanglie" < "li-shangfu"), so differences
from SQLite's binary order show up.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from typer.testing import CliRunner

import tracker.db
import tracker.query
from tracker import model
from tracker.api import load_valid_dataset
from tracker.cli import app
from tracker.db import build_database, display_url, ensure_fresh, make_engine, read_meta
from tracker.problems import DataError
from tracker.query import Filters, fetch_dataset, fetch_events
from tracker.records import Participant

ROOT = Path(__file__).parent.parent
REAL = ROOT / "data" / "events.yaml"
PG_URL = os.environ.get("TRACKER_TEST_PG_URL", "")
REQUIRED = os.environ.get("TRACKER_REQUIRE_PG") == "1"
# Sorts like glibc's en_US.UTF-8 (punctuation ignored at first), on any server with ICU.
ICU_DATABASE = "TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US-u-ka-shifted'"


def _unavailable(why: str) -> NoReturn:
    if REQUIRED:
        pytest.fail(f"TRACKER_REQUIRE_PG=1 but {why}", pytrace=False)
    pytest.skip(why)


def _secret_free(message: str) -> str:
    password = make_url(PG_URL).password if PG_URL else None
    return message.replace(password, "***") if password else message


@contextmanager
def engine_on(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


class Databases:
    """Creates databases with random names on the test server and drops them again."""

    def __init__(self, admin: Engine) -> None:
        self.admin = admin
        self.icu = True

    def create(self) -> str:
        name = f"tracker_test_{secrets.token_hex(6)}"
        with self.admin.connect() as conn:
            try:
                conn.exec_driver_sql(f"CREATE DATABASE {name} {ICU_DATABASE}")
            except SQLAlchemyError:  # a server built without ICU: its default collation
                self.icu = False
                conn.exec_driver_sql(f"CREATE DATABASE {name}")
        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        with self.admin.connect() as conn:  # FORCE: the CLI's engines may still hold sessions
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")


@pytest.fixture(scope="module")
def databases() -> Iterator[Databases]:
    if not PG_URL:
        _unavailable("TRACKER_TEST_PG_URL is not set (.ci/postgres.sh starts a server, prints it)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install -e '.[test]')")
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except SQLAlchemyError as exc:
        admin.dispose()
        reason = str(getattr(exc, "orig", exc)).splitlines()[0]
        _unavailable(f"no PostgreSQL server at {display_url(PG_URL)}: {_secret_free(reason)}")
    try:
        yield Databases(admin)
    finally:
        admin.dispose()


@pytest.fixture(autouse=True)
def _close_cli_engines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The commands leave their engine to the end of the process; here, the end of the test.
    (psycopg warns about a connection collected while open; warnings are errors here.)"""
    engines: list[Engine] = []

    def tracked(url: str, **kwargs: Any) -> Engine:
        engines.append(make_engine(url, **kwargs))
        return engines[-1]

    monkeypatch.setattr(tracker.db, "make_engine", tracked)
    yield
    for engine in engines:
        engine.dispose()


@pytest.fixture
def pg_url(databases: Databases) -> Iterator[str]:
    """A fresh, empty database for one test."""
    url = databases.create()
    yield url
    databases.drop(url)


@pytest.fixture(scope="module")
def real_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real dataset (its SQLite default database goes beside it, not in data/)."""
    path = tmp_path_factory.mktemp("real") / "events.yaml"
    shutil.copyfile(REAL, path)
    return path


@pytest.fixture(scope="module")
def real_pg(databases: Databases, real_yaml: Path) -> Iterator[str]:
    """The real dataset in PostgreSQL, built once for the read-only tests."""
    url = databases.create()
    try:
        assert ensure_fresh(real_yaml, url).rebuilt
        yield url
    finally:
        databases.drop(url)


@pytest.fixture(scope="module")
def real_sqlite(real_yaml: Path) -> str:
    """The same data in SQLite, where read commands put it by default."""
    url = tracker.db.default_url(real_yaml)
    ensure_fresh(real_yaml, url)
    return url


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as Python values, in an order independent of the database."""
    with engine_on(url) as engine, engine.connect() as conn:
        return {
            t.__tablename__: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)  # type: ignore[attr-defined]
            for t in model.TABLES_IN_ORDER
        }


# --- the server and the database ----------------------------------------------------------


def test_the_test_database_sorts_unlike_sqlite(databases: Databases, real_pg: str) -> None:
    """Guard: the ordering tests below mean something only if the collation differs."""
    if not databases.icu:
        _unavailable("the server has no ICU collations; ordering differences are not tested")
    with engine_on(real_pg) as engine, engine.connect() as conn:
        got = conn.execute(text("SELECT id FROM actor WHERE id LIKE 'li%' ORDER BY id")).scalars()
        in_db = list(got)
    assert "li-shangfu" in in_db and "liang-guanglie" in in_db
    assert in_db != sorted(in_db)


# --- build ---------------------------------------------------------------------------------


def test_build_fills_every_table_as_sqlite_does(real_pg: str, real_sqlite: str) -> None:
    pg, lite = snapshot(real_pg), snapshot(real_sqlite)
    assert {t: len(rows) for t, rows in pg.items()} == {t: len(rows) for t, rows in lite.items()}
    assert all(pg.values()), "every table has rows"
    # Same values and Python types (dates as dates) everywhere but the build time.
    for rows in (pg, lite):
        rows["meta"] = [r for r in rows["meta"] if r[0] != "built_at"]
    assert pg == lite
    assert len(pg["event"]) == len(load_valid_dataset(REAL).events)


def test_build_reports_the_counts_it_wrote(pg_url: str, valid_yaml: Path) -> None:
    result = build_database(load_valid_dataset(valid_yaml), pg_url)
    assert {t: len(rows) for t, rows in snapshot(pg_url).items()} == result.counts
    assert result.counts["event"] == 7 and result.url == display_url(pg_url)


def _failing_insert(
    monkeypatch: pytest.MonkeyPatch, at: type, before_failing: Callable[[], None] = lambda: None
) -> list[str]:
    """Make the build fail when it reaches table `at`; returns the tables it filled first."""
    done: list[str] = []
    real_insert = tracker.db.insert

    def insert(table: Any) -> Any:
        if table is at:
            before_failing()
            raise OperationalError("INSERT", {}, RuntimeError("the disk is full (simulated)"))
        done.append(table.__tablename__)
        return real_insert(table)

    monkeypatch.setattr(tracker.db, "insert", insert)
    return done


def _edited(valid_yaml: Path) -> Any:
    valid_yaml.write_text(valid_yaml.read_text().replace("Leaders meet", "Leaders met"))
    return load_valid_dataset(valid_yaml)


def test_a_failed_rebuild_leaves_the_previous_data(
    pg_url: str, valid_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_database(load_valid_dataset(valid_yaml), pg_url)
    before = snapshot(pg_url)
    changed = _edited(valid_yaml)
    with monkeypatch.context() as mp:
        filled = _failing_insert(mp, model.Participation)
        with pytest.raises(DataError, match=r"database .*:\*\*\*@.*: the disk is full"):
            build_database(changed, pg_url)
    assert filled == ["channel", "actor", "event", "source"]  # it failed midway
    assert snapshot(pg_url) == before
    build_database(changed, pg_url)
    with engine_on(pg_url) as engine:
        assert fetch_events(engine, Filters(search="leaders met"))


def test_a_database_error_midway_rolls_back_everything(pg_url: str, valid_yaml: Path) -> None:
    ds = load_valid_dataset(valid_yaml)
    build_database(ds, pg_url)
    before = snapshot(pg_url)
    last = ds.events[-1]
    broken = dataclasses.replace(last, participants=(Participant("no-such-actor"),))
    ds.events[-1] = broken  # only the database can object: a foreign key
    ds.content_hash = "0" * 64
    with pytest.raises(DataError, match="foreign key"):
        build_database(ds, pg_url)
    assert snapshot(pg_url) == before


def test_a_reader_never_sees_a_half_built_database(
    pg_url: str, valid_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_database(load_valid_dataset(valid_yaml), pg_url)
    seen: list[object] = []

    def read_meanwhile() -> None:  # the old tables are dropped but not yet committed
        reader = create_engine(pg_url, connect_args={"options": "-c lock_timeout=300"})
        try:
            with reader.connect() as conn:
                seen.append(conn.execute(text("SELECT count(*) FROM event")).scalar_one())
        except OperationalError as exc:
            seen.append(type(exc.orig).__name__)
        finally:
            reader.dispose()

    _failing_insert(monkeypatch, model.EventTag, read_meanwhile)
    with pytest.raises(DataError):
        build_database(_edited(valid_yaml), pg_url)
    assert seen == ["LockNotAvailable"]  # it waits (here: gives up), it never counts 0 rows


def test_ensure_fresh_rebuilds_only_on_change(pg_url: str, valid_yaml: Path) -> None:
    first = ensure_fresh(valid_yaml, pg_url)
    assert first.rebuilt
    again = ensure_fresh(valid_yaml, pg_url)
    assert not again.rebuilt and again.built_at == first.built_at
    _edited(valid_yaml)
    third = ensure_fresh(valid_yaml, pg_url)
    assert third.rebuilt and third.content_hash != first.content_hash
    assert read_meta(pg_url)["content_hash"] == third.content_hash
    before = snapshot(pg_url)
    valid_yaml.write_text(valid_yaml.read_text().replace('kind: "summit"', 'kind: "sumit"'))
    with pytest.raises(DataError):
        ensure_fresh(valid_yaml, pg_url)
    assert snapshot(pg_url) == before


def test_concurrent_first_builds_all_succeed(pg_url: str, valid_yaml: Path) -> None:
    """Several analysts' first commands at once: without a lock, CREATE TABLE collides."""
    errors: list[BaseException] = []

    def build() -> None:
        try:
            ensure_fresh(valid_yaml, pg_url)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(snapshot(pg_url)["event"]) == 7


def test_a_shared_database_keeps_its_own_tables(
    pg_url: str, valid_yaml: Path, runner: CliRunner
) -> None:
    """A rebuild drops tracker's tables; one named like them but not tracker's is refused."""
    with engine_on(pg_url) as engine, engine.begin() as conn:
        conn.execute(text("CREATE TABLE event (theirs text)"))
        conn.execute(text("INSERT INTO event VALUES ('keep me')"))
    for args in (["build"], ["list"]):
        result = runner.invoke(app, [*args, "--data", str(valid_yaml), "--db", pg_url])
        assert result.exit_code == 2, result.output
        assert "the database has tables that tracker did not create (event)" in result.stderr
        assert "Traceback" not in result.stderr
    with engine_on(pg_url) as engine, engine.connect() as conn:
        assert conn.execute(text("SELECT theirs FROM event")).scalars().all() == ["keep me"]
        assert not conn.execute(text("SELECT to_regclass('meta')")).scalar_one()


def test_a_schema_of_its_own_in_a_shared_database(
    pg_url: str, valid_yaml: Path, runner: CliRunner
) -> None:
    """A team database with other tables: tracker's go into the schema search_path names."""
    with engine_on(pg_url) as engine, engine.begin() as conn:
        conn.execute(text("CREATE SCHEMA tracker"))
        conn.execute(text("CREATE TABLE public.event (theirs text)"))  # someone else's
    url = make_url(pg_url).set(query={"options": "-csearch_path=tracker"})
    in_schema = url.render_as_string(hide_password=False)
    assert in_schema.endswith("?options=-csearch_path%3Dtracker")
    result = runner.invoke(app, ["list", "--data", str(valid_yaml), "--db", in_schema])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 7
    with engine_on(pg_url) as engine, engine.connect() as conn:
        tables = conn.execute(
            text(
                "SELECT schemaname, count(*) FROM pg_tables"
                " WHERE tablename = ANY(:names) GROUP BY 1"
            ),
            {"names": [t.__tablename__ for t in model.TABLES_IN_ORDER]},  # type: ignore[attr-defined]
        ).all()
        theirs = conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = 'event'"
            )
        )
        assert sorted(tables) == [("public", 1), ("tracker", len(model.TABLES_IN_ORDER))]
        assert list(theirs.scalars()) == ["theirs"]  # left alone


# --- queries -------------------------------------------------------------------------------

CASES = [
    Filters(),
    Filters(since=date(2010, 6, 15)),
    Filters(until=date(2001, 4, 1)),
    Filters(since=date(2008, 5, 12), until=date(2008, 5, 12)),  # a span-overlap boundary
    Filters(since=date(1998, 1, 1), until=date(1998, 12, 31)),
    Filters(kinds=("suspension", "resumption")),
    Filters(kinds=("cancellation",), since=date(2020, 1, 1)),
    Filters(channels=("mmca", "dtl")),
    Filters(channels=("all",)),
    Filters(actors=("li-shangfu", "liang-guanglie")),
    Filters(actors=("xi-jinping",), kinds=("summit",)),
    Filters(tags=("taiwan",)),
    Filters(tags=("south-china-sea", "port-call")),
    Filters(search="BEIJING"),  # PostgreSQL's LIKE is case-sensitive
    Filters(search="beijing"),
    Filters(search="China'S"),  # a quote
    Filters(search="responds_to"),  # _ is a LIKE wildcard
    Filters(search="senkaku/diaoyu"),  # / is the escape character SQLAlchemy uses
    Filters(search="100%"),  # % too
    Filters(search="中"),
    Filters(search="f-16", kinds=("arms_sale",), since=date(1992, 1, 1)),
    Filters(ids=("2010-01-30-prc-suspends-military-exchanges", "1989-06-04-tiananmen-crackdown")),
    Filters(ids=("no-such-event",)),
    Filters(kinds=("summit",), search="no such text anywhere"),
]


@pytest.mark.parametrize("filters", CASES)
def test_filters_select_the_same_events(
    filters: Filters, real_pg: str, real_sqlite: str, real_yaml: Path
) -> None:
    with engine_on(real_pg) as pg, engine_on(real_sqlite) as lite:
        in_pg = [e.id for e in fetch_events(pg, filters)]
        in_sqlite = [e.id for e in fetch_events(lite, filters)]
    in_memory = [e.id for e in load_valid_dataset(real_yaml).events if filters.matches(e)]
    assert in_pg == in_sqlite == in_memory


def test_the_cases_select_something(real_yaml: Path) -> None:
    """Guard: the cases above compare real selections, not empty lists."""
    events = load_valid_dataset(real_yaml).events
    sizes = [sum(f.matches(e) for e in events) for f in CASES]
    assert sum(0 < n < len(events) for n in sizes) >= len(CASES) - 4, sizes


def test_whole_dataset_reads_back_as_from_sqlite(
    real_pg: str, real_sqlite: str, real_yaml: Path
) -> None:
    with engine_on(real_pg) as pg, engine_on(real_sqlite) as lite:
        from_pg, from_sqlite = fetch_dataset(pg), fetch_dataset(lite)
    assert from_pg.channels == from_sqlite.channels  # same order too, whatever the collation
    assert from_pg.actors == from_sqlite.actors
    assert from_pg.events == from_sqlite.events == load_valid_dataset(real_yaml).events
    assert from_pg.content_hash == from_sqlite.content_hash


def test_large_selections_read_children_by_subquery(
    real_pg: str, real_sqlite: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past _IDS_IN_LIST matches the children are selected by a subquery (PostgreSQL takes at
    most 65,535 parameters); both ways give the same events."""
    cases = [Filters(since=date(2000, 1, 1)), Filters(search="china", kinds=("incident",))]
    for url in (real_pg, real_sqlite):
        with engine_on(url) as engine:
            by_list = [fetch_events(engine, f) for f in cases]
            with monkeypatch.context() as mp:
                mp.setattr(tracker.query, "_IDS_IN_LIST", 0)
                by_subquery = [fetch_events(engine, f) for f in cases]
        assert by_list == by_subquery and all(by_list)


def test_search_folds_case_beyond_ascii(pg_url: str, valid_yaml: Path, tmp_path: Path) -> None:
    """SQLite's own lower() folds ASCII only; PostgreSQL's and Python's fold everything."""
    valid_yaml.write_text(valid_yaml.read_text().replace("in Beijing", "at the Élysée"))
    lite_url = f"sqlite:///{tmp_path / 'lite.db'}"
    events = load_valid_dataset(valid_yaml).events
    for needle in ("élysée", "ÉLYSÉE", "Élysée"):
        f = Filters(search=needle)
        expected = [e.id for e in events if f.matches(e)]
        assert expected == ["2009-11-17-obama-hu-summit"]
        for url in (pg_url, lite_url):
            ensure_fresh(valid_yaml, url)
            with engine_on(url) as engine:
                assert [e.id for e in fetch_events(engine, f)] == expected, (url, needle)


# --- the command line ----------------------------------------------------------------------

COMMANDS = [
    ["list"],
    ["list", "--json", "--since", "2010", "--kind", "suspension", "--kind", "resumption"],
    ["list", "--search", "CHINA'S", "--channel", "mmca"],
    ["list", "--actor", "wei-fenghe", "--tag", "taiwan"],
    ["status", "--as-of", "2014-06-30"],
    ["status", "--json", "--as-of", "2024"],
    ["status"],
    ["periods"],
    ["periods", "--json", "--channel", "mmca"],
    ["show", "2010-01-30-prc-suspends-military-exchanges", "--json"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:3]))
def test_commands_print_what_they_print_with_sqlite(
    args: list[str], runner: CliRunner, real_pg: str, real_sqlite: str, real_yaml: Path
) -> None:
    data = ["--data", str(real_yaml)]
    with_pg = runner.invoke(app, [*args, *data, "--db", real_pg])
    with_sqlite = runner.invoke(app, [*args, *data])  # the default database
    assert with_sqlite.exit_code == 0, with_sqlite.output
    assert with_pg.exit_code == 0, with_pg.output
    assert with_pg.stdout == with_sqlite.stdout and with_pg.stdout.strip()
    assert with_pg.stderr == with_sqlite.stderr


def test_export_json_is_the_same_with_a_postgres_db(
    runner: CliRunner, real_pg: str, real_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exports read events.yaml itself (tracker/export/selection.py), whatever TRACKER_DB says."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    args = ["export", "json", "--data", str(real_yaml), "--since", "2015"]
    plain = runner.invoke(app, args)
    monkeypatch.setenv("TRACKER_DB", real_pg)
    with_pg = runner.invoke(app, args)
    assert plain.exit_code == with_pg.exit_code == 0, with_pg.output
    assert with_pg.stdout == plain.stdout and '"events"' in plain.stdout


# --- the password --------------------------------------------------------------------------


def _password(url: str) -> str:
    password = make_url(url).password
    if not password:
        pytest.skip("the test server's URL has no password to hide")
    return str(password)


def test_the_password_is_never_printed(
    runner: CliRunner, pg_url: str, valid_yaml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = _password(pg_url)
    data = ["--data", str(valid_yaml)]
    built = runner.invoke(app, ["build", *data, "--db", pg_url])
    assert built.exit_code == 0, built.output
    assert f"Built {display_url(pg_url)}" in built.stdout and ":***@" in built.stdout
    outputs = [built]
    for args in (["list"], ["status"], ["periods"], ["show", "2010-12-resumption"]):
        outputs.append(runner.invoke(app, [*args, *data, "--db", pg_url]))
    monkeypatch.setenv("TRACKER_DB", pg_url)  # the same through the environment
    outputs.append(runner.invoke(app, ["list", *data]))
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert password not in result.stdout + result.stderr


@pytest.mark.parametrize("broken", ["wrong password", "no such database", "no server"])
def test_connection_errors_are_one_line_without_the_password(
    broken: str, runner: CliRunner, databases: Databases, valid_yaml: Path
) -> None:
    url = make_url(PG_URL)
    if broken == "wrong password":
        url = url.set(password=f"s3cret-{secrets.token_hex(4)}")
    elif broken == "no such database":
        url = url.set(database=f"nothing_{secrets.token_hex(4)}")
    else:
        url = url.set(host="127.0.0.1", port=9)  # nothing listens on port 9
    secret = _password(url.render_as_string(hide_password=False))
    text_url = url.render_as_string(hide_password=False)
    for args in (["build"], ["list"], ["status"]):
        result = runner.invoke(app, [*args, "--data", str(valid_yaml), "--db", text_url])
        assert result.exit_code == 1, result.output
        assert result.stdout == ""
        assert secret not in result.stderr and "Traceback" not in result.stderr
        last = result.stderr.splitlines()[-1]
        assert last.startswith(f"error: database {display_url(text_url)}: "), result.stderr


# --- the switches themselves (no server needed) ----------------------------------------------


def _pytest_this_file(url: str | None, require: bool) -> subprocess.Popen[str]:
    """Starts pytest on one test of this file, with the given switches and nothing else."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    if url is not None:
        env["TRACKER_TEST_PG_URL"] = url
    if require:
        env["TRACKER_REQUIRE_PG"] = "1"
    args = ["-q", "-p", "no:cacheprovider", __file__, "-k", "test_build_reports_the_counts"]
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )  # fmt: skip


@pytest.mark.slow
def test_without_a_server_the_tests_skip_unless_required() -> None:
    secret = f"s3cret-{secrets.token_hex(4)}"
    nowhere = f"postgresql+psycopg://someone:{secret}@127.0.0.1:9/nothing"
    runs = [
        _pytest_this_file(nowhere, require=False),
        _pytest_this_file(nowhere, require=True),
        _pytest_this_file(None, require=True),
    ]
    (skipped, _), (failed, failed_err), (unset, _) = [r.communicate(timeout=120) for r in runs]
    assert runs[0].returncode == 0 and "1 skipped" in skipped, skipped
    assert runs[1].returncode == 1, failed
    assert "TRACKER_REQUIRE_PG=1 but no PostgreSQL server at" in failed
    assert secret not in failed + failed_err
    assert runs[2].returncode == 1 and "TRACKER_TEST_PG_URL is not set" in unset, unset
