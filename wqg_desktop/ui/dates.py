"""Date boxes bounded by the rules the services apply (:mod:`wqg_desktop.domain.date_rules`).

A bare ``QDateEdit`` takes anything from 1752 to 9999; these helpers give each box the range of
its kind of date, so the window cannot offer what the service would refuse:

* :func:`bound_happened` — 受理, 检查, 答复, 上线, 命名…: from 1998 to today;
* :func:`bound_planned` — 计划命名, 创建期, 整改期限, 办理期限…: from 1998 to five years ahead;
* :func:`bound_register` — 更名, 合并, 撤出: from 1949-10-01 to today.

A date stored before these checks existed (2099, 1800) is still shown as it is: the range
widens just enough to hold it, so the officer sees it and the service's message names the
field to correct, instead of the box quietly changing it to the nearest bound.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit

from wqg_desktop.domain import date_rules


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def bound(edit: QDateEdit, first: dt.date, last: dt.date, value: dt.date | None = None) -> None:
    """Limit ``edit`` to ``first``…``last`` and show ``value`` (when given), widening the range
    only as far as a stored ``value`` outside it needs."""
    low, high = first, last
    if value is not None:
        low, high = min(low, value), max(high, value)
    edit.setDateRange(qdate(low), qdate(high))
    if value is not None:
        edit.setDate(qdate(value))


def bound_happened(edit: QDateEdit, today: dt.date, value: dt.date | None = None) -> None:
    """A date on which something happened: 1998 to ``today``."""
    bound(edit, *date_rules.happened_range(today), value)


def bound_planned(edit: QDateEdit, today: dt.date, value: dt.date | None = None) -> None:
    """A planned date or deadline: 1998 to five years after ``today``."""
    bound(edit, *date_rules.planned_range(today), value)


def bound_register(edit: QDateEdit, today: dt.date, value: dt.date | None = None) -> None:
    """A change in the register's history: 1949-10-01 to ``today``."""
    bound(edit, *date_rules.register_range(today), value)
