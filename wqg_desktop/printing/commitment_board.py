"""The service commitment board (承诺公示牌): what a unit promises, shown in a prominent place.

Section 二.6 of the seed: the commitment, the rights content (维权内容), the rights hotline,
the address and the responsible person are made public, with 12355 as the supervision line.
One A4 portrait page per unit, printable as is or sent to a sign maker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib.colors import Color

from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import layout as lay

SUPERVISION = "12355"


@dataclass(frozen=True)
class BoardData:
    unit_name: str
    commitment: str
    rights_content: str
    hotline: str
    address: str
    responsible_person: str
    published_on: str = ""  # already formatted (2025年4月9日)

    def texts(self) -> list[tuple[str, str]]:
        return [("单位名称", self.unit_name), ("服务承诺", self.commitment),
                ("维权内容", self.rights_content), ("维权电话", self.hotline),
                ("单位地址", self.address), ("负责人", self.responsible_person)]


def render_boards(target: str | Path | IO[bytes], items: Sequence[BoardData]) -> int:
    if not items:
        raise InputRefused("所选单位还没有服务承诺：请先在单位的服务承诺中填写。")
    for item in items:
        lay.ensure_printable([(f"{k}（{item.unit_name}）", v) for k, v in item.texts()])
    pw, ph = lay.paper_size("A4")
    sheet = lay.Sheet(pw, ph)
    canvas = lay.new_canvas(target, (pw, ph), title="“青少年维权岗”服务承诺公示牌")
    band = Color(0.78, 0.07, 0.09)
    for item in items:
        canvas.setFillColor(band)
        canvas.rect(0, ph - lay.mm(42), pw, lay.mm(42), stroke=0, fill=1)
        lay.draw_line(canvas, "“青少年维权岗”服务承诺", pw / 2, ph - lay.mm(22), 28, role="hei",
                    align="centre", color=Color(1, 1, 1))
        lay.draw_in_box(canvas, item.unit_name, sheet.box(15, 29, 180, 10), role="hei",
                      start=17, minimum=10, align="centre", valign="middle",
                      color=Color(1, 1, 1), max_lines=1)
        y = 52.0
        for heading, text, height in (("服务承诺", item.commitment, 92),
                                      ("维权内容", item.rights_content, 40)):
            lay.draw_line(canvas, f"【{heading}】", *sheet.point(18, y + 6), 15, role="hei",
                        color=band)
            lay.draw_in_box(canvas, text or "（未填写）", sheet.box(22, y + 10, 170, height),
                          start=14, minimum=9, align="left")
            y += height + 14
        canvas.setStrokeColor(band)
        canvas.setLineWidth(0.8)
        x0, y0 = sheet.point(15, y)
        canvas.line(x0, y0, pw - lay.mm(15), y0)
        rows = [("维权电话", item.hotline), ("单位地址", item.address),
                ("负  责  人", item.responsible_person),
                ("监督电话", f"{SUPERVISION}（“青少年维权岗”统一监督热线）")]
        y += 6
        for label, value in rows:
            lay.draw_line(canvas, f"{label}：", *sheet.point(22, y + 6), 14, role="hei")
            lay.draw_in_box(canvas, value or "（未填写）", sheet.box(52, y + 1, 140, 8), start=14,
                          minimum=9, align="left", max_lines=1)
            y += 11
        if item.published_on:
            lay.draw_line(canvas, f"公布日期：{item.published_on}", pw - lay.mm(22), lay.mm(16), 11,
                        align="right")
        lay.draw_line(canvas, "欢迎社会各界监督", lay.mm(22), lay.mm(16), 11, color=lay.GREY)
        canvas.showPage()
    canvas.save()
    return len(items)
