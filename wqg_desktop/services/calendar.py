"""The office's working-day calendar, kept in the database and editable offline."""

from __future__ import annotations

import datetime as dt
import json

from wqg_desktop import paths
from wqg_desktop.db.models import CalendarDay
from wqg_desktop.domain import workdays


def seed_holidays() -> int:
    """Load the shipped holiday schedule for days not yet in the calendar; return how many."""
    source = paths.resources_dir() / "calendar" / "cn_holidays.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    existing = {d.day for d in CalendarDay.select(CalendarDay.day)}
    added = 0
    for year in data["years"].values():
        for key, workday in (("holidays", False), ("workdays", True)):
            for iso, name in year[key]:
                day = dt.date.fromisoformat(iso)
                if day in existing:
                    continue
                CalendarDay(day=day, workday=workday, name=name).save(force_insert=True)
                added += 1
    return added


def exceptions() -> dict[dt.date, bool]:
    return {d.day: d.workday for d in CalendarDay.select()}


def period_end(first_day: dt.date, days: int) -> dt.date:
    return workdays.period_end(first_day, days, exceptions())


def add_workdays(start: dt.date, days: int) -> dt.date:
    return workdays.add_workdays(start, days, exceptions())
