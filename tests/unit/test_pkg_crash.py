"""``kill -9`` at random moments of an import, a backup and a restore: afterwards the database
passes quick_check and holds exactly the state before or the state after."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_pkg_support import (
    TODAY,
    add_units,
    bind,
    copy_db,
    logical_dump,
)

from wqg_desktop.exchange import merge, package

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

_SCRIPT = """
import sys
from pathlib import Path
from wqg_desktop.app import AppContext
from wqg_desktop.exchange import backups, merge
action, db, arg = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
with AppContext.open(db) as ctx, ctx.acting("测试"):
    print("ready", flush=True)
    if action == "import":
        merge.import_package(arg, trust_new_key=True, db_path=ctx.db_path)
    elif action == "backup":
        backups.manual_backup(arg)
    else:
        backups.restore(ctx.db_path, arg)
print("done", flush=True)
"""

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


def _sound(path: Path) -> bool:
    con = sqlite3.connect(path)  # read-write: replays or discards the WAL as SQLite does
    try:
        return con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        con.close()


def _run_and_kill(action: str, db: Path, arg: Path, delay: float, env: dict) -> bool:
    """Start the action, kill it ``delay`` s after it is ready; True if it finished first."""
    proc = subprocess.Popen([sys.executable, "-c", _SCRIPT, action, str(db), str(arg)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    time.sleep(delay)
    finished = proc.poll() is not None
    if not finished:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return finished


@pytest.fixture(scope="module")
def big_package(pkg_templates, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("crash")
    county = copy_db(pkg_templates["a"], tmp / "a.sqlite3")
    with bind(county):
        add_units(150)
        pkg = package.export_package(out=tmp / "big.wqgpkg", today=TODAY).path
    after = copy_db(pkg_templates["city"], tmp / "after.sqlite3")
    with bind(after) as ctx:
        merge.import_package(pkg, trust_new_key=True, db_path=ctx.db_path)
    return {"pkg": pkg, "before": logical_dump(pkg_templates["city"]), "after": logical_dump(after),
            "after_db": after}


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env["WQG_DATA_DIR"] = str(tmp / "data")
    return env


def test_kill_during_import_leaves_before_or_after(big_package, pkg_templates, tmp_path) -> None:
    rng = random.Random(8)
    seen = set()
    for i in range(3):
        city = copy_db(pkg_templates["city"], tmp_path / f"c{i}" / "city.sqlite3")
        _run_and_kill("import", city, big_package["pkg"], rng.uniform(0.0, 0.6), _env(tmp_path))
        assert _sound(city)
        state = logical_dump(city)
        assert state in (big_package["before"], big_package["after"])
        seen.add("after" if state == big_package["after"] else "before")
    assert seen  # at least one run checked


def test_kill_during_backup_and_restore(big_package, pkg_templates, tmp_path) -> None:
    rng = random.Random(9)
    source = big_package["after_db"]
    for i in range(2):
        target = tmp_path / f"b{i}" / "backup.sqlite3"
        target.parent.mkdir()
        live = copy_db(source, tmp_path / f"b{i}" / "live.sqlite3")
        _run_and_kill("backup", live, target, rng.uniform(0.0, 0.3), _env(tmp_path))
        assert _sound(live) and logical_dump(live) == big_package["after"]
        assert not target.exists() or (_sound(target) and logical_dump(target) == big_package["after"])
    for i in range(2):
        live = copy_db(pkg_templates["city"], tmp_path / f"r{i}" / "live.sqlite3")
        _run_and_kill("restore", live, source, rng.uniform(0.0, 0.5), _env(tmp_path))
        assert _sound(live)
        assert logical_dump(live) in (big_package["before"], big_package["after"])
