"""Guessing a unit's county, bureau and police type from its full name, and reading the
county, bureau and police type an officer typed.

The notice's lists give only names (``海门市公安局三阳派出所``); the register needs the county
(海门区 today: 海门市 became 海门区 in 2020) and the police type (治安). Every guess carries a
Chinese note saying where it came from, so the preview can show it and the officer can
correct it. Loaded once per import: a few small queries, then pure look-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wqg_desktop.db.models import Bureau, BureauName, Office, PoliceType, Region, RegionName
from wqg_desktop.domain.chinese import format_date, normalize_name_key
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import RegionKind

#: Words in a unit's name → police type, tried in this order (水警 before 治安: a 水警支队
#: 治安管理大队 is 水警; 网络安全 before 指挥中心, as in 指挥中心信息网络安全监察科).
POLICE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("消防", "消防"),
    ("网络安全", "网安"), ("信息网络", "网安"), ("网安", "网安"), ("网监", "网安"),
    ("禁毒", "禁毒"),
    ("拘留所", "监管"), ("看守所", "监管"), ("监所", "监管"), ("戒毒所", "监管"), ("监管", "监管"),
    ("水警", "水警"), ("水上", "水警"),
    ("交巡警", "交巡警"), ("交通巡逻", "交巡警"), ("交警", "交巡警"), ("交通警察", "交巡警"),
    ("刑警", "刑侦"), ("刑侦", "刑侦"), ("刑事警察", "刑侦"),
    ("经文保", "经文保"), ("经济文化保卫", "经文保"),
    ("执法监督", "执法监督"),
    ("指挥中心", "指挥中心"),
    ("派出所", "治安"), ("警务区", "治安"), ("治安", "治安"),
)

#: What officers write in a 警种 column for the stored names.
POLICE_ALIASES = {
    "交警": "交巡警", "交通巡逻": "交巡警", "交通警察": "交巡警", "刑警": "刑侦",
    "网监": "网安", "网络安全": "网安", "公共信息网络安全监察": "网安", "监所": "监管",
    "经济文化保卫": "经文保", "法制": "执法监督", "派出所": "治安", "指挥": "指挥中心",
}

#: Unit kinds read off the end of a name, longest first.
UNIT_KINDS = ("警务区", "派出所", "拘留所", "看守所", "中队", "大队", "支队", "科", "处")

CITY_DIRECT_WORDS = {"市直", "市局直属", "市局机关", "直属", "市局"}
_COUNTY_SUFFIX = re.compile(r"(县|市|区|旗)$")
_PREFIX = re.compile(r"^(.{2,12}?[县市区旗])公安")
_SUB_BUREAU = re.compile(r"^(.{2,12}?)分局")
# a place name opening a unit's name without 公安局 after it: 南通市拘留所, 如东县看守所
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,3}[市县])")


@dataclass
class Guess:
    """A resolved value and how it was found (empty note = read as written)."""

    value: object | None
    note: str = ""
    #: a county that does not exist yet and would be created (city offices only)
    new_name: str = ""


def _stem(name: str) -> str:
    return _COUNTY_SUFFIX.sub("", name) if len(name) > 2 else name


class Resolver:
    """Regions, bureaus and police types of this database, for look-ups by name."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.level = Level(office.level)
        regions = list(Region.select())
        self.by_id = {r.id: r for r in regions}
        self.city_direct = next((r for r in regions if r.kind == RegionKind.CITY_DIRECT), None)
        self.city = next((r for r in regions if r.kind == RegionKind.CITY), None)
        own = [r for r in regions if r.name == office.region_name and r.parent_id is None]
        self.own_region = own[0] if own else None
        self.counties = [r for r in regions if r.kind in (RegionKind.COUNTY, RegionKind.CITY_DIRECT)]
        self.names: dict[str, tuple[Region, str]] = {}
        for region in self.counties:
            self.names[normalize_name_key(region.name)] = (region, "")
        for old in RegionName.select():
            region = self.by_id.get(old.region_id)
            if region is None:
                continue
            when = f"于{format_date(old.valid_to)}" if old.valid_to else "已"
            self.names.setdefault(normalize_name_key(old.name),
                                  (region, f"“{old.name}”{when}更名为“{region.name}”"))
        self.bureaus: list[tuple[str, Bureau, str]] = []
        bureau_rows = {b.id: b for b in Bureau.select()}
        for bureau in bureau_rows.values():
            self.bureaus.append((normalize_name_key(bureau.name), bureau, ""))
        for old in BureauName.select():
            bureau = bureau_rows.get(old.bureau_id)
            if bureau is not None:
                self.bureaus.append((normalize_name_key(old.name), bureau,
                                     f"“{old.name}”现名“{bureau.name}”"))
        self.bureaus.sort(key=lambda item: -len(item[0]))
        self.bureau_rows = bureau_rows
        self.police = {p.name: p for p in PoliceType.select()}

    # -- regions -----------------------------------------------------------------------------

    def _current(self, region: Region, note: str) -> tuple[Region, str]:
        """Follow merges to the region that exists today (港闸区 → 崇川区)."""
        seen = set()
        while region.merged_into_id and region.merged_into_id not in seen:
            seen.add(region.id)
            target = self.by_id[region.merged_into_id]
            when = f"于{format_date(region.merged_on)}" if region.merged_on else "已"
            note = (note + "；" if note else "") + f"“{region.name}”{when}并入“{target.name}”"
            region = target
        return region, note

    def region_by_name(self, text: str) -> Guess:
        """The county/district (or 市直) an officer wrote, through renames and merges."""
        name = text.strip()
        key = normalize_name_key(name)
        if not key:
            return Guess(None)
        if key in CITY_DIRECT_WORDS or (self.city is not None and key == normalize_name_key(
                self.city.name + "市直")):
            if self.city_direct is not None:
                return Guess(self.city_direct)
            return Guess(None, "本办公室没有“市直”分组：只有市级办公室登记市直单位")
        hit = self.names.get(key)
        if hit is not None:
            region, note = self._current(*hit)
            return Guess(region, note)
        stem = _stem(key)
        same_stem = [r for r in self.counties if r.kind == RegionKind.COUNTY and len(stem) >= 2
                     and (_stem(normalize_name_key(r.name)) == stem
                          or normalize_name_key(r.name).endswith(stem))]
        if len(same_stem) == 1:
            region, note = self._current(same_stem[0], "")
            base = f"“{name}”按名称对应到现有的“{region.name}”（撤县设市、撤市设区等更名），请核对"
            return Guess(region, base + ("；" + note if note else ""))
        if self.level == Level.CITY and self.city is not None and _COUNTY_SUFFIX.search(name):
            return Guess(None, f"将新建县(市、区)“{name}”", new_name=name)
        return Guess(None)

    def guess_region(self, unit_name: str) -> Guess:
        """County from the name: the longest known bureau it starts with, else the place
        before 公安局, else the city's own units (市直)."""
        key = normalize_name_key(unit_name)
        for bureau_key, bureau, history in self.bureaus:
            if not key.startswith(bureau_key) or bureau.region_id is None:
                continue
            region = self.by_id[bureau.region_id]
            if region.kind == RegionKind.CITY:
                break  # the city bureau itself: a 分局 or a 市直 unit, decided below
            region, note = self._current(region, history)
            why = f"由单位名称推断：属于“{bureau.name}”"
            return Guess(region, why + ("；" + note if note else ""))
        city = self.city.name if self.city is not None else ""
        prefix = _PREFIX.match(unit_name)
        if prefix and prefix.group(1) != city:
            found = self.region_by_name(prefix.group(1))
            if found.value is not None or found.new_name:
                lead = f"由单位名称推断：“{prefix.group(1)}”"
                return Guess(found.value, lead + ("；" + found.note if found.note else ""),
                             found.new_name)
            return Guess(None, self._outside(prefix.group(1)))
        if city and unit_name.startswith(city):
            rest = unit_name[len(city):]
            rest = rest[3:] if rest.startswith("公安局") else rest
            sub = _SUB_BUREAU.match(rest)
            if sub:
                found = self.region_by_name(sub.group(1))
                if found.value is None and not found.new_name:
                    found = self.region_by_name(sub.group(1) + "区")
                if found.value is not None or found.new_name:
                    lead = f"由单位名称推断：“{sub.group(1)}分局”"
                    return Guess(found.value, lead + ("；" + found.note if found.note else ""),
                                 found.new_name)
                return Guess(None, f"无法确定“{sub.group(1)}分局”所在的区")
            if self.city_direct is not None:
                return Guess(self.city_direct, f"由单位名称推断：{city}公安局直属单位（市直）")
        place = _PLACE.match(unit_name)
        if place and self.region_by_name(place.group(1)).value is None:
            return Guess(None, self._outside(place.group(1)))
        if self.level == Level.COUNTY and self.own_region is not None:
            return Guess(self.own_region, f"按本办公室所辖的“{self.own_region.name}”导入")
        return Guess(None)

    def _outside(self, place: str) -> str:
        if self.level == Level.COUNTY and self.own_region is not None:
            return (f"单位名称表明它属于“{place}”，不在本办公室（{self.own_region.name}）的辖区内："
                    "县级办公室只登记本县(市、区)的单位")
        return f"本办公室没有“{place}”这个县(市、区)"

    # -- bureaus -----------------------------------------------------------------------------

    def bureau_by_name(self, text: str) -> Guess:
        key = normalize_name_key(text)
        for bureau_key, bureau, history in self.bureaus:
            if bureau_key == key:
                return Guess(bureau, history)
        return Guess(None, f"将新建公安局/分局“{text.strip()}”", new_name=text.strip())

    def guess_bureau(self, unit_name: str) -> Guess:
        key = normalize_name_key(unit_name)
        for bureau_key, bureau, history in self.bureaus:
            if key.startswith(bureau_key) and key != bureau_key:
                return Guess(bureau, "由单位名称推断" + ("；" + history if history else ""))
        match = re.match(r"^(.+(?:分局|公安局))", unit_name)
        if match and match.group(1) != unit_name:
            return Guess(None, f"由单位名称推断，将新建“{match.group(1)}”", new_name=match.group(1))
        return Guess(None)

    # -- police types ------------------------------------------------------------------------

    def police_name(self, police_type_id: int) -> str:
        return next((p.name for p in self.police.values() if p.id == police_type_id), "")

    def police_by_name(self, text: str) -> PoliceType | None:
        name = "".join(text.split())
        name = POLICE_ALIASES.get(name, name)
        if name in self.police:
            return self.police[name]
        return next((p for p in self.police.values() if p.code == name), None)

    def guess_police(self, unit_name: str) -> Guess:
        for word, type_name in POLICE_KEYWORDS:
            if word in unit_name and type_name in self.police:
                return Guess(self.police[type_name], f"由单位名称推断（含“{word}”）")
        fallback = self.police.get("其他")
        return Guess(fallback, "名称中没有可识别的警种，按“其他”导入" if fallback else "")


def guess_unit_kind(unit_name: str) -> str:
    """派出所, 警务区, 中队… read off the end of the name ('' when none fits)."""
    # 禁毒处(支队): the bracket names the police unit the office also is
    bracket = re.search(r"[(（]([^)）]*)[)）]$", unit_name.strip())
    if bracket and any(bracket.group(1).endswith(kind) for kind in UNIT_KINDS):
        return next(kind for kind in UNIT_KINDS if bracket.group(1).endswith(kind))
    name = re.sub(r"[(（][^)）]*[)）]$", "", unit_name.strip())
    return next((kind for kind in UNIT_KINDS if name.endswith(kind)), "")
