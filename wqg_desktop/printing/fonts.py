"""The font chain: which TrueType faces draw Chinese text in the PDFs, and coverage checks.

Each *role* (``song`` 宋体 for certificates and official text, ``kai`` 楷体, ``hei`` 黑体,
``fang`` 仿宋) is a chain of faces tried in order for every character: first the office's
standard system faces (SimSun, SimKai… on Windows; AR PL UMing/UKai, WenQuanYi Zen Hei… on
Linux), then the two faces shipped in ``resources/fonts`` (LXGW WenKai, WenQuanYi Micro Hei),
then wide-coverage faces for rare characters (SimSun-ExtB, Hanazono Mincho…). So a certificate
looks like the office's other documents where the PC has the usual fonts, and still prints on
a bare machine.

A character that no face covers is refused with a Chinese message before anything is drawn:
a certificate with an empty box (tofu) in a unit's name is worse than no certificate.

reportlab reads only TrueType outlines; CFF-flavoured fonts (Noto/Source Han CJK, Fandol) are
rejected by it. Every candidate is therefore tried by really registering it, and skipped on
failure. ``WQG_FONTS_ONLY_BUNDLED=1`` uses the shipped faces only, so tests and reference
PDFs come out the same on every machine.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from wqg_desktop.errors import InputRefused, WqgError
from wqg_desktop.paths import fonts_dir

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

log = logging.getLogger(__name__)

Role = Literal["song", "kai", "hei", "fang"]
ROLES: tuple[Role, ...] = ("song", "kai", "hei", "fang")
ROLE_LABELS: dict[Role, str] = {"song": "宋体", "kai": "楷体", "hei": "黑体", "fang": "仿宋"}

Anchor = Literal["left", "centre", "center", "right"]

ENV_ONLY_BUNDLED = "WQG_FONTS_ONLY_BUNDLED"

# (file name, subfont index). File names are matched case-insensitively in the font folders.
_Candidate = tuple[str, int]

_BUNDLED_KAI: _Candidate = ("LXGWWenKai-Regular.ttf", 0)
_BUNDLED_HEI: _Candidate = ("wqy-microhei.ttc", 0)

# The faces an office expects, best first. Windows names first: that is where the program
# runs in the bureaus; the Linux ones are the free TrueType (not CFF) CJK faces Debian and
# Ubuntu ship. A system copy of a shipped face is skipped (same file name): the shipped one
# follows anyway.
_SYSTEM_FACES: dict[Role, tuple[_Candidate, ...]] = {
    "song": (("simsun.ttc", 0), ("STSONG.TTF", 0), ("uming.ttc", 0)),
    "kai": (("simkai.ttf", 0), ("STKAITI.TTF", 0), ("ukai.ttc", 0)),
    "hei": (("simhei.ttf", 0), ("msyh.ttc", 0), ("STXIHEI.TTF", 0), ("wqy-zenhei.ttc", 0)),
    "fang": (("simfang.ttf", 0), ("STFANGSO.TTF", 0)),
}

# Shipped faces per role: the one that fits the role, then the other for coverage (Micro Hei
# has some 9 400 code points WenKai lacks, mostly Hangul and CJK compatibility ideographs;
# WenKai has some 3 700 Micro Hei lacks: Kangxi radicals, Latin extensions, newer ideographs).
_BUNDLED_FACES: dict[Role, tuple[_Candidate, ...]] = {
    "song": (_BUNDLED_KAI, _BUNDLED_HEI),
    "kai": (_BUNDLED_KAI, _BUNDLED_HEI),
    "fang": (_BUNDLED_KAI, _BUNDLED_HEI),
    "hei": (_BUNDLED_HEI, _BUNDLED_KAI),
}

# Last resort for rare characters (CJK extensions B and beyond), which do occur in place and
# person names: SimSun-ExtB/ExtG and MingLiU-ExtB on Windows, Hanazono and BabelStone Han on
# Linux. All TrueType.
_RARE_FACES: tuple[_Candidate, ...] = (
    ("simsunb.ttf", 0),
    ("SimsunExtG.ttf", 0),
    ("mingliub.ttc", 0),
    ("HanaMinA.ttf", 0),
    ("HanaMinB.ttf", 0),
    ("BabelStoneHan.ttf", 0),
)

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


# ---------------------------------------------------------------------------------------------
# Finding and registering faces (module-level cache: a 15 MB face is parsed once per process)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)  # identity: one object per registered face
class ChainFont:
    """One registered face: its reportlab name, where it came from, what it covers."""

    name: str
    path: Path
    subfont_index: int
    family: str
    bundled: bool
    covered: frozenset[int]
    widths: dict[int, int]
    default_width: int

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.covered

    def char_width(self, ch: str, size: float) -> float:
        """Advance width in points, the way reportlab's ``stringWidth`` computes it."""
        return self.widths.get(ord(ch), self.default_width) * 0.001 * size


class Segment(NamedTuple):
    """A piece of laid-out text drawn by one face, ``x`` points from the text's left edge."""

    x: float
    face: ChainFont
    text: str


_lock = threading.RLock()
_registered: dict[tuple[Path, int], ChainFont | None] = {}
_chains: dict[tuple[Role, bool], FontChain] = {}
_system_index: dict[str, Path] | None = None


def _only_bundled() -> bool:
    return os.environ.get(ENV_ONLY_BUNDLED, "").strip().lower() in {"1", "true", "yes", "on"}


def _system_font_dirs() -> list[Path]:
    """Folders where Windows, Linux and macOS keep installed fonts, system-wide and per user."""
    home = Path.home()
    dirs: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:  # fonts installed "for this user only" (Windows 10 1809+)
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    else:
        dirs += [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            home / ".local/share/fonts",
            home / ".fonts",
        ]
    return [d for d in dirs if d.is_dir()]


