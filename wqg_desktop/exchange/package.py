"""Making a package: the snapshot of what this office owns or holds from below (上报), or of
its decisions concerning one office below (下发), signed, written safely and read back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import time
import uuid as uuid_mod
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import compress
from operator import itemgetter
from pathlib import Path

from peewee import FloatField, ForeignKeyField, Model

from wqg_desktop import __version__
from wqg_desktop.db import migrations
from wqg_desktop.db.dialect import placeholders, snapshot
from wqg_desktop.db.models import Attachment, Office, PackageLog, SyncedModel, Unit, database
from wqg_desktop.domain.chinese import Term
from wqg_desktop.errors import InputRefused
from wqg_desktop.exchange import codec, keys
from wqg_desktop.exchange import manifest as mf
from wqg_desktop.exchange.archive import open_package, write_atomically
from wqg_desktop.services.bulk import no_gc_pauses
from wqg_desktop.services.office import this_office
from wqg_desktop.services.privacy import mask_free_text

try:  # a C encoder ~5x the standard library's; without it the standard library serves
    import orjson
except ImportError:  # pragma: no cover - orjson is a declared dependency
    orjson = None

Progress = Callable[[int, int, str], None]
ROW_SEPARATOR = b"\n"
#: One encoder for every record (``json.dumps`` with options builds a new one per call).
#: Records come with their keys sorted; only those given ``_sealed``/``_ref`` need sorting.
_encode_json = json.JSONEncoder(ensure_ascii=False).encode
_encode_json_sorted = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _record_encoders(model: type[Model]) -> tuple[Callable[[dict], bytes], Callable[[dict], bytes]]:
    """A record's line (UTF-8 JSON and ``\n``) as is, and with its keys sorted. orjson writes
    the same JSON values as the standard library (without spaces), except non-finite floats
    (null instead of NaN/Infinity, which the receiver refuses): kinds with float fields keep
    the standard library's encoder. Each line is written out at once, not kept: holding tens
    of thousands of orjson's results costs more in fresh memory than encoding them."""
    if orjson is None or any(isinstance(f, FloatField) for f in codec.fields_of(model)):
        return (lambda rec: (_encode_json(rec) + "\n").encode("utf-8"),
                lambda rec: (_encode_json_sorted(rec) + "\n").encode("utf-8"))
    return (partial(orjson.dumps, option=orjson.OPT_APPEND_NEWLINE),
            partial(orjson.dumps, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE))


#: zlib level of the record files: level 1 compresses JSON lines about as well as 6
#: (they are repetitive) in a third of the time.
COMPRESS_LEVEL = 1


@dataclass
class ExportResult:
    path: Path
    package_id: str
    sequence: int
    kind: str
    counts: dict[str, int]
    deleted: int
    sha256: str
    fingerprint: str
    sealed_to: str | None
    minors_blanked: int
    attachments: int
    attachments_missing: int
    seconds: float
    receiver: str = ""
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = dict(self.__dict__)
        data["path"] = str(self.path)
        return data


def subtree_ids(root: Office) -> set[int]:
    """``root`` and every office below it, by ``Office.parent``."""
    children: dict[int | None, list[int]] = {}
    for oid, parent in Office.select(Office.id, Office.parent).tuples():
        children.setdefault(parent, []).append(oid)
    found, todo = set(), [root.id]
    while todo:
        oid = todo.pop()
        if oid in found:
            continue
        found.add(oid)
        todo.extend(children.get(oid, []))
    return found


def current_term(today: dt.date) -> Term:
    """The term a package is filed under: terms start in odd years (2025—2026年度)."""
    return Term(today.year if today.year % 2 == 1 else today.year - 1)


def default_file_name(office_name: str, today: dt.date, *, receiver: str = "") -> str:
    tail = f"_下发{receiver}" if receiver else ""
    return f"{office_name}_{current_term(today).label}_{today:%Y%m%d}{tail}{mf.SUFFIX}"


