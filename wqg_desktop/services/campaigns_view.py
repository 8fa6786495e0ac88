"""Reading campaigns and their candidates for lists (the lifecycle engine changes them)."""

from __future__ import annotations

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
            .group_by(Campaign.id)
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


def list_candidates(campaign_id: int) -> list[CandidateRow]:
    count = fn.COUNT(Inspection.id)
    rows = (Candidate.select(Candidate, Unit.name, count.alias("n"))
            .join(Unit).switch(Candidate)
            .join(Inspection, JOIN.LEFT_OUTER, on=(Inspection.candidate == Candidate.id))
            .where(Candidate.campaign == campaign_id)
            .group_by(Candidate.id)
            .order_by(Unit.name))
    return [CandidateRow(uuid=c.uuid, unit=c.unit.name, status=CandidateStatus(c.status).label,
                         score=c.manual_score, inspections=c.n) for c in rows]
