"""Writing files safely, and opening a package zip without trusting anything in it.

Reading checks, in this order: the file is a zip (or a truncated one), every member name is
safe (no absolute paths, no ``..``, no backslashes, no links, no duplicates, no encryption),
the signature over ``manifest.json`` is right, the manifest is sound, the members are exactly
the files it lists, and each member's bytes — counted while decompressing, never taken from
the zip headers — have the listed size and SHA-256.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from wqg_desktop.errors import InputRefused, os_reason
from wqg_desktop.exchange import manifest as mf
from wqg_desktop.exchange.manifest import Manifest, PackageRefused

_CHUNK = 1024 * 1024


def write_atomically(path: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Write through a temporary file in the same folder: flush, fsync, rename, fsync the folder.

    A crash leaves either the old file or the new one, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputRefused(f"无法写入文件 {path}：{os_reason(exc)}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder for fsync; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_verified(source: Path, target: Path) -> str:
    """Copy a package (e.g. to a USB stick) safely and read the copy back; returns its SHA-256."""
    expected = sha256_file(source)

    def copy(handle: IO[bytes]) -> None:
        with open(source, "rb") as src:
            for chunk in iter(lambda: src.read(_CHUNK), b""):
                handle.write(chunk)

    write_atomically(target, copy)
    try:
        copied = sha256_file(target)
    except OSError as exc:
        raise InputRefused(f"复制到 {target} 后无法读回（{os_reason(exc)}），U 盘可能已拔出或损坏，请重试。") from exc
    if copied != expected:
        raise InputRefused(f"复制到 {target} 后读回校验不一致，目标盘可能有问题，请换一个 U 盘再试。")
    return expected


def copy_package(source: Path, folder: Path) -> tuple[Path, str]:
    """Copy a package into ``folder`` (a USB stick) under its own name, verified by reading
    the copy back; returns (copy, SHA-256)."""
    source, folder = Path(source), Path(folder)
    if not source.is_file():
        raise InputRefused(f"找不到上报包：{source}")
    if not folder.is_dir():
        raise InputRefused(f"目标文件夹不存在：{folder}。请插好 U 盘并选择它上面的文件夹。")
    target = folder / source.name
    if target.resolve() == source.resolve():
        raise InputRefused("目标文件夹就是上报包所在的文件夹，请选择 U 盘上的文件夹。")
    try:
        return target, copy_verified(source, target)
    except OSError as exc:
        raise InputRefused(f"无法读取上报包 {source}：{os_reason(exc)}") from exc


@dataclass
class OpenedPackage:
    """A package whose signature, manifest and every file have been checked."""

    path: Path
    sha256: str
    manifest: Manifest
    manifest_bytes: bytes
    #: member name → bytes, for everything except attachments (kept in the zip until used)
    files: dict[str, bytes]
    attachments: list[str]


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Decompress one member, counting bytes as they come; stop past ``limit``."""
    out = bytearray()
    try:
        with zf.open(info) as handle:
            while True:
                chunk = handle.read(min(_CHUNK, limit + 1 - len(out)) or 1)
                if not chunk:
                    break
                out += chunk
                if len(out) > limit:
                    raise PackageRefused("bomb", f"“{info.filename}”解压后超过 {limit} 字节")
    except PackageRefused:
        raise
    except EOFError:
        raise PackageRefused("truncated", f"“{info.filename}”不完整") from None
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError) as exc:
        raise PackageRefused("corrupt", f"“{info.filename}”无法解压（{exc}）") from None
    return bytes(out)


