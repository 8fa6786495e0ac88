"""Fixtures for every test: an isolated data folder, and a fresh office database per test.

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
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from wqg_desktop.app import AppContext  # noqa: E402
from wqg_desktop.db.models import database  # noqa: E402
from wqg_desktop.services.office import setup_office  # noqa: E402

#: "Today" of the ``ctx`` and ``empty_ctx`` fixtures, so date rules give the same answer every day.
TODAY = dt.date(2026, 11, 26)

#: The office of the ``ctx`` fixture.
OFFICE_NAME = "海安市公安局"
OFFICE_REGION = "海安市"
OFFICE_REGION_CODE = "320685"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_DATA_DIR, ignore_errors=True)


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
    AppContext.open(path).close()
    return path


@pytest.fixture(scope="session")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database set up as the county office 海安市公安局; built once."""
    path = tmp_path_factory.mktemp("template-office") / "office.sqlite3"
    with AppContext.open(path, clock=lambda: TODAY) as ctx, ctx.acting("初始化"):
        setup_office(level="县", name=OFFICE_NAME, region_name=OFFICE_REGION,
                     region_code=OFFICE_REGION_CODE, officer="测试民警")
    return path


def _open_copy(template: Path, db_path: Path) -> AppContext:
    # The template was closed cleanly, so its WAL is checkpointed into the main file and
    # copying that one file is a complete database.
    shutil.copy(template, db_path)
    return AppContext.open(db_path, clock=lambda: TODAY)


@pytest.fixture
def ctx(office_template: Path, db_path: Path) -> Iterator[AppContext]:
    """A fresh, migrated county-office database (海安市公安局) bound to the models."""
    context = _open_copy(office_template, db_path)
    yield context
    context.close()


@pytest.fixture
def empty_ctx(empty_template: Path, db_path: Path) -> Iterator[AppContext]:
    """A fresh, migrated database before first-start office setup."""
    context = _open_copy(empty_template, db_path)
    yield context
    context.close()


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
    from wqg_desktop.services.demo import build_demo

    path = tmp_path_factory.mktemp("template-demo") / "demo.sqlite3"
    with AppContext.open(path, clock=lambda: TODAY):
        build_demo(today=TODAY)
    return path


@pytest.fixture
def demo_ctx(demo_template: Path, db_path: Path) -> Iterator[AppContext]:
    """A fresh copy of the demo database per test, "today" being :data:`TODAY`."""
    ctx = _open_copy(demo_template, db_path)
    yield ctx
    ctx.close()
