"""取证清单: what a creation unit must be able to show, and what is still missing.

Per unit and campaign: the items of the campaign's standard (the basic one and the one of the
unit's police type), judged by the unit's latest inspection scores where there are any, plus
the fixed commitments of section 二.6 of the notice, which the records decide on their own:
a public service commitment, a volunteer team, complaints answered in time, the head trained,
online where the campaign requires it, and at least one activity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from wqg_desktop.db.models import (
    Activity,
    ActivityUnit,
    Campaign,
    Candidate,
    Inspection,
    InspectionScore,
    ServiceCommitment,
    Standard,
    StandardItem,
    Unit,
)
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CampaignStage
from wqg_desktop.errors import NotFound
from wqg_desktop.services import records_common as rc
from wqg_desktop.services import records_consult, records_contacts, records_training

OK, MISSING, CHECK, IMPROVE = "已具备", "缺少", "待核对", "待完善"

#: Below this share of an item's points the inspection found the evidence missing, not thin.
MISSING_BELOW = 0.6


@dataclass
class EvidenceItem:
    group: str
    item: str
    status: str
    detail: str

    @property
    def missing(self) -> bool:
        return self.status == MISSING


COLUMNS = [
    rc.ListColumn("group", "类别", 14),
    rc.ListColumn("item", "应具备的台账材料", 50),
    rc.ListColumn("status", "情况", 8),
    rc.ListColumn("detail", "说明", 50),
]


def campaign_choices(unit_id: int | None = None) -> list[tuple[int, str]]:
    """Open campaigns (of one unit's candidacies, when given), newest first."""
    query = Campaign.select().where(Campaign.stage != CampaignStage.CLOSED)
    if unit_id:
        query = query.where(Campaign.id.in_(
            Candidate.select(Candidate.campaign).where(Candidate.unit == unit_id)))
    return [(c.id, c.name) for c in query.order_by(Campaign.term_start.desc(), Campaign.level)]


def checklist(*, today: dt.date, unit_id: int, campaign_id: int) -> list[EvidenceItem]:
    """The evidence checklist of one unit in one campaign."""
    unit = rc.get_unit(unit_id)
    campaign = Campaign.get_or_none(Campaign.id == campaign_id)
    if campaign is None:
        raise NotFound("所选创建活动已不存在，请刷新后重新选择。")
    start = campaign.creation_start or campaign.application_start
    end = min(campaign.creation_end or today, today)
    period = rc.Period(start, end)
    return _standard_items(unit, campaign) + _fixed_items(unit, campaign, period, today)


def _standard_items(unit: Unit, campaign: Campaign) -> list[EvidenceItem]:
    standards = list(Standard.select().where(
        Standard.campaign == campaign,
        Standard.police_type.is_null() | (Standard.police_type == unit.police_type_id)))
    if not standards:
        return []
    latest = (Inspection.select().where(Inspection.unit == unit, Inspection.campaign == campaign,
                                        Inspection.score.is_null(False))
              .order_by(Inspection.on.desc()).first())
    scores = {}
    if latest is not None:
        scores = {s.item_id: s.score for s in InspectionScore.select()
                  .where(InspectionScore.inspection == latest)}
    out = []
    for item in (StandardItem.select().where(StandardItem.standard.in_([s.id for s in standards]))
                 .order_by(StandardItem.standard, StandardItem.sort_order)):
        label = f"（{item.group_no}）{item.text}" if item.group_no else item.text
        score = scores.get(item.id)
        if score is None:
            status, detail = CHECK, "尚无检查评分：请对照标准准备台账材料"
        elif score >= item.weight:
            status, detail = OK, f"{rc.fmt_date(latest.on)}检查得满分（{item.weight:g} 分）"
        else:
            status = MISSING if score < MISSING_BELOW * item.weight else IMPROVE
            detail = f"{rc.fmt_date(latest.on)}检查得 {score:g} 分（满分 {item.weight:g}）：需补充材料"
        out.append(EvidenceItem("创建标准", label, status, detail))
    return out


def _fixed_items(unit: Unit, campaign: Campaign, period: rc.Period,
                 today: dt.date) -> list[EvidenceItem]:
    group = "固定承诺（二.6）"
    items = []
    commitment = (ServiceCommitment.select().where(ServiceCommitment.unit == unit,
                                                   ServiceCommitment.published_on.is_null(False),
                                                   ServiceCommitment.published_on <= today)
                  .order_by(ServiceCommitment.published_on.desc()).first())
    items.append(EvidenceItem(
        group, "公开服务承诺（承诺内容、维权电话、地址、负责人，在显著位置公示）",
        OK if commitment else MISSING,
        f"{rc.fmt_date(commitment.published_on)}公示" if commitment else "没有已公示的服务承诺"))

    members = records_contacts.team_size(unit.id, today)
    items.append(EvidenceItem(group, "组建青少年维权志愿者队伍", OK if members else MISSING,
                              f"现有志愿者 {members} 人" if members else "没有登记志愿者"))

    in_time, answered = records_consult.timeliness(unit_id=unit.id, period=period)
    late_open = [r for r in records_consult.rows(today=today, unit_id=unit.id, period=period)
                 if r.overdue]
    if late_open or in_time < answered:
        status = MISSING
        detail = (f"已答复 {answered} 件，按时 {in_time} 件；逾期未答复 {len(late_open)} 件")
    else:
        status = OK
        detail = (f"已答复 {answered} 件，全部按时" if answered
                  else "创建期内没有咨询投诉记录")
    items.append(EvidenceItem(group, "咨询投诉按时答复（登记、办理、答复、回访有记录）",
                              status, detail))

    untrained = records_training.untrained_heads(campaign_id=campaign.id, unit_id=unit.id)
    items.append(EvidenceItem(
        group, f"负责人参加{Level(campaign.level).label}命名单位组织的培训",
        MISSING if untrained else OK,
        untrained[0].reason if untrained else f"负责人{unit.head_name}已参加培训"))

    if campaign.require_online:
        items.append(EvidenceItem(
            group, "上线“青少年维权在线”（本活动要求）", OK if unit.online else MISSING,
            f"{rc.fmt_date(unit.online_since)}上线" if unit.online else "尚未上线"))

    acts = (Activity.select().join(ActivityUnit)
            .where(ActivityUnit.unit == unit))
    acts = rc.where_period(acts, Activity.start_on, period).count()
    items.append(EvidenceItem(group, "开展专项整治、专题维权或志愿服务等活动（至少一次）",
                              OK if acts else MISSING,
                              f"创建期内开展 {acts} 次" if acts else "创建期内没有活动记录"))
    return items


def next_inspection_note(campaign_id: int) -> str:
    """When the office plans to look next: the planned review date, if set."""
    campaign = Campaign.get_or_none(Campaign.id == campaign_id)
    if campaign is None or not campaign.review_planned:
        return ""
    return f"计划审核日期：{rc.fmt_date(campaign.review_planned)}"


def export(path: Path, rows_: list[EvidenceItem]) -> int:
    return rc.export_rows(path, COLUMNS, rows_, sheet_title="取证清单")
