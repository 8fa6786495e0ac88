"""The fast .xlsx reader (python-calamine) gives the importers exactly the cell texts openpyxl
gave, and every file it could misread or that could exhaust memory goes to openpyxl instead."""

from __future__ import annotations

import datetime as dt
import html
import random
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import from_excel

from wqg_desktop.exchange import xlsx
from wqg_desktop.services import unit_import

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
FULL_WIDTH = "ＡＢＣ１２３（海安）－：，。　"


def _shared_strings(path: Path) -> Path:
    """openpyxl writes text inline; Excel and WPS put it in the shared-string table."""
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    strings: dict[str, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = strings.setdefault(html.unescape(match.group(2).decode()), len(strings))
        return match.group(1) + b' t="s"><v>' + str(index).encode() + b"</v></c>"

    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t>(.*?)</t></is></c>',
                             shared, parts[name], flags=re.S)
    items = "".join(f'<si><t xml:space="preserve">{html.escape(t, quote=False)}</t></si>'
                    for t in strings)
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}" '
                                     f'uniqueCount="{len(strings)}">{items}</sst>').encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSST" Target="sharedStrings.xml" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def _value(rng: random.Random, n: int) -> object:
    kind = n % 14
    if kind == 0:
        return f"海安市公安局{rng.choice('城南城东城北')}派出所第{n}警务区"
    if kind == 1:
        return "".join(rng.choice(FULL_WIDTH) for _ in range(rng.randint(1, 12)))
    if kind == 2:
        return rng.randint(-10**12, 10**12)
    if kind == 3:
        return rng.uniform(-1e6, 1e6)
    if kind == 4:
        return float(rng.randint(0, 10**9))  # whole float: "123", not "123.0"
    if kind == 5:
        return dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 12000))
    if kind == 6:
        return dt.datetime(2000, 1, 1) + dt.timedelta(seconds=rng.randint(0, 10**9))
    if kind == 7:
        return None  # blank
    if kind == 8:
        return "长" * rng.randint(300, 2000) + "文本"  # long text
    if kind == 9:
        return f"  {SURNAMES[n % 20]}某\u3000 "  # blanks around: stripped
    if kind == 10:
        return f"第一行\n第二行{n}"
    if kind == 11:
        return rng.choice([True, False])
    if kind == 12:
        return f"139{rng.randint(0, 10**8 - 1):08d}"
    return rng.choice([0.1, 1e-7, 1e20, -0.0, 0, 12345.678901234, 10**15 - 1])


