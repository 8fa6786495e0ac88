"""A living demo database: 南通市公安局 (city office) in the middle of its 2025—2026 campaign.

:func:`build_demo` fills an empty, opened and migrated database with the units of the 2012
notice (attachments 2 and 3) and an invented but realistic register for 海安市, with the
history of renames and mergers, titles of several terms in every state, two running campaigns
(city level in review, 海安 county level in creation), inspections, surveys and the work
records of the creation period. Everything is relative to ``today`` except historical facts,
and deterministic for a given ``today`` and ``seed``. People, telephone numbers and cases are
invented (:mod:`wqg_desktop.services.demo_data`).

The builder is assembled from parts, one module each: the register
(:mod:`~wqg_desktop.services.demo_registry`), the campaigns
(:mod:`~wqg_desktop.services.demo_campaigns`) and the work records
(:mod:`~wqg_desktop.services.demo_records`), over shared state and generators
(:mod:`~wqg_desktop.services.demo_base`).

Ownership: reference data (regions, bureaus, police types), the city campaign and the 市直
units belong to the city office. Each county bureau is a lightweight office that sends
packages up: its units, their work records and its county-level titles belong to it (the
港闸 county titles to 崇川, which took 港闸 over). Provincial titles belong to an office row
for 江苏省公安厅, the city office's parent.
"""

from __future__ import annotations

import datetime as dt
import random

from wqg_desktop.db import models as m
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import office as office_service
from wqg_desktop.services import settings
from wqg_desktop.services.demo_base import ACTOR
from wqg_desktop.services.demo_campaigns import CampaignPart
from wqg_desktop.services.demo_records import RecordsPart
from wqg_desktop.services.demo_registry import RegistryPart

__all__ = ["ACTOR", "build_demo"]


def build_demo(*, today: dt.date, seed: int = 2012) -> None:
    """Fill an empty database with the demo; refuse a database that already has an office."""
    if office_service.this_office() is not None:
        raise InputRefused("数据库不是空的（已经设置过所属单位），演示数据只能装入新建的空数据库。")
    with m.acting_as(ACTOR), m.database.atomic():
        _Builder(today, random.Random(seed)).run()


class _Builder(RegistryPart, CampaignPart, RecordsPart):
    def run(self) -> None:
        # One random generator runs through every step: keep this order, or the demo changes.
        self._offices()
        self._regions_and_bureaus()
        self._naming_bodies()
        self._units()
        self._titles()
        self._people()
        self._campaigns()
        self._inspections()
        self._surveys()
        self._work_records()
        settings.put("certificate_prefix", "通维权")
