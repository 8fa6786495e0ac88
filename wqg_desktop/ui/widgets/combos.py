"""Refilling a combo box from a service's choices without firing its change signal, keeping
the officer's current choice when it is still there."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtWidgets import QComboBox


def fill_combo(combo: QComboBox, items: Iterable[tuple[Any, str]], current: Any = None,
               *, blank: str | None = None) -> None:
    """``items`` are (value, label); ``blank`` adds a first entry with value None ("全部")."""
    combo.blockSignals(True)
    combo.clear()
    if blank is not None:
        combo.addItem(blank, None)
    for value, label in items:
        combo.addItem(label, value)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)
