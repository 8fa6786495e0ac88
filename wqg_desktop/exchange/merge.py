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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import IntegrityError, OperationalError

from wqg_desktop.db import migrations
from wqg_desktop.db.models import (
    Office,
    PackageLog,
    SyncedModel,
    Title,
    Unit,
    audit,
    database,
)
from wqg_desktop.domain.statuses import TitleStatus
from wqg_desktop.errors import InputRefused
from wqg_desktop.exchange import codec, keys
from wqg_desktop.exchange import manifest as mf
from wqg_desktop.exchange.archive import OpenedPackage, open_package, read_attachment
from wqg_desktop.exchange.manifest import PackageRefused
from wqg_desktop.exchange.reader import PackageContents, read_contents
from wqg_desktop.services.office import this_office
from wqg_desktop.services.stats import LABELS

_LIVE = (TitleStatus.VALID, TitleStatus.RECTIFYING)


@dataclass
class KindDiff:
    new: int = 0
    changed: int = 0
    gone: int = 0
    unchanged: int = 0
    #: records of the package that this office keeps for another office (not overwritten)
    kept: int = 0


@dataclass
class ImportPreview:
    """What a package would change, computed without changing anything."""

    path: str
    sha256: str
    package_id: str
    kind: str
    sender_uuid: str
    sender_name: str
    sender_level: int
    fingerprint: str
    key_status: str
    sequence: int
    last_sequence: int
    period: str
    created_at: str
    counts: dict[str, int]
    diffs: dict[str, KindDiff]
    deletion_markers: int
    deregister_titles: int
    minors: str
    already_imported: bool
    refusal: str = ""
    refusal_reason: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(d.new + d.changed + d.gone for d in self.diffs.values()) + self.deregister_titles

    def totals(self) -> dict[str, int]:
        out = {"new": 0, "changed": 0, "gone": 0, "unchanged": 0, "kept": 0}
        for d in self.diffs.values():
            for key in out:
                out[key] += getattr(d, key)
        return out

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["diffs"] = {k: v.__dict__ for k, v in self.diffs.items()}
        data["totals"] = self.totals()
        data["changes"] = self.changes
        data["key_status_label"] = keys.KEY_STATUS_LABELS.get(self.key_status, self.key_status)
        return data

    def lines(self) -> list[str]:
        """The preview in Chinese, for the command line and the confirmation box."""
        t = self.totals()
        out = [f"发送单位：{self.sender_name}（{'下发' if self.kind == 'down' else '上报'}，"
               f"第 {self.sequence} 号，{self.period}，生成于 {self.created_at}）",
               f"密钥指纹：{self.fingerprint}（{keys.KEY_STATUS_LABELS.get(self.key_status, '')}）",
               f"新增 {t['new']} 条，修改 {t['changed']} 条，删除 {t['gone']} 条，"
               f"未变 {t['unchanged']} 条" + (f"，本库已有其他单位的 {t['kept']} 条不覆盖" if t["kept"] else "")]
        for kind, d in self.diffs.items():
            if d.new or d.changed or d.gone:
                out.append(f"  {LABELS.get(kind, kind)}：新增 {d.new}，修改 {d.changed}，删除 {d.gone}")
        if self.deregister_titles:
            out.append(f"本级称号随单位工作性质改变而注销：{self.deregister_titles} 个")
        out += self.warnings
        if self.already_imported:
            out.append("此上报包已经导入过，再次导入不会改变任何数据。")
        if self.refusal:
            out.append(f"不能导入：{self.refusal}")
        return out


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


def plan_import(path: Path) -> _Plan:
    """Verify a package and work out every change, without writing anything."""
    me = this_office()
    if me is None:
        raise InputRefused("尚未设置本办公室，不能导入上报包。")
    opened = open_package(Path(path), schema_version=migrations.LATEST_VERSION,
                          verify_signature=keys.verify_signature)
    m = opened.manifest
    if PackageLog.get_or_none(PackageLog.direction == "received",
                              PackageLog.package_id == m.package_id) is not None:
        # signed and every file matches its hash: the very package taken in before; the
        # records need not be read again (re-importing is a quick no-op)
        contents = PackageContents(offices={})
    else:
        contents = read_contents(opened, schema_version=migrations.LATEST_VERSION)
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
        preview.refusal_reason = "key_changed"
        preview.refusal = (f"{sender['name']} 的密钥与上次不同（新指纹 {fp}），已拒绝。若该单位确实更换了"
                           "电脑或密钥，请电话核对新指纹后先更换该单位的密钥。")
    elif m.sequence < last:
        preview.refusal_reason = "sequence_old"
        preview.refusal = f"该单位第 {last} 号包已导入，这个第 {m.sequence} 号包更旧，导入它会退回旧数据"
    elif m.sequence == last and not already:
        preview.refusal_reason = "sequence_reused"
        preview.refusal = f"该单位第 {m.sequence} 号包已导入过另一份，序号不能重复使用"
    plan = _Plan(preview=preview, opened=opened, contents=contents)
    if not already:
        _diff(plan, me, scope)
    return plan


