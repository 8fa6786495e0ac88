"""Everything the unit detail view shows, read in a fixed number of queries.

Work records are listed without any minor's personal data: consultations show kind,
channel, dates and handler only (their content and the minor's fields stay on the
consultation page, where showing them is a deliberate, logged choice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN, fn

from wqg_desktop.db.models import (
    Activity,
    ActivityUnit,
    Campaign,
    Candidate,
    Consultation,
    Inspection,
    Office,
    Plaque,
    SurveyRound,
    SurveySheet,
    Title,
    TrainingAttendance,
    TrainingSession,
    Unit,
    UnitHead,
    UnitLineage,
)
from wqg_desktop.domain.chinese import Term, format_date
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import (
    ActivityKind,
    CandidateStatus,
    ConsultKind,
    PlaqueState,
    TitleKind,
    TitleStatus,
    UnitStatus,
)
from wqg_desktop.services.units import current_commitment, get_unit, name_history


def _d(day: dt.date | None) -> str:
    return format_date(day) if day else ""


def _label(enum: type, code: str) -> str:
    try:
        return enum(code).label
    except ValueError:
        return code


@dataclass
class UnitDetail:
    unit: Unit
    info: list[tuple[str, str]]
    titles: list[dict] = field(default_factory=list)
    candidacies: list[dict] = field(default_factory=list)
    inspections: list[dict] = field(default_factory=list)
    surveys: list[dict] = field(default_factory=list)
    work: list[dict] = field(default_factory=list)
    work_counts: dict[str, int] = field(default_factory=dict)
    owned_here: bool = True


def unit_detail(unit_id: int, *, office_id: int | None) -> UnitDetail:
    """The unit with its titles, candidacies, inspections, surveys and work records."""
    unit = get_unit(unit_id)
    owner = Office.get_or_none(Office.id == unit.owner_office_id) if unit.owner_office_id else None
    detail = UnitDetail(unit=unit, info=_info(unit, owner),
                        owned_here=unit.owner_office_id in (None, office_id))
    detail.titles = unit_titles(unit.id)
    detail.candidacies = [
        {"campaign": c.campaign.name, "level": Level(c.campaign.level).label,
         "term": Term(c.campaign.term_start).label,
         "status": _label(CandidateStatus, c.status), "applied_on": _d(c.applied_on)}
        for c in (Candidate.select(Candidate, Campaign).join(Campaign)
                  .where(Candidate.unit == unit).order_by(Campaign.term_start.desc()))]
    detail.inspections = [
        {"on": _d(i.on), "announced": "事先通知" if i.announced else "暗访",
         "score": "" if i.score is None else f"{i.score:.1f}", "findings": i.findings,
         "problems": i.problems, "deadline": _d(i.rectification_deadline),
         "followup": ("已整改" if i.followup_passed else "未通过" if i.followup_passed is False
                      else "")}
        for i in Inspection.select().where(Inspection.unit == unit).order_by(Inspection.on.desc())]
    counts = dict(SurveySheet.select(SurveySheet.round, fn.COUNT(SurveySheet.id))
                  .join(SurveyRound).where(SurveyRound.unit == unit, SurveySheet.entry == 1)
                  .group_by(SurveySheet.round).tuples())
    detail.surveys = [
        {"started_on": _d(r.started_on), "ended_on": _d(r.ended_on),
         "campaign": r.campaign.name if r.campaign_id else ("复核" if r.rereview_id else ""),
         "printed": r.sheets_printed, "sheets": counts.get(r.id, 0)}
        for r in (SurveyRound.select(SurveyRound, Campaign)
                  .join(Campaign, JOIN.LEFT_OUTER)
                  .where(SurveyRound.unit == unit).order_by(SurveyRound.started_on.desc()))]
    detail.work, detail.work_counts = _work(unit)
    return detail


def unit_titles(unit_id: int) -> list[dict]:
    """The unit's titles through the years, newest first, with status and plaque state."""
    rows = list(Title.select().where(Title.unit == unit_id)
                .order_by(Title.term_start.desc(), Title.level.desc()))
    plaques = dict(Plaque.select(Plaque.title, Plaque.state)
                   .where(Plaque.title.in_([t.id for t in rows])).tuples())
    return [
        {"id": t.id, "uuid": t.uuid, "level": Level(t.level).label,
         "term": Term(t.term_start).label, "kind": _label(TitleKind, t.kind),
         "status": _label(TitleStatus, t.status), "named_on": _d(t.named_on),
         "bodies": t.naming_bodies_text, "certificate_no": t.certificate_no,
         "plaque": _label(PlaqueState, plaques[t.id]) if t.id in plaques else "未登记",
         "name_then": t.unit_name, "owner_id": t.owner_office_id}
        for t in rows]


