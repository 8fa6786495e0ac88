"""Choosing what to print: a campaign, units by UUID prefix, or the default of each kind.

Part of :mod:`wqg_desktop.services.printing`: by units (their titles), by a campaign (its
named units), or by default every certificate of this office's latest naming.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wqg_desktop.db.models import Campaign, Candidate, Title, Unit
from wqg_desktop.domain.statuses import CandidateStatus, TitleStatus
from wqg_desktop.errors import NotFound
from wqg_desktop.services import lookup
from wqg_desktop.services.office import this_office


@dataclass
class Selection:
    """What to print: a campaign, or units by UUID prefix; neither = the kind's default."""

    campaign: str = ""
    units: Sequence[str] = ()

    @property
    def empty(self) -> bool:
        return not self.campaign and not any(u.strip() for u in self.units)


def find_campaign(prefix: str) -> Campaign:
    return lookup.by_uuid_prefix(Campaign, prefix, what="创建活动")


def find_units(prefixes: Sequence[str]) -> list[Unit]:
    return [lookup.by_uuid_prefix(Unit, p, what="单位") for p in prefixes if p.strip()]


def latest_campaign(*stages: str) -> Campaign | None:
    """This office's most recent campaign (in one of ``stages`` when given)."""
    query = Campaign.select().where(Campaign.owner_office == this_office())
    if stages:
        query = query.where(Campaign.stage.in_(stages))
    return query.order_by(Campaign.term_start.desc(), Campaign.level.desc(),
                          Campaign.id.desc()).first()


def certificate_titles(selection: Selection) -> list[Title]:
    """The titles whose certificates to print, in a stable order (level, date, number).

    Units: their valid titles (all of them: a unit may hold several levels). Campaign: the
    titles it granted, or failing those the titles of its named candidates. Default: every
    title of this office's latest naming date.
    """
    valid = (TitleStatus.VALID, TitleStatus.RECTIFYING)
    query = Title.select().where(Title.status.in_(valid))
    if selection.campaign:
        campaign = find_campaign(selection.campaign)
        named = Candidate.select(Candidate.id).where(Candidate.campaign == campaign,
                                                     Candidate.status == CandidateStatus.NAMED)
        query = query.where((Title.campaign == campaign) | (Title.candidate.in_(named)))
        empty = f"创建活动“{campaign.name}”还没有命名的单位，没有可打印的证书。"
    elif not selection.empty:
        units = find_units(selection.units)
        query = query.where(Title.unit.in_([u.id for u in units]))
        empty = "所选单位没有有效称号，没有可打印的证书。"
    else:
        office = this_office()
        mine = Title.select(Title.named_on).where(Title.owner_office == office,
                                                  Title.named_on.is_null(False))
        latest = mine.order_by(Title.named_on.desc()).first()
        if latest is None:
            raise NotFound("本办公室还没有命名过任何单位：请把“范围”改为“一个创建活动”或“勾选的单位”"
                           "（命令行用 --campaign 或 --units 指定）。")
        query = query.where(Title.owner_office == office, Title.named_on == latest.named_on)
        empty = "最近一次命名没有有效称号。"
    titles = list(query.order_by(Title.level, Title.named_on, Title.certificate_no, Title.id))
    if not titles:
        raise NotFound(empty)
    return titles
