"""Row by row: guesses, duplicates, look-alikes, idempotence, the notice's lists, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from wqg_desktop.cli.main import main
from wqg_desktop.db.models import AuditLog, Region, Unit, UnitHead
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import unit_export, unit_import
from wqg_desktop.services.office import setup_office

ATTACHMENT_2 = """1、如东县公安局掘港派出所第一警务区
2、南通市公安局崇川分局学田派出所
3、南通市公安局港闸分局永兴派出所
4、南通市公安局交通巡逻警察支队一大队
5、南通市公安局开发区分局刑警大队
6、南通市公安局禁毒处(支队)
7、海安县公安局指挥中心信息网络安全监察科
8、南通市拘留所""".splitlines()

ATTACHMENT_3 = """1、海安县公安局城北中心派出所
2、海安县公安局白甸派出所
3、如皋市公安局刑警大队如城责任区刑侦中队
4、如皋市公安局交巡警大队城东交巡警中队
5、通州区公安局经文保大队
6、海门市公安局三阳派出所
7、海门市公安局三和派出所
8、海门市公安局执法监督大队
9、启东市公安局交巡警大队城区一中队
10、启东市公安局刑警大队汇龙中队
11、南通市公安局崇川分局和平桥派出所
12、南通市公安局港闸分局唐闸派出所
13、南通市公安局刑警支队一大队
14、南通市公安局交巡警支队二大队
15、南通市公安局交巡警支队三大队
16、南通市公安局交巡警支队四大队
17、南通市公安局交巡警支队五大队
18、南通市公安局交巡警支队九大队
19、南通市公安局水警支队长江治安管理大队一中队
20、南通市公安消防支队特勤中队
21、南通市公安消防支队港闸大队唐闸中队""".splitlines()


def _book(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _pasted_lists(path: Path) -> Path:
    """The notice's attachments pasted as they are: a title row, 序号 left empty, the number
    glued to the name."""
    rows: list[list[object]] = [["2011—2012年度全市公安系统“青少年维权岗”创建单位名单"], ["序号", "单位名称"]]
    rows += [[None, line] for line in ATTACHMENT_2 + ATTACHMENT_3]
    return _book(path, rows)


def _import(path: Path, **kw) -> unit_import.ImportResult:
    return unit_import.import_units(unit_import.read_units(path), **kw)


def test_attachments_import_into_demo_without_duplicates(demo_ctx, tmp_path: Path) -> None:
    path = _pasted_lists(tmp_path / "附件2和3.xlsx")
    units, audits = Unit.select().count(), AuditLog.select().count()
    plan = unit_import.preview_file(path)
    by_name = {r.name: r for r in plan.rows}
    sanyang = by_name["海门市公安局三阳派出所"]
    assert sanyang.values["region"] == "海门区" and "海门区" in sanyang.guesses["region"]
    assert sanyang.values["police_type"] == "治安"
    assert "海门区公安局三阳派出所" in sanyang.guesses["name"]
    assert by_name["南通市公安局港闸分局永兴派出所"].values["region"] == "崇川区"
    assert by_name["南通市拘留所"].values["region"] == "市直"
    assert by_name["南通市公安局禁毒处(支队)"].values["police_type"] == "禁毒"
    # the demo already holds every unit of both lists (by current or earlier name)
    assert plan.counts() == {"new": 0, "update": 0, "unchanged": 29, "bad": 0}
    with demo_ctx.acting("测试"):
        result = _import(path)
    assert result.counts["unchanged"] == 29
    assert Unit.select().count() == units and AuditLog.select().count() == audits


def test_attachments_import_into_a_fresh_city_office(empty_ctx, tmp_path: Path) -> None:
    with empty_ctx.acting("测试"):
        setup_office(level="市", name="南通市公安局", region_name="南通市")
        path = _pasted_lists(tmp_path / "附件.xlsx")
        with pytest.raises(InputRefused, match="消防") as refused:
            _import(path)
        assert Unit.select().count() == 0
        assert len(refused.value.details["bad"]) == 2  # the two 消防 units: type retired in 2018
        result = _import(path, skip_bad=True)
    assert result.counts == {"new": 27, "update": 0, "unchanged": 0, "bad": 2}
    direct = Region.get(Region.kind == RegionKind.CITY_DIRECT)
    assert Unit.select().where(Unit.region == direct).count() == 10
    jd = Unit.get(Unit.name == "南通市公安局禁毒处(支队)")
    assert (jd.police_type.name, jd.unit_kind, jd.bureau.name) == ("禁毒", "支队", "南通市公安局")
    rugao = Unit.get(Unit.name == "如皋市公安局刑警大队如城责任区刑侦中队")
    assert (rugao.region.name, rugao.police_type.name, rugao.pinyin.split("|")[0]) == (
        "如皋市", "刑侦", "rgsgajxjddrczrqxzzd")
    assert "如皋市" in result.created_regions
    with empty_ctx.acting("测试"):
        again = _import(path, skip_bad=True)
    assert again.counts == {"new": 0, "update": 0, "unchanged": 27, "bad": 2}
    assert Unit.select().count() == 27


def test_county_office_imports_its_own_units_and_names_the_others(ctx, tmp_path: Path) -> None:
    path = _pasted_lists(tmp_path / "附件.xlsx")
    plan = unit_import.preview_file(path)
    good = {r.name: r for r in plan.rows if not r.bad}
    assert set(good) == {"海安县公安局城北中心派出所", "海安县公安局白甸派出所",
                         "海安县公安局指挥中心信息网络安全监察科"}
    assert all(r.values["region"] == "海安市" and "海安市" in r.guesses["region"]
               for r in good.values())
    outside = next(r for r in plan.rows if r.name == "如皋市公安局交巡警大队城东交巡警中队")
    assert "不在本办公室（海安市）的辖区内" in outside.errors[0]


def test_same_file_twice_changes_nothing(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "名册.xlsx", [
        ["序号", "单位名称", "警种", "负责人", "职务", "联系电话", "维权电话", "是否上线", "上线时间"],
        [1, "海安市公安局城南派出所", "治安", "陈某", "所长", "139 0000 0001", "0513 88880001", "是",
         "2013年5月4日"],
        [2, "海安市公安局交巡警大队城区中队", "交警", "", "", "", "12355", "否", ""],
    ])
    with ctx.acting("测试"):
        first = _import(path)
        units, audits = Unit.select().count(), AuditLog.select().count()
        second = _import(path)
    assert first.counts["new"] == 2 and second.counts == {"new": 0, "update": 0, "unchanged": 2,
                                                          "bad": 0}
    assert (Unit.select().count(), AuditLog.select().count()) == (units, audits)
    south = Unit.get(Unit.name == "海安市公安局城南派出所")
    assert (south.head_phone, south.rights_hotline, south.online, str(south.online_since)) == (
        "13900000001", "0513-88880001", True, "2013-05-04")
    assert UnitHead.get(UnitHead.unit == south).name == "陈某"
    assert Unit.get(Unit.name == "海安市公安局交巡警大队城区中队").police_type.name == "交巡警"


def test_changed_row_updates_and_empty_cells_keep_values(ctx, tmp_path: Path) -> None:
    with ctx.acting("测试"):
        _import(_book(tmp_path / "a.xlsx", [["单位名称", "负责人", "地址"],
                                            ["海安市公安局城南派出所", "陈某", "长江中路1号"]]))
        result = _import(_book(tmp_path / "b.xlsx", [["单位名称", "负责人", "地址"],
                                                     ["海安市公安局城南派出所", "周某", ""]]))
    assert result.counts["update"] == 1
    unit = Unit.get(Unit.name == "海安市公安局城南派出所")
    assert (unit.head_name, unit.address) == ("周某", "长江中路1号")
    heads = list(UnitHead.select().where(UnitHead.unit == unit).order_by(UnitHead.id))
    assert [(h.name, h.until is None) for h in heads] == [("陈某", False), ("周某", True)]


def test_duplicates_and_look_alikes_within_a_file_are_bad_rows(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "重复.xlsx", [
        ["单位名称"],
        ["海安市公安局禁毒大队（一中队）"],
        ["海安市公安局禁毒大队(一中队)"],
        [" 海安市公安局 禁毒大队(一中队)"],
        ["海安市公安局禁毒大队二中队"],
    ])
    plan = unit_import.preview_file(path)
    assert [(r.row, r.action) for r in plan.rows] == [(2, "new"), (3, "bad"), (4, "bad"), (5, "new")]
    assert "与第 2 行是同一单位" in plan.rows[1].errors[0]


def test_look_alike_of_an_existing_unit_matches_it(ctx, tmp_path: Path) -> None:
    with ctx.acting("测试"):
        _import(_book(tmp_path / "a.xlsx", [["单位名称"], ["海安市公安局禁毒大队(一中队)"]]))
        result = _import(_book(tmp_path / "b.xlsx", [["单位名称"], ["海安市公安局禁毒大队（一中队）"]]))
    assert result.counts["unchanged"] == 1 and Unit.select().count() == 1


def test_bad_values_are_reported_with_row_numbers(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "坏.xlsx", [
        ["单位名称", "警种", "联系电话", "是否上线", "上线时间"],
        ["海安市公安局城南派出所", "城管", "", "", ""],
        ["海安市公安局城东派出所", "", "85020355", "", ""],
        ["海安市公安局城西派出所", "", "", "也许", ""],
        ["海安市公安局消防大队", "", "", "", ""],
        [None, "治安", "13900000001", "", ""],
        ["海安市公安局李堡派出所", "", "", "", "2030-01-01"],
        ["海安市公安局角斜派出所", "", "", "", "1760-05-01"],
    ])
    plan = unit_import.preview_file(path)
    errors = {r.row: " ".join(r.errors) for r in plan.rows}
    assert "没有“城管”这个警种" in errors[2]
    assert "缺少区号" in errors[3]
    assert "请填“是”或“否”" in errors[4]
    assert "撤出公安机关" in errors[5]
    assert "缺少单位名称" in errors[6]
    assert "在今天之后" in errors[7]
    assert "早于1998年" in errors[8]  # as the unit dialog refuses it
    with ctx.acting("测试"), pytest.raises(InputRefused) as refused:
        _import(path)
    assert [line.split("：")[0].split("（")[0] for line in refused.value.details["bad"]] == [
        f"第 {n} 行" for n in range(2, 9)]
    assert Unit.select().count() == 0


def test_override_corrects_a_guess(demo_ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "o.xlsx", [["单位名称"], ["海门市公安局新来派出所"]])
    plan = unit_import.preview_file(path)
    assert plan.rows[0].values["region"] == "海门区"
    fixed = unit_import.preview_file(path, overrides={2: {"region": "启东市", "police_type": "刑侦"}})
    row = fixed.rows[0]
    assert (row.values["region"], row.values["police_type"]) == ("启东市", "刑侦")
    assert "region" not in row.guesses and "police_type" not in row.guesses
    with demo_ctx.acting("测试"):
        unit_import.import_units(unit_import.read_units(path), overrides={2: {"region": "启东市"}})
    assert Unit.get(Unit.name == "海门市公安局新来派出所").region.name == "启东市"


def test_dry_run_writes_nothing(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "d.xlsx", [["单位名称"], ["海安市公安局城南派出所"]])
    with ctx.acting("测试"):
        result = _import(path, dry_run=True)
    assert result.counts["new"] == 1 and Unit.select().count() == 0


def test_export_neutralises_formulas_and_round_trips(ctx, tmp_path: Path) -> None:
    path = _book(tmp_path / "n.xlsx", [["单位名称", "地址", "备注"], ["海安市公安局城南派出所"]])
    book = load_workbook(path)
    for col, text in ((2, "=1+1"), (3, "@SUM(A1:A2)")):  # typed as text, as a person could
        cell = book.active.cell(2, col)
        cell.value, cell.data_type = text, "s"
    book.save(path)
    with ctx.acting("测试"):
        _import(path)
    out = tmp_path / "导出.xlsx"
    assert unit_export.export_units(out) == 1
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("单位名称", "所属县(市、区)", "所属公安局", "警种")
    assert rows[1][9] == "'=1+1" and rows[1][12] == "'@SUM(A1:A2)"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert unit_export.export_units(tmp_path / "空.xlsx", unit_ids=[]) == 0


def test_template_headers_import_and_example_is_skipped(ctx, tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    unit_export.write_template(path)
    book = load_workbook(path)
    assert book.sheetnames == ["单位名册", "填写说明"]
    sheet = unit_import.read_units(path)
    assert set(sheet.field_columns()) >= {"name", "region", "bureau", "police_type", "head_phone"}
    assert unit_import.plan_units(sheet).rows == []


def _cli(args: list[str], capsys) -> tuple[int, dict]:
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_cli_exit_codes_and_json(ctx, tmp_path: Path, capsys) -> None:
    db = ctx.location
    ctx.close()
    bad = _book(tmp_path / "坏.xlsx", [["单位名称", "联系电话"],
                                        ["海安市公安局城南派出所", ""],
                                        ["海安市公安局城东派出所", "12"]])
    code, out = _cli(["units", "import", str(bad), "--db", db], capsys)
    assert (code, out["ok"], out["data"]["counts"]["bad"]) == (2, False, 1)
    assert "第 3 行" in out["message"]
    code, out = _cli(["units", "import", str(bad), "--db", db, "--skip-bad", "--dry-run"], capsys)
    assert (code, out["data"]["counts"]["new"], out["data"]["dry_run"]) == (0, 1, True)
    code, out = _cli(["units", "import", str(bad), "--db", db, "--skip-bad"], capsys)
    assert (code, out["data"]["counts"]["new"], len(out["data"]["bad"])) == (0, 1, 1)
    code, out = _cli(["units", "import", str(bad), "--db", db, "--skip-bad"], capsys)
    assert out["data"]["counts"]["unchanged"] == 1
    code, out = _cli(["units", "export", str(tmp_path / "e.xlsx"), "--db", db], capsys)
    assert (code, out["data"]["count"]) == (0, 1)
    code, out = _cli(["units", "template", str(tmp_path / "t.xlsx")], capsys)
    assert code == 0 and (tmp_path / "t.xlsx").is_file()
    code, out = _cli(["units", "import", str(tmp_path / "没有.xlsx"), "--db", db], capsys)
    assert code == 2 and "找不到文件" in out["message"]
    code, out = _cli(["units", "import", str(bad), "--db", str(tmp_path / "无库.sqlite3")], capsys)
    assert code == 2 and not (tmp_path / "无库.sqlite3").exists()
