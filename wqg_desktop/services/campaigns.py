"""创建活动: creating a campaign and taking units in (申报, 推荐申报, 受理, 退回, 退出, 创建期).

Each public function is one user action in one transaction; the caller names the officer with
``ctx.acting(...)``. The rules come from :mod:`wqg_desktop.domain.lifecycle`; review, publicity
and naming are in :mod:`wqg_desktop.services.campaign_review`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from wqg_desktop.db.models import (
    Campaign,
    CampaignNamingBody,
    CampaignQuota,
    Candidate,
    CandidateEvent,
    NamingBody,
    Office,
    Region,
    Title,
    Unit,
    current_actor,
    database,
)
from wqg_desktop.domain import date_rules, lifecycle
from wqg_desktop.domain.chinese import Term, format_date, parse_term
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import (
    CampaignStage,
    CandidateStatus,
    RegionKind,
    TitleKind,
    TitleStatus,
    UnitStatus,
)
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import office as office_service
from wqg_desktop.services import reference

C = CandidateStatus


@dataclass
class CreatedCampaign:
    campaign: Campaign
    warnings: list[str] = field(default_factory=list)


def this_office() -> Office:
    office = office_service.this_office()
    if office is None:
        raise InputRefused("尚未设置本办公室：请先完成首次启动设置（或 wqg init）。")
    return office


def require_owner(campaign: Campaign, doing: str) -> Office:
    """This office, if it runs ``campaign``; otherwise a Chinese refusal."""
    office = this_office()
    if campaign.owner_office_id != office.id:
        owner = campaign.owner_office.name if campaign.owner_office_id else "其他办公室"
        raise RuleViolation(f"“{campaign.name}”由{owner}主办，只有主办单位才能{doing}。")
    return office


def move_candidate(candidate: Candidate, action: str, *, today: dt.date,
                   reason: str = "") -> lifecycle.Transition:
    """Apply one transition of the lifecycle table to ``candidate`` and write its event."""
    step = lifecycle.candidate_step(candidate.status, action)
    before = candidate.status
    candidate.status = str(step.target)
    candidate.save()
    CandidateEvent.create(owner_office=candidate.owner_office_id, candidate=candidate,
                          from_status=before, to_status=str(step.target), on=today,
                          actor=current_actor(), reason=reason or step.label)
    return step


def _move_stage(campaign: Campaign, action: str) -> None:
    step = lifecycle.stage_step(campaign.stage, action)
    if campaign.stage != step.target:
        campaign.stage = str(step.target)
        campaign.save()


# ---------------------------------------------------------------------------------------------
# Creating a campaign
# ---------------------------------------------------------------------------------------------


def naming_bodies_by_name(names: Iterable[str], level: Level,
                          office: Office) -> list[NamingBody]:
    """The naming bodies of these names, created (with shared UUIDs) when new."""
    bodies: list[NamingBody] = []
    for raw in names:
        name = (raw or "").strip()
        if not name:
            continue
        body = NamingBody.get_or_none(NamingBody.name == name)
        if body is None:
            body = NamingBody.create(owner_office=office, name=name, level=int(level),
                                     region_name=office.region_name,
                                     uuid=reference.reference_uuid("naming_body", name))
        if body not in bodies:
            bodies.append(body)
    return bodies


def _check_dates(pairs: Sequence[tuple[str, dt.date | None, str, dt.date | None]]) -> None:
    for first_name, first, second_name, second in pairs:
        if first and second and second < first:
            raise InputRefused(f"{second_name}（{format_date(second)}）早于{first_name}"
                               f"（{format_date(first)}）：请把日期按先后顺序填写。")


#: the planned dates of a campaign, with their Chinese labels
PLAN_DATES = {
    "application_start": "申报开始日期", "application_end": "申报截止日期",
    "creation_start": "创建期开始日期", "creation_end": "创建期结束日期",
    "review_planned": "计划审核日期", "naming_planned": "计划命名日期",
}


def check_plan_dates(dates: dict[str, dt.date | None], *, today: dt.date) -> None:
    """Each date of ``dates`` (keys of :data:`PLAN_DATES`) must be plausible: from 1998 to
    five years after ``today`` (:func:`date_rules.check_planned`)."""
    for key, day in dates.items():
        if day is not None:
            date_rules.check_planned(day, PLAN_DATES[key], today=today)


def check_term(term: str | int | Term, *, today: dt.date) -> Term:
    """The term of a new campaign: readable, and starting between 1998 and two years ahead."""
    t = parse_term(term)
    date_rules.check_term_year(t.start, today=today)
    return t


NO_BODY = "请至少填写一个命名单位，例如“共青团海安市委”和“海安市公安局”（联合命名）。"


def check_plan(*, application_start: dt.date | None, application_end: dt.date | None,
               creation_start: dt.date | None, creation_end: dt.date | None,
               review_planned: dt.date | None, naming_planned: dt.date | None,
               quota: int | None, office_quotas: dict[str, int] | None,
               min_inspections: int) -> None:
    """The checks a campaign's plan passes, on creation and on every later change."""
    _check_dates([
        ("申报开始日期", application_start, "申报截止日期", application_end),
        ("申报截止日期", application_end, "创建期开始日期", creation_start),
        ("创建期开始日期", creation_start, "创建期结束日期", creation_end),
        ("创建期结束日期", creation_end, "计划审核日期", review_planned),
        ("计划审核日期", review_planned, "计划命名日期", naming_planned),
        ("创建期结束日期", creation_end, "计划命名日期", naming_planned),
    ])
    for value, what in ((quota, "分配名额"), *((q, f"{n}的分配名额")
                                              for n, q in (office_quotas or {}).items())):
        if value is not None and value < 1:
            raise InputRefused(f"{what}应为正整数（不限名额请留空）。")
    if min_inspections < 0:
        raise InputRefused("创建期内最少检查次数不能为负数。")


