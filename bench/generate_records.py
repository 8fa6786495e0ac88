"""The bulk of a generated database: units, titles, campaigns, evidence and work records.

Proportions (per term, of the units that still work with youth): about 45 % hold a county
title, a third of those a city title and a quarter of those a provincial one; each county
campaign takes about 10 % of the units without a county title; the city takes a few per county,
the province a few per city. Every candidate is inspected one to three times; every candidate
whose campaign reached review answered a survey of 100 sheets. See :mod:`bench.generate`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import operator
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from peewee import AutoField, DateField, DateTimeField
from pypinyin import Style, lazy_pinyin

from bench import generate_work as work
from wqg_desktop.db import models as m
from wqg_desktop.domain.chinese import Term, chinese_numeral, normalize_name_key
from wqg_desktop.services import demo_data as data

DAY = dt.timedelta(days=1)
#: created_at/updated_at of every generated row (fixed, so files are reproducible).
STAMP = dt.datetime(2026, 11, 1, 9, 0, 0)
PAST_TERMS = (2013, 2015, 2017, 2019, 2021, 2023)
CURRENT_TERM = 2025
FLUSH_EVERY = 20_000

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
TITLE_STATUSES = (("valid", 86), ("rectifying", 4), ("cancelled", 3), ("deregistered", 4),
                  ("revoked", 3))
FIRE_REASON = "2018年消防部队改制，消防救援队伍转隶应急管理部门，不再隶属公安机关"


@cache
def initials(text: str) -> str:
    """Pinyin initials of a name part (cached: names share their parts)."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()


class Table:
    """Buffered rows of one model, bound with ``executemany`` on the model's own columns."""

    def __init__(self, model: type[m.BaseModel], uuid_rng) -> None:  # type: ignore[no-untyped-def]
        self.model, self.uuid_rng = model, uuid_rng
        fields = model._meta.sorted_fields
        self.getter = operator.itemgetter(*[f.name for f in fields])
        # Missing values take the column's constant default (callables such as uuid4 are
        # never used: everything is passed in, so files are reproducible).
        self.base = {f.name: None if callable(f.default) else f.default for f in fields}
        # Stored as peewee stores them: ISO dates and "YYYY-MM-DD HH:MM:SS" (str() of both).
        self.dated = [i for i, f in enumerate(fields) if isinstance(f, DateField | DateTimeField)]
        cols = ", ".join(f'"{f.column_name}"' for f in fields)
        marks = ", ".join("?" for _ in fields)
        self.sql = f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES ({marks})'
        self.synced = issubclass(model, m.SyncedModel)
        assert isinstance(model._meta.primary_key, AutoField)
        top = model.select(model._meta.primary_key).order_by(model._meta.primary_key.desc()).scalar()
        self.next_id = (top or 0) + 1
        self.rows: list[dict[str, Any]] = []
        self.count = 0

    def add(self, **values: Any) -> int:
        ident = values["id"] = self.next_id
        self.next_id += 1
        if self.synced:
            values.setdefault("uuid", str(uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4)))
            values.setdefault("created_at", STAMP)
            values.setdefault("updated_at", STAMP)
        self.rows.append(values)
        if len(self.rows) >= FLUSH_EVERY:
            self.flush()
        return ident

    def flush(self) -> None:
        if not self.rows:
            return
        base, getter, dated = self.base, self.getter, self.dated
        params = []
        for row in self.rows:
            values = list(getter({**base, **row}))
            for i in dated:
                if values[i] is not None:
                    values[i] = str(values[i])
            params.append(values)
        m.database.cursor().executemany(self.sql, params)
        self.count += len(self.rows)
        self.rows = []


@dataclass
class UnitInfo:
    id: int
    name: str
    place: Any  # bench.generate.Place
    ptype: str
    youth: bool
    town: str
    head: str
    hotline: str
    address: str
    county_title: tuple[int, str] | None = None  # (term, status)
    city_title: tuple[int, str] | None = None
    province_title: tuple[int, str] | None = None


