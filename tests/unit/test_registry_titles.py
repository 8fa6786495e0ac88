"""历年称号, no longer doing youth work (deregistration fates), and coverage numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    NamingBody,
    Office,
    Plaque,
    PoliceType,
    Region,
    Title,
    TitleEvent,
    TitleNamingBody,
    Unit,
)
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import coverage, reference
from wqg_desktop.services import units as svc
from wqg_desktop.services.units_titles import (
    TitleRecord,
    deregister_own_titles,
    end_youth_work,
    record_title,
)

TODAY = dt.date(2026, 11, 26)


def make(name: str, region: Region | None = None, ptype: str = "治安") -> Unit:
    region = region or Region.get(Region.name == "海安市")
    pt = PoliceType.get(PoliceType.name == ptype)
    return svc.create_unit(svc.UnitFields(name=name, region_id=region.id, police_type_id=pt.id),
                           today=TODAY)


def rec(**kw) -> TitleRecord:
    base = dict(level="市", term="2011-2012", naming_bodies="共青团南通市委、南通市公安局",
                named_on=dt.date(2012, 8, 8), document_no="通团联〔2012〕18号",
                certificate_no="通维权〔2012〕第001号")
    base.update(kw)
    return TitleRecord(**base)


def test_record_historical_title(ctx) -> None:
    unit = make("海安县公安局城北派出所")
    svc.rename_unit(unit.id, new_name="海安市公安局城北派出所", on=dt.date(2018, 2, 12))
    title = record_title(unit.id, rec(), today=TODAY)
    title = Title.get_by_id(title.id)
    assert (title.level, title.term_start, title.status) == (2, 2011, "valid")
    assert title.unit_name == "海安县公安局城北派出所"  # the name on the naming date
    assert title.owner_office_id == ctx.office.id
    assert title.naming_bodies_text == "共青团南通市委、南通市公安局"
    bodies = [tnb.naming_body.name for tnb in
              TitleNamingBody.select().where(TitleNamingBody.title == title)
              .order_by(TitleNamingBody.sort_order)]
    assert bodies == ["共青团南通市委", "南通市公安局"]
    assert Plaque.get(Plaque.title == title).state == "issued"
    event = TitleEvent.get(TitleEvent.title == title)
    assert (event.kind, event.to_status) == ("recorded", "valid")
    # The naming bodies are reused, not duplicated, by the next record.
    record_title(unit.id, rec(level="县", naming_bodies="共青团海安县委、南通市公安局",
                              certificate_no="海维权〔2010〕第001号"), today=TODAY)
    assert NamingBody.select().where(NamingBody.name == "南通市公安局").count() == 1


def test_record_title_refusals(ctx) -> None:
    unit = make("海安市公安局城北派出所")
    record_title(unit.id, rec(), today=TODAY)
    with pytest.raises(RuleViolation, match="不能重复录入"):
        record_title(unit.id, rec(certificate_no="另一个"), today=TODAY)
    # The 示范单位 title of the same term is a different kind: allowed.
    record_title(unit.id, rec(kind="demonstration", certificate_no="通维权示〔2012〕第001号"),
                 today=TODAY)
    with pytest.raises(RuleViolation, match="已经用过"):  # each certificate number once
        record_title(make("海安市公安局城东派出所").id, rec(certificate_no="通维权〔2012〕第001号"),
                     today=TODAY)
    with pytest.raises(RuleViolation, match="不能重复登记"):  # a live title at this level
        record_title(unit.id, rec(term="2013", certificate_no=""), today=TODAY)
    with pytest.raises(InputRefused, match="命名单位"):
        record_title(unit.id, rec(term="2013", naming_bodies=" 、 "), today=TODAY)
    with pytest.raises(InputRefused, match="晚于今天"):
        record_title(unit.id, rec(term="2025", named_on=TODAY + dt.timedelta(days=1)), today=TODAY)
    with pytest.raises(InputRefused, match="年度"):
        record_title(unit.id, rec(term="2011-2013"), today=TODAY)
    with pytest.raises(InputRefused, match="命名日期"):
        record_title(unit.id, rec(term="2015", named_on=None), today=TODAY)
    city = reference.ensure_region("南通市", RegionKind.CITY, owner=ctx.office)
    direct = reference.city_direct_group(city, owner=ctx.office)
    jail = make("南通市拘留所", direct, ptype="监管")
    with pytest.raises(RuleViolation, match="市直单位"):
        record_title(jail.id, rec(level="县"), today=TODAY)


def _title(unit, level, status, owner, plaque="issued") -> Title:
    t = Title.create(unit=unit, level=level, term_start=2019, status=status, owner_office=owner)
    Plaque.create(title=t, state=plaque, owner_office=owner)
    return t


def test_end_youth_work_deregisters_only_own_live_titles(ctx) -> None:
    city = Office.create(level=2, name="南通市公安局")
    unit = make("海安市公安局城北派出所")
    own_valid = _title(unit, 1, "valid", ctx.office)
    own_rect = _title(unit, 1, "rectifying", ctx.office, plaque="not_made")
    own_cancelled = _title(unit, 1, "cancelled", ctx.office, plaque="removed")
    city_valid = _title(unit, 2, "valid", city)
    result = end_youth_work(unit.id, on=TODAY, reason="机构改革，不再承担涉及青少年的工作",
                            today=TODAY)
    assert {t.id for t in result.deregistered} == {own_valid.id, own_rect.id}
    assert [t.id for t in result.left_to_others] == [city_valid.id]

    def fate(t: Title) -> tuple[str, str]:
        return Title.get_by_id(t.id).status, Plaque.get(Plaque.title == t).state

    assert fate(own_valid) == ("deregistered", "souvenir")
    assert fate(own_rect) == ("deregistered", "not_made")
    assert fate(own_cancelled) == ("cancelled", "removed")
    assert fate(city_valid) == ("valid", "issued")
    event = TitleEvent.get(TitleEvent.title == own_valid.id)
    assert (event.kind, event.from_status, event.to_status) == ("deregistered", "valid",
                                                              "deregistered")
    unit = Unit.get_by_id(unit.id)
    assert not unit.works_with_youth and unit.youth_work_ended_on == TODAY
    with pytest.raises(RuleViolation, match="已于"):
        end_youth_work(unit.id, on=TODAY, reason="再次", today=TODAY)


def test_end_youth_work_needs_reason_and_past_date(ctx) -> None:
    unit = make("海安市公安局城北派出所")
    with pytest.raises(InputRefused, match="原因"):
        end_youth_work(unit.id, on=TODAY, reason=" ", today=TODAY)
    with pytest.raises(InputRefused, match="晚于今天"):
        end_youth_work(unit.id, on=TODAY + dt.timedelta(days=1), reason="x", today=TODAY)
    assert Unit.get_by_id(unit.id).works_with_youth


def test_deregister_own_titles_alone(ctx) -> None:
    unit = make("海安市公安局城北派出所")
    t = _title(unit, 1, "valid", ctx.office)
    assert [x.id for x in deregister_own_titles(unit, TODAY, "工作性质改变")] == [t.id]
    assert deregister_own_titles(unit, TODAY, "工作性质改变") == []


def test_coverage_per_region_and_police_type(ctx) -> None:
    city = reference.ensure_region("南通市", RegionKind.CITY, owner=ctx.office)
    direct = reference.city_direct_group(city, owner=ctx.office)
    a = make("海安市公安局城北派出所")
    b = make("海安市公安局白甸派出所")
    c = make("海安市公安局交警大队", ptype="交巡警")
    make("海安市公安局城南派出所")
    d = make("南通市拘留所", direct, ptype="监管")
    gone = make("海安市公安局旧所")
    Unit.update(status="merged").where(Unit.id == gone.id).execute()
    left = make("海安市公安局不涉青所")
    Unit.update(works_with_youth=False).where(Unit.id == left.id).execute()
    _title(a, 1, "valid", ctx.office)
    _title(b, 1, "rectifying", ctx.office)  # 整改中 does not count as valid
    _title(gone, 1, "valid", ctx.office)
    running = Campaign.create(level=1, term_start=2025, name="县级", stage="creation",
                              owner_office=ctx.office)
    Candidate.create(campaign=running, unit=a, status="creating", owner_office=ctx.office)
    Candidate.create(campaign=running, unit=c, status="creating", owner_office=ctx.office)
    Candidate.create(campaign=running, unit=d, status="withdrawn", owner_office=ctx.office)
    cov = coverage.coverage()
    rows = {r.group: r for r in cov.by_region}
    assert list(rows) == ["海安市", "市直"]  # 市直 last, as its own group
    haian = rows["海安市"]
    assert (haian.units, haian.in_campaign, haian.titled, haian.covered) == (4, 2, 1, 2)
    assert haian.rate == "50.0%"
    assert (rows["市直"].units, rows["市直"].covered, rows["市直"].rate) == (1, 0, "0.0%")
    types = {r.group: r for r in cov.by_police_type}
    assert (types["治安"].units, types["治安"].covered) == (3, 1)
    assert types["治安"].rate == "33.3%"
    assert (types["交巡警"].covered, types["交巡警"].rate) == (1, "100.0%")
    assert (cov.total.units, cov.total.covered, cov.total.rate) == (5, 2, "40.0%")
