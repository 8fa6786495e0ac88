"""Reading the contents of a checked package: offices, records and deletion markers.

Everything is validated here, before the database is touched: encodings, JSON, field types,
UUIDs, duplicates, counts against the manifest, and the office tree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from typing import Any

from wqg_desktop.db.models import SyncedModel
from wqg_desktop.exchange import codec
from wqg_desktop.exchange import manifest as mf
from wqg_desktop.exchange.archive import OpenedPackage
from wqg_desktop.exchange.manifest import PackageRefused, is_uuid

try:  # a C parser ~3x the standard library's; optional: without it the stdlib path below serves
    import orjson
except ImportError:  # pragma: no cover - orjson is a declared dependency
    orjson = None

_META_KEYS = {"uuid", "owner", "_ref", "_sealed"}

#: ``progress(kind, records)``: called as the records of a kind (a model's name) are about to
#: be worked on, with how many there are (merge.py turns it into a bar)
KindStep = Callable[[str, int], None]


@dataclass
class PackageOffice:
    uuid: str
    name: str
    level: int
    region_code: str
    region_name: str
    parent: str | None


@dataclass
class KindRecords:
    """The records of one kind, by column (merging works a column at a time): the checked
    JSON values of every field, ``owner`` by office UUID, every field present."""

    #: ``uuid``, ``owner`` and every other carried field, in :func:`codec.fields_of` order
    names: list[str]
    columns: list[list[Any]]
    #: positions of the reference records (``_ref: true``)
    refs: list[int] = field(default_factory=list)
    #: position → the record's sealed minors' data (``_sealed``)
    sealed: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def column(self, name: str) -> list[Any]:
        return self.columns[self.names.index(name)]

    def record(self, i: int) -> dict[str, Any]:
        """Record ``i`` in its JSON form (with ``_ref``/``_sealed`` when it has them)."""
        rec = {name: col[i] for name, col in zip(self.names, self.columns, strict=True)}
        if i in self.refs:
            rec["_ref"] = True
        if i in self.sealed:
            rec["_sealed"] = self.sealed[i]
        return rec


@dataclass
class PackageContents:
    offices: dict[str, PackageOffice]
    #: model → its records, by column
    kinds: dict[type[SyncedModel], KindRecords] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)


_scan = json.JSONDecoder().scan_once


def _lines(name: str, data: bytes) -> list[dict[str, Any]]:
    if data and not data.endswith(b"\n"):
        raise PackageRefused("bad_json", f"“{name}”的最后一行不完整")
    parts = data.split(b"\n")[:-1] if data else []
    if len(data) > mf.MAX_LINE_BYTES and max(map(len, parts)) > mf.MAX_LINE_BYTES:
        return _lines_one_by_one(name, parts)
    fast = _orjson_lines(parts, data)
    if fast is not None:
        return fast
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _lines_one_by_one(name, parts)
    # The common case, fast: the C scanner on each line, which must hold exactly one object
    # (no leading or trailing text); anything else goes the slow way for its precise reason.
    lines = text.split("\n")[:-1]
    try:
        scanned = [_scan(line, 0) for line in lines]
    except (StopIteration, ValueError, RecursionError):
        return _lines_one_by_one(name, parts)
    out = [value for value, _ in scanned]
    if [end for _, end in scanned] != list(map(len, lines)) or (out and set(map(type, out)) != {dict}):
        return _lines_one_by_one(name, parts)
    return out


#: 19 digits in a row: maybe an integer orjson would turn into a float (it keeps exact integers
#: only within 64 bits, the standard library keeps every integer exact). Found by mapping
#: every digit to "0" and anything else to "x", then a plain substring search (a regular
#: expression over megabytes costs a quarter of a second).
_DIGITS = bytes(48 if 48 <= c <= 57 else 120 for c in range(256))
_LONG_RUN = b"0" * 19


def _orjson_lines(parts: list[bytes], data: bytes) -> list[dict[str, Any]] | None:
    """Every line parsed by orjson, or None to take the standard library's path instead.

    Whatever orjson accepts, ``json.loads`` accepts with the same value (orjson is stricter:
    it refuses lone surrogates, NaN, overflowing numbers, a BOM, invalid UTF-8…), except
    integers beyond 64 bits, which orjson turns into floats: with a long run of digits
    anywhere the standard path decides. Any refusal here also goes the standard way, which
    gives the precise reason."""
    if orjson is None or _LONG_RUN in data.translate(_DIGITS):
        return None
    loads = orjson.loads
    try:
        out = [loads(line) for line in parts]
    except orjson.JSONDecodeError:
        return None
    if out and set(map(type, out)) != {dict}:
        return None
    return out


def _lines_one_by_one(name: str, parts: list[bytes]) -> list[dict[str, Any]]:
    out = []
    for number, line in enumerate(parts, start=1):
        if len(line) > mf.MAX_LINE_BYTES:
            raise PackageRefused("too_large", f"“{name}”第 {number} 行过长")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise PackageRefused("bad_encoding", f"“{name}”第 {number} 行不是 UTF-8 文字") from None
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            raise PackageRefused("bad_json", f"“{name}”第 {number} 行不是有效的 JSON") from None
        if not isinstance(value, dict):
            raise PackageRefused("bad_json", f"“{name}”第 {number} 行不是一条记录")
        out.append(value)
    return out


def _office(rec: dict[str, Any]) -> PackageOffice:
    try:
        office = PackageOffice(rec["uuid"], rec["name"], rec["level"], rec.get("region_code") or "",
                               rec.get("region_name") or "", rec.get("parent"))
    except KeyError:
        raise PackageRefused("bad_record", "单位记录缺少字段") from None
    if not is_uuid(office.uuid) or (office.parent is not None and not is_uuid(office.parent)):
        raise PackageRefused("bad_record", "单位标识无效")
    if not isinstance(office.name, str) or not 0 < len(office.name) <= 100:
        raise PackageRefused("bad_record", "单位名称无效")
    if isinstance(office.level, bool) or office.level not in (1, 2, 3, 4):
        raise PackageRefused("bad_record", f"单位“{office.name}”的层级无效")
    if not isinstance(office.region_code, str) or not isinstance(office.region_name, str):
        raise PackageRefused("bad_record", f"单位“{office.name}”的地区无效")
    return office


def read_contents(opened: OpenedPackage, *, schema_version: int,
                  progress: KindStep | None = None) -> PackageContents:
    """Parse and validate every record of an opened package (``progress``: before each kind)."""
    m = opened.manifest
    offices: dict[str, PackageOffice] = {}
    office_lines = _lines(mf.OFFICES, opened.files.get(mf.OFFICES, b""))
    if len(office_lines) > mf.MAX_OFFICES:
        raise PackageRefused("too_large", "单位数量超过上限")
    for rec in office_lines:
        office = _office(rec)
        if office.uuid in offices:
            raise PackageRefused("bad_record", f"单位“{office.name}”出现了两次")
        offices[office.uuid] = office
    sender = offices.get(m.sender["uuid"])
    if sender is None:
        raise PackageRefused("manifest", "单位清单中没有发送单位")
    if sender.level != m.sender["level"]:
        raise PackageRefused("manifest", "发送单位的层级与清单不符")
    for office in offices.values():
        if office.parent is not None and office.parent not in offices:
            raise PackageRefused("bad_record", f"单位“{office.name}”的上级不在单位清单中")
    contents = PackageContents(offices=offices)
    models = codec.model_by_name()
    data_files = {n[len(mf.DATA_DIR):-len(".jsonl")]: n for n in opened.files if n.startswith(mf.DATA_DIR)}
    if set(data_files) != {k for k, v in m.counts.items() if v}:
        raise PackageRefused("manifest", "记录文件与清单中的记录数不一致")
    seen: set[str] = set()
    same_schema = m.schema_version == schema_version
    for kind, name in sorted(data_files.items(), key=lambda kv: _order(models, kv[0])):
        model = models.get(kind)
        if model is None:
            if same_schema:
                raise PackageRefused("bad_record", f"不认识的记录类别“{kind}”")
            continue  # a kind dropped since that schema version: nothing to take in
        if progress is not None:
            progress(kind, m.counts[kind])
        rows = _lines(name, opened.files[name])
        if len(rows) != m.counts[kind]:
            raise PackageRefused("manifest", f"{kind} 实有 {len(rows)} 条，清单写 {m.counts[kind]} 条")
        flds = {("owner" if f.name == "owner_office" else f.name): f for f in codec.fields_of(model)}
        minors = set(codec.minor_fields(model))
        known = set(flds) | _META_KEYS
        names = list(flds)  # "uuid" and "owner" included
        width = len(names)
        try:
            # one C call per record; a record lacking a field takes the slow way below
            columns = ([list(c) for c in zip(*map(itemgetter(*names), rows), strict=True)] if rows
                       else [[] for _ in names])
            complete = True
        except KeyError:
            missing = codec._MISSING
            columns = [[rec.get(key, missing) for rec in rows] for key in names]
            complete = False
        # complete: only records with more keys than fields can hold others (_ref, _sealed…)
        special = (list(compress(range(len(rows)), map(width.__ne__, map(len, rows)))) if complete
                   else range(len(rows)))
        if same_schema:
            unknown = set().union(*(rows[i] for i in special)) - known
            if unknown:
                raise PackageRefused("bad_record", f"{kind} 有不认识的字段 {sorted(unknown)[:3]}")
        uids, owners = columns[names.index("uuid")], columns[names.index("owner")]
        if uids and not codec.all_uuids(uids):
            raise PackageRefused("bad_record", f"{kind} 的记录标识无效")
        fresh = set(uids)
        if len(fresh) != len(uids) or not fresh.isdisjoint(seen):
            duplicate = next(u for u in _duplicates(uids, seen))
            raise PackageRefused("bad_record", f"记录 {duplicate} 出现了两次")
        seen |= fresh
        if owners and (set(map(type, owners)) != {str} or not set(owners) <= offices.keys()):
            uid = next(u for u, o in zip(uids, owners, strict=True) if type(o) is not str or o not in offices)
            raise PackageRefused("bad_record", f"{kind} {uid} 的所属单位不在单位清单中")
        # field by field over every record (codec.check_column: fast on the common path)
        for n, key in enumerate(names):
            if key not in ("uuid", "owner"):
                columns[n] = codec.check_column(model, flds[key], columns[n], complete=complete)
        records = KindRecords(names, columns)
        for i in special:
            rec = rows[i]
            if "_ref" in rec or "_sealed" in rec:
                uid = uids[i]
                ref = rec.get("_ref", False)
                if ref is not True and ref is not False:
                    raise PackageRefused("bad_record", f"{kind} {uid} 的引用标记无效")
                if ref:
                    records.refs.append(i)
                sealed = rec.get("_sealed")
                if sealed is not None:
                    if not isinstance(sealed, str) or not minors or ref:
                        raise PackageRefused("bad_record", f"{kind} {uid} 的加密内容无效")
                    records.sealed[i] = sealed
        contents.kinds[model] = records
    for kind, n in m.counts.items():
        if n and kind not in data_files:
            raise PackageRefused("missing_file", f"{mf.DATA_DIR}{kind}.jsonl")
    for rec in _lines(mf.DELETED, opened.files.get(mf.DELETED, b"")):
        uid = rec.get("uuid")
        if not is_uuid(uid) or set(rec) != {"uuid"}:
            raise PackageRefused("bad_record", "删除标记无效")
        if uid in seen:
            raise PackageRefused("bad_record", f"记录 {uid} 既在包中又被标为删除")
        contents.deleted.append(uid)
    if len(contents.deleted) != m.deleted:
        raise PackageRefused("manifest", "删除标记数与清单不符")
    return contents


def _duplicates(uids: list[str], seen: set[str]):  # type: ignore[no-untyped-def]
    mine: set[str] = set()
    for uid in uids:
        if uid in seen or uid in mine:
            yield uid
        mine.add(uid)


def _order(models: dict[str, type[SyncedModel]], kind: str) -> int:
    names = list(models)
    return names.index(kind) if kind in names else len(names)