def quota_senders(office_quotas: dict[str, int] | None) -> list[tuple[Office, int]]:
    """The sending offices of ``office_quotas`` (name → 名额); unknown names are refused."""
    found: list[tuple[Office, int]] = []
    for office_name, value in (office_quotas or {}).items():
        sender = Office.get_or_none(Office.name == office_name.strip())
        if sender is None:
            raise InputRefused(f"没有名为“{office_name}”的办公室：分配名额只能给已知的报送单位。")
        found.append((sender, value))
    return found


def create_campaign(*, level: Level | str | int, term: str | int | Term, today: dt.date,
                    name: str = "", application_start: dt.date | None = None,
                    application_end: dt.date | None = None,
                    creation_start: dt.date | None = None, creation_end: dt.date | None = None,
                    review_planned: dt.date | None = None,
                    naming_planned: dt.date | None = None, quota: int | None = None,
                    office_quotas: dict[str, int] | None = None,
                    naming_bodies: Iterable[str] = (), require_online: bool = False,
                    min_inspections: int = 1, document_no: str = "",
                    note: str = "") -> CreatedCampaign:
    """Create a campaign of this office at its own level; warnings do not refuse.

    ``office_quotas`` maps the name of a sending office to its 分配名额; ``quota`` is the
    default for offices without one.
    """
    office = this_office()
    lvl = Level.parse(level)
    if lvl != Level(office.level):
        raise RuleViolation(
            f"本办公室是{Level(office.level).label}，只能主办{Level(office.level).label}创建活动；"
            f"{lvl.label}创建活动由{lvl.label}办公室主办，随其下发的数据包导入。")
    t = check_term(term, today=today)
    if Campaign.get_or_none(Campaign.owner_office == office, Campaign.level == int(lvl),
                            Campaign.term_start == t.start) is not None:
        raise RuleViolation(f"本办公室已有{t.label}{lvl.label}创建活动：每一级每个年度只开展一次。")
    check_plan_dates({"application_start": application_start, "application_end": application_end,
                      "creation_start": creation_start, "creation_end": creation_end,
                      "review_planned": review_planned, "naming_planned": naming_planned},
                     today=today)
    check_plan(application_start=application_start, application_end=application_end,
               creation_start=creation_start, creation_end=creation_end,
               review_planned=review_planned, naming_planned=naming_planned, quota=quota,
               office_quotas=office_quotas, min_inspections=min_inspections)
    bodies = naming_bodies_by_name(naming_bodies, lvl, office)
    if not bodies:
        raise InputRefused(NO_BODY)
    quota_offices = quota_senders(office_quotas)
    warnings = [w for w in (lifecycle.creation_period_warning(creation_start, creation_end),)
                if w]
    title = (name or "").strip() or (
        f"{t.label}{office.region_name}公安系统“青少年维权岗”创建活动")
    stage = CampaignStage.APPLICATION
    with database.atomic():
        campaign = Campaign.create(
            owner_office=office, level=int(lvl), term_start=t.start, name=title, stage=stage,
            application_start=application_start, application_end=application_end,
            creation_start=creation_start, creation_end=creation_end,
            review_planned=review_planned, naming_planned=naming_planned, quota=quota,
            require_online=require_online, min_inspections=min_inspections,
            document_no=(document_no or "").strip(), note=(note or "").strip())
        for order, body in enumerate(bodies):
            CampaignNamingBody.create(owner_office=office, campaign=campaign, naming_body=body,
                                      sort_order=order)
        for sender, value in quota_offices:
            CampaignQuota.create(owner_office=office, campaign=campaign, office=sender,
                                 quota=value)
    return CreatedCampaign(campaign, warnings)


