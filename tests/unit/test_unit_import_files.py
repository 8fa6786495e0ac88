"""Malformed and hostile spreadsheets are refused in Chinese and change nothing."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from wqg_desktop.db.models import AuditLog, Unit
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import sheet_reader, unit_import


def _book(path: Path, rows: list[list[object]], *, merge: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def _nothing_changed(before_units: int, before_audit: int) -> None:
    assert Unit.select().count() == before_units
    assert AuditLog.select().count() == before_audit


def _refused(ctx, path: Path, pattern: str) -> None:
    units, audits = Unit.select().count(), AuditLog.select().count()
    with pytest.raises(InputRefused, match=pattern), ctx.acting("测试"):
        unit_import.import_units(unit_import.read_units(path), skip_bad=True)
    _nothing_changed(units, audits)


def test_text_file_named_xlsx_is_refused(ctx, tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_text("单位名称\n海安市公安局城南派出所\n", encoding="utf-8")
    _refused(ctx, path, "不是 Excel 工作簿")


def test_old_xls_and_wps_are_refused_with_how_to_save(ctx, tmp_path: Path) -> None:
    for name in ("名单.xls", "名单.et"):
        path = tmp_path / name
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
        _refused(ctx, path, "另存为")


def test_empty_sheet_is_refused(ctx, tmp_path: Path) -> None:
    _refused(ctx, _book(tmp_path / "空.xlsx", []), "工作表是空的")


def test_no_header_row_is_refused(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "无表头.xlsx", [["海安市公安局城南派出所", "治安"],
                                           ["海安市公安局城东派出所", "治安"]])
    _refused(ctx, path, "没有找到表头.*单位名称")


def test_header_under_a_merged_title_row_is_found(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "合并.xlsx", [
        ["海安市基层单位名册", None, None],
        ["单位基本情况", None, "负责人情况"],
        ["单位名称", "警种", "负责人"],
        ["海安市公安局城南派出所", "治安", "陈某"],
    ], merge="A1:C1")
    sheet = unit_import.read_units(path)
    assert sheet.header_row == 3
    plan = unit_import.plan_units(sheet)
    assert [(r.name, r.action, r.values["head_name"]) for r in plan.rows] == [
        ("海安市公安局城南派出所", "new", "陈某")]


def test_merged_header_cells_still_map_the_named_column(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "合并表头.xlsx", [["单位名称", None, "警种"],
                                             ["海安市公安局城南派出所", None, "治安"]],
                 merge="A1:B1")
    sheet = unit_import.read_units(path)
    assert sheet.field_columns() == {"name": 0, "police_type": 2}


def _set_cached_value(path: Path, value: str) -> None:
    """openpyxl writes formulas without a result; give the first one the result Excel would save."""
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace("<v></v>", f"<v>{value}</v>", 1).replace("<v />", f"<v>{value}</v>", 1)
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)


def test_formula_without_saved_result_is_a_bad_row(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "公式.xlsx", [["单位名称", "联系电话"],
                                           ["海安市公安局城南派出所", "=A1&A1"],
                                           ["海安市公安局城东派出所", "13900000001"]])
    plan = unit_import.preview_file(path)
    bad = {r.row: r.errors for r in plan.rows if r.bad}
    assert list(bad) == [2] and "公式" in bad[2][0]
    with ctx.acting("测试"), pytest.raises(InputRefused, match="第 2 行"):
        unit_import.import_units(unit_import.read_units(path))
    assert Unit.select().count() == 0


def test_formula_with_saved_result_reads_the_result(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "公式值.xlsx", [["单位名称", "联系电话"],
                                             ["海安市公安局城南派出所", "=\"1390000\"&\"0002\""]])
    _set_cached_value(path, "13900000002")
    plan = unit_import.preview_file(path)
    assert [(r.action, r.values.get("head_phone")) for r in plan.rows] == [("new", "13900000002")]


def test_absurd_row_count_is_refused(ctx, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sheet_reader, "MAX_ROWS", 5)
    rows = [["单位名称"]] + [[f"海安市公安局第{i}派出所"] for i in range(8)]
    _refused(ctx, _book(tmp_path / "太多.xlsx", rows), "超过 5 行")


def test_row_number_far_down_counts_against_the_limit(ctx, tmp_path: Path, monkeypatch) -> None:
    """A sheet whose only data row claims to be row 900: the gap is read as rows too."""
    monkeypatch.setattr(sheet_reader, "MAX_ROWS", 50)
    book = Workbook()
    book.active["A1"] = "单位名称"
    book.active["A900"] = "海安市公安局城南派出所"
    book.save(tmp_path / "远.xlsx")
    _refused(ctx, tmp_path / "远.xlsx", "超过 50 行")


def _with_entity(path: Path, part: str) -> None:
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    xml = parts[part].decode()
    xml = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or "")
                 + '<!DOCTYPE x [<!ENTITY big "海安市公安局城南派出所">]>', xml, count=1)
    xml = xml.replace("海安市公安局城南派出所", "&big;").replace(
        "&#28023;&#23433;&#24066;&#20844;&#23433;&#23616;&#22478;&#21335;&#27966;&#20986;&#25152;",
        "&big;")
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_xml_entity_trick_is_refused_and_nothing_imported(ctx, tmp_path: Path, part: str) -> None:
    path = _book(tmp_path / "实体.xlsx", [["单位名称"], ["海安市公安局城南派出所"]])
    _with_entity(path, part)
    assert b"<!ENTITY" in zipfile.ZipFile(path).read(part)
    _refused(ctx, path, "无法读取")


def test_mapping_that_uses_one_field_twice_is_refused(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "映射.xlsx", [["单位名称", "警种"], ["海安市公安局城南派出所", "治安"]])
    with pytest.raises(InputRefused, match="都对应“单位名称”"):
        unit_import.read_units(path, mapping={0: "name", 1: "name"})
    with pytest.raises(InputRefused, match="没有对应“单位名称”的列"):
        unit_import.read_units(path, mapping={0: None, 1: "police_type"})
