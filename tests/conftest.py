"""Fixtures for every test: an isolated data folder, and a fresh office database per test.

``ctx``, ``empty_ctx`` and ``demo_ctx`` run each test against a SQLite file and, when a
PostgreSQL server is at hand (``WQG_TEST_POSTGRES=postgresql://…`` of a role that may create
databases and roles; ``.ci/start-postgres`` starts one), against a fresh database on it too.
``WQG_TEST_REQUIRE_POSTGRES=1`` (set by CI) makes a missing server an error, not a skip.
Tests that are about SQLite itself (files, locks, pages) carry ``@pytest.mark.sqlite_only``;
the user-interface tests run on SQLite only.

The environment is set before anything imports Qt or ``wqg_desktop.paths``: Qt reads
``QT_QPA_PLATFORM`` once, when the first ``QGuiApplication`` starts, and a test must never
touch the real per-user data folder of the person running it.
"""

from __future__ import annotations

import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Rendering must not depend on the fonts of the machine running the tests.
os.environ["WQG_FONTS_ONLY_BUNDLED"] = "1"
_DATA_DIR = tempfile.mkdtemp(prefix="wqg-test-data-")
os.environ["WQG_DATA_DIR"] = _DATA_DIR

import datetime as dt  # noqa: E402
import itertools  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from wqg_desktop.app import AppContext  # noqa: E402
from wqg_desktop.db.location import ServerAddress  # noqa: E402
from wqg_desktop.db.models import database  # noqa: E402
from wqg_desktop.services.office import setup_office  # noqa: E402

#: "Today" of the ``ctx`` and ``empty_ctx`` fixtures, so date rules give the same answer every day.
TODAY = dt.date(2026, 11, 26)

#: The office of the ``ctx`` fixture.
OFFICE_NAME = "海安市公安局"
OFFICE_REGION = "海安市"
OFFICE_REGION_CODE = "320685"


PG_URL = os.environ.get("WQG_TEST_POSTGRES", "")
REQUIRE_PG = os.environ.get("WQG_TEST_REQUIRE_POSTGRES") == "1"
#: database names of this run: tests of two runs on one server never meet
_PG_PREFIX = f"wqgt{os.getpid()}"
_pg_counter = itertools.count(1)
_pg_created: list[str] = []
if PG_URL:
    # the address a test hands to the command line is shown without the password; libpq
    # takes it from here, as an officer's PC takes it from the password prompt
    _pw = ServerAddress.parse(PG_URL).password
    if _pw:
        os.environ.setdefault("PGPASSWORD", _pw)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_DATA_DIR, ignore_errors=True)
    if PG_URL and _pg_created:
        with _pg_admin() as conn:
            for name in _pg_created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """SQLite-only tests and the user interface run on SQLite only (no PostgreSQL variant)."""
    keep, drop = [], []
    for item in items:
        spec = getattr(item, "callspec", None)
        on_pg = spec is not None and spec.params.get("backend") == "postgresql"
        if on_pg and (item.get_closest_marker("sqlite_only") or "tests/ui/" in item.nodeid):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _pg_admin():  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(PG_URL, autocommit=True)


def pg_database_url(name: str) -> str:
    """The test server's address with another database name."""
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def new_pg_database(template: str | None = None) -> str:
    """A new, empty (or copied from ``template``) database on the test server; its URL."""
    name = f"{_PG_PREFIX}_{next(_pg_counter)}"
    with _pg_admin() as conn:
        extra = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{extra}')
    _pg_created.append(name)
    return pg_database_url(name)


