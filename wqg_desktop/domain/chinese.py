"""Chinese formatting the documents and screens share: dates, terms, title wording, masking.

Qt-free and font-free, so the command line, the exchange code and the printers all format
the same way. Everything that takes user input refuses it with
:class:`~wqg_desktop.errors.InputRefused` and a Chinese message; everything that only takes
values produced by code raises :class:`ValueError`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from wqg_desktop.errors import InputRefused

# ---------------------------------------------------------------------------------------------
# Numerals and dates
# ---------------------------------------------------------------------------------------------

#: Digits written one by one (years, codes). Zero is 〇 (U+3007): the seed's "二O一二" uses a
#: Latin letter O by mistake, and a certificate must not repeat it.
_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """Write 0…99 as a Chinese number: 零, 一, 十, 十一, 二十, 二十一, 九十九.

    Used for months and days in dates and for ordinal headings (第十一条). Ten is 十, not
    一十, as dates and headings write it. Zero is 零 (a quantity), not the digit 〇.
    """
    if not 0 <= n <= 99:
        raise ValueError(f"chinese_numeral handles 0..99, got {n}")
    if n == 0:
        return "零"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[ones] if ones else "")


def chinese_digits(n: int) -> str:
    """Write a non-negative integer digit by digit: 2012 → 二〇一二 (the way years are read)."""
    if n < 0:
        raise ValueError(f"chinese_digits handles non-negative numbers, got {n}")
    return "".join(_DIGITS[int(c)] for c in str(n))


def chinese_date(d: date) -> str:
    """The date as certificates and official documents print it: 二〇一二年八月八日.

    The year is read digit by digit with 〇 (U+3007); month and day are numbers
    (十月三十一日, 一月一日).
    """
    return f"{chinese_digits(d.year)}年{chinese_numeral(d.month)}月{chinese_numeral(d.day)}日"


def format_date(d: date) -> str:
    """The everyday form of a date in lists and tables: 2012年8月8日 (no zero padding)."""
    return f"{d.year}年{d.month}月{d.day}日"


def iso_to_chinese_date(s: str) -> str:
    """Turn an ISO date text (2012-08-08) into 二〇一二年八月八日; refuse anything else."""
    text = unicodedata.normalize("NFKC", s or "").strip()
    try:
        d = date.fromisoformat(text)
    except ValueError:
        raise InputRefused(f"无法识别日期“{s}”：请写成 2012-08-08 的形式。") from None
    return chinese_date(d)


# ---------------------------------------------------------------------------------------------
# Terms (年度)
# ---------------------------------------------------------------------------------------------

TERM_FIRST_YEAR = 1990
TERM_LAST_YEAR = 2100  # the last year a term may *end* in

_EM_DASH = "\u2014"

# After NFKC (which folds full-width digits, －, ～ and spaces) the separators that people
# actually type between the two years: hyphens and dashes of every width, tildes, 至/到.
_TERM_SEPARATORS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212~\u301c至到"
_TERM_RE = re.compile(
    r"^(?P<start>[0-9]{4})\s*年?\s*"
    rf"(?:[{re.escape(_TERM_SEPARATORS)}]\s*(?P<end>[0-9]{{4}})\s*)?"
    r"(?:年度|年)?$"
)


@dataclass(frozen=True, order=True)
class Term:
    """A two-year term (年度), e.g. 2011—2012年度.

    A term is a label that campaigns and titles carry, not a date range: the seed named the
    2011—2012 units in August 2012, so nothing checks dates against it (DOMAIN, levels and
    terms). It is identified by its first year, which is what the database stores.
    """

    start: int

    def __post_init__(self) -> None:
        if not TERM_FIRST_YEAR <= self.start <= TERM_LAST_YEAR - 1:
            raise InputRefused(
                f"年度起始年份 {self.start} 超出范围：只能是 {TERM_FIRST_YEAR} 至 "
                f"{TERM_LAST_YEAR - 1} 年之间。"
            )

    @property
    def end(self) -> int:
        """The second year of the term."""
        return self.start + 1

    @property
    def short(self) -> str:
        """2011—2012 (em dash U+2014, as the seed writes it)."""
        return f"{self.start}{_EM_DASH}{self.end}"

    @property
    def label(self) -> str:
        """2011—2012年度, the form every document prints."""
        return f"{self.short}年度"

    def next(self) -> Term:
        """The following term (2013—2014 after 2011—2012): terms run back to back."""
        return Term(self.start + 2)

    def __str__(self) -> str:
        return self.label


def parse_term(text: str | int | Term) -> Term:
    """Read a term the way officers type it; refuse anything else with a Chinese message.

    Accepted: ``2025``, ``2025-2026``, ``2025—2026``, ``2025－2026``, ``2025–2026``,
    ``2025~2026``, ``2025至2026``, each with or without a trailing 年度 or 年, with full-width
    digits and spaces too. The seed itself writes both ``2011—2012年度`` and
    ``2011-2012年度``, so every dash is a separator. The second year must follow the first.
    """
    if isinstance(text, Term):
        return text
    if isinstance(text, int):
        return Term(text)
    raw = str(text)
    norm = unicodedata.normalize("NFKC", raw).strip()
    match = _TERM_RE.match(norm)
    if not match:
        raise InputRefused(
            f"无法识别年度“{raw}”：请写成 2011—2012年度、2011-2012，或只写起始年份 2011。"
        )
    start = int(match["start"])
    if match["end"] is not None:
        end = int(match["end"])
        if end != start + 1:
            raise InputRefused(
                f"年度“{raw}”有误：一个年度是相连的两年，{start} 之后应为 {start + 1}，"
                f"而不是 {end}。"
            )
    return Term(start)


# ---------------------------------------------------------------------------------------------
# Title wording (DOMAIN rule 4)
# ---------------------------------------------------------------------------------------------

POST_NAME = "“青少年维权岗”"


def title_wording(
    unit_name: str, term: Term | str | int, region: str, demonstration: bool = False
) -> str:
    """The sentence a naming certificate prints (DOMAIN rule 4).

    ``授予 海安县公安局城北中心派出所 2011—2012年度南通市“青少年维权岗”称号``; a
    demonstration unit gets ``…“青少年维权岗”创建活动示范单位称号``. ``unit_name`` must be the
    unit's name *on the naming date* and ``region`` the area of the naming level (南通市,
    江苏省, 全国): the caller looks both up, this only words them. The spaces around the unit's
    name are part of the official wording.
    """
    unit = (unit_name or "").strip()
    area = (region or "").strip()
    if not unit:
        raise InputRefused("称号文字缺少单位名称：请先填写单位的全称。")
    if not area:
        raise InputRefused("称号文字缺少命名层级的地区（如 南通市、江苏省、全国）。")
    what = "创建活动示范单位称号" if demonstration else "称号"
    return f"授予 {unit} {parse_term(term).label}{area}{POST_NAME}{what}"


# ---------------------------------------------------------------------------------------------
# Masking (minors' identities, DOMAIN "Sensitive data")
# ---------------------------------------------------------------------------------------------

# fmt: off
#: The commonest two-character surnames; for these the whole surname stays visible.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "端木", "南宫", "西门", "独孤", "呼延", "申屠", "澹台", "公冶", "宗政",
    "濮阳", "太史", "仲孙", "钟离", "闻人", "万俟", "赫连", "拓跋", "百里", "东郭", "左丘", "第五",
    "羊舌", "微生", "梁丘", "公羊", "单于", "司空", "亓官", "司寇", "颛孙",
})
# fmt: on

_MASK = "某"
_NAME_SEPARATORS = "·•‧・."  # names of many ethnic minorities: 阿依古丽·买买提


def mask_person_name(name: str) -> str:
    """Mask a person's name as Chinese public documents do: 张三 → 张某, 张小明 → 张某某.

    The surname stays (欧阳小明 → 欧阳某某 for the common compound surnames); the given name
    becomes 某, at most 某某 so a long name does not betray its length. Names written with a
    middle dot keep only their first character. Masking an already masked name changes
    nothing, so exports can apply it without tracking what was masked.
    """
    clean = "".join((name or "").split())
    if not clean:
        return ""
    if any(sep in clean for sep in _NAME_SEPARATORS):
        return clean[0] + _MASK * 2
    surname_len = 2 if clean[:2] in COMPOUND_SURNAMES and len(clean) > 2 else 1
    rest = len(clean) - surname_len
    return clean[:surname_len] + _MASK * max(1, min(rest, 2))


def mask_id_number(s: str | None) -> str:
    """Identity-card numbers are removed outright, never partly shown (DOMAIN: masked in print).

    A partly shown 18-digit number still gives the birth date and the place of registration
    of a minor, so there is nothing safe to keep.
    """
    return ""


# ---------------------------------------------------------------------------------------------
# Name keys (duplicate detection)
# ---------------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_KEY_FOLD = str.maketrans(
    {
        **dict.fromkeys(map(ord, "[{【〔〖〘〚"), "("),
        **dict.fromkeys(map(ord, "]}】〕〗〙〛"), ")"),
        **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-"),
        **dict.fromkeys(map(ord, "\u2022\u2027\u30fb\uff65"), "·"),
        **dict.fromkeys(map(ord, "\u201c\u201d\u2018\u2019\u300c\u300d\u300e\u300f'"), '"'),
    }
)


def normalize_name_key(name: str) -> str:
    """A comparison key under which spellings of the same name meet.

    ``南通市公安局禁毒处（支队）``, ``南通市公安局禁毒处(支队)`` and
    `` 南通市 公安局禁毒处(支队)`` give one key. NFKC folds full-width letters, digits,
    brackets and the ideographic space (and Kangxi radicals pasted from PDFs); then all
    whitespace and invisible characters go, bracket, dash, dot and quote variants become one
    character each, and Latin letters lose case. The key is for finding duplicates, never
    for display.
    """
    text = unicodedata.normalize("NFKC", name or "").translate(_INVISIBLE)
    text = "".join(text.split())
    return text.translate(_KEY_FOLD).casefold()
