"""Search as you type at 100,000 units: the in-memory copy of the names answers exactly what
SQL answers, is never stale, and a keystroke costs a fixed, small number of statements.

Statements are counted at the SQLite connection (``set_trace_callback``), so reads that do
not pass through peewee are counted too; on PostgreSQL every statement goes through peewee,
whose query log counts them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging

import pytest
from pypinyin import Style, lazy_pinyin

from wqg_desktop.db.dialect import is_postgres
from wqg_desktop.db.models import PoliceType, Region, Title, Unit, database
from wqg_desktop.domain.levels import Level
from wqg_desktop.services import pinyin, registry
from wqg_desktop.services import units as svc
from wqg_desktop.services.registry import UnitFilter, search_ids

TODAY = dt.date(2026, 11, 26)

NAMES = [
    "如东县公安局掘港派出所", "海安市公安局城南派出所", "海安市公安局长江路警务区",
    "海安市公安局所长办公室", "海安市公安局G15高速交巡警中队", "海安市公安局１１０指挥中心",
    "海安市公安局银行保卫科", "海安市公安局重庆路单行道警务区", "海安市公安局曾家巷警务区",
    "海安市公安局角斜派出所", "海安市公安局 城北 派出所", "海安市公安局（禁毒）大队",
]
NEEDLES = ["j", "g", "jg", "jgpcs", "cjl", "zjl", "pcs", "g15", "G15", "110", "１１０", "海安",
           "城北", "城 北", "派出所", "(禁毒)", "（禁毒）", "jw|q", "|", "%", "_", "x", "长江",
           "zz", "hasgaj", "警务区", "q"]


def make(name: str) -> Unit:
    region = Region.get(Region.name == "海安市")
    police = PoliceType.get(PoliceType.name == "治安")
    return svc.create_unit(svc.UnitFields(name=name, region_id=region.id,
                                          police_type_id=police.id), today=TODAY)


def sql_answer(text: str) -> list[int]:
    """What the SQL path answers: the same filter, forced past the in-memory copy."""
    with database.atomic():  # inside a transaction only SQL answers
        return search_ids(UnitFilter(text=text))


class _Collect(logging.Handler):
    def __init__(self, seen: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.seen = seen

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.msg
        self.seen.append(msg[0] if isinstance(msg, tuple) else str(msg))


@contextlib.contextmanager
def statements():
    seen: list[str] = []
    if is_postgres(database):
        logger = logging.getLogger("peewee")
        handler, level = _Collect(seen), logger.level
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        try:
            yield seen
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        return
    connection = database.connection()
    connection.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        connection.set_trace_callback(None)


@pytest.fixture
def register(ctx):
    units = [make(name) for name in NAMES]
    # a unit stored without its initials (old data, demo data): found by them all the same
    Unit.update(pinyin="").where(Unit.id == units[1].id).execute()
    # a name key written by other code with capitals: LIKE folds ASCII case, so must we
    Unit.update(name_key="海安市公安局G15高速交巡警中队").where(Unit.id == units[4].id).execute()
    return units


@pytest.mark.parametrize("needle", NEEDLES)
def test_memory_answers_exactly_what_sql_answers(register, needle: str) -> None:
    assert search_ids(UnitFilter(text=needle)) == sql_answer(needle)


def test_the_answers_are_not_trivially_equal(register) -> None:
    # the comparison above would pass on empty answers: these must find something
    assert len(search_ids(UnitFilter(text="jgpcs"))) == 1
    assert len(search_ids(UnitFilter(text="hasgaj"))) == len(NAMES) - 1  # not 如东
    unpinyined = register[1].id
    assert unpinyined in search_ids(UnitFilter(text="hasgajcn"))
    assert register[4].id in search_ids(UnitFilter(text="g15"))


def test_order_is_the_lists_default_order(register) -> None:
    ids = search_ids(UnitFilter(text="a"))
    expected = [u.id for u in Unit.select().where(
        Unit.name_key.contains("a") | Unit.pinyin.contains("a")).order_by(Unit.pinyin, Unit.id)]
    # the unit without stored pinyin matches through its computed initials, sorted as ''
    assert ids == sql_answer("a") and set(expected) <= set(ids)


def test_a_change_is_seen_by_the_next_keystroke(register) -> None:
    assert search_ids(UnitFilter(text="xyz")) == []
    unit = make("海安市公安局新园派出所")  # xy: 新园
    assert search_ids(UnitFilter(text="xy")) == [unit.id]
    svc.rename_unit(unit.id, new_name="海安市公安局开发区派出所", on=TODAY)
    assert search_ids(UnitFilter(text="xy")) == []
    assert search_ids(UnitFilter(text="开发区")) == [unit.id]
    Unit.delete().where(Unit.id == unit.id).execute()
    assert search_ids(UnitFilter(text="开发区")) == []


def test_an_uncommitted_unit_is_found_inside_its_transaction(register) -> None:
    search_ids(UnitFilter(text="pcs"))  # the copy exists and knows nothing of what follows
    with database.atomic() as transaction:
        unit = make("海安市公安局临时派出所")
        assert unit.id in search_ids(UnitFilter(text="lspcs"))
        transaction.rollback()
    assert search_ids(UnitFilter(text="lspcs")) == []


def test_other_filters_and_orders_still_go_to_sql(register) -> None:
    region = Region.get(Region.name == "海安市")
    assert search_ids(UnitFilter(text="pcs", region_id=region.id)) == sql_answer("pcs")
    by_desc = search_ids(UnitFilter(text="pcs"), descending=True)
    assert sorted(by_desc) == sorted(sql_answer("pcs")) and len(by_desc) > 1


def test_a_keystroke_is_one_statement_once_the_copy_is_built(register) -> None:
    registry.warm_search_index()
    with statements() as seen:
        for prefix in ("j", "jg", "jgp", "jgpc", "jgpcs", "掘", "掘港"):
            search_ids(UnitFilter(text=prefix))
    # one change marker per keystroke (is the copy still the database?), nothing else:
    # PRAGMA data_version in SQLite, the row count and xmin sum on PostgreSQL
    marker = "xmin" if is_postgres(database) else "data_version"
    assert len(seen) == 7 and all(marker in s for s in seen)


def test_building_the_copy_is_a_fixed_number_of_statements(register) -> None:
    registry.warm_search_index()
    for name in ("海安市公安局甲派出所", "海安市公安局乙派出所", "海安市公安局丙派出所"):
        make(name)
    with statements() as seen:
        registry.warm_search_index()
    few = len(seen)
    for i in range(30):
        make(f"海安市公安局第{i}警务区")
    with statements() as seen:
        registry.warm_search_index()
    assert len(seen) == few <= 8


def test_first_screen_of_rows_is_three_queries_whatever_its_size(register) -> None:
    Title.create(unit=register[0], level=1, term_start=2025, status="valid",
                 owner_office=register[0].owner_office)
    ids = search_ids(UnitFilter())
    with statements() as seen:
        rows = registry.fetch_rows(ids)
    assert len(rows) == len(ids) and len([s for s in seen if s.startswith("SELECT")]) == 3
    assert {r.id: r.title for r in rows}[register[0].id].startswith(Level(1).label)


def test_phrase_aware_initials_match_pypinyin_reading_the_whole_name() -> None:
    for name in [*NAMES, "公安局长江路", "行长行动", "乐清市公安局", "厦门路藏书阁", "了不起的人",
                 "南通市公安局崇川分局和平桥派出所", "A区B栋3号", "第3警务区abc"]:
        chars = "".join(c for c in name if pinyin.is_hanzi(c) or (c.isascii() and c.isalnum()))
        assert pinyin.phrase_initials(chars) == lazy_pinyin(
            chars, style=Style.FIRST_LETTER, errors=lambda s: list(s))
