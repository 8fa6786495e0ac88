"""The survey report: awareness and satisfaction rates per unit, the definitions beside them,
the sample sizes with their warnings, and a simple bar chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import fonts
from wqg_desktop.printing import layout as lay

AWARE = Color(0.23, 0.43, 0.65)
SATISFIED = Color(0.31, 0.60, 0.35)


@dataclass(frozen=True)
class ReportRow:
    unit: str
    valid_sheets: int
    awareness: float | None
    satisfaction: float | None
    previous_satisfaction: float | None
    note: str = ""


@dataclass(frozen=True)
class ReportData:
    title: str
    campaign: str
    on: dt.date
    rows: list[ReportRow]
    total_awareness: float | None
    total_satisfaction: float | None
    total_sheets: int
    definitions: str


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


class _Bars(Flowable):
    """Two bars per unit, drawn with the font chain so unit names never lose a glyph."""

    ROW = 26.0

    def __init__(self, rows: list[ReportRow], width: float) -> None:
        super().__init__()
        self.rows, self.width = rows, width
        self.height = 18 + self.ROW * len(rows)

    def draw(self) -> None:
        c = self.canv
        label_w = self.width * 0.38
        bar_w = self.width - label_w - 48
        y = self.height - 10
        for colour, text, x in ((AWARE, "知晓度", 0.0), (SATISFIED, "满意度", 60.0)):
            c.setFillColor(colour)
            c.rect(x, y - 1, 8, 8, stroke=0, fill=1)
            c.setFillColor(black)
            fonts.draw_string(c, x + 11, y, text, "song", 9)
        y -= 16
        for row in self.rows:
            size = fonts.fit_font_size(row.unit, "song", label_w - 6, 9, 5) or 5
            fonts.draw_string(c, label_w - 6, y - 8, row.unit, "song", size, anchor="right")
            for k, (rate, colour) in enumerate(((row.awareness, AWARE),
                                                (row.satisfaction, SATISFIED))):
                top = y - k * 11
                c.setFillColor(Color(0.92, 0.92, 0.92))
                c.rect(label_w, top - 9, bar_w, 9, stroke=0, fill=1)
                if rate is not None:
                    c.setFillColor(colour)
                    c.rect(label_w, top - 9, bar_w * rate, 9, stroke=0, fill=1)
                c.setFillColor(black)
                fonts.draw_string(c, label_w + bar_w + 4, top - 8, _pct(rate), "song", 8)
            y -= self.ROW


def build_survey_report(target: str | Path | IO[bytes], data: ReportData) -> None:
    """Write the report: heading, definitions, table per unit, campaign totals, chart."""
    if not data.rows:
        raise InputRefused("该创建活动还没有调查数据，无法生成调查报告。")
    lay.ensure_printable([("标题", data.title), ("活动", data.campaign)]
                         + [("单位", r.unit) for r in data.rows])
    font = fonts.primary_font("song")
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12)
    head = ParagraphStyle("head", parent=cell, fontName=fonts.primary_font("hei"),
                          alignment=TA_CENTER)
    title = ParagraphStyle("title", fontName=fonts.primary_font("hei"), fontSize=16, leading=24,
                           alignment=TA_CENTER, wordWrap="CJK")

    def p(text: str, style: ParagraphStyle, role: str = "song") -> Paragraph | Spacer:
        if not text.strip():  # an empty Paragraph makes reportlab declare Helvetica
            return Spacer(1, style.leading)
        return Paragraph(fonts.paragraph_markup(text, role), style)

    width, _h = lay.paper_size("A4")
    usable = width - lay.mm(36)
    story: list = [p(data.title, title, "hei"), Spacer(1, 4),  # type: ignore[type-arg]
                   p(f"{data.campaign}　　统计日期：{format_date(data.on)}", body), Spacer(1, 4),
                   p(f"口径：{data.definitions}", body), Spacer(1, 6),
                   p(f"全活动合计：有效问卷 {data.total_sheets} 份，知晓度 "
                     f"{_pct(data.total_awareness)}，满意度 {_pct(data.total_satisfaction)}。", body),
                   Spacer(1, 8)]
    header = ["序号", "单位", "有效问卷", "知晓度", "满意度", "上次满意度", "说明"]
    table = [[p(h, head, "hei") for h in header]]
    for no, r in enumerate(data.rows, start=1):
        table.append([p(str(no), cell), p(r.unit, cell), p(str(r.valid_sheets), cell),
                      p(_pct(r.awareness), cell), p(_pct(r.satisfaction), cell),
                      p(_pct(r.previous_satisfaction), cell), p(r.note, cell)])
    widths = [0.06, 0.34, 0.09, 0.09, 0.09, 0.11, 0.22]
    grid = Table(table, colWidths=[usable * w for w in widths], repeatRows=1)
    grid.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font),
                              ("GRID", (0, 0), (-1, -1), 0.5, black),
                              ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [grid, Spacer(1, 12),
              KeepTogether([p("各单位知晓度、满意度", head, "hei"), Spacer(1, 4),
                            _Bars(data.rows, usable)])]
    doc = SimpleDocTemplate(target if not isinstance(target, Path) else str(target),
                            pagesize=lay.paper_size("A4"), leftMargin=lay.mm(18),
                            rightMargin=lay.mm(18), topMargin=lay.mm(18),
                            bottomMargin=lay.mm(16), title=data.title,
                            initialFontName=font)
    doc.build(story)


def report_for_campaign(campaign_id: int, on: dt.date) -> ReportData:
    """Collect the report's figures from the survey service."""
    from wqg_desktop.db.models import Campaign
    from wqg_desktop.services import surveys

    campaign = Campaign.get_by_id(campaign_id)
    items = surveys.unit_rates(campaign_id=campaign_id)
    total = surveys.Rates()
    rows = []
    for item in items:
        total.add(item.rates)
        rows.append(ReportRow(item.unit, item.rates.valid_sheets, item.rates.awareness,
                              item.rates.satisfaction,
                              item.previous.satisfaction if item.previous else None,
                              "样本不足" if item.warnings else ""))
    return ReportData("“青少年维权岗”知晓度、满意度调查报告", campaign.name, on, rows,
                      total.awareness, total.satisfaction, total.valid_sheets,
                      surveys.definitions_text())
