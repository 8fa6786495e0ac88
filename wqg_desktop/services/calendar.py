"""The office's working-day calendar, kept in the database and editable offline.

The calendar holds only the exceptions to the Monday–Friday rule: holidays (放假) and 调休
working weekend days (上班). A year the calendar holds no day of has not been entered: working
days in it fall back to Monday–Friday, which is wrong around every public holiday, so every
computation that reaches such a year can ask :func:`coverage_warning` for a sentence to show.

The program ships the State Council's schedules (``resources/calendar/cn_holidays.json``);
each shipped year reaches a database once (:func:`seed_holidays`), so a newer release brings its
new years to offices set up earlier, and days an officer deleted or changed stay as they are.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wqg_desktop import paths
from wqg_desktop.db.models import CalendarDay, acting_as, database
from wqg_desktop.domain import workdays
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import InputRefused, NotFound
from wqg_desktop.services import settings

log = logging.getLogger(__name__)

#: Years a day may be entered for (the shipped schedules start in 2025; history before 2000
#: has no campaign deadlines left to compute).
FIRST_YEAR, LAST_YEAR = 2000, 2099
NAME_MAX = 30  # CalendarDay.name
WEEKDAYS = "一二三四五六日"
HOLIDAY_LABEL, WORKDAY_LABEL = "放假", "调休上班"
#: The setting that records which shipped years have reached this database.
SEEDED_KEY = "calendar_shipped_years"
#: Where the officer fixes a missing year (named in every warning).
WHERE_TO_FIX = "请在“系统设置—工作日历”中补录"


def shipped_file() -> Path:
    return paths.resources_dir() / "calendar" / "cn_holidays.json"


def weekday_label(day: dt.date) -> str:
    return "星期" + WEEKDAYS[day.weekday()]


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


# -- the shipped schedule ----------------------------------------------------------------------


@functools.cache
def _shipped_years() -> dict[int, tuple[tuple[dt.date, bool, str], ...]]:
    """The shipped file, parsed once per process (it is read at every writer open)."""
    data = json.loads(shipped_file().read_text(encoding="utf-8"))
    return {int(year): tuple(_json_year_days(days)) for year, days in data["years"].items()}


def _json_year_days(year: dict[str, Any]) -> Iterable[tuple[dt.date, bool, str]]:
    for key, workday in (("holidays", False), ("workdays", True)):
        for iso, name in year.get(key, []):
            yield dt.date.fromisoformat(iso), workday, name


def seed_holidays() -> int:
    """Bring the shipped years this database has not had yet; return how many days were added.

    Only days not present are added (a day the officer entered or changed is kept as it is),
    and each shipped year is applied once: a day the officer deleted from it stays deleted.
    Cheap when there is nothing new: one settings read, no write.
    """
    shipped = _shipped_years()
    done = set(settings.get(SEEDED_KEY) or [])
    new_years = sorted(set(shipped) - done)
    if not new_years:
        return 0
    added = 0
    with database.atomic():
        existing = {d.day for d in CalendarDay.select(CalendarDay.day).where(
            CalendarDay.day.between(dt.date(new_years[0], 1, 1), dt.date(new_years[-1], 12, 31)))}
        for year in new_years:
            for day, workday, name in shipped[year]:
                if day not in existing:
                    CalendarDay(day=day, workday=workday, name=name).save(force_insert=True)
                    added += 1
        settings.put(SEEDED_KEY, sorted(done | set(new_years)))
    return added


def seed_new_shipped_years() -> int:
    """At every writer open: bring a newer release's years (usually nothing, and no write).

    A damaged shipped file must not keep the office out of its own database: it is logged,
    and the missing-year warnings tell the officer what to enter by hand.
    """
    try:
        shipped = set(_shipped_years())
    except (OSError, ValueError, KeyError, TypeError):
        log.exception("随程序附带的节假日安排无法读取：%s", shipped_file())
        return 0
    if shipped <= set(settings.get(SEEDED_KEY) or []):
        return 0
    with acting_as("系统", "载入随程序附带的法定节假日安排"):
        return seed_holidays()


# -- reading -----------------------------------------------------------------------------------


def exceptions() -> dict[dt.date, bool]:
    return {d.day: d.workday for d in CalendarDay.select()}


def period_end(first_day: dt.date, days: int) -> dt.date:
    return workdays.period_end(first_day, days, exceptions())


def add_workdays(start: dt.date, days: int) -> dt.date:
    return workdays.add_workdays(start, days, exceptions())


@dataclass(frozen=True)
class Dated:
    """A working-day result with the warning to show when it rests on a missing year."""

    day: dt.date
    warning: str | None


def period_end_checked(first_day: dt.date, days: int) -> Dated:
    """:func:`period_end` with :func:`coverage_warning` for the days it spans."""
    end = period_end(first_day, days)
    return Dated(end, coverage_warning(first_day, end))


def add_workdays_checked(start: dt.date, days: int) -> Dated:
    """:func:`add_workdays` (e.g. a complaint's reply due date) with its coverage warning."""
    end = add_workdays(start, days)
    return Dated(end, coverage_warning(start, end))


@dataclass(frozen=True)
class DayRow:
    """One exception day as lists show it."""

    day: dt.date
    workday: bool
    name: str

    @property
    def kind(self) -> str:
        return WORKDAY_LABEL if self.workday else HOLIDAY_LABEL

    @property
    def weekday(self) -> str:
        return weekday_label(self.day)

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "weekday": self.weekday, "kind": self.kind,
                "workday": self.workday, "name": self.name}