def drop_pg_database(url: str) -> None:
    name = ServerAddress.parse(url).dbname
    with _pg_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_created.remove(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The engine a test's database runs on."""
    if request.param == "postgresql" and not PG_URL:
        message = "没有 PostgreSQL 测试服务器（设置 WQG_TEST_POSTGRES，或运行 .ci/start-postgres）"
        if REQUIRE_PG:
            pytest.fail(message)
        pytest.skip(message)
    return request.param


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's own database goes (nothing is there yet)."""
    return tmp_path / "wqg.sqlite3"


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated to the latest schema, without office setup; built once."""
    path = tmp_path_factory.mktemp("template-empty") / "empty.sqlite3"
    _build_empty(path)
    return path


@pytest.fixture(scope="session")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database set up as the county office 海安市公安局; built once."""
    path = tmp_path_factory.mktemp("template-office") / "office.sqlite3"
    _build_office(path)
    return path


def _open_copy(template: Path, db_path: Path) -> AppContext:
    # The template was closed cleanly, so its WAL is checkpointed into the main file and
    # copying that one file is a complete database.
    shutil.copy(template, db_path)
    return AppContext.open(db_path, clock=lambda: TODAY)


_pg_templates: dict[str, str] = {}


def _pg_template(kind: str, build: Callable[[str], None]) -> str:
    """Name of a server database built once per run by ``build(url)`` (then closed, so that it
    can serve as a template)."""
    if kind not in _pg_templates:
        url = new_pg_database()
        build(url)
        database.initialize(None)
        _pg_templates[kind] = ServerAddress.parse(url).dbname
    return _pg_templates[kind]


def _build_empty(target: Path | str) -> None:
    AppContext.open(target).close()


def _build_office(target: Path | str) -> None:
    with AppContext.open(target, clock=lambda: TODAY) as ctx, ctx.acting("初始化"):
        setup_office(level="县", name=OFFICE_NAME, region_name=OFFICE_REGION,
                     region_code=OFFICE_REGION_CODE, officer="测试民警")


def _build_demo(target: Path | str) -> None:
    from wqg_desktop.services.demo import build_demo

    with AppContext.open(target, clock=lambda: TODAY):
        build_demo(today=TODAY)


def _context(backend: str, template: Path, kind: str, build: Callable[[str], None],
             db_path: Path) -> Iterator[AppContext]:
    if backend == "sqlite":
        context = _open_copy(template, db_path)
        yield context
        context.close()
        return
    url = new_pg_database(_pg_template(kind, build))
    context = AppContext.open(url, clock=lambda: TODAY)
    try:
        yield context
    finally:
        context.close()
        drop_pg_database(url)


@pytest.fixture
def ctx(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[AppContext]:
    """A fresh, migrated county-office database (海安市公安局) bound to the models."""
    template = request.getfixturevalue("office_template") if backend == "sqlite" else Path()
    yield from _context(backend, template, "office", _build_office, db_path)


@pytest.fixture
def empty_ctx(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[AppContext]:
    """A fresh, migrated database before first-start office setup."""
    template = request.getfixturevalue("empty_template") if backend == "sqlite" else Path()
    yield from _context(backend, template, "empty", _build_empty, db_path)


@pytest.fixture(autouse=True)
def _unbind_database_after_test() -> Iterator[None]:
    """After each test, close whatever the model proxy points at and unbind it.

    Peewee reconnects a closed database on the next query, so a test that forgot to open its
    own context would otherwise quietly read the previous test's file; unbound, it fails with
    "Cannot use uninitialized Proxy".
    """
    yield
    bound = database.obj
    if bound is not None and not bound.is_closed():
        bound.close()
    database.initialize(None)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database (南通市公安局) as of :data:`TODAY`; built once per session."""
    path = tmp_path_factory.mktemp("template-demo") / "demo.sqlite3"
    _build_demo(path)
    return path


@pytest.fixture
def demo_ctx(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[AppContext]:
    """A fresh copy of the demo database per test, "today" being :data:`TODAY`."""
    template = request.getfixturevalue("demo_template") if backend == "sqlite" else Path()
    yield from _context(backend, template, "demo", _build_demo, db_path)


@pytest.fixture
def server_url() -> Iterator[str]:
    """The address of a new, empty database on the PostgreSQL test server (password in it)."""
    if not PG_URL:
        message = "没有 PostgreSQL 测试服务器（设置 WQG_TEST_POSTGRES，或运行 .ci/start-postgres）"
        if REQUIRE_PG:
            pytest.fail(message)
        pytest.skip(message)
    url = new_pg_database()
    yield url
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()
    drop_pg_database(url)


@pytest.fixture
def pg_admin():  # type: ignore[no-untyped-def]
    """A psycopg connection to the test server as its superuser (autocommit)."""
    if not PG_URL:
        pytest.skip("没有 PostgreSQL 测试服务器")
    conn = _pg_admin()
    yield conn
    conn.close()
