"""The area a title was named for, as its certificate prints it (DOMAIN rule 4).

授予 <unit> <term><area of the naming level>“青少年维权岗”称号: 海安县, 南通市, 江苏省 or 全国,
as the area was called on the naming date. A county office's register has no city or province
above its county, so the area of a title named above it is read off its naming bodies' names
(共青团南通市委 → 南通市), which carry the names of their date; failing that, the office of
that level when this office has heard from it. Never this office's own area for a title of
another level: a certificate that cannot be right is refused instead.
"""

from __future__ import annotations

import datetime as dt
import re

from wqg_desktop.db.models import Region, RegionName, Title, TitleNamingBody
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services.office import this_office


def _region_name_on(region: Region, day: dt.date | None) -> str:
    if day is None:
        return region.name
    for old in RegionName.select().where(RegionName.region == region):
        if (old.valid_to is None or day < old.valid_to) and (
                old.valid_from is None or day >= old.valid_from):
            return old.name
    return region.name


#: Province-level cities: their names end in 市 like any city's.
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})
#: A body's area as its name writes it, largest first: 江苏省 | 南通市 | 崇川区.
_AREA = re.compile(r"(.+?(?:省|自治区|特别行政区))?(.+?(?:市|自治州|州|盟|地区))?"
                   r"(.+?(?:县|市|区|旗))?")
_NATIONAL_PREFIXES = ("共青团中央", "团中央", "中华人民共和国", "公安部", "全国")


def region_of_naming_body(name: str) -> str:
    """The area a naming body serves, read off its name, as the name was on its date:
    共青团南通市委 → 南通市, 南通市公安局 → 南通市, 江苏省公安厅 / 共青团江苏省委 → 江苏省,
    共青团海安县委 → 海安县, 共青团中央 / 公安部 → 全国; '' when the name does not say
    (团市委, 南通市公安局崇川分局, 南通市文明办…)."""
    clean = "".join((name or "").split())
    if clean.startswith(_NATIONAL_PREFIXES):
        return "全国"
    match = (re.fullmatch(r"共青团(.+?)委(?:员会)?", clean)
             or re.fullmatch(r"(.+?)公安(?:厅|局)", clean))
    if match is None:
        return ""
    area = _AREA.fullmatch(match.group(1))
    if area is None:
        return ""
    parts = [g for g in area.groups() if g]
    return parts[-1] if parts else ""


def _known_regions(name: str) -> list[Region]:
    """Regions that are or were called ``name`` (current names first)."""
    found = list(Region.select().where(Region.name == name))
    found += [r.region for r in RegionName.select().where(RegionName.name == name)
              if r.region not in found]
    return found


_LEVEL_KIND = {Level.COUNTY: RegionKind.COUNTY, Level.CITY: RegionKind.CITY,
               Level.PROVINCE: RegionKind.PROVINCE}


def _area_at_level(area: str, level: Level, day: dt.date | None) -> str:
    """``area`` as it was called on ``day`` when it is an area of ``level``, else ''.

    A region this database knows decides by its kind (海安市 is a county, not a city) and
    gives its name on the date (a body typed with today's name, 共青团海安市委, for a 2012
    title prints 海安县 when the rename is recorded). An unknown one decides by its ending.
    """
    if not area:
        return ""
    kind = _LEVEL_KIND[level]
    known = _known_regions(area)
    if known:
        same = [r for r in known if r.kind == kind]
        return _region_name_on(same[0], day) if same else ""
    if level == Level.PROVINCE:
        return area if area.endswith(("省", "自治区")) or area in _MUNICIPALITIES else ""
    if level == Level.CITY:
        return area if area.endswith(("市", "州", "盟", "地区")) and area not in _MUNICIPALITIES else ""
    return area if area.endswith(("县", "市", "区", "旗")) else ""


def _bodies_area(title: Title, level: Level) -> str:
    """The area of ``level`` that the title's naming bodies name, first body first."""
    rows = (TitleNamingBody.select().where(TitleNamingBody.title == title)
            .order_by(TitleNamingBody.sort_order))
    names = list(naming_bodies(title)) + [r.naming_body.name for r in rows]
    stored = [r.naming_body.region_name for r in rows]
    for area in [region_of_naming_body(n) for n in names] + stored:
        found = _area_at_level(area, level, title.named_on)
        if found:
            return found
    return ""


def _office_area(title: Title, level: Level) -> str:
    """The area of the office of ``level`` among the title's owner, this office and the
    offices above them (a county that has heard from its city knows the city)."""
    seen: set[int] = set()
    for office in (title.owner_office, this_office()):
        while office is not None and office.id not in seen:
            seen.add(office.id)
            if office.level == int(level) and office.region_name:
                return office.region_name
            office = office.parent
    return ""


def naming_region(title: Title) -> str:
    """The area of the naming level on the naming date: 海安县, 南通市, 江苏省, 全国.

    In order: the unit's own county (county titles) or the city/province above it in the
    register; the area the naming bodies' names give (共青团南通市委 → 南通市: a county office
    has no city above its county); the office of that level. Never this office's own area
    for a title of another level: refused instead of printed wrong.
    """
    level = Level(title.level)
    if level == Level.NATIONAL:
        return "全国"
    day = title.named_on
    region = title.unit.region
    if level == Level.COUNTY and region.kind == RegionKind.COUNTY:
        # A county that later absorbed another (港闸 into 崇川): the old county is the one
        # whose name the unit's name on that date, or its naming bodies' names, carry.
        absorbed = [m for m in region.merged_from if m.merged_on and day and day < m.merged_on]
        for merged in absorbed:
            if merged.name.rstrip("区县市") in title.unit_name:
                return merged.name
        own = _region_name_on(region, day)
        typed = _bodies_area(title, level)
        # 撤县设市 without its history recorded here: the bodies' names (共青团海安县委) keep
        # the name the county had on the date
        if typed and typed != own and (typed.rstrip("区县市旗") == own.rstrip("区县市旗")
                                       or typed in {m.name for m in absorbed}):
            return typed
        return own
    target_kind = _LEVEL_KIND.get(level)
    node: Region | None = region
    while node is not None:
        if node.kind == target_kind:
            return _region_name_on(node, day)
        node = node.parent
    found = _bodies_area(title, level) or _office_area(title, level)
    if found:
        return found
    bodies = "、".join(naming_bodies(title)) or "（未填）"
    raise InputRefused(
        f"无法确定“{title.unit_name or title.unit.name}”的{level.label}称号是哪个地区命名的："
        f"命名单位“{bodies}”的名称中看不出地区，本库也没有该级办公室的记录，打印出来的证书"
        f"不会正确。该证书请由命名单位打印；补录称号时请按证书写全命名单位名称"
        f"（例如“共青团南通市委、南通市公安局”）。")


def naming_bodies(title: Title) -> tuple[str, ...]:
    """The bodies' names as the title recorded them (names as they were on the date)."""
    text = (title.naming_bodies_text or "").strip()
    if text:
        return tuple(n.strip() for n in text.replace("，", "、").split("、") if n.strip())
    rows = (TitleNamingBody.select().where(TitleNamingBody.title == title)
            .order_by(TitleNamingBody.sort_order))
    names = tuple(r.naming_body.name for r in rows)
    if names:
        return names
    return (title.owner_office.name,) if title.owner_office else ()
