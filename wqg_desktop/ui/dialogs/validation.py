"""Validation as the officer types: the service's Chinese refusal in the error label, and the
save button enabled only while the input is acceptable."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QLabel

from wqg_desktop.errors import InputRefused


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