def days_of_year(year: int | None = None) -> list[DayRow]:
    """The calendar's exception days, in date order: of one year, or all of them."""
    query = CalendarDay.select().order_by(CalendarDay.day)
    if year is not None:
        query = query.where(CalendarDay.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return [DayRow(d.day, bool(d.workday), d.name) for d in query]


def years_covered() -> list[int]:
    """Years whose schedule has been entered: those the calendar holds at least one day of."""
    # a few dozen exception days a year: read them all rather than take the year apart in SQL
    return sorted({day.year for (day,) in CalendarDay.select(CalendarDay.day).tuples()})


def missing_years(around: dt.date, *, ahead: int = 1) -> list[int]:
    """Of the year of ``around`` and the ``ahead`` years after it, those not entered yet."""
    covered = set(years_covered())
    return [y for y in range(around.year, around.year + ahead + 1) if y not in covered]


def missing_warning(years: Iterable[int]) -> str | None:
    years = sorted(set(years))
    if not years:
        return None
    listed = "、".join(str(y) for y in years)
    return (f"{listed} 年的节假日安排尚未录入，工作日按周一至周五计算，{WHERE_TO_FIX}。")


def coverage_warning(start: dt.date, end: dt.date) -> str | None:
    """A sentence for the officer when the days from ``start`` to ``end`` reach a year whose
    schedule is not in the calendar (so holidays and 调休 in it were not counted), else None."""
    first, last = sorted((start, end))
    covered = set(years_covered())
    return missing_warning(y for y in range(first.year, last.year + 1) if y not in covered)


# -- editing -----------------------------------------------------------------------------------


def check_day(*, day: dt.date | None, workday: bool, name: str,
              weekend_holiday: bool = False) -> tuple[dt.date, bool, str]:
    """Check one exception day as typed; return it cleaned or refuse in Chinese.

    A 调休 working day must be a Saturday or Sunday (Monday–Friday already are working days).
    A holiday on a weekend changes no computation, so it is taken only when the officer says
    so (``weekend_holiday``): shipped schedules list them to show a holiday's whole span.
    """
    if day is None:
        raise InputRefused("请填写日期，例如 2027-01-01。")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputRefused(f"日期的年份应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间。")
    name = (name or "").strip()
    when = f"{format_date(day)}是{weekday_label(day)}"
    if workday and not _is_weekend(day):
        raise InputRefused(f"{when}，本来就上班。调休上班日只能是星期六或星期日，请改正日期或改为“放假”。")
    if not workday and _is_weekend(day) and not weekend_holiday:
        raise InputRefused(f"{when}，本来就不上班。若它属于假期（例如春节假期中的周末），"
                           "请勾选“周末也列入假期”（命令行加 --weekend）后再保存。")
    if not name:
        raise InputRefused("请填写名称，例如“元旦”“春节”或“春节调休”。")
    if len(name) > NAME_MAX:
        raise InputRefused(f"名称过长（最多 {NAME_MAX} 个字）。")
    return day, workday, name


def _get(day: dt.date) -> CalendarDay:
    found = CalendarDay.get_or_none(CalendarDay.day == day)
    if found is None:
        raise NotFound(f"工作日历中没有 {format_date(day)} 这一天的记录。")
    return found


def add_day(*, day: dt.date | None, workday: bool, name: str,
            weekend_holiday: bool = False) -> DayRow:
    """Enter a holiday or a 调休 working day; refuse a date that already has an entry."""
    day, workday, name = check_day(day=day, workday=workday, name=name,
                                   weekend_holiday=weekend_holiday)
    with database.atomic():
        existing = CalendarDay.get_or_none(CalendarDay.day == day)
        if existing is not None:
            raise InputRefused(f"{format_date(day)}已在工作日历中（{existing.name}，"
                               f"{WORKDAY_LABEL if existing.workday else HOLIDAY_LABEL}），"
                               "请选中它修改。")
        CalendarDay(day=day, workday=workday, name=name).save(force_insert=True)
    return DayRow(day, workday, name)


def update_day(*, day: dt.date, new_day: dt.date | None = None, workday: bool, name: str,
               weekend_holiday: bool = False) -> DayRow:
    """Change the entry of ``day``: its kind, its name, or (``new_day``) its date."""
    target = day if new_day is None else new_day
    target, workday, name = check_day(day=target, workday=workday, name=name,
                                      weekend_holiday=weekend_holiday)
    with database.atomic():
        row = _get(day)
        if target != day:
            if CalendarDay.get_or_none(CalendarDay.day == target) is not None:
                raise InputRefused(f"{format_date(target)}已在工作日历中，不能把"
                                   f"{format_date(day)}改到这一天；请直接修改那一天。")
            # the date is the key: moving a day is a delete and an insert, both audited
            row.delete_instance()
            CalendarDay(day=target, workday=workday, name=name).save(force_insert=True)
        else:
            row.workday, row.name = workday, name
            row.save()
    return DayRow(target, workday, name)


def remove_day(*, day: dt.date) -> None:
    """Delete the entry of ``day``: it counts again by the Monday–Friday rule."""
    with database.atomic():
        _get(day).delete_instance()


# -- importing a schedule ----------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_KINDS = {"放假": False, "休息": False, "休假": False,
          "上班": True, "调休上班": True, "补班": True}
