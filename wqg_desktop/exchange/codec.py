"""Records ↔ JSON lines, generic over every :class:`SyncedModel`.

A record is one JSON object: ``uuid``, ``owner`` (the owning office's UUID) and one key per
field by field name. References are UUIDs of the record pointed at (offices too), never local
integer ids. Dates are ``YYYY-MM-DD``, date-times ``YYYY-MM-DD HH:MM:SS``, booleans JSON
booleans, binary ``{"$b64": "…"}``. Fields named ``minor_*`` are minors' personal data; the
free text of a record that has them is sent masked, its original sealed with them.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Iterable
from functools import partial
from operator import itemgetter
from typing import Any

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from wqg_desktop.db.dialect import bool_value, is_postgres, rows_by_key
from wqg_desktop.db.models import SYNCED_MODELS, Office, SyncedModel, database
from wqg_desktop.exchange.manifest import PackageRefused, is_uuid

#: Fields never carried: the local integer key.
_LOCAL = frozenset({"id"})
MAX_TEXT = 1_000_000


def synced_models() -> list[type[SyncedModel]]:
    """Every travelling model, in dependency order (read at call time: models get added)."""
    return list(SYNCED_MODELS)


def model_by_name() -> dict[str, type[SyncedModel]]:
    return {m.__name__: m for m in synced_models()}


def fields_of(model: type[Model]) -> list[Field]:
    """The carried fields, ``owner_office`` and ``uuid`` included."""
    return [f for f in model._meta.sorted_fields
            if f.name not in _LOCAL and not isinstance(f, AutoField)]


def minor_fields(model: type[Model]) -> list[str]:
    return [f.name for f in fields_of(model) if f.name.startswith("minor_")]


def free_text_fields(model: type[Model]) -> tuple[str, ...]:
    """Free-text fields of a record with minor data (a complaint's content…): they travel with
    the minor masked, the original sealed alongside the ``minor_*`` fields."""
    from wqg_desktop.services.privacy import FREE_TEXT_FIELDS

    return FREE_TEXT_FIELDS.get(model.__name__, ())


def sealed_fields(model: type[Model]) -> set[str]:
    """The fields a record's ``_sealed`` value may hold."""
    return set(minor_fields(model)) | set(free_text_fields(model))


def fk_target(field: Field) -> type[Model] | None:
    return field.rel_model if isinstance(field, ForeignKeyField) else None


def to_json(field: Field, value: Any, id_to_uuid: dict[type[Model], dict[int, str]]) -> Any:
    """One local value (as peewee returns it) → its JSON form."""
    if value is None:
        return None
    if isinstance(field, ForeignKeyField):
        return id_to_uuid[field.rel_model].get(int(value))
    if isinstance(field, BooleanField):
        return bool(value)
    if isinstance(field, DateTimeField):
        return value.isoformat(" ") if isinstance(value, dt.datetime) else str(value)
    if isinstance(field, DateField):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(field, BlobField):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, float) and value.is_integer() and not isinstance(field, FloatField):
        return int(value)
    return value


def _bad(model: type[Model], field: str, why: str) -> PackageRefused:
    return PackageRefused("bad_record", f"{model.__name__}.{field}：{why}")


def check_json(model: type[Model], field: Field, value: Any) -> Any:
    """Validate an incoming JSON value for ``field``; return it normalised (still JSON form)."""
    if value is None:
        if not field.null and field.name != "owner_office":
            raise _bad(model, field.name, "不能为空")
        return None
    if isinstance(field, ForeignKeyField):
        if not is_uuid(value):
            raise _bad(model, field.name, "引用不是有效的 UUID")
        return value
    if isinstance(field, BooleanField):
        if not isinstance(value, bool):
            raise _bad(model, field.name, "应为是/否")
        return value
    if isinstance(field, IntegerField):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
            raise _bad(model, field.name, "应为整数")
        return value
    if isinstance(field, FloatField):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _bad(model, field.name, "应为数字")
        return float(value)
    if isinstance(field, DateTimeField):
        try:
            return dt.datetime.fromisoformat(value).isoformat(" ")
        except (TypeError, ValueError):
            raise _bad(model, field.name, "日期时间格式错误") from None
    if isinstance(field, DateField):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            raise _bad(model, field.name, "日期格式错误") from None
    if isinstance(field, BlobField):
        if not isinstance(value, dict) or not isinstance(value.get("$b64"), str):
            raise _bad(model, field.name, "二进制格式错误")
        try:
            base64.b64decode(value["$b64"], validate=True)
        except ValueError:
            raise _bad(model, field.name, "二进制格式错误") from None
        return value
    if isinstance(value, str):
        limit = MAX_TEXT if isinstance(field, TextField) else max(getattr(field, "max_length", 0) or 0,
                                                                   255) * 4
        if len(value) > limit:
            raise _bad(model, field.name, "文字过长")
        if "\x00" in value:
            raise _bad(model, field.name, "文字中有非法字符")
        return value
    raise _bad(model, field.name, "类型不对")


