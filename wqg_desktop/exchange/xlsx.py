"""Writing and reading .xlsx safely.

Writing: every cell that a spreadsheet program would run as a formula (text starting with
= + - @, a tab or a carriage return) is neutralised with a leading apostrophe-like quote
prefix, so an exported list can never execute anything when opened in Excel or WPS.

Reading: openpyxl parses XML; with ``defusedxml`` installed it refuses entity tricks. Files
that are not .xlsx (old .xls, WPS .et, CSV renamed, encrypted workbooks) get a Chinese message
saying what to do.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import defusedxml  # noqa: F401 - imported so openpyxl uses the defused parser
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from wqg_desktop.errors import InputRefused

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")

#: Reading stops past these, so a hostile file cannot exhaust memory.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200


def neutralise(value: Any) -> Any:
    """Text that would start a formula gets a leading apostrophe (shown as text, never run)."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
                sheet_title: str = "Sheet1", widths: Sequence[int] | None = None) -> int:
    """Write one sheet with a bold header row; return the number of data rows written.

    Written to a temporary file and renamed, so a failure never leaves half a file behind.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([neutralise(v) for v in row])
        count += 1
    tmp = path.with_name(path.name + ".part")
    try:
        workbook.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputRefused(f"无法写入文件 {path}：{exc.strerror or exc}") from exc
    return count


_XML_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def zip_parts_match(path: Path, pattern: re.Pattern[bytes],
                    member: Callable[[str], bool]) -> bool:
    """Whether any archive member accepted by ``member`` contains ``pattern`` (streamed)."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not member(info.filename):
                continue
            with archive.open(info) as handle:
                tail = b""
                while chunk := handle.read(1 << 20):
                    if pattern.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


def _is_xml_part(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def open_workbook(path: Path):  # type: ignore[no-untyped-def]
    """Open an .xlsx read-only, or refuse in Chinese saying why and what to do."""
    path = Path(path)
    if not path.is_file():
        raise InputRefused(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et", ".ett", ".wps"):
        raise InputRefused(
            f"“{path.name}”是旧版 Excel 或 WPS 格式，本程序只读取 .xlsx。请在 Excel 或 WPS 中打开它，"
            "选择“另存为”→“Excel 工作簿(*.xlsx)”，再导入另存的文件。"
        )
    size = path.stat().st_size
    if size == 0:
        raise InputRefused(f"“{path.name}”是空文件。")
    if size > MAX_FILE_BYTES:
        raise InputRefused(f"“{path.name}”超过 {MAX_FILE_BYTES // 1024 // 1024} MB，太大，无法导入。")
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputRefused(
            f"“{path.name}”是加密的工作簿或旧版 .xls 格式。请先在 Excel 或 WPS 中取消密码，"
            "另存为 .xlsx 后再导入。"
        )
    if not zipfile.is_zipfile(path):
        raise InputRefused(f"“{path.name}”不是 Excel 工作簿（.xlsx）。请确认选择的文件正确。")
    # No part of a real workbook declares a DOCTYPE or entities; one that does is built to
    # attack the XML parser. openpyxl parses with lxml when it is installed, which defusedxml
    # does not guard, so the file is refused before anything parses it.
    try:
        hostile = zip_parts_match(path, _XML_DECLARATIONS, _is_xml_part)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputRefused(f"无法读取“{path.name}”：文件已损坏或不是有效的 .xlsx。") from exc
    if hostile:
        raise InputRefused(
            f"无法读取“{path.name}”：文件中含有 XML 实体定义（DOCTYPE/ENTITY），正常的 Excel "
            "工作簿不会有这种内容，为安全起见拒绝读取，没有导入任何内容。"
        )
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise InputRefused(f"无法读取“{path.name}”：文件已损坏或不是有效的 .xlsx（{type(exc).__name__}）。") from exc


def cell_text(value: Any) -> str:
    """A cell as the officer sees it: text stripped, whole numbers without .0, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()
