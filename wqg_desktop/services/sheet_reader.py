"""Reading a table out of an .xlsx: find the header row, map Chinese headers to fields.

Shared by the unit and title imports. The file is opened through
:func:`wqg_desktop.exchange.xlsx.open_for_reading`, which first refuses what
``open_workbook`` refuses (.xls/.et, encrypted, non-zip, empty, oversized, DOCTYPE/ENTITY),
then reads with python-calamine when that reads the file exactly as openpyxl would (issue 3:
a 10,000-row register in 0.4 s instead of 1.2-1.7 s) and with openpyxl otherwise. This adds
what a table needs: a sheet that is not empty, a header row found among the first rows
(merged cells are not exposed, so the header is recognised by its names, wherever a merged
title row above it puts it), formulas read by their saved result, and a ceiling on the
number of rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path

from wqg_desktop.domain.chinese import normalize_name_key
from wqg_desktop.errors import InputRefused
from wqg_desktop.exchange import xlsx

#: Rows above the header that may hold a title ("2011—2012年度……名单") or merged captions.
HEADER_SCAN_ROWS = 10
#: A sheet with more rows than this is refused before anything is planned.
MAX_ROWS = 100_000

_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False


@dataclass(slots=True)  # 10,000 rows make 100,000+ of these
class Cell:
    text: str
    #: a formula whose result the file does not hold (never recalculated here)
    formula_without_value: bool = False


@dataclass
class Sheet:
    """The data rows of one sheet, with the header and the column → field mapping."""

    path: Path
    sheet_name: str
    header_row: int
    headers: list[str]
    #: column index → field key (None: column ignored)
    mapping: dict[int, str | None]
    #: (spreadsheet row number, cells by column index)
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)

    def field_columns(self) -> dict[str, int]:
        return {key: col for col, key in self.mapping.items() if key}


def header_key(text: str) -> str:
    """Headers compare without blanks, bracket widths or a trailing colon/asterisk."""
    return normalize_name_key(text).rstrip(":*").replace("(必填)", "")


def auto_mapping(headers: Sequence[str], fields: Sequence[FieldSpec]) -> dict[int, str | None]:
    """Column index → field key for every header that is a known name of a field."""
    lookup: dict[str, str] = {}
    for spec in fields:
        for alias in (spec.label, *spec.aliases):
            lookup.setdefault(header_key(alias), spec.key)
    mapping: dict[int, str | None] = {}
    taken: set[str] = set()
    for col, text in enumerate(headers):
        key = lookup.get(header_key(text)) if text else None
        if key is not None and key in taken:
            key = None  # a second column with the same meaning is left for the officer
        if key is not None:
            taken.add(key)
        mapping[col] = key
    return mapping


def check_mapping(mapping: dict[int, str | None], headers: Sequence[str],
                  fields: Sequence[FieldSpec]) -> None:
    """Refuse a mapping that misses a required field or uses one field twice."""
    labels = {f.key: f.label for f in fields}
    seen: dict[str, int] = {}
    for col, key in sorted(mapping.items()):
        if not key:
            continue
        if key not in labels:
            raise InputRefused(f"未知的字段“{key}”。")
        if key in seen:
            raise InputRefused(
                f"第 {_column_name(seen[key])} 列“{headers[seen[key]]}”和第 {_column_name(col)} 列"
                f"“{headers[col]}”都对应“{labels[key]}”：每个字段只能对应一列，请改正对应关系。")
        seen[key] = col
    for spec in fields:
        if spec.required and spec.key not in seen:
            raise InputRefused(f"没有对应“{spec.label}”的列：请在对应关系中指定哪一列是{spec.label}。")


def _column_name(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def column_name(index: int) -> str:
    """A, B, … AA as the spreadsheet shows the column."""
    return _column_name(index)


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet XML holds a formula (cheap scan, so the second read of the sheet
    that tells formulas from blanks is only paid for files that have them)."""
    return xlsx.zip_parts_match(
        path, _FORMULA_TAG,
        lambda name: name.startswith("xl/worksheets/") and name.endswith(".xml"))


def _normalise_row(values: Sequence[object], width: int) -> list[str]:
    # text is most cells: stripped here as cell_text would, without its type checks
    texts = [v.strip() if type(v) is str else xlsx.cell_text(v) for v in values[:width]]
    return texts + [""] * (width - len(texts))


