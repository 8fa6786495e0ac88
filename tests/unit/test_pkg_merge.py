"""Export → import reproduces the data; twice = once; order of counties does not matter;
deletions, ownership, sequence order and the youth-work mark travelling up."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_pkg_support import (
    TODAY,
    bind,
    copy_db,
    file_digest,
    logical_dump,
    pkg_settings,
)

from wqg_desktop.db.models import (
    CoBuilding,
    CoBuildingHelp,
    Consultation,
    Office,
    Plaque,
    PoliceType,
    Region,
    Title,
    TitleEvent,
    Unit,
    acting_as,
    database,
)
from wqg_desktop.exchange import merge, package
from wqg_desktop.exchange.manifest import PackageRefused
from wqg_desktop.services.office import this_office

_text = st.text(alphabet="维权岗派出所警务区一二三abc'\"\\ ", max_size=10)
_unit = st.fixed_dictionaries({
    "suffix": _text, "online": st.booleans(), "head": _text,
    "minor": st.sampled_from(["", "李小明", "王小红"]), "youth": st.booleans(),
    "helps": st.integers(0, 2),
})
_counter = itertools.count()

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


def _add(units: list[dict]) -> list[Unit]:
    office = this_office()
    region = Region.get(Region.owner_office == office)
    ptype = PoliceType.get(PoliceType.code == "jindu")
    out = []
    with acting_as("测试民警"), database.atomic():
        for spec in units:
            name = f"{region.name}测试单位{next(_counter)}{spec['suffix']}"
            unit = Unit.create(owner_office=office, name=name, name_key=name, region=region,
                               police_type=ptype, online=spec["online"], head_name=spec["head"],
                               works_with_youth=spec["youth"],
                               youth_work_ended_on=None if spec["youth"] else TODAY)
            Consultation.create(owner_office=office, unit=unit, kind="complaint", received_on=TODAY,
                                channel="来信", content=spec["suffix"] or "内容",
                                minor_name=spec["minor"])
            cb = CoBuilding.create(owner_office=office, unit=unit, township="镇", village="村")
            for _ in range(spec["helps"]):
                CoBuildingHelp.create(owner_office=office, cobuilding=cb, on=TODAY,
                                      youth_group="闲散青少年", help_kind="法律援助",
                                      minor_name=spec["minor"], minor_id_no="3206002010")
            out.append(unit)
    return out


def _export(db: Path, out: Path) -> Path:
    with bind(db):
        package.export_package(out=out, today=TODAY)
    return out


def _import(db: Path, pkg: Path) -> merge.ImportResult:
    with bind(db) as ctx, ctx.acting("汇总"):
        return merge.import_package(pkg, trust_new_key=True, db_path=ctx.db_path)


def _owned_by(dump: dict, owner: str, shared: set[str]) -> dict:
    """The rows ``owner`` keeps, less the shared reference rows (same UUID in every office, such
    as the police types) that the receiver keeps as its own and never overwrites."""
    return {k: {u: r for u, r in rows.items() if r["owner_office"] == owner and u not in shared}
            for k, rows in dump.items()}


def _uuids(path: Path) -> set[str]:
    return {u for rows in logical_dump(path).values() for u in rows}


def _county_uuid(db: Path) -> str:
    with bind(db):
        return this_office().uuid


@pkg_settings
@given(first=st.lists(_unit, min_size=1, max_size=5), changes=st.lists(_unit, max_size=3),
       delete=st.integers(0, 2))
def test_export_import_reproduces_the_data_and_twice_is_once(pkg_templates, tmp_path_factory,
                                                             first, changes, delete) -> None:
    tmp = tmp_path_factory.mktemp("rt")
    county, city = copy_db(pkg_templates["a"], tmp / "a.sqlite3"), copy_db(pkg_templates["city"], tmp / "c.sqlite3")
    owner, shared = _county_uuid(county), _uuids(city)
    with bind(county):
        units = _add(first)
    p1 = _export(county, tmp / "p1.wqgpkg")
    result = _import(city, p1)
    assert result.applied
    assert _owned_by(logical_dump(city), owner, shared) == _owned_by(logical_dump(county), owner, shared)
    before = file_digest(city)
    again = _import(city, p1)
    assert not again.applied and file_digest(city) == before  # twice = once, byte for byte
    # the county edits, deletes and adds; the next package carries all of it
    with bind(county), acting_as("测试民警"), database.atomic():
        for unit in units[:delete]:
            for cb in CoBuilding.select().where(CoBuilding.unit == unit):
                cb.delete_instance(recursive=True)
            Consultation.delete().where(Consultation.unit == unit).execute()
            Unit.get_by_id(unit.id).delete_instance()
        for unit in units[delete:]:
            fresh = Unit.get_by_id(unit.id)
            fresh.head_name += "改"
            fresh.save()
        _add(changes)
    p2 = _export(county, tmp / "p2.wqgpkg")
    with bind(city):
        preview = merge.preview_package(p2)
    assert preview.diffs.get("Unit", merge.KindDiff()).gone == min(delete, len(units))
    _import(city, p2)
    assert _owned_by(logical_dump(city), owner, shared) == _owned_by(logical_dump(county), owner, shared)
    with pytest.raises(PackageRefused) as refused:
        _import(city, p1)
    assert refused.value.reason == "sequence_old"


@pkg_settings
@given(a=st.lists(_unit, max_size=4), b=st.lists(_unit, max_size=4))
def test_merge_order_of_counties_does_not_matter(pkg_templates, tmp_path_factory, a, b) -> None:
    tmp = tmp_path_factory.mktemp("order")
    ca, cb = copy_db(pkg_templates["a"], tmp / "a.sqlite3"), copy_db(pkg_templates["b"], tmp / "b.sqlite3")
    with bind(ca):
        _add(a)
    with bind(cb):
        _add(b)
    pa, pb = _export(ca, tmp / "a.wqgpkg"), _export(cb, tmp / "b.wqgpkg")
    one, two = copy_db(pkg_templates["city"], tmp / "c1.sqlite3"), copy_db(pkg_templates["city"], tmp / "c2.sqlite3")
    _import(one, pa)
    _import(one, pb)
    _import(two, pb)
    _import(two, pa)
    assert logical_dump(one) == logical_dump(two)


def test_minors_data_is_sealed_to_the_city_and_opened_there(pkg_templates, tmp_path) -> None:
    county, city = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3"), copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(county):
        _add([{"suffix": "", "online": False, "head": "", "minor": "李小明", "youth": True, "helps": 1}])
    pkg = _export(county, tmp_path / "p.wqgpkg")
    assert "李小明".encode() not in _unzipped(pkg)
    _import(city, pkg)
    with bind(city):
        assert Consultation.get().minor_name == "李小明"
        assert CoBuildingHelp.get().minor_name == "李小明"


def test_without_a_receiver_key_minors_data_is_left_out(pkg_templates, tmp_path) -> None:
    from wqg_desktop.db.models import KnownKey

    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county):
        KnownKey.update(retired=True).execute()
        _add([{"suffix": "", "online": False, "head": "", "minor": "王小红", "youth": True, "helps": 0}])
        result = package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY)
    assert result.sealed_to is None and result.minors_blanked == 1
    assert "王小红".encode() not in _unzipped(tmp_path / "p.wqgpkg")


def _unzipped(pkg: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(pkg) as zf:
        return b"".join(zf.read(n) for n in zf.namelist())


def test_city_never_overwrites_its_own_rows_and_county_mark_deregisters_city_titles(
        pkg_templates, tmp_path) -> None:
    county, city = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3"), copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(county):
        unit = _add([{"suffix": "", "online": True, "head": "张", "minor": "", "youth": True, "helps": 0}])[0]
        unit_uuid = unit.uuid
    _import(city, _export(county, tmp_path / "p1.wqgpkg"))
    with bind(city), acting_as("测试民警"):
        unit = Unit.get(Unit.uuid == unit_uuid)
        title = Title.create(owner_office=this_office(), unit=unit, level=2, term_start=2025,
                             status="valid", unit_name=unit.name, named_on=TODAY)
        Plaque.create(owner_office=this_office(), title=title, state="issued")
        # the city may not edit the county's unit; if it did, the next package puts it right
        Unit.update(head_name="市里改的").where(Unit.id == unit.id).execute()
    with bind(county):
        from wqg_desktop.services.units_titles import end_youth_work

        with acting_as("测试民警"):
            end_youth_work(Unit.get(Unit.uuid == unit_uuid).id, on=TODAY, reason="机构改革",
                           today=TODAY)
    p2 = _export(county, tmp_path / "p2.wqgpkg")
    with bind(city):
        assert merge.preview_package(p2).deregister_titles == 1
    _import(city, p2)
    with bind(city):
        title = Title.get()
        assert title.status == "deregistered"
        assert Plaque.get().state == "souvenir"
        assert TitleEvent.select().where(TitleEvent.title == title).count() == 1
        assert Unit.get(Unit.uuid == unit_uuid).head_name == "张"
        assert title.owner_office.uuid == this_office().uuid


def test_decisions_flow_down_to_the_county(pkg_templates, tmp_path) -> None:
    county, city = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3"), copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(county):
        unit_uuid = _add([{"suffix": "", "online": True, "head": "", "minor": "", "youth": True,
                           "helps": 0}])[0].uuid
        county_uuid = this_office().uuid
    _import(city, _export(county, tmp_path / "up.wqgpkg"))
    with bind(city), acting_as("测试民警"):
        unit = Unit.get(Unit.uuid == unit_uuid)
        title = Title.create(owner_office=this_office(), unit=unit, level=2, term_start=2025,
                             status="valid", unit_name=unit.name, named_on=TODAY, document_no="通公发〔2026〕1号")
        Plaque.create(owner_office=this_office(), title=title, state="issued")
        down = package.export_package(out=tmp_path / "down.wqgpkg", today=TODAY,
                                      for_office=Office.get(Office.uuid == county_uuid))
    assert down.kind == "down" and down.counts["Title"] == 1 and down.counts["Plaque"] == 1
    result = _import(county, tmp_path / "down.wqgpkg")
    assert result.applied
    with bind(county):
        got = Title.get()
        assert got.document_no == "通公发〔2026〕1号" and got.unit.uuid == unit_uuid
        assert got.owner_office.name == "南通市公安局"
