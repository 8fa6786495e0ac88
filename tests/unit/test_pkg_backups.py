"""Backups (automatic, thinned, manual, restore and its undo) and the office identity file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_pkg_support import (
    TODAY,
    add_units,
    bind,
    copy_db,
    logical_dump,
    new_office,
)

from wqg_desktop.db.models import Unit
from wqg_desktop.errors import InputRefused
from wqg_desktop.exchange import backups, keys, package

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


def _touch(folder: Path, stem: str, when: dt.datetime, label: str = "自动") -> Path:
    path = folder / f"{stem}_{when:%Y%m%d-%H%M%S}_{label}.sqlite3"
    path.write_bytes(b"")
    return path


def test_thinning_keeps_12_daily_10_weekly_9_monthly(tmp_path) -> None:
    db = tmp_path / "wqg.sqlite3"
    folder = tmp_path / "backups"
    folder.mkdir()
    start = dt.datetime(2026, 11, 26, 18, 0)
    for day in range(400):  # two backups a day for 400 days
        for hour in (9, 18):
            _touch(folder, "wqg", start.replace(hour=hour) - dt.timedelta(days=day))
    manual = _touch(folder, "wqg", start - dt.timedelta(days=500), label="升级前v1")
    backups.thin(db)
    kept = backups.list_backups(db, counts=False)
    autos = [b.taken_at for b in kept if b.label == "自动"]
    assert manual.exists()  # only the thinned labels are thinned
    assert len({d.date() for d in autos}) == len(autos)  # one per day at most
    assert all(d.hour == 18 for d in autos)  # the newest of each day
    months = {(d.year, d.month) for d in autos}
    assert len(months) == 9
    assert 12 + 9 <= len(autos) <= 12 + 10 + 9


def test_auto_backup_only_when_changed_and_due(ctx, tmp_path) -> None:
    t0 = dt.datetime.now()  # backup file names carry the wall-clock time
    first = backups.auto_backup(ctx.db_path, now=t0)
    assert first is not None and first.exists()
    assert backups.auto_backup(ctx.db_path, now=t0 + dt.timedelta(days=1)) is None  # nothing changed
    add_units(1)
    assert backups.auto_backup(ctx.db_path, now=t0 + dt.timedelta(minutes=5)) is None  # too soon
    assert backups.auto_backup(ctx.db_path, now=dt.datetime.now() + dt.timedelta(days=1)) is not None


def test_restore_is_reversible_and_never_reuses_a_sequence(pkg_templates, tmp_path) -> None:
    db = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(db) as ctx:
        saved = backups.manual_backup(tmp_path / "saved.sqlite3")
        add_units(2)
        package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY)
        used = keys.identity().sequence
        with_units = logical_dump(db)
        _, before = backups.restore(ctx.db_path, saved)
        assert Unit.select().count() == 0
        assert keys.identity().sequence >= used + keys.SEQUENCE_SAFETY_GAP
        listed = backups.list_backups(ctx.db_path)
        assert listed[0].path == before and listed[0].units == 2 and listed[0].sound
        backups.restore(ctx.db_path, before)  # undo the restore
        assert Unit.select().count() == 2
        assert keys.next_sequence() > used + keys.SEQUENCE_SAFETY_GAP
    assert logical_dump(db) == with_units


def test_restore_refuses_a_file_that_is_not_a_backup(ctx, tmp_path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(InputRefused):
        backups.restore(ctx.db_path, bad)
    assert not list((ctx.db_path.parent / "backups").glob(f"{ctx.db_path.stem}_*恢复前*"))


def test_identity_moves_to_a_new_pc_with_a_password(pkg_templates, tmp_path) -> None:
    old = copy_db(pkg_templates["a"], tmp_path / "old.sqlite3")
    with bind(old):
        keys.next_sequence()
        fp = keys.export_identity(tmp_path / "id.wqgid", "一个好密码123")
        seq = keys.identity().sequence
        with pytest.raises(InputRefused):
            keys.export_identity(tmp_path / "short.wqgid", "123")
    assert b"sign_private" not in (tmp_path / "id.wqgid").read_bytes()
    new = new_office(tmp_path / "new.sqlite3", "县", "海安市公安局", "海安市", "320685")
    with bind(new):
        with pytest.raises(InputRefused, match="密码不对"):
            keys.import_identity(tmp_path / "id.wqgid", "错误的密码")
        ident = keys.import_identity(tmp_path / "id.wqgid", "一个好密码123")
        assert ident.fingerprint == fp
        assert keys.next_sequence() > seq + keys.SEQUENCE_SAFETY_GAP
    other = new_office(tmp_path / "other.sqlite3", "县", "如东县公安局", "如东县", "320623")
    with bind(other), pytest.raises(InputRefused, match="不是本办公室"):
        keys.import_identity(tmp_path / "id.wqgid", "一个好密码123")
