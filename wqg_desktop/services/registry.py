"""Reading the register of units for lists, filters and search as you type.

Built to stay instant at 100,000 units: a search is **one** query that returns the ordered
ids of the matching units (:func:`search_ids`) — or, for the keystrokes of the search box,
a scan of an in-memory copy of the names that is exact and never stale (see _NameIndex); the table then fetches only the rows it
shows, a page at a time, with a fixed number of queries per page (:func:`fetch_rows`) — never
one query per unit. Title, campaign and coverage filters are SQL sub-queries, so they cost
nothing per row in Python.

Search matches any part of the name (under :func:`normalize_name_key`, so full-width and
spacing variants meet) or the pinyin initials (``jgpcs`` finds 如东县公安局掘港派出所).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress

from peewee import JOIN, Case, fn

from wqg_desktop.db.dialect import change_marker, in_transaction, joined, snapshot
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
from wqg_desktop.services.pinyin import name_pinyin

#: Candidacies that no longer take part in their campaign.
OUT_OF_CAMPAIGN = (CandidateStatus.WITHDRAWN, CandidateStatus.RETURNED,
                   CandidateStatus.NOT_NAMED, CandidateStatus.FAILED)


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
    text = (flt.text or "").strip()
    if text and sort == "name" and not descending and flt == UnitFilter(text=flt.text):
        # Search as you type with every other filter at 全部: answered from memory.
        hits = _name_index_search(text)
        if hits is not None:
            return hits
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


# The keystroke case — text typed, every other filter at 全部, the default order — is answered
# from an in-memory copy of every unit's name key and pinyin in register order. SQLite cannot
# answer it within 30 ms at 100,000 units: a common letter (``j``) matches nearly every unit,
# and handing 100,000 ids from SQLite to Python alone takes ~40 ms, whereas testing 100,000
# short strings with ``in`` takes ~6 ms. The copy is exact, never stale: it is tied to the
# connection and thrown away when the unit table's change marker moves (SQLite:
# ``total_changes`` and ``PRAGMA data_version``; a server: row count and xmin sum — see
# :func:`wqg_desktop.db.dialect.change_marker`); inside an open transaction the SQL path
# answers instead. It matches what ``_where`` matches: the name key
# (LIKE folds ASCII case only, so the copy is ASCII-lower-cased) or, for a needle of Latin
# letters and digits, the pinyin (computed for units stored without it).

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_SEP = "\x1e"  # a record separator: str.split() treats it as blank, so no name key holds it


@dataclass
class _NameIndex:
    connection: object  # held, so the identity check cannot meet a recycled object
    state: tuple
    ids: list[int]  # every unit, in the default order of the list
    names: list[str]  # ASCII-lower-cased name keys, aligned with ids
    pinyins: list[str]  # pinyin initials, aligned with ids
    both: list[str]  # name key + _SEP + pinyin, aligned with ids


_name_index: _NameIndex | None = None


def _unit_marker() -> tuple:
    return change_marker(Unit._meta.database, Unit._meta.table_name)


def _build_name_index(connection) -> _NameIndex:  # type: ignore[no-untyped-def]
    database = Unit._meta.database
    with snapshot(database):  # one moment for the three reads (a server's default is not)
        ordered = [uid for (uid,) in database.execute(
            Unit.select(Unit.id).order_by(*_order("name", False, indexed=True))).fetchall()]
        state = _unit_marker()
        # One aggregate pass reads the columns row by row in the same order, so they stay
        # aligned; three joined strings cost a fraction of 100,000 row tuples.
        # lower() folds as the engine's LIKE/ILIKE compares (SQLite: ASCII only)
        ids_text, keys_text, pinyin_text = database.execute_sql(
            f"SELECT {joined(database, 'id', 44)}, {joined(database, 'lower(name_key)', 30)}, "
            f"{joined(database, 'lower(pinyin)', 30)} FROM unit").fetchone()
        raw_ids = list(map(int, ids_text.split(","))) if ids_text else []
        keys = keys_text.split(_SEP) if keys_text else []
        pinyins = pinyin_text.split(_SEP) if pinyin_text else []
        if not len(raw_ids) == len(keys) == len(pinyins) == len(ordered):
            # a stored key holding the separator (written by other code): read row by row
            rows = list(Unit.select(Unit.id, Unit.name_key, Unit.pinyin).tuples())
            raw_ids = [r[0] for r in rows]
            keys = [r[1].translate(_ASCII_LOWER) for r in rows]
            pinyins = [r[2].translate(_ASCII_LOWER) for r in rows]
        late = dict(Unit.select(Unit.id, Unit.name).where(Unit.pinyin == "").tuples())
    position = {uid: i for i, uid in enumerate(raw_ids)}
    for uid, name in late.items():
        pinyins[position[uid]] = name_pinyin(name)
    # into the list's order (map over C-level getters: a third of a comprehension's time)
    order = list(map(position.__getitem__, ordered))
    names = list(map(keys.__getitem__, order))
    pinyins = list(map(pinyins.__getitem__, order))
    both = list(map(_SEP.join, zip(names, pinyins, strict=True)))
    return _NameIndex(connection, state, ordered, names, pinyins, both)


def _current_index() -> _NameIndex | None:
    """The search copy for the database as it is now (rebuilt if anything changed); ``None``
    inside a transaction, where only SQL sees the uncommitted truth."""
    global _name_index
    connection = Unit._meta.database.connection()
    if in_transaction(Unit._meta.database):
        return None
    index = _name_index
    if (index is None or index.connection is not connection
            or index.state != _unit_marker()):
        index = _name_index = _build_name_index(connection)
    return index


def _name_index_search(text: str) -> list[int] | None:
    """The ids whose name key (or pinyin) contains ``text``, in the default order, as
    ``_where`` would find them; ``None`` when the SQL path must answer."""
    key = normalize_name_key(text).translate(_ASCII_LOWER)
    needle = key.replace("|", "")
    index = None if _SEP in key else _current_index()
    if index is None:
        return None
    if not _ASCII_NEEDLE.match(needle):
        flags = [key in n for n in index.names]
    elif key == needle:  # the usual case: one test over name key and pinyin together
        flags = [needle in b for b in index.both]
    else:  # typed with "|": the name key must hold it as typed, the pinyin without it
        flags = [key in n or needle in p for n, p in zip(index.names, index.pinyins,
                                                         strict=True)]
    return list(compress(index.ids, flags))


def warm_search_index() -> None:
    """Build the in-memory search copy now (the register page calls it just after it has
    shown), so the officer's first keystroke does not pay for it."""
    _current_index()