def _info(unit: Unit, owner: Office | None) -> list[tuple[str, str]]:
    heads = [f"{h.name}（{_d(h.since) or '?'}—{_d(h.until) or '今'}）"
             for h in UnitHead.select().where(UnitHead.unit == unit).order_by(UnitHead.since)]
    names = [f"{n}（至{_d(until)}）" for n, _f, until, _note in name_history(unit.id)[:-1]]
    lineage = [f"{'并入' if li.kind == 'merge' else '拆分为'}“{li.target.name}”（{_d(li.on)}）"
               for li in UnitLineage.select().where(UnitLineage.source == unit)]
    lineage += [f"由“{li.source.name}”{'并入' if li.kind == 'merge' else '拆分而来'}（{_d(li.on)}）"
                for li in UnitLineage.select().where(UnitLineage.target == unit)]
    youth = "是" if unit.works_with_youth else (
        f"否：自{_d(unit.youth_work_ended_on)}起不再从事青少年工作（{unit.youth_work_end_reason}）")
    commitment = current_commitment(unit.id)
    return [
        ("单位名称", unit.name), ("单位编号", unit.code), ("县(市、区)", unit.region.name),
        ("所属公安局", unit.bureau.name if unit.bureau_id else ""),
        ("警种", unit.police_type.name), ("类别", unit.unit_kind),
        ("负责人", " ".join(x for x in (unit.head_name, unit.head_post, unit.head_phone) if x)),
        ("维权电话", unit.rights_hotline), ("地址", unit.address),
        ("青少年维权在线", f"已上线（{_d(unit.online_since)}起）" if unit.online else "未上线"),
        ("志愿服务队", unit.volunteer_team), ("从事青少年工作", youth),
        ("在册状态", _label(UnitStatus, unit.status)),
        ("曾用名", "；".join(names)), ("历任负责人", "；".join(heads)),
        ("合并拆分", "；".join(lineage)),
        ("服务承诺", "已填写" if commitment else "未填写"),
        ("维护单位", owner.name if owner else "本办公室"), ("备注", unit.note),
    ]


def _work(unit: Unit) -> tuple[list[dict], dict[str, int]]:
    work: list[dict] = []
    for c in (Consultation.select(Consultation.kind, Consultation.received_on,
                                  Consultation.channel, Consultation.handler,
                                  Consultation.replied_on)
              .where(Consultation.unit == unit).order_by(Consultation.received_on.desc())):
        work.append({"kind": _label(ConsultKind, c.kind), "on": _d(c.received_on),
                     "what": f"{c.channel}；经办 {c.handler or '—'}",
                     "result": f"{_d(c.replied_on)}答复" if c.replied_on else "未答复"})
    for a in (Activity.select().join(ActivityUnit).where(ActivityUnit.unit == unit)
              .order_by(Activity.start_on.desc())):
        work.append({"kind": _label(ActivityKind, a.kind), "on": _d(a.start_on), "what": a.title,
                     "result": f"受众 {a.people_reached} 人" if a.people_reached else ""})
    for t in (TrainingAttendance.select(TrainingAttendance, TrainingSession)
              .join(TrainingSession).where(TrainingAttendance.unit == unit)
              .order_by(TrainingSession.on.desc())):
        work.append({"kind": "负责人培训", "on": _d(t.session.on), "what": t.session.topic,
                     "result": f"{t.head_name}{'参加' if t.attended else '缺席'}"})
    counts = {"咨询投诉": 0, "活动": 0, "培训": 0}
    for row in work:
        key = ("咨询投诉" if row["kind"] in ("咨询", "投诉")
               else "培训" if row["kind"] == "负责人培训" else "活动")
        counts[key] += 1
    return work, counts
