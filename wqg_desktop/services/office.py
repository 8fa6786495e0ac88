"""Which office this installation is: set once on first start, stored in the database."""

from __future__ import annotations

import re

from wqg_desktop.db.models import Office, database
from wqg_desktop.domain.levels import OFFICE_LEVELS, Level
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import calendar as calendar_service
from wqg_desktop.services import reference, settings

_REGION_KIND = {
    Level.COUNTY: RegionKind.COUNTY,
    Level.CITY: RegionKind.CITY,
    Level.PROVINCE: RegionKind.PROVINCE,
}


def this_office() -> Office | None:
    """The office this installation is, or ``None`` before first-start setup."""
    return Office.get_or_none(Office.is_self == 1)


def validate_office(*, level: Level | str | int, name: str, region_name: str,
                    region_code: str = "") -> tuple[Level, str, str, str]:
    """Check the setup answers; return them cleaned or raise a Chinese refusal."""
    lvl = Level.parse(level)
    if lvl not in OFFICE_LEVELS:
        raise InputRefused("本程序的办公室只能是县级、市级或省级。")
    name = (name or "").strip()
    if not name:
        raise InputRefused("请填写单位名称，例如“海安县公安局”。")
    if len(name) > 100:
        raise InputRefused("单位名称过长（最多 100 个字）。")
    region_name = (region_name or "").strip()
    if not region_name:
        raise InputRefused("请填写所辖地区，例如“海安县”或“南通市”。")
    region_code = (region_code or "").strip()
    if region_code and not re.fullmatch(r"\d{6}", region_code):
        raise InputRefused("行政区划代码应为 6 位数字，例如 320621；不知道可以不填。")
    return lvl, name, region_name, region_code


def setup_office(*, level: Level | str | int, name: str, region_name: str, region_code: str = "",
                 officer: str = "") -> Office:
    """Record which office this installation is, and seed the shared reference data."""
    lvl, name, region_name, region_code = validate_office(
        level=level, name=name, region_name=region_name, region_code=region_code
    )
    if this_office() is not None:
        raise InputRefused("此数据库已经设置过所属单位，不能重复设置。")
    with database.atomic():
        office = Office.create(
            uuid=reference.reference_uuid("office", name),
            level=int(lvl),
            name=name,
            region_code=region_code,
            region_name=region_name,
            is_self=1,
        )
        region = reference.ensure_region(region_name, _REGION_KIND[lvl], code=region_code,
                                         owner=office)
        if lvl == Level.CITY:
            reference.city_direct_group(region, owner=office)
        reference.seed_police_types(owner=office)
        calendar_service.seed_holidays()
        settings.put("officer_name", (officer or "").strip())
    return office


def region_from_office_name(name: str) -> str:
    """海安市公安局 → 海安市; 南通市公安局崇川分局 → 崇川区 is not guessed (returns '')."""
    match = re.match(r"^(.+?[省市县区旗])公安(厅|局)$", name.strip())
    return match.group(1) if match else ""