def open_package(path: Path, *, schema_version: int,
                 verify_signature: Callable[[str, bytes, bytes], bool]) -> OpenedPackage:
    """Open and check a package; raise :class:`PackageRefused` with the first problem found."""
    path = Path(path)
    if not path.is_file():
        raise InputRefused(f"找不到文件：{path}")
    size = path.stat().st_size
    if size > mf.MAX_PACKAGE_BYTES:
        raise PackageRefused("too_large", f"文件大小 {size} 字节超过上限")
    with open(path, "rb") as handle:
        head = handle.read(4)
    if size == 0 or not zipfile.is_zipfile(path) or not _ends_with_directory(path, size):
        if head == b"PK\x03\x04":
            raise PackageRefused("truncated", f"“{path.name}”的结尾缺失")
        raise PackageRefused("not_package", f"“{path.name}”不是维权岗上报包（.wqgpkg）")
    file_sha = sha256_file(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageRefused("corrupt", f"无法读取文件目录（{exc}）") from None
    with contextlib.closing(zf):
        infos = zf.infolist()
        if len(infos) > mf.MAX_ENTRIES:
            raise PackageRefused("too_large", f"包含 {len(infos)} 个文件，超过上限")
        seen: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            problem = mf.safe_member_name(name)
            if problem:
                raise PackageRefused(problem, f"“{name}”")
            if _is_link(info):
                raise PackageRefused("link", f"“{name}”是链接")
            if info.is_dir():
                raise PackageRefused("extra_file", f"目录“{name}”")
            if info.flag_bits & 0x1:
                raise PackageRefused("corrupt", f"“{name}”被加密")
            if name in seen:
                raise PackageRefused("extra_file", f"“{name}”出现了两次")
            seen[name] = info
        if mf.MANIFEST not in seen:
            raise PackageRefused("not_package", f"“{path.name}”中没有 {mf.MANIFEST}")
        if mf.SIGNATURE not in seen:
            raise PackageRefused("missing_file", mf.SIGNATURE)
        manifest_bytes = _read_member(zf, seen[mf.MANIFEST], mf.MAX_MANIFEST_BYTES)
        sig_text = _read_member(zf, seen[mf.SIGNATURE], 1024)
        try:
            import base64

            signature = base64.b64decode(sig_text.strip(), validate=True)
        except ValueError:
            raise PackageRefused("signature", "签名文件格式错误") from None
        # The key inside the manifest is checked against the known keys later (preview);
        # here: the manifest bytes must be exactly what that key signed.
        sender_key = _peek_sender_key(manifest_bytes)
        if sender_key is None or not isinstance(sender_key, str) or len(signature) != 64 or not verify_signature(
                sender_key, signature, manifest_bytes):
            raise PackageRefused("signature", "清单的签名与发送单位的密钥不符，文件可能被改动")
        manifest = mf.parse_manifest(manifest_bytes, schema_version=schema_version)
        listed = set(manifest.files)
        present = set(seen) - {mf.MANIFEST, mf.SIGNATURE}
        if listed - present:
            raise PackageRefused("missing_file", "、".join(sorted(listed - present)[:5]))
        if present - listed:
            raise PackageRefused("extra_file", "、".join(sorted(present - listed)[:5]))
        files: dict[str, bytes] = {}
        attachments: list[str] = []
        for name, info_ in sorted(manifest.files.items()):
            data_or_hash = _check_member(zf, seen[name], info_)
            if name.startswith(mf.ATTACH_DIR):
                attachments.append(name)
            else:
                files[name] = data_or_hash
    return OpenedPackage(path=path, sha256=file_sha, manifest=manifest,
                         manifest_bytes=manifest_bytes, files=files, attachments=attachments)


def _check_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, listed: dict[str, Any]) -> bytes:
    limit = int(listed["size"])
    if info.file_size != limit:
        # The header disagrees with the signed manifest: reading on would be guided by a lie.
        raise PackageRefused("manifest", f"“{info.filename}”的大小与清单不符")
    data = _read_member(zf, info, limit)
    if len(data) != limit or hashlib.sha256(data).hexdigest() != listed["sha256"]:
        raise PackageRefused("manifest", f"“{info.filename}”的内容与清单中的校验值不符")
    return data


def read_attachment(path: Path, name: str, listed: dict[str, Any]) -> bytes:
    """Read one attachment again (at import) with the same checks."""
    with zipfile.ZipFile(path) as zf:
        return _check_member(zf, zf.getinfo(name), listed)


def _peek_sender_key(data: bytes) -> str | None:
    """The signing key the manifest names (the signature is checked against it next)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackageRefused("bad_encoding", "manifest.json 不是 UTF-8 文本") from None
    try:
        raw = json.loads(text)
    except ValueError:
        raise PackageRefused("bad_json", "manifest.json 不是有效的 JSON") from None
    try:
        key = raw["sender"]["sign_public"]
    except (KeyError, TypeError):
        raise PackageRefused("not_package", "清单不是维权岗上报包的清单") from None
    return key if isinstance(key, str) else None


def _ends_with_directory(path: Path, size: int) -> bool:
    """Our packages end with the end-of-directory record and no comment; a cut-off file does
    not (and a zip stored inside, like the .xlsx, must not be mistaken for the package's own)."""
    if size < 22:
        return False
    with open(path, "rb") as handle:
        handle.seek(size - 22)
        tail = handle.read(22)
    return tail[:4] == b"PK\x05\x06" and tail[20:22] == b"\x00\x00"
