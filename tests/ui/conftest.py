"""UI test fixtures: no modal may ever block a test; Chinese typed through the input method."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox


@pytest.fixture
def type_chinese():
    return _type_chinese


def _type_chinese(widget, text: str) -> None:
    """Chinese arrives through the input method as a committed string, not as key presses
    (QTest.keyClicks cannot synthesise keys for CJK characters)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


class UnexpectedModal(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_unpatched_modals(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal nobody patched fails the test at once instead of hanging it."""

    def refuse(*args, **kwargs):
        raise UnexpectedModal(f"unpatched modal dialog: {args[1:3] if len(args) > 2 else args}")

    for name in ("information", "warning", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
    monkeypatch.setattr(QMessageBox, "exec", refuse)
    monkeypatch.setattr(QDialog, "exec", refuse)
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse))


@pytest.fixture
def backend() -> str:
    """The user interface is tested on SQLite; the services under it run on both engines."""
    return "sqlite"
