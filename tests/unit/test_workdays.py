"""Working days: Monday–Friday, less holidays, plus 调休 weekend days; the shipped calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from wqg_desktop.db.models import CalendarDay
from wqg_desktop.domain.workdays import add_workdays, is_workday, period_end, workdays_between
from wqg_desktop.services import calendar as calendar_service

D = dt.date
NONE: dict[dt.date, bool] = {}

#: A small hand-made calendar: a Friday holiday and a 调休 Saturday.
HOLIDAY_FRIDAY = D(2024, 3, 8)
WORK_SATURDAY = D(2024, 3, 16)
OWN = {HOLIDAY_FRIDAY: False, WORK_SATURDAY: True}


def test_plain_weeks() -> None:
    assert is_workday(D(2024, 3, 4), NONE)  # Monday
    assert is_workday(D(2024, 3, 8), NONE)  # Friday
    assert not is_workday(D(2024, 3, 9), NONE)  # Saturday
    assert not is_workday(D(2024, 3, 10), NONE)  # Sunday
    assert add_workdays(D(2024, 3, 8), 1, NONE) == D(2024, 3, 11)  # Friday + 1 → Monday
    assert add_workdays(D(2024, 3, 4), 0, NONE) == D(2024, 3, 4)
    assert period_end(D(2024, 3, 4), 5, NONE) == D(2024, 3, 8)
    assert period_end(D(2024, 3, 4), 7, NONE) == D(2024, 3, 12)
    # a period that "starts" on a weekend starts on the next working day
    assert period_end(D(2024, 3, 9), 1, NONE) == D(2024, 3, 11)
    assert workdays_between(D(2024, 3, 4), D(2024, 3, 11), NONE) == 5
    assert workdays_between(D(2024, 3, 11), D(2024, 3, 4), NONE) == 0


def test_holiday_and_makeup_saturday() -> None:
    assert not is_workday(HOLIDAY_FRIDAY, OWN)
    assert is_workday(WORK_SATURDAY, OWN)
    assert add_workdays(D(2024, 3, 7), 1, OWN) == D(2024, 3, 11)  # skips the holiday Friday
    assert add_workdays(D(2024, 3, 15), 1, OWN) == WORK_SATURDAY
    assert period_end(HOLIDAY_FRIDAY, 1, OWN) == D(2024, 3, 11)
    # Mon 11 … Fri 15 (5), Sat 16 (6), Mon 18 (7)
    assert period_end(D(2024, 3, 11), 7, OWN) == D(2024, 3, 18)
    assert period_end(D(2024, 3, 11), 7, NONE) == D(2024, 3, 19)
    assert workdays_between(D(2024, 3, 4), D(2024, 3, 17), OWN) == 9


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        add_workdays(D(2024, 3, 4), -1, NONE)
    with pytest.raises(ValueError):
        period_end(D(2024, 3, 4), 0, NONE)


def test_the_shipped_calendar_is_loaded_at_setup(ctx) -> None:
    days = calendar_service.exceptions()
    assert days[D(2026, 10, 1)] is False  # 国庆节
    assert days[D(2026, 10, 10)] is True  # Saturday, 国庆节调休
    assert days[D(2026, 1, 4)] is True  # Sunday, 元旦调休
    assert calendar_service.seed_holidays() == 0  # seeding again adds nothing


def test_across_the_2025_2026_year_end(ctx) -> None:
    cal = calendar_service.exceptions()
    assert is_workday(D(2025, 12, 31), cal)
    assert not is_workday(D(2026, 1, 2), cal)  # Friday, 元旦
    assert is_workday(D(2026, 1, 4), cal)  # Sunday, 调休
    # Mon 29, Tue 30, Wed 31 (3); 1–3 January off; Sun 4 (4); Mon 5 (5)
    assert calendar_service.period_end(D(2025, 12, 29), 5) == D(2026, 1, 5)
    assert calendar_service.add_workdays(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert workdays_between(D(2025, 12, 28), D(2026, 1, 5), cal) == 5


def test_seven_day_publicity_over_national_day_2026(ctx) -> None:
    # Mon 28 Sep, Tue 29, Wed 30 (3); 1–7 Oct off; Thu 8 (4), Fri 9 (5), Sat 10 调休 (6), Mon 12 (7)
    assert calendar_service.period_end(D(2026, 9, 28), 7) == D(2026, 10, 12)
    # without the calendar it would wrongly end in the holiday
    assert period_end(D(2026, 9, 28), 7, NONE) == D(2026, 10, 6)
    # 中秋节 25–27 Sep: a period starting on the Friday holiday starts on Monday 28
    assert calendar_service.period_end(D(2026, 9, 25), 1) == D(2026, 9, 28)


def test_an_office_can_edit_its_calendar(ctx) -> None:
    CalendarDay.create(day=D(2026, 10, 12), workday=False, name="本地放假")
    assert calendar_service.period_end(D(2026, 9, 28), 7) == D(2026, 10, 13)
