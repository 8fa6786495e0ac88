"""Evidence and daily work records of a generated database (see :mod:`bench.generate`).

Inspections (one to three per candidate, scored item by item), surveys (100 sheets per
reviewed candidate, answers one digit per question), and the ledger of the running term:
service commitments, volunteers, contact points and cards, consultations and complaints,
activities, training, co-building, practical projects and referrals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wqg_desktop.db import models as m
from wqg_desktop.domain import workdays
from wqg_desktop.domain.statuses import CONSULT_CHANNELS, HELP_KINDS, YOUTH_GROUPS
from wqg_desktop.services import demo_data as data

DAY = dt.timedelta(days=1)
SHEETS_PER_SURVEY = 100
CURRENT_TERM = 2025
VILLAGES = ("新庄村", "红星村", "永安村", "朝阳社区", "幸福社区", "建设村", "光明社区", "和平村")
#: Answer digits: awareness 1 知道 / 2 不知道, satisfaction 1 满意 / 2 基本满意 / 3 不满意, 0 blank.
BLANK = 0.03


def evidence(b: Any) -> None:
    """Inspections of every candidate, and a survey of every candidate that reached review."""
    rng, today = b.rng, b.today
    inspections, inspectors, scores = b.t(m.Inspection), b.t(m.InspectionInspector), \
        b.t(m.InspectionScore)
    for cand, u, info, status in b.candidates:
        owner, cs, ce = info["owner"], info["creation_start"], info["creation_end"]
        first, last = cs + 30 * DAY, min(ce, today - DAY)
        if last > first:
            for on in sorted(b.day(first, last) for _ in range(rng.choice((1, 2, 2, 3)))):
                base = rng.uniform(0.72, 0.97)
                parts = [round(w * min(1.0, max(0.5, base + rng.uniform(-0.06, 0.06))), 1)
                         for _i, w in b.items]
                total = round(sum(parts), 1)
                problem, fix = rng.choice(data.PROBLEMS)
                flawed = total < 85
                # A few rectifications are still open: the home page lists them.
                followed = flawed and not (on > today - 60 * DAY and rng.random() < 0.5)
                ident = inspections.add(
                    owner_office=owner, campaign=info["id"], candidate=cand, unit=u.id, on=on,
                    announced=rng.random() < 0.6,
                    findings="；".join(rng.sample(data.FINDINGS, 2)) + "。",
                    problems=problem if flawed else "", rectification=fix if flawed else "",
                    rectification_deadline=on + 30 * DAY if flawed else None,
                    followup="复查：已按要求整改到位" if followed else "",
                    followup_on=min(on + rng.randint(15, 29) * DAY, today - DAY) if followed else None,
                    followup_passed=True if followed else None, score=total)
                for member in rng.sample(b.members, 2):
                    inspectors.add(owner_office=owner, inspection=ident,
                                   name=b.member_names[member], member=member)
                for (item, _w), part in zip(b.items, parts, strict=True):
                    scores.add(owner_office=owner, inspection=ident, item=item, score=part)
        if status in ("reviewing", "named", "failed"):
            _survey(b, u, info, min(ce + DAY, today - DAY), min(ce + 20 * DAY, today - DAY))


def _survey(b: Any, u: Any, info: dict[str, Any], started: dt.date, ended: dt.date) -> None:
    rng, owner = b.rng, info["owner"]
    rnd = b.t(m.SurveyRound).add(owner_office=owner, template=b.template, unit=u.id,
                                 campaign=info["id"], started_on=started, ended_on=ended,
                                 sheets_printed=SHEETS_PER_SURVEY)
    # Each unit's area answers differently; fewer know 12355 or were helped themselves.
    know = [rng.uniform(0.55, 0.95) * f for f in (1.0, 0.85, 0.75, 0.45)]
    sat, basic = rng.uniform(0.55, 0.9), rng.uniform(0.5, 0.8)
    n, filled = SHEETS_PER_SURVEY, 1 - BLANK
    columns = [rng.choices("012", (BLANK, filled * k, filled * (1 - k)), k=n) for k in know]
    columns += [rng.choices("0123", (BLANK, filled * sat, filled * (1 - sat) * basic,
                                     filled * (1 - sat) * (1 - basic)), k=n) for _ in range(6)]
    ages = rng.choices(data.AGE_BANDS, k=n)
    groups = rng.choices(("在校学生",) + YOUTH_GROUPS, (18,) + (1,) * len(YOUTH_GROUPS), k=n)
    entered = dt.datetime.combine(ended, dt.time(9))
    sheets = b.t(m.SurveySheet)
    for serial, answers in enumerate(zip(*columns, strict=True), start=1):
        sheets.add(owner_office=owner, round=rnd, serial_no=serial, entry=1,
                   age_band=ages[serial - 1], youth_group=groups[serial - 1],
                   answers="".join(answers), entered_by=b.clerk,
                   entered_at=entered + serial * dt.timedelta(minutes=1))


def _consultation(b: Any, u: Any, start: dt.date, end: dt.date) -> None:
    rng, today = b.rng, b.today
    kind, content, result = rng.choice(data.CONSULTATIONS)
    received = b.day(start, end)
    due = workdays.add_workdays(received, 5, b.holidays)
    open_ = (received > today - 10 * DAY and rng.random() < 0.6) or rng.random() < 0.01
    replied = None if open_ else min(workdays.add_workdays(received, rng.randint(1, 6), b.holidays),
                                     today)
    b.t(m.Consultation).add(
        owner_office=u.place.office_id, unit=u.id, kind=kind, received_on=received,
        channel=rng.choice(CONSULT_CHANNELS), age_band=rng.choice(data.AGE_BANDS[:5]),
        youth_group="在校学生" if rng.random() < 0.7 else rng.choice(YOUTH_GROUPS),
        content=content, handler=u.head, due_on=due, replied_on=replied,
        result="" if open_ else result,
        satisfaction="" if open_ else rng.choice(("满意", "满意", "基本满意")))


def work_records(b: Any) -> None:
    """The ledger of the running term, mostly kept by the units that take part in it."""
    rng, today = b.rng, b.today
    start, end = dt.date(CURRENT_TERM, 5, 1), today - DAY
    current: dict[int, Any] = {}
    for _cand, u, info, _status in b.candidates:
        if info["term"] == CURRENT_TERM:
            current.setdefault(u.id, u)
    for u in current.values():
        owner = u.place.office_id
        text, rights = data.COMMITMENTS.get(u.ptype, data.COMMITMENT_DEFAULT)
        b.t(m.ServiceCommitment).add(owner_office=owner, unit=u.id, text=text,
                                     rights_content=rights, hotline=u.hotline, address=u.address,
                                     responsible_person=u.head,
                                     published_on=b.day(start, start + 60 * DAY))
        for _ in range(2):
            b.t(m.Volunteer).add(owner_office=owner, unit=u.id, name=b.person(), phone=b.mobile(),
                                 joined_on=b.day(start, end))
        place, kind = rng.choice(data.CONTACT_PLACES)
        town = u.town if u.town not in ("", "城区") else u.place.name
        b.t(m.ContactPoint).add(owner_office=owner, unit=u.id, name=f"{town}{place}联系点",
                                place_kind=kind, address=f"{town}{place}",
                                established_on=b.day(start, end))
        for _ in range(rng.randint(1, 2)):
            b.t(m.ContactCardBatch).add(owner_office=owner, unit=u.id, issued_on=b.day(start, end),
                                        count=rng.randrange(100, 500, 50),
                                        where=town + rng.choice(data.CARD_PLACES))
        for _ in range(rng.randint(1, 4)):
            _consultation(b, u, start, end)
    for u in b.units:
        if u.youth and u.id not in current and rng.random() < 0.15:
            _consultation(b, u, start, end)
    _activities(b, list(current.values()), start, end)
    _training(b)
    _neighbourhood(b, start, end)


def _activities(b: Any, units: list[Any], start: dt.date, end: dt.date) -> None:
    rng = b.rng
    by_office: dict[int, list[Any]] = {}
    for u in units:
        by_office.setdefault(u.place.office_id, []).append(u)
    for owner, group in by_office.items():
        for _ in range(max(1, len(group) // 3)):
            kind, title, place, place_kind, description = rng.choice(data.ACTIVITIES)
            on = b.day(start, end - 30 * DAY)
            act = b.t(m.Activity).add(
                owner_office=owner, kind=kind, title=title, start_on=on,
                end_on=on + (30 if kind == "action_month" else 0) * DAY, place=place,
                place_kind=place_kind, people_reached=rng.randrange(80, 1500, 10),
                volunteers=rng.randint(3, 25), description=description)
            for u in rng.sample(group, min(len(group), rng.randint(1, 5))):
                b.t(m.ActivityUnit).add(owner_office=owner, activity=act, unit=u.id)


def _training(b: Any) -> None:
    rng = b.rng
    sessions: dict[int, int] = {}
    for _cand, u, info, _status in b.candidates:
        if info["term"] != CURRENT_TERM:
            continue
        if info["id"] not in sessions:
            sessions[info["id"]] = b.t(m.TrainingSession).add(
                owner_office=info["owner"], on=info["creation_start"] + 45 * DAY,
                organiser_level=info["level"], organiser="创建活动领导小组办公室",
                topic="“青少年维权岗”创建单位负责人培训班", place="公安局会议室")
        b.t(m.TrainingAttendance).add(owner_office=info["owner"], session=sessions[info["id"]],
                                      unit=u.id, head_name=u.head, attended=rng.random() < 0.92)


def _neighbourhood(b: Any, start: dt.date, end: dt.date) -> None:
    """百岗千村共建, practical projects per police type and year, referrals between offices."""
    rng, today = b.rng, b.today
    for u in b.units:
        if u.youth and rng.random() < 0.03:
            town = f"{u.town}镇" if u.town not in ("", "城区") else "城区街道"
            cb = b.t(m.CoBuilding).add(owner_office=u.place.office_id, unit=u.id, township=town,
                                       village=rng.choice(VILLAGES), started_on=b.day(start, end),
                                       note="百岗千村共建")
            for _ in range(rng.randint(1, 2)):
                help_kind, text = rng.choice(data.HELPS)
                b.t(m.CoBuildingHelp).add(owner_office=u.place.office_id, cobuilding=cb,
                                          on=b.day(start, end), youth_group=rng.choice(YOUTH_GROUPS),
                                          help_kind=help_kind if help_kind in HELP_KINDS else "困难帮扶",
                                          description=text)
    by_place: dict[int, list[Any]] = {}
    for u in b.units:
        if u.youth:
            by_place.setdefault(id(u.place), []).append(u)
    for place in b.places:
        units = by_place.get(id(place), [])
        if place.direct or not units:
            continue
        for year in (CURRENT_TERM, CURRENT_TERM + 1):
            for ptype in ("治安", "交巡警", "刑侦", "禁毒", "监管", "网安"):
                titles = data.PROJECTS.get(ptype, (f"{ptype}部门青少年维权实事项目",))
                doers = [u for u in units if u.ptype == ptype]
                b.t(m.PracticalProject).add(
                    owner_office=place.office_id, year=year, police_type=b.ptypes[ptype],
                    unit=rng.choice(doers).id if doers else None, title=rng.choice(titles),
                    description=f"{year}年{ptype}部门为青少年办的实事项目",
                    done=year == CURRENT_TERM or rng.random() < 0.4)
        for kind, subject, *_rest in data.REFERRALS[:2]:
            u = rng.choice(units)
            received = b.day(today - 120 * DAY, today - 5 * DAY)
            due = received + 15 * DAY
            closed = None if rng.random() < 0.3 else min(due - rng.randint(0, 5) * DAY, today)
            b.t(m.Referral).add(owner_office=b.office.id, kind=kind, subject=subject,
                                from_office=b.office.id, to_unit=u.id, to_office_name=place.bureau,
                                received_on=received, due_on=due, closed_on=closed,
                                result="已办结并回复" if closed else "")