# -- choosing the rows -------------------------------------------------------------------------

def _in(column: str, ids: set[int] | list[int]) -> tuple[str, list[int]]:
    values = sorted(ids)
    return f'"{column}" IN ({placeholders(database, len(values)) or "NULL"})', values


def _select_up(scope: set[int]) -> dict[type[SyncedModel], list[tuple]]:
    where, params = _in("owner_office_id", scope)
    return {m: codec.select_raw(m, where, params) for m in codec.synced_models()}


def _select_down(own_id: int, target: Office) -> dict[type[SyncedModel], list[tuple]]:
    """This office's rows that reach (through references) a unit kept by ``target`` or below."""
    target_scope = subtree_ids(target)
    included: dict[type[Model], set[int]] = {
        Unit: {i for (i,) in Unit.select(Unit.id).where(Unit.owner_office.in_(target_scope)).tuples()}}
    chosen: dict[type[SyncedModel], list[tuple]] = {}
    for model in codec.synced_models():
        fks = [(i + 1, f) for i, f in enumerate(codec.fields_of(model))
               if isinstance(f, ForeignKeyField) and f.name != "owner_office"]
        rows = []
        if fks and model is not Unit:
            for row in codec.select_raw(model, f'"owner_office_id" = {database.obj.param}', [own_id]):
                if any(row[i] is not None and row[i] in included.get(f.rel_model, ()) for i, f in fks):
                    rows.append(row)
        chosen[model] = rows
        if rows:
            included.setdefault(model, set()).update(r[0] for r in rows)
    return chosen


def _reference_closure(chosen: dict[type[SyncedModel], list[tuple]]) -> dict[type[SyncedModel], list[tuple]]:
    """Rows outside the snapshot that chosen rows point at: sent as references (``_ref``)."""
    have = {m: {r[0] for r in rows} for m, rows in chosen.items()}
    refs: dict[type[SyncedModel], list[tuple]] = {}
    pending = dict(chosen)
    synced = set(codec.synced_models())
    while pending:
        wanted: dict[type[SyncedModel], set[int]] = {}
        for model, rows in pending.items():
            for i, f in enumerate(codec.fields_of(model), start=1):
                target = codec.fk_target(f)
                if target in synced and f.name != "owner_office":
                    for row in rows:
                        if row[i] is not None and row[i] not in have.setdefault(target, set()):
                            wanted.setdefault(target, set()).add(row[i])
        pending = {}
        for model, ids in wanted.items():
            rows = []
            listed = sorted(ids)
            for start in range(0, len(listed), 900):  # SQLite's limit on bound parameters
                where, params = _in("id", listed[start:start + 900])
                rows += codec.select_raw(model, where, params)
            have[model].update(r[0] for r in rows)
            refs.setdefault(model, []).extend(rows)
            pending[model] = rows
    return refs


# -- writing -----------------------------------------------------------------------------------

def _office_json(office: Office, id_to_uuid: dict[int, str]) -> dict:
    return {"uuid": office.uuid, "name": office.name, "level": office.level,
            "region_code": office.region_code, "region_name": office.region_name,
            "parent": id_to_uuid.get(office.parent_id) if office.parent_id else None}


def export_package(*, out: Path, today: dt.date, to_key: keys.OfficeKey | None = None,
                   for_office: Office | None = None, progress: Progress | None = None) -> ExportResult:
    """Make a package at ``out`` (see :func:`_export_package`)."""
    # Tens of thousands of rows and records live until the file is written: the cyclic
    # collector would walk them again and again for nothing, and most of all while the
    # cover letter's fonts are parsed (their tables are large lists): about a third of an
    # export. Nothing made here holds a reference cycle that needs collecting before the end.
    with no_gc_pauses():
        return _export_package(out=out, today=today, to_key=to_key, for_office=for_office,
                               progress=progress)


