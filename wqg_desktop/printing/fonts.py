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

The faces are found and registered in :mod:`wqg_desktop.printing.font_faces`; a chain lays text
out in :mod:`wqg_desktop.printing.font_chain`. This module builds one chain per role, caches it,
and offers the shortcuts document builders call.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from wqg_desktop.printing.font_chain import Anchor, FontChain, Segment
from wqg_desktop.printing.font_faces import ROLE_LABELS, ROLES, ChainFont, Role, resolve

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

__all__ = [
    "ENV_ONLY_BUNDLED", "ROLES", "ROLE_LABELS", "Anchor", "ChainFont", "FontChain", "Role",
    "Segment", "describe_chain", "draw_string", "fit_font_size", "font_for_char", "get_chain",
    "missing_chars", "paragraph_markup", "primary_font", "string_width", "wrap_lines",
]

ENV_ONLY_BUNDLED = "WQG_FONTS_ONLY_BUNDLED"

_lock = threading.RLock()
_chains: dict[tuple[Role, bool], FontChain] = {}


def _only_bundled() -> bool:
    return os.environ.get(ENV_ONLY_BUNDLED, "").strip().lower() in {"1", "true", "yes", "on"}


def get_chain(role: str = "song") -> FontChain:
    """The chain for a role, registered lazily on first use and cached for the process."""
    if role not in ROLES:
        raise ValueError(f"unknown font role {role!r}; expected one of {ROLES}")
    key = (role, _only_bundled())
    with _lock:
        chain = _chains.get(key)
        if chain is None:
            chain = FontChain(role, resolve(role, key[1]))
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
