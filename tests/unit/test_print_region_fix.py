"""The area of the naming level on certificates (DOMAIN rule 4) for 补录 titles.

Regression: a county office recording a city title printed its own county (海安县) where the
certificate says 南通市, and a city office's provincial title printed 南通市 for 江苏省: the
office's register has no region of the naming level, and the naming bodies' area was never
recorded. The bodies' names say it (共青团南通市委 → 南通市), as they were on the naming date.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from wqg_desktop.db.models import NamingBody, Office, PoliceType, Region, RegionName, Title, Unit
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import office as office_service
from wqg_desktop.services import printing, units
from wqg_desktop.services.units_titles import TitleRecord, record_title

TODAY = dt.date(2026, 11, 26)
CITY_BODIES = "共青团南通市委、南通市公安局"
PROVINCE_BODIES = "共青团江苏省委、江苏省公安厅"


def make_unit(name: str, region: Region, police_type: str = "治安") -> Unit:
    pt = PoliceType.get(PoliceType.name == police_type)
    return units.create_unit(units.UnitFields(name=name, region_id=region.id,
                                              police_type_id=pt.id), today=TODAY)


def add_title(unit: Unit, level: str, bodies: str, named_on: dt.date, **kw: str) -> Title:
    title = record_title(unit.id, TitleRecord(level=level, term=str(named_on.year - 1),
                                              naming_bodies=bodies, named_on=named_on, **kw),
                         today=TODAY)
    return Title.get_by_id(title.id)


def wording(title: Title) -> str:
    return printing.certificate_data(title).wording


def county_unit(ctx) -> Unit:  # type: ignore[no-untyped-def]
    with ctx.acting("测试"):
        region = Region.get(Region.kind == "county")
        return make_unit("海安市公安局城北中心派出所", region)


# ---------------------------------------------------------------------------------------------
# Reading a body's area off its name
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "area"), [
    ("共青团南通市委", "南通市"), ("南通市公安局", "南通市"), ("江苏省公安厅", "江苏省"),
    ("共青团江苏省委", "江苏省"), ("共青团江苏省委员会", "江苏省"), ("共青团海安县委", "海安县"),
    ("海安县公安局", "海安县"), ("共青团南通市崇川区委", "崇川区"), ("江苏省南通市公安局", "南通市"),
    ("苏州市公安局", "苏州市"), ("共青团中央", "全国"), ("公安部", "全国"),
    ("团市委", ""), ("南通市公安局崇川分局", ""), ("南通市文明办", ""),
])
def test_area_read_off_a_naming_body_name(name: str, area: str) -> None:
    assert printing.region_of_naming_body(name) == area


# ---------------------------------------------------------------------------------------------
# A county office (海安市公安局): no city or province in its register
# ---------------------------------------------------------------------------------------------


def test_county_office_city_title_prints_the_city(ctx) -> None:  # type: ignore[no-untyped-def]
    unit = county_unit(ctx)
    with ctx.acting("补录"):
        title = add_title(unit, "市", CITY_BODIES, dt.date(2012, 8, 8))
    assert wording(title) == "授予 海安市公安局城北中心派出所 2011—2012年度南通市“青少年维权岗”称号"
    # the body's area is kept with it: the next title of that body knows it too
    assert NamingBody.get(NamingBody.name == "共青团南通市委").region_name == "南通市"
    assert NamingBody.get(NamingBody.name == "南通市公安局").region_name == "南通市"


def test_county_office_province_and_national_titles(ctx) -> None:  # type: ignore[no-untyped-def]
    unit = county_unit(ctx)
    with ctx.acting("补录"):
        province = add_title(unit, "省", PROVINCE_BODIES, dt.date(2013, 5, 4))
        national = add_title(unit, "全国", "共青团中央、公安部", dt.date(2014, 5, 4))
    assert "2012—2013年度江苏省“青少年维权岗”称号" in wording(province)
    assert "2013—2014年度全国“青少年维权岗”称号" in wording(national)
    assert NamingBody.get(NamingBody.name == "江苏省公安厅").region_name == "江苏省"


def test_certificate_pdf_says_the_city(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils needed")
    unit = county_unit(ctx)
    with ctx.acting("补录"):
        add_title(unit, "市", CITY_BODIES, dt.date(2012, 8, 8), certificate_no="通维〔2012〕1号")
    with ctx.acting("打印证书"):
        printing.produce("certificate", out=tmp_path / "c.pdf",
                         selection=printing.Selection(units=[unit.uuid[:8]]))
    text = "".join(subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True,
                                  text=True, check=True).stdout.split())
    assert "南通市“青少年维权岗”" in text
    assert "海安县“青少年维权岗”" not in text and "海安市“青少年维权岗”" not in text


def test_body_recorded_before_the_fix_still_gives_its_area(ctx) -> None:  # type: ignore[no-untyped-def]
    """Bodies written without an area (older databases): read off the name when printing."""
    unit = county_unit(ctx)
    with ctx.acting("补录"):
        for name in ("共青团南通市委", "南通市公安局"):
            NamingBody.create(owner_office=office_service.this_office(), name=name, level=2,
                              region_name="")
        title = add_title(unit, "市", CITY_BODIES, dt.date(2012, 8, 8))
    assert NamingBody.get(NamingBody.name == "南通市公安局").region_name == ""
    assert "年度南通市“青少年维权岗”" in wording(title)


def test_bodies_that_do_not_say_refuse_rather_than_print_this_office(ctx) -> None:  # type: ignore[no-untyped-def]
    unit = county_unit(ctx)
    with ctx.acting("补录"):
        title = add_title(unit, "市", "团市委、市公安局", dt.date(2012, 8, 8))
    with pytest.raises(InputRefused, match="看不出地区"):
        wording(title)


def test_bodies_that_do_not_say_use_the_known_city_office(ctx) -> None:  # type: ignore[no-untyped-def]
    unit = county_unit(ctx)
    with ctx.acting("补录"):
        city = Office.create(level=2, name="南通市公安局", region_name="南通市")
        me = office_service.this_office()
        me.parent = city
        me.save()
        title = add_title(unit, "市", "团市委、市公安局", dt.date(2012, 8, 8))
    assert "年度南通市“青少年维权岗”" in wording(title)


def test_county_title_keeps_the_county_name_of_its_date(ctx) -> None:  # type: ignore[no-untyped-def]
    """海安县 became 海安市 on 2018-02-12; this register has no record of it, the bodies do."""
    unit = county_unit(ctx)
    with ctx.acting("补录"):
        old = add_title(unit, "县", "共青团海安县委、海安县公安局", dt.date(2012, 6, 1))
    assert "2011—2012年度海安县“青少年维权岗”" in wording(old)


def test_county_title_now_prints_the_county_of_today(ctx) -> None:  # type: ignore[no-untyped-def]
    unit = county_unit(ctx)
    with ctx.acting("补录"):
        new = add_title(unit, "县", "共青团海安市委、海安市公安局", dt.date(2020, 6, 1))
        other = add_title(make_unit("海安市公安局城南派出所", unit.region), "县",
                          "共青团南通市委", dt.date(2020, 6, 1))
    assert "2019—2020年度海安市“青少年维权岗”" in wording(new)
    # a body of another area never replaces the unit's own county at county level
    assert "2019—2020年度海安市“青少年维权岗”" in wording(other)


# ---------------------------------------------------------------------------------------------
# A city office (南通市公安局) and the renamed or merged counties of the demo register
# ---------------------------------------------------------------------------------------------


def test_city_office_province_title_prints_the_province(empty_ctx) -> None:  # type: ignore[no-untyped-def]
    with empty_ctx.acting("设置"):
        office_service.setup_office(level="市", name="南通市公安局", region_name="南通市")
        unit = make_unit("南通市拘留所", Region.get(Region.name == "市直"), "监管")
    with empty_ctx.acting("补录"):
        city = add_title(unit, "市", CITY_BODIES, dt.date(2012, 8, 8))
        province = add_title(unit, "省", PROVINCE_BODIES, dt.date(2013, 5, 4))
    assert wording(city) == "授予 南通市拘留所 2011—2012年度南通市“青少年维权岗”称号"
    assert wording(province) == "授予 南通市拘留所 2012—2013年度江苏省“青少年维权岗”称号"


def test_province_office_own_level(empty_ctx) -> None:  # type: ignore[no-untyped-def]
    with empty_ctx.acting("设置"):
        office_service.setup_office(level="省", name="江苏省公安厅", region_name="江苏省")
        region = Region.create(name="南通市", kind="city", parent=Region.get(Region.name == "江苏省"))
        unit = make_unit("南通市公安局刑警支队一大队", region, "刑侦")
    with empty_ctx.acting("补录"):
        title = add_title(unit, "省", PROVINCE_BODIES, dt.date(2013, 5, 4))
    assert "年度江苏省“青少年维权岗”" in wording(title)


def test_demo_renamed_county_prints_the_name_of_the_date(demo_ctx) -> None:  # type: ignore[no-untyped-def]
    """The demo records 海安县 → 海安市: a body typed with today's name prints the old one."""
    haian = Region.get(Region.name == "海安市")
    assert RegionName.get(RegionName.region == haian).name == "海安县"
    with demo_ctx.acting("补录"):
        unit = make_unit("海安市公安局开发区派出所", haian)
        title = add_title(unit, "县", "共青团海安市委、海安市公安局", dt.date(2012, 6, 1))
        city = add_title(unit, "市", "共青团南通市委、南通市公安局", dt.date(2014, 6, 1))
    assert "2011—2012年度海安县“青少年维权岗”" in wording(title)
    assert "2013—2014年度南通市“青少年维权岗”" in wording(city)


def test_demo_merged_county_prints_gangzha(demo_ctx) -> None:  # type: ignore[no-untyped-def]
    """港闸区 merged into 崇川区 (2020): a unit of today's 崇川区 whose 2012 title was named by
    港闸's bodies prints 港闸区, even when its own name never carried 港闸."""
    chongchuan = Region.get(Region.name == "崇川区")
    with demo_ctx.acting("补录"):
        unit = make_unit("南通市公安局崇川分局测试警务区", chongchuan)
        title = add_title(unit, "县", "共青团南通市港闸区委", dt.date(2012, 6, 1))
        later = add_title(unit, "市", CITY_BODIES, dt.date(2022, 6, 1))
    assert "2011—2012年度港闸区“青少年维权岗”" in wording(title)
    assert "2021—2022年度南通市“青少年维权岗”" in wording(later)
