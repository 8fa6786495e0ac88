"""Contact cards (联系卡): business-card size (90×54 mm), ten to an A4 sheet with cut marks.

Section 三.10 of the seed: posts hand out 联系卡 in villages, communities, schools and
enterprises. A card carries the post's name, the unit, the rights hotline, the address, the
responsible person and the 12355 supervision line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import layout as lay

CARD_W, CARD_H = 90.0, 54.0
COLS, ROWS = 2, 5
PER_SHEET = COLS * ROWS


@dataclass(frozen=True)
class CardData:
    unit_name: str
    hotline: str
    address: str
    contact_person: str
    phone: str = ""
    title_line: str = "青少年维权岗"

    def texts(self) -> list[tuple[str, str]]:
        return [("单位名称", self.unit_name), ("维权电话", self.hotline), ("地址", self.address),
                ("联系人", self.contact_person), ("电话", self.phone)]


def card_origins(paper_w: float, paper_h: float) -> list[tuple[float, float]]:
    """Top-left corners (mm, from the sheet's top-left) of the ten cards, centred on A4."""
    left = (lay.to_mm(paper_w) - COLS * CARD_W) / 2
    top = (lay.to_mm(paper_h) - ROWS * CARD_H) / 2
    return [(left + c * CARD_W, top + r * CARD_H) for r in range(ROWS) for c in range(COLS)]


def _card(canvas, sheet: lay.Sheet, x: float, y: float, item: CardData) -> None:  # type: ignore[no-untyped-def]
    box = sheet.box(x, y, CARD_W, CARD_H)
    canvas.saveState()
    canvas.setFillColor(lay.SEAL_RED)
    canvas.rect(box.x, box.top - lay.mm(13), box.w, lay.mm(13), stroke=0, fill=1)
    canvas.restoreState()
    from reportlab.lib.colors import white

    lay.draw_in_box(canvas, f"“{item.title_line}”联系卡", sheet.box(x + 4, y + 2.5, CARD_W - 8, 8),
                  role="hei", start=14, minimum=9, align="centre", valign="middle",
                  color=white, max_lines=1)
    lay.draw_in_box(canvas, item.unit_name, sheet.box(x + 5, y + 16, CARD_W - 10, 9), role="hei",
                  start=11, minimum=6.5, align="centre", valign="middle", max_lines=2)
    rows = [("维权电话", item.hotline), ("联 系 人", item.contact_person
                                          + (f"　{item.phone}" if item.phone else "")),
            ("地　　址", item.address), ("监督热线", "12355")]
    for i, (label, value) in enumerate(rows):
        lay.draw_in_box(canvas, f"{label}：{value or '—'}",
                      sheet.box(x + 6, y + 28 + i * 6, CARD_W - 12, 5.2), start=8.5, minimum=5.5,
                      align="left", valign="middle", max_lines=1)


def _cut_marks(canvas, sheet: lay.Sheet, origins: list[tuple[float, float]]) -> None:  # type: ignore[no-untyped-def]
    """Marks on every cut line, outside the block of cards (cards abut: no marks between)."""
    left, top = origins[0]
    right, bottom = left + COLS * CARD_W, top + ROWS * CARD_H
    gap, length = 2.0, 5.0
    canvas.saveState()
    canvas.setLineWidth(0.3)
    for c in range(COLS + 1):
        x = left + c * CARD_W
        for y0, y1 in ((top - gap, top - gap - length), (bottom + gap, bottom + gap + length)):
            canvas.line(*sheet.point(x, y0), *sheet.point(x, y1))
    for r in range(ROWS + 1):
        y = top + r * CARD_H
        for x0, x1 in ((left - gap, left - gap - length), (right + gap, right + gap + length)):
            canvas.line(*sheet.point(x0, y), *sheet.point(x1, y))
    canvas.restoreState()


def render_cards(target: str | Path | IO[bytes], items: Sequence[CardData], *,
                 copies_each: int = 1) -> int:
    """``copies_each`` cards of every unit, ten per sheet; returns the number of sheets."""
    cards = [item for item in items for _ in range(max(1, copies_each))]
    if not cards:
        raise InputRefused("没有可印制联系卡的单位：请先选择单位。")
    for item in items:
        lay.ensure_printable([(f"{k}（{item.unit_name}）", v) for k, v in item.texts()])
    pw, ph = lay.paper_size("A4")
    sheet = lay.Sheet(pw, ph)
    canvas = lay.new_canvas(target, (pw, ph), title="“青少年维权岗”联系卡")
    origins = card_origins(pw, ph)
    sheets = 0
    for start in range(0, len(cards), PER_SHEET):
        for (x, y), item in zip(origins, cards[start:start + PER_SHEET], strict=False):
            _card(canvas, sheet, x, y, item)
        _cut_marks(canvas, sheet, origins)
        lay.draw_line(canvas, "沿裁切线裁开，每张 90×54 毫米", lay.mm(20), lay.mm(8), 7, color=lay.GREY)
        canvas.showPage()
        sheets += 1
    canvas.save()
    return sheets
