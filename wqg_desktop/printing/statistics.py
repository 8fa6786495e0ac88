"""Statistics sheets: coverage per county and per police type, titles per level, with charts.

Tables and bar charts drawn with reportlab (platypus tables, reportlab.graphics bar charts);
the chart labels go through the font chain like everything else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import fonts
from wqg_desktop.printing import layout as lay

BLUE = Color(0.22, 0.40, 0.66)
LIGHT = Color(0.62, 0.74, 0.88)


@dataclass(frozen=True)
class CoverageLine:
    group: str
    units: int
    in_campaign: int
    titled: int
    covered: int
    rate: str


@dataclass(frozen=True)
class StatisticsData:
    office: str
    as_of: dt.date
    by_region: Sequence[CoverageLine]
    by_police_type: Sequence[CoverageLine]
    total: CoverageLine
    titles_by_level: Sequence[tuple[str, int]]  # (市级, 12)

    def texts(self) -> list[tuple[str, str]]:
        names = [r.group for r in (*self.by_region, *self.by_police_type)]
        return [("办公室", self.office), *[("分组", n) for n in names]]


def _p(text: str, style: ParagraphStyle, role: str = "song") -> Paragraph:
    return Paragraph(fonts.paragraph_markup(text, role), style)


def _table(heading: str, rows: Sequence[CoverageLine], total: CoverageLine,
           width: float) -> Table:
    cell = ParagraphStyle("c", fontName=fonts.primary_font("song"), fontSize=10, leading=13,
                          alignment=TA_CENTER, wordWrap="CJK")
    head = [heading, "在册单位", "参加创建", "有效称号", "覆盖单位", "覆盖率"]
    data = [[_p(h, cell, "hei") for h in head]]
    for r in [*rows, total]:
        data.append([_p(r.group, cell)] + [_p(str(v), cell) for v in
                                            (r.units, r.in_campaign, r.titled, r.covered, r.rate)])
    table = Table(data, colWidths=[width * 0.25] + [width * 0.15] * 5, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.primary_font("song")),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("BACKGROUND", (0, 0), (-1, 0), Color(0.9, 0.9, 0.9)),
        ("BACKGROUND", (0, -1), (-1, -1), Color(0.95, 0.95, 0.95)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _bar_chart(title: str, rows: Sequence[CoverageLine], width: float) -> Drawing:
    height = lay.mm(70)
    drawing = Drawing(width, height, initialFontName=fonts.primary_font("hei"))
    chart = VerticalBarChart()
    chart.x, chart.y = 36, 42
    chart.width, chart.height = width - 60, height - 70
    chart.data = [[r.units for r in rows], [r.covered for r in rows]]
    chart.bars[0].fillColor, chart.bars[1].fillColor = LIGHT, BLUE
    chart.valueAxis.valueMin = 0
    top = max([r.units for r in rows] + [1])
    chart.valueAxis.valueMax = top + max(1, top // 10)
    chart.valueAxis.valueStep = max(1, (top + 4) // 5)
    chart.valueAxis.labels.fontName = fonts.primary_font("hei")
    chart.categoryAxis.labels.fontName = fonts.primary_font("hei")  # no stray Helvetica
    chart.categoryAxis.categoryNames = [""] * len(rows)
    chart.barSpacing, chart.groupSpacing = 1, 6
    drawing.add(chart)
    step = chart.width / max(1, len(rows))
    for i, r in enumerate(rows):
        name = r.group if len(r.group) <= 6 else r.group[:6] + "…"
        drawing.add(_label(name, chart.x + step * (i + 0.5), chart.y - 14))
    drawing.add(_label(title, width / 2, height - 12, size=11))
    drawing.add(_label("■ 在册单位", chart.x + 40, 12, size=8, color=LIGHT))
    drawing.add(_label("■ 覆盖单位", chart.x + 120, 12, size=8, color=BLUE))
    return drawing


def _label(text: str, x: float, y: float, *, size: float = 8,
           color: Color | None = None) -> String:
    # reportlab's String draws with one face: take the first face of the chain that has
    # every character, and refuse (never a .notdef box) when no single face does.
    chain = fonts.get_chain("hei")
    face = next((f for f in chain.faces if all(f.covers(c) for c in text if not c.isspace())),
                None)
    if face is None:
        raise InputRefused(f"图表标签“{text}”中的字没有同一种字体能完整显示，请改用常用字。")
    return String(x, y, text, fontName=face.name, fontSize=size, textAnchor="middle",
                  fillColor=color or Color(0, 0, 0))


def render_statistics(target: str | Path | IO[bytes], data: StatisticsData) -> int:
    if not data.by_region and not data.by_police_type:
        raise InputRefused("名册中还没有在册单位，无法统计。")
    lay.ensure_printable(data.texts(), role="hei")
    pages = {"n": 0}

    def count(canvas, _doc) -> None:  # type: ignore[no-untyped-def]
        pages["n"] += 1
        lay.draw_line(canvas, f"第 {pages['n']} 页", lay.paper_size("A4")[0] / 2, lay.mm(10), 9,
                    align="centre", color=lay.GREY)

    pw, _ = lay.paper_size("A4")
    width = pw - lay.mm(36)
    title = ParagraphStyle("t", fontName=fonts.primary_font("song"), fontSize=17, leading=24,
                           alignment=TA_CENTER, wordWrap="CJK")
    note = ParagraphStyle("n", fontName=fonts.primary_font("song"), fontSize=10, leading=15,
                          wordWrap="CJK")
    levels = "；".join(f"{name} {n} 个" for name, n in data.titles_by_level) or "无"
    story = [
        _p(f"{data.office}“青少年维权岗”创建活动覆盖率与称号统计", title),
        Spacer(1, lay.mm(3)),
        _p(f"统计日期：{format_date(data.as_of)}。在册单位指仍在册、仍从事涉及青少年工作的基层单位；"
           "覆盖单位指正在参加创建活动或持有有效称号的单位（县级层面全覆盖的目标）。", note),
        _p(f"有效称号（按层级）：{levels}。", note),
        Spacer(1, lay.mm(4)),
        _table("县(市、区)", data.by_region, data.total, width),
        Spacer(1, lay.mm(4)),
        _bar_chart("各县(市、区)覆盖情况", data.by_region, width),
        Spacer(1, lay.mm(6)),
        _table("警种", data.by_police_type, data.total, width),
        Spacer(1, lay.mm(4)),
        _bar_chart("各警种覆盖情况", data.by_police_type, width),
    ]
    doc = SimpleDocTemplate(
        target if not isinstance(target, Path) else str(target), pagesize=lay.paper_size("A4"),
        leftMargin=lay.mm(18), rightMargin=lay.mm(18), topMargin=lay.mm(18), bottomMargin=lay.mm(18),
        title="覆盖率与称号统计", initialFontName=fonts.primary_font("song"))
    doc.build(story, onFirstPage=count, onLaterPages=count)
    return pages["n"]