def _system_fonts() -> dict[str, Path]:
    """Lower-case file name → first path, over all font folders (walked once per process)."""
    global _system_index
    if _system_index is None:
        index: dict[str, Path] = {}
        for folder in _system_font_dirs():
            for root, _dirs, files in os.walk(folder):
                for file in files:
                    index.setdefault(file.lower(), Path(root) / file)
        _system_index = index
    return _system_index


def _bundled_path(candidate: _Candidate) -> Path:
    return fonts_dir() / candidate[0]


def _register(path: Path, subfont_index: int, *, bundled: bool) -> ChainFont | None:
    """Register one face with reportlab, once; ``None`` if reportlab cannot use it."""
    key = (path, subfont_index)
    if key in _registered:
        return _registered[key]
    name = f"WQG-{path.stem}" + (f"-{subfont_index}" if subfont_index else "")
    try:
        font = TTFont(name, str(path), subfontIndex=subfont_index)
    except Exception as exc:  # reportlab raises TTFError, OSError, struct errors…
        log.info("font %s#%d skipped: %s", path, subfont_index, exc)
        _registered[key] = None
        return None
    pdfmetrics.registerFont(font)
    face = font.face
    family = face.familyName
    chain_font = ChainFont(
        name=name,
        path=path,
        subfont_index=subfont_index,
        family=family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family),
        bundled=bundled,
        # A cmap entry pointing at glyph 0 is the .notdef box: not coverage.
        covered=frozenset(code for code, glyph in face.charToGlyph.items() if glyph),
        widths=dict(face.charWidths),
        default_width=int(face.defaultWidth),
    )
    _registered[key] = chain_font
    log.debug("font %s registered from %s#%d", name, path, subfont_index)
    return chain_font


def _resolve(role: Role, only_bundled: bool) -> list[ChainFont]:
    bundled_names = {c[0].lower() for c in (_BUNDLED_KAI, _BUNDLED_HEI)}
    plan: list[tuple[Path, int, bool]] = []
    if not only_bundled:
        system = _system_fonts()
        for file, index in _SYSTEM_FACES[role]:
            if file.lower() not in bundled_names and file.lower() in system:
                plan.append((system[file.lower()], index, False))
    plan += [(_bundled_path(c), c[1], True) for c in _BUNDLED_FACES[role]]
    if not only_bundled:
        system = _system_fonts()
        plan += [(system[f.lower()], i, False) for f, i in _RARE_FACES if f.lower() in system]

    faces: list[ChainFont] = []
    for path, index, bundled in plan:
        font = _register(path, index, bundled=bundled)
        if font is not None and font not in faces:
            faces.append(font)
    if not any(f.bundled for f in faces):
        # A broken installation: the shipped fonts are part of the program.
        raise WqgError(f"程序自带的字体缺失或已损坏（{fonts_dir()}），无法打印。请重新安装本程序。")
    return faces


def get_chain(role: str = "song") -> FontChain:
    """The chain for a role, registered lazily on first use and cached for the process."""
    if role not in ROLES:
        raise ValueError(f"unknown font role {role!r}; expected one of {ROLES}")
    key = (role, _only_bundled())
    with _lock:
        chain = _chains.get(key)
        if chain is None:
            chain = FontChain(role, _resolve(role, key[1]))
            _chains[key] = chain
    return chain


def describe_chain() -> list[tuple[str, list[str]]]:
    """Each role with its faces' files, in chain order, for the diagnostics page."""
    return [
        (role, [f"{f.path}#{f.subfont_index}" if f.subfont_index else str(f.path) for f in chain])
        for role in ROLES
        for chain in [get_chain(role).faces]
    ]


# ---------------------------------------------------------------------------------------------
# The chain
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Module-level shortcuts (what document builders call)
# ---------------------------------------------------------------------------------------------


def font_for_char(ch: str, role: str = "song") -> str | None:
    """Name of the first registered face of ``role`` that covers ``ch`` (``None``: none)."""
    return get_chain(role).font_for_char(ch)


def primary_font(role: str = "song") -> str:
    """The main face of a role, for setting a canvas or paragraph style's base font."""
    return get_chain(role).primary.name


def missing_chars(text: str, role: str = "song") -> list[str]:
    """Characters of ``text`` that no face of ``role`` covers (whitespace/controls ignored).

    Forms call this while the officer types, so a unit name that cannot be printed is
    flagged when it is entered, not when the certificate is due.
    """
    return get_chain(role).missing_chars(text)


def string_width(text: str, role: str, size: float) -> float:
    """Width in points of ``text`` as :func:`draw_string` draws it."""
    return get_chain(role).string_width(text, size)


def draw_string(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    role: str,
    size: float,
    *,
    anchor: Anchor = "left",
) -> float:
    """Draw ``text`` with per-character fallback; see :meth:`FontChain.draw_string`."""
    return get_chain(role).draw_string(canvas, x, y, text, size, anchor=anchor)


def fit_font_size(
    text: str,
    role: str,
    max_width: float,
    start_size: float,
    min_size: float,
    *,
    step: float = 0.5,
) -> float | None:
    """Largest size ≤ ``start_size`` that fits ``max_width``; ``None`` below ``min_size``."""
    return get_chain(role).fit_font_size(text, max_width, start_size, min_size, step=step)


def wrap_lines(text: str, role: str, size: float, max_width: float) -> list[str]:
    """CJK line wrapping; see :meth:`FontChain.wrap_lines`."""
    return get_chain(role).wrap_lines(text, size, max_width)


def paragraph_markup(text: str, role: str = "song") -> str:
    """Platypus markup with per-run fonts; see :meth:`FontChain.paragraph_markup`."""
    return get_chain(role).paragraph_markup(text)
