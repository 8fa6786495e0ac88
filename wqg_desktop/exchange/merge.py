"""Taking a package in (汇总, or decisions handed down): preview first, then one transaction.

Rules (docs/package-format.md, "Merging"):
- the receiver takes only records owned by the sender or an office below it (a package
  handed down: owned by the sender), and never overwrites a record another office owns here;
- a record of the sender's offices that is here but not in the snapshot is gone;
- the same package twice changes nothing; a lower sequence number than one already taken in
  is refused; packages of different offices commute (their records are disjoint);
- a unit marked as no longer doing youth work deregisters this office's own titles of it.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import IntegrityError, OperationalError

from wqg_desktop.db import migrations
from wqg_desktop.db.dialect import (
    DRIVER_ERRORS,
    IdReserver,
    bulk_insert,
    database_marker,
    defer_foreign_keys,
    exclusive,
    placeholders,
)
from wqg_desktop.db.models import (
    Office,
    PackageLog,
    SyncedModel,
    Unit,
    audit,
    database,
)
from wqg_desktop.domain.roles import Permission, require
from wqg_desktop.errors import InputRefused, WqgError
from wqg_desktop.exchange import codec, keys
from wqg_desktop.exchange import manifest as mf
from wqg_desktop.exchange.archive import OpenedPackage, open_package, read_attachment
from wqg_desktop.exchange.manifest import PackageRefused
from wqg_desktop.exchange.merge_records import plan_records
from wqg_desktop.exchange.preview import ImportPreview, KindDiff
from wqg_desktop.exchange.reader import KindStep, PackageContents, read_contents
from wqg_desktop.services.bulk import no_gc_pauses
from wqg_desktop.services.office import this_office
from wqg_desktop.services.stats import LABELS

#: the preview types live in preview.py; importers of merge keep using them from here
__all__ = ["ImportCancelled", "ImportPreview", "ImportResult", "KindDiff", "PreparedImport", "Progress",
           "import_package", "package_log", "plan_import", "prepare_import", "preview_package"]

#: ``progress(done, total, text)``: how far a preview or an import has got (as in
#: package.export_package); it may raise :class:`ImportCancelled` to stop a preview
Progress = Callable[[int, int, str], None]


class ImportCancelled(WqgError):
    """Raised by a caller's ``progress`` to stop a preview (nothing has been written)."""

    def __init__(self, message: str = "已取消：没有导入，本库数据没有改动。") -> None:
        super().__init__(message)


#: What a record costs in each stage, relative to one another, so that the bar moves about
#: evenly: verifying the archive, parsing and checking, comparing with this database; for an
#: import also backing up, writing and committing. Measured on a city package of ten counties
#: (492k records) taken in by a province: 0.6, 2.4, 1.2, –, 4.4 and 0.5 seconds.
_VERIFY, _READ, _COMPARE = 1, 4, 2
_BACKUP, _WRITE, _COMMIT = 1, 7, 1


