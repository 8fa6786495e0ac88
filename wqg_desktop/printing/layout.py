"""Shared page geometry for every document: millimetres, paper, text boxes that always fit.

Positions an officer types (calibration, field positions on pre-printed paper) are millimetres
measured from the **top-left** corner of the sheet, the way one measures with a ruler; reportlab
draws from the bottom-left in points. :class:`Sheet` converts once, here, so no document module
does that arithmetic itself.

Text fitting: a text shrinks from its start size towards a minimum; if it still does not fit
on one line it wraps, shrinking further until every line fits the box. Below the minimum it
keeps shrinking down to :data:`FLOOR_SIZE` rather than run off the paper — a 60-character unit
name on a certificate is small, but it is whole and on the sheet. A fit depends only on the
text, the box and the sizes, so it is computed once per process for each (a batch repeats
most of its texts in the same boxes); one line's layout and drawing are in
:mod:`wqg_desktop.printing.laid_text`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.units import mm as points_per_mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import fonts, laid_text
from wqg_desktop.printing.laid_text import (  # noqa: F401  (re-exported: documents use lay.*)
    ChainCanvas,
    draw_text,
    ensure_printable,
    fit_size,
    text_width,
)

Align = Literal["left", "centre", "right"]
VAlign = Literal["top", "middle", "bottom"]

PAPERS: dict[str, tuple[float, float]] = {"A4": A4, "A3": A3}
#: The red of official seals and titles (a printable, not screaming, vermilion).
SEAL_RED = Color(0.78, 0.07, 0.09)
GREY = Color(0.45, 0.45, 0.45)
#: Never draw text smaller than this, whatever the box: a smaller name could not be read.
FLOOR_SIZE = 5.0
#: Line pitch as a multiple of the font size.
LEADING = 1.35


def mm(value: float) -> float:
    """Millimetres to points."""
    return value * points_per_mm


def to_mm(points: float) -> float:
    return points / points_per_mm


def paper_size(paper: str = "A4", *, landscape_: bool = False) -> tuple[float, float]:
    """(width, height) in points of A4/A3, portrait or landscape; refuse other names."""
    key = (paper or "A4").strip().upper()
    if key not in PAPERS:
        raise InputRefused(f"不支持的纸张“{paper}”：请选择 A4 或 A3。")
    size = PAPERS[key]
    return landscape(size) if landscape_ else portrait(size)


def new_canvas(target: str | Path | IO[bytes], pagesize: tuple[float, float], *,
               title: str = "", author: str = "", subject: str = "") -> ChainCanvas:
    """A canvas whose base font is the song chain's primary face (no stray Helvetica); it
    remembers the lines it drew, so a line repeated at the same place costs a copy."""
    canvas = ChainCanvas(
        target if not isinstance(target, Path) else str(target),
        pagesize=pagesize,
        initialFontName=fonts.primary_font("song"),
        initialFontSize=12,
    )
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject)
    canvas.setCreator("维权岗")
    return canvas


@dataclass(frozen=True)
class Box:
    """A rectangle in points, reportlab coordinates (``x``, ``y`` = bottom-left corner)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def inset(self, d: float) -> Box:
        return Box(self.x + d, self.y + d, self.w - 2 * d, self.h - 2 * d)