def read_sheet(path: Path | str, fields: Sequence[FieldSpec], *,
               mapping: dict[int, str | None] | None = None) -> Sheet:
    """Read the first sheet that has a recognisable header row; refuse in Chinese otherwise."""
    path = Path(path)
    workbook = xlsx.open_for_reading(path)  # refuses DOCTYPE/ENTITY tricks before parsing
    try:
        try:
            return _read(workbook, path, fields, mapping)
        except xlsx.FastReadError:  # calamine failed on a sheet: read the file as before
            workbook.close()
            workbook = xlsx.open_workbook(path)
            return _read(workbook, path, fields, mapping)
    except InputRefused:
        raise
    except Exception as exc:  # parser errors surface lazily in read-only mode
        raise InputRefused(
            f"无法读取“{path.name}”：文件内容有误或含有不安全的内容（{type(exc).__name__}），"
            "没有导入任何内容。") from exc
    finally:
        workbook.close()


def _read(workbook, path: Path, fields: Sequence[FieldSpec],  # type: ignore[no-untyped-def]
          mapping: dict[int, str | None] | None) -> Sheet:
    width = xlsx.MAX_COLUMNS
    name_keys = {header_key(a) for spec in fields if spec.required
                 for a in (spec.label, *spec.aliases)}
    all_empty = True
    for sheet in workbook.worksheets:
        head: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(max_row=HEADER_SCAN_ROWS,
                                                        max_col=width, values_only=True), 1):
            head.append((number, _normalise_row(values, width)))
        if any(any(t for t in texts) for _n, texts in head):
            all_empty = False
        best: tuple[int, int, list[str]] | None = None
        for number, texts in head:
            if not any(header_key(t) in name_keys for t in texts if t):
                continue
            known = sum(1 for v in auto_mapping(texts, fields).values() if v)
            if best is None or known > best[1]:
                best = (number, known, texts)
        if best is None:
            continue
        header_row, _known, texts = best
        last = max((i for i, t in enumerate(texts) if t), default=0)
        headers = texts[: last + 1]
        chosen = dict(mapping) if mapping is not None else auto_mapping(headers, fields)
        check_mapping(chosen, headers, fields)
        result = Sheet(path=path, sheet_name=sheet.title, header_row=header_row,
                       headers=headers, mapping=chosen)
        _read_rows(result, sheet, path, len(headers))
        return result
    if all_empty:
        raise InputRefused(f"“{path.name}”中的工作表是空的，没有可以导入的内容。")
    wanted = "、".join(f"“{spec.label}”" for spec in fields if spec.required)
    raise InputRefused(
        f"在“{path.name}”前 {HEADER_SCAN_ROWS} 行中没有找到表头：表头中应有 {wanted} 这一列。"
        "请在数据上方加一行列名（可先保存一份导入模板对照）。")


def _read_rows(result: Sheet, sheet, path: Path, width: int) -> None:  # type: ignore[no-untyped-def]
    formulas = None
    if _has_formulas(path):
        from openpyxl import load_workbook

        raw_book = load_workbook(path, read_only=True, data_only=False)
        formulas = raw_book[result.sheet_name].iter_rows(
            min_row=result.header_row + 1, max_col=width, values_only=True)
    count = 0
    try:
        rows = sheet.iter_rows(min_row=result.header_row + 1, max_col=width, values_only=True)
        # the formula pass may run longer than the values: calamine ends its grid at the last
        # cell with a value, so a last row holding only unsaved formulas comes from here alone
        paired = zip_longest(rows, formulas, fillvalue=()) if formulas is not None else (
            (values, None) for values in rows)
        for number, (values, raw) in enumerate(paired, result.header_row + 1):
            count += 1
            if count > MAX_ROWS:
                raise InputRefused(
                    f"“{path.name}”的数据超过 {MAX_ROWS} 行，太多，不能一次导入。请拆成几个文件。")
            texts = _normalise_row(values, width)
            if not any(texts) and raw is None:
                continue
            cells = [Cell(t) for t in texts]
            if raw is not None:
                for col, value in enumerate(raw[:width]):
                    if isinstance(value, str) and value.startswith("=") and not texts[col]:
                        cells[col].formula_without_value = True
                if not any(texts) and not any(c.formula_without_value for c in cells):
                    continue
            result.rows.append((number, cells))
    finally:
        if formulas is not None:
            raw_book.close()
