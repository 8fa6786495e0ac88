"""Exporting units to .xlsx with Chinese headers, and the blank import template.

The export's columns are the import's, in the same order, so an exported file can be edited
and imported back (two read-only columns, 最高有效称号 and 创建状态, are ignored by the
import). Every text cell goes through :func:`wqg_desktop.exchange.xlsx.neutralise`, so a
name or note starting with = + - @ never runs as a formula in Excel or WPS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from peewee import JOIN

from wqg_desktop.db.models import Bureau, PoliceType, Region, Unit
from wqg_desktop.errors import InputRefused, os_reason
from wqg_desktop.exchange.xlsx import neutralise, write_table
from wqg_desktop.services import registry
from wqg_desktop.services.unit_import import EXAMPLE_MARK

EXPORT_HEADERS = ("单位名称", "所属县(市、区)", "所属公安局", "警种", "单位类别", "负责人", "职务",
                  "联系电话", "维权电话", "地址", "是否上线", "上线时间", "备注",
                  "最高有效称号", "创建状态")
TEMPLATE_HEADERS = EXPORT_HEADERS[:13]
_WIDTHS = (36, 14, 24, 10, 10, 10, 12, 16, 16, 36, 9, 12, 24, 24, 18)

_EXAMPLE = (f"{EXAMPLE_MARK}海安市公安局城南派出所", "海安市", "海安市公安局", "治安", "派出所",
            "张某", "所长", "13900000000", "0513-88880000", "海安市长江中路1号", "是", "2013-05-04",
            "本行是示例，导入时自动跳过，可以删除")

_NOTES = (
    ("填写说明", ""),
    ("单位名称", "必填。写单位的全称，如“如东县公安局掘港派出所第一警务区”。可以直接粘贴通知附件中的"
             "名单，前面的“1、”等序号会自动去掉。"),
    ("所属县(市、区)", "可不填：按单位名称推断（如 海门市公安局三阳派出所 → 海门区），导入前的预览中"
                    "会显示推断结果，可以改正。市局直属单位填“市直”。"),
    ("所属公安局", "可不填：按单位名称推断。"),
    ("警种", "可不填：按名称推断（派出所、警务区 → 治安；交巡警 → 交巡警；刑警 → 刑侦……）。"
           "消防已于2018年撤出公安机关，不能新建消防单位。"),
    ("联系电话、维权电话", "手机 11 位；固定电话带区号，如 0513-85020355；服务号码如 12355。"),
    ("是否上线", "是否已在“青少年维权在线”平台上线：填“是”或“否”。"),
    ("上线时间", "如 2012-10-15 或 2012年10月15日。"),
    ("重复导入", "同一个文件导入两次不会产生重复单位：已有单位按名称（含曾用名）对应，内容相同的跳过，"
             "不同的更新；表格中空着的格子不会清除已有内容。"),
    ("示例行", f"单位名称以“{EXAMPLE_MARK}”开头的行是示例，导入时跳过。"),
)


#: ids per query: far below SQLite's limit on bound parameters, whatever the export's size
_SLICE = 900


def _unit_rows(unit_ids: Sequence[int]) -> list[tuple]:
    """The export rows of ``unit_ids`` in that order: four queries per slice of ids (the
    columns, then the register's 最高有效称号 and 创建状态 for just these units)."""
    rows: list[tuple] = []
    for start in range(0, len(unit_ids), _SLICE):
        chunk = list(unit_ids[start:start + _SLICE])
        summaries = {r.id: r for r in registry.fetch_rows(chunk)}
        query = (Unit.select(Unit.id, Unit.name, Region.name, Bureau.name, PoliceType.name,
                             Unit.unit_kind, Unit.head_name, Unit.head_post, Unit.head_phone,
                             Unit.rights_hotline, Unit.address, Unit.online, Unit.online_since,
                             Unit.note)
                 .join(Region).switch(Unit).join(PoliceType).switch(Unit)
                 .join(Bureau, JOIN.LEFT_OUTER)
                 .where(Unit.id.in_(chunk)).tuples())
        units = {row[0]: row for row in query}
        for ident in chunk:
            unit = units.get(ident)
            if unit is None:
                continue
            (_id, name, region, bureau, police, kind, head, post, phone, hotline, address,
             online, since, note) = unit
            summary = summaries.get(ident)
            if isinstance(since, str):  # .tuples() hands dates back as stored
                since = dt.date.fromisoformat(since)
            rows.append((
                name, region, bureau or "", police, kind, head, post, phone, hotline, address,
                "是" if online else "否", since.isoformat() if since else "", note,
                summary.title if summary else "", summary.campaign if summary else "",
            ))
    return rows


def export_units(path: Path | str, *, unit_ids: Sequence[int] | None = None,
                 **filters: object) -> int:
    """Write the units (the given ids in their order, or those ``registry.list_units``
    returns for ``filters``) to ``path``; return how many rows were written."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputRefused("导出文件的扩展名应为 .xlsx，例如 单位名册.xlsx。")
    if unit_ids is None:
        unit_ids = [r.id for r in registry.list_units(**filters)]  # type: ignore[arg-type]
    rows = _unit_rows(list(unit_ids))
    return write_table(path, EXPORT_HEADERS, rows, sheet_title="单位名册", widths=_WIDTHS)


def write_template(path: Path | str) -> None:
    """A blank import template: the expected headers, one example row, and a notes sheet."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputRefused("模板文件的扩展名应为 .xlsx。")
    book = Workbook()
    sheet = book.active
    sheet.title = "单位名册"
    sheet.append(list(TEMPLATE_HEADERS))
    sheet.append([neutralise(v) for v in _EXAMPLE])
    for index, width in enumerate(_WIDTHS[: len(TEMPLATE_HEADERS)], start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
        sheet.cell(1, index).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 90
    for title, text in _NOTES:
        notes.append([title, text])
        notes.cell(notes.max_row, 1).font = Font(bold=True)
        notes.cell(notes.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    tmp = path.with_name(path.name + ".part")
    try:
        book.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputRefused(f"无法写入文件 {path}：{os_reason(exc)}") from exc
