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
def discard_typed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer “放弃修改” when a dialog asks before throwing typed input away (other questions
    still fail the test unless patched); the questions asked, to assert on."""
    from wqg_desktop.ui import messages
    from wqg_desktop.ui.dialogs import unsaved

    asked: list[str] = []
    ask_others = messages.confirm

    def confirm(parent, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("yes") == unsaved.DISCARD:
            asked.append(text)
            return True
        return ask_others(parent, text, *args, **kwargs)

    monkeypatch.setattr(messages, "confirm", confirm)
    return asked


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item):  # type: ignore[no-untyped-def]
    """A test is over: what it typed into a dialog it left open goes without the question
    "放弃…？" that pytest-qt's closing would otherwise raise (before any fixture teardown).
    Tests of that question ask it in their own body."""
    from wqg_desktop.ui.dialogs import unsaved

    for dialog in unsaved.open_dialogs():
        dialog.mark_clean()
    return (yield)


@pytest.fixture
def backend() -> str:
    """The user interface is tested on SQLite; the services under it run on both engines."""
    return "sqlite"
