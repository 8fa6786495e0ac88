"""Working-day arithmetic on an office calendar: Monday–Friday, less holidays, plus 调休 days.

Pure functions over a mapping of exceptions, so the rules can be tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

#: day → True (a working day, e.g. a 调休 Saturday) or False (a holiday)
Exceptions = Mapping[dt.date, bool]


def is_workday(day: dt.date, exceptions: Exceptions) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_workdays(start: dt.date, count: int, exceptions: Exceptions) -> dt.date:
    """The day on which ``count`` working days after ``start`` have passed.

    ``start`` itself does not count (a publicity period starting on Monday with 7 working days
    ends on the 7th working day after it only if it starts the day before; callers that count
    the first day pass ``start - 1 day``). ``count`` ≥ 0.
    """
    if count < 0:
        raise ValueError("count must be ≥ 0")
    day = start
    left = count
    while left:
        day += dt.timedelta(days=1)
        if is_workday(day, exceptions):
            left -= 1
    return day


def period_end(first_day: dt.date, workdays: int, exceptions: Exceptions) -> dt.date:
    """Last day of a period of ``workdays`` working days that begins on ``first_day``."""
    if workdays <= 0:
        raise ValueError("workdays must be ≥ 1")
    day = first_day
    while not is_workday(day, exceptions):
        day += dt.timedelta(days=1)
    return add_workdays(day, workdays - 1, exceptions)


def workdays_between(start: dt.date, end: dt.date, exceptions: Exceptions) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    n = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day, exceptions):
            n += 1
    return n
