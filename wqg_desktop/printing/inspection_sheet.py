"""检查记录表: the blank inspection sheet of a unit with its checklist, and the filled record.

The blank sheet is taken along on an inspection and filled by hand; the filled record prints
what was entered (scores item by item, findings, problems, rectification and its deadline,
the follow-up) for the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import fonts
from wqg_desktop.printing import layout as lay

TITLE = "“青少年维权岗”创建单位检查记录表"


@dataclass(frozen=True)
class SheetItem:
    group_no: str
    text: str
    weight: float
    scoring_rule: str
    score: float | None = None


@dataclass
class SheetData:
    unit_name: str
    campaign: str
    standard: str
    items: list[SheetItem]
    #: filled record only (None on a blank sheet)
    on: dt.date | None = None
    announced: bool | None = None
    inspectors: list[str] = field(default_factory=list)
    total: float | None = None
    findings: str = ""
    problems: str = ""
    rectification: str = ""
    deadline: dt.date | None = None
    followup: str = ""

    @property
    def filled(self) -> bool:
        return self.on is not None


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _sheet(data: SheetData, usable: float) -> list:  # type: ignore[type-arg]
    font, hei = fonts.primary_font("song"), fonts.primary_font("hei")
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    rule = ParagraphStyle("rule", parent=cell, fontSize=8, leading=11)
    head = ParagraphStyle("head", parent=cell, fontName=hei, alignment=TA_CENTER)
    title = ParagraphStyle("title", fontName=hei, fontSize=16, leading=24, alignment=TA_CENTER,
                           wordWrap="CJK")

    def p(text: str, style: ParagraphStyle = cell, role: str = "song") -> Paragraph | Spacer:
        # an empty Paragraph makes reportlab declare (unembedded) Helvetica
        if not (text or "").strip():
            return Spacer(1, style.leading * max(1, (text or "").count("\n")))
        return Paragraph(fonts.paragraph_markup(text, role), style)

    blank = "　" * 8
    when = format_date(data.on) if data.on else "______年____月____日"
    mode = ("事先通知" if data.announced else "不打招呼（暗访）") if data.filled else "□事先通知　□不打招呼"
    people = "、".join(data.inspectors) if data.inspectors else blank * 2
    meta = [[p("被检查单位", head, "hei"), p(data.unit_name), p("检查日期", head, "hei"), p(when)],
            [p("创建活动", head, "hei"), p(data.campaign), p("检查方式", head, "hei"), p(mode)],
            [p("检查人员", head, "hei"), p(people), p("对照标准", head, "hei"), p(data.standard)]]
    meta_table = Table(meta, colWidths=[usable * w for w in (0.14, 0.40, 0.12, 0.34)])
    rows = [[p(h, head, "hei") for h in ("序号", "类别", "检查内容与评分细则", "分值", "得分")]]
    for no, item in enumerate(data.items, start=1):
        rows.append([p(str(no)), p(item.group_no),
                     [p(item.text), p("评分：" + item.scoring_rule, rule)] if item.scoring_rule
                     else p(item.text), p(_num(item.weight)), p(_num(item.score))])
    total_weight = sum(i.weight for i in data.items)
    rows.append([p(""), p(""), p("合计（按百分制折算）", head, "hei"), p(_num(total_weight)),
                 p(_num(data.total))])
    items_table = Table(rows, colWidths=[usable * w for w in (0.06, 0.1, 0.68, 0.08, 0.08)],
                        repeatRows=1)
    text_rows = [("检查发现", data.findings), ("存在问题", data.problems),
                 ("整改要求", data.rectification),
                 ("整改期限", format_date(data.deadline) if data.deadline else ""),
                 ("跟踪复查", data.followup)]
    notes = Table([[p(k, head, "hei"), p(v or ("" if data.filled else "\n\n"))]
                   for k, v in text_rows], colWidths=[usable * 0.14, usable * 0.86])
    # every cell's font in our face: reportlab otherwise declares Helvetica for the table
    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), font),
                        ("GRID", (0, 0), (-1, -1), 0.5, black),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    for t in (meta_table, items_table, notes):
        t.setStyle(style)
    sign = p("检查人员签名：" + "＿" * 10 + "　　被检查单位负责人签名：" + "＿" * 10)
    return [p(TITLE, title, "hei"), Spacer(1, 8), meta_table, Spacer(1, 6), items_table,
            Spacer(1, 6), notes, Spacer(1, 14), sign]


def build_inspection_sheets(target: str | Path | IO[bytes], sheets: list[SheetData]) -> None:
    """Write one sheet (blank or filled) per entry, each starting on a new page."""
    if not sheets:
        raise InputRefused("没有可打印的检查记录表。")
    for s in sheets:
        if not s.items:
            raise InputRefused(f"{s.unit_name}没有适用的创建标准条目，请先设置创建标准。")
        lay.ensure_printable([("单位", s.unit_name), ("活动", s.campaign)]
                             + [("标准条目", i.text + i.scoring_rule) for i in s.items]
                             + [("检查发现", s.findings + s.problems + s.rectification
                                 + s.followup)])
    width, _h = lay.paper_size("A4")
    usable = width - lay.mm(36)
    story: list = []  # type: ignore[type-arg]
    for k, s in enumerate(sheets):
        if k:
            story.append(PageBreak())
        story += _sheet(s, usable)
    doc = SimpleDocTemplate(target if not isinstance(target, Path) else str(target),
                            pagesize=lay.paper_size("A4"), leftMargin=lay.mm(18),
                            rightMargin=lay.mm(18), topMargin=lay.mm(16),
                            bottomMargin=lay.mm(16), title=TITLE,
                            initialFontName=fonts.primary_font("song"))
    doc.build(story)


def blank_sheet(campaign_id: int, unit_id: int) -> SheetData:
    """The blank sheet of a unit with the checklist of its police type in the campaign."""
    from wqg_desktop.db.models import Campaign, Unit
    from wqg_desktop.services import inspections

    campaign, unit = Campaign.get_by_id(campaign_id), Unit.get_by_id(unit_id)
    standard, items = inspections.checklist(campaign, unit)
    return SheetData(unit.name, campaign.name, standard.name if standard else "",
                     [SheetItem(i.group_no, i.text, i.weight, i.scoring_rule) for i in items])


def filled_sheet(inspection_id: int) -> SheetData:
    """The record of an inspection as entered."""
    from wqg_desktop.db.models import Standard
    from wqg_desktop.services import inspections

    insp = inspections.get_inspection(inspection_id)
    pairs = inspections.item_scores(insp)
    standard = (Standard.get_by_id(pairs[0][0].standard_id).name if pairs else "")
    state, _overdue = inspections.followup_state(insp, dt.date.today())
    followup = insp.followup
    if insp.followup_on:
        followup = f"{format_date(insp.followup_on)}：{insp.followup}（{state}）"
    return SheetData(
        insp.unit.name, insp.campaign.name if insp.campaign else "", standard,
        [SheetItem(it.group_no, it.text, it.weight, it.scoring_rule, score) for it, score in pairs],
        on=insp.on, announced=insp.announced, inspectors=inspections.inspectors_of(insp),
        total=insp.score, findings=insp.findings, problems=insp.problems,
        rectification=insp.rectification, deadline=insp.rectification_deadline,
        followup=followup)
