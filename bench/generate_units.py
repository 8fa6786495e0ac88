"""The units of a generated database, as the bureaus have them, with their heads and names.

Part of the builder of :mod:`bench.generate_records`: per county, its brigades, 派出所 and
their 警务区, 交巡警中队 and 刑警中队 (市直 支队 at city level), with addresses, hotlines,
heads, and the 海安县 → 海安市 rename.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from pypinyin import Style, lazy_pinyin

from bench.generate_base import FIRE_REASON, BuilderBase, UnitInfo
from wqg_desktop.db import models as m
from wqg_desktop.domain.chinese import chinese_numeral, normalize_name_key
from wqg_desktop.services import demo_data as data

#: County brigades, most common first: (name suffix, police type, unit kind).
BRIGADES = [("刑警大队", "刑侦", "大队"), ("治安大队", "治安", "大队"), ("交巡警大队", "交巡警", "大队"),
            ("禁毒大队", "禁毒", "大队"), ("网安大队", "网安", "大队"), ("看守所", "监管", "看守所"),
            ("拘留所", "监管", "拘留所"), ("经文保大队", "经文保", "大队"),
            ("执法监督大队", "执法监督", "大队"), ("指挥中心", "指挥中心", "科"),
            ("巡特警大队", "其他", "大队"), ("消防大队", "消防", "大队")]
#: Units directly under a city bureau (市直).
DIRECT = [("刑警支队一大队", "刑侦", "大队"), ("治安警察支队", "治安", "支队"),
          ("交通警察支队", "交巡警", "支队"), ("禁毒支队", "禁毒", "支队"),
          ("网络安全保卫支队", "网安", "支队"), ("监所管理支队", "监管", "支队"),
          ("#拘留所", "监管", "拘留所"), ("#看守所", "监管", "看守所"),
          ("刑警支队二大队", "刑侦", "大队"), ("经济文化保卫支队", "经文保", "支队"),
          ("指挥中心", "指挥中心", "科"), ("水上警察支队", "水警", "支队"),
          ("巡特警支队", "其他", "支队"), ("出入境管理支队", "其他", "支队"),
          ("法制支队", "执法监督", "支队")]
#: Town names are drawn from these parts (城东, 白甸, 李堡, 角斜… read like the real ones).
TOWN_HEADS = "白角李墩南北东西大小新老长高曲孙雅胡丁古洋沙江河桥港石青龙凤金马双三平安兴隆仁和永宁丰盛广福吉海湖"
TOWN_TAILS = "甸斜堡头庄集桥港口河湾坝店墩圩沟林埠场塘营园陵阳泉山亭洲楼岗坪寺"
STREETS = ("人民路", "建设路", "解放路", "中山路", "长江路", "黄河路", "府前路", "文化路", "青年路",
           "园林路", "朝阳路", "健康路")


@cache
def initials(text: str) -> str:
    """Pinyin initials of a name part (cached: names share their parts)."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


class UnitsPart(BuilderBase):
    """Builds the units of every place."""

    # -- units -----------------------------------------------------------------------------

    def _plan(self, place) -> list[tuple[list[str], str, str, str]]:  # type: ignore[no-untyped-def]
        """(name parts, police type, unit kind, town) for every unit of a place."""
        q, rng = place.units, self.rng
        if place.direct:
            plan = [([f"{place.city}{s[1:]}" if s.startswith("#") else place.bureau + s], pt, kind,
                     "") for s, pt, kind in DIRECT]
            n = 3
            while len(plan) < q:
                plan.append(([place.bureau, f"刑警支队{chinese_numeral(n)}大队"], "刑侦", "大队", ""))
                n += 1
            return plan[:q]
        brigades = min(len(BRIGADES), max(1, q // 20))
        rest = q - brigades
        stations = max(1 if rest else 0, rest * 12 // 100)
        traffic = rest * 5 // 100
        squads = min(4, rest // 50)
        areas = rest - stations - traffic - squads
        pool = ["城东", "城西", "城南", "城北"] + [a + b for a in TOWN_HEADS for b in TOWN_TAILS]
        towns = rng.sample(pool, min(len(pool), max(stations, traffic)))
        plan = [([place.bureau, s], pt, kind, "城区") for s, pt, kind in BRIGADES[:brigades]]
        plan += [([place.bureau, f"{towns[i % len(towns)]}派出所"], "治安", "派出所",
                  towns[i % len(towns)]) for i in range(stations)]
        plan += [([place.bureau, f"交巡警大队{towns[i % len(towns)]}中队"], "交巡警", "中队",
                  towns[i % len(towns)]) for i in range(traffic)]
        plan += [([place.bureau, f"刑警大队第{chinese_numeral(i + 1)}中队"], "刑侦", "中队", "城区")
                 for i in range(squads)]
        for i in range(areas):
            station = i % stations
            town = towns[station % len(towns)]
            plan.append(([place.bureau, f"{town}派出所", f"第{chinese_numeral(i // stations + 1)}警务区"],
                         "治安", "警务区", town))
        return plan

    def _units(self) -> None:
        units, heads, names = self.t(m.Unit), self.t(m.UnitHead), self.t(m.UnitName)
        rng = self.rng
        for place in self.places:
            prefix = place.region_code or f"R{place.region_id}"
            for n, (parts, ptype, kind, town) in enumerate(self._plan(place), start=1):
                name = "".join(parts)
                fire = ptype == "消防"
                head, post = self.person(), data.HEAD_POSTS.get(kind, "负责人")
                online = not fire and rng.random() < 0.6
                where = f"{place.city}{place.name}" if place.direct else place.name
                address = (f"{where}{'' if town in ('', '城区') else town + '镇'}{rng.choice(STREETS)}"
                           f"{rng.randint(1, 399)}号")
                hotline = f"{place.area_code}-8{rng.randrange(10**7):07d}"
                ident = units.add(
                    owner_office=place.office_id, code=f"{prefix}-{n:04d}", name=name,
                    name_key=normalize_name_key(name), pinyin="".join(map(initials, parts)),
                    region=place.region_id, bureau=place.bureau_id, police_type=self.ptypes[ptype],
                    unit_kind=kind, head_name=head, head_post=post, head_phone=self.mobile(),
                    rights_hotline=hotline, address=address, online=online,
                    online_since=self.day(dt.date(2013, 3, 1), dt.date(2024, 6, 30)) if online else None,
                    volunteer_team="" if fire else f"{parts[-1]}青少年维权志愿服务队",
                    works_with_youth=not fire, youth_work_ended_on=data.FIRE_LEFT if fire else None,
                    youth_work_end_reason=FIRE_REASON if fire else "",
                    status="dissolved" if fire else "active",
                    closed_on=data.FIRE_LEFT if fire else None)
                heads.add(owner_office=place.office_id, unit=ident, name=head, post=post,
                          since=self.day(dt.date(2016, 1, 1), dt.date(2026, 6, 30)),
                          until=data.FIRE_LEFT if fire else None)
                if place.name == "海安市" and name.startswith("海安市"):  # 海安县 → 海安市, 2018
                    names.add(owner_office=place.office_id, unit=ident,
                              name="海安县" + name[3:], valid_to=data.HAIAN_RENAMED,
                              note="随海安撤县设市更名")
                self.units.append(UnitInfo(ident, name, place, ptype, not fire, town, head, hotline,
                                           address))
