"""绩效考核: one score per candidate and per titled unit, and the early warnings before re-review.

A score combines, with the weights the office sets (setting ``assessment_weights``):
inspection scores, the survey's satisfaction and awareness rates, and the work records
(activities, complaints answered in time, the head's training, being online). Every part
is a :class:`Component` that names its value, weight, contribution and the records it came
from, so a score on screen always opens to its evidence.

Weights are renormalised over the parts that exist: a unit not yet surveyed is scored on the
rest, not given zero for a survey nobody held. With no inspection, no survey, no activity
and no complaint there is nothing to judge, and the score is ``None``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from statistics import fmean

from wqg_desktop.db.models import (
    Activity,
    ActivityUnit,
    Candidate,
    Consultation,
    Inspection,
    ReReview,
    SurveyRound,
    Title,
    TrainingAttendance,
    TrainingSession,
    Unit,
    UnitHead,
)
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.domain.levels import Level
from wqg_desktop.services import settings, surveys

LABELS = {
    "inspection": "检查得分", "satisfaction": "满意度", "awareness": "知晓度",
    "activities": "专项及志愿活动", "complaints": "咨询投诉按时答复", "training": "负责人培训",
    "online": "青少年维权在线上线",
}
#: Parts that count as evidence; training and being online alone do not make a score.
_EVIDENCE = settings.EVIDENCE_WEIGHTS

#: Below this score a titled unit is flagged before its re-review.
WARNING_SCORE = 80.0


@dataclass(frozen=True)
class Source:
    """A record behind a component: kind (model name), its UUID, and what to show."""

    entity: str
    uuid: str
    label: str


@dataclass
class Component:
    key: str
    label: str
    value: float  # 0..100
    weight: float
    detail: str
    sources: list[Source] = field(default_factory=list)
    contribution: float = 0.0  # points of the final score


@dataclass
class Assessment:
    subject: str
    period: tuple[dt.date | None, dt.date | None]
    components: list[Component]
    score: float | None

    def explain(self) -> str:
        """The score and its parts as plain text (tooltips, the command line)."""
        if self.score is None:
            return f"{self.subject}：暂无检查、调查或工作记录，无法评分。"
        parts = [f"{c.label} {c.value:.1f}×权重{c.weight:g} → {c.contribution:.1f}（{c.detail}）"
                 for c in self.components]
        return f"{self.subject}：综合得分 {self.score:.1f}\n" + "\n".join(parts)


def weights() -> dict[str, float]:
    """The office's weights, defaults filled in for any key it has not set."""
    return {k: float(v) for k, v in settings.current_weights().items()}


def _within(query, column, period):  # type: ignore[no-untyped-def]
    start, end = period
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column <= end)
    return query


