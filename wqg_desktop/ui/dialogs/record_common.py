"""Small helpers the 台账 dialogs share: dates in and out of QDateEdit, combo boxes, buttons."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QPushButton


def set_date(edit: QDateEdit, day: dt.date | None, today: dt.date) -> None:
    edit.setMaximumDate(QDate(today.year, today.month, today.day))
    value = day or today
    edit.setDate(QDate(value.year, value.month, value.day))


def get_date(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


def name_buttons(box: QDialogButtonBox) -> None:
    box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
    box.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)


def ok_button(box: QDialogButtonBox) -> QPushButton:
    return box.button(QDialogButtonBox.StandardButton.Ok)


def set_ok(box: QDialogButtonBox, enabled: bool) -> None:
    ok_button(box).setEnabled(enabled)
