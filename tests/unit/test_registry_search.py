"""Search as you type (name or pinyin initials), filters, sorting, and a fixed query count."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    PoliceType,
    Region,
    Title,
    Unit,
    database,
)
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.services import reference, registry
from wqg_desktop.services import units as svc
from wqg_desktop.services.registry import UnitFilter, name_pinyin, search_ids

TODAY = dt.date(2026, 11, 26)


def make(name: str, region: Region | None = None, ptype: str = "治安") -> Unit:
    region = region or Region.get(Region.name == "海安市")
    pt = PoliceType.get(PoliceType.name == ptype)
    return svc.create_unit(svc.UnitFields(name=name, region_id=region.id, police_type_id=pt.id),
                           today=TODAY)


def names(ids: list[int]) -> list[str]:
    by_id = {u.id: u.name for u in Unit.select()}
    return [by_id[i] for i in ids]


@contextlib.contextmanager
def counting():
    """Count the SQL statements the models send (peewee funnels them all through
    ``execute_sql``)."""
    seen: list[str] = []
    db = database.obj
    original = db.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        seen.append(sql)
        return original(sql, params, *args, **kwargs)

    db.execute_sql = execute_sql
    try:
        yield seen
    finally:
        del db.execute_sql


def test_pinyin_initials() -> None:
    assert name_pinyin("如东县公安局掘港派出所").split("|")[0] == "rdxgajjgpcs"
    assert name_pinyin("１１０指挥中心").split("|")[0] == "110zhzx"
    # 多音字: 长 read zhang after 局 by the phrase dictionary; the other reading is kept too.
    variants = name_pinyin("南通市公安局长江路派出所").split("|")
    assert any("cjl" in v for v in variants) and any("zjl" in v for v in variants)
    assert name_pinyin("") == ""


def test_jgpcs_finds_juegang_police_station(ctx) -> None:
    rudong = reference.ensure_region("如东县", RegionKind.COUNTY, owner=ctx.office)
    make("如东县公安局掘港派出所", rudong)
    make("海安市公安局城北中心派出所")
    assert names(search_ids(UnitFilter(text="jgpcs"))) == ["如东县公安局掘港派出所"]
    assert names(search_ids(UnitFilter(text="JGPCS"))) == ["如东县公安局掘港派出所"]
    assert names(search_ids(UnitFilter(text="掘港"))) == ["如东县公安局掘港派出所"]
    assert len(search_ids(UnitFilter(text="pcs"))) == 2
    assert search_ids(UnitFilter(text="xyz")) == []


def test_heteronym_second_reading_is_searchable(ctx) -> None:
    make("海安市公安局长江路派出所")
    assert len(search_ids(UnitFilter(text="cjlpcs"))) == 1
    assert len(search_ids(UnitFilter(text="zjlpcs"))) == 1


def test_name_search_folds_width_and_spaces(ctx) -> None:
    make("海安市公安局禁毒大队(一中队)")
    assert len(search_ids(UnitFilter(text="禁毒大队（一中队）"))) == 1
    assert len(search_ids(UnitFilter(text="禁毒 大队"))) == 1


def test_units_saved_without_pinyin_are_still_found(ctx) -> None:
    unit = make("海安市公安局掘港路警务区")
    Unit.update(pinyin="").where(Unit.id == unit.id).execute()
    assert search_ids(UnitFilter(text="jglj")) == [unit.id]
    assert registry.fill_missing_pinyin() == 1
    assert Unit.get_by_id(unit.id).pinyin.startswith("hasgajjgljwq")


def test_filters(ctx) -> None:
    city = reference.ensure_region("南通市", RegionKind.CITY, owner=ctx.office)
    direct = reference.city_direct_group(city, owner=ctx.office)
    gangzha = reference.ensure_region("港闸区", RegionKind.COUNTY, owner=ctx.office)
    chongchuan = reference.ensure_region("崇川区", RegionKind.COUNTY, owner=ctx.office)
    a = make("海安市公安局城北中心派出所")
    b = make("海安市公安局交警大队", ptype="交巡警")
    c = make("南通市拘留所", direct, ptype="监管")
    d = make("南通市公安局港闸分局唐闸派出所", gangzha)
    e = make("南通市公安局崇川分局和平桥派出所", chongchuan)
    Region.update(merged_into=chongchuan).where(Region.id == gangzha.id).execute()
    assert search_ids(UnitFilter(region_id=direct.id)) == [c.id]
    assert set(search_ids(UnitFilter(region_id=chongchuan.id))) == {d.id, e.id}
    pt = PoliceType.get(PoliceType.name == "交巡警")
    assert search_ids(UnitFilter(police_type_id=pt.id)) == [b.id]
    Title.create(unit=a, level=2, term_start=2011, status="valid", owner_office=ctx.office)
    Title.create(unit=b, level=1, term_start=2013, status="valid", owner_office=ctx.office)
    Title.create(unit=c, level=2, term_start=2013, status="rectifying", owner_office=ctx.office)
    assert set(search_ids(UnitFilter(title="valid"))) == {a.id, b.id}
    assert set(search_ids(UnitFilter(title="none"))) == {c.id, d.id, e.id}
    assert search_ids(UnitFilter(title="2")) == [a.id]
    assert search_ids(UnitFilter(title="rectifying")) == [c.id]
    running = Campaign.create(level=1, term_start=2025, name="县级", stage="creation",
                              owner_office=ctx.office)
    closed = Campaign.create(level=1, term_start=2023, name="旧", stage="closed",
                             owner_office=ctx.office)
    Candidate.create(campaign=running, unit=d, status="creating", owner_office=ctx.office)
    Candidate.create(campaign=running, unit=e, status="withdrawn", owner_office=ctx.office)
    Candidate.create(campaign=closed, unit=a, status="named", owner_office=ctx.office)
    assert search_ids(UnitFilter(campaign="in")) == [d.id]
    assert d.id not in search_ids(UnitFilter(campaign="out"))
    assert set(search_ids(UnitFilter(campaign=closed.id))) == {a.id}
    assert search_ids(UnitFilter(text="pcs", title="valid")) == [a.id]


def test_sorting_by_every_column(ctx) -> None:
    a = make("海安市公安局城北中心派出所")
    b = make("海安市公安局白甸派出所")
    Title.create(unit=a, level=2, term_start=2011, status="valid", owner_office=ctx.office)
    assert search_ids(sort="name") == [b.id, a.id]  # bai < cheng, pinyin order
    assert search_ids(sort="name", descending=True) == [a.id, b.id]
    assert search_ids(sort="title", descending=True)[0] == a.id
    for key in registry.SORT_KEYS:
        assert sorted(search_ids(sort=key)) == sorted([a.id, b.id])
    with pytest.raises(ValueError):
        search_ids(sort="nonsense")


def test_rows_show_best_title_and_campaign(ctx) -> None:
    a = make("海安市公安局城北中心派出所")
    Title.create(unit=a, level=1, term_start=2019, status="valid", owner_office=ctx.office)
    Title.create(unit=a, level=2, term_start=2011, status="valid", owner_office=ctx.office)
    Title.create(unit=a, level=3, term_start=2021, status="cancelled", owner_office=ctx.office)
    campaign = Campaign.create(level=3, term_start=2025, name="省级", stage="review",
                               owner_office=ctx.office)
    Candidate.create(campaign=campaign, unit=a, status="reviewing", owner_office=ctx.office)
    (row,) = registry.list_units()
    assert row.title == "市级 2011—2012年度"
    assert row.campaign == "省级：审核"
    assert row.status == "在册"


@pytest.mark.parametrize("n", [3, 40])
def test_search_and_fetch_use_a_fixed_number_of_queries(ctx, n: int) -> None:
    for i in range(n):
        u = make(f"海安市公安局第{i}警务区")
        Title.create(unit=u, level=1, term_start=2019, status="valid", owner_office=ctx.office)
    with counting() as seen:
        ids = search_ids(UnitFilter(text="jwq", title="valid"), sort="title")
        rows = registry.fetch_rows(ids)
    assert len(ids) == len(rows) == n
    # units lacking stored pinyin (a pinyin search only); ids; units, titles, candidacies
    assert len(seen) == 5, seen
    with counting() as seen:
        registry.list_units()
    assert len(seen) == 4
