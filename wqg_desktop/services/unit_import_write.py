"""Writing an import plan (:mod:`wqg_desktop.services.unit_import`) to the database.

Called inside the import's transaction. New units go in with one ``executemany`` (10,000
rows in a fraction of a second) and one audit row for the batch, their pinyin initials and
uuids made for the whole batch at once; updated units go through ``save()`` so each change
is audited field by field.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from peewee import CharField, TextField

from wqg_desktop.db.dialect import MAX_PARAMS, placeholders
from wqg_desktop.db.models import BaseModel, Bureau, Region, Unit, UnitHead, audit, now
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.services import office as office_service
from wqg_desktop.services import reference
from wqg_desktop.services.pinyin import names_pinyin

if TYPE_CHECKING:
    from wqg_desktop.services.unit_import import ImportPlan, ImportResult, RowPlan

_UNIT_TEXT = ("unit_kind", "head_name", "head_post", "head_phone", "rights_hotline", "address",
              "note")


def write_plan(plan: ImportPlan, result: ImportResult, today: dt.date) -> None:
    office = office_service.this_office()
    good = [r for r in plan.rows if not r.bad]
    regions = _create_regions(good, office, result)
    bureaus = _create_bureaus(good, regions, office, result)
    rows, heads = [], []
    stamp = now()
    new = [row.name for row in good if row.action == "new"]
    # the initials of all new names in one batch: the names of a file share most of their words
    pinyins, idents = iter(names_pinyin(new)), iter(_new_uuids(len(new)))
    for row in good:
        region_id = row.region_id or regions[row.new_region]
        bureau_id = row.bureau_id or (bureaus.get(row.new_bureau) if row.new_bureau else None)
        if row.action == "new":
            ident = next(idents)
            values = {key: row.store.get(key, "") for key in _UNIT_TEXT}
            if "unit_kind" not in row.store:
                values["unit_kind"] = row.values.get("unit_kind", "")
            rows.append({
                **values, "uuid": ident, "owner_office": office.id, "name": row.name,
                "name_key": row.name_key, "pinyin": next(pinyins),
                "region": region_id, "bureau": bureau_id, "police_type": row.police_type_id,
                "online": bool(row.store.get("online", False)),
                "online_since": row.store.get("online_since"),
                "created_at": stamp, "updated_at": stamp, "row_version": 1,
            })
            if row.store.get("head_name"):
                heads.append((ident, row))
        elif row.action == "update" and row.unit_id is not None:  # an update always has one
            # the unit as the plan read it in this transaction (a second row naming the
            # same unit reads it again, after the first one's save)
            unit = plan.units.pop(row.unit_id, None) or Unit.get_by_id(row.unit_id)
            _update(row, unit, bureau_id, today, office)
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


def _update(row: RowPlan, unit: Unit, bureau_id: int | None, today: dt.date, office) -> None:  # type: ignore[no-untyped-def]
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
    ids: dict[str, int] = {}
    uuids = [ident for ident, _row in heads]
    db = Unit._meta.database
    for start in range(0, len(uuids), MAX_PARAMS):
        chunk = uuids[start:start + MAX_PARAMS]
        # bound directly: peewee would build one SQL node per value, 10,000 of them per file
        ids.update(db.execute_sql(
            f'SELECT "uuid", "id" FROM "{Unit._meta.table_name}" '
            f'WHERE "uuid" IN ({placeholders(db, len(chunk))})', chunk).fetchall())
    stamp = now()
    rows = [{"uuid": head_id, "owner_office": office.id, "unit": ids[ident],
             "name": row.store["head_name"], "post": row.store.get("head_post", ""),
             "phone": row.store.get("head_phone", ""), "since": None,
             "created_at": stamp, "updated_at": stamp, "row_version": 1}
            for (ident, row), head_id in zip(heads, _new_uuids(len(heads)), strict=True)]
    _insert(UnitHead, rows)


def _new_uuids(count: int) -> list[str]:
    """``count`` texts as :func:`~wqg_desktop.db.models.new_uuid` makes them (random UUIDs,
    version 4, as ``str(uuid.uuid4())``), from one read of the system's random source:
    making 20,000 ``uuid.UUID`` objects costs a twentieth of a 10,000-row import."""
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = bytes(b & 0x0F | 0x40 for b in raw[6::16])  # version 4
    raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])  # RFC 4122 variant
    text = raw.hex()
    return [f"{text[i:i + 8]}-{text[i + 8:i + 12]}-{text[i + 12:i + 16]}-{text[i + 16:i + 20]}-"
            f"{text[i + 20:i + 32]}" for i in range(0, 32 * count, 32)]


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
    extra = list(defaults.values())
    called = [len(rows[0]) + j for j, d in enumerate(extra) if callable(d)]
    params = []
    for row in rows:
        values = [*row.values(), *extra]
        for i in called:
            values[i] = values[i]()
        params.append(values)
    for i in converted:
        # a column holds a few distinct values (ids, a date, the batch's time stamp): each is
        # converted once, keyed by its type too (True == 1, yet a date is no datetime), and a
        # column whose values all convert to themselves is left as it is
        done = {(type(v), v): v for v in (values[i] for values in params)}
        for key in done:
            done[key] = fields[i].db_value(key[1])
        if any(out is not key[1] for key, out in done.items()):
            for values in params:
                values[i] = done[(type(values[i]), values[i])]
    model._meta.database.cursor().executemany(sql, params)
