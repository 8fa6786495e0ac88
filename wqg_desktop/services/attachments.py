"""Attachments: photos and scanned documents kept in the data folder, named by their SHA-256.

A file is copied to ``<data folder>/attachments/<first two hex digits>/<sha256>``, so the same
photo attached twice is stored once and a file can be checked against its recorded hash. The
type is read from the file's first bytes, never trusted from its extension: a ``.jpg`` that is
not an image is refused, so a renamed program cannot hide among the inspection photos.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from wqg_desktop import paths
from wqg_desktop.db.models import Attachment, database
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.services.office import this_office

#: The largest file accepted (bytes): a scanned page or phone photo is far below this.
MAX_BYTES = 20 * 1024 * 1024

#: Media types the program accepts, with a Chinese name for messages.
ACCEPTED: dict[str, str] = {
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "image/gif": "GIF 图片",
    "image/bmp": "BMP 图片",
    "image/tiff": "TIFF 图片",
    "image/webp": "WebP 图片",
    "application/pdf": "PDF 文件",
    "application/zip": "Office 文档（docx/xlsx）",
    "application/x-ole-storage": "Office 文档（doc/xls）",
}

#: What each extension promises; a file whose bytes disagree is refused.
_EXTENSIONS: dict[str, set[str]] = {
    ".jpg": {"image/jpeg"}, ".jpeg": {"image/jpeg"}, ".png": {"image/png"},
    ".gif": {"image/gif"}, ".bmp": {"image/bmp"}, ".tif": {"image/tiff"},
    ".tiff": {"image/tiff"}, ".webp": {"image/webp"}, ".pdf": {"application/pdf"},
    ".docx": {"application/zip"}, ".xlsx": {"application/zip"},
    ".doc": {"application/x-ole-storage"}, ".xls": {"application/x-ole-storage"},
}

#: File filter for the open dialog.
FILE_FILTER = ("图片和文档 (*.jpg *.jpeg *.png *.gif *.bmp *.tif *.tiff *.webp *.pdf *.docx "
               "*.xlsx *.doc *.xls)")


def sniff_media_type(head: bytes) -> str | None:
    """The media type the first bytes of a file announce, or ``None`` if none we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"BM") and len(head) >= 14:
        return "image/bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-ole-storage"
    return None


def storage_path(sha256: str) -> Path:
    """Where the content with this hash is kept."""
    return paths.data_dir() / "attachments" / sha256[:2] / sha256


def check_file(source: Path) -> tuple[str, int, str]:
    """Hash, size and media type of a file, or a Chinese refusal saying what is wrong."""
    source = Path(source)
    if not source.is_file():
        raise InputRefused(f"找不到文件“{source}”。")
    size = source.stat().st_size
    if size == 0:
        raise InputRefused(f"文件“{source.name}”是空的。")
    if size > MAX_BYTES:
        raise InputRefused(f"文件“{source.name}”有 {size / 1048576:.1f} MB，超过 20 MB 的上限；"
                           "请压缩图片或分页扫描后再添加。")
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        head = handle.read(64)
        digest.update(head)
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    media = sniff_media_type(head)
    promised = _EXTENSIONS.get(source.suffix.lower())
    if media is None:
        raise InputRefused(f"文件“{source.name}”不是可接受的图片或文档（支持 JPG、PNG、GIF、BMP、"
                           "TIFF、WebP、PDF 和 Office 文档）。")
    if promised is not None and media not in promised:
        raise InputRefused(f"文件“{source.name}”的扩展名是 {source.suffix}，内容却是"
                           f"{ACCEPTED[media]}；请确认选对了文件。")
    return digest.hexdigest(), size, media


def add_attachment(*, entity: str, entity_uuid: str, source: Path | str,
                   note: str = "") -> Attachment:
    """Copy a file into the data folder and record it against a record (by kind and UUID)."""
    office = this_office()
    if office is None:
        raise RuleViolation("请先完成本办公室设置。")
    source = Path(source)
    sha, size, media = check_file(source)
    target = storage_path(sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        shutil.copyfile(source, partial)
        partial.replace(target)  # a crash mid-copy never leaves a wrong file under the hash
    with database.atomic():
        return Attachment.create(owner_office=office, entity=entity, entity_uuid=entity_uuid,
                                 filename=source.name[:255], sha256=sha, size=size,
                                 media_type=media, note=note.strip())


def attachments_of(entity: str, entity_uuid: str) -> list[Attachment]:
    return list(Attachment.select()
                .where(Attachment.entity == entity, Attachment.entity_uuid == entity_uuid)
                .order_by(Attachment.id))


def verify(attachment: Attachment) -> bool:
    """True when the stored file is present and still has its recorded hash."""
    path = storage_path(attachment.sha256)
    if not path.is_file():
        return False
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == attachment.sha256


def get_attachment(attachment_id: int) -> Attachment:
    found = Attachment.get_or_none(Attachment.id == attachment_id)
    if found is None:
        raise NotFound("找不到该附件，可能已被删除。")
    return found


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def viewing_copy(attachment: Attachment) -> Path:
    """A copy of the stored file under its own name, for the system viewer to open.

    The store names files by hash alone, without an extension, and no viewer knows what to do
    with that; the copy lives in ``<data folder>/attachments/open/`` beside the store (not in a
    shared temporary folder: photos may show minors). Refused when the stored file is missing
    or no longer matches its recorded hash.
    """
    source = storage_path(attachment.sha256)
    if not source.is_file():
        raise RuleViolation(f"附件“{attachment.filename}”的文件已不在数据文件夹中（可能被删除或移动），"
                            "无法打开；请重新添加该附件。")
    if not verify(attachment):
        raise RuleViolation(f"附件“{attachment.filename}”的文件内容与登记的校验值不符（文件已被改动），"
                            "为安全起见不予打开；请核对后重新添加。")
    name = _UNSAFE.sub("_", Path(attachment.filename).name).strip(" .") or attachment.sha256
    target = paths.data_dir() / "attachments" / "open" / attachment.sha256[:16] / name
    if not target.is_file() or target.stat().st_size != attachment.size:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return target


def is_present(attachment: Attachment) -> bool:
    """True when the stored file exists (cheap: no hashing, for lists)."""
    return storage_path(attachment.sha256).is_file()


def remove_attachment(*, attachment_id: int) -> None:
    """Forget an attachment; the stored file goes too once no record refers to it."""
    att = Attachment.get_or_none(Attachment.id == attachment_id)
    if att is None:
        raise NotFound("找不到该附件，可能已被删除。")
    office = this_office()
    if office is None or att.owner_office_id not in (None, office.id):
        raise RuleViolation("该附件属于其他办公室，不能删除。")
    with database.atomic():
        att.delete_instance()
        still_used = Attachment.select().where(Attachment.sha256 == att.sha256).exists()
    if not still_used:
        storage_path(att.sha256).unlink(missing_ok=True)
        # the viewing copy too: a removed photo must not linger under its readable name
        shutil.rmtree(paths.data_dir() / "attachments" / "open" / att.sha256[:16],
                      ignore_errors=True)
