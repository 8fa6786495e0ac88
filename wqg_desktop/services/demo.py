"""A living demo database: 南通市公安局 (city office) in the middle of its 2025—2026 campaign.

:func:`build_demo` fills an empty, opened and migrated database with the units of the 2012
notice (attachments 2 and 3) and an invented but realistic register for 海安市, with the
history of renames and mergers, titles of several terms in every state, two running campaigns
(city level in review, 海安 county level in creation), inspections, surveys and the work
records of the creation period. Everything is relative to ``today`` except historical facts,
and deterministic for a given ``today`` and ``seed``. People, telephone numbers and cases are
invented (:mod:`wqg_desktop.services.demo_data`).

Ownership: reference data (regions, bureaus, police types), the city campaign and the 市直
units belong to the city office. Each county bureau is a lightweight office that sends
packages up: its units, their work records and its county-level titles belong to it (the
港闸 county titles to 崇川, which took 港闸 over). Provincial titles belong to an office row
for 江苏省公安厅, the city office's parent.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics

from wqg_desktop.db import models as m
from wqg_desktop.domain import workdays
from wqg_desktop.domain.chinese import Term, normalize_name_key
from wqg_desktop.domain.statuses import CONSULT_CHANNELS, YOUTH_GROUPS, RegionKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import calendar, reference, settings
from wqg_desktop.services import demo_data as data
from wqg_desktop.services import office as office_service
from wqg_desktop.services.registry import name_pinyin

ACTOR = "演示数据"
CITY_BODIES = ("共青团南通市委", "南通市公安局")
PROVINCE_BODIES = ("共青团江苏省委", "江苏省公安厅")
HAIAN_BODIES = ("共青团海安市委", "海安市公安局")
DAY = dt.timedelta(days=1)


def build_demo(*, today: dt.date, seed: int = 2012) -> None:
    """Fill an empty database with the demo; refuse a database that already has an office."""
    if office_service.this_office() is not None:
        raise InputRefused("数据库不是空的（已经设置过所属单位），演示数据只能装入新建的空数据库。")
    with m.acting_as(ACTOR), m.database.atomic():
        _Builder(today, random.Random(seed)).run()


def _shift_months(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.month - 1 + months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(day.year + year, month0 + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _fake_id(first17: str) -> str:
    """An invented identity number: the 17 digits given plus a well-formed check digit."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


