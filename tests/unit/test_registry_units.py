"""Unit registry services: validation in Chinese, name and head history, commitments."""

from __future__ import annotations

import datetime as dt

import pytest

from wqg_desktop.db.models import AuditLog, Office, PoliceType, Region, Unit, UnitHead, UnitName
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import reference
from wqg_desktop.services import units as svc
from wqg_desktop.services.units import UnitFields, normalize_phone

TODAY = dt.date(2026, 11, 26)


def haian() -> Region:
    return Region.get(Region.name == "海安市")


def ptype(name: str = "治安") -> PoliceType:
    return PoliceType.get(PoliceType.name == name)


def make(name: str = "海安市公安局城北中心派出所", **kw) -> Unit:
    fields = UnitFields(name=name, region_id=kw.pop("region_id", haian().id),
                        police_type_id=kw.pop("police_type_id", ptype().id), **kw)
    return svc.create_unit(fields, today=TODAY)


@pytest.mark.parametrize("typed,stored", [
    ("13912345678", "13912345678"),
    ("139 1234 5678", "13912345678"),
    ("１３９１２３４５６７８", "13912345678"),
    ("0513-85020355", "0513-85020355"),
    ("0513 85020355", "0513-85020355"),
    ("(0513)85020355", "0513-85020355"),
    ("（0513）85020355", "0513-85020355"),
    ("051385020355", "0513-85020355"),
    ("025-8765432", "025-8765432"),
    ("0513-85020355转801", "0513-85020355转801"),
    ("12355", "12355"),
    ("110", "110"),
    ("12345", "12345"),
    ("", ""),
])
def test_phone_forms_accepted(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12912345678", "1391234567", "139123456789", "85020355",
                                   "0513-850", "abc", "999", "+1 555 0100", "0513-05020355"])
def test_phone_forms_refused_with_the_accepted_forms(typed: str) -> None:
    with pytest.raises(InputRefused) as err:
        normalize_phone(typed, what="维权电话")
    assert "维权电话" in err.value.message
    assert "0513-85020355" in err.value.message  # says which form would be accepted


def test_landline_without_area_code_is_told_to_add_it() -> None:
    with pytest.raises(InputRefused, match="缺少区号"):
        normalize_phone("85020355")


def test_required_fields_refused_in_chinese(ctx) -> None:
    with pytest.raises(InputRefused, match="单位名称"):
        svc.validate_unit(UnitFields(name="  ", region_id=haian().id, police_type_id=ptype().id))
    with pytest.raises(InputRefused, match="县\\(市、区\\)"):
        svc.validate_unit(UnitFields(name="某派出所", police_type_id=ptype().id))
    with pytest.raises(InputRefused, match="警种"):
        svc.validate_unit(UnitFields(name="某派出所", region_id=haian().id))
    with pytest.raises(InputRefused, match="负责人电话"):
        svc.validate_unit(UnitFields(name="某派出所", region_id=haian().id,
                                     police_type_id=ptype().id, head_phone="12345678"))


def test_create_stores_keys_pinyin_head_and_owner(ctx) -> None:
    with ctx.acting("测试"):
        unit = make("海安市公安局 城北中心派出所", head_name="丁测试", head_post="所长",
                    head_phone="139 0000 1111")
    unit = Unit.get_by_id(unit.id)
    assert unit.name == "海安市公安局城北中心派出所"
    assert unit.pinyin.startswith("hasgajcbzxpcs")
    assert unit.head_phone == "13900001111"
    assert unit.owner_office_id == ctx.office.id
    head = UnitHead.get(UnitHead.unit == unit)
    assert (head.name, head.since, head.until) == ("丁测试", TODAY, None)
    assert AuditLog.select().where(AuditLog.entity == "Unit", AuditLog.actor == ctx.actor).exists()


@pytest.mark.parametrize("twin", ["海安市公安局城北中心派出所", "海安市公安局 城北中心派出所",
                                  "海安市公安局城北中心派出所　", "海安市公安局城北\u200b中心派出所"])
def test_same_name_or_look_alike_in_same_region_refused(ctx, twin: str) -> None:
    make()
    with pytest.raises(RuleViolation, match="同一县\\(市、区\\)不能有两个同名单位"):
        make(twin)


def test_look_alike_with_full_width_brackets_refused(ctx) -> None:
    make("海安市公安局禁毒大队(一中队)")
    with pytest.raises(RuleViolation, match="几乎相同|同名"):
        make("海安市公安局禁毒大队（一中队）")


def test_same_name_in_another_region_is_fine(ctx) -> None:
    other = reference.ensure_region("如皋市", RegionKind.COUNTY, owner=ctx.office)
    make("城北派出所")
    assert make("城北派出所", region_id=other.id).region_id == other.id


