"""Reading the values officers type or paste: phone numbers, dates, yes/no, list numbering.

Qt-free and shared by the Excel imports and the people services. Each ``parse_*`` returns the
cleaned value or raises :class:`~wqg_desktop.errors.InputRefused` with a Chinese message that
says what a right value looks like.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from wqg_desktop.errors import InputRefused


def parse_phone(text: str, *, what: str = "电话") -> str:
    """A mobile, a landline with area code or a short service number, checked exactly as the
    unit dialog checks it (:func:`wqg_desktop.services.units.normalize_phone`); '' stays ''."""
    from wqg_desktop.services.units import normalize_phone

    return normalize_phone(text, what=what)


_DATE_RE = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")
_MONTH_RE = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?$")


def parse_date(text: str, *, what: str = "日期") -> dt.date | None:
    """2012-08-08, 2012/8/8, 2012.8.8, 2012年8月8日 (a month alone means its first day).
    Empty text gives ``None``."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return None
    raw = raw.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} ", raw) else raw
    match = _DATE_RE.match(raw)
    day = 1
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        month_match = _MONTH_RE.match(raw)
        if not month_match:
            raise InputRefused(f"{what}“{raw}”无法识别：请写成 2012-08-08 或 2012年8月8日。")
        year, month = (int(g) for g in month_match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputRefused(f"{what}“{raw}”不是有效的日期。") from None


_YES = {"是", "已上线", "上线", "有", "y", "yes", "true", "1", "√", "✓", "对"}
_NO = {"否", "未上线", "没有", "无", "n", "no", "false", "0", "×", "✗", "不是"}


def parse_yes_no(text: str, *, what: str) -> bool | None:
    """是/否 and the usual ways of writing them; empty gives ``None``."""
    key = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not key:
        return None
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise InputRefused(f"{what}“{text}”无法识别：请填“是”或“否”。")


# "1、", "12.", "3．", "(4)", "（5）", "6)" glued in front of a name when a numbered list from a
# document is pasted into one column.
_NUMBERING = re.compile(r"^\s*(?:[(（]\s*\d{1,4}\s*[)）]|\d{1,4}\s*[、.,，)）:：])\s*")


def strip_numbering(text: str) -> str:
    """``1、如东县公安局掘港派出所`` → ``如东县公安局掘港派出所``."""
    text = unicodedata.normalize("NFKC", text or "").strip() if text else ""
    return _NUMBERING.sub("", text, count=1).strip()


def clean_text(text: str) -> str:
    """Cell text with outer blanks and invisible characters removed, inner runs of blanks
    kept as one space (names and posts are shown as typed, keys are compared elsewhere)."""
    text = (text or "").replace("\u3000", " ").replace("\ufeff", "").replace("\u200b", "")
    return " ".join(text.split())
