"""UI test fixtures: a demo database per test, and no modal may ever block a test."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from wqg_desktop.app import AppContext

DEMO_TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo = pytest.importorskip("wqg_desktop.services.demo")
    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite3"
    with AppContext.open(path, clock=lambda: DEMO_TODAY):
        demo.build_demo(today=DEMO_TODAY)
    return path


@pytest.fixture
def demo_ctx(demo_template: Path, tmp_path: Path):
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    ctx = AppContext.open(path, clock=lambda: DEMO_TODAY)
    yield ctx
    ctx.close()


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
