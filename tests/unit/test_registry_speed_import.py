"""The Excel import and export at scale: a fixed number of statements however many rows, one
audit row per batch, rows stored exactly as the models would store them, and exports larger
than SQLite's limit on bound parameters."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from wqg_desktop.db.models import AuditLog, Unit, UnitHead, database
from wqg_desktop.services import registry, unit_export, unit_import

TODAY = dt.date(2026, 11, 26)
HEADERS = ["单位名称", "所属县(市、区)", "警种", "负责人", "联系电话", "是否上线", "上线时间"]


def book(path: Path, count: int, *, start: int = 0) -> Path:
    wb = Workbook()
    wb.active.append(HEADERS)
    for i in range(start, start + count):
        wb.active.append([f"海安市公安局第{i}警务区", "海安市", "治安", f"张{i}", f"139{i:08d}",
                          "是" if i % 2 else "否", "2015-05-04" if i % 2 else ""])
    wb.save(path)
    return path


@contextlib.contextmanager
def selects():
    seen: list[str] = []
    connection = database.connection()
    connection.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        connection.set_trace_callback(None)
    seen[:] = [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def run_import(path: Path, ctx) -> unit_import.ImportResult:
    with ctx.acting("测试"):
        return unit_import.import_units(unit_import.read_units(path), today=TODAY)


@pytest.mark.sqlite_only  # counts statements at the SQLite connection
def test_reading_the_register_does_not_grow_with_the_file(ctx, tmp_path: Path) -> None:
    run_import(book(tmp_path / "首.xlsx", 1, start=900), ctx)  # creates the guessed bureau
    small, big = book(tmp_path / "小.xlsx", 3), book(tmp_path / "大.xlsx", 60, start=100)
    with selects() as few:
        run_import(small, ctx)
    with selects() as many:
        run_import(big, ctx)
    assert Unit.select().count() == 64
    assert len(many) == len(few)  # no query per row, however long the file


def test_one_audit_row_for_the_new_units(ctx, tmp_path: Path) -> None:
    before = AuditLog.select().count()
    result = run_import(book(tmp_path / "单位.xlsx", 40), ctx)
    assert result.counts["new"] == 40
    added = list(AuditLog.select().where(AuditLog.id > before, AuditLog.entity == "Unit"))
    assert [a.action for a in added] == ["导入"]


def test_batch_rows_are_stored_as_the_models_store_them(ctx, tmp_path: Path) -> None:
    run_import(book(tmp_path / "单位.xlsx", 2), ctx)
    online = Unit.get(Unit.name == "海安市公安局第1警务区")
    offline = Unit.get(Unit.name == "海安市公安局第0警务区")
    assert online.online is True and online.online_since == dt.date(2015, 5, 4)
    assert offline.online is False and offline.online_since is None
    # defaults the row leaves out, as insert_many would give them
    assert (online.status, online.works_with_youth, online.code) == ("active", True, "")
    assert isinstance(online.created_at, dt.datetime) and online.row_version == 1
    assert online.pinyin == registry.name_pinyin(online.name)
    assert online.name_key == "海安市公安局第1警务区" and online.owner_office_id is not None
    head = UnitHead.get(UnitHead.unit == online)
    assert (head.name, head.phone, head.until) == ("张1", "13900000001", None)


def test_same_file_twice_changes_nothing(ctx, tmp_path: Path) -> None:
    path = book(tmp_path / "单位.xlsx", 30)
    run_import(path, ctx)
    units, audits = Unit.select().count(), AuditLog.select().count()
    assert run_import(path, ctx).counts == {"new": 0, "update": 0, "unchanged": 30, "bad": 0}
    assert (Unit.select().count(), AuditLog.select().count()) == (units, audits)


def test_export_beyond_the_bound_parameter_limit(ctx, tmp_path: Path) -> None:
    run_import(book(tmp_path / "单位.xlsx", 1000), ctx)
    ids = registry.search_ids(registry.UnitFilter())
    out = tmp_path / "导出.xlsx"
    assert unit_export.export_units(out, unit_ids=ids) == 1000
    rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    listed = registry.list_units()
    assert [r[0] for r in rows[1:]] == [u.name for u in listed]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["海安市公安局第1警务区"][10:12] == ("是", "2015-05-04")
    assert by_name["海安市公安局第0警务区"][10:12] == ("否", None)
