"""Reading the register of units for lists, filters and search as you type.

Built to stay instant at 100,000 units: a search is **one** query that returns the ordered
ids of the matching units (:func:`search_ids`); the table then fetches only the rows it
shows, a page at a time, with a fixed number of queries per page (:func:`fetch_rows`) — never
one query per unit. Title, campaign and coverage filters are SQL sub-queries, so they cost
nothing per row in Python.

Search matches any part of the name (under :func:`normalize_name_key`, so full-width and
spacing variants meet) or the pinyin initials (``jgpcs`` finds 如东县公安局掘港派出所).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from peewee import JOIN, Case, fn
from pypinyin import Style, lazy_pinyin, pinyin

from wqg_desktop.db.models import Bureau, Campaign, Candidate, PoliceType, Region, Title, Unit
from wqg_desktop.domain.chinese import Term, normalize_name_key
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import (
    CampaignStage,
    CandidateStatus,
    RegionKind,
    TitleStatus,
    UnitStatus,
)

# ---------------------------------------------------------------------------------------------
# Pinyin initials
# ---------------------------------------------------------------------------------------------

#: How many spellings of one name are stored at most (the phrase-aware reading first).
MAX_PINYIN_VARIANTS = 8
#: 多音字 whose other reading is common in unit and place names (长江/所长, 银行/巡逻行动…):
#: their variants are stored first, before the rarer second readings pypinyin also lists.
COMMON_HETERONYMS = frozenset("长行重区单曾乐朝解调藏传降盛广厦参都省沈查会缪仇朴尉")
#: Candidacies that no longer take part in their campaign.
OUT_OF_CAMPAIGN = (CandidateStatus.WITHDRAWN, CandidateStatus.RETURNED,
                   CandidateStatus.NOT_NAMED, CandidateStatus.FAILED)


def _is_hanzi(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=4096)
def _char_initials(ch: str) -> tuple[str, ...]:
    """The initials of the first two readings of one character (多音字: 长 → c, z)."""
    readings = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True)[0][:2]
    seen: list[str] = []
    for r in readings:
        letter = r[:1].lower()
        if letter.isascii() and letter.isalpha() and letter not in seen:
            seen.append(letter)
    return tuple(seen)


def name_pinyin(name: str) -> str:
    """The pinyin initials stored in ``Unit.pinyin``: 如东县公安局掘港派出所 → rdxgajjgpcs.

    Chinese characters give their initial; Latin letters and digits stay (lower case);
    punctuation and spaces go. For 多音字 the phrase-aware reading of pypinyin comes first,
    then variants in which one character takes another of its first two readings (公安局长江路
    is read 局长 → z by the phrase dictionary, so the variant with 长 → c lets ``cjl`` find
    it), joined by ``|``. A search needle never contains ``|``, so it cannot match across
    two variants.
    """
    text = unicodedata.normalize("NFKC", name or "")
    chars = [c for c in text if _is_hanzi(c) or (c.isascii() and c.isalnum())]
    if not chars:
        return ""
    phrase = lazy_pinyin("".join(chars), style=Style.FIRST_LETTER, errors=lambda s: list(s))
    primary = [(p[:1] or c).lower() for p, c in zip(phrase, chars, strict=False)]
    if len(primary) != len(chars):  # pypinyin merged or split something: fall back per char
        primary = [(_char_initials(c) or (c.lower(),))[0] if _is_hanzi(c) else c.lower()
                   for c in chars]
    variants = ["".join(primary)]
    positions = [i for i, c in enumerate(chars) if _is_hanzi(c)]
    positions.sort(key=lambda i: chars[i] not in COMMON_HETERONYMS)
    for i in positions:
        for letter in _char_initials(chars[i]):
            if letter != primary[i] and len(variants) < MAX_PINYIN_VARIANTS:
                variant = "".join(primary[:i] + [letter] + primary[i + 1:])
                if variant not in variants:
                    variants.append(variant)
    return "|".join(variants)


#: The name the Excel import (services/field_parsing.py) looks for.
pinyin_initials = name_pinyin

_ASCII_NEEDLE = re.compile(r"^[a-z0-9]+$")

# Units saved before pinyin was filled (or by code that forgot it): their initials are
# computed here once per (id, name), so search works on any database, read-only ones too.
_LATE_PINYIN: dict[tuple[int, str], str] = {}


def _units_without_pinyin(needle: str) -> list[int]:
    hits = []
    for uid, name in Unit.select(Unit.id, Unit.name).where(Unit.pinyin == "").tuples():
        key = (uid, name)
        if key not in _LATE_PINYIN:
            _LATE_PINYIN[key] = name_pinyin(name)
        if needle in _LATE_PINYIN[key]:
            hits.append(uid)
    return hits


def fill_missing_pinyin() -> int:
    """Store the initials of every unit saved without them (demo data, old packages); returns
    how many. Derived data, like ``name_key``: written without an audit row per unit."""
    from wqg_desktop.db.models import audit, database

    missing = list(Unit.select(Unit.id, Unit.name).where(Unit.pinyin == "").tuples())
    with database.atomic():
        for uid, name in missing:
            Unit.update(pinyin=name_pinyin(name)).where(Unit.id == uid).execute()
        if missing:
            audit("补全拼音", "Unit", {"units": len(missing)})
    return len(missing)


# ---------------------------------------------------------------------------------------------
# Filters and search
# ---------------------------------------------------------------------------------------------

#: ``UnitFilter.title`` values besides a level number (as text: "1".."4" = 有效 at that level).
TITLE_ANY_VALID = "valid"
TITLE_NONE_VALID = "none"
#: ``UnitFilter.campaign`` values besides a campaign id.
CAMPAIGN_IN = "in"
CAMPAIGN_OUT = "out"


@dataclass(frozen=True)
class UnitFilter:
    """What the officer narrowed the list to. Empty values mean "all"."""

    text: str = ""
    region_id: int | None = None
    police_type_id: int | None = None
    #: "valid" any valid title, "none" no valid title, "1".."4" a valid title at that level,
    #: or a TitleStatus code (rectifying, cancelled…) = holds a title in that state
    title: str | None = None
    #: "in" candidate in a running campaign, "out" in none, or a campaign id
    campaign: str | int | None = None
    #: a UnitStatus code, or None for every unit
    status: str | None = None


@dataclass
class UnitRow:
    id: int
    uuid: str
    name: str
    region: str
    bureau: str
    police_type: str
    unit_kind: str
    head: str
    phone: str
    title: str
    campaign: str
    online: str
    status: str = ""


#: Sort keys of the list, in table column order (the UI maps its columns onto these).
SORT_KEYS = ("name", "region", "bureau", "police_type", "unit_kind", "head", "phone", "title",
             "campaign", "online", "status")


def _running_candidacies():
    return (Candidate.select(Candidate.unit).join(Campaign)
            .where(Campaign.stage != CampaignStage.CLOSED,
                   Candidate.status.not_in(OUT_OF_CAMPAIGN)))


def _valid_titles(level: int | None = None):
    query = Title.select(Title.unit).where(Title.status == TitleStatus.VALID)
    return query.where(Title.level == level) if level else query


def _where(query, flt: UnitFilter):
    text = (flt.text or "").strip()
    if text:
        key = normalize_name_key(text)
        needle = key.replace("|", "")
        cond = Unit.name_key.contains(key)
        if _ASCII_NEEDLE.match(needle):
            cond |= Unit.pinyin.contains(needle)
            late = _units_without_pinyin(needle)
            if late:
                cond |= Unit.id.in_(late)
        query = query.where(cond)
    if flt.region_id:
        # A region that was merged away (港闸区 → 崇川区) is part of the one it went into.
        merged = Region.select(Region.id).where(Region.merged_into == flt.region_id)
        query = query.where((Unit.region == flt.region_id) | Unit.region.in_(merged))
    if flt.police_type_id:
        query = query.where(Unit.police_type == flt.police_type_id)
    if flt.status:
        query = query.where(Unit.status == flt.status)
    if flt.title == TITLE_ANY_VALID:
        query = query.where(Unit.id.in_(_valid_titles()))
    elif flt.title == TITLE_NONE_VALID:
        query = query.where(Unit.id.not_in(_valid_titles()))
    elif flt.title and flt.title.isdigit():
        query = query.where(Unit.id.in_(_valid_titles(int(flt.title))))
    elif flt.title:
        query = query.where(Unit.id.in_(Title.select(Title.unit).where(Title.status == flt.title)))
    if flt.campaign == CAMPAIGN_IN:
        query = query.where(Unit.id.in_(_running_candidacies()))
    elif flt.campaign == CAMPAIGN_OUT:
        query = query.where(Unit.id.not_in(_running_candidacies()))
    elif flt.campaign:
        query = query.where(Unit.id.in_(
            Candidate.select(Candidate.unit).where(Candidate.campaign == int(flt.campaign))))
    return query


def _order(key: str, descending: bool, *, indexed: bool = False) -> list:
    best_level = (Title.select(fn.MAX(Title.level * 10000 + Title.term_start))
                  .where(Title.unit == Unit.id, Title.status == TitleStatus.VALID))
    running = (Candidate.select(fn.MAX(Campaign.level))
               .join(Campaign)
               .where(Candidate.unit == Unit.id, Campaign.stage != CampaignStage.CLOSED))
    exprs = {
        # The pinyin starts with the phrase-aware initials, so it sorts names in pinyin order.
        # Unfiltered, the pinyin index gives that order for free; filtered, walking the index
        # would visit every row, so the (few) matches are sorted instead (COALESCE hides it).
        "name": [Unit.pinyin if indexed else fn.COALESCE(Unit.pinyin, "")],
        "region": [Case(None, [(Region.kind == RegionKind.CITY_DIRECT, 1)], 0),
                   Region.sort_order, Region.name, Unit.pinyin],
        "bureau": [fn.COALESCE(Bureau.name, "")],
        "police_type": [PoliceType.sort_order],
        "unit_kind": [Unit.unit_kind],
        "head": [Unit.head_name],
        "phone": [Unit.head_phone],
        "title": [fn.COALESCE(best_level, 0)],
        "campaign": [fn.COALESCE(running, 0)],
        "online": [Unit.online],
        "status": [Unit.status],
    }[key]
    ordered = [e.desc() if descending else e.asc() for e in exprs]
    return ordered + [Unit.id]


def search_ids(flt: UnitFilter | None = None, *, sort: str = "name",
               descending: bool = False) -> list[int]:
    """The ids of the matching units in display order: one query (two when some units still
    lack stored pinyin). This is all a keystroke costs; rows are fetched as they are shown."""
    flt = flt or UnitFilter()
    if sort not in SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}")
    query = Unit.select(Unit.id)
    # Join only what the order needs: the default (name, in pinyin order) walks an index.
    if sort == "region":
        query = query.join(Region)
    elif sort == "police_type":
        query = query.join(PoliceType)
    elif sort == "bureau":
        query = query.join(Bureau, JOIN.LEFT_OUTER)
    query = _where(query, flt).order_by(*_order(sort, descending, indexed=flt == UnitFilter()))
    # The plain cursor: peewee's row wrappers cost more than the query itself at 100k rows.
    return [uid for (uid,) in Unit._meta.database.execute(query).fetchall()]


def fetch_rows(ids: Sequence[int]) -> list[UnitRow]:
    """The table rows of ``ids``, in that order: three queries whatever their number."""
    if not ids:
        return []
    query = (Unit.select(Unit.id, Unit.uuid, Unit.name, Unit.unit_kind, Unit.head_name,
                         Unit.head_phone, Unit.online, Unit.status, Region.name,
                         PoliceType.name, PoliceType.retired_on, Bureau.name)
             .join(Region).switch(Unit).join(PoliceType).switch(Unit)
             .join(Bureau, JOIN.LEFT_OUTER)
             .where(Unit.id.in_(list(ids))))
    by_id = {u.id: u for u in query}
    titles = _best_titles(ids)
    campaigns = _latest_candidacies(ids)
    rows = []
    for uid in ids:
        u = by_id.get(uid)
        if u is None:  # deleted since the search: skip rather than fail
            continue
        rows.append(UnitRow(
            id=u.id, uuid=u.uuid, name=u.name, region=u.region.name,
            # peewee fills the joined row in place of the id; a LEFT OUTER miss gives None
            bureau=u.bureau.name if u.bureau is not None else "",
            police_type=u.police_type.name, unit_kind=u.unit_kind, head=u.head_name,
            phone=u.head_phone, title=titles.get(u.id, ""), campaign=campaigns.get(u.id, ""),
            online="已上线" if u.online else "未上线",
            status=UnitStatus(u.status).label if u.status in set(UnitStatus) else u.status,
        ))
    return rows


def list_units(*, text: str = "", region_id: int | None = None,
               police_type_id: int | None = None, flt: UnitFilter | None = None,
               sort: str = "name", descending: bool = False) -> list[UnitRow]:
    """Every matching row at once (exports, the command line, small lists): four queries."""
    flt = flt or UnitFilter(text=text, region_id=region_id, police_type_id=police_type_id)
    ids = search_ids(flt, sort=sort, descending=descending)
    rows: list[UnitRow] = []
    # SQLite limits the number of bound parameters; fetch in slices.
    for start in range(0, len(ids), 900):
        rows.extend(fetch_rows(ids[start:start + 900]))
    return rows


def _best_titles(ids: Iterable[int]) -> dict[int, str]:
    best: dict[int, tuple[int, int]] = {}
    for uid, level, start in (Title.select(Title.unit, Title.level, Title.term_start)
                              .where(Title.status == TitleStatus.VALID,
                                     Title.unit.in_(list(ids))).tuples()):
        if (level, start) > best.get(uid, (0, 0)):
            best[uid] = (level, start)
    return {uid: f"{Level(lvl).label} {Term(start).label}" for uid, (lvl, start) in best.items()}


def _latest_candidacies(ids: Iterable[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    rows = (Candidate.select(Candidate.unit, Candidate.status, Campaign.level)
            .join(Campaign)
            .where(Candidate.unit.in_(list(ids)), Campaign.stage != CampaignStage.CLOSED)
            .order_by(Campaign.term_start, Campaign.level)
            .tuples())
    for uid, status, level in rows:
        label = CandidateStatus(status).label if status in set(CandidateStatus) else status
        out[uid] = f"{Level(level).label}：{label}"
    return out


# ---------------------------------------------------------------------------------------------
# Choices for the filter boxes
# ---------------------------------------------------------------------------------------------

def region_choices() -> list[tuple[int, str]]:
    """Counties/districts that hold units or are current, 市直 last; merged ones left out."""
    rows = (Region.select(Region.id, Region.name, Region.kind, Region.sort_order)
            .where(Region.id.in_(Unit.select(Unit.region).distinct())
                   | ((Region.kind == RegionKind.COUNTY) & Region.merged_into.is_null()))
            .order_by(Region.kind == RegionKind.CITY_DIRECT, Region.sort_order, Region.name))
    return [(r.id, r.name) for r in rows]


def unit_region_choices() -> list[tuple[int, str]]:
    """Regions a unit may be placed in: current counties and the 市直 group."""
    rows = (Region.select(Region.id, Region.name)
            .where(Region.kind.in_([RegionKind.COUNTY, RegionKind.CITY_DIRECT]),
                   Region.merged_into.is_null())
            .order_by(Region.kind == RegionKind.CITY_DIRECT, Region.sort_order, Region.name))
    return [(r.id, r.name) for r in rows]


def bureau_choices() -> list[tuple[int, str, int | None]]:
    """(id, name, region id) of the bureaus still in existence."""
    return [(b.id, b.name, b.region_id) for b in
            Bureau.select(Bureau.id, Bureau.name, Bureau.region)
            .where(Bureau.merged_into.is_null()).order_by(Bureau.name)]


def police_type_choices(*, include_retired: bool = True) -> list[tuple[int, str]]:
    query = PoliceType.select().order_by(PoliceType.sort_order)
    if not include_retired:
        query = query.where(PoliceType.retired_on.is_null())
    return [(p.id, p.name + ("（已撤出）" if p.retired_on else "")) for p in query]


def title_choices() -> list[tuple[str, str]]:
    """The 称号 filter: any valid, none valid, valid at each level, then the other states."""
    out = [(TITLE_ANY_VALID, "有有效称号"), (TITLE_NONE_VALID, "无有效称号")]
    out += [(str(int(lv)), f"{lv.label}有效称号") for lv in Level]
    out += [(s.value, f"称号{s.label}") for s in TitleStatus if s != TitleStatus.VALID]
    return out


def campaign_choices() -> list[tuple[str | int, str]]:
    """The 创建状态 filter: in a running campaign, in none, or one campaign (newest first)."""
    out: list[tuple[str | int, str]] = [(CAMPAIGN_IN, "正在参加创建"), (CAMPAIGN_OUT, "未参加创建")]
    for c in Campaign.select(Campaign.id, Campaign.name).order_by(
            Campaign.term_start.desc(), Campaign.level.desc()):
        out.append((c.id, c.name))
    return out
