"""Headline counts for the home page."""

from __future__ import annotations

from dataclasses import dataclass

from wqg_desktop.db.models import Campaign, Title, Unit
from wqg_desktop.domain.statuses import CampaignStage, TitleStatus, UnitStatus


@dataclass(frozen=True)
class HomeCounts:
    units: int
    valid_titles: int
    open_campaigns: int


def home_counts() -> HomeCounts:
    return HomeCounts(
        units=Unit.select().where(Unit.status == UnitStatus.ACTIVE).count(),
        valid_titles=Title.select().where(Title.status == TitleStatus.VALID).count(),
        open_campaigns=Campaign.select().where(Campaign.stage != CampaignStage.CLOSED).count(),
    )
