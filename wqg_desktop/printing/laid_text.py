"""One line of text through the font chain: laid out once, checked once, drawn from caches.

A batch of certificates repeats most of its texts (naming bodies, the date, the honour line,
授予), each at the same place on every page, and every text is measured to fit it and then
drawn. What keeps a 1,000-page batch close to the time plain reportlab needs
(bench/bench_certificates.py):

- per process, the layout of a text (its runs per face and its width), computed at 1 pt and
  scaled: the chain's layout is linear in the size; and the coverage check of a text;
- per canvas (:class:`ChainCanvas`), the PDF operators of a line drawn at a given place and
  size. The first drawing goes through reportlab, which gives each glyph its code in the
  document's font subset and registers the subset; the same line at the same place on a later
  page is then the very same bytes, so they are repeated instead of rebuilt. Nothing is
  repeated into another document: the codes belong to this one.

:mod:`wqg_desktop.printing.layout` re-exports the public names; document modules use those.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from reportlab.pdfgen.canvas import Canvas

from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import fonts

Align = Literal["left", "centre", "right"]


class ChainCanvas(Canvas):
    """A reportlab canvas that remembers the operators of the lines :func:`draw_text` drew.

    Keyed by everything the operators depend on (text, role, size, position, anchor); a
    canvas belongs to one document, so the font subsets the codes refer to are the same.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.drawn_lines: dict[tuple[str, str, float, float, float, str],
                               tuple[float, tuple[str, ...]]] = {}


@dataclass(frozen=True)
class _UnitLayout:
    segments: tuple[tuple[float, str, str], ...]  # (x at 1 pt, face name, text)
    width: float  # at 1 pt
    padded: bool  # quotes padded: the PDF gets the real string as ActualText


_QUOTES = frozenset("\u201c\u201d\u2018\u2019")


def _primary_only(chain: fonts.FontChain, text: str) -> bool:
    """The common case: printable text, no Chinese quotes, every character in the first face.

    Then the chain's layout is one run at x = 0 and its width the sum of the advances;
    computing that directly is what keeps a batch of unique unit names fast.
    """
    return (text.isprintable() and _QUOTES.isdisjoint(text)
            and chain.primary.covered.issuperset(map(ord, text)))


@functools.lru_cache(maxsize=8192)
def unit_layout(chain: fonts.FontChain, text: str) -> _UnitLayout:
    """``text`` laid out by ``chain`` at 1 pt (cached per process)."""
    if _primary_only(chain, text):
        face = chain.primary
        widths, default = face.widths, face.default_width
        width = sum(widths.get(ord(ch), default) for ch in text) * 0.001
        return _UnitLayout(((0.0, face.name, text),) if text else (), width, False)
    segments, width = chain.layout(text, 1.0)
    natural = [sum(seg.face.char_width(ch, 1.0) for ch in seg.text) for seg in segments]
    padded = any(abs(seg.x - prev.x - nat) > 1e-9
                 for prev, seg, nat in zip(segments, segments[1:], natural, strict=False))
    return _UnitLayout(tuple((seg.x, seg.face.name, seg.text) for seg in segments), width,
                       padded)


@functools.lru_cache(maxsize=8192)
def _missing(chain: fonts.FontChain, text: str) -> tuple[str, ...]:
    if chain.primary.covered.issuperset(map(ord, text)):
        return ()
    return tuple(chain.missing_chars(text))


def clear_caches() -> None:
    """Forget cached layouts (benchmarks; after fonts are installed while running).

    A canvas's own memory of drawn lines lives and dies with the canvas.
    """
    unit_layout.cache_clear()
    _missing.cache_clear()


def text_width(text: str, role: str, size: float) -> float:
    """Width in points, as :func:`draw_text` draws it (cached)."""
    return unit_layout(fonts.get_chain(role), text).width * size


def draw_text(canvas: Canvas, x: float, y: float, text: str, role: str, size: float, *,
              anchor: Align = "left") -> float:
    """Draw like :func:`fonts.draw_string` (per-character fallback, padded quotes, refusal
    of uncovered characters), from the cached layout. Returns the width drawn.

    On a :class:`ChainCanvas` a line already drawn at this place and size in this document
    is repeated from its operators.
    """
    memo = getattr(canvas, "drawn_lines", None)
    key = (text, role, size, x, y, anchor)
    if memo is not None:
        known = memo.get(key)
        if known is not None:
            for part in known[1]:
                canvas.addLiteral(part)
            return known[0]
    width, parts = _line_operators(canvas, x, y, text, role, size, anchor)
    for part in parts:
        canvas.addLiteral(part)
    if memo is not None:
        memo[key] = (width, parts)
    return width


def _line_operators(canvas: Canvas, x: float, y: float, text: str, role: str, size: float,
                    anchor: Align) -> tuple[float, tuple[str, ...]]:
    """The width and the PDF operators of one line, through reportlab's text object."""
    laid = unit_layout(fonts.get_chain(role), text)
    width = laid.width * size
    if anchor == "centre":
        x -= width / 2
    elif anchor == "right":
        x -= width
    if not laid.segments:
        return 0.0, ()
    # No saveState: a text object's font lives inside its BT/ET, and colour is the caller's.
    text_obj = canvas.beginText(x, y)
    face = ""
    for seg_x, seg_face, seg_text in laid.segments:
        if seg_x:  # the first run starts where beginText put the origin
            text_obj.setTextOrigin(x + seg_x * size, y)
        if seg_face != face:
            text_obj.setFont(seg_face, size)
            face = seg_face
        text_obj.textOut(seg_text)
    code = text_obj.getCode()  # what canvas.drawText would add
    if not laid.padded:
        return width, (code,)
    actual = "".join(seg[2] for seg in laid.segments)
    span = "FEFF" + actual.encode("utf-16-be").hex().upper()
    return width, (f"/Span <</ActualText <{span}>>> BDC", code, "EMC")


def fit_size(chain: fonts.FontChain, text: str, max_width: float, start: float,
             minimum: float, step: float = 0.5) -> float | None:
    """The largest size ≤ ``start`` on a ``step`` grid at which ``text`` fits ``max_width``
    on one line; ``None`` below ``minimum``."""
    width_at_1 = unit_layout(chain, text).width
    if width_at_1 <= 0 or start * width_at_1 <= max_width:
        return start
    size = int((max_width / width_at_1) / step + 1e-9) * step
    while size > 0 and size * width_at_1 > max_width + 1e-6:
        size -= step
    return size if size >= minimum else None


def ensure_printable(fields: Mapping[str, str] | Iterable[tuple[str, str]],
                     role: str = "song") -> None:
    """Refuse, before anything is drawn, if any field has a character no font covers.

    The message names each field and its characters, so the officer knows which record to
    correct (usually a rare character in a unit's name, which a system font may supply).
    """
    items = fields.items() if isinstance(fields, Mapping) else fields
    problems = []
    missing_all: list[str] = []
    chain = fonts.get_chain(role)
    for label, text in items:
        missing = _missing(chain, text or "")
        if missing:
            missing_all += missing
            codes = "、".join(f"U+{ord(c):04X}" for c in missing)
            problems.append(f"{label}“{text}”中的“{''.join(missing)}”（{codes}）")
    if problems:
        raise InputRefused(
            "以下文字中有字符没有可用字体，打印出来会是空框，已停止打印：\n"
            + "\n".join(problems)
            + "\n请核对名称用字，或在本机安装含有这些字的 TrueType 字体（如 SimSun-ExtB）后重试。",
            details=list(dict.fromkeys(missing_all)),
        )
