"""The package manifest: what it must say, the limits a reader enforces, and the refusal type.

See ``docs/package-format.md`` for the specification.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from wqg_desktop.errors import InputRefused

FORMAT = "wqgpkg"
#: The format this program writes. Readers accept every version up to this one.
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = (1,)
SUFFIX = ".wqgpkg"

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
OFFICES = "offices.jsonl"
DELETED = "deleted.jsonl"
SUMMARY = "汇总表.xlsx"
COVER = "报送函.pdf"
DATA_DIR = "data/"
ATTACH_DIR = "attachments/"

# Limits checked while reading (never trusted from zip headers).
MAX_PACKAGE_BYTES = 2 * 1024**3
MAX_ENTRIES = 100_000
MAX_MANIFEST_BYTES = 4 * 1024**2
MAX_FILE_BYTES = 1024**3
MAX_TOTAL_BYTES = 3 * 1024**3
MAX_LINE_BYTES = 1024**2
MAX_ROWS_PER_KIND = 5_000_000
MAX_OFFICES = 10_000

_NAME_RE = re.compile(r"^(data/[A-Za-z][A-Za-z0-9_]{0,59}\.jsonl|attachments/[0-9a-f]{64}|"
                      r"offices\.jsonl|deleted\.jsonl|汇总表\.xlsx|报送函\.pdf)$")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
#: A record or package UUID, for ``fullmatch`` (a ``$`` anchor would let a trailing newline through).
UUID_FULL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

#: Chinese headline of each refusal reason (the message adds the detail).
REASONS = {
    "not_package": "不是上报包",
    "truncated": "文件不完整（可能被截断或复制中断）",
    "corrupt": "文件内容已损坏",
    "missing_file": "上报包缺少文件",
    "extra_file": "上报包中多出了清单之外的文件",
    "manifest": "清单与内容不符",
    "signature": "签名不正确",
    "key_changed": "发送单位的密钥与上次不同",
    "key_unknown": "发送单位的密钥尚未确认",
    "format_new": "上报包格式比本程序新",
    "schema_new": "上报包的数据结构比本程序新",
    "unsafe_path": "上报包中有不安全的文件路径",
    "link": "上报包中有链接文件",
    "bomb": "解压后的内容超过限制（疑似压缩炸弹）",
    "too_large": "上报包大小或数量超出限制",
    "bad_json": "上报包中的数据格式错误",
    "bad_encoding": "上报包中的文字编码错误",
    "bad_record": "上报包中的记录不合规则",
    "sequence_old": "上报包比已导入的旧",
    "sequence_reused": "上报包序号重复",
    "wrong_office": "上报包不是发给本办公室的",
    "conflict": "上报包与本库数据冲突",
}


class PackageRefused(InputRefused):
    """A package that is refused; ``reason`` is a key of :data:`REASONS`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        headline = REASONS[reason]
        message = f"{headline}：{detail}" if detail else headline
        super().__init__(message + "。本库未作任何改动。", details={"reason": reason})
        self.reason = reason


def safe_member_name(name: str) -> str | None:
    """Why ``name`` is not a safe member name, or ``None`` when it is fine."""
    if not name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "unsafe_path"
    if "\\" in name or any(part in ("", ".", "..") for part in name.split("/")):
        return "unsafe_path"
    if "\x00" in name:
        return "unsafe_path"
    return None


def allowed_member(name: str) -> bool:
    return bool(_NAME_RE.match(name))


@dataclass
class Manifest:
    """The parsed ``manifest.json``."""

    raw: dict[str, Any]
    format_version: int
    schema_version: int
    package_id: str
    kind: str
    sender: dict[str, Any]
    receiver: dict[str, Any]
    sequence: int
    period: str
    created_at: str
    counts: dict[str, int]
    files: dict[str, dict[str, Any]]
    sealed: dict[str, Any] | None = None
    deleted: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _need(cond: bool, detail: str) -> None:
    if not cond:
        raise PackageRefused("manifest", detail)


