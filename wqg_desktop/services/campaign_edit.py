"""修改活动: changing a campaign's plan after creation, without rewriting its history.

A field may change only while the step it governs lies ahead: the application window and the
quota until the creation period starts, the creation period and the inspections asked for until
the review, the naming bodies and the name until the naming. After that the field is history
(the review judged "early" against the old dates, the titles carry the old bodies) and a change
is refused in Chinese, naming the field and why. The checks of creation apply to every change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from wqg_desktop.db.models import (
    Campaign,
    CampaignNamingBody,
    CampaignQuota,
    Candidate,
    Unit,
    database,
)
from wqg_desktop.domain import lifecycle
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CampaignStage
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import campaigns

S = CampaignStage
_OPEN = (S.PREPARING, S.APPLICATION)
_BEFORE_REVIEW = (*_OPEN, S.CREATION)
_BEFORE_NAMING = (*_BEFORE_REVIEW, S.REVIEW, S.PUBLICITY)
_ALWAYS = tuple(S)

_APPLIED = "申报已经结束，推荐和申报已按原来的安排办理"
_REVIEWED = "审核已经完成，审核（包括是否提前审核、检查次数是否够）已按原来的安排作出"
_NAMED = "已经命名，称号、证书和命名文件已按原来的内容制作"

#: field → (Chinese label, the stages in which it may still change, why it is history after)
FIELDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "name": ("活动名称", _BEFORE_NAMING, _NAMED),
    "document_no": ("发文字号", _BEFORE_NAMING, _NAMED),
    "application_start": ("申报开始日期", _OPEN, _APPLIED),
    "application_end": ("申报截止日期", _OPEN, _APPLIED),
    "quota": ("分配名额", _OPEN, _APPLIED),
    "office_quotas": ("各报送单位的分配名额", _OPEN, _APPLIED),
    "require_online": ("是否要求已上线“青少年维权在线”", _OPEN, _APPLIED),
    "creation_start": ("创建期开始日期", _BEFORE_REVIEW, _REVIEWED),
    "creation_end": ("创建期结束日期", _BEFORE_REVIEW, _REVIEWED),
    "review_planned": ("计划审核日期", _BEFORE_REVIEW, _REVIEWED),
    "min_inspections": ("创建期内最少检查次数", _BEFORE_REVIEW, _REVIEWED),
    "naming_planned": ("计划命名日期", _BEFORE_NAMING, _NAMED),
    "naming_bodies": ("命名单位", _BEFORE_NAMING, _NAMED),
    "note": ("说明", _ALWAYS, ""),
}

_DATES = ("application_start", "application_end", "creation_start", "creation_end",
          "review_planned", "naming_planned")


@dataclass
class UpdatedCampaign:
    campaign: Campaign
    #: Chinese labels of the fields that changed (empty: nothing to save)
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def locked_fields(campaign: Campaign) -> dict[str, str]:
    """The fields of ``campaign`` that can no longer change, each with the Chinese reason."""
    return {key: why for key, (_label, stages, why) in FIELDS.items()
            if campaign.stage not in stages}


def current_plan(campaign: Campaign) -> dict[str, object]:
    """Every editable field as it stands, in the shape :func:`update_campaign` takes."""
    plan: dict[str, object] = {key: getattr(campaign, key) for key in FIELDS
                               if key not in ("naming_bodies", "office_quotas")}
    plan["naming_bodies"] = [n.naming_body.name
                             for n in campaign.naming_bodies.order_by(CampaignNamingBody.sort_order)]
    plan["office_quotas"] = {q.office.name: q.quota for q in campaign.quotas}
    return plan


def _normal(key: str, value: object) -> object:
    if key in ("name", "document_no", "note"):
        return str(value or "").strip()
    if key == "naming_bodies":
        names = [str(n).strip() for n in (value or ()) if str(n).strip()]  # type: ignore[attr-defined]
        return list(dict.fromkeys(names))
    if key == "office_quotas":
        return {str(k).strip(): int(v) for k, v in dict(value or {}).items()}  # type: ignore[call-overload]
    if key == "quota":
        return None if value in (None, 0) else int(value)  # type: ignore[call-overload]
    if key == "require_online":
        return bool(value)
    if key == "min_inspections":
        return int(value)  # type: ignore[call-overload]
    if key in _DATES and value is not None and not isinstance(value, dt.date):
        raise InputRefused(f"{FIELDS[key][0]}应为日期。")
    return value


def _refuse_locked(campaign: Campaign, changed: Iterable[str]) -> None:
    locked = locked_fields(campaign)
    refused = [k for k in changed if k in locked]
    if not refused:
        return
    labels = "、".join(FIELDS[k][0] for k in refused)
    reasons = "；".join(dict.fromkeys(locked[k] for k in refused))
    raise RuleViolation(
        f"“{campaign.name}”已进入{S(campaign.stage).label}阶段，{labels}不能再修改：{reasons}。"
        "如确需更正，请在“说明”中写明，或另行发文。")


def _check_quotas(campaign: Campaign, quota: int | None, office_quotas: dict[str, int]) -> None:
    """A quota may not fall below what an office has already recommended."""
    senders = {o.id: v for o, v in campaigns.quota_senders(office_quotas)}
    live = (Candidate.select().where(Candidate.campaign == campaign,
                                     Candidate.recommended_by.is_null(False),
                                     Candidate.status.in_(lifecycle.LIVE_CANDIDATE)))
    counts: dict[int, tuple[str, int]] = {}
    for cand in live:
        name, n = counts.get(cand.recommended_by_id, (cand.recommended_by.name, 0))
        counts[cand.recommended_by_id] = (name, n + 1)
    for office_id, (name, used) in counts.items():
        limit = senders.get(office_id, quota)
        if limit is not None and used > limit:
            raise RuleViolation(
                f"{name}已推荐 {used} 个单位，新的分配名额 {limit} 个不够：请先退回或撤回多出的推荐，"
                "再减少名额。")


def _check_online(campaign: Campaign) -> None:
    """Turning the online requirement on may not make admitted candidates ineligible."""
    offline = [c.unit.name for c in Candidate.select(Candidate, Unit).join(Unit).where(
        Candidate.campaign == campaign, Candidate.status.in_(lifecycle.LIVE_CANDIDATE),
        Unit.online == False)]  # noqa: E712 - peewee expression
    if offline:
        raise RuleViolation(
            f"已申报的{'、'.join(offline[:5])}{'等' if len(offline) > 5 else ''} "
            f"{len(offline)} 个单位尚未上线“青少年维权在线”：请先在名册中登记上线，"
            "或不要求上线。")


def update_campaign(*, campaign: Campaign, today: dt.date, **changes: object) -> UpdatedCampaign:
    """修改活动: change the fields named in ``changes`` (keys of :data:`FIELDS`).

    Unchanged values pass whatever the stage; a changed value must still be open (see the
    module's docstring) and the whole plan must pass the checks of creation. ``quota`` 0 or
    ``None`` means no limit. Returns the labels of what changed and any warnings.
    """
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    campaign = Campaign.get_by_id(campaign.id)  # fresh: a caller may hold a stale row
    office = campaigns.require_owner(campaign, "修改活动")
    before = current_plan(campaign)
    after = dict(before)
    after.update({k: _normal(k, v) for k, v in changes.items()})
    changed = [k for k in FIELDS if after[k] != before[k]]
    if not changed:
        return UpdatedCampaign(campaign)
    _refuse_locked(campaign, changed)
    if not after["name"]:
        raise InputRefused("活动名称不能为空。")
    # only the dates being changed: an old campaign's unchanged plan stays as it was
    campaigns.check_plan_dates({k: after[k] for k in _DATES if k in changed},  # type: ignore[misc]
                               today=today)
    campaigns.check_plan(**{k: after[k] for k in _DATES},  # type: ignore[arg-type]
                         quota=after["quota"], office_quotas=after["office_quotas"],  # type: ignore[arg-type]
                         min_inspections=after["min_inspections"])  # type: ignore[arg-type]
    if not after["naming_bodies"]:
        raise InputRefused(campaigns.NO_BODY)
    if {"quota", "office_quotas"} & set(changed):
        _check_quotas(campaign, after["quota"], after["office_quotas"])  # type: ignore[arg-type]
    if "require_online" in changed and after["require_online"]:
        _check_online(campaign)
    warnings = [w for w in (lifecycle.creation_period_warning(
        after["creation_start"], after["creation_end"]),) if w]  # type: ignore[arg-type]
    with database.atomic():
        for key in changed:
            if key not in ("naming_bodies", "office_quotas"):
                setattr(campaign, key, after[key])
        campaign.save()
        if "naming_bodies" in changed:
            _replace_bodies(campaign, after["naming_bodies"], office)  # type: ignore[arg-type]
        if "office_quotas" in changed:
            _replace_quotas(campaign, after["office_quotas"], office)  # type: ignore[arg-type]
    return UpdatedCampaign(campaign, [FIELDS[k][0] for k in changed], warnings)


def _replace_bodies(campaign: Campaign, names: list[str], office) -> None:  # type: ignore[no-untyped-def]
    bodies = campaigns.naming_bodies_by_name(names, Level(campaign.level), office)
    links = list(campaign.naming_bodies.order_by(CampaignNamingBody.sort_order))
    for order, body in enumerate(bodies):
        # reuse the existing links (their UUIDs have travelled in packages); add or drop the rest
        if order < len(links):
            link = links[order]
            link.naming_body, link.sort_order = body, order
            link.save()
        else:
            CampaignNamingBody.create(owner_office=office, campaign=campaign, naming_body=body,
                                      sort_order=order)
    for link in links[len(bodies):]:
        link.delete_instance()


def _replace_quotas(campaign: Campaign, quotas: dict[str, int], office) -> None:  # type: ignore[no-untyped-def]
    wanted = {sender.id: value for sender, value in campaigns.quota_senders(quotas)}
    for row in list(campaign.quotas):
        if row.office_id not in wanted:
            row.delete_instance()
        elif row.quota != wanted[row.office_id]:
            row.quota = wanted.pop(row.office_id)
            row.save()
        else:
            wanted.pop(row.office_id)
    for office_id, value in wanted.items():
        CampaignQuota.create(owner_office=office, campaign=campaign, office=office_id, quota=value)