class _Bar:
    """One bar over the stages of a preview or an import, in records weighted by what a record
    costs in each stage. A stage is announced with its span and the units (records, rows) its
    kinds report as each starts: the bar stands at the start of the kind being worked on.
    Once an import backs up and writes (``firm``), :class:`ImportCancelled` from ``report``
    is ignored: the write transaction is never interrupted."""

    __slots__ = ("report", "writing", "firm", "records", "total", "done", "start", "span",
                 "units", "count", "verb")

    def __init__(self, report: Progress | None, *, writing: bool) -> None:
        self.report, self.writing, self.firm = report, writing, False
        self.records, self.total, self.done = 0, 1, 0
        self.start = self.span = self.units = self.count = 0
        self.verb = ""

    def show(self, text: str) -> None:
        if self.report is None:
            return
        try:
            self.report(self.done, self.total, text)
        except ImportCancelled:
            if not self.firm:
                raise

    def opened(self, records: int, *, planned: bool = False) -> None:
        """The size is known (from the manifest): the whole bar in records (only the writing
        stages when the plan was ``planned`` by the preview)."""
        self.records = n = max(1, records)
        planning = 0 if planned else _VERIFY + _READ + _COMPARE
        self.total = (planning + (_BACKUP + _WRITE + _COMMIT if self.writing else 0)) * n
        self.done = self.start = 0 if planned else _VERIFY * n

    def stage(self, verb: str, weight: int, units: int = 1, *, quiet: bool = False) -> KindStep | None:
        """Begin a stage of ``weight`` per record, made of ``units`` that its kinds report;
        None when nobody listens (the loops then skip the calls)."""
        self.done = self.start
        self.span, self.units, self.count, self.verb = weight * self.records, max(1, units), 0, verb
        self.start += self.span
        if not quiet:
            self.show(f"正在{verb}…")
        return self.kind if self.report is not None else None

    def kind(self, name: str, units: int) -> None:
        if units:  # kinds the package does not carry pass unannounced
            self.done = self.start - self.span + min(self.span, self.span * self.count // self.units)
            self.count += units
            self.show(f"正在{self.verb}：{LABELS.get(name, name)}")

    def finish(self, text: str) -> None:
        self.done = self.total
        self.show(text)


@dataclass
class _Plan:
    preview: ImportPreview
    opened: OpenedPackage
    contents: PackageContents
    new_offices: list[dict[str, Any]] = field(default_factory=list)
    office_parents: dict[int, int] = field(default_factory=dict)
    inserts: dict[type[SyncedModel], list[tuple]] = field(default_factory=dict)
    updates: dict[type[SyncedModel], list[tuple]] = field(default_factory=dict)
    deletes: dict[type[SyncedModel], list[int]] = field(default_factory=dict)
    deregister_units: list[int] = field(default_factory=list)
    #: the database as planned on (dialect.database_marker); None: re-plan before writing
    marker: tuple | None = None


#: A preview's whole plan, kept by a window between showing it and the officer's 确认导入
#: (:func:`prepare_import`, then ``import_package(prepared=…)``).
PreparedImport = _Plan


@dataclass
class ImportResult:
    preview: ImportPreview
    applied: bool
    backup: str | None
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"preview": self.preview.as_dict(), "applied": self.applied,
                "backup": self.backup, "seconds": self.seconds}


def _scope(contents: PackageContents, sender: str, kind: str) -> set[str]:
    if kind == "down":
        return {sender}
    children: dict[str, list[str]] = {}
    for o in contents.offices.values():
        if o.parent:
            children.setdefault(o.parent, []).append(o.uuid)
    found, todo = set(), [sender]
    while todo:
        u = todo.pop()
        if u not in found:
            found.add(u)
            todo.extend(children.get(u, []))
    return found


def _check_direction(m: mf.Manifest, me: Office, scope: set[str],
                     contents: PackageContents) -> None:
    sender = m.sender
    if sender["uuid"] == me.uuid:
        raise PackageRefused("wrong_office", "这是本办公室自己制作的包")
    if m.receiver.get("uuid") and m.receiver["uuid"] != me.uuid:
        raise PackageRefused("wrong_office", f"它是发给“{m.receiver.get('name', '')}”的")
    if m.kind == "up" and sender["level"] >= me.level:
        raise PackageRefused("wrong_office", "上报包只能由下级单位报送给上级单位")
    if m.kind == "down" and (sender["level"] <= me.level or m.receiver.get("uuid") != me.uuid):
        raise PackageRefused("wrong_office", "下发包只能由上级单位发给指定的下级单位")
    if me.uuid in scope:
        raise PackageRefused("wrong_office", "上报包把本办公室列为发送单位的下级")
    local = {o.uuid: o for o in Office.select()}
    by_id = {o.id: o for o in local.values()}
    for uid in scope - {sender["uuid"]}:
        known = local.get(uid)
        if known is None or known.parent_id is None:
            continue
        parent = by_id.get(known.parent_id)
        if parent is not None and parent.uuid not in scope and parent.uuid != me.uuid:
            raise PackageRefused("conflict", f"上报包把“{known.name}”列为下级，但本库中它属于“{parent.name}”")
    if m.kind == "up":
        ancestors = set()
        cur = me
        while cur is not None and cur.parent_id:
            cur = by_id.get(cur.parent_id)
            if cur is not None:
                ancestors.add(cur.uuid)
        if scope & ancestors:
            raise PackageRefused("conflict", "上报包把本办公室的上级列为下级")