def test_editing_a_unit_does_not_clash_with_itself(ctx) -> None:
    unit = make()
    f = svc.fields_of(unit)
    f.address = "海安市长江中路1号"
    assert svc.update_unit(unit.id, f, today=TODAY).address == "海安市长江中路1号"


def test_retired_police_type_takes_no_new_units_but_keeps_old(ctx) -> None:
    fire = ptype("消防")
    assert fire.retired_on is not None
    with pytest.raises(RuleViolation, match="消防.*撤出"):
        make("海安市公安消防大队", police_type_id=fire.id)
    # A unit of 2012 that already is 消防 can still be edited.
    old = Unit.create(name="海安县公安消防大队", name_key="海安县公安消防大队", region=haian(),
                      police_type=fire, owner_office=ctx.office)
    f = svc.fields_of(old)
    f.note = "2018年转隶"
    assert svc.update_unit(old.id, f, today=TODAY).note == "2018年转隶"
    # …but another unit cannot be moved into the retired type.
    unit = make()
    f = svc.fields_of(unit)
    f.police_type_id = fire.id
    with pytest.raises(RuleViolation, match="撤出"):
        svc.update_unit(unit.id, f, today=TODAY)


def test_head_change_closes_the_old_head_record(ctx) -> None:
    unit = make(head_name="丁一", head_phone="13900001111")
    f = svc.fields_of(unit)
    f.head_name, f.head_phone = "丁二", "13900002222"
    svc.update_unit(unit.id, f, today=TODAY + dt.timedelta(days=3))
    heads = list(UnitHead.select().where(UnitHead.unit == unit).order_by(UnitHead.id))
    assert [(h.name, h.until) for h in heads] == [("丁一", TODAY + dt.timedelta(days=3)),
                                                 ("丁二", None)]


def test_rename_keeps_history_and_unit_name_on(ctx) -> None:
    unit = make("海安县公安局城北派出所")
    svc.rename_unit(unit.id, new_name="海安市公安局城北派出所", on=dt.date(2018, 2, 12),
                    note="撤县设市")
    unit = Unit.get_by_id(unit.id)
    assert unit.name == "海安市公安局城北派出所"
    assert UnitName.get(UnitName.unit == unit).valid_to == dt.date(2018, 2, 12)
    assert svc.unit_name_on(unit, dt.date(2012, 8, 8)) == "海安县公安局城北派出所"
    assert svc.unit_name_on(unit, dt.date(2018, 2, 11)) == "海安县公安局城北派出所"
    assert svc.unit_name_on(unit, dt.date(2018, 2, 12)) == "海安市公安局城北派出所"
    svc.rename_unit(unit.id, new_name="海安市公安局城北中心派出所", on=dt.date(2021, 5, 1))
    unit = Unit.get_by_id(unit.id)
    assert svc.unit_name_on(unit, dt.date(2012, 8, 8)) == "海安县公安局城北派出所"
    assert svc.unit_name_on(unit, dt.date(2019, 1, 1)) == "海安市公安局城北派出所"
    assert svc.unit_name_on(unit, TODAY) == "海安市公安局城北中心派出所"
    with pytest.raises(RuleViolation, match="晚于上一次更名"):
        svc.rename_unit(unit.id, new_name="海安市公安局城北所", on=dt.date(2020, 1, 1))
    with pytest.raises(InputRefused, match="相同"):
        svc.rename_unit(unit.id, new_name="海安市公安局 城北中心派出所", on=TODAY)


def test_others_units_cannot_be_changed(ctx) -> None:
    other = Office.create(level=1, name="如皋市公安局")
    unit = make()
    Unit.update(owner_office=other).where(Unit.id == unit.id).execute()
    with pytest.raises(RuleViolation, match="如皋市公安局维护"):
        svc.update_unit(unit.id, svc.fields_of(Unit.get_by_id(unit.id)), today=TODAY)
    assert "如皋市公安局" in svc.ownership_problem(Unit.get_by_id(unit.id), "单位")


def test_commitment_saved_once_per_unit_with_checked_hotline(ctx) -> None:
    unit = make()
    c = svc.CommitmentFields(text="接警快速出警", hotline="(0513)88888888",
                             responsible_person="丁测试")
    first = svc.save_commitment(unit.id, c)
    assert first.hotline == "0513-88888888"
    c.text = "接警五分钟内出警"
    second = svc.save_commitment(unit.id, c)
    assert second.id == first.id and svc.current_commitment(unit.id).text == "接警五分钟内出警"
    with pytest.raises(InputRefused, match="服务承诺"):
        svc.save_commitment(unit.id, svc.CommitmentFields(text=" "))
    with pytest.raises(InputRefused, match="维权热线"):
        svc.save_commitment(unit.id, svc.CommitmentFields(text="x", hotline="8888"))
