"""审核, 公示, 异议 and 命名 of a campaign (rules 2, 3 and 4 of DOMAIN.md).

One public function per user action, each in one transaction. Scores come from
:func:`candidate_score`, the single place the assessment feeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    Objection,
    ReviewDecision,
    Unit,
    current_actor,
    database,
)
from wqg_desktop.domain import lifecycle
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.domain.statuses import CampaignStage, CandidateStatus
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import calendar, settings
from wqg_desktop.services import titles as title_service
from wqg_desktop.services.campaigns import move_candidate, require_owner

C = CandidateStatus

#: Candidates the review decides on.
REVIEWABLE = (C.CREATING, C.REVIEWING)


def candidate_score(candidate: Candidate) -> float | None:
    """The score a candidate is ranked by. The one place scores come from.

    The assessment (检查记录/满意度调查, :mod:`wqg_desktop.services.assessment`) computes it
    from the evidence; where there is no evidence yet, the score entered by hand stands in.
    """
    try:  # imported late: the assessment reads the campaign records this module writes
        from wqg_desktop.services.assessment import candidate_score as computed_score
    except ImportError:
        return candidate.manual_score
    score = computed_score(candidate)
    return score if score is not None else candidate.manual_score


@dataclass
class RankedCandidate:
    rank: int
    candidate_id: int
    uuid: str
    unit: str
    status: str
    score: float | None
    demonstration: bool


def ranking(campaign: Campaign) -> list[RankedCandidate]:
    """Candidates under review, best score first (no score last), then by name."""
    rows = list(Candidate.select(Candidate, Unit).join(Unit)
                .where(Candidate.campaign == campaign, Candidate.status.in_(REVIEWABLE)))
    scored = [(candidate_score(c), c) for c in rows]
    scored.sort(key=lambda sc: (sc[0] is None, -(sc[0] or 0.0), sc[1].unit.name))
    return [RankedCandidate(i + 1, c.id, c.uuid, c.unit.name, C(c.status).label, s,
                            c.demonstration) for i, (s, c) in enumerate(scored)]


def convention() -> str:
    return lifecycle.check_convention(settings.get("differential_convention"))


def set_score(*, candidate: Candidate, score: float | None) -> Candidate:
    """Enter the score by hand (stands in until the assessment computes it)."""
    candidate = Candidate.get_by_id(candidate.id)  # fresh: a caller may hold a stale row
    require_owner(candidate.campaign, "录入得分")
    if score is not None and not 0 <= score <= 100:
        raise InputRefused("得分应在 0 到 100 之间。")
    candidate.manual_score = score
    candidate.save()
    return candidate


def review_campaign(*, campaign: Campaign, passed: Iterable[int], today: dt.date,
                    override_reason: str = "", early_reason: str = "",
                    demonstration: Iterable[int] = ()) -> ReviewDecision:
    """审核: mark every candidate under review 达标 (ids in ``passed``) or 未达标 at once.

    The 20% differential holds unless ``override_reason`` says why more pass; reviewing before
    the creation period has ended needs ``early_reason``.
    """
    campaign = Campaign.get_by_id(campaign.id)  # fresh: a caller may hold a stale row
    require_owner(campaign, "审核")
    lifecycle.stage_step(campaign.stage, "review")
    pool = list(campaign.candidates.where(Candidate.status.in_(REVIEWABLE)))
    if not pool:
        raise RuleViolation("没有待审核的创建单位：只有“创建中”或“审核”的单位才能审核。")
    ids = {c.id for c in pool}
    passing = set(passed)
    stray = passing - ids
    if stray:
        raise InputRefused("所选达标单位中有不在本次待审核名单里的单位，请重新选择。")
    early_reason = (early_reason or "").strip()
    if campaign.creation_end and today <= campaign.creation_end and not early_reason:
        raise RuleViolation(
            f"创建期到 {format_date(campaign.creation_end)} 才结束：创建期满后再审核，"
            "或写明提前审核的理由。")
    conv = convention()
    limit = lifecycle.differential_max_pass(len(pool), conv)
    override_reason = (override_reason or "").strip()
    if len(passing) > limit and not override_reason:
        raise RuleViolation(
            f"达标 {len(passing)} 个，超过差额比例允许的 {limit} 个（参评 {len(pool)} 个；"
            f"{lifecycle.convention_text(conv)}）：请减少达标单位，或写明突破差额比例的理由"
            "（“原则上”不低于20%）。")
    demo = set(demonstration)
    if demo - passing:
        raise InputRefused("示范单位只能从达标单位中选出。")
    with database.atomic():
        _campaign_stage(campaign, "review")
        for cand in pool:
            if cand.status == C.CREATING:
                move_candidate(cand, "begin_review", today=today,
                               reason=early_reason and f"提前审核：{early_reason}")
            ok = cand.id in passing
            cand.demonstration = ok and cand.id in demo
            move_candidate(cand, "pass" if ok else "fail", today=today,
                           reason=f"审核{'达标' if ok else '未达标'}（得分 "
                                  f"{_score_text(candidate_score(cand))}）")
        return ReviewDecision.create(
            owner_office=campaign.owner_office_id, campaign=campaign, decided_on=today,
            reviewed=len(pool), passed=len(passing), convention=conv, max_pass=limit,
            override=len(passing) > limit,
            override_reason=override_reason if len(passing) > limit else "",
            actor=current_actor())


def _score_text(score: float | None) -> str:
    return "未评分" if score is None else f"{score:.1f}"


def _campaign_stage(campaign: Campaign, action: str) -> None:
    step = lifecycle.stage_step(campaign.stage, action)
    if campaign.stage != step.target:
        campaign.stage = str(step.target)
        campaign.save()


def publicize(*, campaign: Campaign, today: dt.date, start: dt.date | None = None,
              working_days: int | None = None) -> Campaign:
    """公示: every 达标 candidate goes on publicity; the end is counted in working days."""
    campaign = Campaign.get_by_id(campaign.id)  # fresh: a caller may hold a stale row
    require_owner(campaign, "公示")
    lifecycle.stage_step(campaign.stage, "publicize")
    passed = list(campaign.candidates.where(Candidate.status == C.PASSED))
    if not passed:
        raise RuleViolation("没有审核达标的单位可以公示：请先完成审核。")
    first = start or today
    days = working_days if working_days is not None else int(settings.get("publicity_working_days"))
    if days < 1:
        raise InputRefused("公示期至少 1 个工作日。")
    end = lifecycle.publicity_end(first, days, calendar.exceptions())
    with database.atomic():
        campaign.publicity_start, campaign.publicity_end = first, end
        _campaign_stage(campaign, "publicize")
        for cand in passed:
            move_candidate(cand, "publicize", today=today,
                           reason=f"公示 {format_date(first)} 至 {format_date(end)}（{days} 个工作日）")
    return campaign


def raise_objection(*, candidate: Candidate, today: dt.date, content: str,
                    raised_by: str = "") -> Objection:
    """异议: received during publicity; the candidate waits in 异议处理中 until it is resolved."""
    candidate = Candidate.get_by_id(candidate.id)  # fresh: a caller may hold a stale row
    campaign = candidate.campaign
    require_owner(campaign, "受理异议")
    content = (content or "").strip()
    if not content:
        raise InputRefused("请填写异议的内容。")
    if candidate.status == C.OBJECTION:
        pass  # a further objection against a candidate already being looked into
    else:
        lifecycle.candidate_step(candidate.status, "object")
    if campaign.publicity_end and today > campaign.publicity_end:
        raise RuleViolation(f"公示期已于 {format_date(campaign.publicity_end)} 结束：公示期外的反映"
                            "请按信访处理，不作为公示异议。")
    with database.atomic():
        objection = Objection.create(owner_office=campaign.owner_office_id, candidate=candidate,
                                     received_on=today, raised_by=(raised_by or "").strip(),
                                     content=content)
        if candidate.status != C.OBJECTION:
            move_candidate(candidate, "object", today=today, reason=f"公示期间收到异议：{content[:60]}")
    return objection


def resolve_objection(*, objection: Objection, upheld: bool, today: dt.date,
                      note: str) -> Objection:
    """Dismissed: the candidate returns to publicity and may be named; upheld: 不予命名."""
    objection = Objection.get_by_id(objection.id)  # fresh: a caller may hold a stale row
    candidate = objection.candidate
    require_owner(candidate.campaign, "处理异议")
    if objection.resolution:
        raise RuleViolation("该异议已经处理过了。")
    note = (note or "").strip()
    if not note:
        raise InputRefused("请写明核查情况和处理意见。")
    with database.atomic():
        objection.resolution = "upheld" if upheld else "dismissed"
        objection.resolved_on, objection.resolution_note = today, note
        objection.save()
        if upheld and candidate.status == C.OBJECTION:
            move_candidate(candidate, "uphold", today=today, reason=f"异议成立：{note}")
        elif not upheld and not open_objections(candidate):
            move_candidate(candidate, "dismiss", today=today, reason=f"异议不成立：{note}")
    return objection


def open_objections(candidate: Candidate) -> list[Objection]:
    return list(Objection.select().where(Objection.candidate == candidate,
                                         Objection.resolution == ""))


def name_campaign(*, campaign: Campaign, today: dt.date, naming_date: dt.date | None = None,
                  document_no: str = "") -> list:
    """命名: after publicity has ended with no open objection, grant the titles.

    Returns the new titles (post titles, then 示范单位 titles).
    """
    campaign = Campaign.get_by_id(campaign.id)  # fresh: a caller may hold a stale row
    require_owner(campaign, "命名")
    lifecycle.stage_step(campaign.stage, "name")
    day = naming_date or today
    if campaign.publicity_end is None or day <= campaign.publicity_end:
        end = format_date(campaign.publicity_end) if campaign.publicity_end else "（未公示）"
        raise RuleViolation(f"公示期到 {end} 才结束：公示期满后才能命名。")
    if day > today:
        raise InputRefused("命名日期不能晚于今天。")
    pending = list(campaign.candidates.where(Candidate.status == C.OBJECTION))
    if pending:
        names = "、".join(c.unit.name for c in pending)
        raise RuleViolation(f"还有未处理的异议（{names}）：请先处理异议，再命名。")
    to_name = list(campaign.candidates.where(Candidate.status == C.PUBLICIZING))
    if not to_name:
        raise RuleViolation("没有可以命名的单位：只有公示期满且没有异议的单位才能命名。")
    document_no = (document_no or campaign.document_no or "").strip()
    granted = []
    with database.atomic():
        for cand in to_name:
            move_candidate(cand, "name", today=today, reason=f"命名（{document_no or '未填发文字号'}）")
            granted += title_service.grant_titles(candidate=cand, named_on=day,
                                                  document_no=document_no, today=today)
        campaign.naming_date = day
        if document_no:
            campaign.document_no = document_no
        campaign.save()
        _campaign_stage(campaign, "name")
        finished = all(c.status in lifecycle.FINISHED_CANDIDATE for c in campaign.candidates)
        if finished:
            campaign.stage = CampaignStage.CLOSED
            campaign.save()
    return granted


def decisions(campaign: Campaign) -> list[ReviewDecision]:
    return list(campaign.review_decisions.order_by(ReviewDecision.id))


def set_demonstration(*, candidates: Mapping[int, bool]) -> None:
    """Mark passed candidates as 示范单位 (or not) before naming."""
    with database.atomic():
        for cid, flag in candidates.items():
            cand = Candidate.get_by_id(cid)
            require_owner(cand.campaign, "确定示范单位")
            if flag and cand.status not in (C.PASSED, C.PUBLICIZING, C.OBJECTION):
                raise RuleViolation(f"{cand.unit.name}未审核达标，不能确定为示范单位。")
            cand.demonstration = flag
            cand.save()
