"""Shared builders for the lifecycle tests (no tests here).

Units and titles of *other* offices are made with the models, as a package import would bring
them; everything this office does goes through the services under test.
"""

from __future__ import annotations

import datetime as dt

from wqg_desktop.db.models import (
    Campaign,
    Office,
    Plaque,
    PoliceType,
    Region,
    Title,
    Unit,
    acting_as,
)
from wqg_desktop.domain.chinese import normalize_name_key
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.services import campaign_review, campaigns, office, reference

D = dt.date
TODAY = D(2026, 11, 26)
BODIES = ["共青团海安市委", "海安市公安局"]
EARLIER = D(2022, 12, 1)
_seq = iter(range(1, 10_000))


def here() -> Office:
    found = office.this_office()
    assert found is not None
    return found


def upper_office(level: int = 2, name: str = "南通市公安局") -> Office:
    """An office above this one, as its packages bring it."""
    found = Office.get_or_none(Office.name == name)
    if found is None:
        found = Office.create(uuid=reference.reference_uuid("office", name), level=level,
                              name=name, region_name=name.replace("公安局", ""))
    return found


def make_unit(name: str | None = None, *, region: Region | None = None,
              city_direct: bool = False, owner: Office | None = None, **fields) -> Unit:
    """A unit of this office's register (or of ``owner``'s)."""
    if region is None:
        if city_direct:
            region = Region.get(Region.kind == RegionKind.CITY_DIRECT)
        else:
            region = (Region.select().where(Region.kind == RegionKind.COUNTY).first()
                      or reference.ensure_region("海安市", RegionKind.COUNTY))
    name = name or f"测试派出所{next(_seq):03d}"
    with acting_as("测试"):
        return Unit.create(owner_office=owner or here(), name=name,
                           name_key=normalize_name_key(name), region=region,
                           police_type=PoliceType.get(PoliceType.name == "治安"), **fields)


def give_title(unit: Unit, level: int, *, status: str = "valid", owner: Office | None = None,
               kind: str = "post", named_on: dt.date = EARLIER) -> Title:
    """A title named earlier (by ``owner``, default this office), as a package would bring it."""
    with acting_as("测试"):
        title = Title.create(owner_office=owner or here(), unit=unit, level=level,
                             term_start=2021, kind=kind, status=status, unit_name=unit.name,
                             named_on=named_on, certificate_no="",
                             rectification_deadline=D(2027, 6, 1) if status == "rectifying"
                             else None)
        Plaque.create(owner_office=title.owner_office_id, title=title, state="issued",
                      issued_on=named_on)
    return title


def new_campaign(**overrides) -> Campaign:
    """A campaign of this office at its own level whose creation period ended last month."""
    level = here().level
    args = dict(level=level, term="2025—2026", today=TODAY, naming_bodies=BODIES,
                application_start=D(2024, 11, 1), application_end=D(2024, 12, 15),
                creation_start=D(2025, 1, 1), creation_end=D(2026, 10, 31),
                naming_planned=D(2027, 1, 15))
    args.update(overrides)
    with acting_as("测试"):
        return campaigns.create_campaign(**args).campaign


def campaign_in_creation(n: int, **overrides) -> tuple[Campaign, list]:
    """A campaign whose ``n`` candidates are in their creation period, with scores n…1."""
    campaign = new_campaign(**overrides)
    units = [make_unit() for _ in range(n)]
    with acting_as("测试"):
        cands = [campaigns.apply_unit(campaign=campaign, unit=u, today=TODAY) for u in units]
        campaigns.start_creation(campaign=campaign, today=TODAY)
        for score, cand in zip(range(n, 0, -1), cands, strict=True):
            campaign_review.set_score(candidate=cand, score=70.0 + score)
    return Campaign.get_by_id(campaign.id), [type(c).get_by_id(c.id) for c in cands]


def reload(row):
    return type(row).get_by_id(row.id)


ACTIVITY_DAY = D(2026, 3, 2)  # inside the creation period of new_campaign()


def add_activity(unit: Unit, on: dt.date = ACTIVITY_DAY, title: str = "法治宣传进校园"):
    """A volunteer activity of ``unit``: evidence enough for the assessment to compute a score."""
    from wqg_desktop.db.models import Activity, ActivityUnit

    with acting_as("测试"):
        act = Activity.create(owner_office=here(), kind="volunteer", title=title, start_on=on)
        ActivityUnit.create(owner_office=here(), activity=act, unit=unit)
    return act