@dataclass(frozen=True)
class Sheet:
    """A page of given size in points, with mm-from-top-left conversion and calibration.

    ``dx``/``dy`` (mm, right and down) and ``scale`` are a printer's calibration: a position
    measured on the paper is printed at ``position × scale + offset``.
    """

    width: float
    height: float
    dx: float = 0.0
    dy: float = 0.0
    scale: float = 1.0

    def point(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """Reportlab point of a position measured in mm from the top-left corner."""
        x = (x_mm * self.scale + self.dx) * points_per_mm
        y = self.height - (y_mm * self.scale + self.dy) * points_per_mm
        return x, y

    def box(self, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> Box:
        """A box given by its top-left corner and size in mm (top-left origin)."""
        x, top = self.point(x_mm, y_mm)
        w, h = w_mm * self.scale * points_per_mm, h_mm * self.scale * points_per_mm
        return Box(x, top - h, w, h)

    @property
    def page(self) -> Box:
        return Box(0, 0, self.width, self.height)


@dataclass(frozen=True)
class FittedText:
    """A text laid out in a box: its size and each line with its baseline start point."""

    size: float
    lines: tuple[tuple[str, float, float], ...]  # (text, x of the line's anchor, baseline y)
    align: Align
    role: str


def fit_text(text: str, box: Box, *, role: str = "song", start: float = 16,
             minimum: float = 9, align: Align = "left", valign: VAlign = "top",
             leading: float = LEADING, max_lines: int | None = None) -> FittedText:
    """Lay ``text`` out inside ``box``: shrink, then wrap, never leave the box.

    One line at the largest size from ``start`` down to ``minimum`` that fits the width; else
    wrapped lines at the largest size whose lines all fit the width and whose block fits the
    height (and ``max_lines``); else smaller still, down to :data:`FLOOR_SIZE`.
    """
    return _fitted(fonts.get_chain(role), text or "", box, role, start, minimum, align, valign,
                   leading, max_lines)


@functools.lru_cache(maxsize=8192)
def _fitted(chain: fonts.FontChain, text: str, box: Box, role: str, start: float,
            minimum: float, align: Align, valign: VAlign, leading: float,
            max_lines: int | None) -> FittedText:
    text = " ".join(text.split()) if "\n" not in text else text
    single = "\n" not in text
    size: float | None = None
    lines: list[str] = [text]
    if single and box.h >= minimum:
        # A line is about one em tall: the box height caps the start size too.
        size = fit_size(chain, text, box.w, min(start, box.h), minimum)
    if size is None:
        size, lines = _wrap_to_fit(chain, text, box, start, minimum, leading, max_lines)
    return _place(chain, lines, size, box, align, valign, leading, role)


def clear_caches() -> None:
    """Forget cached layouts and fits (benchmarks; after fonts are installed while running)."""
    laid_text.clear_caches()
    _fitted.cache_clear()


def _wrap_to_fit(chain: fonts.FontChain, text: str, box: Box, start: float, minimum: float,
                 leading: float, max_lines: int | None) -> tuple[float, list[str]]:
    size = start
    while True:
        lines = chain.wrap_lines(text, size, box.w)
        height = size + (len(lines) - 1) * size * leading
        fits = height <= box.h + 1e-6 and (max_lines is None or len(lines) <= max_lines)
        if fits and all(chain.string_width(line, size) <= box.w + 1e-6 for line in lines):
            return size, lines
        if size <= FLOOR_SIZE:
            # The floor: the text keeps its size but the box is what it is; clip nothing,
            # the caller's box is simply too small (a programming error, not user input).
            return FLOOR_SIZE, chain.wrap_lines(text, FLOOR_SIZE, box.w)
        size = max(FLOOR_SIZE, size - (0.5 if size > minimum else 0.25))


def _place(chain: fonts.FontChain, lines: list[str], size: float, box: Box, align: Align,
           valign: VAlign, leading: float, role: str) -> FittedText:
    # Baselines: the ascent of a CJK face is about 0.88 em (LXGW WenKai; SimSun 0.86), so
    # the top of the glyph box lands on the box's top edge without measuring each face.
    block = size * 0.88 + (len(lines) - 1) * size * leading + size * 0.14
    if valign == "top":
        first = box.top - size * 0.88
    elif valign == "bottom":
        first = box.y + block - size * 0.88
    else:
        first = box.y + (box.h + block) / 2 - size * 0.88
    placed = []
    for i, line in enumerate(lines):
        y = first - i * size * leading
        if align == "centre":
            x = box.x + box.w / 2
        elif align == "right":
            x = box.right
        else:
            x = box.x
        placed.append((line, x, y))
    return FittedText(size=size, lines=tuple(placed), align=align, role=role)


def draw_fitted(canvas: Canvas, fitted: FittedText, *, color: Color = black) -> None:
    coloured = color != black  # black is every page's default: skip two operators per text
    if coloured:
        canvas.setFillColor(color)
    for line, x, y in fitted.lines:
        draw_text(canvas, x, y, line, fitted.role, fitted.size, anchor=fitted.align)
    if coloured:
        canvas.setFillColor(black)


def draw_in_box(canvas: Canvas, text: str, box: Box, *, color: Color = black,
                **kwargs: object) -> FittedText:
    """:func:`fit_text` then draw; returns the layout (tests read positions from it)."""
    fitted = fit_text(text, box, **kwargs)  # type: ignore[arg-type]
    draw_fitted(canvas, fitted, color=color)
    return fitted


def draw_line(canvas: Canvas, text: str, x: float, y: float, size: float, *,
              role: str = "song", align: Align = "left", color: Color = black,
              max_width: float | None = None, minimum: float = FLOOR_SIZE) -> float:
    """One line at ``size``, shrunk (not below ``minimum``/floor) to ``max_width`` if given."""
    if max_width is not None:
        size = fit_size(fonts.get_chain(role), text, max_width, size, FLOOR_SIZE) or FLOOR_SIZE
        size = max(size, min(minimum, size))
    canvas.setFillColor(color)
    width = draw_text(canvas, x, y, text, role, size, anchor=align)
    canvas.setFillColor(black)
    return width


# ---------------------------------------------------------------------------------------------
# Decorations
# ---------------------------------------------------------------------------------------------


def draw_frame(canvas: Canvas, box: Box, *, color: Color = SEAL_RED) -> None:
    """A sober certificate border: a thick outer rule, a thin inner rule, corner squares."""
    canvas.saveState()
    canvas.setStrokeColor(color)
    canvas.setLineWidth(3.2)
    canvas.rect(box.x, box.y, box.w, box.h)
    inner = box.inset(mm(3.2))
    canvas.setLineWidth(0.8)
    canvas.rect(inner.x, inner.y, inner.w, inner.h)
    canvas.setFillColor(color)
    s = mm(5)
    for cx, cy in ((inner.x, inner.y), (inner.right, inner.y), (inner.x, inner.top),
                   (inner.right, inner.top)):
        canvas.rect(cx - s / 2, cy - s / 2, s, s, stroke=0, fill=1)
    canvas.setFillColor(Color(1, 1, 1))
    s2 = mm(2.2)
    for cx, cy in ((inner.x, inner.y), (inner.right, inner.y), (inner.x, inner.top),
                   (inner.right, inner.top)):
        canvas.rect(cx - s2 / 2, cy - s2 / 2, s2, s2, stroke=0, fill=1)
    canvas.restoreState()


def draw_seal_space(canvas: Canvas, cx: float, cy: float, *, diameter_mm: float = 42) -> None:
    """A faint dashed circle where a naming body stamps its seal (drafts and blank paper)."""
    canvas.saveState()
    canvas.setStrokeColor(Color(0.85, 0.6, 0.6))
    canvas.setLineWidth(0.4)
    canvas.setDash(2, 3)
    canvas.circle(cx, cy, mm(diameter_mm) / 2)
    canvas.restoreState()


def draft_mark(canvas: Canvas, sheet: Sheet, text: str = "草稿　未登记发放") -> None:
    """A small grey note in the bottom margin: a draft must never pass for an issued paper."""
    canvas.saveState()
    canvas.setFillColor(GREY)
    fonts.draw_string(canvas, sheet.width - mm(8), mm(4), text, "hei", 7, anchor="right")
    canvas.restoreState()


def ruler_grid(canvas: Canvas, sheet: Sheet, *, step_mm: int = 10) -> None:
    """A millimetre ruler along the top and left edges and a 10 mm grid (alignment page).

    Drawn through ``sheet`` so the printer's calibration applies: after a good calibration
    the printed 0 lines sit exactly on the paper's edges and 100 mm measure 100 mm.
    """
    canvas.saveState()
    width_mm, height_mm = to_mm(sheet.width), to_mm(sheet.height)
    canvas.setStrokeColor(Color(0.7, 0.7, 0.85))
    canvas.setLineWidth(0.25)
    for x in range(0, int(width_mm) + 1, step_mm):
        x0, y0 = sheet.point(x, 0)
        x1, y1 = sheet.point(x, height_mm)
        canvas.line(x0, y0, x1, y1)
    for y in range(0, int(height_mm) + 1, step_mm):
        x0, y0 = sheet.point(0, y)
        x1, y1 = sheet.point(width_mm, y)
        canvas.line(x0, y0, x1, y1)
    canvas.setStrokeColor(black)
    canvas.setFillColor(black)
    canvas.setLineWidth(0.3)
    for x in range(0, int(width_mm) + 1):
        tick = 5 if x % 10 == 0 else 3.5 if x % 5 == 0 else 2
        x0, y0 = sheet.point(x, 0)
        _x1, y1 = sheet.point(x, tick)
        canvas.line(x0, y0, x0, y1)
        if x % 10 == 0 and x:
            fonts.draw_string(canvas, x0, y1 - mm(3), str(x), "hei", 6, anchor="centre")
    for y in range(0, int(height_mm) + 1):
        tick = 5 if y % 10 == 0 else 3.5 if y % 5 == 0 else 2
        x0, y0 = sheet.point(0, y)
        x1, _y1 = sheet.point(tick, y)
        canvas.line(x0, y0, x1, y0)
        if y % 10 == 0 and y:
            fonts.draw_string(canvas, x1 + mm(1), y0 - 2, str(y), "hei", 6)
    canvas.restoreState()


# ---------------------------------------------------------------------------------------------
# A platypus paragraph drawn through the font chain
# ---------------------------------------------------------------------------------------------


class ChainParagraph(Flowable):
    """A paragraph for platypus documents and table cells, laid out by the font chain.

    Unlike reportlab's Paragraph it keeps Chinese line-breaking rules (no line starts with
    ，。、 or a closing quote), pads Chinese quotation marks and falls back per character to
    other faces. ``indent`` is the first-line indent in characters (2 for body text).
    """

    def __init__(self, text: str, *, role: str = "song", size: float = 12,
                 leading: float | None = None, align: Align = "left", indent: int = 0,
                 color: Color = black, space_before: float = 0, space_after: float = 0,
                 right_inset: float = 0) -> None:
        super().__init__()
        self.right_inset = right_inset
        self.text = "\n".join(("　" * indent + part) if part else part
                              for part in (text or "").split("\n"))
        self.role, self.size, self.align, self.color = role, size, align, color
        self.leading = leading or size * 1.5
        self.spaceBefore, self.spaceAfter = space_before, space_after
        self._lines: list[str] = []
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._width = availWidth - self.right_inset
        self._lines = fonts.wrap_lines(self.text, self.role, self.size, self._width)
        return availWidth, len(self._lines) * self.leading

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        fit = int(availHeight // self.leading)
        if fit <= 0 or fit >= len(self._lines):
            return [] if fit <= 0 else [self]
        head = ChainParagraph("", role=self.role, size=self.size, leading=self.leading,
                              align=self.align, color=self.color)
        tail = ChainParagraph("", role=self.role, size=self.size, leading=self.leading,
                              align=self.align, color=self.color)
        head.text, tail.text = "\n".join(self._lines[:fit]), "\n".join(self._lines[fit:])
        return [head, tail]

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(self.color)
        x = {"left": 0.0, "centre": self._width / 2, "right": self._width}[self.align]
        for i, line in enumerate(self._lines):
            y = (len(self._lines) - i - 1) * self.leading + (self.leading - self.size) / 2 \
                + self.size * 0.12
            fonts.draw_string(canvas, x, y, line, self.role, self.size, anchor=self.align)
        canvas.setFillColor(black)
