"""Reading campaigns and their candidates for lists and details (the engine changes them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, fn

from wqg_desktop.db.models import Campaign, Candidate, Inspection, Office, Unit
from wqg_desktop.domain.chinese import Term
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CampaignStage, CandidateStatus


@dataclass
class CampaignRow:
    id: int
    uuid: str
    name: str
    level: str
    term: str
    stage: str
    office: str
    creation_end: object
    naming_planned: object
    candidates: int


@dataclass
class CandidateRow:
    id: int
    uuid: str
    unit: str
    status: str
    score: float | None
    inspections: int


def list_campaigns() -> list[CampaignRow]:
    count = fn.COUNT(Candidate.id)
    rows = (Campaign.select(Campaign, Office.name, count.alias("n"))
            .join(Office, JOIN.LEFT_OUTER, on=(Campaign.owner_office == Office.id))
            .switch(Campaign).join(Candidate, JOIN.LEFT_OUTER)
            .group_by(Campaign.id, Office.id)  # each selected table's key (PostgreSQL)
            .order_by(Campaign.term_start.desc(), Campaign.level.desc()))
    return [
        CampaignRow(
            id=c.id, uuid=c.uuid, name=c.name, level=Level(c.level).label,
            term=Term(c.term_start).label, stage=CampaignStage(c.stage).label,
            office=c.owner_office.name if c.owner_office is not None else "",
            creation_end=c.creation_end, naming_planned=c.naming_planned, candidates=c.n,
        )
        for c in rows
    ]


def list_candidates(campaign_id: int, *, today: dt.date | None = None) -> list[CandidateRow]:
    count = fn.COUNT(Inspection.id)
    # The whole Unit row: with only Unit.name selected peewee leaves candidate.unit without its
    # id, and the score would be computed from no evidence at all.
    rows = (Candidate.select(Candidate, Unit, count.alias("n"))
            .join(Unit).switch(Candidate)
            .join(Inspection, JOIN.LEFT_OUTER, on=(Inspection.candidate == Candidate.id))
            .where(Candidate.campaign == campaign_id)
            .group_by(Candidate.id, Unit.id)  # each selected table's key (PostgreSQL)
            .order_by(Unit.name))
    from wqg_desktop.services.campaign_review import candidate_score

    return [CandidateRow(id=c.id, uuid=c.uuid, unit=c.unit.name,
                         status=CandidateStatus(c.status).label,
                         score=candidate_score(c, today=today),
                         inspections=c.n) for c in rows]


# ---------------------------------------------------------------------------------------------
# One campaign in full (``wqg campaign show``, the page's detail panes)
# ---------------------------------------------------------------------------------------------


def _day(d: object) -> str | None:
    return d.isoformat() if d else None  # type: ignore[attr-defined]


def candidate_history(candidate: Candidate) -> list[dict]:
    """Every transition of a candidate, oldest first: when, from, to, by whom, why."""
    from wqg_desktop.db.models import CandidateEvent

    def label(code: str) -> str:
        return CandidateStatus(code).label if code in CandidateStatus._value2member_map_ else (
            code or "（新建）")

    return [{"on": _day(e.on), "from": label(e.from_status), "to": label(e.to_status),
             "actor": e.actor, "reason": e.reason}
            for e in candidate.events.order_by(CandidateEvent.on, CandidateEvent.id)]


def decision_rows(campaign: Campaign) -> list[dict]:
    """The review decisions with the differential, the convention and any override reason."""
    from wqg_desktop.domain import lifecycle

    return [{"decided_on": _day(d.decided_on), "reviewed": d.reviewed, "passed": d.passed,
             "max_pass": d.max_pass, "convention": d.convention,
             "convention_text": lifecycle.convention_text(d.convention),
             "override": d.override, "override_reason": d.override_reason, "actor": d.actor}
            for d in campaign.review_decisions]


def campaign_detail(campaign: Campaign) -> dict:
    """Everything about one campaign, JSON-ready."""
    from wqg_desktop.db.models import Objection
    from wqg_desktop.services import campaign_review

    quotas = [{"office": q.office.name, "quota": q.quota} for q in campaign.quotas]
    candidates = []
    for c in (Candidate.select(Candidate, Unit).join(Unit)
              .where(Candidate.campaign == campaign).order_by(Unit.name)):
        candidates.append({
            "uuid": c.uuid, "unit": c.unit.name, "unit_uuid": c.unit.uuid,
            "status": CandidateStatus(c.status).label,
            "score": campaign_review.candidate_score(c), "demonstration": c.demonstration,
            "recommended_by": c.recommended_by.name if c.recommended_by_id else "",
            "returned_reason": c.returned_reason, "withdrawn_reason": c.withdrawn_reason,
            "objections": [{"uuid": o.uuid, "received_on": _day(o.received_on),
                            "content": o.content, "raised_by": o.raised_by,
                            "resolution": {"": "待处理", "dismissed": "不成立",
                                           "upheld": "成立"}[o.resolution],
                            "note": o.resolution_note}
                           for o in c.objections.order_by(Objection.id)],
            "history": candidate_history(c),
        })
    return {
        "uuid": campaign.uuid, "name": campaign.name, "level": Level(campaign.level).label,
        "term": Term(campaign.term_start).label, "stage": CampaignStage(campaign.stage).label,
        "office": campaign.owner_office.name if campaign.owner_office_id else "",
        "application": [_day(campaign.application_start), _day(campaign.application_end)],
        "creation": [_day(campaign.creation_start), _day(campaign.creation_end)],
        "review_planned": _day(campaign.review_planned),
        "publicity": [_day(campaign.publicity_start), _day(campaign.publicity_end)],
        "naming_planned": _day(campaign.naming_planned),
        "naming_date": _day(campaign.naming_date), "document_no": campaign.document_no,
        "quota": campaign.quota, "office_quotas": quotas,
        "require_online": campaign.require_online, "min_inspections": campaign.min_inspections,
        "naming_bodies": [n.naming_body.name for n in campaign.naming_bodies.order_by("sort_order")],
        "decisions": decision_rows(campaign), "candidates": candidates,
    }


@dataclass
class UnitChoice:
    id: int
    uuid: str
    name: str
    region: str
    disabled_reason: str


def apply_choices(campaign: Campaign, *, text: str = "") -> list[UnitChoice]:
    """Units that could enter ``campaign``, each with the reason it cannot (empty when it can).

    For a campaign of this office's own level: every unit of the register; for an upper
    office's campaign (推荐申报): this office's own units.
    """
    from wqg_desktop.db.models import Region
    from wqg_desktop.services import campaigns

    office = campaigns.this_office()
    query = Unit.select(Unit, Region).join(Region).where(Unit.status == "active")
    if campaign.level > office.level:
        query = query.where(Unit.owner_office == office)
    if text.strip():
        query = query.where(Unit.name.contains(text.strip()))
    out = []
    for unit in query.order_by(Region.sort_order, Unit.name):
        why = campaigns.ineligibility(campaign, unit) or ""
        out.append(UnitChoice(unit.id, unit.uuid, unit.name, unit.region.name, why))
    return out


def campaign_choices() -> list[tuple[int, str]]:
    """Every campaign as (id, name), newest term and highest level first, for choosers."""
    return [(c.id, c.name) for c in Campaign.select(Campaign.id, Campaign.name)
            .order_by(Campaign.term_start.desc(), Campaign.level.desc())]


def candidate_unit_choices(campaign_id: int | None) -> list[tuple[int, str]]:
    """The units of a campaign's candidates as (id, name); every campaign's when None."""
    query = Candidate.select(Unit.id, Unit.name).join(Unit).distinct().order_by(Unit.name)
    if campaign_id:
        query = query.where(Candidate.campaign == campaign_id)
    return list(query.tuples())