def _components(unit: Unit, period: tuple[dt.date | None, dt.date | None], today: dt.date,
                inspections: list[Inspection], survey: surveys.UnitRates | None) -> list[Component]:
    w = weights()
    parts: list[Component] = []
    scored = [i for i in inspections if i.score is not None]
    if scored:
        parts.append(Component(
            "inspection", LABELS["inspection"], fmean(i.score for i in scored), w["inspection"],
            f"{len(scored)} 次检查的平均分",
            [Source("Inspection", i.uuid, f"{format_date(i.on)} 检查 {i.score:g} 分") for i in scored]))
    if survey is not None:
        src = [Source("SurveyRound", _round_uuid(survey.round_id),
                      f"调查批次（有效问卷 {survey.rates.valid_sheets} 份）")]
        for key, rate in (("satisfaction", survey.rates.satisfaction),
                          ("awareness", survey.rates.awareness)):
            if rate is not None:
                parts.append(Component(key, LABELS[key], rate * 100, w[key],
                                       f"{surveys.percent(rate)}，{surveys.DEFINITIONS[key]}", src))
    acts = list(_within(Activity.select(Activity.uuid, Activity.title, Activity.start_on)
                        .join(ActivityUnit).where(ActivityUnit.unit == unit.id),
                        Activity.start_on, period).order_by(Activity.start_on))
    target = max(1.0, w["activity_target"])
    parts.append(Component(
        "activities", LABELS["activities"], min(1.0, len(acts) / target) * 100, w["activities"],
        f"考核期内 {len(acts)} 次，{target:g} 次得满分",
        [Source("Activity", a.uuid, f"{format_date(a.start_on)} {a.title}") for a in acts]))
    consults = [c for c in _within(Consultation.select().where(Consultation.unit == unit.id,
                                                              Consultation.due_on.is_null(False)),
                                   Consultation.received_on, period)
                if c.replied_on is not None or c.due_on < today]  # pending, not yet due: not judged
    if consults:
        in_time = [c for c in consults if c.replied_on is not None and c.replied_on <= c.due_on]
        parts.append(Component(
            "complaints", LABELS["complaints"], 100 * len(in_time) / len(consults),
            w["complaints"], f"{len(in_time)}/{len(consults)} 件在答复期限内答复",
            [Source("Consultation", c.uuid, f"{format_date(c.received_on)} 期限 "
                    f"{format_date(c.due_on)}，{'已于' + format_date(c.replied_on) + '答复' if c.replied_on else '未答复'}")
             for c in consults]))
    if unit.head_name:
        attended = list(TrainingAttendance.select(TrainingAttendance, TrainingSession)
                        .join(TrainingSession)
                        .where(TrainingAttendance.unit == unit.id,
                               TrainingAttendance.head_name == unit.head_name,
                               TrainingAttendance.attended == True))  # noqa: E712 - peewee
        parts.append(Component(
            "training", LABELS["training"], 100.0 if attended else 0.0, w["training"],
            f"负责人{unit.head_name}{'已' if attended else '未'}参加培训",
            [Source("TrainingAttendance", a.uuid, f"{format_date(a.session.on)} {a.session.topic}")
             for a in attended]))
    parts.append(Component(
        "online", LABELS["online"], 100.0 if unit.online else 0.0, w["online"],
        ("已上线" + (f"（自{format_date(unit.online_since)}）" if unit.online_since else ""))
        if unit.online else "未上线", [Source("Unit", unit.uuid, unit.name)]))
    return [p for p in parts if p.weight > 0]


def _round_uuid(round_id: int) -> str:
    return SurveyRound.get_by_id(round_id).uuid


def _combine(subject: str, period, parts: list[Component]) -> Assessment:  # type: ignore[no-untyped-def]
    has_evidence = any(p.key in _EVIDENCE and (p.sources or p.key != "activities") for p in parts)
    total_weight = sum(p.weight for p in parts)
    if not has_evidence or total_weight <= 0:
        return Assessment(subject, period, parts, None)
    for p in parts:
        p.contribution = p.weight * p.value / total_weight
    return Assessment(subject, period, parts, round(sum(p.contribution for p in parts), 1))


def candidate_assessment(candidate: Candidate, *, today: dt.date | None = None) -> Assessment:
    """The assessment of a candidate over its campaign's creation period."""
    today = today or dt.date.today()
    campaign, unit = candidate.campaign, candidate.unit
    period = (campaign.creation_start, campaign.creation_end or today)
    inspections = list(Inspection.select().where(
        (Inspection.candidate == candidate.id)
        | ((Inspection.campaign == campaign.id) & (Inspection.unit == unit.id)))
        .order_by(Inspection.on))
    found = surveys.unit_rates(campaign_id=campaign.id, unit_ids=[unit.id])
    parts = _components(unit, period, today, inspections, found[0] if found else None)
    return _combine(unit.name, period, parts)


def candidate_score(candidate: Candidate) -> float | None:
    """The computed score of a candidate (0–100), or ``None`` when there is no evidence.

    The lifecycle engine prefers this to the manually entered score whenever it is not None.
    """
    return candidate_assessment(candidate).score


