"""Small helpers the 台账 dialogs share: dates in and out of QDateEdit, combo boxes, buttons."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QPushButton

from wqg_desktop.ui.dates import bound_happened, bound_planned


def set_date(edit: QDateEdit, day: dt.date | None, today: dt.date, *,
             planned: bool = False) -> None:
    """Show ``day`` (today when empty) in a box limited to what the service takes: a date
    that happened (1998 to today) or, ``planned``, a deadline (up to five years ahead)."""
    (bound_planned if planned else bound_happened)(edit, today, day or today)


def get_date(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


def name_buttons(box: QDialogButtonBox) -> None:
    box.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
    box.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)


def ok_button(box: QDialogButtonBox) -> QPushButton:
    return box.button(QDialogButtonBox.StandardButton.Ok)


def set_ok(box: QDialogButtonBox, enabled: bool) -> None:
    ok_button(box).setEnabled(enabled)