def plan_import(path: Path, progress: Progress | None = None, *, bar: _Bar | None = None) -> _Plan:
    """Verify a package and work out every change, without writing anything.

    ``progress(done, total, text)`` is told of each stage (verifying, reading and comparing,
    each by kind of record) and may raise :class:`ImportCancelled` to stop."""
    bar = bar or _Bar(progress, writing=False)
    me = this_office()
    if me is None:
        raise InputRefused("尚未设置本办公室，不能导入上报包。")
    marker = database_marker(database)  # before reading: a change meanwhile moves it
    bar.show("正在校验签名与文件…")
    opened = open_package(Path(path), schema_version=migrations.LATEST_VERSION,
                          verify_signature=keys.verify_signature)
    m = opened.manifest
    bar.opened(sum(m.counts.values()))
    if PackageLog.get_or_none(PackageLog.direction == "received",
                              PackageLog.package_id == m.package_id) is not None:
        # signed and every file matches its hash: the very package taken in before; the
        # records need not be read again (re-importing is a quick no-op)
        contents = PackageContents(offices={})
    else:
        step = bar.stage("读取记录", _READ, bar.records)
        contents = read_contents(opened, schema_version=migrations.LATEST_VERSION, progress=step)
    sender = m.sender
    fp = keys.fingerprint(sender["sign_public"], sender["box_public"])
    if fp != sender.get("fingerprint", fp):
        raise PackageRefused("manifest", "清单中的指纹与密钥不符")
    scope = _scope(contents, sender["uuid"], m.kind)
    if contents.offices:
        _check_direction(m, me, scope, contents)
    status = keys.key_status(sender["uuid"], fp)
    received = list(PackageLog.select().where(PackageLog.direction == "received",
                                              PackageLog.office_uuid == sender["uuid"]))
    last = max((r.sequence for r in received), default=0)
    already = any(r.package_id == m.package_id for r in received)
    preview = ImportPreview(
        path=str(path), sha256=opened.sha256, package_id=m.package_id, kind=m.kind,
        sender_uuid=sender["uuid"], sender_name=sender["name"], sender_level=sender["level"],
        fingerprint=fp, key_status=status, sequence=m.sequence, last_sequence=last,
        period=m.period, created_at=m.created_at, counts=dict(m.counts), diffs={},
        deletion_markers=len(contents.deleted), deregister_titles=0, minors="none",
        already_imported=already)
    if status == "changed":
        preview.previous_fingerprint = keys.confirmed_fingerprint(sender["uuid"])
        preview.refusal_reason = "key_changed"
        preview.refusal = (f"{sender['name']} 的密钥与上次不同（原指纹 {preview.previous_fingerprint}，"
                           f"新指纹 {fp}），已拒绝。若该单位确实丢失了密钥（换了电脑又没有身份文件），"
                           "请电话核对新指纹，确认后写明原因并更换该单位的密钥再导入")
    else:
        preview.refusal_reason, preview.refusal = _sequence_refusal(m.sequence, last, already)
    plan = _Plan(preview=preview, opened=opened, contents=contents, marker=marker)
    if not already:
        # both passes of plan_records report every kind: matching, then building the rows
        _diff(plan, me, scope, bar.stage("比对本库数据", _COMPARE, 2 * bar.records))
    if not bar.writing:
        bar.finish("预览完成")
    return plan


