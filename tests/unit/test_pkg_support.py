"""Shared builders for the package tests (office databases, invented records), and tests of
the small pieces they rely on: fingerprints, sealing, the record codec."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import (
    CoBuilding,
    CoBuildingHelp,
    Consultation,
    Office,
    PoliceType,
    Region,
    Title,
    Unit,
    acting_as,
    database,
)
from wqg_desktop.services import reference
from wqg_desktop.services.office import setup_office, this_office

TODAY = dt.date(2026, 11, 26)

COUNTIES = {
    "海安市公安局": ("海安市", "320685"),
    "如东县公安局": ("如东县", "320623"),
    "启东市公安局": ("启东市", "320681"),
}


def new_office(path: Path, level: str, name: str, region: str, code: str = "") -> Path:
    with AppContext.open(path, clock=lambda: TODAY) as ctx, ctx.acting("初始化"):
        setup_office(level=level, name=name, region_name=region, region_code=code, officer="测试民警")
    return path


def bind(path: Path) -> AppContext:
    return AppContext.open(path, clock=lambda: TODAY)


def add_units(n: int, *, prefix: str = "派出所", minors: bool = True, seed: int = 0) -> list[Unit]:
    """``n`` invented units of this office with a consultation (naming an invented minor)."""
    office = this_office()
    region = Region.get(Region.owner_office == office)
    ptype = PoliceType.get(PoliceType.code == "zhian")
    out = []
    with acting_as("测试民警"), database.atomic():
        for i in range(n):
            name = f"{region.name}公安局{prefix}{seed}-{i}"
            unit = Unit.create(owner_office=office, name=name, name_key=name, region=region,
                               police_type=ptype, head_name=f"负责人{i}")
            Consultation.create(owner_office=office, unit=unit, kind="consultation",
                                received_on=TODAY, channel="电话", content=f"咨询{i}",
                                minor_name="李小明" if minors else "",
                                minor_id_no="320600201001011234" if minors else "")
            cb = CoBuilding.create(owner_office=office, unit=unit, township="城东镇", village=f"村{i}")
            CoBuildingHelp.create(owner_office=office, cobuilding=cb, on=TODAY, youth_group="闲散青少年",
                                  help_kind="心理疏导", minor_name="王小红" if minors else "")
            out.append(unit)
    return out


def add_title(unit: Unit, level: int = 2) -> Title:
    with acting_as("测试民警"):
        return Title.create(owner_office=this_office(), unit=unit, level=level, term_start=2025,
                            status="valid", unit_name=unit.name, named_on=TODAY)


def logical_dump(path: Path, *, ignore_local: bool = True) -> dict:
    """uuid-keyed content of every travelling table (local ids replaced by uuids)."""
    from wqg_desktop.exchange import codec

    con = sqlite3.connect(path)
    try:
        out: dict = {}
        office = dict(con.execute("SELECT id, uuid FROM office").fetchall())
        maps = {}
        for model in codec.synced_models():
            maps[model] = dict(con.execute(f'SELECT id, uuid FROM "{model._meta.table_name}"').fetchall())
        for model in codec.synced_models():
            flds = codec.fields_of(model)
            cols = ", ".join(f'"{f.column_name}"' for f in flds)
            rows = {}
            for row in con.execute(f'SELECT {cols} FROM "{model._meta.table_name}"'):
                rec = {}
                for f, v in zip(flds, row, strict=True):
                    target = codec.fk_target(f)
                    if target is Office:
                        v = office.get(v)
                    elif target is not None:
                        v = maps.get(target, {}).get(v)
                    rec[f.name] = v
                rows[rec["uuid"]] = rec
            out[model.__name__] = rows
        return out
    finally:
        con.close()


def file_digest(path: Path) -> str:
    """Hash of the database file and its WAL (both must be unchanged)."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        p = path.with_name(path.name + suffix)
        digest.update(p.read_bytes() if p.exists() else b"-")
    return digest.hexdigest()


def office_uuid(name: str) -> str:
    return reference.reference_uuid("office", name)


#: Property tests: bounded by default, more with WQG_HYPOTHESIS_PROFILE=big.
BIG = os.environ.get("WQG_HYPOTHESIS_PROFILE") == "big"
pkg_settings = settings(max_examples=150 if BIG else 5, deadline=None,
                        # each example builds databases: shrinking would take minutes
                        phases=[Phase.explicit, Phase.reuse, Phase.generate],
                        suppress_health_check=[HealthCheck.function_scoped_fixture,
                                               HealthCheck.too_slow])


@pytest.fixture(scope="session")
def pkg_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A city office and two county offices below it, each with its keys; the counties hold
    the city's public key (so their packages go up to it and seal minors' data to it)."""
    from wqg_desktop.exchange import keys

    folder = tmp_path_factory.mktemp("pkg-templates")
    city = new_office(folder / "city.sqlite3", "市", "南通市公安局", "南通市", "320600")
    with bind(city):
        keys.ensure_identity()
        key = keys.write_key_file(folder / "city.key")
    out = {"city": city, "city_key": folder / "city.key"}
    for label, name in (("a", "海安市公安局"), ("b", "如东县公安局")):
        region, code = COUNTIES[name]
        path = new_office(folder / f"county_{label}.sqlite3", "县", name, region, code)
        with bind(path):
            keys.ensure_identity()
            keys.trust_key(office_uuid=key.office_uuid, office_name=key.office_name, level=key.level,
                           sign_public=key.sign_public, box_public=key.box_public)
        out[label] = path
    return out


def copy_db(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, target)
    return target


# -- tests of the pieces -----------------------------------------------------------------------

def test_fingerprint_is_six_groups_of_five_digits() -> None:
    from wqg_desktop.exchange import keys

    fp = keys.fingerprint(keys.b64(b"\x01" * 32), keys.b64(b"\x02" * 32))
    groups = fp.split(" ")
    assert len(groups) == 6 and all(len(g) == 5 and g.isdigit() for g in groups)
    assert fp != keys.fingerprint(keys.b64(b"\x01" * 32), keys.b64(b"\x03" * 32))


def test_sealed_value_opens_only_for_its_record(pkg_templates, tmp_path) -> None:
    from wqg_desktop.exchange import keys

    city = copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(city):
        ident = keys.ensure_identity()
        sealer = keys.Sealer(ident.box_public)
        sealed = sealer.seal("11111111-1111-4111-8111-111111111111", {"minor_name": "李小明"})
        opener = keys.Opener(sealer.ephemeral_public)
        assert opener.open("11111111-1111-4111-8111-111111111111", sealed) == {"minor_name": "李小明"}
        # moved to another record, it does not open
        assert opener.open("22222222-2222-4222-8222-222222222222", sealed) is None
        assert "李小明" not in sealed


def test_codec_refuses_wrong_types() -> None:
    from wqg_desktop.exchange import codec
    from wqg_desktop.exchange.manifest import PackageRefused

    fields = {f.name: f for f in codec.fields_of(Unit)}
    assert codec.check_json(Unit, fields["online"], True) is True
    for name, bad in (("online", 1), ("founded_on", "2026-13-01"), ("name", 5), ("name", None),
                      ("region", "not-a-uuid")):
        with pytest.raises(PackageRefused):
            codec.check_json(Unit, fields[name], bad)
