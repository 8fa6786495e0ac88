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
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import defusedxml  # noqa: F401 - imported so openpyxl uses the defused parser

from wqg_desktop.errors import InputRefused, os_reason

# openpyxl is imported where a workbook is written or read (~0.2 s): making a package needs
# only the small summary sheet, written by small_workbook() below without it.

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
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    if path.is_dir() or not path.parent.is_dir():
        # said before any row is built: a write-only workbook that fails half-way leaves
        # openpyxl's generators to complain on stderr when they are collected
        raise InputRefused(f"无法写入文件 {path}：" + (
            "这是一个文件夹，请指定文件名" if path.is_dir() else f"文件夹 {path.parent} 不存在"))
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
        raise InputRefused(f"无法写入文件 {path}：{os_reason(exc)}") from exc
    return count


# -- a small workbook without openpyxl -------------------------------------------------------

#: characters XML 1.0 cannot hold (openpyxl refuses them): left out
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SMALL_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '{sheets}</Types>'),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        '</Relationships>'),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets>{sheets}</sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdStyles" Target="styles.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
        '{sheets}</Relationships>'),
    "xl/styles.xml": (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'),
}
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _xml_text(value: object) -> str:
    return escape(_XML_ILLEGAL.sub("", str(value)), {'"': "&quot;"})


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_xml(rows: Sequence[Sequence[Any]], widths: dict[int, float]) -> str:
    out = ['<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    if widths:
        out.append("<cols>" + "".join(f'<col min="{c}" max="{c}" width="{w}" customWidth="1"/>'
                                      for c, w in sorted(widths.items())) + "</cols>")
    out.append("<sheetData>")
    for r, row in enumerate(rows, start=1):
        style = ' s="1"' if r == 1 else ""
        cells = []
        for c, value in enumerate(row, start=1):
            ref = f"{_column_letter(c)}{r}"
            if value is None:
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
            else:
                text = _xml_text(value)
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData></worksheet>")
    return "".join(out)


def small_workbook(sheets: Sequence[tuple[str, Sequence[Sequence[Any]], dict[int, float]]]) -> bytes:
    """An .xlsx of a few small sheets, each ``(title, rows, {column number: width})``, its
    first row bold, written directly (no openpyxl: making a package should not spend 0.2 s
    importing it for two short tables). Text goes in as given: neutralise it first."""
    names = [(n, _xml_text(title[:31])) for n, (title, _, _) in enumerate(sheets, start=1)]
    fill = {
        "[Content_Types].xml": "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n, _ in names),
        "xl/workbook.xml": "".join(f'<sheet name="{title}" sheetId="{n}" r:id="rId{n}"/>' for n, title in names),
        "xl/_rels/workbook.xml.rels": "".join(
            f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            for n, _ in names),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, template in _SMALL_PARTS.items():
            archive.writestr(name, _XML_HEAD + template.replace("{sheets}", fill.get(name, "")))
        for n, (_, rows, widths) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", _XML_HEAD + _sheet_xml(rows, widths))
    return buffer.getvalue()


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
    from openpyxl import load_workbook

    path = check_file(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise InputRefused(f"无法读取“{path.name}”：文件已损坏或不是有效的 .xlsx（{type(exc).__name__}）。") from exc


def check_file(path: Path) -> Path:
    """Every refusal :func:`open_workbook` makes, before any parser sees the file."""
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
    return path


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


# -- fast reading ------------------------------------------------------------------------
# python-calamine (Rust) reads a 10,000-row register about ten times faster than openpyxl.
# It is used only for files that a scan of their XML shows it reads exactly as openpyxl's
# read-only, data_only reader would, and within bounded memory; every other file goes to
# :func:`open_workbook` as before. Both give the same Python values to :func:`cell_text`.

#: calamine builds a sheet's whole grid at once (32 bytes a cell, from A1 to the farthest
#: cell) and preallocates the shared-string table from its declared count; when such an
#: allocation fails the process ABORTS, no exception: a two-cell file naming XFD1048576
#: would close the program. Cells past column AX or row 99,999 and counts past this many go
#: to openpyxl's streaming reader instead (≤ 5 million cells, ≈ 160 MB).
MAX_FAST_CELLS = 5_000_000
#: XML parts are scanned whole in memory; a part bigger than this goes to openpyxl.
_MAX_FAST_PART_BYTES = 64 * 1024 * 1024

# Every check below is a literal-prefixed search or a count (≈ 25 ms for 10,000 rows): an
# alternation without a literal start costs Python's regex engine ~0.3 s on 4 MB of XML.
#: a cell reference past AX99999 (letters in either case: calamine is lenient)
_FAR_CELL = re.compile(rb'<c r="(?:[A-Za-z]{3}|[B-Zb-z][A-Za-z]|[Aa][YZyz]|[A-Za-z]{1,2}\d{6})')
_DECLARED_COUNT = re.compile(rb"ount=[\"'](\d{7,})")  # count=, uniqueCount=
#: integers past 2**53: openpyxl keeps them exact, calamine makes them floats
_LONG_INTEGER = re.compile(rb"<v>\s*-?\d{16}")
#: _x000D_ escapes: calamine decodes them, openpyxl leaves them as typed
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
#: text with blanks at an end and no xml:space="preserve": calamine trims them, which changes
#: the inside of a rich-text cell (runs "海安 " + "城南")
_TRIMMED_TEXT = (re.compile(rb"<t>(?:[ \t\r\n]|[^<]*[ \t\r\n]</)"),
                 re.compile(rb"<t\s(?![^>]*preserve)[^>]*>(?:[ \t\r\n]|[^<]*[ \t\r\n]</)"))
#: error and ISO-date cells (openpyxl gives "#N/A" and parses dates itself), and namespace-
#: prefixed cells/text (<x:c>), which the unprefixed checks here would not see
_UNCHECKED = (re.compile(rb"t=[\"'][ed][\"']"), re.compile(rb":(?:[ct][\s/>]|v>)"))


class FastReadError(Exception):
    """calamine could not read a file the scan let through: read it with openpyxl instead."""


def _fast_read_safe(path: Path) -> bool:
    """Whether calamine reads ``path`` as openpyxl would, within MAX_FAST_CELLS (see above)."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not _is_xml_part(info.filename):
                continue
            with archive.open(info) as handle:
                data = handle.read(_MAX_FAST_PART_BYTES + 1)  # actual bytes, not the header's
            if len(data) > _MAX_FAST_PART_BYTES or any(p.search(data) for p in _UNCHECKED):
                return False
            # every cell names its place (calamine would count the others' places unchecked)
            cells = data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/>")
            if data.count(b'<c r="') != cells or _FAR_CELL.search(data):
                return False
            if any(int(n) > MAX_FAST_CELLS for n in _DECLARED_COUNT.findall(data)):
                return False
            if (_LONG_INTEGER.search(data) or _ESCAPE.search(data)
                    or any(p.search(data) for p in _TRIMMED_TEXT)):
                return False
    return True


def _calamine_failed(exc: BaseException) -> bool:
    # a Rust panic surfaces as pyo3's PanicException, a BaseException: catch it, but never
    # KeyboardInterrupt/SystemExit
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


class FastSheet:
    """One worksheet read by calamine, with the part of openpyxl's read-only sheet the
    importers use: ``title`` and ``iter_rows(min_row, max_row, max_col, values_only=True)``."""

    def __init__(self, book: Any, title: str) -> None:
        self._book = book
        self.title = title
        self._grid: list[list[Any]] | None = None

    def _rows(self) -> list[list[Any]]:
        if self._grid is None:
            try:
                sheet = self._book.get_sheet_by_name(self.title)
                # from A1, so row and column numbers are the spreadsheet's (gaps included)
                grid = sheet.to_python(skip_empty_area=False)
                end = sheet.end
            except BaseException as exc:
                if not _calamine_failed(exc):
                    raise
                raise FastReadError(f"{type(exc).__name__}: {exc}") from exc
            if end is not None and (len(grid) != end[0] + 1
                                    or any(len(row) != end[1] + 1 for row in grid[:1])):
                raise FastReadError("grid not anchored at A1")
            self._grid = grid
        return self._grid

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None,
                  values_only: bool = True) -> Iterator[list[Any]]:
        """Rows ``min_row``..``max_row`` (1-based), each cut to ``max_col`` cells."""
        assert values_only, "only values are read"
        for row in self._rows()[min_row - 1:max_row]:
            yield row[:max_col] if max_col is not None else row


class FastBook:
    """A workbook read by calamine, shaped like openpyxl's: ``worksheets`` and ``close()``."""

    def __init__(self, path: Path) -> None:
        import python_calamine

        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
            kinds = {m.name: m.typ for m in self._book.sheets_metadata}
            names = list(self._book.sheet_names)
        except BaseException as exc:
            if not _calamine_failed(exc):
                raise
            raise FastReadError(f"{type(exc).__name__}: {exc}") from exc
        # chart and macro sheets are no worksheets, as openpyxl's ``worksheets`` leaves them out
        self.worksheets = [FastSheet(self._book, name) for name in names
                           if kinds.get(name) == python_calamine.SheetTypeEnum.WorkSheet]

    def close(self) -> None:
        self._book.close()


def open_for_reading(path: Path):  # type: ignore[no-untyped-def]
    """Refuse what :func:`open_workbook` refuses, then open with calamine when the file's XML
    shows it is read the same way (:class:`FastBook`), else with openpyxl (read-only)."""
    path = check_file(path)
    try:
        if _fast_read_safe(path):
            return FastBook(path)
    except (FastReadError, zipfile.BadZipFile, OSError):
        pass  # openpyxl decides, and refuses in Chinese if it cannot read the file either
    return open_workbook(path)

