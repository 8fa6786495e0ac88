"""The pinyin initials of unit names, stored in ``Unit.pinyin`` for search (``jgpcs`` finds
如东县公安局掘港派出所), one name at a time or thousands at once (an import).

Chinese characters give their initial; Latin letters and digits stay (lower case);
punctuation and spaces go. For 多音字 the phrase-aware reading of pypinyin comes first, then
variants in which one character takes another of its first two readings (公安局长江路 is read
局长 → z by the phrase dictionary, so the variant with 长 → c lets ``cjl`` find it), joined by
``|``. A search needle never contains ``|``, so it cannot match across two variants.

Reading is the cost. pypinyin splits a text into runs of Chinese characters and runs of
everything else before it segments the Chinese runs into words (its phrase-aware step), so
the initials of a name are those of its runs one after the other; the numbered names of one
file share their runs (``如东县公安局人民路第`` · ``12`` · ``警务区``) far more often than whole
names, so each distinct run is read once (cached), and within a run each word once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.seg.simpleseg import seg as pypinyin_seg

#: How many spellings of one name are stored at most (the phrase-aware reading first).
MAX_PINYIN_VARIANTS = 8
#: 多音字 whose other reading is common in unit and place names (长江/所长, 银行/巡逻行动…):
#: their variants are stored first, before the rarer second readings pypinyin also lists.
COMMON_HETERONYMS = frozenset("长行重区单曾乐朝解调藏传降盛广厦参都省沈查会缪仇朴尉")

#: the characters a name's initials keep: Chinese characters (is_hanzi) and ASCII letters
#: and digits
_KEPT = re.compile("[\u3400-\u9fff\uf900-\ufaff0-9A-Za-z]")
#: pypinyin's runs within such a text: every kept non-ASCII character is one it reads
#: (its RE_HANS) and no ASCII one is, except the Yijing hexagrams below
_RUNS = re.compile("[0-9A-Za-z]+|[^0-9A-Za-z]+")
#: U+4DC0–U+4DFF lie in is_hanzi's range but not in pypinyin's: such a name is read whole
_UNREAD = re.compile("[\u4dc0-\u4dff]")


def is_hanzi(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=4096)
def char_initials(ch: str) -> tuple[str, ...]:
    """The initials of the first two readings of one character (多音字: 长 → c, z)."""
    readings = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True)[0][:2]
    seen: list[str] = []
    for r in readings:
        letter = r[:1].lower()
        if letter.isascii() and letter.isalpha() and letter not in seen:
            seen.append(letter)
    return tuple(seen)


@lru_cache(maxsize=16384)
def _word_initials(word: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin([word], style=Style.FIRST_LETTER, errors=lambda s: list(s)))


def phrase_initials(text: str) -> list[str]:
    """``lazy_pinyin(text, style=FIRST_LETTER)``, word by word through a cache.

    pypinyin splits the text into words (its own segmentation, the step that makes it
    phrase-aware), then reads each word on its own; reading a word costs ~10× splitting, and
    unit names share their words (公安局, 派出所, 警务区…), so an import of 10,000 names reads
    a few hundred words instead of 150,000 characters.
    """
    out: list[str] = []
    for word in pypinyin_seg(text):
        out.extend(_word_initials(word))
    return out


@lru_cache(maxsize=16384)
def _run_initials(run: str) -> tuple[str, ...]:
    return tuple(phrase_initials(run))


def name_pinyin(name: str, *, by_runs: bool = True) -> str:
    """The initials stored in ``Unit.pinyin``: 如东县公安局掘港派出所 → rdxgajjgpcs.

    ``by_runs=False`` reads the name whole (what pypinyin itself does; the tests check that
    both give the same)."""
    chars = _KEPT.findall(unicodedata.normalize("NFKC", name or ""))
    if not chars:
        return ""
    text = "".join(chars)
    runs = _RUNS.findall(text) if by_runs else [text]
    if len(runs) == 1 or _UNREAD.search(text):  # a name of one run is seldom seen twice
        phrase = phrase_initials(text)
    else:
        phrase = [p for run in runs for p in _run_initials(run)]
    primary = [(p[:1] or c).lower() for p, c in zip(phrase, chars, strict=False)]
    if len(primary) != len(chars):  # pypinyin merged or split something: fall back per char
        primary = [(char_initials(c) or (c.lower(),))[0] if is_hanzi(c) else c.lower()
                   for c in chars]
    variants = ["".join(primary)]
    # the characters with a common second reading first, then the others, each in order
    hanzi = [i for i, c in enumerate(chars) if is_hanzi(c)]
    positions = ([i for i in hanzi if chars[i] in COMMON_HETERONYMS]
                 + [i for i in hanzi if chars[i] not in COMMON_HETERONYMS])
    for i in positions:
        for letter in char_initials(chars[i]):
            if letter == primary[i]:
                continue
            if len(variants) >= MAX_PINYIN_VARIANTS:
                return "|".join(variants)
            variant = "".join(primary[:i] + [letter] + primary[i + 1:])
            if variant not in variants:
                variants.append(variant)
    return "|".join(variants)


def names_pinyin(names: Iterable[str]) -> list[str]:
    """``[name_pinyin(n) for n in names]``: the runs and words they share are read once."""
    return [name_pinyin(name) for name in names]
