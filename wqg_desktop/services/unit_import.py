"""Importing units from an .xlsx: preview first, then all good rows in one transaction.

The officer's spreadsheet may be a full register (单位名称, 所属县(市、区), 所属公安局, 警种,
负责人, 联系电话…) or just a numbered list pasted from a notice (``1、海门市公安局三阳派出所``).
Missing counties, bureaus and police types are guessed from the name; every guess is shown in
the preview with where it came from and can be overridden per row.

Matching and idempotence: a row is the existing unit with the same county and the same
:func:`~wqg_desktop.domain.chinese.normalize_name_key` of its current name or of any earlier
name (so ``海门市公安局三阳派出所`` finds today's 海门区公安局三阳派出所). For a matched unit
only the cells the file fills in are compared — empty cells and guesses never overwrite what
the register holds — and the unit is **updated** when one of them differs, **unchanged**
(skipped) otherwise. Importing the same file twice therefore changes nothing the second time.
Two rows of one file naming the same unit (look-alike spellings included) are a bad row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from wqg_desktop.db.dialect import rows_by_key
from wqg_desktop.db.models import Bureau, PoliceType, Region, Unit, UnitName, database
from wqg_desktop.domain import date_rules
from wqg_desktop.domain.chinese import format_date, normalize_name_key
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import office as office_service
from wqg_desktop.services.bulk import no_gc_pauses
from wqg_desktop.services.field_parsing import (
    clean_text,
    parse_date,
    parse_phone,
    parse_yes_no,
    strip_numbering,
)
from wqg_desktop.services.sheet_reader import FieldSpec, Sheet, column_name, read_sheet
from wqg_desktop.services.unit_guess import Guess, Resolver, guess_unit_kind

UNIT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "单位名称", ("单位", "名称", "单位全称", "创建单位", "基层单位", "单位名"), True),
    FieldSpec("region", "所属县(市、区)", ("县市区", "所属县市区", "县(市、区)", "地区", "所属地区",
                                         "县(市)区", "所属县(市)区", "县区", "所属县区")),
    FieldSpec("bureau", "所属公安局", ("公安局", "所属分局", "所属公安(分)局", "公安(分)局", "上级单位")),
    FieldSpec("police_type", "警种", ("所属警种",)),
    FieldSpec("unit_kind", "单位类别", ("类别", "单位类型", "类型")),
    FieldSpec("head_name", "负责人", ("负责人姓名", "姓名")),
    FieldSpec("head_post", "职务", ("负责人职务",)),
    FieldSpec("head_phone", "联系电话", ("电话", "负责人电话", "手机", "联系方式")),
    FieldSpec("rights_hotline", "维权电话", ("维权热线",)),
    FieldSpec("address", "地址", ("单位地址", "办公地址")),
    FieldSpec("online", "是否上线", ("维权在线", "青少年维权在线", "上线", "是否上线青少年维权在线")),
    FieldSpec("online_since", "上线时间", ("上线日期",)),
    FieldSpec("note", "备注", ("说明",)),
    FieldSpec("seq", "序号", ("编号", "No", "No.")),
)
LABELS = {f.key: f.label for f in UNIT_FIELDS}
#: Columns copied onto the unit as text, with their longest allowed length.
_TEXT_LIMITS = {"name": 120, "unit_kind": 30, "head_name": 50, "head_post": 50, "address": 200,
                "note": 2000}
#: A row whose name starts like this is the template's example and is skipped.
EXAMPLE_MARK = "【示例】"


@dataclass
class RowPlan:
    """One spreadsheet row as the preview shows it and the import applies it."""

    row: int
    name: str = ""
    #: :func:`normalize_name_key` of the name (set for rows that are not bad when matched)
    name_key: str = ""
    #: field → value as it will be stored, shown as text
    values: dict[str, str] = field(default_factory=dict)
    #: field → how the value was guessed (shown, correctable through overrides)
    guesses: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    #: "new", "update", "unchanged" or "bad"
    action: str = "new"
    unit_id: int | None = None
    #: field → (before, after) for an update
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    # resolved references (ids) and values to store
    region_id: int | None = None
    new_region: str = ""
    bureau_id: int | None = None
    new_bureau: str = ""
    police_type_id: int | None = None
    store: dict[str, object] = field(default_factory=dict)

    @property
    def bad(self) -> bool:
        return bool(self.errors)

    def describe(self) -> str:
        return f"第 {self.row} 行" + (f"（{self.name}）" if self.name else "") + "：" + "；".join(
            self.errors)


@dataclass
class ImportPlan:
    sheet: Sheet
    rows: list[RowPlan]
    #: unit id → the existing unit a row was compared with, as read while planning
    units: dict[int, Unit] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {"new": 0, "update": 0, "unchanged": 0, "bad": 0}
        for row in self.rows:
            out[row.action] += 1
        return out

    @property
    def bad_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.bad]


@dataclass
class ImportResult:
    counts: dict[str, int]
    bad: list[str]
    created_regions: list[str]
    created_bureaus: list[str]
    dry_run: bool = False

    def summary(self) -> str:
        c = self.counts
        text = (f"新增 {c['new']} 个单位，更新 {c['update']} 个，未变 {c['unchanged']} 个，"
                f"有误 {c['bad']} 行")
        if self.created_regions:
            text += "；新建县(市、区)：" + "、".join(self.created_regions)
        return text + ("（试运行，没有写入）" if self.dry_run else "") + "。"


Overrides = Mapping[int, Mapping[str, str]]


@no_gc_pauses()
def read_units(path: Path | str, *, mapping: dict[int, str | None] | None = None) -> Sheet:
    """Read the sheet and map its headers (refuses unreadable files in Chinese)."""
    return read_sheet(path, UNIT_FIELDS, mapping=mapping)


class _Lookups(Resolver):
    """The resolver, and the readers of cell texts, remembering what they made of each text
    for one plan: a register repeats its few counties, bureaus, police types, posts and dates
    down the rows, and each look-up of a bureau goes through every bureau name. (A refusal
    is not remembered: it is made again, word for word.)"""

    def __init__(self, office) -> None:  # type: ignore[no-untyped-def]
        super().__init__(office)
        self._found: dict[tuple[str, str], object] = {}
        self.clean = lru_cache(maxsize=8192)(clean_text)
        self.date = lru_cache(maxsize=1024)(parse_date)
        self.yes_no = lru_cache(maxsize=256)(parse_yes_no)

    def _once(self, look_up: Callable[[str], object], text: str) -> Any:
        key = (look_up.__name__, text)
        if key not in self._found:
            self._found[key] = look_up(text)
        return self._found[key]

    def region_by_name(self, text: str) -> Guess:
        return self._once(super().region_by_name, text)

    def bureau_by_name(self, text: str) -> Guess:
        return self._once(super().bureau_by_name, text)

    def police_by_name(self, text: str) -> PoliceType | None:
        return self._once(super().police_by_name, text)


@no_gc_pauses()  # the import dialog's preview plans a whole file too
def plan_units(sheet: Sheet, *, overrides: Overrides | None = None,
               today: dt.date | None = None) -> ImportPlan:
    """What importing ``sheet`` would do, row by row, without writing anything."""
    today = today or dt.date.today()
    office = office_service.this_office()
    if office is None:
        raise InputRefused("请先设置本办公室，再导入单位。")
    resolver = _Lookups(office)
    columns = list(sheet.field_columns().items())
    seen: dict[tuple[object, str], int] = {}
    keyed: list[tuple[RowPlan, str]] = []  # good rows and their name keys, matched below
    plans: list[RowPlan] = []
    for number, cells in sheet.rows:
        raw = {key: cells[col].text if col < len(cells) else "" for key, col in columns}
        formula = [LABELS[key] for key, col in columns
                   if col < len(cells) and cells[col].formula_without_value]
        raw.pop("seq", None)
        fixes = dict(overrides.get(number, {})) if overrides else {}
        if fixes:
            raw.update({k: v for k, v in fixes.items() if k in LABELS})
        name = clean_text(strip_numbering(raw.get("name", "")))
        if name.startswith(EXAMPLE_MARK) or not (name or any(v.strip() for v in raw.values())):
            continue  # the template's example, or a row holding only a 序号
        plan = RowPlan(row=number, name=name)
        if formula:
            plan.errors.append("、".join(formula) + " 是公式，但文件中没有保存计算结果：请在 Excel 中"
                               "打开并保存，或把公式改成数值")
        _plan_row(plan, raw, fixes, resolver, today)
        if not plan.bad:
            plan.name_key = normalize_name_key(name)
            key = (plan.region_id or plan.new_region, plan.name_key)
            if key in seen:
                plan.errors.append(f"与第 {seen[key]} 行是同一单位（名称相同，或只差全角/半角、空格）")
            else:
                seen[key] = number
                keyed.append((plan, key[1]))
        plans.append(plan)
    existing = _existing_keys({key for _plan, key in keyed})
    for plan, key in keyed:
        plan.unit_id = existing.get((plan.region_id, key))
    # one query per 900 matched units, not one per row
    matched = [p.unit_id for p in plans if p.unit_id is not None and not p.bad]
    units: dict[int, Unit] = {}
    for start in range(0, len(matched), 900):
        units.update({u.id: u for u in Unit.select().where(Unit.id.in_(matched[start:start + 900]))})
    for plan in plans:
        if not plan.bad:
            _match(plan, units.get(plan.unit_id) if plan.unit_id else None, office, resolver)
        plan.action = "bad" if plan.bad else plan.action
    return ImportPlan(sheet=sheet, rows=plans, units=units)


def _existing_keys(wanted: set[str] | None = None) -> dict[tuple[int, str], int]:
    """(region id, name key) → unit id, for current names and earlier names: of every unit,
    or only of those whose key is one of ``wanted`` (the file's names), looked up through the
    name_key index so that a file of 10,000 rows does not read a register of 100,000 units."""
    keys: dict[tuple[int, str], int] = {}
    if wanted is None:
        for unit_id, region_id, key in Unit.select(Unit.id, Unit.region, Unit.name_key).tuples():
            keys[(region_id, key)] = unit_id
    elif wanted:
        # bound directly (peewee would build one SQL node per value, 10,000 of them per file);
        # in id order, so that of two units with one key the newer one counts, as before
        found = rows_by_key(database, Unit._meta.table_name,
                            f'"id", "{Unit.region.column_name}", "name_key"', "name_key",
                            sorted(wanted))
        for unit_id, region_id, key in sorted(found):
            keys[(region_id, key)] = unit_id
    old = (UnitName.select(UnitName.unit, Unit.region, UnitName.name).join(Unit).tuples())
    for unit_id, region_id, name in old:
        key = normalize_name_key(name)
        if wanted is None or key in wanted:
            keys.setdefault((region_id, key), unit_id)
    return keys


def _plan_row(plan: RowPlan, raw: dict[str, str], fixes: Mapping[str, str],
              resolver: _Lookups, today: dt.date) -> None:
    name = plan.name
    if not name:
        plan.errors.append("缺少单位名称")
        return
    for key, limit in _TEXT_LIMITS.items():
        value = name if key == "name" else resolver.clean(raw.get(key, ""))
        if len(value) > limit:
            plan.errors.append(f"{LABELS[key]}过长（最多 {limit} 个字）")
        elif value:
            plan.values[key] = value
            plan.store[key] = value
    _plan_region(plan, raw, fixes, resolver)
    _plan_police(plan, raw, fixes, resolver)
    _plan_bureau(plan, raw, resolver)
    if "unit_kind" not in plan.values:
        kind = guess_unit_kind(name)
        if kind:
            plan.values["unit_kind"] = kind
            plan.guesses["unit_kind"] = "由单位名称推断"
    for key in ("head_phone", "rights_hotline"):
        try:
            phone = parse_phone(raw.get(key, ""), what=LABELS[key])
        except InputRefused as exc:
            plan.errors.append(exc.message)
            continue
        if phone:
            plan.values[key] = plan.store[key] = phone  # type: ignore[assignment]
    try:
        online = resolver.yes_no(raw.get("online", ""), what="是否上线")
        since = resolver.date(raw.get("online_since", ""), what="上线时间")
    except InputRefused as exc:
        plan.errors.append(exc.message)
        return
    if since is not None and since > today:
        plan.errors.append(f"上线时间 {since.isoformat()} 在今天之后")
    elif since is not None and since < date_rules.EARLIEST:  # as the unit dialog refuses it
        try:
            date_rules.check_happened(since, "上线时间", today=today)
        except InputRefused as exc:
            plan.errors.append(exc.message)
    if since is not None and online is None:
        online = True
    if online is not None:
        plan.values["online"] = "是" if online else "否"
        plan.store["online"] = online
    if since is not None:
        plan.values["online_since"] = since.isoformat()
        plan.store["online_since"] = since


def _plan_region(plan: RowPlan, raw: dict[str, str], fixes: Mapping[str, str],
                 resolver: _Lookups) -> None:
    text = resolver.clean(raw.get("region", ""))
    if text:
        found = resolver.region_by_name(text)
        if found.value is None and not found.new_name:
            own = resolver.own_region.name if resolver.own_region else ""
            plan.errors.append(found.note or (
                f"“{text}”不是本办公室辖区内的县(市、区)" + (f"（本办公室为{own}）" if own else "")))
            return
        if found.note and "region" not in fixes:
            plan.guesses["region"] = found.note
    else:
        found = resolver.guess_region(plan.name)
        if found.value is None and not found.new_name:
            plan.errors.append(found.note or "无法从单位名称判断所属县(市、区)，请在预览中指定，"
                               "或在表格中加一列“所属县(市、区)”")
            return
        plan.guesses["region"] = found.note
    if found.value is not None:
        region: Region = found.value  # type: ignore[assignment]
        plan.region_id = region.id
        plan.values["region"] = region.name
    else:
        plan.new_region = found.new_name
        plan.values["region"] = found.new_name


def _plan_police(plan: RowPlan, raw: dict[str, str], fixes: Mapping[str, str],
                 resolver: _Lookups) -> None:
    text = resolver.clean(raw.get("police_type", ""))
    if text:
        police = resolver.police_by_name(text)
        if police is None:
            names = "、".join(p for p in resolver.police)
            plan.errors.append(f"没有“{text}”这个警种（可选：{names}）")
            return
    else:
        found = resolver.guess_police(plan.name)
        police = found.value  # type: ignore[assignment]
        if police is None:
            plan.errors.append("无法判断警种，请在表格中加一列“警种”")
            return
        plan.guesses["police_type"] = found.note
    plan.police_type_id = police.id
    plan.values["police_type"] = police.name
    plan.store["_police_retired"] = bool(police.retired_on)
    if police.retired_on:
        plan.store["_police_retired_text"] = (
            f"警种“{police.name}”已于{format_date(police.retired_on)}撤出公安机关"
            f"（{police.retired_reason or '已撤出'}），不能新建该警种的单位；"
            "原有单位及其称号仍保留在名册中")


def _plan_bureau(plan: RowPlan, raw: dict[str, str], resolver: _Lookups) -> None:
    text = resolver.clean(raw.get("bureau", ""))
    found = resolver.bureau_by_name(text) if text else resolver.guess_bureau(plan.name)
    if found.value is not None:
        bureau: Bureau = found.value  # type: ignore[assignment]
        plan.bureau_id = bureau.id
        plan.values["bureau"] = bureau.name
        if not text or found.note:
            plan.guesses["bureau"] = found.note or "由单位名称推断"
    elif found.new_name:
        if len(found.new_name) > 100:
            plan.errors.append("所属公安局名称过长（最多 100 个字）")
            return
        plan.new_bureau = found.new_name
        plan.values["bureau"] = found.new_name
        plan.guesses["bureau"] = found.note
    if text:
        plan.store["_bureau_given"] = True


_COMPARED = ("unit_kind", "head_name", "head_post", "head_phone", "rights_hotline", "address",
             "online", "online_since", "note")


def _match(plan: RowPlan, unit: Unit | None, office,  # type: ignore[no-untyped-def]
           resolver: Resolver) -> None:
    if unit is None:
        plan.unit_id = None
        if plan.store.get("_police_retired"):
            plan.errors.append(str(plan.store["_police_retired_text"]))
            return
        plan.action = "new"
        return
    if unit.name != plan.name:
        plan.guesses["name"] = f"对应到现有单位“{unit.name}”"
    changes: dict[str, tuple[str, str]] = {}
    for key in _COMPARED:
        if key not in plan.store:
            continue
        before, after = getattr(unit, key), plan.store[key]
        if before != after:
            changes[key] = (_show(before), _show(after))
    if "police_type" not in plan.guesses and plan.police_type_id != unit.police_type_id:
        changes["police_type"] = (resolver.police_name(unit.police_type_id), plan.values["police_type"])
    if plan.store.get("_bureau_given") and (plan.bureau_id != unit.bureau_id or plan.new_bureau):
        bureau = resolver.bureau_rows.get(unit.bureau_id)
        before = bureau.name if bureau is not None else ""
        changes["bureau"] = (before, plan.values.get("bureau", ""))
    if not changes:
        plan.action = "unchanged"
        return
    if unit.owner_office_id != office.id:
        owner = unit.owner_office.name if unit.owner_office_id else "其他办公室"
        plan.errors.append(f"现有单位“{unit.name}”由{owner}维护，本办公室不能修改"
                           f"（不同之处：{'、'.join(LABELS.get(k, k) for k in changes)}）")
        return
    plan.action = "update"
    plan.changes = changes


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def import_units(sheet: Sheet, *, overrides: Overrides | None = None, skip_bad: bool = False,
                 dry_run: bool = False, today: dt.date | None = None) -> ImportResult:
    """Import the good rows of ``sheet`` in one transaction, or nothing.

    With bad rows and without ``skip_bad`` nothing is written and :class:`InputRefused` lists
    every bad row (``details["bad"]``). The plan is made again inside the transaction, so what
    is written matches the database at that moment. Run inside ``ctx.acting(...)``.
    """
    today = today or dt.date.today()
    with no_gc_pauses(), database.atomic() as transaction:
        plan = plan_units(sheet, overrides=overrides, today=today)
        bad = [r.describe() for r in plan.bad_rows]
        if bad and not skip_bad:
            raise InputRefused(
                f"“{sheet.path.name}”有 {len(bad)} 行有误，整个文件没有导入：\n" + "\n".join(bad)
                + "\n请改正后重新导入，或选择只导入正确的行。",
                details={"counts": plan.counts(), "bad": bad})
        result = ImportResult(counts=plan.counts(), bad=bad, created_regions=[],
                              created_bureaus=[], dry_run=dry_run)
        if not dry_run:
            _apply(plan, result, today)
        else:
            transaction.rollback()
    return result


def _apply(plan: ImportPlan, result: ImportResult, today: dt.date) -> None:
    from wqg_desktop.services.unit_import_write import write_plan

    write_plan(plan, result, today)


def preview_file(path: Path | str, *, mapping: dict[int, str | None] | None = None,
                 overrides: Overrides | None = None, today: dt.date | None = None) -> ImportPlan:
    """Read and plan in one call (command line, tests)."""
    return plan_units(read_units(path, mapping=mapping), overrides=overrides, today=today)


def column_letters(sheet: Sheet) -> list[str]:
    return [column_name(i) for i in range(len(sheet.headers))]