# ---------------------------------------------------------------------------------------------
# Who may apply: the ladder and the other conditions
# ---------------------------------------------------------------------------------------------


def valid_title_levels(unit: Unit) -> list[int]:
    """Levels at which ``unit`` holds a valid (有效) post title; 整改中 does not count."""
    return [t.level for t in Title.select(Title.level).where(
        Title.unit == unit, Title.status == TitleStatus.VALID, Title.kind == TitleKind.POST)]


def rectifying_title_levels(unit: Unit) -> list[int]:
    """Levels at which ``unit`` holds a post title in rectification (整改中)."""
    return [t.level for t in Title.select(Title.level).where(
        Title.unit == unit, Title.status == TitleStatus.RECTIFYING, Title.kind == TitleKind.POST)]


def is_city_direct(unit: Unit) -> bool:
    region = Region.get_by_id(unit.region_id)
    return region.kind == RegionKind.CITY_DIRECT


def ineligibility(campaign: Campaign, unit: Unit) -> str | None:
    """Why ``unit`` cannot enter ``campaign`` (Chinese), or ``None`` when it can."""
    if unit.status != UnitStatus.ACTIVE:
        return f"该单位{UnitStatus(unit.status).label}，已不是在册的基层单位，不能申报。"
    if not unit.works_with_youth:
        return "该单位的工作已不再涉及青少年（工作性质改变），不能申报“青少年维权岗”。"
    existing = Candidate.get_or_none(Candidate.campaign == campaign, Candidate.unit == unit)
    if existing is not None:
        return (f"该单位已在本次活动中（{C(existing.status).label}），同一活动不能重复申报"
                + ("；如需重新申报，请另行开展下一年度活动。" if existing.status in
                   (C.WITHDRAWN, C.RETURNED) else "。"))
    refusal = lifecycle.ladder_refusal(Level(campaign.level), valid_title_levels(unit),
                                       is_city_direct(unit), rectifying_title_levels(unit))
    if refusal:
        return refusal
    if campaign.require_online and not unit.online:
        return "本次活动要求创建单位已上线“青少年维权在线”：请先为该单位办理上线并在名册中登记。"
    return None


def standing_problem(candidate: Candidate) -> str | None:
    """Why a running candidate may no longer be found 达标, publicized or named (Chinese).

    Things change during a two-year creation period: the unit may be merged, split or
    dissolved, its work may stop concerning youth, or it may already hold a live post title
    at the campaign's level. Review, publicity and naming ask this again for every candidate.
    """
    unit = Unit.get_by_id(candidate.unit_id)
    if unit.status != UnitStatus.ACTIVE:
        when = f"于{format_date(unit.closed_on)}" if unit.closed_on else ""
        return f"该单位已{when}{UnitStatus(unit.status).label}，不再是在册的基层单位"
    if not unit.works_with_youth:
        when = f"自{format_date(unit.youth_work_ended_on)}起" if unit.youth_work_ended_on else ""
        return f"该单位{when}已不再从事青少年工作（工作性质改变）"
    live = Title.select().where(
        Title.unit == unit, Title.level == candidate.campaign.level,
        Title.kind == TitleKind.POST,
        Title.status.in_((TitleStatus.VALID, TitleStatus.RECTIFYING)),
        (Title.candidate.is_null()) | (Title.candidate != candidate)).first()
    if live is not None:
        return (f"该单位已持有{Level(live.level).label}“青少年维权岗”称号"
                f"（{TitleStatus(live.status).label}），同级不能再命名一次")
    return None


