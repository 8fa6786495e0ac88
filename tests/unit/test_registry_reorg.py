"""Reorganisation: merge and split with an explicit choice of titles, counties, bureaus and
police types — history always kept."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from wqg_desktop.db.models import (
    Bureau,
    BureauName,
    PoliceType,
    Region,
    RegionName,
    Title,
    Unit,
    UnitLineage,
)
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import reference, registry
from wqg_desktop.services import units as svc
from wqg_desktop.services import units_reorg as reorg

TODAY = dt.date(2026, 11, 26)
ON = dt.date(2026, 10, 1)


def make(name: str, region: Region | None = None, ptype: str = "治安", **kw) -> Unit:
    region = region or Region.get(Region.name == "海安市")
    pt = PoliceType.get(PoliceType.name == ptype)
    return svc.create_unit(svc.UnitFields(name=name, region_id=region.id, police_type_id=pt.id,
                                          **kw), today=TODAY)


def title(unit: Unit, level: int, term: int, ctx) -> Title:
    return Title.create(unit=unit, level=level, term_start=term, status="valid",
                        owner_office=ctx.office, unit_name=unit.name)


def test_merge_moves_only_the_chosen_titles(ctx) -> None:
    a = make("海安市公安局城北派出所")
    b = make("海安市公安局城东派出所")
    keep = title(a, 1, 2019, ctx)
    carry = title(a, 2, 2021, ctx)
    lineage = reorg.merge_units(absorbed_id=a.id, into_id=b.id, on=ON,
                                carry_title_ids=[carry.id], note="机构调整")
    assert Title.get_by_id(carry.id).unit_id == b.id
    assert Title.get_by_id(carry.id).unit_name == "海安市公安局城北派出所"  # name when named
    assert Title.get_by_id(keep.id).unit_id == a.id
    assert json.loads(lineage.titles_carried) == [carry.uuid]
    a = Unit.get_by_id(a.id)
    assert (a.status, a.closed_on) == ("merged", ON)
    assert (lineage.source_id, lineage.target_id, lineage.kind) == (a.id, b.id, "merge")
    with pytest.raises(RuleViolation, match="已合并"):
        reorg.merge_units(absorbed_id=a.id, into_id=b.id, on=ON, carry_title_ids=[])
    # the merged unit drops out of the active list but stays in the register
    assert registry.search_ids(registry.UnitFilter(status="active")) == [b.id]


def test_merge_refuses_self_foreign_titles_and_clashes(ctx) -> None:
    a = make("海安市公安局城北派出所")
    b = make("海安市公安局城东派出所")
    with pytest.raises(InputRefused, match="自己"):
        reorg.merge_units(absorbed_id=a.id, into_id=a.id, on=ON, carry_title_ids=[])
    other = title(b, 1, 2019, ctx)
    with pytest.raises(InputRefused, match="不属于"):
        reorg.merge_units(absorbed_id=a.id, into_id=b.id, on=ON, carry_title_ids=[other.id])
    clash = title(a, 1, 2019, ctx)
    with pytest.raises(RuleViolation, match="已有同一层级"):
        reorg.merge_units(absorbed_id=a.id, into_id=b.id, on=ON, carry_title_ids=[clash.id])
    # refused actions change nothing
    assert Unit.get_by_id(a.id).status == "active"
    assert Title.get_by_id(clash.id).unit_id == a.id


def test_split_creates_units_and_hands_titles_out(ctx) -> None:
    old = make("海安市公安局城区派出所", unit_kind="派出所")
    t1 = title(old, 1, 2019, ctx)
    t2 = title(old, 2, 2021, ctx)
    t3 = title(old, 1, 2023, ctx)
    parts = [reorg.SplitPart(name="海安市公安局城区派出所", carry_title_ids=[t1.id, t2.id]),
             reorg.SplitPart(name="海安市公安局城西派出所", carry_title_ids=[t3.id])]
    made = reorg.split_unit(unit_id=old.id, on=ON, parts=parts, today=TODAY)
    assert [u.name for u in made] == ["海安市公安局城区派出所", "海安市公安局城西派出所"]
    assert Title.get_by_id(t1.id).unit_id == made[0].id
    assert Title.get_by_id(t3.id).unit_id == made[1].id
    assert Unit.get_by_id(old.id).status == "split"
    assert UnitLineage.select().where(UnitLineage.source == old, UnitLineage.kind == "split"
                                      ).count() == 2
    assert made[1].unit_kind == "派出所" and made[1].region_id == old.region_id


def test_split_refusals(ctx) -> None:
    old = make("海安市公安局城区派出所")
    t = title(old, 1, 2019, ctx)
    with pytest.raises(InputRefused, match="至少要有两个"):
        reorg.split_unit(unit_id=old.id, on=ON, parts=[reorg.SplitPart("甲所")], today=TODAY)
    with pytest.raises(InputRefused, match="一个新单位承继"):
        reorg.split_unit(unit_id=old.id, on=ON, today=TODAY, parts=[
            reorg.SplitPart("甲所", carry_title_ids=[t.id]),
            reorg.SplitPart("乙所", carry_title_ids=[t.id])])
    with pytest.raises(InputRefused, match="不能相同"):
        reorg.split_unit(unit_id=old.id, on=ON, today=TODAY, parts=[
            reorg.SplitPart("甲所"), reorg.SplitPart("甲 所")])
    make("海安市公安局乙所")
    with pytest.raises(RuleViolation, match="同名"):
        reorg.split_unit(unit_id=old.id, on=ON, today=TODAY, parts=[
            reorg.SplitPart("甲所"), reorg.SplitPart("海安市公安局乙所")])
    # the whole split is one transaction: nothing of it stayed
    assert Unit.get_by_id(old.id).status == "active"
    assert not Unit.select().where(Unit.name == "甲所").exists()


def test_region_rename_and_merge_keep_history(ctx) -> None:
    haian = Region.get(Region.name == "海安市")
    reorg.rename_region(haian.id, new_name="海安新市", on=ON, note="测试更名")
    assert Region.get_by_id(haian.id).name == "海安新市"
    assert RegionName.get(RegionName.region == haian).name == "海安市"
    gangzha = reference.ensure_region("港闸区", RegionKind.COUNTY, owner=ctx.office)
    chongchuan = reference.ensure_region("崇川区", RegionKind.COUNTY, owner=ctx.office)
    u = make("南通市公安局港闸分局唐闸派出所", gangzha)
    assert reorg.merge_region(gangzha.id, into_id=chongchuan.id, on=dt.date(2020, 7, 1)) == 1
    assert Unit.get_by_id(u.id).region_id == chongchuan.id
    assert Region.get_by_id(gangzha.id).merged_into_id == chongchuan.id
    assert gangzha.id not in [rid for rid, _ in registry.unit_region_choices()]
    with pytest.raises(RuleViolation, match="已经并入"):
        reorg.merge_region(gangzha.id, into_id=chongchuan.id, on=ON)
    with pytest.raises(InputRefused, match="已并入"):
        make("港闸新所", gangzha)


def test_region_merge_refused_when_names_would_clash(ctx) -> None:
    x = reference.ensure_region("甲区", RegionKind.COUNTY, owner=ctx.office)
    y = reference.ensure_region("乙区", RegionKind.COUNTY, owner=ctx.office)
    make("交警大队", x)
    make("交警大队", y)
    with pytest.raises(RuleViolation, match="重名"):
        reorg.merge_region(x.id, into_id=y.id, on=ON)
    assert Region.get_by_id(x.id).merged_into_id is None


def test_bureau_rename_and_merge(ctx) -> None:
    old = Bureau.create(name="海安县公安局", owner_office=ctx.office)
    other = Bureau.create(name="南通市公安局港闸分局", owner_office=ctx.office)
    into = Bureau.create(name="南通市公安局崇川分局", owner_office=ctx.office)
    reorg.rename_bureau(old.id, new_name="海安市公安局", on=dt.date(2018, 2, 12))
    assert BureauName.get(BureauName.bureau == old).name == "海安县公安局"
    u = make("唐闸派出所", bureau_id=other.id)
    assert reorg.merge_bureau(other.id, into_id=into.id, on=dt.date(2020, 7, 1)) == 1
    assert Unit.get_by_id(u.id).bureau_id == into.id
    with pytest.raises(RuleViolation, match="已有名为"):
        reorg.rename_bureau(old.id, new_name="南通市公安局崇川分局", on=ON)


def test_retire_and_add_police_type(ctx) -> None:
    wangan = PoliceType.get(PoliceType.name == "网安")
    u = make("海安市公安局网安大队", ptype="网安")
    reorg.retire_police_type(wangan.id, on=ON, reason="测试：职能调整")
    assert Unit.get_by_id(u.id).police_type_id == wangan.id  # its units stay
    with pytest.raises(RuleViolation, match="撤出"):
        make("海安市公安局网安二队", ptype="网安")
    with pytest.raises(RuleViolation, match="已于"):
        reorg.retire_police_type(wangan.id, on=ON, reason="again")
    with pytest.raises(RuleViolation, match="兜底"):
        reorg.retire_police_type(PoliceType.get(PoliceType.code == "qita").id, on=ON, reason="x")
    with pytest.raises(InputRefused, match="原因"):
        reorg.retire_police_type(PoliceType.get(PoliceType.name == "刑侦").id, on=ON, reason="")
    added = reorg.add_police_type("反恐")
    assert added.owner_office_id == ctx.office.id
    assert make("海安市公安局反恐大队", ptype="反恐").police_type_id == added.id
    with pytest.raises(RuleViolation, match="已有警种"):
        reorg.add_police_type("反恐")


def test_merging_a_unit_withdraws_it_from_running_campaigns(ctx) -> None:
    from test_lifecycle_support import campaign_in_creation

    from wqg_desktop.db.models import Candidate

    campaign, cands = campaign_in_creation(2)
    absorbed, into = cands[0].unit, cands[1].unit
    reorg.merge_units(absorbed_id=absorbed.id, into_id=into.id, on=TODAY, carry_title_ids=[])
    assert Candidate.get_by_id(cands[0].id).status == "withdrawn"
    assert Candidate.get_by_id(cands[1].id).status != "withdrawn"
