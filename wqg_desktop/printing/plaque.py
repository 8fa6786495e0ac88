"""Plaque artwork (牌匾) at real size for the sign maker, and an A4 proof with dimensions.

What a plaque carries (DOMAIN rule 4: the naming grants "the title and a plaque of that
level"): the level and area line (2011—2012年度南通市), 青少年维权岗 large, the naming bodies and
the month of naming. It does not carry the unit's name: it hangs at the unit. Plaques of one
naming are identical, so each distinct artwork is drawn once, with the number to make and the
units they go to listed on the proof.

Traditional style: white ground, red (or black) characters, a thin border inset from the edge;
the song (宋体) role draws it where the office's fonts have one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reportlab.lib.colors import Color, black

from wqg_desktop.domain.chinese import chinese_digits, chinese_numeral
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import layout as lay

COLOURS = {"red": lay.SEAL_RED, "black": black}
COLOUR_LABELS = {"red": "白底红字", "black": "白底黑字"}


@dataclass(frozen=True)
class PlaqueData:
    """One plaque design: the area line, the bodies, the month; and who receives it."""

    area_line: str  # 2011—2012年度南通市
    naming_bodies: tuple[str, ...]
    year: int
    month: int
    units: tuple[str, ...] = ()
    demonstration: bool = False

    @property
    def main_text(self) -> str:
        return "青少年维权岗"

    @property
    def sub_text(self) -> str:
        return "创建活动示范单位" if self.demonstration else ""

    @property
    def date_text(self) -> str:
        return f"{chinese_digits(self.year)}年{chinese_numeral(self.month)}月"


def group_plaques(items: Sequence[PlaqueData]) -> list[PlaqueData]:
    """Merge identical designs, collecting the units each goes to (order kept)."""
    merged: dict[tuple, PlaqueData] = {}
    for item in items:
        key = (item.area_line, item.naming_bodies, item.year, item.month, item.demonstration)
        if key in merged:
            prev = merged[key]
            merged[key] = PlaqueData(prev.area_line, prev.naming_bodies, prev.year, prev.month,
                                     prev.units + item.units, prev.demonstration)
        else:
            merged[key] = item
    return list(merged.values())


def _check(items: Sequence[PlaqueData], width_mm: float, height_mm: float, colour: str) -> None:
    if not items:
        raise InputRefused("没有可制作的牌匾：请先选择已命名的单位或创建活动。")
    if not (100 <= width_mm <= 2000 and 60 <= height_mm <= 1500):
        raise InputRefused("牌匾尺寸应在 100×60 毫米到 2000×1500 毫米之间。")
    if colour not in COLOURS:
        raise InputRefused("牌匾颜色只能是 白底红字（red）或 白底黑字（black）。")
    for item in items:
        lay.ensure_printable([("地区", item.area_line), *[("命名单位", b) for b in item.naming_bodies]])


def _draw_artwork(canvas, box: lay.Box, item: PlaqueData, colour: Color) -> None:  # type: ignore[no-untyped-def]
    """The plaque inside ``box`` (any size: all measures are fractions of its height)."""
    canvas.saveState()
    canvas.setFillColor(Color(1, 1, 1))
    canvas.rect(box.x, box.y, box.w, box.h, stroke=0, fill=1)
    canvas.setStrokeColor(colour)
    inset = box.h * 0.045
    canvas.setLineWidth(box.h * 0.008)
    canvas.rect(box.x + inset, box.y + inset, box.w - 2 * inset, box.h - 2 * inset)
    canvas.restoreState()
    h, inner_w = box.h, box.w - 2 * inset - box.h * 0.08
    left = box.x + (box.w - inner_w) / 2

    def line(text: str, top_frac: float, height_frac: float, start_frac: float,
             role: str = "song") -> None:
        if not text:
            return
        band = lay.Box(left, box.top - (top_frac + height_frac) * h, inner_w, height_frac * h)
        lay.draw_in_box(canvas, text, band, role=role, start=start_frac * h,
                      minimum=min(start_frac * h, 6), align="centre", valign="middle",
                      color=colour, max_lines=1)

    line(item.area_line, 0.12, 0.10, 0.085)
    line(item.main_text, 0.27, 0.26, 0.20)
    line(item.sub_text, 0.53, 0.09, 0.075)
    line("　".join(item.naming_bodies), 0.66, 0.09, 0.062)
    line(item.date_text, 0.78, 0.08, 0.055)


def render_plaques(target: str | Path | IO[bytes], items: Sequence[PlaqueData], *,
                   width_mm: float = 600, height_mm: float = 400, colour: str = "red") -> int:
    """Real-size artwork, one page of exactly ``width_mm × height_mm`` per distinct design."""
    designs = group_plaques(items)
    _check(designs, width_mm, height_mm, colour)
    size = (lay.mm(width_mm), lay.mm(height_mm))
    canvas = lay.new_canvas(target, size, title="“青少年维权岗”牌匾样稿（实际尺寸）")
    for item in designs:
        _draw_artwork(canvas, lay.Box(0, 0, *size), item, COLOURS[colour])
        canvas.showPage()
    canvas.save()
    return len(designs)


def render_proof(target: str | Path | IO[bytes], items: Sequence[PlaqueData], *,
                 width_mm: float = 600, height_mm: float = 400, colour: str = "red") -> int:
    """A4 portrait proof per design: scaled artwork, dimension lines, count and recipients."""
    designs = group_plaques(items)
    _check(designs, width_mm, height_mm, colour)
    pw, ph = lay.paper_size("A4")
    canvas = lay.new_canvas(target, (pw, ph), title="“青少年维权岗”牌匾校样")
    for item in designs:
        lay.draw_line(canvas, "“青少年维权岗”牌匾校样", pw / 2, ph - lay.mm(22), 18, role="hei",
                    align="centre")
        scale = min(lay.mm(160) / lay.mm(width_mm), lay.mm(110) / lay.mm(height_mm))
        w, h = lay.mm(width_mm) * scale, lay.mm(height_mm) * scale
        art = lay.Box((pw - w) / 2, ph - lay.mm(45) - h, w, h)
        canvas.saveState()
        canvas.setStrokeColor(lay.GREY)
        canvas.setLineWidth(0.3)
        canvas.rect(art.x, art.y, art.w, art.h)
        canvas.restoreState()
        _draw_artwork(canvas, art, item, COLOURS[colour])
        _dimension(canvas, art.x, art.top + lay.mm(6), art.right, art.top + lay.mm(6),
                   f"{width_mm:g} 毫米")
        _dimension(canvas, art.x - lay.mm(6), art.y, art.x - lay.mm(6), art.top,
                   f"{height_mm:g} 毫米", vertical=True)
        notes = [
            f"成品尺寸：宽 {width_mm:g} 毫米 × 高 {height_mm:g} 毫米（本页按 {scale:.0%} 缩小）",
            f"颜色：{COLOUR_LABELS[colour]}；字体：宋体（或同类庄重字体）",
            f"制作数量：{max(1, len(item.units))} 块",
        ]
        y = art.y - lay.mm(12)
        for note in notes:
            lay.draw_line(canvas, note, lay.mm(25), y, 11)
            y -= lay.mm(7)
        if item.units:
            lay.draw_line(canvas, "授牌单位：", lay.mm(25), y, 11, role="hei")
            y -= lay.mm(6)
            listing = "；".join(f"{i}、{u}" for i, u in enumerate(item.units, 1))
            lay.draw_in_box(canvas, listing, lay.Box(lay.mm(25), lay.mm(18), pw - lay.mm(50), y - lay.mm(16)),
                          start=10.5, minimum=7, align="left")
        lay.draw_line(canvas, "请制作单位按成品尺寸文件（实际尺寸 PDF）制版，校样仅供核对文字与版式。",
                    pw / 2, lay.mm(10), 8, align="centre", color=lay.GREY)
        canvas.showPage()
    canvas.save()
    return len(designs)


def _dimension(canvas, x0: float, y0: float, x1: float, y1: float, label: str, *,  # type: ignore[no-untyped-def]
               vertical: bool = False) -> None:
    """A dimension line with end ticks and its measure in the middle."""
    canvas.saveState()
    canvas.setLineWidth(0.4)
    canvas.line(x0, y0, x1, y1)
    t = lay.mm(2)
    if vertical:
        canvas.line(x0 - t, y0, x0 + t, y0)
        canvas.line(x1 - t, y1, x1 + t, y1)
        canvas.translate(x0 - lay.mm(2), (y0 + y1) / 2)
        canvas.rotate(90)
        lay.draw_line(canvas, label, 0, 0, 9, role="hei", align="centre")
    else:
        canvas.line(x0, y0 - t, x0, y0 + t)
        canvas.line(x1, y1 - t, x1, y1 + t)
        lay.draw_line(canvas, label, (x0 + x1) / 2, y0 + lay.mm(1.5), 9, role="hei", align="centre")
    canvas.restoreState()
