"""检查记录: the leading group's inspections of creation units, scored against the standard.

One call records one inspection with its inspectors and item scores in one transaction. The
rules enforced here (not only in the window): every item scored between 0 and its weight,
inspectors taken from the leading group and the supervisors, a rectification always with a
deadline. What is unusual but allowed (a date outside the creation period, an inspector who
works in the unit inspected) comes back as warnings for the officer to see.

The planner (:func:`plan_inspections`) proposes when to inspect each candidate so every one
gets the visits the campaign asks for, on working days, the unannounced ones at random.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from peewee import JOIN, fn

from wqg_desktop.db.models import (
    Bureau,
    Campaign,
    Candidate,
    Inspection,
    InspectionInspector,
    InspectionScore,
    LeadingGroupMember,
    StandardItem,
    Supervisor,
    Unit,
    database,
)
from wqg_desktop.domain import date_rules, workdays
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.services import calendar as calendar_service
from wqg_desktop.services import standards as standards_service
from wqg_desktop.services.office import this_office


@dataclass(frozen=True)
class Person:
    """Someone who may inspect: a leading-group member or a supervisor."""

    name: str
    kind: str  # 领导小组 | 监督员
    employer: str
    post: str
    member_id: int | None = None
    supervisor_id: int | None = None

    @property
    def label(self) -> str:
        where = "，".join(x for x in (self.employer, self.post) if x)
        return f"{self.name}（{self.kind}{'：' + where if where else ''}）"


def inspector_pool() -> list[Person]:
    """Leading-group members and supervisors by name (a member holding two roles once)."""
    seen: dict[str, Person] = {}
    for m in LeadingGroupMember.select().order_by(LeadingGroupMember.sort_order,
                                                  LeadingGroupMember.id):
        seen.setdefault(m.name, Person(m.name, "领导小组", m.employer, m.post, member_id=m.id))
    for s in Supervisor.select().order_by(Supervisor.id):
        seen.setdefault(s.name, Person(s.name, "监督员", s.employer, s.note, supervisor_id=s.id))
    return list(seen.values())


def resolve_inspectors(names: Iterable[str]) -> list[Person]:
    """The people named, refusing names that are neither members nor supervisors."""
    pool = {p.name: p for p in inspector_pool()}
    out: list[Person] = []
    for raw in names:
        name = (raw or "").strip()
        if not name or any(p.name == name for p in out):
            continue
        if name not in pool:
            raise InputRefused(f"检查人员“{name}”不在领导小组成员或监督员名单中；"
                               "请先在名单中录入，或从名单中选择。")
        out.append(pool[name])
    if not out:
        raise InputRefused("请至少选择一名检查人员。")
    return out


_BUREAU_PREFIX = re.compile(r"^.*?公安(?:分局|局)")


def _unit_names(unit: Unit) -> list[str]:
    names = [unit.name]
    bureau = Bureau.get_or_none(Bureau.id == unit.bureau_id) if unit.bureau_id else None
    short = unit.name
    if bureau is not None and unit.name.startswith(bureau.name):
        short = unit.name[len(bureau.name):]
    else:
        short = _BUREAU_PREFIX.sub("", unit.name)
    if short != unit.name and len(short) >= 3:
        names.append(short)
    return names


def works_in_unit(person: Person, unit: Unit) -> bool:
    """True when the person's employer or post names the unit (a conflict of interest)."""
    text = f"{person.employer} {person.post}"
    return any(name in text for name in _unit_names(unit))


def conflict_warnings(unit: Unit, people: Iterable[Person]) -> list[str]:
    return [f"检查人员{p.name}的工作单位或职务为“{(p.employer + p.post).strip()}”，"
            f"属于被检查单位{unit.name}，应当回避。" for p in people if works_in_unit(p, unit)]


# -- recording -------------------------------------------------------------------------------


@dataclass
class Saved:
    inspection: Inspection
    warnings: list[str] = field(default_factory=list)


def scored_standard(inspection: Inspection) -> object | None:
    """The standard an inspection was scored against (via its item scores), if any."""
    item = (StandardItem.select(StandardItem.standard)
            .join(InspectionScore, on=(InspectionScore.item == StandardItem.id))
            .where(InspectionScore.inspection == inspection.id).first())
    return None if item is None else item.standard


def checklist(campaign: Campaign | None, unit: Unit, *,
              inspection: Inspection | None = None) -> tuple[object | None, list]:
    """(standard, items) the unit is scored against in the campaign; seeded when missing.

    Correcting an ``inspection`` of the same unit and campaign keeps the standard it was
    scored on, even when a newer version of that standard is now in force.
    """
    if campaign is None:
        return None, []
    if (inspection is not None and inspection.unit_id == unit.id
            and inspection.campaign_id == campaign.id):
        standard = scored_standard(inspection)
        if standard is not None:
            return standard, standards_service.items_of(standard)
    standards_service.ensure_campaign_standards(campaign)
    standard = standards_service.standard_for(campaign, unit.police_type_id)
    return standard, standards_service.items_of(standard) if standard else []


