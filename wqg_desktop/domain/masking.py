"""Masking a minor's identity inside free text (DOMAIN: sensitive data).

Pure functions: the audit trail (db/models/base.py), the lists, prints, exports and packages
all mask the same way.
"""

from __future__ import annotations

import re

from wqg_desktop.domain.chinese import COMPOUND_SURNAMES, mask_person_name

SCHOOL_MASK = "某学校"
ADDRESS_MASK = "某地"
ID_MASK = "（身份证号已隐去）"
_NAME_SEPARATORS = "·•‧・."


def mask_free_text(text: str, *, name: str = "", id_no: str = "", school: str = "",
                   address: str = "") -> str:
    """``text`` with every occurrence of the minor's identity masked.

    The full name becomes 王某某, the given name alone (小虎, when it has two characters or
    more: one character would mask ordinary words) 某某, the ID number (either case of its
    final X) ``（身份证号已隐去）``, the school 某学校 and the address 某地. Longer pieces go
    first so that a full name is masked as a name, not as its surname plus 某某. Masking an
    already masked text changes nothing.
    """
    if not text:
        return text or ""
    pieces: list[tuple[str, str]] = []
    clean_id = "".join((id_no or "").split())
    if clean_id:
        pieces.append((clean_id, ID_MASK))
    for value, masked in ((school, SCHOOL_MASK), (address, ADDRESS_MASK)):
        value = (value or "").strip()
        if len(value) >= 2 and value not in (SCHOOL_MASK, ADDRESS_MASK):
            pieces.append((value, masked))
    full = "".join((name or "").split())
    if full and mask_person_name(full) != full:  # a name entered already masked hides nothing
        pieces.append((full, mask_person_name(full)))
        for part in _given_names(full):
            pieces.append((part, "某" * min(len(part), 2)))
    # one pass, longest first: a replacement is never matched again by a shorter piece
    if not pieces:
        return text
    pieces.sort(key=lambda p: len(p[0]), reverse=True)
    table = {piece.casefold(): masked for piece, masked in pieces}
    pattern = re.compile("|".join(re.escape(p) for p, _ in pieces), re.IGNORECASE)
    return pattern.sub(lambda m: table[m.group(0).casefold()], text)


def _given_names(full: str) -> list[str]:
    """The parts of a name other than the surname that are long enough to mask alone."""
    if any(sep in full for sep in _NAME_SEPARATORS):
        parts = re.split(f"[{re.escape(_NAME_SEPARATORS)}]", full)
        return [p for p in parts if len(p) >= 2]
    surname_len = 2 if full[:2] in COMPOUND_SURNAMES and len(full) > 2 else 1
    given = full[surname_len:]
    return [given] if len(given) >= 2 else []
