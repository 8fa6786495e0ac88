"""The faces of the font chain: where they are found, and registering them with reportlab.

Per role: the office's standard system faces, then the two shipped ones, then wide-coverage
faces for rare characters (the reasons are in :mod:`wqg_desktop.printing.fonts`). A candidate
is tried by really registering it and skipped on failure: reportlab reads only TrueType
outlines and rejects CFF-flavoured fonts (Noto/Source Han CJK, Fandol).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from wqg_desktop.errors import WqgError
from wqg_desktop.paths import fonts_dir

log = logging.getLogger(__name__)

Role = Literal["song", "kai", "hei", "fang"]
ROLES: tuple[Role, ...] = ("song", "kai", "hei", "fang")
ROLE_LABELS: dict[Role, str] = {"song": "宋体", "kai": "楷体", "hei": "黑体", "fang": "仿宋"}

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


_registered: dict[tuple[Path, int], ChainFont | None] = {}
_system_index: dict[str, Path] | None = None


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


def register(path: Path, subfont_index: int, *, bundled: bool) -> ChainFont | None:
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


def resolve(role: Role, only_bundled: bool) -> list[ChainFont]:
    """The usable faces of ``role`` in chain order (system faces skipped when ``only_bundled``)."""
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
        font = register(path, index, bundled=bundled)
        if font is not None and font not in faces:
            faces.append(font)
    if not any(f.bundled for f in faces):
        # A broken installation: the shipped fonts are part of the program.
        raise WqgError(f"程序自带的字体缺失或已损坏（{fonts_dir()}），无法打印。请重新安装本程序。")
    return faces
