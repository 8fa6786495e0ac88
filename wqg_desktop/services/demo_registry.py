"""The register of the demo: offices, regions, bureaus, naming bodies, units and their titles.

Part of the builder of :mod:`wqg_desktop.services.demo`: the units of the 2012 notice and the
invented 海安市 register, with the renames and mergers of the regions, bureaus and units, the
changes of unit heads, and titles of several terms in every state of their lifecycle.
"""

from __future__ import annotations

import datetime as dt

from wqg_desktop.db import models as m
from wqg_desktop.domain.chinese import normalize_name_key
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.services import demo_data as data
from wqg_desktop.services import office as office_service
from wqg_desktop.services import reference
from wqg_desktop.services.demo_base import DAY, DemoBase
from wqg_desktop.services.pinyin import name_pinyin


class RegistryPart(DemoBase):
    """Builds the reference data, the register of units and the titles they hold."""

    # -- reference data --------------------------------------------------------------------

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
        self.offices = {"shizhi": self.city}
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
        self.bodies = {}

        def body(name: str, level: int, region: str, owner: m.Office) -> None:
            self.bodies[name] = m.NamingBody.create(
                owner_office=owner, uuid=reference.reference_uuid("naming_body", name),
                name=name, level=level, region_name=region)

        for name in data.CITY_BODIES:
            body(name, 2, "南通市", self.city)
        for name in data.PROVINCE_BODIES:
            body(name, 3, "江苏省", self.province)
        for key, (region, _c, _s, bureau, league, *_rest) in data.COUNTIES.items():
            body(league, 1, region, self.offices[key])
            body(bureau, 1, region, self.offices[key])

    # -- units -----------------------------------------------------------------------------

    def _units(self) -> None:
        self.units = {}
        self.info = {}
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
                owner, names, cert, doc = (
                    (self.city, data.CITY_BODIES, "通维权", "通团联") if level == 2
                    else (self.province, data.PROVINCE_BODIES, "苏维权", "团苏委联"))
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
