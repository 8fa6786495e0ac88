"""Reorganisation: merging and splitting units, renaming and merging counties and bureaus,
retiring a police type. History is always kept: nothing here deletes a record.

Which titles go with a unit through a merge or split is the officer's explicit choice; a
title that is not carried stays with the unit that earned it (now merged or split away).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from wqg_desktop.db.models import (
    Bureau,
    BureauName,
    PoliceType,
    Region,
    RegionName,
    Title,
    Unit,
    UnitLineage,
    database,
)
from wqg_desktop.domain import date_rules
from wqg_desktop.domain.chinese import format_date, normalize_name_key
from wqg_desktop.domain.statuses import TitleKind, UnitStatus
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.services.office import this_office
from wqg_desktop.services.units import (
    UnitFields,
    clean_name,
    create_unit,
    get_unit,
    require_own,
)


def _require_active(unit: Unit) -> None:
    if unit.status != UnitStatus.ACTIVE:
        raise RuleViolation(f"“{unit.name}”已{UnitStatus(unit.status).label}，不能再合并或拆分。")


def _move_titles(title_ids: list[int], source: Unit, target: Unit) -> list[str]:
    """Move the chosen titles of ``source`` to ``target``; return their uuids."""
    moved = []
    for tid in title_ids:
        title = Title.get_or_none(Title.id == tid)
        if title is None or title.unit_id != source.id:
            raise InputRefused("所选称号不属于被合并（拆分）的单位，请重新选择。")
        require_own(title, "称号")
        clash = Title.get_or_none(Title.unit == target, Title.level == title.level,
                                  Title.term_start == title.term_start, Title.kind == title.kind)
        if clash is not None:
            raise RuleViolation(f"“{target.name}”已有同一层级、同一年度的"
                                f"“{TitleKind(title.kind).label}”称号，不能再转入一个。")
        title.unit = target  # unit_name keeps the name on the naming date
        title.save()
        moved.append(title.uuid)
    return moved


def merge_units(*, absorbed_id: int, into_id: int, on: dt.date, carry_title_ids: list[int],
                note: str = "", today: dt.date | None = None) -> UnitLineage:
    """合并: ``absorbed`` goes into ``into`` on ``on``. The chosen titles of ``absorbed``
    move to ``into``; the others stay on record with ``absorbed``, which is marked 已合并."""
    if absorbed_id == into_id:
        raise InputRefused("不能把单位合并到它自己，请选择另一个单位。")
    if on is None:
        raise InputRefused("请填写合并日期。")
    date_rules.check_register_day(on, "合并日期", today=today)
    with database.atomic():
        absorbed, into = get_unit(absorbed_id), get_unit(into_id)
        for unit in (absorbed, into):
            require_own(unit, "单位")
            _require_active(unit)
        carried = _move_titles(carry_title_ids, absorbed, into)
        absorbed.status, absorbed.closed_on = UnitStatus.MERGED, on
        absorbed.save()
        _end_candidacies(absorbed, on, f"单位于{format_date(on)}并入{into.name}")
        return UnitLineage.create(owner_office=this_office(), source=absorbed, target=into,
                                  kind="merge", on=on, titles_carried=json.dumps(carried),
                                  note=note.strip())


def _end_candidacies(unit: Unit, on: dt.date, reason: str) -> None:
    """A unit that no longer exists leaves the campaigns it was in (review and naming would
    refuse it anyway); candidacies this office may not end stay for their office."""
    from wqg_desktop.services.campaigns import withdraw_unit_candidacies  # engine owns the step

    withdraw_unit_candidacies(unit=unit, today=on, reason=reason)


@dataclass
class SplitPart:
    """One unit that comes out of a split, with the titles of the old unit it carries."""

    name: str
    police_type_id: int | None = None
    unit_kind: str = ""
    carry_title_ids: list[int] = field(default_factory=list)


def split_unit(*, unit_id: int, on: dt.date, parts: list[SplitPart], note: str = "",
               today: dt.date) -> list[Unit]:
    """拆分: the unit becomes two or more new units from ``on``; each part gets the titles
    chosen for it (a title goes to one part at most), and the old unit is marked 已拆分."""
    if on is None:
        raise InputRefused("请填写拆分日期。")
    date_rules.check_register_day(on, "拆分日期", today=today)
    if len(parts) < 2:
        raise InputRefused("拆分至少要有两个新单位；只是改名请用“更名”。")
    chosen = [tid for p in parts for tid in p.carry_title_ids]
    if len(chosen) != len(set(chosen)):
        raise InputRefused("同一个称号只能由一个新单位承继，请检查勾选。")
    keys = [normalize_name_key(clean_name(p.name)) for p in parts]
    if len(keys) != len(set(keys)):
        raise InputRefused("拆分出的新单位名称不能相同。")
    with database.atomic():
        old = get_unit(unit_id)
        require_own(old, "单位")
        _require_active(old)
        # Marked first: a part may keep the old name, and only active units clash by name.
        old.status, old.closed_on = UnitStatus.SPLIT, on
        old.save()
        _end_candidacies(old, on, f"单位于{format_date(on)}拆分")
        made = []
        for part in parts:
            unit = create_unit(UnitFields(
                name=part.name, region_id=old.region_id,
                police_type_id=part.police_type_id or old.police_type_id,
                bureau_id=old.bureau_id, unit_kind=part.unit_kind or old.unit_kind,
                note=f"由“{old.name}”于{format_date(on)}拆分设立"), today=today)
            carried = _move_titles(part.carry_title_ids, old, unit)
            UnitLineage.create(owner_office=this_office(), source=old, target=unit, kind="split",
                               on=on, titles_carried=json.dumps(carried), note=note.strip())
            made.append(unit)
    return made


# ---------------------------------------------------------------------------------------------
# Counties (regions) and bureaus
# ---------------------------------------------------------------------------------------------

def _region(region_id: int) -> Region:
    region = Region.get_or_none(Region.id == region_id)
    if region is None:
        raise NotFound("找不到这个县(市、区)，请刷新后重试。")
    return region


def rename_region(region_id: int, *, new_name: str, on: dt.date, note: str = "",
                  today: dt.date | None = None) -> Region:
    """更名 (海安县 → 海安市): the old name is kept until ``on`` for documents of earlier dates."""
    name = "".join((new_name or "").split())
    if not name:
        raise InputRefused("请填写新的名称，例如“海安市”。")
    if on is None:
        raise InputRefused("请填写更名日期。")
    date_rules.check_register_day(on, "更名日期", today=today)
    with database.atomic():
        region = _region(region_id)
        require_own(region, "县(市、区)")
        if name == region.name:
            raise InputRefused("新名称与现名称相同。")
        if Region.get_or_none(Region.name == name, Region.parent == region.parent_id,
                              Region.id != region.id, Region.merged_into.is_null()):
            raise RuleViolation(f"已有名为“{name}”的县(市、区)；两地合并请用“合并”。")
        RegionName.create(owner_office=this_office(), region=region, name=region.name,
                          valid_to=on, note=note.strip() or "行政区划调整更名")
        region.name = name
        region.save()
    return region


def merge_region(region_id: int, *, into_id: int, on: dt.date,
                 today: dt.date | None = None) -> int:
    """合并 (港闸区 → 崇川区): the region points at the one it went into, and its units move
    there. Returns the number of units moved. The old region stays for the history."""
    if region_id == into_id:
        raise InputRefused("不能把县(市、区)并入它自己。")
    if on is None:
        raise InputRefused("请填写合并日期。")
    date_rules.check_register_day(on, "合并日期", today=today)
    with database.atomic():
        region, into = _region(region_id), _region(into_id)
        require_own(region, "县(市、区)")
        if region.merged_into_id is not None:
            raise RuleViolation(f"{region.name}已经并入其他县(市、区)。")
        if into.merged_into_id is not None:
            raise RuleViolation(f"{into.name}本身已被合并，请选择现在的县(市、区)。")
        clash = (Unit.select(Unit.name).where(
            Unit.region == region,
            Unit.name_key.in_(Unit.select(Unit.name_key).where(Unit.region == into))).first())
        if clash is not None:
            raise RuleViolation(f"两地都有名为“{clash.name}”的单位，合并后会重名；请先为其中一个更名。")
        region.merged_into, region.merged_on = into, on
        region.save()
        moved = 0
        for unit in Unit.select().where(Unit.region == region):
            unit.region = into
            unit.save()
            moved += 1
    return moved


def _bureau(bureau_id: int) -> Bureau:
    bureau = Bureau.get_or_none(Bureau.id == bureau_id)
    if bureau is None:
        raise NotFound("找不到这个公安局/分局，请刷新后重试。")
    return bureau


def rename_bureau(bureau_id: int, *, new_name: str, on: dt.date, note: str = "",
                  today: dt.date | None = None) -> Bureau:
    """更名 (海安县公安局 → 海安市公安局), keeping the old name until ``on``."""
    name = "".join((new_name or "").split())
    if not name:
        raise InputRefused("请填写新的名称，例如“海安市公安局”。")
    if on is None:
        raise InputRefused("请填写更名日期。")
    date_rules.check_register_day(on, "更名日期", today=today)
    with database.atomic():
        bureau = _bureau(bureau_id)
        require_own(bureau, "公安局/分局")
        if name == bureau.name:
            raise InputRefused("新名称与现名称相同。")
        if Bureau.get_or_none(Bureau.name == name, Bureau.id != bureau.id):
            raise RuleViolation(f"已有名为“{name}”的公安局/分局；两局合并请用“合并”。")
        BureauName.create(owner_office=this_office(), bureau=bureau, name=bureau.name,
                          valid_to=on, note=note.strip() or "随行政区划调整更名")
        bureau.name = name
        bureau.save()
    return bureau


def merge_bureau(bureau_id: int, *, into_id: int, on: dt.date,
                 today: dt.date | None = None) -> int:
    """合并 (港闸分局 → 崇川分局): units of the old bureau now belong to the other one."""
    if bureau_id == into_id:
        raise InputRefused("不能把公安局/分局并入它自己。")
    if on is None:
        raise InputRefused("请填写合并日期。")
    date_rules.check_register_day(on, "合并日期", today=today)
    with database.atomic():
        bureau, into = _bureau(bureau_id), _bureau(into_id)
        require_own(bureau, "公安局/分局")
        if bureau.merged_into_id is not None:
            raise RuleViolation(f"{bureau.name}已经并入其他公安局/分局。")
        bureau.merged_into, bureau.merged_on = into, on
        bureau.save()
        moved = 0
        for unit in Unit.select().where(Unit.bureau == bureau):
            unit.bureau = into
            unit.save()
            moved += 1
    return moved


# ---------------------------------------------------------------------------------------------
# Police types
# ---------------------------------------------------------------------------------------------

def retire_police_type(police_type_id: int, *, on: dt.date, reason: str,
                       today: dt.date | None = None) -> PoliceType:
    """撤出: no new units of this type from ``on``; its units and their records stay."""
    reason = (reason or "").strip()
    if not reason:
        raise InputRefused("请写明原因，例如“2018年消防部队改制，不再隶属公安机关”。")
    if on is None:
        raise InputRefused("请填写撤出日期。")
    date_rules.check_register_day(on, "撤出日期", today=today)
    with database.atomic():
        ptype = PoliceType.get_or_none(PoliceType.id == police_type_id)
        if ptype is None:
            raise NotFound("找不到这个警种。")
        require_own(ptype, "警种")
        if ptype.retired_on is not None:
            raise RuleViolation(f"警种“{ptype.name}”已于{format_date(ptype.retired_on)}撤出。")
        if ptype.code == "qita":
            raise RuleViolation("“其他”是兜底警种，不能撤出。")
        ptype.retired_on, ptype.retired_reason = on, reason
        ptype.save()
    return ptype


def add_police_type(name: str) -> PoliceType:
    """A police type the seven core ones and the seed's extra kinds do not cover."""
    name = "".join((name or "").split())
    if not name:
        raise InputRefused("请填写警种名称。")
    if len(name) > 30:
        raise InputRefused("警种名称过长（最多 30 个字）。")
    with database.atomic():
        if PoliceType.get_or_none(PoliceType.name == name):
            raise RuleViolation(f"已有警种“{name}”。")
        last = PoliceType.select().order_by(PoliceType.sort_order.desc()).first()
        return PoliceType.create(owner_office=this_office(), code=f"x-{normalize_name_key(name)}",
                                 name=name, core=False,
                                 sort_order=(last.sort_order + 1) if last else 100)
