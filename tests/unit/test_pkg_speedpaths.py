"""The faster ways of making and merging packages give exactly what the plain ways give:
column-at-a-time encoding and checks, orjson where the standard library was, the summary
workbook written without openpyxl, and a merge worked out by column."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from test_pkg_support import TODAY, add_title, add_units, bind, copy_db, logical_dump

from wqg_desktop.db.models import Consultation, Unit, acting_as
from wqg_desktop.exchange import codec, keys, merge, package
from wqg_desktop.exchange import manifest as mf
from wqg_desktop.exchange.manifest import is_uuid
from wqg_desktop.exchange.reader import read_contents
from wqg_desktop.exchange.xlsx import small_workbook

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)

UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_rows_encoder_matches_row_encoder_for_every_kind(pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county):
        units = add_units(3)
        add_title(units[0])
        Unit.update(online=True, online_since=TODAY).where(Unit.id == units[1].id).execute()
        models = codec.synced_models()
        id_to_uuid = {m: codec.uuid_map(m) for m in {*models, codec.Office}}
        compared = 0
        for model in models:
            rows = codec.select_raw(model, "1", [])
            one = codec.row_encoder(model, id_to_uuid)
            many = codec.rows_encoder(model, id_to_uuid)(rows)
            assert many == [one(row) for row in rows]
            assert all(list(rec) == sorted(rec) for rec in many)
            compared += len(rows)
        assert compared > 20
        assert codec.rows_encoder(Unit, id_to_uuid)([]) == []


def test_rows_encoder_takes_unusual_stored_values_the_slow_way() -> None:
    """Text in an integer reference column, NULL booleans: each value as row_encoder does."""
    flds = codec.fields_of(Consultation)
    id_to_uuid = {codec.fk_target(f): {7: UUID} for f in flds if codec.fk_target(f) is not None}
    names = [f.name for f in flds]
    row = [1] + [None] * len(flds)
    row[1 + names.index("uuid")] = UUID
    row[1 + names.index("unit")] = "7"
    row[1 + names.index("received_on")] = "2026-11-26"
    rows = [tuple(row), tuple(row[:1 + names.index("unit")] + [7] + row[2 + names.index("unit"):])]
    one = codec.row_encoder(Consultation, id_to_uuid)
    assert codec.rows_encoder(Consultation, id_to_uuid)(rows) == [one(r) for r in rows]
    assert one(rows[0])["unit"] == UUID


@pytest.mark.parametrize("values", [
    [UUID, UUID.replace("0f", "1e")],
    [UUID, UUID.upper()],
    [UUID, UUID[:-1]],
    [UUID[:-1], "a" + UUID],                 # lengths that add up, one short and one long
    [UUID, UUID.replace("-", "a")],
    [UUID, UUID[:8] + "\n" + UUID[9:]],
    [UUID, "ｆ" * 36],
    [UUID, 5],
    [UUID, None],
])
def test_all_uuids_is_is_uuid_for_every_value(values) -> None:
    assert codec.all_uuids(values) == all(map(is_uuid, values))


@pytest.mark.parametrize("text", [
    b'{"minor_name": "\\u674e\\u67d0"}',
    b'{"minor_name": "\\ud800"}',                   # a lone surrogate: orjson refuses it
    b'{"minor_name": 123456789012345678901234567890}',
    b'{"minor_name": NaN}',
    b'{"minor_name": "a", "minor_name": "b"}',
    b'\xef\xbb\xbf{"minor_name": "a"}',
    b'{"minor_name": "\xff"}',
    b'[1, 2]',
])
def test_sealed_values_parse_as_the_standard_library_parses_them(text) -> None:
    """What Opener.open keeps (an object of texts, else nothing) is the same either way;
    integers past 64 bits differ (orjson makes them floats) but are no text in either."""
    def parsed(parse):  # type: ignore[no-untyped-def]
        try:
            value = parse(text)
        except ValueError:  # UnicodeDecodeError and JSONDecodeError included
            return "refused"
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return value
        return "not texts"

    assert parsed(keys._json_value) == parsed(lambda data: json.loads(data.decode("utf-8")))


def test_small_workbook_reads_back_with_openpyxl() -> None:
    from openpyxl import load_workbook

    data = small_workbook([
        ("记录数", [["记录类别", "英文名", "条数"], ["单位", "Unit", 300], ["合计", "", 12]], {1: 22, 2: 22}),
        ("单位名单", [["序号", "单位名称"], [1, "'=1+1 & <b> \x01"], [2, " 前后空格 "], [3, None]], {2: 40}),
    ])
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["记录数", "单位名单"]
    first, second = book.worksheets
    assert [[c.value for c in r] for r in first.iter_rows()] == [
        ["记录类别", "英文名", "条数"], ["单位", "Unit", 300], ["合计", "", 12]]
    assert [[c.value for c in r] for r in second.iter_rows()] == [
        ["序号", "单位名称"], [1, "'=1+1 & <b> "], [2, " 前后空格 "], [3, None]]
    assert first["A1"].font.b and not first["A2"].font.b
    assert first.column_dimensions["B"].width == 22 and second.column_dimensions["B"].width == 40


def test_package_records_are_json_the_standard_library_reads_the_same(pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county):
        units = add_units(3)
        add_title(units[0])
        out = package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY).path
    with zipfile.ZipFile(out) as zf:
        names = [n for n in zf.namelist() if n.endswith(".jsonl")]
        assert f"{mf.DATA_DIR}Consultation.jsonl" in names
        for name in names:
            for line in zf.read(name).decode("utf-8").splitlines():
                rec = json.loads(line)
                assert isinstance(rec, dict)
                if "_sealed" in rec or "_ref" in rec:
                    assert list(rec) == sorted(rec)
        sheet = zf.read(mf.SUMMARY)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(sheet))
    listed = [[c.value for c in r] for r in book["单位名单"].iter_rows(min_row=2)]
    assert sorted(r[1] for r in listed) == sorted(u.name for u in units)
    counts = {r[1]: r[2] for r in [[c.value for c in r] for r in book["记录数"].iter_rows(min_row=2)]}
    assert counts["Unit"] == 3 and counts[""] == sum(v for k, v in counts.items() if k)


def test_records_by_column_hold_what_the_lines_hold(pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county):
        add_units(2)
        out = package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY).path
    city = copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(city):
        from wqg_desktop.db import migrations
        from wqg_desktop.exchange.archive import open_package

        opened = open_package(out, schema_version=migrations.LATEST_VERSION,
                              verify_signature=keys.verify_signature)
        contents = read_contents(opened, schema_version=migrations.LATEST_VERSION)
    for model, kind in contents.kinds.items():
        lines = opened.files[f"{mf.DATA_DIR}{model.__name__}.jsonl"].decode("utf-8").splitlines()
        assert [kind.record(i) for i in range(len(kind))] == [json.loads(line) for line in lines]
        assert len(kind.sealed) == (2 if model.__name__ in ("Consultation", "CoBuildingHelp") else 0)


def test_merge_mixing_new_changed_unchanged_gone_and_kept_records(pkg_templates, tmp_path) -> None:
    """One kind holding every case at once (the column code picks positions, not everything)."""
    county, city = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3"), copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(county):
        units = add_units(4)
        uuids = [u.uuid for u in units]
        p1 = package.export_package(out=tmp_path / "p1.wqgpkg", today=TODAY).path
    with bind(city) as ctx:
        merge.import_package(p1, trust_new_key=True, db_path=ctx.db_path)
    with bind(county), acting_as("测试民警"):
        Unit.update(head_name="新负责人").where(Unit.uuid == uuids[1]).execute()
        gone = Unit.get(Unit.uuid == uuids[3])
        for model in reversed(codec.synced_models()):
            if "unit" in model._meta.fields and model is not Unit:
                model.delete().where(model.unit == gone).execute()
        from wqg_desktop.db.models import CoBuilding, CoBuildingHelp

        helps = CoBuildingHelp.select(CoBuildingHelp.id).join(CoBuilding).where(CoBuilding.unit == gone)
        CoBuildingHelp.delete().where(CoBuildingHelp.id.in_(helps)).execute()
        CoBuilding.delete().where(CoBuilding.unit == gone).execute()
        gone.delete_instance()
        add_units(2, seed=1)
        p2 = package.export_package(out=tmp_path / "p2.wqgpkg", today=TODAY).path
    with bind(city) as ctx:
        preview = merge.preview_package(p2)
        diff = preview.diffs["Unit"]
        assert (diff.new, diff.changed, diff.unchanged, diff.gone) == (2, 1, 2, 1)
        merge.import_package(p2, trust_new_key=True, db_path=ctx.db_path)
        assert merge.import_package(p2, trust_new_key=True, db_path=ctx.db_path).applied is False
    county_view, city_view = logical_dump(county), logical_dump(city)
    for kind in ("Unit", "Consultation", "CoBuildingHelp"):
        assert city_view[kind] == county_view[kind]