_HEADERS = ("日期", "类型", "名称")
MAX_IMPORT_ROWS = 1000


@dataclass
class ImportReport:
    """What an import did, per day: added, changed, already so; days of those years it kept."""

    years: list[int]
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    kept: int = 0

    def message(self) -> str:
        years = "、".join(str(y) for y in self.years)
        text = (f"已导入 {years} 年的节假日安排：新增 {self.added} 天，修改 {self.changed} 天，"
                f"{self.unchanged} 天原已相同")
        if self.kept:
            text += f"；日历中另有 {self.kept} 天不在文件中，保留未动"
        return text + "。"


def parse_date_text(text: str) -> dt.date | None:
    """2027-01-01, 2027/1/1, 2027.1.1 or 2027年1月1日; None when it is none of them."""
    match = _DATE_TEXT.match(unicodedata.normalize("NFKC", text or "").strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _read_json(path: Path) -> list[tuple[str, Any, Any, Any]]:
    """(where, date text, workday, name) from a file shaped like the shipped one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputRefused(f"“{path.name}”不是有效的 JSON 文件（{exc}）。") from None
    years = data.get("years") if isinstance(data, dict) else None
    if not isinstance(years, dict) or not years:
        raise InputRefused(f"“{path.name}”中没有 years 部分。格式应与程序附带的 cn_holidays.json 相同："
                           '{"years": {"2027": {"holidays": [["2027-01-01", "元旦"]], '
                           '"workdays": [["2027-02-07", "春节调休"]]}}}')
    rows: list[tuple[str, Any, Any, Any]] = []
    for year, parts in years.items():
        for key, workday in (("holidays", False), ("workdays", True)):
            entries = parts.get(key, []) if isinstance(parts, dict) else None
            if not isinstance(entries, list):
                raise InputRefused(f"“{path.name}”中 {year} 年的 {key} 应为列表。")
            for k, entry in enumerate(entries, start=1):
                where = f"{year} 年 {key} 第 {k} 项"
                if not (isinstance(entry, list) and len(entry) == 2):
                    rows.append((where, None, workday, None))
                else:
                    rows.append((where, entry[0], workday, entry[1]))
    return rows


def _read_xlsx(path: Path) -> list[tuple[str, Any, Any, Any]]:
    """(where, date, workday or the 类型 text, name) from the first sheet's 日期/类型/名称."""
    from wqg_desktop.exchange import xlsx  # openpyxl: loaded only when a workbook is imported

    book = xlsx.open_for_reading(path)
    try:
        sheet = book.worksheets[0]
        # a year has some 40 entries; far more means the wrong sheet, refused rather than cut
        lines = sheet.iter_rows(min_row=1, max_row=MAX_IMPORT_ROWS + 2, max_col=20,
                                values_only=True)
        header = [xlsx.cell_text(v) for v in next(lines, [])]
        missing = [h for h in _HEADERS if h not in header]
        if missing:
            raise InputRefused(f"“{path.name}”第一行应有“日期”“类型”“名称”三列，缺少"
                               + "、".join(f"“{h}”" for h in missing) + "。")
        at = [header.index(h) for h in _HEADERS]
        rows: list[tuple[str, Any, Any, Any]] = []
        for number, values in enumerate(lines, start=2):
            cells = [values[i] if i < len(values) else None for i in at]
            if all(xlsx.cell_text(c) == "" for c in cells):
                continue
            if number > MAX_IMPORT_ROWS + 1:
                raise InputRefused(f"“{path.name}”超过 {MAX_IMPORT_ROWS} 行，不像节假日安排，"
                                   "请确认选择的文件正确。")
            rows.append((f"第 {number} 行", cells[0], xlsx.cell_text(cells[1]), cells[2]))
    finally:
        book.close()
    return rows


def _clean_rows(rows: list[tuple[str, Any, Any, Any]]) -> list[tuple[dt.date, bool, str]]:
    """Every row checked; all problems listed at once, nothing imported if there is one."""
    problems: list[str] = []
    clean: dict[dt.date, tuple[dt.date, bool, str]] = {}
    for where, raw_day, raw_kind, raw_name in rows:
        if isinstance(raw_day, dt.datetime):
            day: dt.date | None = raw_day.date()
        elif isinstance(raw_day, dt.date):
            day = raw_day
        else:
            day = parse_date_text(str(raw_day or ""))
        if day is None:
            problems.append(f"{where}：日期“{raw_day or ''}”无法识别，应写成 2027-01-01。")
            continue
        if isinstance(raw_kind, str):
            if raw_kind not in _KINDS:
                problems.append(f"{where}：类型“{raw_kind}”无法识别，应为“放假”或“上班”。")
                continue
            raw_kind = _KINDS[raw_kind]
        try:
            # a schedule lists the weekends inside a holiday on purpose: that is stating it
            item = check_day(day=day, workday=bool(raw_kind), name=str(raw_name or ""),
                             weekend_holiday=True)
        except InputRefused as exc:
            problems.append(f"{where}：{exc.message}")
            continue
        if day in clean:
            problems.append(f"{where}：{format_date(day)}在文件中出现了不止一次。")
            continue
        clean[day] = item
    if problems:
        shown = problems[:10]
        more = f"\n……另有 {len(problems) - 10} 处问题。" if len(problems) > 10 else ""
        raise InputRefused("文件中有问题，没有导入任何内容。请改正后再导入：\n"
                           + "\n".join(shown) + more, details=problems)
    if not clean:
        raise InputRefused("文件中没有任何日期。")
    return sorted(clean.values())


def read_schedule(path: Path | str) -> list[tuple[dt.date, bool, str]]:
    """The days of a schedule file (.json like the shipped one, or .xlsx 日期/类型/名称)."""
    path = Path(path)
    if not path.is_file():
        raise InputRefused(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _clean_rows(_read_json(path))
    if suffix in (".xlsx", ".xls", ".et"):
        return _clean_rows(_read_xlsx(path))
    raise InputRefused(f"“{path.name}”不是可导入的格式：请使用 .xlsx（列：日期、类型（放假/上班）、名称）"
                       "或与程序附带的 cn_holidays.json 相同格式的 .json 文件。")


def import_schedule(*, path: Path | str) -> ImportReport:
    """Import a year's (or several years') schedule in one transaction.

    Each day of the file is added, or changed to what the file says; days of those years that
    the file does not name are kept (an office's own extra holidays survive a re-import).
    Importing the same file twice changes nothing the second time.
    """
    days = read_schedule(path)
    years = sorted({d.year for d, _w, _n in days})
    report = ImportReport(years=years)
    listed = {d for d, _w, _n in days}
    with database.atomic():
        existing = {r.day: r for r in CalendarDay.select().where(
            CalendarDay.day.between(dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)))}
        for day, workday, name in days:
            row = existing.get(day)
            if row is None:
                CalendarDay(day=day, workday=workday, name=name).save(force_insert=True)
                report.added += 1
            elif bool(row.workday) != workday or row.name != name:
                row.workday, row.name = workday, name
                row.save()
                report.changed += 1
            else:
                report.unchanged += 1
        report.kept = sum(1 for d in existing if d.year in years and d not in listed)
    return report