class Builder:
    def __init__(self, *, office: m.Office, places: list, today: dt.date, rng, uuid_rng,
                 say: Callable[[str], None]) -> None:
        self.office, self.places, self.today, self.rng, self.say = office, places, today, rng, say
        self.tables: dict[str, Table] = {}
        self.uuid_rng = uuid_rng
        self.ptypes = {p.name: p.id for p in m.PoliceType.select()}
        self.holidays = {d.day: d.workday for d in m.CalendarDay.select()}
        self.units: list[UnitInfo] = []
        self.counters: dict[tuple, int] = {}

    def t(self, model: type[m.BaseModel]) -> Table:
        name = model.__name__
        if name not in self.tables:
            self.tables[name] = Table(model, self.uuid_rng)
        return self.tables[name]

    # -- small generators ------------------------------------------------------------------

    def person(self) -> str:
        while True:
            name = self.rng.choice(data.SURNAMES) + self.rng.choice(data.GIVEN)
            if name not in data.FORBIDDEN_NAMES:
                return name

    def mobile(self) -> str:
        return self.rng.choice(("139", "138", "137", "135", "158", "189")) + \
            f"{self.rng.randrange(10**8):08d}"

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + self.rng.randrange(max(1, (end - start).days + 1)) * DAY

    def seq(self, *key: Any) -> int:
        n = self.counters[key] = self.counters.get(key, 0) + 1
        return n

    # -- the build -------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        self._office_records()
        self._units()
        self.say(f"{len(self.units)} units")
        self._campaigns()
        self._titles()
        self._past_failures()
        self._current_candidates()
        self.say("titles and campaigns")
        work.evidence(self)
        self.say("inspections and surveys")
        work.work_records(self)
        counts = {}
        for name, table in self.tables.items():
            table.flush()
            counts[name] = table.count
            m.audit("批量新增", name, {"rows": table.count}, entity_id="bench.generate")
        return counts

    def _office_records(self) -> None:
        me = self.office.id
        lg = self.t(m.LeadingGroupMember)
        self.clerk = self.person()
        self.member_names: dict[int, str] = {}
        for i, (role, post, employer) in enumerate(data.LEADING_GROUP):
            name = self.person()
            self.member_names[lg.add(owner_office=me, role=role, name=name, post=post,
                                     employer=employer, sort_order=i)] = name
        self.members = list(self.member_names)
        for category, employer, note in data.SUPERVISORS:
            self.t(m.Supervisor).add(owner_office=me, name=self.person(), category=category,
                                     employer=employer, phone=self.mobile(),
                                     appointed_on=dt.date(CURRENT_TERM, 4, 1),
                                     term_end=dt.date(CURRENT_TERM + 3, 3, 31), note=note)
        standard = self.t(m.Standard).add(owner_office=me, name="“青少年维权岗”基本创建标准")
        self.items = [(self.t(m.StandardItem).add(
            owner_office=me, standard=standard, group_no=g, text=text, weight=w,
            scoring_rule=data.SCORING_RULE, sort_order=i), w)
            for i, (g, text, w) in enumerate(data.STANDARD_ITEMS)]
        self.template = self.t(m.SurveyTemplate).add(owner_office=me, name="知晓度满意度调查问卷")
        for order, (kind, text, options) in enumerate(data.SURVEY_QUESTIONS, start=1):
            self.t(m.SurveyQuestion).add(owner_office=me, template=self.template, sort_order=order,
                                         kind=kind, text=text,
                                         options=json.dumps(options, ensure_ascii=False))

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

    # -- campaigns -------------------------------------------------------------------------

    def _campaign_offices(self, level: int) -> dict[int, tuple[str, tuple[int, ...], list]]:
        """owner office → (region name, naming bodies, places) of the campaigns at ``level``."""
        out: dict[int, tuple[str, tuple[int, ...], list]] = {}
        for p in self.places:
            if level == 1 and not p.direct:
                out.setdefault(p.office_id, (p.name, p.naming_body_ids, []))[2].append(p)
            elif level == 2 and self.office.level >= 2:
                out.setdefault(p.city_office_id, (p.city, p.city_naming_body_ids, []))[2].append(p)
            elif level == 3 and self.office.level >= 3:
                out.setdefault(p.province_office_id, ("江苏省", p.province_body_ids, []))[2].append(p)
        return out

    def _campaigns(self) -> None:
        rng, camps = self.rng, self.t(m.Campaign)
        self.campaigns: dict[tuple[int, int, int], dict[str, Any]] = {}
        for level in (1, 2, 3):
            for owner, (region, bodies, places) in self._campaign_offices(level).items():
                for term in (2023, CURRENT_TERM):
                    info: dict[str, Any] = {"owner": owner, "level": level, "term": term,
                                            "places": places, "named": 0}
                    info["creation_start"] = dt.date(term, 5, 1)
                    if term == 2023:
                        stage, info["creation_end"] = "closed", dt.date(2024, 10, 31)
                        info["naming_date"] = dt.date(2024, 12, rng.randint(10, 28))
                    elif level == 3 or (level == 1 and rng.random() < 0.5):
                        stage, info["creation_end"] = "creation", dt.date(2026, 12, 20)
                        info["naming_date"] = None
                    else:
                        stage, info["creation_end"] = "review", dt.date(2026, 10, 31)
                        info["naming_date"] = None
                    info["stage"] = stage
                    ce = info["creation_end"]
                    info["id"] = camps.add(
                        owner_office=owner, level=level, term_start=term,
                        name=f"{Term(term).label}{region}公安系统“青少年维权岗”创建活动", stage=stage,
                        application_start=dt.date(term, 3, 1),
                        application_end=dt.date(term, 4, 15),
                        creation_start=info["creation_start"], creation_end=ce,
                        review_planned=ce + 15 * DAY,
                        publicity_start=dt.date(2024, 11, 25) if term == 2023 else None,
                        publicity_end=dt.date(2024, 12, 3) if term == 2023 else None,
                        naming_planned=ce + 45 * DAY, naming_date=info["naming_date"],
                        document_no=f"{region[0]}团联〔{term}〕{rng.randint(5, 60)}号",
                        quota=8 if level == 3 else None, min_inspections=2 if level > 1 else 1)
                    for order, body in enumerate(bodies):
                        self.t(m.CampaignNamingBody).add(owner_office=owner, campaign=info["id"],
                                                         naming_body=body, sort_order=order)
                    if level > 1:
                        senders = sorted({p.office_id if level == 2 else p.city_office_id
                                          for p in places if not p.direct})
                        for sender in senders:
                            self.t(m.CampaignQuota).add(owner_office=owner, campaign=info["id"],
                                                        office=sender, quota=8 if level == 3 else 3)
                    self.campaigns[(level, term, owner)] = info
        self.candidates: list[tuple[int, UnitInfo, dict[str, Any], str]] = []

    def _candidate(self, unit: UnitInfo, info: dict[str, Any], status: str,
                   sender: int | None) -> int:
        cs, ce = info["creation_start"], info["creation_end"]
        applied = self.day(dt.date(info["term"], 3, 5), dt.date(info["term"], 4, 15))
        ident = self.t(m.Candidate).add(owner_office=info["owner"], campaign=info["id"],
                                        unit=unit.id, status=status, recommended_by=sender,
                                        applied_on=applied)
        first = "recommended" if sender else "applied"
        steps = [("", first, applied), (first, "creating", cs)]
        if status != "creating":
            steps.append(("creating", "reviewing", ce + DAY))
        if status in ("named", "failed"):
            steps.append(("reviewing", status, info["naming_date"] if status == "named"
                          else ce + 20 * DAY))
        for frm, to, on in steps:
            self.t(m.CandidateEvent).add(owner_office=info["owner"], candidate=ident,
                                         from_status=frm, to_status=to, on=on,
                                         actor=unit.head if to == "applied" else "创建活动领导小组办公室")
        self.candidates.append((ident, unit, info, status))
        return ident

    # -- titles ----------------------------------------------------------------------------

    def _titles(self) -> None:
        rng = self.rng
        terms_after = {t: [x for x in PAST_TERMS if x > t] for t in PAST_TERMS}
        weights = [w for _s, w in TITLE_STATUSES]
        statuses = [s for s, _w in TITLE_STATUSES]

        def status() -> str:
            return rng.choices(statuses, weights)[0]

        for u in self.units:
            if not u.youth:
                if rng.random() < 0.4:
                    u.county_title = (rng.choice((2013, 2015)), "deregistered")
                    self._title(u, 1, *u.county_title)
                continue
            if u.place.direct:
                lower_ok, lower_term = True, 2011
            else:
                if rng.random() < 0.45:
                    u.county_title = (rng.choice(PAST_TERMS), status())
                    self._title(u, 1, *u.county_title)
                lower_ok = bool(u.county_title and u.county_title[1] == "valid")
                lower_term = u.county_title[0] if u.county_title else 9999
            chance = 0.45 if u.place.direct else 0.33
            later = [t for t in PAST_TERMS if t > lower_term]
            if lower_ok and later and rng.random() < chance:
                u.city_title = (rng.choice(later), status())
                self._title(u, 2, *u.city_title)
                if u.city_title[1] == "valid" and rng.random() < 0.05:
                    self._title(u, 2, u.city_title[0], "valid", kind="demonstration")
                later = terms_after[u.city_title[0]]
                if u.city_title[1] == "valid" and later and rng.random() < 0.25:
                    u.province_title = (rng.choice(later), status())
                    self._title(u, 3, *u.province_title)

    def _title(self, u: UnitInfo, level: int, term: int, status: str, kind: str = "post") -> None:
        rng, p, today = self.rng, u.place, self.today
        if level == 1:
            owner, bodies, text = p.office_id, p.naming_body_ids, f"{p.league}、{p.bureau}"
            cert, doc = f"{p.name[:2]}维权", f"{p.name[0]}团联"
        elif level == 2:
            owner, bodies, text = (p.city_office_id, p.city_naming_body_ids,
                                   f"共青团{p.city}委、{p.city}公安局")
            cert, doc = f"{p.city[:2]}维权", f"{p.city[0]}团联"
        else:
            owner, bodies, text = p.province_office_id, p.province_body_ids, "共青团江苏省委、江苏省公安厅"
            cert, doc = "苏维权", "团苏委联"
        info = self.campaigns.get((level, term, owner))
        candidate = None
        if info is not None:
            named_on = info["naming_date"]
            if kind == "post":
                info["named"] += 1
                candidate = self._candidate(u, info, "named", None)
        else:
            named_on = dt.date(term + 1, rng.randint(8, 12), rng.randint(1, 28))
        if status == "cancelled" and named_on + 3 * 365 * DAY > today:
            status = "rectifying"  # too recent to have failed a re-check already
        fire = not u.youth
        fields: dict[str, Any] = {"status_changed_on": named_on}
        events = [("named" if info else "recorded", named_on, f"{text}命名", "", "valid", {})]
        plaque, rereviews = "issued", []
        if status == "valid":
            due = today + rng.randint(-45, 700) * DAY
            fields["next_rereview_due"] = due
            if named_on + 400 * DAY < due - 730 * DAY < today:
                rereviews.append({"on": due - 730 * DAY, "passed": True,
                                  "score": round(rng.uniform(85, 97), 1)})
                events.append(("rereview_passed", due - 730 * DAY, "定期复核合格，继续保留称号",
                               "valid", "valid", {}))
        elif status in ("rectifying", "cancelled"):
            failed = (today - rng.randint(30, 330) * DAY if status == "rectifying"
                      else named_on + 2 * 365 * DAY)
            deadline = failed + 365 * DAY
            cancelled = status == "cancelled"
            rereviews.append({"on": failed, "passed": False, "score": round(rng.uniform(55, 69), 1),
                              "rectification_deadline": deadline,
                              "recheck_on": deadline if cancelled else None,
                              "recheck_passed": False if cancelled else None})
            events.append(("rereview_failed", failed, "复核不合格，实行为期一年的整改", "valid",
                           "rectifying", {}))
            fields.update(status_changed_on=failed, rectification_deadline=deadline)
            if status == "cancelled":
                events.append(("recheck_failed", deadline, "整改期满考核不合格，取消称号并摘牌",
                               "rectifying", "cancelled", {}))
                fields["status_changed_on"], plaque = deadline, "removed"
        elif status == "deregistered":
            on = data.FIRE_LEFT if fire else self.day(named_on + 100 * DAY, today - 30 * DAY)
            events.append(("deregistered", on, FIRE_REASON if fire else "工作性质改变，不再涉及青少年",
                           "valid", "deregistered", {}))
            fields["status_changed_on"], plaque = on, "souvenir"
        elif status == "revoked":
            on = self.day(named_on + 100 * DAY, today - 30 * DAY)
            events.append(("revoked", on, "经查属实，撤销称号", "valid", "revoked",
                            {"ground": rng.choice(("law", "major_error", "fraud")),
                             "finding": "经调查核实，情况属实", "evidence": "调查报告一份"}))
            fields["status_changed_on"], plaque = on, "reclaimed"
        unit_name = ("海安县" + u.name[3:] if u.name.startswith("海安市")
                     and named_on < data.HAIAN_RENAMED else u.name)
        docs = self.counters.setdefault(("doc", owner, named_on), rng.randint(5, 90))
        ident = self.t(m.Title).add(
            owner_office=owner, unit=u.id, level=level, term_start=term, kind=kind, status=status,
            unit_name=unit_name, named_on=named_on, document_no=f"{doc}〔{named_on.year}〕{docs}号",
            certificate_no=f"{cert}〔{named_on.year}〕第{self.seq(cert, named_on.year):03d}号",
            naming_bodies_text=text, campaign=info["id"] if info else None, candidate=candidate,
            **fields)
        for rr in rereviews:
            self.t(m.ReReview).add(owner_office=owner, title=ident, regular=True, **rr)
        for order, body in enumerate(bodies):
            self.t(m.TitleNamingBody).add(owner_office=owner, title=ident, naming_body=body,
                                          sort_order=order)
        for k, on, reason, frm, to, extra in events:
            self.t(m.TitleEvent).add(owner_office=owner, title=ident, kind=k, on=on, actor=text,
                                     reason=reason, from_status=frm, to_status=to, **extra)
        self.t(m.Plaque).add(owner_office=owner, title=ident, state=plaque,
                             issued_on=named_on + 20 * DAY,
                             state_changed_on=fields["status_changed_on"])

    # -- candidates that were not named, and the running term ------------------------------

    def _pool(self, level: int, info: dict[str, Any], taken: set[int]) -> list[UnitInfo]:
        """Units of the campaign's area that may enter it (the ladder of DOMAIN rule 1)."""
        if not hasattr(self, "_by_place"):
            self._by_place: dict[int, list[UnitInfo]] = {}
            for u in self.units:
                self._by_place.setdefault(id(u.place), []).append(u)
        return [u for p in info["places"] for u in self._by_place.get(id(p), [])
                if u.youth and u.id not in taken and _eligible(u, level)]

    def _past_failures(self) -> None:
        """The 2023 campaigns reviewed more than they named (the 20 % differential)."""
        rng = self.rng
        for (level, term, owner), info in self.campaigns.items():
            if term != 2023:
                continue
            named = info["named"]
            failed = math.ceil(named / 5) + (1 if rng.random() < 0.3 else 0)
            taken = {c[1].id for c in self.candidates if c[2] is info}
            pool = self._pool(level, info, taken)
            chosen = rng.sample(pool, min(failed, len(pool)))
            for u in chosen:
                self._candidate(u, info, "failed", None)
            reviewed = named + len(chosen)
            max_pass = 5 * reviewed // 6
            self.t(m.ReviewDecision).add(
                owner_office=owner, campaign=info["id"], decided_on=info["creation_end"] + 20 * DAY,
                reviewed=reviewed, passed=named, convention="election", max_pass=max_pass,
                override=named > max_pass,
                override_reason="候选单位不足，经领导小组研究同意全部达标单位予以命名"
                if named > max_pass else "", actor="创建活动领导小组")

    def _current_candidates(self) -> None:
        """The 2025—2026 term: county campaigns take about a tenth of the units without a title;
        the city and the province take a few recommended by each office below."""
        rng = self.rng
        for (level, term, _owner), info in self.campaigns.items():
            if term != CURRENT_TERM:
                continue
            status = "creating" if info["stage"] == "creation" else "reviewing"
            pool = self._pool(level, info, set())
            if level == 1:
                picks = [(u, None) for u in rng.sample(pool, max(1, len(pool) // 10))] if pool else []
            else:
                by_sender: dict[int | None, list[UnitInfo]] = {}
                for u in pool:
                    sender = (None if u.place.direct else u.place.office_id) if level == 2 \
                        else u.place.city_office_id
                    by_sender.setdefault(sender, []).append(u)
                picks = []
                for sender, units in by_sender.items():
                    quota = 8 if level == 3 else max(2, len(units) // 12)
                    picks += [(u, sender) for u in rng.sample(units, min(quota, len(units)))]
            for u, sender in picks:
                self._candidate(u, info, status, sender)


def _valid(title: tuple[int, str] | None) -> bool:
    return bool(title and title[1] == "valid")


def _eligible(u: UnitInfo, level: int) -> bool:
    """No title at ``level`` yet and a valid one a level down (市直 units start at the city)."""
    if level == 1:
        return not u.place.direct and u.county_title is None
    if level == 2:
        return u.city_title is None and (u.place.direct or _valid(u.county_title))
    return u.province_title is None and _valid(u.city_title)