def to_db(field: Field, value: Any, uuid_to_id: dict[type[Model], dict[str, int]]) -> Any:
    """A checked JSON value → what goes into the SQLite column."""
    if value is None:
        return None
    if isinstance(field, ForeignKeyField):
        return uuid_to_id[field.rel_model][value]
    if isinstance(field, BooleanField):
        return bool_value(database, value)
    if isinstance(field, BlobField):
        return base64.b64decode(value["$b64"])
    return value


def json_default(field: Field) -> Any:
    """The JSON form of a field's default (a record from an older schema lacks newer fields)."""
    default = field.default() if callable(field.default) else field.default
    if default is None:
        return None
    return to_json(field, default, {})


def select_raw(model: type[Model], where_sql: str, params: list[Any]) -> list[tuple]:
    """``id`` and the carried columns as SQLite stores them (no peewee conversion: fast, and
    :func:`to_json` gives the same JSON either way)."""
    cols = ", ".join(['"id"'] + [f'"{f.column_name}"' for f in fields_of(model)])
    db = model._meta.database
    rows = db.execute_sql(f'SELECT {cols} FROM "{model._meta.table_name}" WHERE {where_sql}',
                          params).fetchall()
    if not is_postgres(db):
        return list(rows)
    # a server hands dates, times and booleans back typed: the same values as SQLite's text
    # and integers, so that JSON and the "unchanged?" comparisons are those of a file
    fixes = [(i, _AS_SQLITE[type(f)]) for i, f in enumerate(fields_of(model), start=1)
             if type(f) in _AS_SQLITE]
    if not fixes:
        return list(rows)
    out = []
    for row in rows:
        row = list(row)
        for i, fix in fixes:
            if row[i] is not None:
                row[i] = fix(row[i])
        out.append(tuple(row))
    return out


#: raw PostgreSQL value → what SQLite stores for the same field
_AS_SQLITE = {DateField: lambda v: v.isoformat(), DateTimeField: str,
              BooleanField: int, BlobField: bytes}


def id_maps(models: Iterable[type[Model]]) -> tuple[dict[type[Model], dict[int, str]],
                                                   dict[type[Model], dict[str, int]]]:
    """id → uuid and uuid → id of every given model (and of offices)."""
    forward: dict[type[Model], dict[int, str]] = {}
    backward: dict[type[Model], dict[str, int]] = {}
    for model in {Office, *models}:
        pairs = list(model.select(model.id, model.uuid).tuples())
        forward[model] = dict(pairs)
        backward[model] = {u: i for i, u in pairs}
    return forward, backward


def validator(model: type[Model], field: Field):  # type: ignore[no-untyped-def]
    """A fast check for the common, valid values of ``field``; anything else goes through
    :func:`check_json` (which raises the precise refusal). Imports check every value of tens
    of thousands of records, so the usual case must be cheap."""
    slow = check_json
    if isinstance(field, ForeignKeyField):
        def check_fk(value: Any) -> Any:
            if type(value) is str and len(value) == 36 and is_uuid(value):
                return value
            return slow(model, field, value)
        return check_fk
    if isinstance(field, BooleanField):
        return lambda value: value if type(value) is bool else slow(model, field, value)
    if isinstance(field, IntegerField):
        return lambda value: value if type(value) is int and -2**63 < value < 2**63 else slow(model, field, value)
    if isinstance(field, DateTimeField):
        def check_datetime(value: Any) -> Any:
            if type(value) is str and len(value) == 19 and value[10] == " ":
                try:
                    dt.datetime.fromisoformat(value)
                    return value
                except ValueError:
                    pass
            return slow(model, field, value)
        return check_datetime
    if isinstance(field, DateField):
        def check_date(value: Any) -> Any:
            if type(value) is str and len(value) == 10:
                try:
                    dt.date.fromisoformat(value)
                    return value
                except ValueError:
                    pass
            return slow(model, field, value)
        return check_date
    if isinstance(field, FloatField | BlobField):
        return lambda value: slow(model, field, value)
    limit = MAX_TEXT if isinstance(field, TextField) else max(getattr(field, "max_length", 0) or 0, 255) * 4

    def check_text(value: Any) -> Any:
        if type(value) is str and len(value) <= limit and "\x00" not in value:
            return value
        return slow(model, field, value)
    return check_text


