"""Restoring from a backup file the officer picks (e.g. on a USB stick): what it holds is shown
first, and a file that is not a sound backup of this program is refused with nothing changed."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from test_pkg_support import add_units, bind, copy_db

from wqg_desktop.db import migrations
from wqg_desktop.db.models import Unit
from wqg_desktop.errors import InputRefused
from wqg_desktop.exchange import backups

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


def _text_file(folder: Path) -> Path:
    path = folder / "说明.sqlite3"
    path.write_text("这是一份说明，不是备份。\n" * 50, encoding="utf-8")
    return path


def _empty_file(folder: Path) -> Path:
    path = folder / "空.sqlite3"
    path.write_bytes(b"")
    return path


def _truncated(folder: Path) -> Path:
    good = backups.manual_backup(folder / "完整.sqlite3")
    path = folder / "截断.sqlite3"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _other_program(folder: Path) -> Path:
    path = folder / "其他程序.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('hello')")
    con.commit()
    con.close()
    return path


def _other_program_with_migrations(folder: Path) -> Path:
    """A Rails-like database: it has a ``schema_migrations`` table too, of another shape."""
    path = folder / "rails.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE schema_migrations (version VARCHAR PRIMARY KEY)")
    con.execute("INSERT INTO schema_migrations VALUES ('20240101120000')")
    con.execute("CREATE TABLE unit (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    return path


def _newer(folder: Path) -> Path:
    path = backups.manual_backup(folder / "新版本.sqlite3")
    con = sqlite3.connect(path)
    con.execute('INSERT INTO "schema_migrations" VALUES (?, ?, ?)',
                (migrations.LATEST_VERSION + 1, "以后的数据结构", "2030-01-01T00:00:00"))
    con.commit()
    con.close()
    return path


BAD_FILES = {
    "text": (_text_file, "不是数据库文件"),
    "empty": (_empty_file, "空文件"),
    "truncated": (_truncated, "已损坏或不完整"),
    "other_program": (_other_program, "不是维权岗程序的数据库备份"),
    "other_program_migrations": (_other_program_with_migrations, "不是维权岗程序的数据库备份"),
    "newer": (_newer, "更新版本的程序"),
}


@pytest.mark.sqlite_only
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_wrong_file_is_refused_and_nothing_changes(ctx, tmp_path, kind) -> None:
    make, message = BAD_FILES[kind]
    add_units(2)
    bad = make(tmp_path)
    before = sorted(p.name for p in (ctx.db_path.parent / "backups").glob("*"))
    for attempt in (backups.inspect_backup, lambda f: backups.restore(ctx.db_path, f)):
        with pytest.raises(InputRefused, match=message) as refused:
            attempt(bad)
        assert bad.name in refused.value.message
        said = refused.value.message.replace(bad.name, "").replace(".sqlite3", "").replace("U 盘", "")
        assert not any(c.isascii() and c.isalpha() for c in said), said  # Chinese, no SQLite text
    assert Unit.select().count() == 2
    assert sorted(p.name for p in (ctx.db_path.parent / "backups").glob("*")) == before  # no 恢复前


@pytest.mark.sqlite_only
def test_the_live_database_is_not_a_backup_of_itself(ctx) -> None:
    with pytest.raises(InputRefused, match="正在使用的数据库文件"):
        backups.inspect_backup(ctx.db_path)


@pytest.mark.sqlite_only
def test_inspect_says_what_a_backup_holds_and_whose_it_is(pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["b"], tmp_path / "b.sqlite3")
    with bind(county):
        add_units(1)
        theirs = backups.manual_backup(tmp_path / "usb" / "如东.sqlite3")
    db = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(db) as ctx:
        add_units(3)
        ours = backups.manual_backup(tmp_path / "usb" / "海安.sqlite3")
        shutil.copy(ours, tmp_path / "usb" / "海安副本.sqlite3")  # copied: the file time changes
        info = backups.inspect_backup(tmp_path / "usb" / "海安副本.sqlite3")
        assert (info.office_name, info.same_office, info.units, info.titles) == ("海安市公安局", True, 3, 0)
        assert info.records > 3 and info.version == migrations.LATEST_VERSION
        assert info.last_change is not None
        other = backups.inspect_backup(theirs)
        assert (other.office_name, other.same_office, other.units) == ("如东县公安局", False, 1)
        # restoring checks the same way and takes the file: this office's data is replaced
        _, before = backups.restore(ctx.db_path, ours)
        assert Unit.select().count() == 3 and before.exists()
