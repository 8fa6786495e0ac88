"""The work records of the demo: what the candidate units did during their creation period.

Part of the builder of :mod:`wqg_desktop.services.demo`: service commitments, volunteers,
contact points and cards, consultations (some overdue, one due soon, one answered late),
activities, training, 百岗千村 co-building, practical projects and referrals.
"""

from __future__ import annotations

import datetime as dt

from wqg_desktop.db import models as m
from wqg_desktop.domain import workdays
from wqg_desktop.domain.chinese import Term
from wqg_desktop.domain.statuses import CONSULT_CHANNELS, YOUTH_GROUPS
from wqg_desktop.services import calendar
from wqg_desktop.services import demo_data as data
from wqg_desktop.services.demo_base import DAY, DemoBase, fake_id


class RecordsPart(DemoBase):
    """Builds the work records of the city and county candidates."""

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
                    minor_id_no=fake_id(minor[1]) if minor else "")
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
                minor_id_no=fake_id(minor[1]) if minor else "")

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
