"""Reference data every office shares: police types, regions, naming bodies.

Seeded rows get name-based UUIDs (uuid5), so 治安 or 海安县 is the same record in every office
and packages merge without duplicates.
"""

from __future__ import annotations

import datetime as dt
import uuid

from wqg_desktop.db.models import Office, PoliceType, Region
from wqg_desktop.domain.statuses import RegionKind

_NAMESPACE = uuid.UUID("6f1d2c1e-8a51-4c7e-9a43-0b6f1f3f8e21")


def reference_uuid(kind: str, key: str) -> str:
    """The UUID of a shared reference record, the same in every office."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


#: (code, name, core) — the seven of section 二.4 first, then the other kinds the seed lists.
POLICE_TYPES: list[tuple[str, str, bool]] = [
    ("zhian", "治安", True),
    ("jiaoxun", "交巡警", True),
    ("xingzhen", "刑侦", True),
    ("jindu", "禁毒", True),
    ("jianguan", "监管", True),
    ("wangan", "网安", True),
    ("xiaofang", "消防", True),
    ("jingwenbao", "经文保", False),
    ("zhifajiandu", "执法监督", False),
    ("zhihui", "指挥中心", False),
    ("shuijing", "水警", False),
    ("qita", "其他", False),
]

#: Fire services left the public security system with the 2018 reform.
FIRE_RETIRED_ON = dt.date(2018, 10, 9)


def seed_police_types(owner: Office | None = None) -> None:
    """Create the police types that are missing (idempotent), kept by ``owner``."""
    existing = {p.code for p in PoliceType.select(PoliceType.code)}
    for order, (code, name, core) in enumerate(POLICE_TYPES):
        if code in existing:
            continue
        PoliceType.create(
            owner_office=owner,
            uuid=reference_uuid("police_type", code),
            code=code,
            name=name,
            core=core,
            sort_order=order,
            retired_on=FIRE_RETIRED_ON if code == "xiaofang" else None,
            retired_reason="2018年消防部队改制，消防救援队伍不再隶属公安机关" if code == "xiaofang" else "",
        )


def police_type(name_or_code: str) -> PoliceType:
    return PoliceType.get((PoliceType.name == name_or_code) | (PoliceType.code == name_or_code))


def ensure_region(name: str, kind: RegionKind | str, *, code: str = "", parent: Region | None = None,
                  sort_order: int = 0, owner: Office | None = None) -> Region:
    """The region of that name under ``parent``, created with a shared UUID if missing."""
    key = code or f"{parent.name if parent else ''}/{name}"
    ident = reference_uuid("region", key)
    region = Region.get_or_none(Region.uuid == ident)
    if region is None:
        region = Region.create(uuid=ident, name=name, kind=str(kind), code=code, parent=parent,
                               sort_order=sort_order, owner_office=owner)
    return region


def city_direct_group(city: Region, owner: Office | None = None) -> Region:
    """The 市直 group of a city: units directly under the city bureau belong to no county."""
    return ensure_region("市直", RegionKind.CITY_DIRECT, parent=city, sort_order=999, owner=owner)
