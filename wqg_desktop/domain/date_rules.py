"""Which dates an officer may enter: plausible ones, not merely ones a calendar can hold.

Qt-free, so the services (command line and window alike) refuse with the same Chinese
message that the date boxes of the window make impossible to type (``ui/dates.py`` sets their
ranges from the functions here). ``today`` always comes from the caller (``ctx.today()``).

Three kinds of date:

* **happened** (受理, 检查, 活动, 培训, 上线, 答复, 帮扶, 命名…): not after today and not
  before :data:`EARLIEST`. The national “青少年维权岗” campaign began with the 团中央 opinion of
  25 November 1998 (first posts named in March 1999; 中青联发〔2010〕34号: “自1998年开展以来”),
  so nothing the campaign records can lie before 1998. The demo's oldest facts (titles of the
  2007—2008 term, named in 2008) and the benchmark's (2013 on) sit well inside.
* **planned** (计划命名, 申报/创建期, 整改期限, 办理期限, 任期届满…): not before
  :data:`EARLIEST` and at most :data:`PLAN_YEARS` years after today — a two-year term plus the
  rectification year fits with room to spare; 9999-12-31 does not.
* **register history** (更名, 合并, 拆分, 警种撤出): counties and bureaus were renamed long
  before the campaign (如皋县 became 如皋市 in 1991), so these reach back to
  :data:`REGISTER_EARLIEST`, the founding of the People's Republic and of its public security
  organs; they too cannot lie after today.

A term (年度) is a label, never checked against dates (DOMAIN, levels and terms); its first
year must still lie between :data:`EARLIEST`'s year and two years after today's (a campaign
may be prepared ahead, not a decade ahead). Packages read from other offices are not checked
here: the package reader takes their dates as sent.
"""

from __future__ import annotations

import datetime as dt

from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import InputRefused

#: The campaign began in (late) 1998: no campaign fact is older.
EARLIEST = dt.date(1998, 1, 1)
#: Renames and merges of the register may be older than the campaign.
REGISTER_EARLIEST = dt.date(1949, 10, 1)
#: How far ahead a planned date may lie.
PLAN_YEARS = 5
#: How far ahead a campaign's term may start (this year's, next year's or the one after).
TERM_YEARS_AHEAD = 2

_WHY_EARLIEST = "“青少年维权岗”创建活动自1998年开展"


def years_after(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` years on; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def plan_horizon(today: dt.date) -> dt.date:
    """The latest planned date: :data:`PLAN_YEARS` years after ``today``."""
    return years_after(today, PLAN_YEARS)


def happened_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """(earliest, latest) of a date on which something happened."""
    return EARLIEST, today


def planned_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """(earliest, latest) of a planned date or a deadline."""
    return EARLIEST, plan_horizon(today)


def register_range(today: dt.date) -> tuple[dt.date, dt.date]:
    """(earliest, latest) of a change in the register's history (rename, merge, split)."""
    return REGISTER_EARLIEST, today


def term_year_range(today: dt.date) -> tuple[int, int]:
    """(first, last) year a campaign's or a title's term may start in."""
    return EARLIEST.year, today.year + TERM_YEARS_AHEAD


def _not_before(day: dt.date, what: str, not_before: dt.date | None, not_before_what: str) -> None:
    if not_before is not None and day < not_before:
        raise InputRefused(
            f"{what}（{format_date(day)}）早于{not_before_what}（{format_date(not_before)}）。")


def check_happened(day: dt.date, what: str, *, today: dt.date | None,
                   not_before: dt.date | None = None, not_before_what: str = "") -> dt.date:
    """Refuse a date of something that happened if it is before 1998 or after ``today``
    (not checked when ``today`` is ``None``), or before ``not_before`` (the record it belongs
    to: the unit's founding, the day a matter was received…). Returns ``day``."""
    if day < EARLIEST:
        raise InputRefused(f"{what}（{format_date(day)}）早于{EARLIEST.year}年："
                           f"{_WHY_EARLIEST}，请核对年份。")
    if today is not None and day > today:
        raise InputRefused(f"{what}（{format_date(day)}）不能晚于今天（{format_date(today)}）："
                           "只能登记已经发生的事，请核对日期。")
    _not_before(day, what, not_before, not_before_what)
    return day


def check_planned(day: dt.date, what: str, *, today: dt.date | None,
                  not_before: dt.date | None = None, not_before_what: str = "") -> dt.date:
    """Refuse a planned date or deadline before 1998, more than :data:`PLAN_YEARS` years after
    ``today`` (not checked when ``today`` is ``None``), or before ``not_before``."""
    if day < EARLIEST:
        raise InputRefused(f"{what}（{format_date(day)}）早于{EARLIEST.year}年："
                           f"{_WHY_EARLIEST}，请核对年份。")
    if today is not None and day > plan_horizon(today):
        raise InputRefused(f"{what}（{format_date(day)}）太远：最晚只能安排到 {PLAN_YEARS} 年后"
                           f"（{format_date(plan_horizon(today))}），请核对年份。")
    _not_before(day, what, not_before, not_before_what)
    return day


def check_register_day(day: dt.date, what: str, *, today: dt.date | None) -> dt.date:
    """Refuse a date of the register's history before 1 October 1949 or after ``today``."""
    if day < REGISTER_EARLIEST:
        raise InputRefused(f"{what}（{format_date(day)}）早于{format_date(REGISTER_EARLIEST)}，"
                           "请核对年份。")
    if today is not None and day > today:
        raise InputRefused(f"{what}（{format_date(day)}）不能晚于今天（{format_date(today)}）："
                           "请在调整生效后再登记。")
    return day


def check_term_year(start: int, *, today: dt.date, what: str = "年度") -> int:
    """Refuse a term whose first year lies before 1998 or more than two years after today's."""
    first, last = term_year_range(today)
    if not first <= start <= last:
        raise InputRefused(
            f"{what}起始年份 {start} 不合理：应在 {first} 至 {last} 年之间"
            f"（{_WHY_EARLIEST}；最多提前到 {last} 年）。")
    return start


def check_year(year: int, what: str, *, today: dt.date) -> int:
    """A calendar year of something done (实事项目): from 1998 to this year."""
    if year < EARLIEST.year:
        raise InputRefused(f"{what} {year} 早于{EARLIEST.year}年：{_WHY_EARLIEST}，请核对年份。")
    if year > today.year:
        raise InputRefused(f"{what} {year} 还没到：最晚是今年（{today.year}）。")
    return year
