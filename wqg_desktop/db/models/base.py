"""Base models: late-bound database, identity that travels, and the audit trail.

Every change to a record goes through :meth:`BaseModel.save` / :meth:`BaseModel.delete_instance`,
which write an :class:`AuditLog` row (who, when, what changed, why). Bulk imports that bypass
``save()`` write one audit row per batch through :func:`audit`.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

from peewee import (
    AutoField,
    CharField,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from wqg_desktop.domain.chinese import mask_person_name
from wqg_desktop.domain.masking import mask_free_text
from wqg_desktop.errors import InputRefused

#: Bound late by :func:`wqg_desktop.db.connection.open_database`.
database = DatabaseProxy()

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("wqg_actor", default="系统")
_reason: contextvars.ContextVar[str] = contextvars.ContextVar("wqg_reason", default="")
#: (model name, uuid) → the row_version the officer's form was loaded with
_expected: contextvars.ContextVar[dict[tuple[str, str], int] | None] = contextvars.ContextVar(
    "wqg_expected_versions", default=None)


def new_uuid() -> str:
    return str(uuid.uuid4())


def now() -> dt.datetime:
    """Local wall-clock time, to the second (offices live in one time zone)."""
    return dt.datetime.now().replace(microsecond=0)


def current_actor() -> str:
    return _actor.get()


@contextlib.contextmanager
def acting_as(actor: str | None = None, reason: str | None = None) -> Iterator[None]:
    """Name who does the changes made inside the block, and why, for the audit trail."""
    tokens = []
    if actor is not None:
        tokens.append((_actor, _actor.set(actor)))
    if reason is not None:
        tokens.append((_reason, _reason.set(reason)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


#: What a form remembers of the record it shows: (model name, uuid, row_version).
VersionStamp = tuple[str, str, int]


def version_stamp(record: Model) -> VersionStamp:
    """The stamp of ``record`` as loaded now; hand it to :func:`unchanged_since` when saving."""
    return (type(record).__name__, record.uuid, record.row_version)


@contextlib.contextmanager
def unchanged_since(*stamps: VersionStamp | None) -> Iterator[None]:
    """Inside the block, saving a stamped record is refused with :class:`StaleRecord` when
    someone else saved it after the stamp was taken (optimistic check on a shared server)."""
    wanted = dict(_expected.get() or {})
    for stamp in stamps:
        if stamp is not None:
            wanted[(stamp[0], stamp[1])] = stamp[2]
    token = _expected.set(wanted)
    try:
        yield
    finally:
        _expected.reset(token)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Model):
        return value.get_id()
    if isinstance(value, bytes):
        return f"<{len(value)} 字节>"
    return value


#: Columns the program keeps for itself; a save that changes only these is not a change to audit.
_BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "row_version"})


class BaseModel(Model):
    """Every table; audited unless ``_audited = False``.

    ``_audit_masked`` names columns holding a minor's identity: the audit trail, which anyone
    with the program can read, records that they changed but never what they hold.
    """

    _audited = True
    _audit_masked: frozenset[str] = frozenset()
    #: free-text columns in which the record's own minor (its ``minor_*`` values) is masked
    _audit_free_text: frozenset[str] = frozenset()

    def _audit_value(self, name: str, value: Any) -> Any:
        if name in self._audit_masked and value:
            return mask_person_name(value) if name.endswith("_name") else "（已遮蔽）"
        if name in self._audit_free_text and value:
            data = self.__data__
            return mask_free_text(value, name=data.get("minor_name") or "",
                                  id_no=data.get("minor_id_no") or "",
                                  school=data.get("minor_school") or "",
                                  address=data.get("minor_address") or "")
        return _jsonable(value)

    class Meta:
        database = database
        legacy_table_names = False

    def save(self, force_insert: bool = False, only: Any = None) -> int:
        is_new = force_insert or self.get_id() is None
        if hasattr(self, "updated_at"):
            self.updated_at = now()
        changes: dict[str, Any] = {}
        if self._audited and not is_new:
            dirty = [f for f in self.dirty_fields if f.name not in _BOOKKEEPING]
            if dirty:
                old = (
                    type(self)
                    .select(*dirty)
                    .where(type(self)._meta.primary_key == self.get_id())
                    .dicts()
                    .first()
                    or {}
                )
                for field in dirty:
                    before, after = old.get(field.name), self.__data__.get(field.name)
                    if _jsonable(before) != _jsonable(after):
                        changes[field.name] = [self._audit_value(field.name, before),
                                               self._audit_value(field.name, after)]
        with self._meta.database.atomic():
            result = super().save(force_insert=force_insert, only=only)
            guard = getattr(self, "_version_guard", None)
            if guard is not None and not is_new and not result:
                # the row is no longer at the version this save started from: someone else
                # saved it in between (rolled back with this transaction)
                raise StaleRecord.of(self, guard)
            if self._audited and (is_new or changes):
                if is_new:
                    changes = {
                        f.name: [None, self._audit_value(f.name, self.__data__.get(f.name))]
                        for f in self._meta.sorted_fields
                        if self.__data__.get(f.name) not in (None, "")
                        and f.name not in _BOOKKEEPING
                    }
                audit("新增" if is_new else "修改", self, changes)
        return result

    def delete_instance(self, recursive: bool = False, delete_nullable: bool = False) -> int:
        with self._meta.database.atomic():
            if self._audited:
                audit("删除", self,
                      {k: [self._audit_value(k, v), None] for k, v in self.__data__.items()})
            return super().delete_instance(recursive=recursive, delete_nullable=delete_nullable)


class Office(BaseModel):
    """An office that runs the program: this installation (``is_self``) or one it hears from.

    Offices below send packages up; the office above hands decisions down. ``level`` is a
    :class:`~wqg_desktop.domain.levels.Level` value.
    """

    id = AutoField()
    uuid = CharField(max_length=36, unique=True, default=new_uuid)
    level = IntegerField()
    name = CharField(max_length=100)
    region_code = CharField(max_length=12, default="")
    region_name = CharField(max_length=50, default="")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    is_self = IntegerField(default=0, index=True)
    public_key = TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class Setting(BaseModel):
    """Office-wide settings as JSON values (officer name, differential convention, …)."""

    key = CharField(max_length=80, primary_key=True)
    value = TextField(default="null")
    updated_at = DateTimeField(default=now)


class SyncedModel(BaseModel):
    """A record that travels between offices in submission packages.

    ``uuid`` is its identity in every office; ``owner_office`` is the office that may change it
    (set by the services to this installation's office, or by a package import to the sender);
    ``row_version`` increases with every save (optimistic checks on a shared server).
    """

    uuid = CharField(max_length=36, unique=True, default=new_uuid)
    owner_office = ForeignKeyField(Office, null=True, backref="+", on_delete="RESTRICT")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    row_version = IntegerField(default=1)

    def save(self, force_insert: bool = False, only: Any = None) -> int:
        if self.get_id() is None or force_insert:
            return super().save(force_insert=force_insert, only=only)
        loaded = self.row_version or 0
        expected = (_expected.get() or {}).get((type(self).__name__, self.uuid))
        if expected is not None and expected != loaded:
            raise StaleRecord.of(self, expected)
        # UPDATE … WHERE id = ? AND row_version = <loaded>: a save by someone else between
        # reading this row and writing it makes the update miss, and the save is refused
        self._version_guard = loaded
        self.row_version = loaded + 1
        try:
            return super().save(force_insert=force_insert, only=only)
        except BaseException:
            self.row_version = loaded
            raise
        finally:
            self._version_guard = None

    def _pk_expr(self):  # type: ignore[no-untyped-def]
        guard = getattr(self, "_version_guard", None)
        expr = super()._pk_expr()
        return expr if guard is None else expr & (type(self).row_version == guard)


class StaleRecord(InputRefused):
    """A save refused because someone else changed the record since it was loaded."""

    @classmethod
    def of(cls, record: Model, since_version: int) -> StaleRecord:
        from wqg_desktop.db.stale import describe_stale

        return cls(describe_stale(record, since_version))


class AuditLog(BaseModel):
    """Who changed what, when and why. Append-only; never audited itself."""

    _audited = False

    id = AutoField()
    at = DateTimeField(default=now, index=True)
    actor = CharField(max_length=100)
    action = CharField(max_length=20)
    entity = CharField(max_length=60, index=True)
    entity_id = CharField(max_length=36, index=True)
    changes = TextField(default="{}")
    reason = TextField(default="")


def _entity_key(instance: Model) -> str:
    ident = getattr(instance, "uuid", None) or instance.get_id()
    return str(ident)


def audit(action: str, instance: Model | str, changes: dict[str, Any] | None = None,
          *, entity_id: str = "", reason: str | None = None) -> None:
    """Write one audit row. ``instance`` may be a model or an entity name (for batch work)."""
    if isinstance(instance, Model):
        entity = type(instance).__name__
        entity_id = entity_id or _entity_key(instance)
    else:
        entity = instance
    AuditLog.insert(
        at=now(),
        actor=_actor.get(),
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes=json.dumps(changes or {}, ensure_ascii=False, default=str),
        reason=_reason.get() if reason is None else reason,
    ).execute()