def _validate_scores(items: list, scores: Mapping[int, float | None]) -> dict[int, float]:
    by_id = {i.id: i for i in items}
    strange = [k for k in scores if k not in by_id]
    if strange:
        raise InputRefused("评分中有不属于该检查标准的条目，请刷新后重新打分。")
    clean: dict[int, float] = {}
    for no, item in enumerate(items, start=1):
        value = scores.get(item.id)
        if value is None or value == "":
            raise InputRefused(f"第 {no} 项“{item.text[:16]}…”还没有打分。")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputRefused(f"第 {no} 项的得分“{value}”不是数字。") from None
        if not 0 <= number <= item.weight:
            raise InputRefused(f"第 {no} 项的得分应在 0 到 {item.weight:g} 分之间，现为 {number:g}。")
        clean[item.id] = number
    return clean


def total_score(items: list, scores: Mapping[int, float]) -> float | None:
    """The weighted total on a 100-point scale: Σ item scores ÷ Σ weights × 100."""
    weight = sum(i.weight for i in items)
    if not items or weight <= 0:
        return None
    return round(100.0 * sum(scores[i.id] for i in items) / weight, 1)


def save_inspection(*, unit: Unit, on: dt.date, inspectors: Iterable[str],
                    campaign: Campaign | None = None, announced: bool = True,
                    scores: Mapping[int, float | None] | None = None, findings: str = "",
                    problems: str = "", rectification: str = "",
                    rectification_deadline: dt.date | None = None,
                    today: dt.date | None = None, inspection: Inspection | None = None) -> Saved:
    """Record (or, with ``inspection``, correct) an inspection; return it with any warnings.

    Scores map standard item ids to points (0..weight); every item of the unit's checklist
    must be scored. The standard used is frozen from then on.
    """
    office = this_office()
    if office is None:
        raise RuleViolation("请先完成本办公室设置。")
    if inspection is not None and inspection.owner_office_id not in (None, office.id):
        raise RuleViolation("该检查记录属于其他办公室，本办公室不能修改。")
    if on is None:
        raise InputRefused("请填写检查日期。")
    if today is not None and on > today:
        raise InputRefused(f"检查日期 {format_date(on)} 晚于今天，请录入已经进行的检查。")
    date_rules.check_happened(on, "检查日期", today=today, not_before=unit.founded_on,
                              not_before_what=f"“{unit.name}”的成立日期")
    people = resolve_inspectors(inspectors)
    rectification = (rectification or "").strip()
    if rectification and rectification_deadline is None:
        raise InputRefused("提出了整改要求，请同时填写整改期限。")
    if rectification_deadline is not None and rectification_deadline < on:
        raise InputRefused("整改期限不能早于检查日期。")
    if rectification_deadline is not None:
        date_rules.check_planned(rectification_deadline, "整改期限", today=today)
    candidate = None
    warnings: list[str] = []
    if campaign is not None:
        candidate = Candidate.get_or_none(Candidate.campaign == campaign.id,
                                          Candidate.unit == unit.id)
        if candidate is None:
            raise RuleViolation(f"{unit.name}不是“{campaign.name}”的创建单位，不能记入该活动的检查。")
        start, end = campaign.creation_start, campaign.creation_end
        if (start and on < start) or (end and on > end):
            period = (f"{format_date(start) if start else '未定'}至"
                      f"{format_date(end) if end else '未定'}")
            warnings.append(f"检查日期 {format_date(on)} 不在创建期（{period}）内。")
    standard, items = checklist(campaign, unit, inspection=inspection)
    clean = _validate_scores(items, scores or {}) if items else {}
    warnings += conflict_warnings(unit, people)
    fields = dict(campaign=campaign, candidate=candidate, unit=unit, on=on,
                  announced=bool(announced), findings=(findings or "").strip(),
                  problems=(problems or "").strip(), rectification=rectification,
                  rectification_deadline=rectification_deadline,
                  score=total_score(items, clean) if clean else None)
    with database.atomic():
        if inspection is None:
            inspection = Inspection.create(owner_office=office, **fields)
        else:
            for key, value in fields.items():
                setattr(inspection, key, value)
            inspection.save()
            InspectionInspector.delete().where(
                InspectionInspector.inspection == inspection.id).execute()
            InspectionScore.delete().where(InspectionScore.inspection == inspection.id).execute()
        for p in people:
            InspectionInspector.create(owner_office=office, inspection=inspection, name=p.name,
                                       member=p.member_id, supervisor=p.supervisor_id)
        for item_id, points in clean.items():
            InspectionScore.create(owner_office=office, inspection=inspection, item=item_id,
                                   score=points)
        if standard is not None and clean:
            standards_service.freeze(standard)
    return Saved(inspection, warnings)


