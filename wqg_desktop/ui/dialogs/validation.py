"""Validation as the officer types, and running a service from an editing dialog: the service's
Chinese refusal goes to the dialog's error label, the save button is enabled only while the
input is acceptable."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QLabel

from wqg_desktop.app import AppContext
from wqg_desktop.errors import InputRefused, WqgError


def show_check(check: Callable[[], object], error_label: QLabel, save_button: QAbstractButton) -> bool:
    """Run ``check`` (a service's validation); True when it accepts the input."""
    try:
        check()
    except InputRefused as exc:
        error_label.setText(exc.message)
        save_button.setEnabled(False)
        return False
    error_label.setText("")
    save_button.setEnabled(True)
    return True


def run_action(ctx: AppContext, reason: str, action: Callable[[], object], error_label: QLabel,
               done: Callable[[], object]) -> object | None:
    """Run one service call as the officer (audited with ``reason``). A refusal shows in
    ``error_label`` and gives ``None``; success calls ``done`` and gives the result (``True``
    when the service returns nothing)."""
    try:
        with ctx.acting(reason):
            result = action()
    except WqgError as err:
        error_label.setText(err.message)
        return None
    done()
    return result if result is not None else True