# -- whole columns at once -----------------------------------------------------------------
# A county package holds ~50k records of ~10 fields. Handling one value at a time through the
# general functions above costs seconds; the helpers below handle a field's whole column with
# C-level built-ins (set, map, zip) and fall back to the general functions only for values
# off the common path, so refusals keep their precise messages.

_MISSING = object()
_NONE_TYPE = type(None)


def row_encoder(model: type[Model], id_to_uuid: dict[type[Model], dict[int, str]]):  # type: ignore[no-untyped-def]
    """A function turning a :func:`select_raw` row into the record's JSON dict (the same dict
    :func:`to_json` gives field by field). SQLite hands back text, integers and floats as they
    are stored, so most fields need no conversion at all."""
    flds = fields_of(model)
    keys = ["owner" if f.name == "owner_office" else f.name for f in flds]
    # the dict is built with its keys sorted, so it encodes without sorting each record
    order = sorted(range(len(keys)), key=keys.__getitem__)
    keys = [keys[i] for i in order]
    take = itemgetter(*(i + 1 for i in order))
    convert: list[tuple[int, Any]] = []
    for i, f in enumerate(flds[i] for i in order):
        if isinstance(f, ForeignKeyField):
            mapping = id_to_uuid.get(f.rel_model, {})
            convert.append((i, lambda v, m=mapping: m.get(int(v))))
        elif isinstance(f, BooleanField):
            convert.append((i, bool))
        elif isinstance(f, CharField | TextField) or (
                isinstance(f, IntegerField) and not isinstance(f, AutoField)):
            continue  # stored as given: text stays text, INTEGER affinity keeps integers
        elif isinstance(f, DateTimeField | DateField):  # stored as ISO text
            convert.append((i, lambda v, f=f: v if type(v) is str else to_json(f, v, id_to_uuid)))
        else:
            convert.append((i, lambda v, f=f: to_json(f, v, id_to_uuid)))

    def encode(row: tuple) -> dict[str, Any]:
        values = list(take(row))
        for i, fn in convert:
            v = values[i]
            if v is not None:
                values[i] = fn(v)
        return dict(zip(keys, values, strict=True))
    return encode


def rows_encoder(model: type[Model], id_to_uuid: dict[type[Model], dict[int, str]]):  # type: ignore[no-untyped-def]
    """:func:`row_encoder` for many rows at once: a function turning a list of
    :func:`select_raw` rows into their JSON dicts, converting a column at a time."""
    flds = fields_of(model)
    keys = ["owner" if f.name == "owner_office" else f.name for f in flds]
    order = sorted(range(len(keys)), key=keys.__getitem__)  # keys sorted: no sorting to encode
    keys = [keys[i] for i in order]
    positions = [i + 1 for i in order]
    slow: list[tuple[int, Any]] = []  # (place in keys, value → JSON value) of converted columns
    fast: dict[int, Any] = {}  # place in keys → whole column → JSON values, on the usual types
    for k, f in enumerate(flds[i] for i in order):
        if isinstance(f, ForeignKeyField):
            mapping = id_to_uuid.get(f.rel_model, {})
            slow.append((k, lambda v, m=mapping: m.get(int(v))))
            # integers (and NULL: never a key) map directly
            fast[k] = (lambda col, m=mapping: list(map(m.get, col)), {int, _NONE_TYPE})
        elif isinstance(f, BooleanField):
            slow.append((k, bool))
            fast[k] = (lambda col: list(map(bool, col)), {int})
        elif isinstance(f, CharField | TextField) or (
                isinstance(f, IntegerField) and not isinstance(f, AutoField)):
            continue
        elif isinstance(f, DateTimeField | DateField):
            slow.append((k, lambda v, f=f: v if type(v) is str else to_json(f, v, id_to_uuid)))
            fast[k] = (lambda col: col, {str, _NONE_TYPE})
        else:
            slow.append((k, lambda v, f=f: to_json(f, v, id_to_uuid)))

    def encode_all(rows: list[tuple]) -> list[dict[str, Any]]:
        if not rows:
            return []
        by_column = list(zip(*rows, strict=True))
        columns: list[Any] = [by_column[p] for p in positions]
        for k, fn in slow:
            col = columns[k]
            column_fn, usual = fast.get(k, (None, ()))
            if column_fn is not None and set(map(type, col)) <= usual:
                columns[k] = column_fn(col)
            else:
                columns[k] = [None if v is None else fn(v) for v in col]
        return list(map(dict, map(partial(zip, keys), zip(*columns, strict=True))))
    return encode_all


