"""The application form (申报表) of a candidate unit: a bordered table, one or more A4 pages.

Filled from the register (name, county, bureau, police type, head, hotline, address, online
platform, volunteers, titles held, service commitment), with the boxes the offices fill by
hand: main deeds, the recommending office's opinion and the reviewing office's opinion, each
with room for a seal and a date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import fonts
from wqg_desktop.printing import layout as lay

SEAL_LINE = "（盖章）\n\n年　　月　　日"


@dataclass(frozen=True)
class ApplicationData:
    form_title: str  # 2025—2026年度南通市“青少年维权岗”创建单位申报表
    unit_name: str
    region: str
    bureau: str
    police_type: str
    unit_kind: str
    head_name: str
    head_post: str
    head_phone: str
    hotline: str
    address: str
    online: str
    volunteers: str
    titles_held: str
    commitment: str
    status: str = ""  # the candidacy's state, e.g. 审核

    def texts(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in vars(self).items()]


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    font = fonts.primary_font("song")
    cell = ParagraphStyle("cell", fontName=font, fontSize=11, leading=16, wordWrap="CJK")
    label = ParagraphStyle("label", parent=cell, alignment=TA_CENTER)
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=26,
                           alignment=TA_CENTER, wordWrap="CJK")
    return cell, label, title


def _p(text: str, style: ParagraphStyle, role: str = "song") -> Paragraph:
    return Paragraph(fonts.paragraph_markup(text or "", role), style)


def _form(item: ApplicationData, width: float) -> list:  # type: ignore[type-arg]
    cell, label, title = _styles()
    hei_label = ParagraphStyle("hl", parent=label, fontName=fonts.primary_font("hei"))

    def lab(text: str) -> Paragraph:
        return _p(text, hei_label, "hei")

    def val(text: str) -> Paragraph:
        return _p(text, cell)

    c = [0.17, 0.33, 0.17, 0.33]
    cols = [width * f for f in c]
    rows = [
        [lab("单位名称"), val(item.unit_name), "", ""],
        [lab("县(市、区)"), val(item.region), lab("所属公安局"), val(item.bureau)],
        [lab("警　　种"), val(item.police_type), lab("单位类别"), val(item.unit_kind)],
        [lab("负 责 人"), val(item.head_name), lab("职　　务"), val(item.head_post)],
        [lab("联系电话"), val(item.head_phone), lab("维权电话"), val(item.hotline)],
        [lab("单位地址"), val(item.address), "", ""],
        [lab("青少年维权在线"), val(item.online), lab("志愿者队伍"), val(item.volunteers)],
        [lab("已获称号"), val(item.titles_held or "无"), "", ""],
        [lab("服务承诺"), val(item.commitment or "（未填写）"), "", ""],
        [lab("主要事迹\n（可另附页）"), "", "", ""],
        [lab("推荐单位\n意见"), val(SEAL_LINE), lab("审核单位\n意见"), val(SEAL_LINE)],
    ]
    heights = [None] * 9 + [lay.mm(70), lay.mm(38)]
    table = Table(rows, colWidths=cols, rowHeights=heights, repeatRows=0)
    style = TableStyle([
        # Empty cells are drawn as strings too: in our face, or reportlab adds Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), fonts.primary_font("song")),
        ("GRID", (0, 0), (-1, -1), 0.6, "black"),
        ("BOX", (0, 0), (-1, -1), 1.4, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (1, 10), (1, 10), "BOTTOM"),
        ("VALIGN", (3, 10), (3, 10), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ])
    for r in (0, 5, 7, 8, 9):
        style.add("SPAN", (1, r), (3, r))
    table.setStyle(style)
    head = [_p(item.form_title, title), Spacer(1, lay.mm(6))]
    if item.status:
        head.append(_p(f"申报状态：{item.status}", cell))
        head.append(Spacer(1, lay.mm(2)))
    return [*head, table]


def render_forms(target: str | Path | IO[bytes], items: Sequence[ApplicationData]) -> int:
    if not items:
        raise InputRefused("没有可打印申报表的单位：请选择创建活动或单位。")
    for item in items:
        lay.ensure_printable([(f"{k}（{item.unit_name}）", v) for k, v in item.texts()])
    pages = {"n": 0}

    def count(_canvas, _doc) -> None:  # type: ignore[no-untyped-def]
        pages["n"] += 1

    pw, _ph = lay.paper_size("A4")
    doc = SimpleDocTemplate(
        target if not isinstance(target, Path) else str(target), pagesize=lay.paper_size("A4"),
        leftMargin=lay.mm(20), rightMargin=lay.mm(20), topMargin=lay.mm(20), bottomMargin=lay.mm(18),
        title="“青少年维权岗”创建单位申报表", initialFontName=fonts.primary_font("song"))
    story: list = []  # type: ignore[type-arg]
    for i, item in enumerate(items):
        if i:
            story.append(PageBreak())
        story += _form(item, pw - lay.mm(40))
    doc.build(story, onFirstPage=count, onLaterPages=count)
    return pages["n"]
