"""Writing an import plan (:mod:`wqg_desktop.services.unit_import`) to the database.

Called inside the import's transaction. New units go in with one ``executemany`` (10,000
rows in a fraction of a second) and one audit row for the batch; updated units go through
``save()`` so each change is audited field by field.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from peewee import CharField, TextField

from wqg_desktop.db.dialect import placeholders
from wqg_desktop.db.models import BaseModel, Bureau, Region, Unit, UnitHead, audit, new_uuid, now
from wqg_desktop.domain.chinese import normalize_name_key
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.services import office as office_service
from wqg_desktop.services import reference
from wqg_desktop.services.registry import name_pinyin

if TYPE_CHECKING:
    from wqg_desktop.services.unit_import import ImportPlan, ImportResult, RowPlan

_BATCH = 400
_UNIT_TEXT = ("unit_kind", "head_name", "head_post", "head_phone", "rights_hotline", "address",
              "note")


def write_plan(plan: ImportPlan, result: ImportResult, today: dt.date) -> None:
    office = office_service.this_office()
    good = [r for r in plan.rows if not r.bad]
    regions = _create_regions(good, office, result)
    bureaus = _create_bureaus(good, regions, office, result)
    rows, heads = [], []
    stamp = now()
    for row in good:
        region_id = row.region_id or regions[row.new_region]
        bureau_id = row.bureau_id or (bureaus.get(row.new_bureau) if row.new_bureau else None)
        if row.action == "new":
            ident = new_uuid()
            values = {key: row.store.get(key, "") for key in _UNIT_TEXT}
            if "unit_kind" not in row.store:
                values["unit_kind"] = row.values.get("unit_kind", "")
            rows.append({
                **values, "uuid": ident, "owner_office": office.id, "name": row.name,
                "name_key": normalize_name_key(row.name), "pinyin": name_pinyin(row.name),
                "region": region_id, "bureau": bureau_id, "police_type": row.police_type_id,
                "online": bool(row.store.get("online", False)),
                "online_since": row.store.get("online_since"),
                "created_at": stamp, "updated_at": stamp, "row_version": 1,
            })
            if row.store.get("head_name"):
                heads.append((ident, row))
        elif row.action == "update":
            _update(row, bureau_id, today, office)
    _insert(Unit, rows)
    if rows:
        audit("导入", "Unit", {"新增单位": len(rows), "文件": plan.sheet.path.name},
              entity_id=f"导入{len(rows)}个单位")
    _create_heads(heads, office, today)


def _create_regions(good: list[RowPlan], office, result: ImportResult) -> dict[str, int]:  # type: ignore[no-untyped-def]
    names = sorted({r.new_region for r in good if r.new_region and not r.region_id})
    if not names:
        return {}
    city = Region.get(Region.kind == str(RegionKind.CITY), Region.parent.is_null())
    top = Region.select().where(Region.parent == city).order_by(Region.sort_order.desc()).first()
    order = (top.sort_order if top and top.kind == RegionKind.COUNTY else 0) + 1
    out = {}
    for name in names:
        region = reference.ensure_region(name, RegionKind.COUNTY, parent=city, owner=office,
                                         sort_order=order)
        order += 1
        out[name] = region.id
        result.created_regions.append(name)
    return out


def _create_bureaus(good: list[RowPlan], regions: dict[str, int], office,  # type: ignore[no-untyped-def]
                    result: ImportResult) -> dict[str, int]:
    out: dict[str, int] = {}
    city = Region.get_or_none(Region.kind == str(RegionKind.CITY), Region.parent.is_null())
    for row in good:
        name = row.new_bureau
        if not name or name in out or row.action != "new" and not row.store.get("_bureau_given"):
            continue
        ident = reference.reference_uuid("bureau", name)
        bureau = Bureau.get_or_none(Bureau.uuid == ident)
        if bureau is None:
            # the city bureau itself sits in the city, not in the county of its first unit
            region = (city.id if city is not None and name == f"{city.name}公安局"
                      else row.region_id or regions.get(row.new_region))
            bureau = Bureau.create(uuid=ident, name=name, owner_office=office, region=region)
            result.created_bureaus.append(name)
        out[name] = bureau.id
    return out


def _update(row: RowPlan, bureau_id: int | None, today: dt.date, office) -> None:  # type: ignore[no-untyped-def]
    unit = Unit.get_by_id(row.unit_id)
    old_head = (unit.head_name, unit.head_post, unit.head_phone)
    for key in row.changes:
        if key == "police_type":
            unit.police_type = row.police_type_id
        elif key == "bureau":
            unit.bureau = bureau_id
        else:
            setattr(unit, key, row.store[key])
    unit.save()
    if old_head[0] != unit.head_name and unit.head_name:
        # a new head: the old one's term ends today (a new head must attend training again)
        (UnitHead.update(until=today)
         .where(UnitHead.unit == unit, UnitHead.until.is_null()).execute())
        UnitHead.create(owner_office=office, unit=unit, name=unit.head_name,
                        post=unit.head_post, phone=unit.head_phone, since=today)


def _create_heads(heads: list[tuple[str, RowPlan]], office, today: dt.date) -> None:  # type: ignore[no-untyped-def]
    if not heads:
        return
    ids = {}
    uuids = [ident for ident, _row in heads]
    for start in range(0, len(uuids), _BATCH):
        chunk = uuids[start:start + _BATCH]
        ids.update(dict(Unit.select(Unit.uuid, Unit.id).where(Unit.uuid.in_(chunk)).tuples()))
    stamp = now()
    rows = [{"uuid": new_uuid(), "owner_office": office.id, "unit": ids[ident],
             "name": row.store["head_name"], "post": row.store.get("head_post", ""),
             "phone": row.store.get("head_phone", ""), "since": None,
             "created_at": stamp, "updated_at": stamp, "row_version": 1}
            for ident, row in heads]
    _insert(UnitHead, rows)


def _insert(model: type[BaseModel], rows: list[dict[str, object]]) -> None:
    """Insert ``rows`` (dicts with the same keys: field names) with one ``executemany``.

    ``Model.insert_many`` renders every row into SQL text in Python, several times slower at
    10,000 rows. The values still pass through each field's ``db_value`` (text needs none),
    so they are stored exactly as ``insert_many`` would store them.
    """
    if not rows:
        return
    # the fields a row leaves out get their defaults, as insert_many gives them
    defaults = {f.name: d for f, d in model._meta.defaults.items() if f.name not in rows[0]}
    fields = [model._meta.fields[name] for name in [*rows[0], *defaults]]
    converted = [i for i, f in enumerate(fields) if not isinstance(f, (CharField, TextField))]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = placeholders(model._meta.database, len(fields))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    params = []
    for row in rows:
        values = [*row.values(), *(d() if callable(d) else d for d in defaults.values())]
        for i in converted:
            values[i] = fields[i].db_value(values[i])
        params.append(values)
    model._meta.database.cursor().executemany(sql, params)
