"""审核, 公示, 异议 and 命名 of a campaign (rules 2, 3 and 4 of DOMAIN.md).

One public function per user action, each in one transaction. Scores come from
:func:`candidate_score`, the single place the assessment feeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    Objection,
    ReviewDecision,
    Title,
    Unit,
    current_actor,
    database,
)
from wqg_desktop.domain import date_rules, lifecycle
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.domain.statuses import CampaignStage, CandidateStatus, TitleKind
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import calendar, settings
from wqg_desktop.services import titles as title_service
from wqg_desktop.services.campaigns import move_candidate, refuse_standing, require_owner

C = CandidateStatus

#: Candidates the review decides on.
REVIEWABLE = (C.CREATING, C.REVIEWING)


#: Where a candidate's score comes from, in the words the windows show.
SOURCE_LABELS = {
    "assessment": "绩效考核（检查、调查、工作记录）",
    "manual": "手工录入（暂无考核记录）",
    "none": "未评分",
}


@dataclass
class ScoreSource:
    """A candidate's score, where it comes from, and the assessment behind it (its evidence)."""

    score: float | None
    source: str  # assessment | manual | none
    assessment: object | None = None  # services.assessment.Assessment when computed

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self.source]


def score_source(candidate: Candidate, *, today: dt.date | None = None) -> ScoreSource:
    """The score a candidate is ranked by and its source. The one place scores come from.

    The assessment (检查记录/满意度调查, :mod:`wqg_desktop.services.assessment`) computes it
    from the evidence; where there is no evidence yet, the score entered by hand stands in.
    """
    # imported late: the assessment reads the campaign records this module writes
    from wqg_desktop.services.assessment import candidate_assessment

    found = candidate_assessment(candidate, today=today)
    if found is not None and found.score is not None:
        return ScoreSource(found.score, "assessment", found)
    if candidate.manual_score is not None:
        return ScoreSource(candidate.manual_score, "manual", found)
    return ScoreSource(None, "none", found)


def candidate_score(candidate: Candidate, *, today: dt.date | None = None) -> float | None:
    """The score a candidate is ranked by (see :func:`score_source`)."""
    return score_source(candidate, today=today).score


@dataclass
class RankedCandidate:
    rank: int
    candidate_id: int
    uuid: str
    unit: str
    status: str
    score: float | None
    demonstration: bool
    source: str = ""  # Chinese: where the score comes from


def ranking(campaign: Campaign, *, today: dt.date | None = None) -> list[RankedCandidate]:
    """Candidates under review, best score first (no score last), then by name."""
    rows = list(Candidate.select(Candidate, Unit).join(Unit)
                .where(Candidate.campaign == campaign, Candidate.status.in_(REVIEWABLE)))
    scored = [(score_source(c, today=today), c) for c in rows]
    scored.sort(key=lambda sc: (sc[0].score is None, -(sc[0].score or 0.0), sc[1].unit.name))
    return [RankedCandidate(i + 1, c.id, c.uuid, c.unit.name, C(c.status).label, s.score,
                            c.demonstration, s.label) for i, (s, c) in enumerate(scored)]


def convention() -> str:
    return lifecycle.check_convention(settings.get("differential_convention"))


#: Candidates whose hand score may still change: after the review it is part of the decision.
SCORABLE = (C.APPLIED, *REVIEWABLE)


def set_score(*, candidate: Candidate, score: float | None) -> Candidate:
    """Enter (or clear, with ``None``) the hand score that stands in for a missing assessment.

    Refused once the assessment computes a score (it is what ranks the candidate then: the
    evidence is corrected instead), and after the review, whose decision quoted the score.
    """
    candidate = Candidate.get_by_id(candidate.id)  # fresh: a caller may hold a stale row
    require_owner(candidate.campaign, "录入得分")
    if score is not None and not 0 <= score <= 100:
        raise InputRefused("得分应在 0 到 100 之间。")
    if candidate.status not in SCORABLE:
        raise RuleViolation(
            f"{candidate.unit.name}目前是“{C(candidate.status).label}”：得分只能在申报后、审核前"
            "录入或修改；审核结果已按当时的得分作出。")
    found = score_source(candidate)
    if score is not None and found.source == "assessment":
        raise RuleViolation(
            f"{candidate.unit.name}已有绩效考核得分 {found.score:.1f}（来自检查、调查和工作记录），"
            "排名以它为准，手工得分只在没有考核记录时代替。如需调整，请补录或更正检查、调查记录。")
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
    # a campaign without a planned end still has its two-year period, counted from its start
    creation_end = lifecycle.creation_end_of(campaign.creation_start, campaign.creation_end)
    if creation_end and today <= creation_end and not early_reason:
        raise RuleViolation(
            f"创建期到 {format_date(creation_end)} 才结束：创建期满后再审核，"
            "或写明提前审核的理由。")
    refuse_standing(pool, "审核")
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
                                  f"{_score_text(candidate_score(cand, today=today))}）")
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
    first = date_rules.check_planned(start or today, "公示开始日期", today=today)
    _check_publicity_start(campaign, first)
    refuse_standing(passed, "公示")
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


