"""Importing the titles units held before the program was installed (历年称号) from .xlsx.

Columns: 单位名称, 层级, 年度 (required), 命名单位, 命名日期, 发文字号, 证书编号, 示范单位,
牌匾状态, 状态, 备注, and optionally 所属县(市、区) when two counties have a unit of the same
name. Each good row becomes a :class:`Title` with its naming bodies, its :class:`Plaque` and a
``recorded`` :class:`TitleEvent`, so the ladder rule, re-reviews and coverage are right from the
first day. Same rules as the unit import: a preview, one transaction or nothing, and a title
already recorded (same unit, level, term and kind) is unchanged or updated, never doubled.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from wqg_desktop.db.models import Title, Unit, database
from wqg_desktop.domain import date_rules
from wqg_desktop.domain.chinese import normalize_name_key, parse_term
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import PlaqueState, TitleKind, TitleStatus
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import office as office_service
from wqg_desktop.services import units_titles
from wqg_desktop.services.field_parsing import clean_text, parse_date, parse_yes_no, strip_numbering
from wqg_desktop.services.sheet_reader import FieldSpec, Sheet, read_sheet
from wqg_desktop.services.unit_guess import Resolver
from wqg_desktop.services.unit_import import ImportPlan, ImportResult, RowPlan, _existing_keys

TITLE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "单位名称", ("单位", "名称", "单位全称"), True),
    FieldSpec("region", "所属县(市、区)", ("县市区", "所属县市区", "县(市、区)", "地区")),
    FieldSpec("level", "层级", ("级别", "称号层级", "命名层级"), True),
    FieldSpec("term", "年度", ("命名年度", "创建年度"), True),
    FieldSpec("bodies", "命名单位", ("命名机关",)),
    FieldSpec("named_on", "命名日期", ("命名时间",)),
    FieldSpec("document_no", "发文字号", ("文号", "命名文号")),
    FieldSpec("certificate_no", "证书编号", ("证书号",)),
    FieldSpec("demonstration", "示范单位", ("是否示范单位", "创建活动示范单位")),
    FieldSpec("plaque", "牌匾状态", ("牌匾",)),
    FieldSpec("status", "状态", ("称号状态",)),
    FieldSpec("note", "备注", ("说明",)),
    FieldSpec("seq", "序号", ("编号",)),
)
LABELS = {f.key: f.label for f in TITLE_FIELDS}
_PLAQUE_ALIASES = {"已挂牌": PlaqueState.ISSUED, "已发放": PlaqueState.ISSUED,
                   "已授予": PlaqueState.ISSUED, "无": PlaqueState.NOT_MADE,
                   "留作纪念": PlaqueState.SOUVENIR, "已收回": PlaqueState.RECLAIMED}
_PLACE_PREFIX = re.compile(r"^(.{2,12}?[县市区])(?=公安)")
_BODY_SPLIT = re.compile(r"[、，,；;/\n]+|\s{2,}")


def read_titles(path, *, mapping=None) -> Sheet:  # type: ignore[no-untyped-def]
    return read_sheet(path, TITLE_FIELDS, mapping=mapping)


def plan_titles(sheet: Sheet, *, overrides: Mapping[int, Mapping[str, str]] | None = None,
                today: dt.date | None = None) -> ImportPlan:
    """What importing the titles would do, row by row (nothing written)."""
    today = today or dt.date.today()
    office = office_service.this_office()
    if office is None:
        raise InputRefused("请先设置本办公室，再导入历年称号。")
    resolver = Resolver(office)
    by_key: dict[str, set[tuple[int, int]]] = {}
    for (region_id, key), unit_id in _existing_keys().items():
        by_key.setdefault(key, set()).add((region_id, unit_id))
    titles = {(t.unit_id, t.level, t.term_start, t.kind): t for t in Title.select()}
    columns = sheet.field_columns()
    seen: dict[tuple, int] = {}
    plans = []
    for number, cells in sheet.rows:
        raw = {k: cells[c].text if c < len(cells) else "" for k, c in columns.items()}
        raw.pop("seq", None)
        raw.update((overrides or {}).get(number, {}))
        name = clean_text(strip_numbering(raw.get("name", "")))
        if not (name or any(v.strip() for v in raw.values())):
            continue
        plan = RowPlan(row=number, name=name)
        if any(cells[c].formula_without_value for c in columns.values() if c < len(cells)):
            plan.errors.append("有公式单元格，但文件中没有保存计算结果")
        _plan(plan, raw, resolver, by_key, today)
        if not plan.bad:
            key = (plan.unit_id, plan.store["level"], plan.store["term_start"], plan.store["kind"])
            if key in seen:
                plan.errors.append(f"与第 {seen[key]} 行是同一个称号")
            else:
                seen[key] = number
                _match(plan, titles.get(key), office, today)  # type: ignore[arg-type]
        plan.action = "bad" if plan.bad else plan.action
        plans.append(plan)
    return ImportPlan(sheet=sheet, rows=plans)


def _plan(plan: RowPlan, raw: dict[str, str], resolver: Resolver,
          by_key: dict[str, set[tuple[int, int]]], today: dt.date) -> None:
    if not plan.name:
        plan.errors.append("缺少单位名称")
        return
    candidates = by_key.get(normalize_name_key(plan.name), set())
    if not candidates:
        # a certificate carries the name of its day: 海安县公安局… for today's 海安市公安局…
        prefix = _PLACE_PREFIX.match(plan.name)
        region = resolver.region_by_name(prefix.group(1)).value if prefix else None
        if prefix and region is not None and region.name != prefix.group(1):
            today_name = region.name + plan.name[len(prefix.group(1)):]
            candidates = by_key.get(normalize_name_key(today_name), set())
            if candidates:
                plan.guesses["name"] = f"按现名“{today_name}”对应到名册中的单位"
    region_text = clean_text(raw.get("region", ""))
    if region_text:
        region = resolver.region_by_name(region_text).value
        candidates = {c for c in candidates if region is not None and c[0] == region.id}
    units = {unit_id for _r, unit_id in candidates}
    if not units:
        plan.errors.append("名册中没有这个单位：请先导入或添加单位，再补录它的称号")
    elif len(units) > 1:
        plan.errors.append("名册中有多个同名单位：请加一列“所属县(市、区)”区分")
    else:
        plan.unit_id = units.pop()
    try:
        level = Level.parse(clean_text(raw.get("level", "")) or "（空）")
        term = parse_term(clean_text(raw.get("term", "")) or "（空）")
        named_on = parse_date(raw.get("named_on", ""), what="命名日期")
        demo = parse_yes_no(raw.get("demonstration", ""), what="示范单位")
        plaque = _plaque(raw.get("plaque", ""), plan)
        status = TitleStatus.from_label(clean_text(raw.get("status", "")) or "有效")
    except InputRefused as exc:
        plan.errors.append(exc.message)
        return
    except ValueError:
        plan.errors.append(f"状态“{raw.get('status')}”无法识别（可选：有效、整改中、已取消、已注销、已撤销）")
        return
    if term.start > today.year:
        plan.errors.append(f"年度 {term.label} 还没有开始")
    elif term.start < date_rules.EARLIEST.year:
        plan.errors.append(f"年度 {term.label} 早于{date_rules.EARLIEST.year}年："
                           "“青少年维权岗”创建活动自1998年开展，请核对年份")
    if named_on is not None and (named_on > today or named_on.year < term.start):
        plan.errors.append(f"命名日期 {named_on.isoformat()} 不合理：应在 {term.start} 年之后、今天之前")
    kind = TitleKind.DEMONSTRATION if demo else TitleKind.POST
    bodies = [b.strip() for b in _BODY_SPLIT.split(clean_text(raw.get("bodies", ""))) if b.strip()]
    for key, limit in (("document_no", 50), ("certificate_no", 50), ("note", 2000)):
        value = clean_text(raw.get(key, ""))
        if len(value) > limit:
            plan.errors.append(f"{LABELS[key]}过长（最多 {limit} 个字）")
        plan.store[key] = value
    if len("、".join(bodies)) > 200 or any(len(b) > 100 for b in bodies):
        plan.errors.append("命名单位过长")
    plan.store.update(level=int(level), term_start=term.start, kind=str(kind), named_on=named_on,
                      bodies=bodies, plaque=str(plaque), status=str(status))
    plan.values.update(level=level.label, term=term.label, kind=kind.label,
                       named_on=named_on.isoformat() if named_on else "",
                       bodies="、".join(bodies), plaque=plaque.label, status=status.label,
                       document_no=str(plan.store["document_no"]),
                       certificate_no=str(plan.store["certificate_no"]))


def _plaque(text: str, plan: RowPlan) -> PlaqueState:
    value = clean_text(text)
    if not value:
        plan.guesses["plaque"] = "牌匾状态未填，按“已授牌”导入"
        return PlaqueState.ISSUED
    if value in _PLAQUE_ALIASES:
        return _PLAQUE_ALIASES[value]
    try:
        return PlaqueState.from_label(value)  # type: ignore[return-value]
    except ValueError:
        choices = "、".join(label for _v, label in PlaqueState.choices())
        raise InputRefused(f"牌匾状态“{value}”无法识别（可选：{choices}）") from None


def _match(plan: RowPlan, title: Title | None, office, today: dt.date) -> None:  # type: ignore[no-untyped-def]
    store = plan.store
    if title is None:
        record = units_titles.TitleRecord(
            level=store["level"], term=store["term_start"], kind=store["kind"],  # type: ignore[arg-type]
            naming_bodies=list(store["bodies"]), named_on=store["named_on"],  # type: ignore[arg-type, call-overload]
            document_no=str(store["document_no"]), certificate_no=str(store["certificate_no"]),
            plaque_state=str(store["plaque"]), status=str(store["status"]), note=str(store["note"]))
        try:  # the same rules as recording a title by hand
            units_titles.validate_title_record(Unit.get_by_id(plan.unit_id), record, today=today)
        except InputRefused as exc:
            plan.errors.append(exc.message)
            return
        number = record.certificate_no
        if number and Title.select().where(Title.certificate_no == number).exists():
            plan.errors.append(f"证书编号 {number} 已经用在另一个称号上：每个编号只能发一次")
            return
        store["record"] = record
        plan.action = "new"
        return
    plan.unit_id = title.unit_id
    wanted = {"named_on": store["named_on"], "document_no": store["document_no"],
              "certificate_no": store["certificate_no"], "note": store["note"],
              "naming_bodies_text": "、".join(store["bodies"])}  # type: ignore[arg-type]
    changes = {k: (str(getattr(title, k) or ""), str(v or "")) for k, v in wanted.items()
               if v not in (None, "") and getattr(title, k) != v}
    if not changes:
        plan.action = "unchanged"
        return
    if title.owner_office_id != office.id:
        plan.errors.append("这个称号由其他办公室命名和维护，本办公室不能修改")
        return
    plan.action = "update"
    plan.changes = changes
    plan.store["title_id"] = title.id
    plan.store["wanted"] = wanted


def import_titles(sheet: Sheet, *, overrides: Mapping[int, Mapping[str, str]] | None = None,
                  skip_bad: bool = False, dry_run: bool = False,
                  today: dt.date | None = None) -> ImportResult:
    """Record the good rows' titles in one transaction, or nothing (see the unit import)."""
    today = today or dt.date.today()
    with database.atomic() as transaction:
        plan = plan_titles(sheet, overrides=overrides, today=today)
        bad = [r.describe() for r in plan.bad_rows]
        if bad and not skip_bad:
            raise InputRefused(
                f"“{sheet.path.name}”有 {len(bad)} 行有误，整个文件没有导入：\n" + "\n".join(bad),
                details={"counts": plan.counts(), "bad": bad})
        result = ImportResult(counts=plan.counts(), bad=bad, created_regions=[],
                              created_bureaus=[], dry_run=dry_run)
        if dry_run:
            transaction.rollback()
            return result
        for row in plan.rows:
            if row.action == "new":
                units_titles.record_title(row.unit_id, row.store["record"], today=today)  # type: ignore[arg-type]
            elif row.action == "update":
                title = Title.get_by_id(row.store["title_id"])
                for key, value in row.store["wanted"].items():  # type: ignore[union-attr]
                    if value not in (None, ""):
                        setattr(title, key, value)
                title.save()
    return result