def fetch_rows(ids: Sequence[int]) -> list[UnitRow]:
    """The table rows of ``ids``, in that order: three queries whatever their number."""
    if not ids:
        return []
    query = (Unit.select(Unit.id, Unit.uuid, Unit.name, Unit.unit_kind, Unit.head_name,
                         Unit.head_phone, Unit.online, Unit.status, Region.name,
                         PoliceType.name, Bureau.name)
             .join(Region).switch(Unit).join(PoliceType).switch(Unit)
             .join(Bureau, JOIN.LEFT_OUTER)
             .where(Unit.id.in_(list(ids))))
    # plain tuples: building four model objects per row would cost more than the query
    by_id = {row[0]: row for row in query.tuples()}
    titles = _best_titles(ids)
    campaigns = _latest_candidacies(ids)
    statuses = {s.value: s.label for s in UnitStatus}
    rows = []
    for uid in ids:
        u = by_id.get(uid)
        if u is None:  # deleted since the search: skip rather than fail
            continue
        _id, uuid, name, kind, head, phone, online, status, region, police, bureau = u
        rows.append(UnitRow(
            id=uid, uuid=uuid, name=name, region=region,
            bureau=bureau or "",  # a LEFT OUTER miss gives None
            police_type=police, unit_kind=kind, head=head,
            phone=phone, title=titles.get(uid, ""), campaign=campaigns.get(uid, ""),
            online="已上线" if online else "未上线",
            status=statuses.get(status, status),
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
    # The status is tested here, not in SQL: with it in the WHERE, SQLite walks the status
    # index over every valid title of the register instead of the few of these units.
    for uid, level, start, status in (Title.select(Title.unit, Title.level, Title.term_start,
                                                   Title.status)
                                      .where(Title.unit.in_(list(ids))).tuples()):
        if status == TitleStatus.VALID and (level, start) > best.get(uid, (0, 0)):
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