def _export_package(*, out: Path, today: dt.date, to_key: keys.OfficeKey | None,
                    for_office: Office | None, progress: Progress | None) -> ExportResult:
    """Make a package at ``out``: a snapshot up to the office above, or, with ``for_office``,
    this office's decisions concerning that office's units, handed down.

    Minors' data is sealed to ``to_key`` (or to the receiver's confirmed key) and left out
    when no key is known; the free text of those records (a complaint's content…) travels
    with the minor masked, its original sealed with the minor's data. The file is written safely and read back before it counts.
    """
    started = time.perf_counter()
    step = progress or (lambda *_: None)
    me = this_office()
    if me is None:
        raise InputRefused("尚未设置本办公室，不能制作上报包。")
    ident = keys.ensure_identity()
    if for_office is not None:
        if for_office.id == me.id or for_office.id not in subtree_ids(me):
            raise InputRefused(f"“{for_office.name}”不是本办公室的下级单位，不能向它下发决定。")
        kind, receiver = "down", for_office
    else:
        kind, receiver = "up", Office.get_or_none(Office.id == me.parent_id) if me.parent_id else None
    if to_key is not None:
        if receiver is not None and to_key.office_uuid != receiver.uuid:
            raise InputRefused(f"密钥文件属于“{to_key.office_name}”，不是接收单位“{receiver.name}”的。")
        box_key: str | None = to_key.box_public
        sealed_fp = to_key.fingerprint
    else:
        box_key = keys.confirmed_box_key(receiver.uuid) if receiver else None
        sealed_fp = None
    sequence = keys.next_sequence()  # taken first: a number is never reused, even on failure
    step(1, 6, "正在读取数据…")
    with snapshot(database):  # every kind of record as of one moment, also on a server
        chosen = _select_up(subtree_ids(me)) if kind == "up" else _select_down(me.id, receiver)
        refs = _reference_closure(chosen)
        owners = subtree_ids(me) if kind == "up" else {me.id}
        for model, rows in refs.items():
            # a referenced row this office owns is part of its snapshot, not a mere reference
            pos = 1 + [f.name for f in codec.fields_of(model)].index("owner_office")
            chosen[model] = chosen.get(model, []) + [r for r in rows if r[pos] in owners]
            refs[model] = [r for r in rows if r[pos] not in owners]
        models = codec.synced_models()
        id_to_uuid: dict[type[Model], dict[int, str]] = {}
        offices = {o.id: o for o in Office.select()}
        step(2, 6, "正在整理记录…")
        sealer = keys.Sealer(box_key) if box_key else None
        if sealer is not None and sealed_fp is None:
            sealed_fp = _fp_of(box_key)
        files: dict[str, bytes] = {}
        counts: dict[str, int] = {}
        used_offices: set[int] = {me.id} | ({receiver.id} if receiver else set())
        all_uuids: list[str] = []
        blanked = 0
        attachment_shas: set[str] = set()
        for model in models:
            own_rows, ref_rows = chosen.get(model, []), refs.get(model, [])
            if not own_rows and not ref_rows:
                continue
            flds = codec.fields_of(model)
            for f in flds:  # id → uuid of what this kind points at, one query per kind
                target = codec.fk_target(f)
                if target is not None and target not in id_to_uuid:
                    id_to_uuid[target] = codec.uuid_map(target)
            encode_all = codec.rows_encoder(model, id_to_uuid)
            minors = [(i, f.name) for i, f in enumerate(flds, start=1) if f.name.startswith("minor_")]
            # free text that may repeat the minor's identity: sent masked, the original sealed
            texts = [(i, f.name) for i, f in enumerate(flds, start=1)
                     if f.name in codec.free_text_fields(model)]
            uuid_pos = next(i for i, f in enumerate(flds, start=1) if f.name == "uuid")
            for i, f in enumerate(flds, start=1):
                if codec.fk_target(f) is Office:  # the owner too
                    used_offices.update(map(itemgetter(i), own_rows), map(itemgetter(i), ref_rows))
                    used_offices.discard(None)  # type: ignore[arg-type]
            dump, dump_sorted = _record_encoders(model)
            lines = io.BytesIO()
            write = lines.write
            for is_ref, rows in ((False, own_rows), (True, ref_rows)):
                recs = encode_all(rows)
                # only the records holding a minor's data are masked and sealed, one by one
                minor_values = zip(*(map(itemgetter(i), rows) for i, _ in minors), strict=True)
                flagged = compress(range(len(rows)), map(any, minor_values)) if minors and rows else ()
                for k in flagged:
                    row, rec = rows[k], recs[k]
                    secret = {name: row[i] for i, name in minors if row[i]}
                    for _, name in minors:
                        rec[name] = ""
                    for i, name in texts:
                        masked = mask_free_text(
                            row[i] or "", name=secret.get("minor_name", ""),
                            id_no=secret.get("minor_id_no", ""),
                            school=secret.get("minor_school", ""),
                            address=secret.get("minor_address", ""))
                        if masked != (row[i] or ""):
                            secret[name] = row[i]
                            rec[name] = masked
                    if sealer is not None and not is_ref:
                        rec["_sealed"] = sealer.seal(row[uuid_pos], secret)
                    else:
                        blanked += 1
                if is_ref:
                    for rec in recs:
                        rec["_ref"] = True
                    for line in map(dump_sorted, recs):
                        write(line)
                else:
                    if model is Attachment:
                        attachment_shas.update(rec["sha256"] for rec in recs)
                    for line in ((dump_sorted(rec) if "_sealed" in rec else dump(rec) for rec in recs) if minors
                                 else map(dump, recs)):
                        write(line)
            all_uuids.extend(r[uuid_pos] for r in chosen.get(model, []))
            files[f"{mf.DATA_DIR}{model.__name__}.jsonl"] = lines.getvalue()
            counts[model.__name__] = len(own_rows) + len(ref_rows)
        # offices: every office named, with its ancestors, so the tree is complete
        todo = list(used_offices)
        while todo:
            parent = offices[todo.pop()].parent_id
            if parent and parent not in used_offices:
                used_offices.add(parent)
                todo.append(parent)
        office_uuids = {oid: o.uuid for oid, o in offices.items()}
        files[mf.OFFICES] = b"".join(
            json.dumps(_office_json(offices[oid], office_uuids), ensure_ascii=False,
                       sort_keys=True).encode("utf-8") + ROW_SEPARATOR
            for oid in sorted(used_offices, key=lambda i: (offices[i].level, offices[i].uuid)))
        target_uuid = receiver.uuid if receiver else ""
        previous = _previous_uuids(kind, target_uuid)
        current = set(all_uuids)
        deleted = sorted(previous - current) if previous is not None else []
        files[mf.DELETED] = b"".join(json.dumps({"uuid": u}).encode("ascii") + ROW_SEPARATOR
                                     for u in deleted)
    step(3, 6, "正在附加附件…")
    missing = 0
    from wqg_desktop.services.attachments import storage_path

    for sha in sorted(attachment_shas):
        path = storage_path(sha)
        if not path.is_file():
            missing += 1
            continue
        data = path.read_bytes()
        if _sha(data) == sha:
            files[f"{mf.ATTACH_DIR}{sha}"] = data
        else:
            missing += 1
    step(4, 6, "正在生成汇总表和报送函…")
    from wqg_desktop.exchange import package_docs

    package_id = str(uuid_mod.uuid4())
    created = dt.datetime.now().replace(microsecond=0)
    files[mf.SUMMARY] = package_docs.summary_xlsx(
        counts, kind=kind, unit_ids=[r[0] for r in chosen.get(Unit, [])])
    files[mf.COVER] = package_docs.cover_letter_pdf(
        sender=me.name, receiver=receiver.name if receiver else "上级公安机关", kind=kind,
        term=current_term(today).label, day=today, counts=counts, sequence=sequence,
        fingerprint=ident.fingerprint, sealed=sealer is not None, blanked=blanked)
    manifest = {
        "format": mf.FORMAT, "format_version": mf.FORMAT_VERSION,
        "schema_version": migrations.LATEST_VERSION, "program_version": __version__,
        "package_id": package_id, "kind": kind,
        "sender": {"uuid": me.uuid, "name": me.name, "level": me.level,
                   "sign_public": ident.sign_public, "box_public": ident.box_public,
                   "fingerprint": ident.fingerprint},
        "receiver": {"uuid": receiver.uuid, "name": receiver.name} if receiver else {},
        "sequence": sequence, "period": current_term(today).label, "term_start": current_term(today).start,
        "created_at": created.isoformat(" "), "counts": counts, "deleted": len(deleted),
        "sealed": ({"alg": keys.SEAL_ALG, "to_fingerprint": sealed_fp,
                    "ephemeral_public": sealer.ephemeral_public} if sealer else None),
        "files": {name: {"sha256": _sha(data), "size": len(data)} for name, data in sorted(files.items())},
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    signature = keys.b64(keys.sign(manifest_bytes)).encode("ascii")
    step(5, 6, "正在写入文件…")

    def write(handle) -> None:  # type: ignore[no-untyped-def]
        with zipfile.ZipFile(handle, "w") as zf:
            zf.writestr(_info(mf.MANIFEST, created), manifest_bytes, zipfile.ZIP_DEFLATED)
            zf.writestr(_info(mf.SIGNATURE, created), signature, zipfile.ZIP_STORED)
            for name, data in sorted(files.items()):
                method = zipfile.ZIP_DEFLATED if name.endswith(".jsonl") else zipfile.ZIP_STORED
                zf.writestr(_info(name, created), data, method, compresslevel=COMPRESS_LEVEL)

    out = Path(out)
    write_atomically(out, write)
    step(6, 6, "正在读回校验…")
    opened = open_package(out, schema_version=migrations.LATEST_VERSION,
                          verify_signature=keys.verify_signature)
    if opened.manifest.package_id != package_id:
        raise InputRefused(f"写入 {out} 后读回校验失败，请换一个位置保存。")
    with database.atomic():
        PackageLog.create(
            direction="sent", package_id=package_id, kind=kind, office_uuid=target_uuid,
            office_name=receiver.name if receiver else "", sequence=sequence, sha256=opened.sha256,
            file_name=out.name, counts=json.dumps(counts, ensure_ascii=False),
            result=f"已生成，{sum(counts.values())} 条记录", uuids=zlib.compress(
                json.dumps(sorted(current)).encode("ascii"), 1))  # random hex: level 6 gains 5 %, 4x slower
    return ExportResult(
        path=out, package_id=package_id, sequence=sequence, kind=kind, counts=counts,
        deleted=len(deleted), sha256=opened.sha256, fingerprint=ident.fingerprint,
        sealed_to=sealed_fp, minors_blanked=blanked, attachments=len(attachment_shas) - missing,
        attachments_missing=missing, seconds=round(time.perf_counter() - started, 3),
        receiver=receiver.name if receiver else "")


def _fp_of(box_public: str) -> str:
    from wqg_desktop.db.models import KnownKey

    row = KnownKey.get_or_none(KnownKey.box_public == box_public)
    return row.fingerprint if row else ""


def _previous_uuids(kind: str, target_uuid: str) -> set[str] | None:
    row = (PackageLog.select().where(PackageLog.direction == "sent", PackageLog.kind == kind,
                                     PackageLog.office_uuid == target_uuid)
           .order_by(PackageLog.sequence.desc()).first())
    if row is None or row.uuids is None:
        return None
    return set(json.loads(zlib.decompress(bytes(row.uuids))))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _info(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.external_attr = 0o644 << 16
    info.create_system = 0
    return info