def rank_candidates(campaign_id: int, *, today: dt.date | None = None
                    ) -> list[tuple[Candidate, Assessment]]:
    """The campaign's candidates with their assessments, best first (unscored last)."""
    cands = list(Candidate.select(Candidate, Unit).join(Unit)
                 .where(Candidate.campaign == campaign_id))
    scored = [(c, candidate_assessment(c, today=today)) for c in cands]
    scored.sort(key=lambda p: (p[1].score is None, -(p[1].score or 0), p[0].unit.name))
    return scored


def title_period(title: Title, today: dt.date) -> tuple[dt.date | None, dt.date]:
    """Since the last re-review (or the naming) until today."""
    last = (ReReview.select(ReReview.on).where(ReReview.title == title.id)
            .order_by(ReReview.on.desc()).scalar())
    return (last or title.named_on, today)


def title_assessment(title: Title, *, today: dt.date) -> Assessment:
    """The assessment of a titled unit since its last re-review (or its naming)."""
    unit = title.unit
    period = title_period(title, today)
    inspections = list(_within(Inspection.select().where(Inspection.unit == unit.id),
                               Inspection.on, period).order_by(Inspection.on))
    found = surveys.unit_rates(unit_ids=[unit.id])
    parts = _components(unit, period, today, inspections, found[0] if found else None)
    return _combine(f"{unit.name}（{Level(title.level).label}）", period, parts)


@dataclass
class EarlyWarning:
    title_id: int
    title_uuid: str
    unit: str
    level: str
    rereview_due: dt.date | None
    score: float | None
    reasons: list[str]


def early_warnings(*, today: dt.date) -> list[EarlyWarning]:
    """Titled units (有效 or 整改中) showing trouble before their re-review, soonest due first.

    Reasons: satisfaction lower than in the unit's previous survey, a rectification asked by
    an inspection that is overdue, a head (often newly appointed) not yet trained, and an
    assessment score below :data:`WARNING_SCORE`.
    """
    titles = list(Title.select(Title, Unit).join(Unit)
                  .where(Title.status.in_(("valid", "rectifying"))))
    if not titles:
        return []
    rates = {u.unit_id: u for u in surveys.unit_rates(unit_ids={t.unit_id for t in titles})}
    out = []
    for t in titles:
        unit, reasons = t.unit, []
        r = rates.get(unit.id)
        if r is not None and r.satisfaction_change is not None and r.satisfaction_change < 0:
            reasons.append(f"满意度由 {surveys.percent(r.previous.satisfaction)} 降至 "
                           f"{surveys.percent(r.rates.satisfaction)}")
        for i in (Inspection.select().where(Inspection.unit == unit.id,
                                            Inspection.rectification_deadline < today)):
            if i.followup_on is None or not i.followup_passed:
                reasons.append(f"{format_date(i.on)}检查提出的整改（期限 "
                               f"{format_date(i.rectification_deadline)}）逾期未复查合格")
        if unit.head_name and not (TrainingAttendance.select()
                                   .where(TrainingAttendance.unit == unit.id,
                                          TrainingAttendance.head_name == unit.head_name,
                                          TrainingAttendance.attended == True)  # noqa: E712
                                   .exists()):
            since = (UnitHead.select(UnitHead.since)
                     .where(UnitHead.unit == unit.id, UnitHead.name == unit.head_name)
                     .order_by(UnitHead.since.desc()).scalar())
            new = since is not None and t.named_on is not None and since > t.named_on
            reasons.append(f"{'新任' if new else ''}负责人{unit.head_name}"
                           f"{'（' + format_date(since) + '到任）' if new else ''}尚未参加培训")
        score = title_assessment(t, today=today).score
        if score is not None and score < WARNING_SCORE:
            reasons.append(f"绩效得分 {score:.1f}，低于 {WARNING_SCORE:g} 分")
        if reasons:
            out.append(EarlyWarning(t.id, t.uuid, unit.name, Level(t.level).label,
                                    t.next_rereview_due, score, reasons))
    out.sort(key=lambda w: (w.rereview_due or dt.date.max, w.unit))
    return out