def _mixed_book(path: Path, *, rows: int = 300, seed: int = 7) -> Path:
    rng = random.Random(seed)
    book = Workbook()
    sheet = book.active
    sheet.title = "名册"
    # the table starts at B3 and has gaps, so row and column numbers must come from A1
    for r in range(rows):
        for c in range(14):
            if (r * 14 + c) % 23 == 5:
                continue  # an absent cell, not even blank
            value = _value(rng, r * 14 + c + r)
            cell = sheet.cell(row=r + 3 + r // 50, column=c + 2, value=value)
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(value, dt.date):
                cell.number_format = rng.choice(["yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "yyyy/m/d;@"])
    sheet.cell(row=5, column=20, value=dt.time(8, 30))
    sheet.cell(row=6, column=20, value=dt.timedelta(hours=30)).number_format = "[h]:mm:ss"
    second = book.create_sheet("第二页")
    second.append(["单位名称", "上线时间"])
    second.append(["海安市公安局城南派出所", dt.date(2015, 5, 4)])
    book.save(path)
    return path


def _texts(sheet) -> list[list[str]]:  # type: ignore[no-untyped-def]
    rows = [[xlsx.cell_text(v) for v in values]
            for values in sheet.iter_rows(max_col=xlsx.MAX_COLUMNS, values_only=True)]
    rows = [row[: max((i + 1 for i, t in enumerate(row) if t), default=0)] for row in rows]
    while rows and not rows[-1]:
        rows.pop()  # openpyxl pads to the declared dimension, calamine stops at the last value
    return rows


def _both(path: Path) -> tuple[list[list[list[str]]], list[list[list[str]]]]:
    fast, slow = xlsx.FastBook(path), xlsx.open_workbook(path)
    try:
        assert [s.title for s in fast.worksheets] == [s.title for s in slow.worksheets]
        return [_texts(s) for s in fast.worksheets], [_texts(s) for s in slow.worksheets]
    finally:
        fast.close()
        slow.close()


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "shared-strings"])
def test_calamine_gives_the_cell_texts_openpyxl_gives(tmp_path: Path, shared: bool) -> None:
    path = _mixed_book(tmp_path / "混合.xlsx")
    if shared:
        _shared_strings(path)
    assert xlsx._fast_read_safe(path)  # the file really goes the fast way
    assert isinstance(xlsx.open_for_reading(path), xlsx.FastBook)
    fast, slow = _both(path)
    assert len(fast[0]) > 300 and fast[1] == [["单位名称", "上线时间"], ["海安市公安局城南派出所", "2015-05-04"]]
    for sheet_fast, sheet_slow in zip(fast, slow, strict=True):
        assert len(sheet_fast) == len(sheet_slow)
        for number, (row_fast, row_slow) in enumerate(zip(sheet_fast, sheet_slow, strict=True), 1):
            assert row_fast == row_slow, f"row {number}"
    flat = {t for sheet in fast for row in sheet for t in row}
    assert {"08:30:00", "1 day, 6:00:00", "0", "100000000000000000000", "1e-07"} <= flat
    assert any("年" not in t and re.fullmatch(r"\d{4}-\d{2}-\d{2}", t) for t in flat)
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", t) for t in flat)
    assert any(t.startswith("长" * 300) for t in flat) and any("ＡＢＣ"[0] in t for t in flat)


def test_the_import_reads_the_same_rows_either_way(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "名册.xlsx"
    book = Workbook()
    book.active.append(["海安市基层单位名册"])
    book.active.append(["单位名称", "负责人", "联系电话", "是否上线", "上线时间"])
    for i in range(200):
        book.active.append([f"海安市公安局第{i}警务区", f"{SURNAMES[i % 20]}某", 13900000000 + i,
                            "是" if i % 2 else "否", dt.date(2015, 5, 4) if i % 2 else None])
    book.save(path)
    _shared_strings(path)
    fast = unit_import.read_units(path)
    monkeypatch.setattr(xlsx, "open_for_reading", xlsx.open_workbook)
    slow = unit_import.read_units(path)
    assert (fast.header_row, fast.headers, fast.mapping) == (slow.header_row, slow.headers, slow.mapping)
    assert fast.rows == slow.rows and len(fast.rows) == 200
    assert [c.text for c in fast.rows[1][1]] == ["海安市公安局第1警务区", "李某", "13900000001", "是",
                                                 "2015-05-04"]


def test_unsaved_formula_alone_on_the_last_row_is_still_caught(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "公式.xlsx"
    book = Workbook()
    for row in (["单位名称", "联系电话"], ["海安市公安局城南派出所", "13900000001"], [None, "=B2"]):
        book.active.append(row)
    book.save(path)
    fast = unit_import.read_units(path)
    monkeypatch.setattr(xlsx, "open_for_reading", xlsx.open_workbook)
    slow = unit_import.read_units(path)
    assert fast.rows == slow.rows
    assert [(n, [c.formula_without_value for c in cells]) for n, cells in fast.rows] == [
        (2, [False, False]), (3, [False, True])]


def _patch_part(path: Path, part: str, edit) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    parts[part] = edit(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def _small(path: Path) -> Path:
    book = Workbook()
    book.active.append(["单位名称", "联系电话"])
    book.active.append(["海安市公安局城南派出所", 5])
    book.save(path)
    return path


SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize("edit", [
    # a cell at XFD1048576: calamine would allocate 512 GB and abort the program
    lambda x: x.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'),
    lambda x: x.replace("</sheetData>", '<row r="3"><c r="AY3"><v>1</v></c></row></sheetData>'),
    lambda x: x.replace("</sheetData>", '<row r="100000"><c r="A100000"><v>1</v></c></row></sheetData>'),
    lambda x: x.replace("</sheetData>", '<row r="3"><c><v>1</v></c></row></sheetData>'),  # placed by counting
], ids=["far-corner", "far-column", "far-row", "no-reference"])
def test_files_that_could_exhaust_memory_go_to_openpyxl(tmp_path: Path, edit) -> None:
    path = _patch_part(_small(tmp_path / "远.xlsx"), SHEET, edit)
    assert not xlsx._fast_read_safe(path)
    book = xlsx.open_for_reading(path)  # calamine is never given the file
    assert not isinstance(book, xlsx.FastBook)
    book.close()


def test_declared_shared_string_count_past_the_limit_goes_to_openpyxl(tmp_path: Path) -> None:
    """calamine reserves the declared count up front (4e9 → 96 GB, abort)."""
    path = _shared_strings(_small(tmp_path / "计数.xlsx"))
    assert xlsx._fast_read_safe(path)
    _patch_part(path, "xl/sharedStrings.xml",
                lambda x: x.replace('uniqueCount="', 'count="4000000000" uniqueCount="'))
    assert not xlsx._fast_read_safe(path)


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda x: x.replace('<c r="B2" t="n"><v>5</v>', '<c r="B2" t="e"><v>#N/A</v>'), "#N/A"),
    (lambda x: x.replace("<v>5</v>", "<v>320621199001011234</v>"), "320621199001011234"),
    (lambda x: x.replace('<c r="B2" t="n"><v>5</v>',
                         '<c r="B2" t="inlineStr"><is><t>139_x000D_0001</t></is>'), "139_x000D_0001"),
    (lambda x: x.replace('<c r="B2" t="n"><v>5</v>', '<c r="B2" t="inlineStr"><is><r><t>139 </t></r>'
                         '<r><t> 0001</t></r></is>'), "139  0001"),
], ids=["error-cell", "long-integer", "escape", "rich-text-blanks"])
def test_cells_calamine_reads_differently_go_to_openpyxl(tmp_path: Path, edit, expected) -> None:
    path = _patch_part(_small(tmp_path / "特殊.xlsx"), SHEET, edit)
    assert not xlsx._fast_read_safe(path)
    sheet = unit_import.read_units(path)
    assert [c.text for c in sheet.rows[0][1]] == ["海安市公安局城南派出所", expected]


def test_a_calamine_failure_reads_the_file_with_openpyxl(tmp_path: Path, monkeypatch) -> None:
    path = _small(tmp_path / "失败.xlsx")

    def broken(self):  # type: ignore[no-untyped-def]
        raise xlsx.FastReadError("XmlError: simulated")

    monkeypatch.setattr(xlsx.FastSheet, "_rows", broken)
    assert isinstance(xlsx.open_for_reading(path), xlsx.FastBook)
    sheet = unit_import.read_units(path)
    assert [c.text for c in sheet.rows[0][1]] == ["海安市公安局城南派出所", "5"]


def test_refusals_run_before_either_reader(tmp_path: Path) -> None:
    from wqg_desktop.errors import InputRefused

    path = tmp_path / "名单.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputRefused, match="另存为"):
        xlsx.open_for_reading(path)
    entity = _patch_part(_small(tmp_path / "实体.xlsx"), SHEET, lambda x: x.replace(
        "<worksheet", '<!DOCTYPE x [<!ENTITY a "b">]><worksheet', 1))
    with pytest.raises(InputRefused, match="DOCTYPE/ENTITY"):
        xlsx.open_for_reading(entity)


def test_chinese_builtin_date_style_reads_as_a_date(tmp_path: Path) -> None:
    """Where the readers differ on purpose: numFmtId 31 (yyyy年m月d日, one of the East-Asian
    built-in styles Excel and WPS in Chinese write without defining them) is a date to
    calamine; openpyxl knew only the Western built-ins and gave the serial number 42130,
    which the import then refused as a date."""
    path = _small(tmp_path / "日期.xlsx")
    _patch_part(path, "xl/styles.xml", lambda x: re.sub(
        r'<cellXfs count="(\d+)">(.*?)</cellXfs>',
        lambda m: f'<cellXfs count="{int(m.group(1)) + 1}">{m.group(2)}<xf numFmtId="31" fontId="0" '
                  'fillId="0" borderId="0" applyNumberFormat="1" xfId="0"/></cellXfs>', x, flags=re.S))
    count = int(re.search(r'<cellXfs count="(\d+)"', zipfile.ZipFile(path).read(
        "xl/styles.xml").decode()).group(1))
    _patch_part(path, SHEET, lambda x: x.replace('<c r="B2" t="n"><v>5</v>',
                                                 f'<c r="B2" s="{count - 1}" t="n"><v>42130</v>'))
    assert xlsx._fast_read_safe(path)
    sheet = unit_import.read_units(path)
    assert [c.text for c in sheet.rows[0][1]] == ["海安市公安局城南派出所", "2015-05-06"]
    assert from_excel(42130).date() == dt.date(2015, 5, 6)


def test_rich_text_with_preserved_blanks_is_read_fast_and_the_same(tmp_path: Path) -> None:
    path = tmp_path / "富文本.xlsx"
    book = Workbook()
    book.active.append(["单位名称"])
    book.active.append([CellRichText(TextBlock(InlineFont(b=True), "海安市 "), "公安局城南派出所")])
    book.save(path)
    assert xlsx._fast_read_safe(path)
    fast, slow = _both(path)
    assert fast == slow == [[["单位名称"], ["海安市 公安局城南派出所"]]]