def _sequence_refusal(sequence: int, last: int, already: bool) -> tuple[str, str]:
    if sequence < last:
        return "sequence_old", f"该单位第 {last} 号包已导入，这个第 {sequence} 号包更旧，导入它会退回旧数据"
    if sequence == last and not already:
        return "sequence_reused", f"该单位第 {sequence} 号包已导入过另一份，序号不能重复使用"
    return "", ""


def _diff(plan: _Plan, me: Office, scope: set[str], step: KindStep | None) -> None:
    contents, m, preview = plan.contents, plan.opened.manifest, plan.preview
    offices = {o.uuid: o for o in Office.select()}
    new_ids = IdReserver(database, Office._meta.table_name)
    office_ids = {u: o.id for u, o in offices.items()}
    for po in sorted(contents.offices.values(), key=lambda o: -o.level):
        if po.uuid not in offices:
            office_ids[po.uuid] = new_id = new_ids.take(1)[0]
            plan.new_offices.append({"id": new_id, "uuid": po.uuid, "level": po.level,
                                     "name": po.name, "region_code": po.region_code,
                                     "region_name": po.region_name, "is_self": 0})
    for po in contents.offices.values():
        parent = office_ids.get(po.parent) if po.parent else None
        if po.uuid == m.sender["uuid"] and m.kind == "up" and parent is None:
            parent = me.id
        known = offices.get(po.uuid)
        if ((po.uuid in scope or known is None) and po.uuid != me.uuid and parent is not None
                and (known is None or known.parent_id != parent)):
            plan.office_parents[office_ids[po.uuid]] = parent
    opener = None
    sealed = m.sealed
    if sealed:
        ident = keys.identity()
        if ident is not None and sealed.get("to_fingerprint") == ident.fingerprint:
            opener = keys.Opener(sealed["ephemeral_public"])
            preview.minors = "opened"
        else:
            preview.minors = "not_for_us"
            preview.warnings.append("包中未成年人信息是加密给其他单位密钥的，本办公室无法解密，导入后这些信息为空。")
    plan_records(plan, me, scope, office_ids, opener, step)


def preview_package(path: Path, progress: Progress | None = None) -> ImportPreview:
    """Verify a package and say what importing it would do (broken files raise); ``progress``
    as for :func:`plan_import`."""
    return plan_import(path, progress).preview


def prepare_import(path: Path, progress: Progress | None = None) -> PreparedImport:
    """Like :func:`preview_package` (its ``.preview``), keeping the work: handed back to
    :func:`import_package` as ``prepared``, the import writes at once instead of reading and
    comparing the package again — as long as nothing in the database changed meanwhile."""
    with no_gc_pauses():  # as in import_package: the plan is many small objects
        return plan_import(path, progress)


def import_package(path: Path, *, trust_new_key: bool = False, db_path: Path | None = None,
                   replace_key_reason: str | None = None,
                   progress: Progress | None = None,
                   prepared: PreparedImport | None = None) -> ImportResult:
    """Verify, then merge the package in one transaction; a backup first when anything changes
    (beside ``db_path``: the database, or for a server the name its local backups go under).

    ``trust_new_key``: the officer confirmed a new sender's fingerprint by telephone.
    ``replace_key_reason``: the sender is known but signed with a new key (it lost the old
    one); the officer confirmed the new fingerprint by telephone and says why. The old key is
    retired and the new one trusted in the same transaction as the merge (and audited).
    ``progress(done, total, text)``: each stage (verifying, reading, comparing, backing up,
    writing by kind of record, committing); done == total only once the merge is committed.
    It may raise :class:`ImportCancelled` to stop before the backup (later it is ignored).
    ``prepared``: the plan :func:`prepare_import` made of this very file for the preview the
    officer confirmed; used if the database has not changed since (else planned again).
    """
    require(Permission.MERGE_PACKAGES)
    # Tens of thousands of records become dicts and tuples that live until the end: the
    # cyclic collector would walk them again and again for nothing (~10 % of a merge).
    # two 管理员 on a server importing at once: one after the other, each planning on what
    # the other merged (and the same package twice: the second sees the first)
    with no_gc_pauses(), exclusive(database, "package-import"):
        return _import_package(path, trust_new_key=trust_new_key, db_path=db_path,
                               replace_key_reason=replace_key_reason,
                               bar=_Bar(progress, writing=True), prepared=prepared)