class _Builder:
    def __init__(self, today: dt.date, rng: random.Random) -> None:
        self.today, self.rng = today, rng
        self.used_names: set[str] = set(data.FORBIDDEN_NAMES)
        self.used_phones: set[str] = set(data.FORBIDDEN_PHONES)
        self.cert_counter: dict[tuple[str, int], int] = {}
        self.doc_numbers: dict[tuple[str, dt.date], str] = {}
        # The campaign calendar, all relative to today; terms start in odd years.
        self.term = today.year - 1 if today.year % 2 == 0 else today.year - 2
        self.creation_start = _shift_months(today, -20)
        self.creation_end = today - 5 * DAY
        self.app_start = self.creation_start - 60 * DAY
        self.app_end = self.creation_start - 15 * DAY
        # The latest county titles, named before the city campaign's application window.
        self.recent_named = min(dt.date(self.term - 1, 12, 18), self.app_start - 20 * DAY)
        self.head_changed_on = max(dt.date(today.year, 1, 1), today - 40 * DAY)
        self.training_on = today - 90 * DAY

    # -- small generators ------------------------------------------------------------------

    def person(self) -> str:
        while True:
            name = self.rng.choice(data.SURNAMES) + self.rng.choice(data.GIVEN)
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _phone(self, make) -> str:
        while True:
            phone = make()
            if phone not in self.used_phones and phone[-8:] not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def mobile(self) -> str:
        head = self.rng.choice(("139", "139", "138", "137", "135", "158", "189"))
        return self._phone(lambda: head + f"{self.rng.randrange(10**8):08d}")

    def landline(self) -> str:
        return self._phone(lambda: f"0513-8{self.rng.randrange(10**7):07d}")

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + self.rng.randrange(max(1, (end - start).days + 1)) * DAY

    def address(self, county: str, town: str) -> str:
        n = self.rng.randint(1, 399)
        if county == "shizhi":
            return f"南通市崇川区{self.rng.choice(data.SHIZHI_STREETS)}{n}号"
        region, streets = data.COUNTIES[county][0], data.COUNTIES[county][7]
        prefix = "南通市" if region.endswith("区") and not region.startswith("南通") else ""
        if town.endswith("镇") or town == "老坝港":
            return f"{prefix}{region}{town}{self.rng.choice(('人民路', '建设路', '府前路'))}{n}号"
        return f"{prefix}{region}{self.rng.choice(streets)}{n}号"

    # -- the build -------------------------------------------------------------------------

    def run(self) -> None:
        self._offices()
        self._regions_and_bureaus()
        self._naming_bodies()
        self._units()
        self._titles()
        self._people()
        self._campaigns()
        self._inspections()
        self._surveys()
        self._work_records()
        settings.put("certificate_prefix", "通维权")

    def _offices(self) -> None:
        self.officer = self.person()
        self.city = office_service.setup_office(
            level="市", name="南通市公安局", region_name="南通市", region_code="320600",
            officer=self.officer)
        self.province = m.Office.create(
            uuid=reference.reference_uuid("office", "江苏省公安厅"), level=3,
            name="江苏省公安厅", region_code="320000", region_name="江苏省")
        self.city.parent = self.province
        self.city.save()
        self.offices: dict[str, m.Office] = {"shizhi": self.city}
        for key, (region, code, _s, bureau, *_rest) in data.COUNTIES.items():
            self.offices[key] = m.Office.create(
                uuid=reference.reference_uuid("office", bureau), level=1, name=bureau,
                region_code=code, region_name=region, parent=self.city)
        self.ptypes = {p.name: p for p in m.PoliceType.select()}

    def _regions_and_bureaus(self) -> None:
        city = self.city
        city_region = m.Region.get(m.Region.kind == str(RegionKind.CITY),
                                   m.Region.name == "南通市")
        self.regions = {"shizhi": reference.city_direct_group(city_region, owner=city)}
        for key, (name, code, sort, *_rest) in data.COUNTIES.items():
            self.regions[key] = reference.ensure_region(
                name, RegionKind.COUNTY, code=code, parent=city_region, sort_order=sort, owner=city)
        gangzha = reference.ensure_region(
            "港闸区", RegionKind.COUNTY, code="320611", parent=city_region, sort_order=2, owner=city)
        gangzha.merged_into, gangzha.merged_on = self.regions["chongchuan"], data.GANGZHA_MERGED
        gangzha.save()

        def bureau(name: str, region: m.Region, parent: m.Bureau | None = None, **kw) -> m.Bureau:
            return m.Bureau.create(owner_office=city, uuid=reference.reference_uuid("bureau", name),
                                   name=name, region=region, parent=parent, **kw)

        city_bureau = bureau("南通市公安局", city_region)
        self.bureaus = {"shizhi": city_bureau}
        for key, (_r, _c, _s, name, *_rest) in data.COUNTIES.items():
            self.bureaus[key] = bureau(name, self.regions[key], city_bureau)
        bureau("南通市公安局港闸分局", gangzha, city_bureau, merged_into=self.bureaus["chongchuan"],
               merged_on=data.GANGZHA_MERGED)
        for key, old_region, old_bureau, on, note in data.RENAMES:
            m.RegionName.create(owner_office=city, region=self.regions[key], name=old_region,
                                valid_to=on, note=note)
            m.BureauName.create(owner_office=city, bureau=self.bureaus[key], name=old_bureau,
                                valid_to=on, note="随行政区划调整更名")

    def _naming_bodies(self) -> None:
        self.bodies: dict[str, m.NamingBody] = {}

        def body(name: str, level: int, region: str, owner: m.Office) -> None:
            self.bodies[name] = m.NamingBody.create(
                owner_office=owner, uuid=reference.reference_uuid("naming_body", name),
                name=name, level=level, region_name=region)

        for name in CITY_BODIES:
            body(name, 2, "南通市", self.city)
        for name in PROVINCE_BODIES:
            body(name, 3, "江苏省", self.province)
        for key, (region, _c, _s, bureau, league, *_rest) in data.COUNTIES.items():
            body(league, 1, region, self.offices[key])
            body(bureau, 1, region, self.offices[key])

    # -- units -----------------------------------------------------------------------------

    def _units(self) -> None:
        self.units: dict[str, m.Unit] = {}
        self.info: dict[str, tuple[str, set[str], str, str, str | None, dt.date | None]] = {}
        seq: dict[str, int] = {}
        fire_reason = "2018年消防部队改制，消防救援队伍转隶应急管理部门，不再隶属公安机关"
        for name, county, ptype, kind, town, flag_text in data.UNITS:
            flags = set(flag_text.split())
            old, renamed_on, why = data.old_name(name, county, flags)
            region, owner = self.regions[county], self.offices[county]
            seq[county] = seq.get(county, 0) + 1
            fire = ptype == "消防"
            online = "A2" in flags or (not fire and self.rng.random() < 0.7)
            online_since = dt.date(2012, 10, 15) if "A2" in flags else self.day_between(
                dt.date(2013, 3, 1), dt.date(2024, 6, 30))
            prefix = region.code or ("SZ" if county == "shizhi" else "KF")
            note = ("附件2所列2011—2012年度省级创建单位" if "A2" in flags
                    else "附件3所列2011—2012年度市级创建单位" if "A3" in flags else "")
            unit = m.Unit.create(
                owner_office=owner, code=f"{prefix}-{seq[county]:03d}", name=name,
                name_key=normalize_name_key(name), pinyin=name_pinyin(name), region=region,
                bureau=self.bureaus[county], police_type=self.ptypes[ptype], unit_kind=kind,
                head_name=self.person(), head_post=data.HEAD_POSTS[kind],
                head_phone=self.mobile(), rights_hotline=self.landline(),
                address=self.address(county, town), online=online,
                online_since=online_since if online else None,
                volunteer_team="" if fire else f"{self._short(name, county)}青少年维权志愿服务队",
                works_with_youth=not fire, youth_work_ended_on=data.FIRE_LEFT if fire else None,
                youth_work_end_reason=fire_reason if fire else "",
                status="dissolved" if fire else "active",
                closed_on=data.FIRE_LEFT if fire else None, note=note)
            self.units[name] = unit
            self.info[name] = (county, flags, ptype, town, old, renamed_on)
            if old:
                m.UnitName.create(owner_office=owner, unit=unit, name=old, valid_to=renamed_on,
                                  note=why)
            since = self.day_between(dt.date(2016, 1, 1), dt.date(2024, 12, 31))
            if "OLDHEAD" in flags:
                m.UnitHead.create(owner_office=owner, unit=unit, name=self.person(),
                                  post=unit.head_post, phone=self.mobile(),
                                  since=dt.date(2019, 3, 1), until=self.head_changed_on)
                since = self.head_changed_on
            m.UnitHead.create(owner_office=owner, unit=unit, name=unit.head_name,
                              post=unit.head_post, phone=unit.head_phone,
                              since=min(since, self.today),
                              until=data.FIRE_LEFT if fire else None)

    def _short(self, name: str, county: str) -> str:
        prefix = self.bureaus[county].name
        return name[len(prefix):] if name.startswith(prefix) and len(name) > len(prefix) else name

    def _name_on(self, name: str, day: dt.date) -> str:
        old, renamed_on = self.info[name][4], self.info[name][5]
        return old if old and renamed_on and day < renamed_on else name

    # -- titles ----------------------------------------------------------------------------

    def _document_no(self, prefix: str, day: dt.date) -> str:
        key = (prefix, day)
        if key not in self.doc_numbers:
            self.doc_numbers[key] = f"{prefix}〔{day.year}〕{self.rng.randint(5, 60)}号"
        return self.doc_numbers[key]

    def _certificate_no(self, prefix: str, year: int) -> str:
        n = self.cert_counter[(prefix, year)] = self.cert_counter.get((prefix, year), 0) + 1
        return f"{prefix}〔{year}〕第{n:03d}号"

    def _titles(self) -> None:
        renamed = {"haian": data.HAIAN_RENAMED, "haimen": data.HAIMEN_RENAMED,
                   "gangzha": data.GANGZHA_MERGED}
        for name, level, term, named_on, kind, status in data.title_specs():
            county, flags = self.info[name][0], self.info[name][1]
            term = term or self.term - 2
            named_on = named_on or self.recent_named
            if level == 1:
                owner = self.offices[county]
                _r, _c, _s, bureau, league, cert, doc, _st = data.COUNTIES[county]
                bodies = [self.bodies[league], self.bodies[bureau]]
                old_key = "gangzha" if "GZ" in flags else county
                text = (data.OLD_COUNTY_BODIES[old_key]
                        if old_key in renamed and named_on < renamed[old_key]
                        else f"{league}、{bureau}")
            else:
                owner, names, cert, doc = ((self.city, CITY_BODIES, "通维权", "通团联")
                                           if level == 2 else
                                           (self.province, PROVINCE_BODIES, "苏维权", "团苏委联"))
                bodies, text = [self.bodies[n] for n in names], "、".join(names)
            self._title(owner, self.units[name], level, term, named_on, kind, status, bodies,
                        text, self._document_no(doc, named_on),
                        self._certificate_no(cert, named_on.year))

    def _title(self, owner, unit, level, term, named_on, kind, status, bodies, text, doc_no,
               cert_no) -> None:
        t = self.today
        fields: dict = {"status_changed_on": named_on}
        events = [("recorded", named_on, f"补录：{text}于{named_on:%Y年%m月%d日}命名（{doc_no}）",
                   "", "valid", {})]
        rereviews: list[dict] = []
        plaque_state, plaque_on, note = "issued", named_on + 20 * DAY, ""
        if status == "valid":
            days = data.REREVIEW_DUE.get((unit.name, level))
            due = t + (days if days is not None else self.rng.randint(45, 700)) * DAY
            fields["next_rereview_due"], last = due, due - 730 * DAY
            if named_on + 365 * DAY < last < t:
                rereviews.append({"on": last, "passed": True,
                                  "score": round(self.rng.uniform(85, 97), 1)})
                events.append(("rereview_passed", last, "定期复核合格，继续保留称号",
                               "valid", "valid", {}))
        elif status == "rectifying":
            failed = t - 325 * DAY
            deadline = failed + 365 * DAY
            rereviews.append({"on": failed, "passed": False, "score": 66.5,
                              "rectification_deadline": deadline,
                              "note": "服务承诺未更新，咨询投诉台账缺失，满意率低于要求"})
            events.append(("rereview_failed", failed, "复核不合格，实行为期一年的整改",
                           "valid", "rectifying", {}))
            fields.update(status_changed_on=failed, rectification_deadline=deadline)
        elif status in data.TITLE_ENDINGS:
            ended, more, plaque_state, plaque_on, note = data.TITLE_ENDINGS[status]
            rereviews += ended
            events += more
            fields["status_changed_on"] = more[-1][1]
        if plaque_state != "issued":
            events.append(("plaque", plaque_on, note, status, status, {}))
        title = m.Title.create(
            owner_office=owner, unit=unit, level=level, term_start=term, kind=kind,
            status=status, unit_name=self._name_on(unit.name, named_on), named_on=named_on,
            document_no=doc_no, certificate_no=cert_no, naming_bodies_text=text, **fields)
        for order, nb in enumerate(bodies):
            m.TitleNamingBody.create(owner_office=owner, title=title, naming_body=nb,
                                     sort_order=order)
        for rr in rereviews:
            m.ReReview.create(owner_office=owner, title=title, regular=True, **rr)
        for kind_, on, reason, frm, to, extra in events:
            m.TitleEvent.create(owner_office=owner, title=title, kind=kind_, on=on, actor=text,
                                reason=reason, from_status=frm, to_status=to, **extra)
        m.Plaque.create(owner_office=owner, title=title, state=plaque_state,
                        issued_on=named_on + 20 * DAY, state_changed_on=plaque_on, note=note)

    # -- people ----------------------------------------------------------------------------

    def _people(self) -> None:
        self.members = [m.LeadingGroupMember.create(
            owner_office=self.city, role=role, name=self.person(), post=post, employer=employer,
            sort_order=order) for order, (role, post, employer) in enumerate(data.LEADING_GROUP)]
        last = self.members[-1]  # 成员, and 办公室主任 (兼) — as in attachment 1
        m.LeadingGroupMember.create(
            owner_office=self.city, role="office_director", name=last.name, post=last.post,
            employer=last.employer, concurrent=True, sort_order=len(self.members))
        appointed = self.creation_start - 15 * DAY
        self.supervisors = [m.Supervisor.create(
            owner_office=self.city, name=self.person(), category=category, employer=employer,
            phone=self.mobile(), appointed_on=appointed, term_end=_shift_months(appointed, 36),
            note=note) for category, employer, note in data.SUPERVISORS]

    # -- campaigns -------------------------------------------------------------------------

    def _campaigns(self) -> None:
        t, label, city = self.today, Term(self.term).label, self.city
        self.campaign = m.Campaign.create(
            owner_office=city, level=2, term_start=self.term,
            name=f"{label}全市公安系统“青少年维权岗”创建活动", stage="review",
            application_start=self.app_start, application_end=self.app_end,
            creation_start=self.creation_start, creation_end=self.creation_end,
            review_planned=t + 10 * DAY, naming_planned=t + 45 * DAY,
            document_no=self._document_no("通团联", self.app_start), quota=21,
            require_online=False, min_inspections=2,
            note="各县(市)区公安(分)局按分配名额推荐；市直单位由市局直接确定。")
        for order, name in enumerate(CITY_BODIES):
            m.CampaignNamingBody.create(owner_office=city, campaign=self.campaign,
                                        naming_body=self.bodies[name], sort_order=order)
        for key, quota in data.QUOTAS.items():
            m.CampaignQuota.create(owner_office=city, campaign=self.campaign,
                                   office=self.offices[key], quota=quota)
        self.candidates: list[m.Candidate] = []
        for name, (county, flags, *_rest) in self.info.items():
            if "CAND" in flags:
                applied = self.day_between(self.app_start + 3 * DAY, self.app_end)
                sender = self.offices[county]
                steps = [("", "recommended", applied, sender.name, "按分配名额推荐"),
                         ("recommended", "creating", self.creation_start, self.officer,
                          "确定为市级创建单位，进入两年创建期"),
                         ("creating", "reviewing", self.creation_end + DAY, self.officer,
                          "创建期满，进入审核")]
                self.candidates.append(self._candidate(city, self.campaign, name, "reviewing",
                                                       applied, sender, steps))
        # 海安市: the county-level campaign of the same term, still in its creation period.
        haian, haian_officer = self.offices["haian"], self.person()
        start = self.creation_start + 14 * DAY
        self.county_campaign = m.Campaign.create(
            owner_office=haian, level=1, term_start=self.term,
            name=f"{label}海安市公安系统“青少年维权岗”创建活动", stage="creation",
            application_start=start - 45 * DAY, application_end=start - 10 * DAY,
            creation_start=start, creation_end=t + 25 * DAY, review_planned=t + 40 * DAY,
            naming_planned=t + 80 * DAY, document_no=self._document_no("海团联", start - 45 * DAY),
            min_inspections=1, note="县级层面全覆盖：未获县级称号的基层单位均应参与创建。")
        for order, name in enumerate(HAIAN_BODIES):
            m.CampaignNamingBody.create(owner_office=haian, campaign=self.county_campaign,
                                        naming_body=self.bodies[name], sort_order=order)
        self.county_candidates: list[m.Candidate] = []
        for name, (_county, flags, *_rest) in self.info.items():
            if "CTY" in flags:
                applied = self.day_between(start - 45 * DAY, start - 10 * DAY)
                steps = [("", "applied", applied, self.units[name].head_name, "本单位申报"),
                         ("applied", "creating", start, haian_officer, "确定为县级创建单位")]
                self.county_candidates.append(self._candidate(
                    haian, self.county_campaign, name, "creating", applied, None, steps))

    def _candidate(self, owner, campaign, name, status, applied, sender, steps) -> m.Candidate:
        cand = m.Candidate.create(owner_office=owner, campaign=campaign, unit=self.units[name],
                                  status=status, recommended_by=sender, applied_on=applied)
        for frm, to, on, actor, reason in steps:
            m.CandidateEvent.create(owner_office=owner, candidate=cand, from_status=frm,
                                    to_status=to, on=on, actor=actor, reason=reason)
        return cand

    # -- inspections -----------------------------------------------------------------------

    def _inspections(self) -> None:
        t, rng, city = self.today, self.rng, self.city
        standard = m.Standard.create(owner_office=city, name="“青少年维权岗”基本创建标准",
                                     campaign=self.campaign, frozen=True)
        items = [m.StandardItem.create(owner_office=city, standard=standard, group_no=group,
                                       text=text, weight=weight, scoring_rule=data.SCORING_RULE,
                                       sort_order=i)
                 for i, (group, text, weight) in enumerate(data.STANDARD_ITEMS)]
        span = (self.creation_end - self.creation_start).days
        score_rows = []
        for idx, cand in enumerate(self.candidates):
            offsets = sorted(rng.sample(range(40, span - 45), rng.choice((2, 2, 3))))
            dates = [self.creation_start + d * DAY for d in offsets]
            # One rectification overdue without follow-up, one whose deadline is still ahead.
            special = {2: 75, 5: 12}.get(idx)
            if special:
                dates[-1] = t - special * DAY
            scores = []
            for k, on in enumerate(dates):
                while True:
                    base = rng.uniform(0.72, 0.96)
                    fractions = [min(1.0, max(0.5, base + rng.uniform(-0.06, 0.06))) for _ in items]
                    parts = [round(i.weight * f, 1) for i, f in zip(items, fractions, strict=True)]
                    total = round(sum(parts), 1)
                    if 70 <= total <= 98:
                        break
                open_case = bool(special) and k == len(dates) - 1
                problem, fix = rng.choice(data.PROBLEMS)
                with_problem = total < 88 or open_case
                followed = with_problem and not open_case
                insp = m.Inspection.create(
                    owner_office=city, campaign=self.campaign, candidate=cand,
                    unit=cand.unit_id, on=on, announced=rng.random() < 0.6,
                    findings="；".join(rng.sample(data.FINDINGS, 3)) + "。",
                    problems=problem if with_problem else "",
                    rectification=fix if with_problem else "",
                    rectification_deadline=on + 30 * DAY if with_problem else None,
                    followup="复查：已按要求整改到位" if followed else "",
                    followup_on=on + rng.randint(20, 29) * DAY if followed else None,
                    followup_passed=True if followed else None, score=total)
                scores.append(total)
                for member in rng.sample(self.members, 2):
                    m.InspectionInspector.create(owner_office=city, inspection=insp,
                                                 name=member.name, member=member)
                if rng.random() < 0.5:
                    sup = rng.choice(self.supervisors)
                    m.InspectionInspector.create(owner_office=city, inspection=insp,
                                                 name=sup.name, supervisor=sup)
                score_rows += [{"owner_office": city.id, "inspection": insp.id, "item": item.id,
                                "score": part} for item, part in zip(items, parts, strict=True)]
            cand.manual_score = round(statistics.fmean(scores), 1)
            cand.save()
        self._insert_batch(m.InspectionScore, score_rows, {"inspection_scores": len(score_rows)},
                           self.campaign.uuid)

    @staticmethod
    def _insert_batch(model, rows: list[dict], summary: dict, entity_id: str) -> None:
        """Bulk insert (defaults such as ``uuid`` apply per row) with one audit row."""
        for chunk in range(0, len(rows), 200):
            model.insert_many(rows[chunk:chunk + 200]).execute()
        m.audit("批量新增", model.__name__, summary, entity_id=entity_id)

    # -- surveys ---------------------------------------------------------------------------

    def _surveys(self) -> None:
        rng, city = self.rng, self.city
        template = m.SurveyTemplate.create(owner_office=city, name="知晓度满意度调查问卷")
        for order, (kind, text, options) in enumerate(data.SURVEY_QUESTIONS, start=1):
            m.SurveyQuestion.create(owner_office=city, template=template, sort_order=order,
                                    kind=kind, text=text,
                                    options=json.dumps(options, ensure_ascii=False))
        started = self.creation_end + DAY
        ended = max(started, self.today - DAY)
        entered = dt.datetime.combine(ended, dt.time(15))
        rows = []
        for cand in self.candidates:
            rnd = m.SurveyRound.create(owner_office=city, template=template, unit=cand.unit_id,
                                       campaign=self.campaign, started_on=started,
                                       ended_on=ended, sheets_printed=50)
            # Each unit's area answers differently; fewer know 12355 or were helped themselves.
            know = [rng.uniform(0.55, 0.95) * f for f in (1.0, 0.85, 0.75, 0.45)]
            sat, basic = rng.uniform(0.55, 0.9), rng.uniform(0.5, 0.8)
            for serial in range(1, rng.randint(30, 45) + 1):
                answers = ""
                for q in range(10):
                    r = rng.random()
                    if rng.random() < 0.03:
                        answers += "0"
                    elif q < 4:
                        answers += "1" if r < know[q] else "2"
                    else:
                        answers += "1" if r < sat else "2" if r < sat + (1 - sat) * basic else "3"
                rows.append({
                    "owner_office": city.id, "round": rnd.id, "serial_no": serial,
                    "age_band": rng.choice(data.AGE_BANDS),
                    "youth_group": "在校学生" if rng.random() < 0.75 else rng.choice(YOUTH_GROUPS),
                    "answers": answers, "entered_by": self.officer,
                    "entered_at": entered + serial * dt.timedelta(minutes=1)})
        self._insert_batch(m.SurveySheet, rows, {"rounds": len(self.candidates),
                                                 "sheets": len(rows)}, template.uuid)

    # -- work records ----------------------------------------------------------------------

    def _work_records(self) -> None:
        t, rng = self.today, self.rng
        period = (self.creation_start, self.creation_end)
        units = [self.units[c.unit.name] for c in self.candidates]
        for unit in units:
            owner, (_county, _f, ptype, town, *_rest) = unit.owner_office_id, self.info[unit.name]
            text, rights = data.COMMITMENTS.get(ptype, data.COMMITMENT_DEFAULT)
            m.ServiceCommitment.create(
                owner_office=owner, unit=unit, text=text, rights_content=rights,
                hotline=unit.rights_hotline, address=unit.address,
                responsible_person=unit.head_name,
                published_on=self.creation_start + rng.randint(10, 40) * DAY)
            for _ in range(rng.randint(2, 3)):
                m.Volunteer.create(owner_office=owner, unit=unit, name=self.person(),
                                   phone=self.mobile(), joined_on=self.day_between(*period))
            place, kind = rng.choice(data.CONTACT_PLACES)
            m.ContactPoint.create(owner_office=owner, unit=unit, name=f"{town}{place}联系点",
                                  place_kind=kind, address=f"{town}{place}",
                                  established_on=self.day_between(*period))
            for _ in range(rng.randint(1, 2)):
                m.ContactCardBatch.create(owner_office=owner, unit=unit,
                                          issued_on=self.day_between(*period),
                                          count=rng.randrange(100, 500, 50),
                                          where=town + rng.choice(data.CARD_PLACES))
        self._consultations(units + [self.units[c.unit.name] for c in self.county_candidates])
        self._activities(units)
        self._training(units)
        for name, township, village in data.COBUILDINGS:
            unit = self.units[name]
            cb = m.CoBuilding.create(owner_office=unit.owner_office_id, unit=unit,
                                     township=township, village=village,
                                     started_on=self.creation_start + 30 * DAY, note="百岗千村共建")
            for i, (help_kind, text) in enumerate(rng.sample(data.HELPS, 2)):
                minor = data.MINORS[3] if name.startswith("海安") and i == 0 else None
                m.CoBuildingHelp.create(
                    owner_office=unit.owner_office_id, cobuilding=cb,
                    on=self.day_between(*period), youth_group=rng.choice(YOUTH_GROUPS),
                    help_kind=help_kind, description=text, minor_name=minor[0] if minor else "",
                    minor_id_no=_fake_id(minor[1]) if minor else "")
        by_type = {self.info[u.name][2]: u for u in reversed(units)}
        for ptype, titles in data.PROJECTS.items():  # 网安 is left without a project this year
            unit = by_type.get(ptype)
            for i, title in enumerate(titles):
                m.PracticalProject.create(
                    owner_office=unit.owner_office_id if unit else self.city, year=t.year,
                    police_type=self.ptypes[ptype], unit=unit, title=title,
                    description=f"{t.year}年{ptype}部门为青少年办的实事项目",
                    done=i == 0 and ptype != "禁毒")
        for kind, subject, name, received, due, closed, result in data.REFERRALS:
            m.Referral.create(owner_office=self.city, kind=kind, subject=subject,
                              from_office=self.city, to_unit=self.units[name],
                              to_office_name=self.units[name].bureau.name,
                              received_on=t - received * DAY, due_on=t - due * DAY,
                              closed_on=t - closed * DAY if closed else None, result=result)

    def _consultations(self, units: list[m.Unit]) -> None:
        t, rng = self.today, self.rng
        # The one falling due in two days (or on the first working day after that).
        holidays = calendar.exceptions()
        target = t + 2 * DAY
        while not workdays.is_workday(target, holidays):
            target += DAY
        due_soon = next(d for d in (t - k * DAY for k in range(30))
                        if calendar.add_workdays(d, 5) == target)
        minors = {2: data.MINORS[2], 10: data.MINORS[1], 24: data.MINORS[0]}
        for i in range(30):
            unit = units[i % len(units)] if i < 20 else rng.choice(units)
            kind, content, result = rng.choice(data.CONSULTATIONS)
            unanswered = i in (4, 7, 11, 19)  # 7: not yet due; the others overdue
            received = (due_soon if i == 7 else t - rng.randint(14, 40) * DAY if unanswered
                        else t - rng.randint(25, 540) * DAY)
            delay = rng.randint(6, 9) if i == 15 else rng.randint(1, 5)  # 15: answered late
            minor = minors.get(i)
            m.Consultation.create(
                owner_office=unit.owner_office_id, unit=unit, kind=kind, received_on=received,
                channel=rng.choice(CONSULT_CHANNELS), age_band=rng.choice(data.AGE_BANDS[:5]),
                youth_group="在校学生" if rng.random() < 0.7 else rng.choice(YOUTH_GROUPS),
                content=content, handler=unit.head_name,
                due_on=calendar.add_workdays(received, 5),
                replied_on=None if unanswered else calendar.add_workdays(received, delay),
                result="" if unanswered else result,
                satisfaction="" if unanswered else rng.choice(("满意", "满意", "基本满意")),
                minor_name=minor[0] if minor else "",
                minor_id_no=_fake_id(minor[1]) if minor else "")

    def _activities(self, units: list[m.Unit]) -> None:
        rng = self.rng
        for kind, title, place, place_kind, description in data.ACTIVITIES:
            wide = kind in ("action_month", "joint", "action_day")
            chosen = rng.sample(units, rng.randint(5, 8) if wide else rng.randint(1, 2))
            owners = {u.owner_office_id for u in chosen}
            owner = owners.pop() if len(owners) == 1 else self.city.id
            start = self.day_between(self.creation_start + 20 * DAY, self.creation_end - 20 * DAY)
            if kind == "action_day":  # 6·26, the International Day against Drug Abuse
                start = max(d for y in range(self.creation_start.year, self.creation_end.year + 1)
                            if self.creation_start <= (d := dt.date(y, 6, 26)) <= self.creation_end)
            act = m.Activity.create(
                owner_office=owner, kind=kind, title=title, start_on=start,
                end_on=start + (30 if kind == "action_month" else 0) * DAY, place=place,
                place_kind=place_kind, people_reached=rng.randrange(80, 1500, 10),
                volunteers=rng.randint(3, 25), description=description)
            for unit in chosen:
                m.ActivityUnit.create(owner_office=owner, activity=act, unit=unit)

    def _training(self, units: list[m.Unit]) -> None:
        session = m.TrainingSession.create(
            owner_office=self.city, on=self.training_on, organiser_level=2,
            organiser="共青团南通市委", place="南通市青少年宫报告厅",
            topic=f"{Term(self.term).label}市级“青少年维权岗”创建单位负责人培训班")
        # Untrained: the unit whose head changed after the session (its former head attended),
        # one head absent, one not registered at all.
        absent, missing = units[1].name, units[3].name
        for unit in units:
            if unit.name == missing:
                continue
            head = unit.head_name
            if "OLDHEAD" in self.info[unit.name][1]:
                head = m.UnitHead.get(m.UnitHead.unit == unit,
                                      m.UnitHead.until.is_null(False)).name
            m.TrainingAttendance.create(owner_office=self.city, session=session, unit=unit,
                                        head_name=head, attended=unit.name != absent)
        haian = self.offices["haian"]
        county = m.TrainingSession.create(
            owner_office=haian, on=self.county_campaign.creation_start + 30 * DAY,
            organiser_level=1, organiser="共青团海安市委", place="海安市公安局会议室",
            topic="县级“青少年维权岗”创建单位负责人培训")
        for cand in self.county_candidates:
            unit = self.units[cand.unit.name]
            m.TrainingAttendance.create(owner_office=haian, session=county, unit=unit,
                                        head_name=unit.head_name)