def record_followup(*, inspection: Inspection, on: dt.date, followup: str,
                    passed: bool, today: dt.date | None = None) -> Inspection:
    """Record (or correct) the follow-up of a rectification (复查) and whether it passed.

    The date is the day of the re-check: not before the inspection, and not after ``today``.
    """
    office = this_office()
    if office is None or inspection.owner_office_id not in (None, office.id):
        raise RuleViolation("该检查记录属于其他办公室，本办公室不能修改。")
    if not inspection.rectification:
        raise RuleViolation("该次检查没有提出整改要求，无需跟踪复查。")
    if on < inspection.on:
        raise InputRefused(f"复查日期不能早于检查日期（{format_date(inspection.on)}）。")
    if today is not None and on > today:
        raise InputRefused(f"复查日期 {format_date(on)} 晚于今天，请录入已经进行的复查。")
    date_rules.check_happened(on, "复查日期", today=today)
    if not (followup or "").strip():
        raise InputRefused("请写明复查情况。")
    inspection.followup, inspection.followup_on = followup.strip(), on
    inspection.followup_passed = bool(passed)
    with database.atomic():
        inspection.save()
    return inspection


def delete_inspection(*, inspection: Inspection) -> None:
    office = this_office()
    if office is None or inspection.owner_office_id not in (None, office.id):
        raise RuleViolation("该检查记录属于其他办公室，本办公室不能删除。")
    with database.atomic():
        inspection.delete_instance(recursive=True)


def get_inspection(inspection_id: int) -> Inspection:
    found = Inspection.get_or_none(Inspection.id == inspection_id)
    if found is None:
        raise NotFound("找不到该检查记录，可能已被删除。")
    return found


# -- reading ---------------------------------------------------------------------------------


@dataclass
class InspectionRow:
    id: int
    uuid: str
    on: dt.date
    unit: str
    campaign: str
    announced: str
    inspectors: str
    score: float | None
    problems: str
    deadline: dt.date | None
    followup: str
    overdue: bool


def followup_state(i: Inspection, today: dt.date) -> tuple[str, bool]:
    """(label, overdue) of an inspection's rectification."""
    if not i.rectification:
        return "无需整改", False
    if i.followup_on is not None:
        return ("复查合格" if i.followup_passed else "复查不合格"), not i.followup_passed
    overdue = i.rectification_deadline is not None and i.rectification_deadline < today
    return ("逾期未复查" if overdue else "整改中"), overdue


def list_inspections(*, today: dt.date, campaign_id: int | None = None,
                     unit_id: int | None = None) -> list[InspectionRow]:
    """Inspections newest first, with inspectors joined in one extra query (no N+1)."""
    query = (Inspection.select(Inspection, Unit.name, Campaign.name)
             .join(Unit).switch(Inspection).join(Campaign, JOIN.LEFT_OUTER))
    if campaign_id:
        query = query.where(Inspection.campaign == campaign_id)
    if unit_id:
        query = query.where(Inspection.unit == unit_id)
    rows = list(query.order_by(Inspection.on.desc(), Inspection.id.desc()))
    names: dict[int, list[str]] = {}
    if rows:
        for r in (InspectionInspector.select(InspectionInspector.inspection,
                                             InspectionInspector.name)
                  .where(InspectionInspector.inspection.in_([r.id for r in rows]))
                  .order_by(InspectionInspector.id)):
            names.setdefault(r.inspection_id, []).append(r.name)
    out = []
    for i in rows:
        label, overdue = followup_state(i, today)
        out.append(InspectionRow(
            id=i.id, uuid=i.uuid, on=i.on, unit=i.unit.name,
            campaign=i.campaign.name if i.campaign is not None else "",
            announced="事先通知" if i.announced else "不打招呼", inspectors="、".join(names.get(i.id, [])),
            score=i.score, problems=i.problems, deadline=i.rectification_deadline,
            followup=label, overdue=overdue))
    return out


def scores_of(inspection: Inspection) -> dict[int, float | None]:
    return {s.item_id: s.score for s in
            InspectionScore.select().where(InspectionScore.inspection == inspection.id)}


def inspectors_of(inspection: Inspection) -> list[str]:
    return [r.name for r in InspectionInspector.select(InspectionInspector.name)
            .where(InspectionInspector.inspection == inspection.id).order_by(InspectionInspector.id)]