def refuse_standing(candidates: Iterable[Candidate], doing: str) -> None:
    """Refuse ``doing`` while any of ``candidates`` no longer qualifies, saying what to do."""
    problems = [(c, why) for c in candidates if (why := standing_problem(c))]
    if problems:
        listed = "；".join(f"{c.unit.name}：{why}" for c, why in problems[:5])
        more = f"等 {len(problems)} 个单位" if len(problems) > 5 else ""
        raise RuleViolation(
            f"以下创建单位已不符合条件，不能{doing}：{listed}{more}。"
            "请先为其办理“退出创建”并写明原因，再继续。")


#: Candidacies still under way that a change to the unit may end (withdrawable steps).
WITHDRAWABLE = tuple(t.source for t in lifecycle.CANDIDATE_TRANSITIONS if t.action == "withdraw")


@dataclass
class CandidaciesEnded:
    withdrawn: list[Candidate] = field(default_factory=list)
    #: running candidacies this office may not withdraw (another office's record, or one
    #: waiting on an objection): review and naming refuse them until they are dealt with
    left: list[Candidate] = field(default_factory=list)


def withdraw_unit_candidacies(*, unit: Unit, today: dt.date, reason: str) -> CandidaciesEnded:
    """退出创建 for every running candidacy of ``unit`` this office may withdraw, with
    ``reason`` (the unit stopped doing youth work, or was merged, split or dissolved)."""
    office = this_office()
    reason = (reason or "").strip()
    if not reason:
        raise InputRefused("退出创建须写明原因。")
    running = list(Candidate.select().where(
        Candidate.unit == unit,
        Candidate.status.in_([*WITHDRAWABLE, C.OBJECTION])).order_by(Candidate.id))
    done = CandidaciesEnded()
    with database.atomic():
        for cand in running:
            mine = office.id in (cand.campaign.owner_office_id, cand.owner_office_id)
            if not mine or cand.status not in WITHDRAWABLE:
                done.left.append(cand)
                continue
            cand.withdrawn_reason = reason
            move_candidate(cand, "withdraw", today=today, reason=reason)
            done.withdrawn.append(cand)
    return done


def _open_for_units(campaign: Campaign) -> None:
    if campaign.stage not in lifecycle.OPEN_FOR_APPLICATIONS:
        raise RuleViolation(
            f"“{campaign.name}”已进入{CampaignStage(campaign.stage).label}阶段，不再接受申报："
            "只有筹备或申报阶段的活动才能申报、推荐。")


def _refuse_ineligible(campaign: Campaign, unit: Unit) -> None:
    why = ineligibility(campaign, unit)
    if why:
        raise RuleViolation(f"{unit.name}：{why}")


def apply_unit(*, campaign: Campaign, unit: Unit, today: dt.date, reason: str = "") -> Candidate:
    """申报: enter one unit in a campaign this office runs."""
    campaign = Campaign.get_by_id(campaign.id)  # fresh: a caller may hold a stale row
    office = require_owner(campaign, "受理申报")
    _open_for_units(campaign)
    _refuse_ineligible(campaign, unit)
    with database.atomic():
        cand = Candidate.create(owner_office=office, campaign=campaign, unit=unit,
                                status=lifecycle.NEW, applied_on=today)
        move_candidate(cand, "apply", today=today, reason=reason or "申报")
    return cand


def quota_of(campaign: Campaign, sender: Office) -> int | None:
    row = CampaignQuota.get_or_none(CampaignQuota.campaign == campaign,
                                    CampaignQuota.office == sender)
    return row.quota if row is not None else campaign.quota


def recommended_count(campaign: Campaign, sender: Office) -> int:
    return Candidate.select().where(
        Candidate.campaign == campaign, Candidate.recommended_by == sender,
        Candidate.status.not_in((C.WITHDRAWN, C.RETURNED))).count()


