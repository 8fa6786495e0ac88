"""Coverage (DOMAIN rule 9): per county and per police type, how many units take part.

The seed's goal is full coverage at county level (县级层面全覆盖): every grass-roots unit
either takes part in a running campaign or already holds a valid title. Counted over the
units in the register that still exist (在册) and still do youth work. A fixed number of
queries (three), whatever the size of the register.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from wqg_desktop.db.models import PoliceType, Region, Unit
from wqg_desktop.domain.statuses import RegionKind, UnitStatus
from wqg_desktop.services.registry import _running_candidacies, _valid_titles


@dataclass
class CoverageRow:
    group: str
    units: int
    in_campaign: int
    titled: int
    #: take part in a campaign or hold a valid title (counted once)
    covered: int

    @property
    def rate(self) -> str:
        """覆盖率 as text with one decimal, from integer arithmetic (no float rounding)."""
        if not self.units:
            return "—"
        tenths = (self.covered * 1000 + self.units // 2) // self.units
        return f"{tenths // 10}.{tenths % 10}%"


@dataclass
class Coverage:
    by_region: list[CoverageRow]
    by_police_type: list[CoverageRow]
    total: CoverageRow


def _flags():
    """Per unit in scope: (region id, police type id, in campaign 0/1, titled 0/1)."""
    in_campaign = Unit.id.in_(_running_candidacies())
    titled = Unit.id.in_(_valid_titles())
    return (Unit.select(Unit.region, Unit.police_type,
                        fn.COUNT(Unit.id).alias("n"),
                        fn.SUM(in_campaign.cast("INTEGER")).alias("c"),
                        fn.SUM(titled.cast("INTEGER")).alias("t"),
                        fn.SUM((in_campaign | titled).cast("INTEGER")).alias("v"))
            .where(Unit.status == UnitStatus.ACTIVE, Unit.works_with_youth == True)  # noqa: E712
            .group_by(Unit.region, Unit.police_type)
            .tuples())


def coverage() -> Coverage:
    """Coverage per county/district (市直 as its own group, last) and per police type."""
    regions = {r.id: r for r in Region.select(Region.id, Region.name, Region.kind,
                                              Region.sort_order)}
    ptypes = {p.id: p for p in PoliceType.select(PoliceType.id, PoliceType.name,
                                                 PoliceType.sort_order)}
    by_region: dict[int, list[int]] = {}
    by_type: dict[int, list[int]] = {}
    total = [0, 0, 0, 0]
    for region_id, type_id, n, c, t, v in _flags():
        for bucket in (by_region.setdefault(region_id, [0, 0, 0, 0]),
                       by_type.setdefault(type_id, [0, 0, 0, 0]), total):
            for i, value in enumerate((n, c or 0, t or 0, v or 0)):
                bucket[i] += value

    def region_key(rid: int) -> tuple:
        r = regions[rid]
        return (r.kind == RegionKind.CITY_DIRECT, r.sort_order, r.name)

    return Coverage(
        by_region=[CoverageRow(regions[rid].name, *by_region[rid])
                   for rid in sorted(by_region, key=region_key)],
        by_police_type=[CoverageRow(ptypes[pid].name, *by_type[pid])
                        for pid in sorted(by_type, key=lambda p: ptypes[p].sort_order)],
        total=CoverageRow("合计", *total))