def inspection_counts(campaign: Campaign) -> dict[int, int]:
    """candidate id → number of inspections recorded for it in the campaign."""
    rows = (Candidate.select(Candidate.id, fn.COUNT(Inspection.id).alias("n"))
            .join(Inspection, JOIN.LEFT_OUTER, on=(Inspection.candidate == Candidate.id))
            .where(Candidate.campaign == campaign.id).group_by(Candidate.id))
    return {r.id: r.n for r in rows}


def item_scores(inspection: Inspection) -> list[tuple[object, float | None]]:
    """(item, score) pairs in checklist order, for the filled record sheet."""
    rows = (InspectionScore.select(InspectionScore, StandardItem)
            .join(StandardItem).where(InspectionScore.inspection == inspection.id)
            .order_by(StandardItem.sort_order, StandardItem.id))
    return [(r.item, r.score) for r in rows]


# -- planner ---------------------------------------------------------------------------------

#: Candidates still being created: the ones the leading group inspects.
_PLANNED_STATUSES = ("recommended", "applied", "creating")


@dataclass
class PlannedVisit:
    candidate_id: int
    unit_id: int
    unit: str
    on: dt.date
    announced: bool
    inspectors: list[str]
    warnings: list[str] = field(default_factory=list)


@dataclass
class InspectionPlan:
    visits: list[PlannedVisit]
    first_day: dt.date
    last_day: dt.date
    warnings: list[str] = field(default_factory=list)


def _working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    exceptions = calendar_service.exceptions()
    days, day = [], first
    while day <= last:
        if workdays.is_workday(day, exceptions):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def plan_inspections(campaign: Campaign, today: dt.date, rng_seed: int = 0, *,
                     inspectors_per_visit: int = 2) -> InspectionPlan:
    """Propose visits so every candidate reaches ``campaign.min_inspections`` inspections.

    Visits fall on working days after ``today`` within the creation period; each candidate's
    missing visits are spread over the remaining period (one per equal stretch of it), on the
    least busy day of that stretch. Whether a visit is announced is drawn at random, with at
    least one unannounced visit per candidate. Inspectors are drawn from the leading group and
    the supervisors, leaving out anyone who works in the unit (with a warning saying so). The
    same seed gives the same plan.
    """
    if campaign.creation_start is None or campaign.creation_end is None:
        raise RuleViolation("该创建活动还没有设定创建期的起止日期，无法安排检查。")
    first = max(today + dt.timedelta(days=1), campaign.creation_start)
    # a creation end typed before dates were checked (9999-12-31) must not plan for ever
    days = _working_days(first, min(campaign.creation_end, date_rules.plan_horizon(today)))
    if not days:
        raise RuleViolation(f"创建期到 {format_date(campaign.creation_end)} 为止已没有剩余的工作日，"
                            "无法再安排检查。")
    rng = random.Random(rng_seed)
    pool = inspector_pool()
    done = inspection_counts(campaign)
    candidates = list(Candidate.select(Candidate, Unit).join(Unit)
                      .where(Candidate.campaign == campaign.id,
                             Candidate.status.in_(_PLANNED_STATUSES))
                      .order_by(Unit.name, Candidate.id))
    load = dict.fromkeys(days, 0)
    plan = InspectionPlan([], days[0], days[-1])
    if not pool:
        plan.warnings.append("领导小组成员和监督员名单为空，请先录入，才能安排检查人员。")
    for cand in candidates:
        need = max(0, campaign.min_inspections - done.get(cand.id, 0))
        if need == 0:
            continue
        if need > len(days):
            plan.warnings.append(f"{cand.unit.name}还需检查 {need} 次，但剩余创建期只有 "
                                 f"{len(days)} 个工作日，只能每个工作日安排一次。")
            need = len(days)
        surprise = rng.randrange(need)
        for k in range(need):
            stretch = days[k * len(days) // need:(k + 1) * len(days) // need]
            least = min(load[d] for d in stretch)
            on = rng.choice([d for d in stretch if load[d] == least])
            load[on] += 1
            announced = k != surprise and rng.random() < 0.5
            plan.visits.append(_visit(cand, on, announced, pool, rng, inspectors_per_visit))
    plan.visits.sort(key=lambda v: (v.on, v.unit))
    return plan


def _visit(cand: Candidate, on: dt.date, announced: bool, pool: list[Person],
           rng: random.Random, per_visit: int) -> PlannedVisit:
    unit = cand.unit
    conflicted = [p for p in pool if works_in_unit(p, unit)]
    free = [p for p in pool if p not in conflicted]
    chosen = rng.sample(free, min(per_visit, len(free)))
    warnings = [f"{p.name}在被检查单位工作，应回避，未安排其参加。" for p in conflicted]
    if pool and len(chosen) < per_visit:
        warnings.append(f"可安排的检查人员不足 {per_visit} 人。")
    return PlannedVisit(cand.id, unit.id, unit.name, on, announced,
                        sorted(p.name for p in chosen), warnings)
