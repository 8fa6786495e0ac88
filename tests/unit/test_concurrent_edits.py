"""Two officers editing one record: the second save is refused with what the first changed,
nothing is overwritten, and the others' screens learn which kinds of records changed."""

from __future__ import annotations

import pytest

from wqg_desktop.db.models import AuditLog, Consultation, Region, Unit, acting_as
from wqg_desktop.db.models.base import StaleRecord, unchanged_since, version_stamp
from wqg_desktop.db.stale import stamp_of
from wqg_desktop.services import units
from wqg_desktop.services.changes import ChangeWatcher
from wqg_desktop.services.units import UnitFields


def _unit(ctx, name: str = "海安市公安局城南派出所") -> Unit:
    region = Region.select().first()
    with ctx.acting("新增"):
        return units.create_unit(UnitFields(name=name, region_id=region.id, police_type_id=1),
                                 today=ctx.today())


def _dc_replace(unit: Unit, **changes: object) -> UnitFields:
    import dataclasses

    return dataclasses.replace(units.fields_of(Unit.get_by_id(unit.id)), **changes)


def test_a_save_after_someone_elses_is_refused_and_says_what_they_changed(ctx) -> None:
    unit = _unit(ctx)
    mine = version_stamp(Unit.get_by_id(unit.id))  # my form opens
    with acting_as("李四（lisi）", "修改单位"):  # another officer saves first
        units.update_unit(unit.id, _dc_replace(unit, head_name="王五", address="城南路1号"),
                          today=ctx.today())
    audit_rows = AuditLog.select().count()
    with pytest.raises(StaleRecord) as refused, ctx.acting("修改单位", unchanged=mine):
        units.update_unit(unit.id, _dc_replace(unit, head_name="赵六"), today=ctx.today())
    message = str(refused.value)
    assert "李四（lisi）" in message and "负责人" in message and "王五" in message
    assert "保存未生效" in message and "对方的改动" in message
    now = Unit.get_by_id(unit.id)
    assert now.head_name == "王五" and now.address == "城南路1号"  # not overwritten
    assert AuditLog.select().count() == audit_rows  # and nothing half-written


def test_a_form_loaded_after_the_change_saves(ctx) -> None:
    unit = _unit(ctx)
    units.update_unit(unit.id, _dc_replace(unit, head_name="王五"), today=ctx.today())
    fresh = version_stamp(Unit.get_by_id(unit.id))
    with ctx.acting("修改单位", unchanged=fresh):
        units.update_unit(unit.id, _dc_replace(unit, head_name="赵六"), today=ctx.today())
    assert Unit.get_by_id(unit.id).head_name == "赵六"
    # the same stamp a second time is stale: the form must be reopened first
    with pytest.raises(StaleRecord), ctx.acting("修改单位", unchanged=fresh):
        units.update_unit(unit.id, _dc_replace(unit, head_name="钱七"), today=ctx.today())


def test_a_stale_row_object_cannot_overwrite_a_newer_save(ctx) -> None:
    unit = _unit(ctx)
    first, second = Unit.get_by_id(unit.id), Unit.get_by_id(unit.id)
    second.address = "新地址"
    second.save()
    first.note = "旧窗口里的备注"
    with pytest.raises(StaleRecord):
        first.save()
    now = Unit.get_by_id(unit.id)
    assert now.address == "新地址" and now.note == "" and now.row_version == second.row_version
    assert first.row_version == second.row_version - 1  # the refused save left it as loaded


def test_a_deleted_record_is_reported_as_deleted(ctx) -> None:
    unit = _unit(ctx)
    stale = Unit.get_by_id(unit.id)
    Unit.delete().where(Unit.id == unit.id).execute()
    stale.note = "x"
    with pytest.raises(StaleRecord, match="已被其他人删除"):
        stale.save()


def test_stamps_by_uuid_for_the_record_forms(ctx) -> None:
    assert stamp_of("Consultation", None) is None
    assert stamp_of(Consultation, "no-such-uuid") is None
    unit = _unit(ctx)
    assert stamp_of("Unit", unit.uuid) == ("Unit", unit.uuid, unit.row_version)
    with unchanged_since(None):  # a new record's form has no stamp
        _unit(ctx, "海安市公安局城北派出所")


def test_the_watcher_names_the_kinds_others_changed(ctx) -> None:
    watcher = ChangeWatcher()
    assert watcher.poll() == set()
    unit = _unit(ctx)
    assert watcher.poll() == {"Unit"}
    assert watcher.poll() == set()
    units.update_unit(unit.id, _dc_replace(unit, head_name="王五"), today=ctx.today())
    assert "Unit" in watcher.poll()