def check_column(model: type[Model], field: Field, values: list[Any], *, complete: bool = False) -> list[Any]:
    """Validate one field's values of every record (``_MISSING`` where a record lacks the
    field: it gets the default; ``complete`` says none does). Returns the checked values,
    normalised like :func:`check_json`; raises the same refusal as checking them one by one."""
    if not complete and any(v is _MISSING for v in values):
        default = json_default(field)
        check = validator(model, field)
        return [default if v is _MISSING else None if v is None and field.null else check(v)
                for v in values]
    if _column_ok(field, values):
        return values
    check = validator(model, field)
    return [None if v is None and field.null else check(v) for v in values]


def _column_ok(field: Field, values: list[Any]) -> bool:
    """True when every value is on the common path (nothing to normalise or refuse)."""
    types = set(map(type, values))
    if _NONE_TYPE in types:
        if not field.null:
            return False
        types.discard(_NONE_TYPE)
        present = [v for v in values if v is not None]
    else:
        present = values
    if not present:
        return True
    if isinstance(field, ForeignKeyField):
        return types == {str} and all_uuids(list(set(present)))
    if isinstance(field, BooleanField):
        return types == {bool}
    if isinstance(field, IntegerField):
        return types == {int} and -2**63 < min(present) and max(present) < 2**63
    if isinstance(field, DateTimeField):
        if types != {str}:
            return False
        for v in set(present):
            if len(v) != 19 or v[10] != " ":
                return False
            try:
                dt.datetime.fromisoformat(v)
            except ValueError:
                return False
        return True
    if isinstance(field, DateField):
        if types != {str}:
            return False
        for v in set(present):
            if len(v) != 10:
                return False
            try:
                dt.date.fromisoformat(v)
            except ValueError:
                return False
        return True
    if isinstance(field, FloatField | BlobField):
        return False  # normalised value by value (ints become floats, base64 is checked)
    if types != {str}:
        return False
    limit = MAX_TEXT if isinstance(field, TextField) else max(getattr(field, "max_length", 0) or 0, 255) * 4
    joined = "".join(present)
    # all of it within the limit: each value is (the usual case, without measuring each)
    return (len(joined) <= limit or max(map(len, present)) <= limit) and "\x00" not in joined


#: every character of a UUID mapped to "x" (hex digit), "-" (itself) or "?" (anything else)
_UUID_CHARS = bytes(120 if chr(c) in "0123456789abcdef" else 45 if c == 45 else 63 for c in range(256))
_UUID_SHAPE = b"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"


def all_uuids(values: list[Any]) -> bool:
    """``all(map(is_uuid, values))`` for a whole column at once: each value is text of 36
    characters and, all joined, they have the shape of that many UUIDs."""
    if set(map(type, values)) != {str} or set(map(len, values)) != {36}:
        return False
    joined = "".join(values)
    return joined.isascii() and joined.encode("ascii").translate(_UUID_CHARS) == _UUID_SHAPE * len(values)


def db_column(field: Field, values: list[Any], resolve) -> list[Any]:  # type: ignore[no-untyped-def]
    """Checked JSON values of one field → SQLite values (:func:`to_db` for a whole column).
    ``resolve(target_model, uuid)`` gives the local id of a reference (or raises)."""
    if isinstance(field, ForeignKeyField):
        target = field.rel_model
        return [None if v is None else resolve(target, v) for v in values]
    if isinstance(field, BooleanField):
        if is_postgres(database):
            return [None if v is None else bool(v) for v in values]
        return [None if v is None else (1 if v else 0) for v in values]
    if isinstance(field, BlobField):
        return [None if v is None else base64.b64decode(v["$b64"]) for v in values]
    return values


def lookup_ids(model: type[Model], uuids: Iterable[str]) -> dict[str, tuple[int, int | None]]:
    """uuid → (id, owner office id) of the given records that exist here (by the uuid index,
    in chunks below SQLite's limit on bound parameters)."""
    listed = sorted(set(uuids))
    db = model._meta.database
    table = model._meta.table_name
    owner = '"owner_office_id"' if "owner_office" in model._meta.fields else "NULL"
    found: dict[str, tuple[int, int | None]] = {}
    for uid, rid, oid in rows_by_key(db, table, f'"uuid", "id", {owner}', "uuid", listed):
        found[uid] = (rid, oid)
    return found


def uuid_map(model: type[Model], where_sql: str = "1", params: list[Any] | None = None) -> dict[int, str]:
    """id → uuid of ``model``'s rows (raw SQL: peewee's row objects cost seconds here)."""
    cursor = model._meta.database.execute_sql(
        f'SELECT "id", "uuid" FROM "{model._meta.table_name}" WHERE {where_sql}', params or [])
    return dict(cursor.fetchall())