def _check_publicity_start(campaign: Campaign, first: dt.date) -> None:
    """Publicity follows the review: never before the decision, nor inside the creation period
    unless the review itself was an early one (made, with its written reason, before the end)."""
    decision = (campaign.review_decisions.order_by(ReviewDecision.decided_on.desc(),
                                                   ReviewDecision.id.desc()).first())
    if decision is not None and first < decision.decided_on:
        raise RuleViolation(
            f"公示开始日期 {format_date(first)} 早于审核日期 {format_date(decision.decided_on)}："
            "公示只能公示审核结果，请把开始日期改为审核当天或之后。")
    creation_end = lifecycle.creation_end_of(campaign.creation_start, campaign.creation_end)
    reviewed_early = decision is not None and creation_end is not None and (
        decision.decided_on <= creation_end)
    if creation_end is not None and first <= creation_end and not reviewed_early:
        raise RuleViolation(
            f"创建期到 {format_date(creation_end)} 才结束，公示开始日期 {format_date(first)} 在创建期内："
            "只有写明理由提前审核的活动才能在创建期内公示，请把开始日期改到创建期满之后。")


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
    if campaign.publicity_start and today < campaign.publicity_start:
        raise RuleViolation(f"公示期从 {format_date(campaign.publicity_start)} 开始：公示开始前的反映"
                            "不是公示异议，请在公示期内受理，或按信访处理。")
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
    """Dismissed: the candidate returns to publicity and may be named; upheld: 不予命名.

    Once the candidate's outcome is decided (an earlier objection upheld), the remaining open
    objections are still resolved, for the record, without changing the candidate.
    """
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
        if candidate.status != C.OBJECTION:
            # the outcome is already decided (an earlier objection was upheld): this one is
            # only recorded as resolved, so no objection stays open for ever
            return objection
        if upheld:
            move_candidate(candidate, "uphold", today=today, reason=f"异议成立：{note}")
        elif not open_objections(candidate):
            move_candidate(candidate, "dismiss", today=today, reason=f"异议不成立：{note}")
    return objection


def open_objections(candidate: Candidate) -> list[Objection]:
    return list(Objection.select().where(Objection.candidate == candidate,
                                         Objection.resolution == ""))


def naming_refusal(campaign: Campaign, day: dt.date) -> str | None:
    """Why the campaign's units cannot be named on ``day``: publicity not over, or an
    objection still open (Chinese); ``None`` when they can."""
    if campaign.publicity_end is None or day <= campaign.publicity_end:
        end = format_date(campaign.publicity_end) if campaign.publicity_end else "（未公示）"
        return f"公示期到 {end} 才结束：公示期满后才能命名。"
    pending = list(campaign.candidates.where(Candidate.status == C.OBJECTION))
    if pending:
        names = "、".join(c.unit.name for c in pending)
        return f"还有未处理的异议（{names}）：请先处理异议，再命名。"
    return None


def name_campaign(*, campaign: Campaign, today: dt.date, naming_date: dt.date | None = None,
                  document_no: str = "") -> list:
    """命名: after publicity has ended with no open objection, grant the titles.

    Returns the new titles (post titles, then 示范单位 titles).
    """
    campaign = Campaign.get_by_id(campaign.id)  # fresh: a caller may hold a stale row
    require_owner(campaign, "命名")
    lifecycle.stage_step(campaign.stage, "name")
    day = naming_date or today
    if day > today:
        raise InputRefused("命名日期不能晚于今天。")
    refusal = naming_refusal(campaign, day)
    if refusal:
        raise RuleViolation(refusal)
    to_name = list(campaign.candidates.where(Candidate.status == C.PUBLICIZING))
    if not to_name:
        raise RuleViolation("没有可以命名的单位：只有公示期满且没有异议的单位才能命名。")
    refuse_standing(to_name, "命名")
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


def naming_summary(titles: Sequence[Title]) -> str:
    """What the officer reads after naming: how many titles, their certificate numbers, and
    where to print them (the printing page's default scope is the latest naming)."""
    if not titles:
        return "没有授予称号。"
    units = len({t.unit_id for t in titles})
    demo = sum(1 for t in titles if t.kind == TitleKind.DEMONSTRATION)
    numbers = [t.certificate_no for t in titles if t.certificate_no]
    if len(numbers) > 8:
        shown = f"{numbers[0]} 至 {numbers[-1]}，共 {len(numbers)} 个"
    else:
        shown = "、".join(numbers)
    return (f"已命名 {units} 个单位，授予称号 {len(titles)} 项"
            + (f"（其中示范单位 {demo} 项）" if demo else "") + "。\n"
            + (f"证书编号：{shown}。\n" if numbers else "")
            + "证书已就绪：请到“证书与牌匾打印”页打印，默认范围就是最近一次命名的全部证书。")
