"""What falls due: the home page's list of deadlines, overdue ones first.

Rule 8 of DOMAIN.md: the creation period, the rectification year and the publicity period
are deadlines, and the program shows what falls due without anyone having to look for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, SQL, fn

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    Consultation,
    Inspection,
    Office,
    Referral,
    Title,
    TrainingAttendance,
    Unit,
)
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CampaignStage, CandidateStatus, TitleStatus
from wqg_desktop.services import privacy

#: candidates still in the running (not finished, withdrawn or sent back)
_ACTIVE_CANDIDATE = (
    CandidateStatus.RECOMMENDED, CandidateStatus.APPLIED, CandidateStatus.CREATING,
    CandidateStatus.REVIEWING, CandidateStatus.PASSED, CandidateStatus.PUBLICIZING,
    CandidateStatus.OBJECTION,
)
_OPEN_STAGES = (CampaignStage.PREPARING, CampaignStage.APPLICATION, CampaignStage.CREATION)


@dataclass(frozen=True)
class DueItem:
    kind: str
    subject: str
    due: dt.date
    days_left: int
    office: str
    entity: str
    entity_uuid: str

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def when_text(self) -> str:
        if self.days_left < 0:
            return f"已逾期 {-self.days_left} 天"
        if self.days_left == 0:
            return "今天到期"
        return f"还剩 {self.days_left} 天"


def due_items(today: dt.date, horizon_days: int = 30, *,
              office_id: int | None = None) -> list[DueItem]:
    """Everything due within ``horizon_days`` of ``today`` or already overdue, most urgent first.

    ``office_id`` keeps the items of records that office owns (what it can act on); ``None``
    also lists what offices below it hold. Dates are filtered in SQL: a province database
    holds tens of thousands of titles, and only the few that fall due matter here.
    """
    limit = today + dt.timedelta(days=horizon_days)
    offices = {o.id: o.name for o in Office.select(Office.id, Office.name)}
    items: list[DueItem] = []

    def mine(model):  # type: ignore[no-untyped-def]
        return SQL("1 = 1") if office_id is None else model.owner_office == office_id

    def add(kind: str, subject: str, due: dt.date | None, owner_id: int | None, entity: str,
            ident: str) -> None:
        if due is None or due > limit:
            return
        items.append(DueItem(kind, subject, due, (due - today).days, offices.get(owner_id, ""),
                             entity, ident))

    for c in Campaign.select().where(Campaign.stage.in_(_OPEN_STAGES), mine(Campaign),
                                     Campaign.creation_end <= limit):
        add("创建期结束", c.name, c.creation_end, c.owner_office_id, "Campaign", c.uuid)
    for c in Campaign.select().where(Campaign.stage == CampaignStage.PUBLICITY, mine(Campaign),
                                     Campaign.publicity_end <= limit):
        # once it has ended the campaign waits for its naming: say so, not merely "overdue"
        kind = "公示期满，可以命名" if c.publicity_end < today else "公示期结束"
        add(kind, c.name, c.publicity_end, c.owner_office_id, "Campaign", c.uuid)
    for c in Campaign.select().where(
        Campaign.stage.in_((CampaignStage.REVIEW, CampaignStage.PUBLICITY)),
        Campaign.naming_date.is_null(), mine(Campaign), Campaign.naming_planned <= limit,
    ):
        add("计划命名", c.name, c.naming_planned, c.owner_office_id, "Campaign", c.uuid)

    titles = Title.select(Title, Unit.name).join(Unit)
    for t in titles.where(Title.status == TitleStatus.RECTIFYING, mine(Title),
                          Title.rectification_deadline <= limit):
        add("整改期满复查", f"{t.unit.name}（{Level(t.level).label}）", t.rectification_deadline,
            t.owner_office_id, "Title", t.uuid)
    for t in titles.where(Title.status == TitleStatus.VALID, mine(Title),
                          Title.next_rereview_due <= limit):
        add("称号复核到期", f"{t.unit.name}（{Level(t.level).label}）", t.next_rereview_due,
            t.owner_office_id, "Title", t.uuid)

    _candidate_items(add, mine(Campaign))

    for q in (Consultation.select(Consultation, Unit.name).join(Unit)
              .where(Consultation.replied_on.is_null(), mine(Consultation),
                     Consultation.due_on <= limit)):
        kind = "投诉待答复" if q.kind == "complaint" else "咨询待答复"
        # masked before it is cut: a cut could split the name and let half of it through
        add(kind, f"{q.unit.name}：{privacy.free_text(q, 'content')[:20]}", q.due_on, q.owner_office_id, "Consultation",
            q.uuid)
    for i in (Inspection.select(Inspection, Unit.name).join(Unit)
              .where(Inspection.rectification_deadline <= limit, mine(Inspection),
                     Inspection.followup_on.is_null())):
        add("检查整改期限", f"{i.unit.name}：{(i.rectification or i.problems)[:20]}",
            i.rectification_deadline, i.owner_office_id, "Inspection", i.uuid)
    for r in Referral.select().where(Referral.closed_on.is_null(), mine(Referral),
                                     Referral.due_on <= limit):
        add("转办事项到期", r.subject, r.due_on, r.owner_office_id, "Referral", r.uuid)

    items.sort(key=lambda it: (it.due, it.kind, it.subject))
    return items


def _candidate_items(add, campaign_filter) -> None:  # type: ignore[no-untyped-def]
    """Candidates not inspected yet, and heads who have not attended training."""
    inspected = fn.COUNT(Inspection.id)
    rows = (
        Candidate.select(Candidate, Campaign, Unit, inspected.alias("n_inspections"))
        .join(Campaign).switch(Candidate).join(Unit)
        .switch(Candidate).join(Inspection, JOIN.LEFT_OUTER, on=(Inspection.candidate == Candidate.id))
        .where(Candidate.status.in_(_ACTIVE_CANDIDATE), Campaign.stage != CampaignStage.CLOSED,
               campaign_filter)
        # every selected table's key: PostgreSQL takes their columns only then
        .group_by(Candidate.id, Campaign.id, Unit.id)
    )
    trained = {
        (a.unit_id, a.head_name)
        for a in TrainingAttendance.select(TrainingAttendance.unit, TrainingAttendance.head_name)
        .where(TrainingAttendance.attended == True)  # noqa: E712 - peewee expression
    }
    for cand in rows:
        campaign = cand.campaign
        if campaign.stage == CampaignStage.CREATION and cand.n_inspections < campaign.min_inspections:
            add("检查次数不足", f"{cand.unit.name}（已查 {cand.n_inspections} 次，应至少 "
                f"{campaign.min_inspections} 次）", campaign.creation_end, campaign.owner_office_id,
                "Candidate", cand.uuid)
        head = cand.unit.head_name
        if head and (cand.unit_id, head) not in trained:
            add("负责人未参加培训", f"{cand.unit.name}：{head}", campaign.creation_end or
                campaign.review_planned, campaign.owner_office_id, "Candidate", cand.uuid)
