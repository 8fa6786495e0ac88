"""工作日历 editing: validation, importing a year's schedule, missing years and their warning,
the shipped schedule reaching databases set up earlier, and the ``wqg calendar`` commands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from wqg_desktop.app import AppContext
from wqg_desktop.cli.main import main
from wqg_desktop.db.models import AuditLog, CalendarDay, Setting
from wqg_desktop.domain import lifecycle
from wqg_desktop.errors import InputRefused, NotFound
from wqg_desktop.exchange.xlsx import write_table
from wqg_desktop.services import calendar, settings

D = dt.date
TODAY = D(2026, 11, 26)

#: 2027's schedule as an office might type it (invented, shaped like the State Council's).
SCHEDULE_2027 = {
    "holidays": [["2027-01-01", "元旦"], ["2027-01-02", "元旦"], ["2027-01-03", "元旦"],
                 ["2027-02-06", "春节"], ["2027-02-08", "春节"], ["2027-02-09", "春节"]],
    "workdays": [["2027-02-20", "春节调休"]],
}


def _json_file(path: Path, years: dict) -> Path:
    path.write_text(json.dumps({"years": years}, ensure_ascii=False), encoding="utf-8")
    return path


# -- validation ------------------------------------------------------------------------------


def test_a_holiday_on_a_weekend_must_be_stated(ctx) -> None:
    saturday = D(2027, 1, 2)
    with pytest.raises(InputRefused, match="本来就不上班.*周末也列入假期"):
        calendar.add_day(day=saturday, workday=False, name="元旦")
    assert CalendarDay.get_or_none(CalendarDay.day == saturday) is None
    calendar.add_day(day=saturday, workday=False, name="元旦", weekend_holiday=True)
    assert calendar.exceptions()[saturday] is False


def test_a_tiaoxiu_working_day_must_be_a_weekend_day(ctx) -> None:
    with pytest.raises(InputRefused, match="星期一.*只能是星期六或星期日"):
        calendar.add_day(day=D(2027, 1, 4), workday=True, name="调休")
    row = calendar.add_day(day=D(2027, 2, 20), workday=True, name="春节调休")
    assert (row.kind, row.weekday) == ("调休上班", "星期六")


@pytest.mark.parametrize(("day", "name", "words"), [
    (None, "元旦", "请填写日期"),
    (D(2027, 1, 1), "  ", "请填写名称"),
    (D(2027, 1, 1), "节" * 31, "名称过长"),
    (D(1999, 1, 1), "元旦", "2000 至 2099"),
])
def test_bad_days_are_refused_in_chinese(ctx, day, name, words) -> None:
    with pytest.raises(InputRefused, match=words):
        calendar.add_day(day=day, workday=False, name=name)


def test_add_edit_move_and_delete_a_day(ctx) -> None:
    calendar.add_day(day=D(2027, 1, 1), workday=False, name="元旦")
    with pytest.raises(InputRefused, match="已在工作日历中"):
        calendar.add_day(day=D(2027, 1, 1), workday=False, name="元旦")
    calendar.update_day(day=D(2027, 1, 1), workday=False, name="元旦节")
    assert CalendarDay.get_by_id(D(2027, 1, 1)).name == "元旦节"
    # moving a day onto another entry is refused; onto a free day it moves
    with pytest.raises(InputRefused, match="已在工作日历中"):
        calendar.update_day(day=D(2027, 1, 1), new_day=D(2026, 10, 1), workday=False, name="x")
    calendar.update_day(day=D(2027, 1, 1), new_day=D(2027, 1, 5), workday=False, name="本地放假")
    assert [(r.day, r.name) for r in calendar.days_of_year(2027)] == [(D(2027, 1, 5), "本地放假")]
    calendar.remove_day(day=D(2027, 1, 5))
    assert calendar.days_of_year(2027) == []
    with pytest.raises(NotFound, match="没有 2027年1月5日"):
        calendar.remove_day(day=D(2027, 1, 5))


# -- missing years and the warning -----------------------------------------------------------


def test_years_covered_and_missing(ctx) -> None:
    assert calendar.years_covered() == [2025, 2026]  # the shipped schedule
    assert calendar.missing_years(TODAY) == [2027]
    assert calendar.missing_years(D(2025, 6, 1)) == []
    assert calendar.missing_years(D(2028, 1, 1), ahead=0) == [2028]
    assert "2027 年的节假日安排尚未录入" in calendar.missing_warning(calendar.missing_years(TODAY))
    assert calendar.missing_warning([]) is None


def test_entering_2027_new_year_changes_a_publicity_end_once(ctx) -> None:
    start = D(2026, 12, 28)
    before = calendar.period_end_checked(start, 7)
    # Monday–Friday only: 28–31 Dec, 1, 4, 5 Jan
    assert before.day == D(2027, 1, 5)
    assert before.warning == ("2027 年的节假日安排尚未录入，工作日按周一至周五计算，"
                              "请在“系统设置—工作日历”中补录。")
    assert calendar.coverage_warning(D(2026, 12, 1), D(2026, 12, 20)) is None
    calendar.add_day(day=D(2027, 1, 1), workday=False, name="元旦")
    after = calendar.period_end_checked(start, 7)
    assert (after.day, after.warning) == (D(2027, 1, 6), None)
    assert lifecycle.publicity_end(start, 7, calendar.exceptions()) == D(2027, 1, 6)
    # a complaint received on 31 Dec is due 5 working days later, past the holiday
    assert calendar.add_workdays_checked(D(2026, 12, 31), 5).day == D(2027, 1, 8)


def test_a_warning_names_every_missing_year_in_a_long_span(ctx) -> None:
    warning = calendar.coverage_warning(D(2026, 1, 1), D(2028, 3, 1))
    assert warning is not None and warning.startswith("2027、2028 年")


# -- importing -------------------------------------------------------------------------------


def test_importing_a_json_schedule_is_idempotent(ctx, tmp_path) -> None:
    path = _json_file(tmp_path / "2027.json", {"2027": SCHEDULE_2027})
    first = calendar.import_schedule(path=path)
    assert (first.years, first.added, first.changed, first.unchanged) == ([2027], 7, 0, 0)
    assert calendar.missing_years(TODAY) == []
    audit_rows = AuditLog.select().count()
    second = calendar.import_schedule(path=path)
    assert (second.added, second.changed, second.unchanged) == (0, 0, 7)
    assert AuditLog.select().count() == audit_rows  # nothing was written
    assert "新增 0 天，修改 0 天，7 天原已相同" in second.message()


def test_import_changes_listed_days_and_keeps_the_offices_own(ctx, tmp_path) -> None:
    calendar.add_day(day=D(2027, 1, 1), workday=False, name="新年")
    calendar.add_day(day=D(2027, 3, 5), workday=False, name="本地放假")
    report = calendar.import_schedule(path=_json_file(tmp_path / "s.json", {"2027": SCHEDULE_2027}))
    assert (report.added, report.changed, report.kept) == (6, 1, 1)
    assert CalendarDay.get_by_id(D(2027, 1, 1)).name == "元旦"
    assert CalendarDay.get_by_id(D(2027, 3, 5)).name == "本地放假"
    assert "保留未动" in report.message()


def test_importing_an_xlsx_schedule(ctx, tmp_path) -> None:
    path = tmp_path / "2027年节假日.xlsx"
    write_table(path, ["日期", "类型", "名称"], [
        [D(2027, 1, 1), "放假", "元旦"],
        ["2027/1/2", "放假", "元旦"],
        ["2027年2月20日", "上班", "春节调休"],
        [None, None, None],  # a blank line is skipped
    ])
    report = calendar.import_schedule(path=path)
    assert (report.years, report.added) == ([2027], 3)
    assert calendar.exceptions()[D(2027, 2, 20)] is True
    assert calendar.exceptions()[D(2027, 1, 2)] is False


def test_a_file_with_a_bad_row_imports_nothing(ctx, tmp_path) -> None:
    path = tmp_path / "bad.xlsx"
    write_table(path, ["日期", "类型", "名称"], [
        ["2027-01-01", "放假", "元旦"],
        ["2027-01-04", "上班", "调休"],  # a Monday cannot be a 调休 working day
        ["2027-13-01", "放假", "元旦"],
        ["2027-01-01", "放假", "元旦"],
        ["2027-02-06", "休养", "春节"],
    ])
    before = CalendarDay.select().count()
    with pytest.raises(InputRefused) as refused:
        calendar.import_schedule(path=path)
    message = refused.value.message
    assert "没有导入任何内容" in message
    for words in ("第 3 行", "只能是星期六或星期日", "第 4 行", "无法识别", "第 5 行", "不止一次",
                  "第 6 行", "“休养”"):
        assert words in message
    assert CalendarDay.select().count() == before


def test_wrong_files_are_refused(ctx, tmp_path) -> None:
    headers = tmp_path / "h.xlsx"
    write_table(headers, ["日子", "类型", "名称"], [["2027-01-01", "放假", "元旦"]])
    with pytest.raises(InputRefused, match="缺少“日期”"):
        calendar.import_schedule(path=headers)
    text = tmp_path / "a.csv"
    text.write_text("日期,类型,名称\n", encoding="utf-8")
    with pytest.raises(InputRefused, match="不是可导入的格式"):
        calendar.import_schedule(path=text)
    broken = tmp_path / "b.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(InputRefused, match="不是有效的 JSON"):
        calendar.import_schedule(path=broken)
    with pytest.raises(InputRefused, match="没有 years"):
        calendar.import_schedule(path=_json_file(tmp_path / "e.json", {}))


def test_the_shipped_file_imports_as_is_and_changes_nothing(ctx) -> None:
    report = calendar.import_schedule(path=calendar.shipped_file())
    assert report.added == report.changed == 0 and report.unchanged > 60


# -- the shipped schedule reaching existing databases ----------------------------------------


def _newer_release(monkeypatch) -> None:
    shipped = dict(calendar._shipped_years())
    shipped[2027] = ((D(2027, 1, 1), False, "元旦"), (D(2027, 2, 20), True, "春节调休"))
    monkeypatch.setattr(calendar, "_shipped_years", lambda: shipped)


def test_opening_costs_no_write_when_nothing_is_new(ctx) -> None:
    audit_rows = AuditLog.select().count()
    assert calendar.seed_new_shipped_years() == 0
    assert AuditLog.select().count() == audit_rows


def test_a_newer_release_brings_its_years_once(ctx, monkeypatch) -> None:
    # the officer deleted a shipped day and entered 2027's New Year under a name of their own
    calendar.remove_day(day=D(2026, 10, 7))
    calendar.add_day(day=D(2027, 1, 1), workday=False, name="新年")
    _newer_release(monkeypatch)
    assert calendar.seed_new_shipped_years() == 1  # only 2027-02-20 was not there
    assert CalendarDay.get_by_id(D(2027, 1, 1)).name == "新年"
    assert D(2026, 10, 7) not in calendar.exceptions()  # 2026 was applied already
    assert settings.get(calendar.SEEDED_KEY) == [2025, 2026, 2027]
    # and 2027 is applied once: deleting one of its days later sticks
    calendar.remove_day(day=D(2027, 2, 20))
    assert calendar.seed_new_shipped_years() == 0
    assert D(2027, 2, 20) not in calendar.exceptions()


def test_a_writer_open_seeds_a_database_set_up_before(ctx, monkeypatch) -> None:
    path = ctx.location
    Setting.delete().where(Setting.key == calendar.SEEDED_KEY).execute()
    days = CalendarDay.select().count()
    ctx.close()
    _newer_release(monkeypatch)
    with AppContext.open(path, read_only=True):
        assert CalendarDay.select().count() == days  # a reader never writes
    with AppContext.open(path):
        assert CalendarDay.select().count() == days + 2
        assert settings.get(calendar.SEEDED_KEY) == [2025, 2026, 2027]
        assert AuditLog.select().where(AuditLog.entity == "CalendarDay",
                                       AuditLog.reason.contains("随程序附带")).count() == 2


# -- the command line ------------------------------------------------------------------------


def _wqg(capsys, *argv) -> tuple[int, dict]:
    code = main([str(a) for a in argv] + ["--json"])
    return code, json.loads(capsys.readouterr().out)


def test_calendar_commands(ctx, capsys, tmp_path) -> None:
    db = ctx.location
    ctx.close()
    code, out = _wqg(capsys, "calendar", "list", "--db", db, "--today", "2026-11-26")
    assert code == 0 and out["data"]["missing"] == [2027]
    assert "2027 年的节假日安排尚未录入" in out["message"]
    code, out = _wqg(capsys, "calendar", "add", "2027-01-02", "--holiday", "--name", "元旦",
                     "--db", db)
    assert code == 2 and "--weekend" in out["message"]
    code, out = _wqg(capsys, "calendar", "add", "2027-01-02", "--holiday", "--weekend",
                     "--name", "元旦", "--db", db)
    assert code == 0 and out["data"]["weekday"] == "星期六"
    code, out = _wqg(capsys, "calendar", "add", "2027-01-02", "--holiday", "--weekend",
                     "--name", "元旦假期", "--db", db)
    assert code == 2 and "已在工作日历中" in out["message"]
    code, out = _wqg(capsys, "calendar", "add", "2027-01-02", "--holiday", "--weekend",
                     "--name", "元旦假期", "--replace", "--db", db)
    assert code == 0 and out["data"]["name"] == "元旦假期"
    code, out = _wqg(capsys, "calendar", "list", "--year", "2027", "--db", db)
    assert [d["date"] for d in out["data"]["days"]] == ["2027-01-02"]
    code, out = _wqg(capsys, "calendar", "import",
                     _json_file(tmp_path / "s.json", {"2027": SCHEDULE_2027}), "--db", db)
    assert code == 0 and out["data"]["added"] == 6 and out["data"]["changed"] == 1
    code, out = _wqg(capsys, "calendar", "remove", "2027-01-03", "--db", db)
    assert code == 0
    code, out = _wqg(capsys, "calendar", "remove", "2027-01-03", "--db", db)
    assert code == 2 and "没有 2027年1月3日" in out["message"]
    code, out = _wqg(capsys, "calendar", "import", tmp_path / "none.xlsx", "--db", db)
    assert code == 2 and "找不到文件" in out["message"]
    with AppContext.open(db, read_only=True):
        assert len(calendar.days_of_year(2027)) == 6
