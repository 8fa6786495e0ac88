"""A font chain: one role's faces tried in order for every character, and text laid out with it.

Splits text into runs each drawn by one face, measures and draws it (Chinese quotation marks
given a full em), fits it to a width and wraps it with the simple Chinese line-breaking rules.
A character that no face covers is refused with a Chinese message before anything is drawn.
Part of :mod:`wqg_desktop.printing.fonts`, which builds and caches one chain per role from the
faces of :mod:`wqg_desktop.printing.font_faces`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal, NamedTuple
from xml.sax.saxutils import escape

from wqg_desktop.errors import InputRefused
from wqg_desktop.printing.font_faces import ChainFont, Role

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

Anchor = Literal["left", "centre", "center", "right"]

# Characters that never need a glyph: they are dropped or drawn as a plain space.
_IGNORABLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _is_variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _is_ignorable(ch: str) -> bool:
    """Control and format characters and variation selectors: nothing to draw, never refused."""
    return unicodedata.category(ch) in _IGNORABLE_CATEGORIES or _is_variation_selector(ord(ch))


def _is_space(ch: str) -> bool:
    return ch.isspace() and not _is_ignorable(ch)


def _skipped_in_coverage(ch: str) -> bool:
    return ch.isspace() or _is_ignorable(ch)


class Segment(NamedTuple):
    """A piece of laid-out text drawn by one face, ``x`` points from the text's left edge."""

    x: float
    face: ChainFont
    text: str


def _refuse_missing(missing: Iterable[str]) -> InputRefused:
    chars = "".join(dict.fromkeys(missing))
    codes = "、".join(f"U+{ord(c):04X}" for c in chars)
    return InputRefused(
        f"以下字符没有可用字体，无法打印：“{chars}”（{codes}）。"
        "请改用常用字，或在本机安装含有这些字的 TrueType 字体（如 SimSun-ExtB）后重试。",
        details=list(chars),
    )


_OPEN_QUOTES = frozenset("\u201c\u2018")
_CLOSE_QUOTES = frozenset("\u201d\u2019")
_CLOSERS = frozenset("，。、；：？！”’）》」』】〕〉〗…‥％‰,.;:?!)]}%")
_OPENERS = frozenset("“‘（《「『【〔〈〖([{")


