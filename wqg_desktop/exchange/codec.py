"""Records ↔ JSON lines, generic over every :class:`SyncedModel`.

A record is one JSON object: ``uuid``, ``owner`` (the owning office's UUID) and one key per
field by field name. References are UUIDs of the record pointed at (offices too), never local
integer ids. Dates are ``YYYY-MM-DD``, date-times ``YYYY-MM-DD HH:MM:SS``, booleans JSON
booleans, binary ``{"$b64": "…"}``. Fields named ``minor_*`` are minors' personal data.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    DateField,
    DateTimeField,
    Field,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from wqg_desktop.db.models import SYNCED_MODELS, Office, SyncedModel
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
        return 1 if value else 0
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
    return list(db.execute_sql(f'SELECT {cols} FROM "{model._meta.table_name}" WHERE {where_sql}',
                               params).fetchall())


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
