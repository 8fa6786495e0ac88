"""The Qt Widgets user interface. The only package that imports PySide6."""

from __future__ import annotations

import sys


def _keep_none_alive() -> None:
    """PySide6 6.12 on Python 3.11 drops a reference to ``None`` it never took in many calls
    (QComboBox.addItem/itemData/currentData, QStandardItem.setData…): a few thousand per
    dialog opened on a city database. ``None`` starts with some tens of thousands, so after a
    morning's work the interpreter would abort with "deallocating None" — the officer's
    window gone. Python 3.12 made ``None`` immortal; on 3.11 it is given, once, far more
    references than any session can drop (2**40: a trillion calls)."""
    if sys.version_info < (3, 12):
        import ctypes

        # ob_refcnt is the first field of every CPython object
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


_keep_none_alive()