def _diff(plan: _Plan, me: Office, scope: set[str]) -> None:
    contents, m, preview = plan.contents, plan.opened.manifest, plan.preview
    offices = {o.uuid: o for o in Office.select()}
    next_office = (max((o.id for o in offices.values()), default=0)) + 1
    office_ids = {u: o.id for u, o in offices.items()}
    for po in sorted(contents.offices.values(), key=lambda o: -o.level):
        if po.uuid not in offices:
            office_ids[po.uuid] = next_office
            plan.new_offices.append({"id": next_office, "uuid": po.uuid, "level": po.level,
                                     "name": po.name, "region_code": po.region_code,
                                     "region_name": po.region_name, "is_self": 0})
            next_office += 1
    for po in contents.offices.values():
        parent = office_ids.get(po.parent) if po.parent else None
        if po.uuid == m.sender["uuid"] and m.kind == "up" and parent is None:
            parent = me.id
        known = offices.get(po.uuid)
        if ((po.uuid in scope or known is None) and po.uuid != me.uuid and parent is not None
                and (known is None or known.parent_id != parent)):
            plan.office_parents[office_ids[po.uuid]] = parent
    scope_ids = {office_ids[u] for u in scope}
    models = codec.synced_models()
    _, uuid_to_id = codec.id_maps(models)
    uuid_to_id[Office] = office_ids
    id_to_uuid_office = {i: u for u, i in office_ids.items()}
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
    pending: list[tuple[type[SyncedModel], dict, str]] = []
    foreign_kept = 0
    gone_uuids: set[str] = set()
    for model in models:
        records = contents.records.get(model, [])
        flds = codec.fields_of(model)
        minors = codec.minor_fields(model)
        local_owner = dict(model.select(model.uuid, model.owner_office).tuples())
        local_json: dict[str, tuple[int, dict]] = {}
        if scope_ids:
            id2u = {mm: {i: u for u, i in uuid_to_id[mm].items()} for mm in
                    {codec.fk_target(f) for f in flds if codec.fk_target(f) in uuid_to_id}}
            id2u[Office] = id_to_uuid_office
            ids = sorted(scope_ids)
            for row in codec.select_raw(model, f'"owner_office_id" IN ({", ".join("?" * len(ids))})', ids):
                rec = {("owner" if f.name == "owner_office" else f.name): codec.to_json(f, row[i], id2u)
                       for i, f in enumerate(flds, start=1)}
                local_json[rec["uuid"]] = (row[0], rec)
        diff = KindDiff()
        incoming: set[str] = set()
        next_id = (model.select(model.id).order_by(model.id.desc()).scalar() or 0) + 1
        for rec in records:
            uid = rec["uuid"]
            if rec.get("_ref"):
                if rec["owner"] in scope:
                    raise PackageRefused("bad_record", f"{model.__name__} {uid} 标为引用却属于发送单位")
                if uid not in uuid_to_id[model]:
                    if rec["owner"] == me.uuid:
                        raise PackageRefused("conflict", f"包中引用了本办公室已删除的记录 {uid}")
                    uuid_to_id[model][uid] = next_id
                    pending.append((model, rec, "insert"))
                    next_id += 1
                continue
            if rec["owner"] not in scope:
                raise PackageRefused("bad_record", f"{model.__name__} {uid} 不属于发送单位或其下级")
            incoming.add(uid)
            sealed_text = rec.pop("_sealed", None)
            if sealed_text is not None and opener is not None:
                values = opener.open(uid, sealed_text)
                if values is None or not set(values) <= set(minors):
                    raise PackageRefused("bad_record", f"{model.__name__} {uid} 的加密内容无法解开")
                rec.update(values)
            if uid in local_json:
                lid, old = local_json[uid]
                if old == rec:
                    diff.unchanged += 1
                else:
                    diff.changed += 1
                    pending.append((model, rec, "update"))
            elif uid in uuid_to_id[model]:
                diff.kept += 1  # this office, or another office, keeps it: never overwritten
                if local_owner.get(uid) not in (None, me.id):
                    foreign_kept += 1
            else:
                diff.new += 1
                uuid_to_id[model][uid] = next_id
                next_id += 1
                pending.append((model, rec, "insert"))
        gone = [lid for uid, (lid, _) in local_json.items() if uid not in incoming]
        gone_uuids.update(uid for uid in local_json if uid not in incoming)
        diff.gone = len(gone)
        if gone:
            plan.deletes[model] = gone
        if records or gone:
            preview.diffs[model.__name__] = diff
    if foreign_kept:
        preview.warnings.append(f"包中有 {foreign_kept} 条记录在本库中属于其他单位，未覆盖。")
    # references resolved only now: every new record has its id
    for model, rec, action in pending:
        values = []
        for f in codec.fields_of(model):
            key = "owner" if f.name == "owner_office" else f.name
            value = rec[key]
            target = codec.fk_target(f)
            if value is not None and target is not None:
                if target not in uuid_to_id:
                    value = None  # a reference to a kind that does not travel
                elif value not in uuid_to_id[target] or value in gone_uuids:
                    raise PackageRefused("bad_record", f"{model.__name__} {rec['uuid']} 引用了不存在的记录 {value}")
            values.append(codec.to_db(f, value, uuid_to_id) if value is not None else None)
        lid = uuid_to_id[model][rec["uuid"]]
        if action == "insert":
            plan.inserts.setdefault(model, []).append((lid, *values))
        else:
            plan.updates.setdefault(model, []).append((*values, lid))
    if m.kind == "up":
        ended = [uuid_to_id[Unit][r["uuid"]] for r in contents.records.get(Unit, [])
                 if not r.get("_ref") and r.get("works_with_youth") is False]
        if ended:
            live = (Title.select(Title.unit).where(Title.unit.in_(ended), Title.owner_office == me.id,
                                                   Title.status.in_(_LIVE)).tuples())
            units = [u for (u,) in live]
            plan.deregister_units = sorted(set(units))
            preview.deregister_titles = len(units)


