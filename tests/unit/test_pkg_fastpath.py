"""The fast paths of export and import give exactly what the general, value-by-value code
gives, and refuse what it refuses; a merge audits once per record kind, not per row."""

from __future__ import annotations

import json

import pytest
from test_pkg_support import TODAY, add_title, add_units, bind, copy_db

from wqg_desktop.db.models import AuditLog, Consultation, Unit
from wqg_desktop.exchange import codec, merge, package, reader
from wqg_desktop.exchange.manifest import PackageRefused

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


def test_row_encoder_matches_to_json_for_every_kind(pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county):
        units = add_units(2)
        add_title(units[0])
        Unit.update(online=True, online_since=TODAY).where(Unit.id == units[1].id).execute()
        models = codec.synced_models()
        id_to_uuid = {m: codec.uuid_map(m) for m in {*models, *[codec.Office]}}
        compared = 0
        for model in models:
            flds = codec.fields_of(model)
            encode = codec.row_encoder(model, id_to_uuid)
            for row in codec.select_raw(model, "1", []):
                slow = {("owner" if f.name == "owner_office" else f.name): codec.to_json(f, row[i], id_to_uuid)
                        for i, f in enumerate(flds, start=1)}
                fast = encode(row)
                assert fast == slow and list(fast) == sorted(fast)
                compared += 1
        assert compared > 20


@pytest.mark.parametrize(("field", "values", "expected"), [
    ("online", [True, False], None),
    ("online_since", ["2026-11-26", None], None),
    ("name", ["甲", "乙"], None),
    ("founded_on", ["2026-11-26", None], None),
    ("created_at", ["2026-11-26T10:00:00"], ["2026-11-26 10:00:00"]),
])
def test_check_column_accepts_and_normalises_like_check_json(field, values, expected) -> None:
    fld = {f.name: f for f in codec.fields_of(Unit)}[field]
    got = codec.check_column(Unit, fld, list(values), complete=True)
    assert got == (expected or values)
    assert got == [None if v is None and fld.null else codec.check_json(Unit, fld, v) for v in values]


@pytest.mark.parametrize(("field", "values"), [
    ("online", [True, 1]),                 # 1 == True, yet not a boolean
    ("name", ["甲", 5]),
    ("name", ["甲", "a\x00b"]),
    ("name", ["甲", None]),
    ("founded_on", ["2026-11-26", "2026-13-01"]),
    ("region", ["not-a-uuid"]),
    ("region", ["12345678-1234-4234-8234-1234567890ab\n"]),
    ("row_version", [1, 2**63]),
    ("row_version", [1, True]),
])
def test_check_column_refuses_what_check_json_refuses(field, values) -> None:
    fld = {f.name: f for f in codec.fields_of(Unit)}[field]
    with pytest.raises(PackageRefused):
        codec.check_column(Unit, fld, list(values), complete=True)


def test_lines_reader_is_strict_one_object_per_line() -> None:
    assert reader._lines("x", b'{"a": 1}\n{"b": [2]}\n') == [{"a": 1}, {"b": [2]}]
    assert reader._lines("x", b' {"a": 1} \n') == [{"a": 1}]  # what json.loads allows
    for bad, reason in ((b'{"a": 1} {"b": 2}\n', "bad_json"),
                        (b'{"a": [1,\n2]}\n', "bad_json"),      # a record spread over lines
                        (b'[1]\n', "bad_json"),
                        (b'{"a": "\xff"}\n', "bad_encoding"),
                        (b'{"a": 1}', "bad_json")):
        with pytest.raises(PackageRefused) as refused:
            reader._lines("x", bad)
        assert refused.value.reason == reason, bad


def test_merge_writes_one_audit_row_per_changed_kind(pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    city = copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(county):
        add_units(5)
        pkg = package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY).path
    with bind(city) as ctx, ctx.acting("汇总"):
        before = AuditLog.select().count()
        result = merge.import_package(pkg, trust_new_key=True)
        rows = list(AuditLog.select().where(AuditLog.id > 0, AuditLog.action == "导入上报包"))
        by_entity = {r.entity: json.loads(r.changes) for r in rows}
        assert by_entity["Unit"]["新增"] == 5 and by_entity["Consultation"]["新增"] == 5
        assert "Package" in by_entity
        changed = [k for k, d in result.preview.diffs.items() if d.new or d.changed or d.gone]
        # one per changed kind and one for the package, never one per row (20 rows came in;
        # trusting the new key writes its own few)
        assert len(rows) == len(changed) + 1
        assert AuditLog.select().count() - before < 20
        assert Consultation.select().count() == 5