class FontChain:
    """The faces of one role, in order; splits text into runs each drawn by one face."""

    def __init__(self, role: Role, faces: list[ChainFont]) -> None:
        self.role = role
        self.faces = tuple(faces)
        self._by_char: dict[str, ChainFont | None] = {}

    @property
    def primary(self) -> ChainFont:
        """The face that draws most of the text (first in the chain)."""
        return self.faces[0]

    def face_for(self, ch: str) -> ChainFont | None:
        """The first face that has a glyph for ``ch``, or ``None``."""
        try:
            return self._by_char[ch]
        except KeyError:
            found = next((f for f in self.faces if f.covers(ch)), None)
            self._by_char[ch] = found
            return found

    def font_for_char(self, ch: str) -> str | None:
        """The reportlab font name of the first face that covers ``ch``."""
        face = self.face_for(ch)
        return face.name if face else None

    def missing_chars(self, text: str) -> list[str]:
        """Characters of ``text`` no face covers, each once, in order of appearance."""
        return list(
            dict.fromkeys(
                ch for ch in text if not _skipped_in_coverage(ch) and self.face_for(ch) is None
            )
        )

    def runs(self, text: str) -> list[tuple[ChainFont, str]]:
        """Split ``text`` into (face, substring) runs; refuse uncovered characters.

        Spaces join the run they sit in (drawn as a plain space if that face lacks the
        exact space character); control and format characters are dropped.
        """
        missing = self.missing_chars(text)
        if missing:
            raise _refuse_missing(missing)
        out: list[tuple[ChainFont, list[str]]] = []
        for ch in text:
            if _is_ignorable(ch):
                continue
            if _is_space(ch):
                face = out[-1][0] if out else self.primary
                if not face.covers(ch):
                    if not face.covers(" "):
                        continue
                    ch = " "
            else:
                found = self.face_for(ch)
                assert found is not None  # checked by missing_chars above
                face = found
            if out and out[-1][0] is face:
                out[-1][1].append(ch)
            else:
                out.append((face, [ch]))
        return [(face, "".join(chars)) for face, chars in out]

    def layout(self, text: str, size: float) -> tuple[list[Segment], float]:
        """Place ``text`` at ``size``: its segments (each drawn by one face) and its width.

        Runs of one face are split where a Chinese quotation mark needs padding: faces with
        Latin-style proportional “ ” ‘ ’ (LXGW WenKai among them) would squeeze
        “青少年维权岗” on a certificate, so a quote next to a CJK character is given a full
        em, its glyph pushed against the text it encloses, as Chinese typesetting does.
        """
        chars = [(face, ch) for face, run in self.runs(text) for ch in run]
        segments: list[Segment] = []
        x = 0.0
        pad_pending = 0.0
        for i, (face, ch) in enumerate(chars):
            advance = face.char_width(ch, size)
            shift = pad_after = 0.0
            if advance < 0.75 * size:
                if ch in _OPEN_QUOTES and i + 1 < len(chars) and _is_wide(chars[i + 1][1]):
                    shift = size - advance
                elif ch in _CLOSE_QUOTES and i and _is_wide(chars[i - 1][1]):
                    pad_after = size - advance
            x += shift
            last = segments[-1] if segments else None
            if last is None or shift or pad_pending or last.face is not face:
                segments.append(Segment(x, face, ch))
            else:
                segments[-1] = last._replace(text=last.text + ch)
            x += advance + pad_after
            pad_pending = pad_after
        return segments, x

    def string_width(self, text: str, size: float) -> float:
        """Width in points of ``text`` drawn with :meth:`draw_string` at ``size``."""
        return self.layout(text, size)[1]

    def draw_string(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        anchor: Anchor = "left",
    ) -> float:
        """Draw ``text`` on a reportlab canvas with per-character font fallback.

        ``x`` is the left edge, centre or right edge by ``anchor``; ``y`` is the baseline.
        Refuses (before drawing anything) when a character has no face. The canvas's own
        font and colour state is left as it was. Returns the drawn width in points.
        """
        if anchor not in ("left", "centre", "center", "right"):
            raise ValueError(f"unknown anchor {anchor!r}")
        segments, width = self.layout(text, size)
        if anchor in ("centre", "center"):
            x -= width / 2
        elif anchor == "right":
            x -= width
        if not segments:
            return 0.0
        # Padded quotes leave gaps that text extraction would read as spaces; ActualText
        # tells PDF readers (copy, search, screen readers) the real string.
        actual = "".join(seg.text for seg in segments)
        padded = len(segments) > 1 and any(
            abs(seg.x - prev.x - self._natural_width(prev, size)) > 1e-6
            for prev, seg in zip(segments, segments[1:], strict=False)
        )
        canvas.saveState()
        try:
            if padded:
                canvas.addLiteral(f"/Span <</ActualText <{_utf16_hex(actual)}>>> BDC")
            text_obj = canvas.beginText(x, y)
            for seg in segments:
                text_obj.setTextOrigin(x + seg.x, y)
                text_obj.setFont(seg.face.name, size)
                text_obj.textOut(seg.text)
            canvas.drawText(text_obj)
            if padded:
                canvas.addLiteral("EMC")
        finally:
            canvas.restoreState()
        return width

    @staticmethod
    def _natural_width(seg: Segment, size: float) -> float:
        return sum(seg.face.char_width(ch, size) for ch in seg.text)

    def fit_font_size(
        self,
        text: str,
        max_width: float,
        start_size: float,
        min_size: float,
        *,
        step: float = 0.5,
    ) -> float | None:
        """The largest size ≤ ``start_size`` (on a ``step`` grid) at which ``text`` fits.

        ``None`` when even ``min_size`` is too wide: the caller then wraps (see
        :meth:`wrap_lines`) instead of printing text too small to read.
        """
        width_at_1 = self.string_width(text, 1.0)
        if width_at_1 <= 0:
            return start_size
        if start_size * width_at_1 <= max_width:
            return start_size
        # Width is linear in size, so compute directly instead of trying every step.
        steps = int((max_width / width_at_1) / step + 1e-9)
        size = steps * step
        while size > 0 and size * width_at_1 > max_width + 1e-6:
            size -= step
        return size if size >= min_size else None

    def wrap_lines(self, text: str, size: float, max_width: float) -> list[str]:
        """Break ``text`` into lines no wider than ``max_width`` at ``size``.

        Lines may break between any two CJK characters and at spaces; runs of Latin letters
        and digits (``2011—2012``, ``110``) stay whole unless they alone are too wide. Simple
        禁则: a line never starts with closing punctuation (，。、；：？！”）》…) nor ends with an
        opening one (“（《…). Newlines in ``text`` are kept as line breaks.
        """
        missing = self.missing_chars(text)
        if missing:
            raise _refuse_missing(missing)
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            lines.extend(self._wrap_paragraph(paragraph, size, max_width))
        return lines

    # -- wrapping internals --------------------------------------------------------------

    def _wrap_paragraph(self, text: str, size: float, max_width: float) -> list[str]:
        text = "".join(ch for ch in text if not _is_ignorable(ch))
        lines: list[str] = []
        line = ""
        for group in _glued_groups(_atoms(text)):
            # Trailing spaces never count: a space can always end a line.
            if self.string_width((line + group).rstrip(), size) <= max_width:
                line += group
                continue
            if line.strip():
                lines.append(line.rstrip())
            group = group.lstrip()
            if self.string_width(group, size) <= max_width:
                line = group
            else:  # a single group wider than a whole line: cut it by characters
                *full, line = self._hard_split(group, size, max_width)
                lines.extend(full)
        lines.append(line.rstrip())
        return lines

    def _hard_split(self, text: str, size: float, max_width: float) -> list[str]:
        pieces: list[str] = []
        current = ""
        for ch in text:
            if current and self.string_width(current + ch, size) > max_width:
                pieces.append(current)
                current = ""
            current += ch
        pieces.append(current)
        return pieces

    def paragraph_markup(self, text: str) -> str:
        """``text`` as platypus Paragraph markup, each run in a ``<font name=…>`` tag.

        For tables and numbered lists laid out by platypus, which cannot fall back per
        character by itself. Newlines become ``<br/>``.
        """
        lines = []
        for line in text.splitlines() or [""]:
            lines.append(
                "".join(
                    f'<font name="{face.name}">{escape(run)}</font>'
                    for face, run in self.runs(line)
                )
            )
        return "<br/>".join(lines)


def _utf16_hex(text: str) -> str:
    """A PDF text string as hex: UTF-16BE with its byte-order mark."""
    return "FEFF" + text.encode("utf-16-be").hex().upper()


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _atoms(text: str) -> Iterator[str]:
    """Unbreakable pieces: one CJK character, one space, or a run of other characters."""
    word = ""
    for ch in text:
        if _is_wide(ch) or ch.isspace():
            if word:
                yield word
                word = ""
            yield ch
        else:
            word += ch
    if word:
        yield word


def _glued_groups(atoms: Iterable[str]) -> Iterator[str]:
    """Glue closing punctuation to what precedes it and opening punctuation to what follows."""
    group = ""
    for atom in atoms:
        if not group:
            group = atom
        elif (atom[0] in _CLOSERS and not group[-1].isspace()) or group[-1] in _OPENERS:
            group += atom
        else:
            yield group
            group = atom
    if group:
        yield group