def recommend_unit(*, campaign: Campaign, unit: Unit, today: dt.date,
                   reason: str = "") -> Candidate:
    """推荐申报: this office recommends one of its units to an upper office's campaign."""
    campaign = Campaign.get_by_id(campaign.id)  # fresh: a caller may hold a stale row
    office = this_office()
    if campaign.level <= office.level:
        raise RuleViolation(
            f"推荐申报是向上级活动推荐：“{campaign.name}”是{Level(campaign.level).label}活动，"
            f"本办公室是{Level(office.level).label}；本级活动请直接“申报”。")
    if unit.owner_office_id != office.id:
        raise RuleViolation(f"{unit.name}不在本办公室的名册中：只能推荐本辖区的基层单位。")
    _open_for_units(campaign)
    _refuse_ineligible(campaign, unit)
    limit = quota_of(campaign, office)
    used = recommended_count(campaign, office)
    if limit is not None and used >= limit:
        raise RuleViolation(
            f"分配名额已用完：本办公室在“{campaign.name}”中最多推荐 {limit} 个单位，已推荐 {used} 个。"
            "如需改推其他单位，请先撤回一个推荐。")
    with database.atomic():
        cand = Candidate.create(owner_office=office, campaign=campaign, unit=unit,
                                status=lifecycle.NEW, applied_on=today, recommended_by=office)
        move_candidate(cand, "recommend", today=today, reason=reason or f"{office.name}推荐")
    return cand


def accept_candidate(*, candidate: Candidate, today: dt.date, reason: str = "") -> Candidate:
    """受理推荐 at the office that runs the campaign; the application becomes its record."""
    candidate = Candidate.get_by_id(candidate.id)  # fresh: a caller may hold a stale row
    office = require_owner(candidate.campaign, "受理推荐")
    with database.atomic():
        candidate.owner_office = office
        move_candidate(candidate, "accept", today=today, reason=reason or "受理推荐")
    return candidate


def return_candidate(*, candidate: Candidate, today: dt.date, reason: str) -> Candidate:
    """退回 a recommendation or application, with the reason the sender will read."""
    candidate = Candidate.get_by_id(candidate.id)  # fresh: a caller may hold a stale row
    require_owner(candidate.campaign, "退回推荐或申报")
    reason = (reason or "").strip()
    if not reason:
        raise InputRefused("退回须写明理由，报送单位会看到它。")
    with database.atomic():
        candidate.returned_reason = reason
        move_candidate(candidate, "return", today=today, reason=reason)
    return candidate


def withdraw_candidate(*, candidate: Candidate, today: dt.date, reason: str) -> Candidate:
    """退出创建: by the campaign's office, or by the office that recommended it before受理."""
    candidate = Candidate.get_by_id(candidate.id)  # fresh: a caller may hold a stale row
    office = this_office()
    owner_id = candidate.campaign.owner_office_id
    if office.id not in (owner_id, candidate.owner_office_id):
        raise RuleViolation("只有主办活动的办公室或推荐该单位的办公室才能办理退出。")
    reason = (reason or "").strip()
    if not reason:
        raise InputRefused("退出创建须写明原因。")
    with database.atomic():
        candidate.withdrawn_reason = reason
        move_candidate(candidate, "withdraw", today=today, reason=reason)
    return candidate


def start_creation(*, campaign: Campaign, today: dt.date, reason: str = "") -> int:
    """进入创建期: every accepted application becomes a creation unit; returns how many."""
    campaign = Campaign.get_by_id(campaign.id)  # fresh: a caller may hold a stale row
    require_owner(campaign, "启动创建期")
    waiting = [c.unit.name for c in campaign.candidates.where(Candidate.status == C.RECOMMENDED)]
    if waiting:
        raise RuleViolation(f"还有 {len(waiting)} 个推荐尚未受理或退回（{'、'.join(waiting[:5])}"
                            f"{'等' if len(waiting) > 5 else ''}）：请先逐一受理或退回。")
    applied = list(campaign.candidates.where(Candidate.status == C.APPLIED))
    if not applied:
        raise RuleViolation("还没有已受理的申报：请先申报或受理推荐，再进入创建期。")
    with database.atomic():
        _move_stage(campaign, "start_creation")
        if campaign.creation_start is None:
            campaign.creation_start = today
        if campaign.creation_end is None:
            # without an end the two-year period would never be enforced at the review
            campaign.creation_end = lifecycle.default_creation_end(campaign.creation_start)
        campaign.save()
        for cand in applied:
            move_candidate(cand, "start_creation", today=today,
                           reason=reason or "确定为创建单位，进入两年创建期")
    return len(applied)
