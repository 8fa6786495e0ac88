"""历年称号 from Excel: Title + naming bodies + plaque + a 'recorded' event, idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from wqg_desktop.cli.main import main
from wqg_desktop.db.models import Plaque, Title, TitleEvent, TitleNamingBody, Unit
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import title_import, unit_import

HEADERS = ["单位名称", "层级", "年度", "命名单位", "命名日期", "证书编号", "示范单位", "牌匾状态"]


def _book(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _units(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "单位.xlsx", [["单位名称"], ["海安市公安局城南派出所"],
                                          ["海安市公安局城东派出所"]])
    with ctx.acting("测试"):
        unit_import.import_units(unit_import.read_units(path))


def test_titles_import_once_and_twice(ctx, tmp_path: Path) -> None:
    _units(ctx, tmp_path)
    path = _book(tmp_path / "称号.xlsx", [
        HEADERS,
        ["海安县公安局城南派出所", "县", "2009-2010", "共青团海安县委、海安县公安局", "2010-05-04",
         "安维权〔2010〕第001号", "否", "已授牌"],
        ["海安市公安局城东派出所", "县级", "2011—2012年度", "共青团海安县委", "2012年8月8日", "", "是", ""],
    ])
    with ctx.acting("测试"):
        result = title_import.import_titles(title_import.read_titles(path))
    assert result.counts == {"new": 2, "update": 0, "unchanged": 0, "bad": 0}
    south = Title.get(Title.certificate_no == "安维权〔2010〕第001号")
    assert (south.unit.name, south.term_start, south.level, south.kind) == (
        "海安市公安局城南派出所", 2009, 1, "post")
    assert [b.naming_body.name for b in TitleNamingBody.select().where(
        TitleNamingBody.title == south).order_by(TitleNamingBody.sort_order)] == [
        "共青团海安县委", "海安县公安局"]
    assert Plaque.get(Plaque.title == south).state == "issued"
    assert TitleEvent.get(TitleEvent.title == south).kind == "recorded"
    east = Title.get(Title.unit == Unit.get(Unit.name == "海安市公安局城东派出所"))
    assert east.kind == "demonstration"
    counts = (Title.select().count(), TitleEvent.select().count(), Plaque.select().count())
    with ctx.acting("测试"):
        again = title_import.import_titles(title_import.read_titles(path))
    assert again.counts["unchanged"] == 2
    assert (Title.select().count(), TitleEvent.select().count(), Plaque.select().count()) == counts


def test_title_rows_with_problems_refuse_the_file(ctx, tmp_path: Path) -> None:
    _units(ctx, tmp_path)
    path = _book(tmp_path / "坏称号.xlsx", [
        HEADERS,
        ["海安市公安局不存在派出所", "县", "2011", "共青团海安县委", "2012-08-08", "", "", ""],
        ["海安市公安局城南派出所", "乡", "2011", "共青团海安县委", "2012-08-08", "", "", ""],
        ["海安市公安局城南派出所", "县", "2011", "共青团海安县委", "2012-08-08", "", "", "挂着"],
        ["海安市公安局城南派出所", "县", "2011", "", "2012-08-08", "", "", ""],
        ["海安市公安局城东派出所", "县", "2011", "共青团海安县委", "2009-08-08", "", "", ""],
    ])
    plan = title_import.plan_titles(title_import.read_titles(path))
    errors = {r.row: " ".join(r.errors) for r in plan.rows}
    assert "名册中没有这个单位" in errors[2]
    assert "无法识别层级" in errors[3]
    assert "牌匾状态“挂着”无法识别" in errors[4]
    assert "请填写命名单位" in errors[5]
    assert "命名日期 2009-08-08 不合理" in errors[6]
    with ctx.acting("测试"), pytest.raises(InputRefused):
        title_import.import_titles(title_import.read_titles(path))
    assert Title.select().count() == 0


def test_titles_cli(ctx, tmp_path: Path, capsys) -> None:
    _units(ctx, tmp_path)
    db = ctx.location
    ctx.close()
    path = _book(tmp_path / "t.xlsx", [HEADERS, ["海安市公安局城南派出所", "县", "2011",
                                                 "共青团海安县委", "2012-08-08", "", "", ""]])
    assert main(["titles", "import", str(path), "--db", db, "--json", "--today", "2026-11-26"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["data"]["counts"]["new"] == 1