def parse_manifest(data: bytes, *, schema_version: int) -> Manifest:
    """Check ``manifest.json`` (already signature-checked) and return it parsed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackageRefused("bad_encoding", "manifest.json 不是 UTF-8 文本") from None
    try:
        raw = json.loads(text)
    except ValueError:
        raise PackageRefused("bad_json", "manifest.json 不是有效的 JSON") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise PackageRefused("not_package", "清单不是维权岗上报包的清单")
    version = raw.get("format_version")
    _need(isinstance(version, int) and not isinstance(version, bool) and version >= 1,
          "格式版本缺失")
    if version not in SUPPORTED_FORMAT_VERSIONS:
        raise PackageRefused(
            "format_new", f"上报包为第 {version} 版格式，本程序只认识到第 {FORMAT_VERSION} 版，请先升级程序")
    schema = raw.get("schema_version")
    _need(isinstance(schema, int) and not isinstance(schema, bool) and schema >= 1,
          "数据结构版本缺失")
    if schema > schema_version:
        raise PackageRefused(
            "schema_new", f"上报包的数据结构为第 {schema} 版，本程序为第 {schema_version} 版，请先升级程序")
    sender = raw.get("sender")
    _need(isinstance(sender, dict), "缺少发送单位")
    for key in ("uuid", "name", "sign_public", "box_public"):
        _need(isinstance(sender.get(key), str), f"发送单位缺少 {key}")
    _need(UUID_FULL.fullmatch(sender["uuid"]) is not None, "发送单位标识无效")
    _need(isinstance(sender.get("level"), int) and 1 <= sender["level"] <= 4, "发送单位层级无效")
    receiver = raw.get("receiver") or {}
    _need(isinstance(receiver, dict), "接收单位格式错误")
    seq = raw.get("sequence")
    _need(isinstance(seq, int) and not isinstance(seq, bool) and 1 <= seq < 2**53, "序号无效")
    pid = raw.get("package_id")
    _need(isinstance(pid, str) and UUID_FULL.fullmatch(pid) is not None, "上报包编号无效")
    kind = raw.get("kind")
    _need(kind in ("up", "down"), "上报包类别无效")
    counts = raw.get("counts")
    _need(isinstance(counts, dict), "缺少记录数")
    for name, n in counts.items():
        _need(isinstance(name, str) and isinstance(n, int) and not isinstance(n, bool), "记录数格式错误")
        if n < 0 or n > MAX_ROWS_PER_KIND:
            raise PackageRefused("too_large", f"{name} 的记录数 {n} 不合理")
    files = raw.get("files")
    _need(isinstance(files, dict) and files, "缺少文件清单")
    if len(files) > MAX_ENTRIES:
        raise PackageRefused("too_large", f"文件数 {len(files)} 超过上限")
    total = 0
    for name, info in files.items():
        problem = safe_member_name(name) if isinstance(name, str) else "unsafe_path"
        if problem:
            raise PackageRefused(problem, f"清单中的文件名“{name}”")
        _need(allowed_member(name), f"清单中有不认识的文件“{name}”")
        _need(isinstance(info, dict) and isinstance(info.get("sha256"), str)
              and bool(_SHA_RE.match(info["sha256"])) and isinstance(info.get("size"), int)
              and not isinstance(info.get("size"), bool), f"文件“{name}”的校验信息无效")
        if not 0 <= info["size"] <= MAX_FILE_BYTES:
            raise PackageRefused("too_large", f"文件“{name}”声明的大小 {info['size']} 不合理")
        total += info["size"]
    if total > MAX_TOTAL_BYTES:
        raise PackageRefused("too_large", "全部文件解压后超过上限")
    sealed = raw.get("sealed")
    _need(sealed is None or (isinstance(sealed, dict) and isinstance(sealed.get("ephemeral_public"), str)
                             and isinstance(sealed.get("to_fingerprint"), str)), "加密信息格式错误")
    deleted = raw.get("deleted", 0)
    _need(isinstance(deleted, int) and not isinstance(deleted, bool) and deleted >= 0, "删除标记数无效")
    return Manifest(
        raw=raw, format_version=version, schema_version=schema, package_id=pid, kind=kind,
        sender=sender, receiver=receiver, sequence=seq, period=str(raw.get("period", "")),
        created_at=str(raw.get("created_at", "")), counts=counts, files=files, sealed=sealed,
        deleted=deleted)


def is_uuid(text: object) -> bool:
    return isinstance(text, str) and UUID_FULL.fullmatch(text) is not None