def _import_package(path: Path, *, trust_new_key: bool, db_path: Path | None,
                    replace_key_reason: str | None, bar: _Bar,
                    prepared: PreparedImport | None = None) -> ImportResult:
    started = time.perf_counter()
    if (prepared is not None and prepared.marker is not None
            and Path(prepared.opened.path).resolve() == Path(path).resolve()
            and database_marker(database) == prepared.marker):
        plan = prepared  # what the officer saw is what gets written
        bar.opened(sum(plan.opened.manifest.counts.values()), planned=True)
    else:
        plan = plan_import(path, bar=bar)
    p = plan.preview
    replacing = p.refusal_reason == "key_changed" and replace_key_reason is not None
    if replacing:
        if len(replace_key_reason.strip()) < 4:
            raise InputRefused("请写明更换该单位密钥的原因（至少 4 个字），例如：该单位电脑硬盘损坏，已电话核对新指纹。")
        # the key is dealt with; the order of packages still holds
        reason, text = _sequence_refusal(p.sequence, p.last_sequence, p.already_imported)
        if reason:
            raise PackageRefused(reason, text)
    elif p.refusal:
        raise PackageRefused(p.refusal_reason, p.refusal)
    if p.already_imported:
        bar.finish("此包已经导入过，没有改动")
        return ImportResult(p, False, None, round(time.perf_counter() - started, 3))
    if p.key_status == "new" and not trust_new_key:
        raise PackageRefused("key_unknown",
                             f"{p.sender_name} 的密钥是第一次见到，指纹 {p.fingerprint}。请电话核对指纹后确认信任再导入")
    backup = None
    bar.firm = True  # from here on the import is not cancelled (see _Bar)
    bar.stage("备份本库", _BACKUP, quiet=not (p.changes and db_path))
    if p.changes and db_path is not None:
        from wqg_desktop.exchange.backups import backup_before

        made = backup_before(db_path, "导入前")
        backup = str(made) if made else None
    from wqg_desktop.exchange.archive import write_atomically
    from wqg_desktop.services.attachments import storage_path

    if plan.opened.attachments:
        bar.show("正在保存附件…")
    for name in plan.opened.attachments:
        target = storage_path(name[len(mf.ATTACH_DIR):])
        if not target.exists():
            data = read_attachment(plan.opened.path, name, plan.opened.manifest.files[name])
            write_atomically(target, lambda h, d=data: h.write(d))
    try:
        _apply(plan, replace_key_reason.strip() if replacing else None, bar)
    except (IntegrityError, OperationalError, *DRIVER_ERRORS) as exc:
        raise PackageRefused("conflict", f"合并时与本库数据冲突（{exc}）") from None
    bar.finish("导入完成")
    return ImportResult(p, True, backup, round(time.perf_counter() - started, 3))