def preview_package(path: Path) -> ImportPreview:
    """Verify a package and say what importing it would do (broken files raise)."""
    return plan_import(path).preview


def import_package(path: Path, *, trust_new_key: bool = False, backup_to: Path | None = None,
                   db_path: Path | None = None) -> ImportResult:
    """Verify, then merge the package in one transaction; a backup first when anything changes.

    ``trust_new_key``: the officer confirmed a new sender's fingerprint by telephone.
    """
    started = time.perf_counter()
    plan = plan_import(path)
    p = plan.preview
    if p.refusal:
        raise PackageRefused(p.refusal_reason, p.refusal)
    if p.already_imported:
        return ImportResult(p, False, None, round(time.perf_counter() - started, 3))
    if p.key_status == "new" and not trust_new_key:
        raise PackageRefused("key_unknown",
                             f"{p.sender_name} 的密钥是第一次见到，指纹 {p.fingerprint}。请电话核对指纹后确认信任再导入")
    backup = None
    if p.changes and db_path is not None:
        from wqg_desktop.exchange.backups import make_backup

        backup = str(make_backup(db_path, "导入前"))
    from wqg_desktop.exchange.archive import write_atomically
    from wqg_desktop.services.attachments import storage_path

    for name in plan.opened.attachments:
        target = storage_path(name[len(mf.ATTACH_DIR):])
        if not target.exists():
            data = read_attachment(plan.opened.path, name, plan.opened.manifest.files[name])
            write_atomically(target, lambda h, d=data: h.write(d))
    try:
        _apply(plan)
    except (IntegrityError, OperationalError) as exc:
        raise PackageRefused("conflict", f"合并时与本库数据冲突（{exc}）") from None
    return ImportResult(p, True, backup, round(time.perf_counter() - started, 3))


def _apply(plan: _Plan) -> None:
    p, m = plan.preview, plan.opened.manifest
    db = database.obj
    with database.atomic():
        db.execute_sql("PRAGMA defer_foreign_keys = ON")
        for office in plan.new_offices:
            Office.insert(**office).execute()
        for oid, parent in plan.office_parents.items():
            Office.update(parent=parent).where(Office.id == oid).execute()
        cursor = db.cursor()
        for model, rows in plan.inserts.items():
            cols = ["id"] + [f.column_name for f in codec.fields_of(model)]
            names = ", ".join(f'"{c}"' for c in cols)
            sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({", ".join("?" * len(cols))})'
            cursor.executemany(sql, rows)
        for model, rows in plan.updates.items():
            sets = ", ".join(f'"{f.column_name}" = ?' for f in codec.fields_of(model))
            cursor.executemany(f'UPDATE "{model._meta.table_name}" SET {sets} WHERE "id" = ?', rows)
        for model in reversed(codec.synced_models()):
            ids = plan.deletes.get(model, [])
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                cursor.execute(f'DELETE FROM "{model._meta.table_name}" WHERE "id" IN '
                               f'({", ".join("?" * len(chunk))})', chunk)
        if plan.deregister_units:
            _deregister(plan.deregister_units)
        if p.key_status == "new":
            s = m.sender
            keys.trust_key(office_uuid=s["uuid"], office_name=s["name"], level=s["level"],
                           sign_public=s["sign_public"], box_public=s["box_public"])
        totals = p.totals()
        PackageLog.create(
            direction="received", package_id=p.package_id, kind=p.kind, office_uuid=p.sender_uuid,
            office_name=p.sender_name, sequence=p.sequence, sha256=p.sha256,
            file_name=Path(p.path).name, counts=json.dumps(p.counts, ensure_ascii=False),
            result=f"已导入：新增 {totals['new']}，修改 {totals['changed']}，删除 {totals['gone']}")
        audit("导入上报包", "Package", {"发送单位": p.sender_name, "序号": p.sequence, **totals},
              entity_id=p.package_id)


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
