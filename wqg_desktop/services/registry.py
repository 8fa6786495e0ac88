"""Reading the register of units for lists and filters.

Three queries whatever the number of units: the units with their region, bureau and police
type; the highest valid title per unit; the latest candidacy per unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN, fn

from wqg_desktop.db.models import Bureau, Campaign, Candidate, PoliceType, Region, Title, Unit
from wqg_desktop.domain.chinese import Term
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CampaignStage, CandidateStatus, RegionKind, TitleStatus


@dataclass
class UnitRow:
    id: int
    uuid: str
    name: str
    region: str
    bureau: str
    police_type: str
    unit_kind: str
    head: str
    phone: str
    title: str
    campaign: str
    online: str


def region_choices() -> list[tuple[int, str]]:
    """Counties/districts that hold units, 市直 last, for the filter box."""
    rows = (Region.select(Region.id, Region.name, Region.kind, Region.sort_order)
            .where(Region.id.in_(Unit.select(Unit.region).distinct()))
            .order_by(Region.kind == RegionKind.CITY_DIRECT, Region.sort_order, Region.name))
    return [(r.id, r.name) for r in rows]


def police_type_choices() -> list[tuple[int, str]]:
    return [(p.id, p.name + ("（已撤出）" if p.retired_on else ""))
            for p in PoliceType.select().order_by(PoliceType.sort_order)]


def list_units(*, text: str = "", region_id: int | None = None,
               police_type_id: int | None = None) -> list[UnitRow]:
    query = (Unit.select(Unit, Region.name, PoliceType.name, Bureau.name)
             .join(Region).switch(Unit).join(PoliceType).switch(Unit)
             .join(Bureau, JOIN.LEFT_OUTER))
    if text.strip():
        query = query.where(Unit.name.contains(text.strip()))
    if region_id:
        query = query.where(Unit.region == region_id)
    if police_type_id:
        query = query.where(Unit.police_type == police_type_id)
    units = list(query.order_by(Region.sort_order, Unit.name))
    ids = [u.id for u in units]
    titles = _best_titles(ids)
    campaigns = _latest_candidacies(ids)
    return [
        UnitRow(
            id=u.id, uuid=u.uuid, name=u.name, region=u.region.name,
            # peewee fills the joined row in place of the id; a LEFT OUTER miss gives None
            bureau=u.bureau.name if u.bureau is not None else "", police_type=u.police_type.name,
            unit_kind=u.unit_kind, head=u.head_name, phone=u.head_phone,
            title=titles.get(u.id, ""), campaign=campaigns.get(u.id, ""),
            online="已上线" if u.online else "未上线",
        )
        for u in units
    ]


def _best_titles(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    best: dict[int, tuple[int, int]] = {}
    rows = (Title.select(Title.unit, fn.MAX(Title.level).alias("lvl"))
            .where(Title.status == TitleStatus.VALID, Title.unit.in_(ids))
            .group_by(Title.unit))
    levels = {r.unit_id: r.lvl for r in rows}
    for t in (Title.select(Title.unit, Title.level, Title.term_start)
              .where(Title.status == TitleStatus.VALID, Title.unit.in_(ids))):
        if t.level == levels.get(t.unit_id):
            prev = best.get(t.unit_id)
            if prev is None or t.term_start > prev[1]:
                best[t.unit_id] = (t.level, t.term_start)
    return {uid: f"{Level(lvl).label} {Term(start).label}" for uid, (lvl, start) in best.items()}


def _latest_candidacies(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    out: dict[int, str] = {}
    rows = (Candidate.select(Candidate.unit, Candidate.status, Campaign.level, Campaign.term_start)
            .join(Campaign)
            .where(Candidate.unit.in_(ids), Campaign.stage != CampaignStage.CLOSED)
            .order_by(Campaign.term_start, Campaign.level))
    for c in rows:
        out[c.unit_id] = (f"{Level(c.campaign.level).label}：{CandidateStatus(c.status).label}")
    return out