def _apply(plan: _Plan, replace_key_reason: str | None, bar: _Bar) -> None:
    p, m = plan.preview, plan.opened.manifest
    db = database.obj
    rows_written = (sum(map(len, plan.inserts.values())) + sum(map(len, plan.updates.values()))
                    + sum(map(len, plan.deletes.values())))
    step = bar.stage("写入", _WRITE, rows_written)
    with database.atomic():
        defer_foreign_keys(db)
        keys.wrap_stored_keys()
        for office in plan.new_offices:
            Office.insert(**office).execute()
        for oid, parent in plan.office_parents.items():
            Office.update(parent=parent).where(Office.id == oid).execute()
        cursor = db.cursor()
        for model, rows in plan.inserts.items():
            if step is not None:
                step(model.__name__, len(rows))
            cols = ["id"] + [f.column_name for f in codec.fields_of(model)]
            bulk_insert(db, model._meta.table_name, cols, rows)
        for model, rows in plan.updates.items():
            if step is not None:
                step(model.__name__, len(rows))
            param = db.param  # not ``p``: that is the preview, used below
            sets = ", ".join(f'"{f.column_name}" = {param}' for f in codec.fields_of(model))
            cursor.executemany(f'UPDATE "{model._meta.table_name}" SET {sets} WHERE "id" = {param}', rows)
        for model in reversed(codec.synced_models()):
            ids = plan.deletes.get(model, [])
            if ids and step is not None:
                step(model.__name__, len(ids))
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                cursor.execute(f'DELETE FROM "{model._meta.table_name}" WHERE "id" IN '
                               f'({placeholders(db, len(chunk))})', chunk)
        if plan.deregister_units:
            _deregister(plan.deregister_units)
        s = m.sender
        if replace_key_reason is not None:
            keys.replace_key(office_uuid=s["uuid"], office_name=s["name"], level=s["level"],
                             sign_public=s["sign_public"], box_public=s["box_public"],
                             reason=replace_key_reason)
        elif p.key_status == "new":
            keys.trust_key(office_uuid=s["uuid"], office_name=s["name"], level=s["level"],
                           sign_public=s["sign_public"], box_public=s["box_public"])
        totals = p.totals()
        PackageLog.create(
            direction="received", package_id=p.package_id, kind=p.kind, office_uuid=p.sender_uuid,
            office_name=p.sender_name, sequence=p.sequence, sha256=p.sha256,
            file_name=Path(p.path).name, counts=json.dumps(p.counts, ensure_ascii=False),
            result=f"已导入：新增 {totals['new']}，修改 {totals['changed']}，删除 {totals['gone']}")
        # The rows are written in bulk, not saved one by one, so the audit trail gets one row
        # per record kind that changed (with its counts) and one for the package.
        for kind, d in p.diffs.items():
            if d.new or d.changed or d.gone:
                audit("导入上报包", kind, {"发送单位": p.sender_name, "序号": p.sequence,
                                          "新增": d.new, "修改": d.changed, "删除": d.gone},
                      entity_id=p.package_id)
        audit("导入上报包", "Package", {"发送单位": p.sender_name, "序号": p.sequence, **totals},
              entity_id=p.package_id)
        bar.stage("提交", _COMMIT)  # leaving the block commits


def _deregister(unit_ids: list[int]) -> None:
    """Rule 7: the mark that travelled up deregisters this office's own titles of the unit."""
    from wqg_desktop.services.units_titles import deregister_own_titles

    for unit in Unit.select().where(Unit.id.in_(unit_ids)):
        on = unit.youth_work_ended_on or dt.date.today()
        reason = "下级报送：该单位工作性质改变，不再涉及青少年工作" + (
            f"（{unit.youth_work_end_reason}）" if unit.youth_work_end_reason else "")
        deregister_own_titles(unit, on, reason)


def package_log(limit: int = 200) -> list[dict[str, Any]]:
    """The packages made here and taken in, newest first."""
    rows = PackageLog.select().order_by(PackageLog.at.desc(), PackageLog.id.desc()).limit(limit)
    out = []
    for r in rows:
        counts = json.loads(r.counts or "{}")
        out.append({"id": r.id, "direction": {"sent": "发出", "received": "收到"}.get(r.direction, r.direction),
                    "kind": "下发" if r.kind == "down" else "上报", "office": r.office_name,
                    "sequence": r.sequence, "records": sum(counts.values()), "at": r.at,
                    "file": r.file_name, "result": r.result, "sha256": r.sha256,
                    "package_id": r.package_id})
    return out
