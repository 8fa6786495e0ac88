"""Every message box and file picker goes through here, so tests can replace them in one place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

TITLE = "维权岗"


def info(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    QMessageBox.warning(parent, title, text)


def error(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    QMessageBox.critical(parent, title, text)


def confirm(parent: QWidget | None, text: str, title: str = TITLE, *, yes: str = "确定",
            no: str = "取消", default_yes: bool = True) -> bool:
    """``default_yes=False`` where Enter by reflex must not do it (throwing away typed text)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button if default_yes else no_button)
    box.exec()
    return box.clickedButton() is yes_button


def save_file(parent: QWidget | None, caption: str, suggested: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return Path(name) if name else None


def open_file(parent: QWidget | None, caption: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, caption, "", filters)
    return Path(name) if name else None


def ask_text(parent: QWidget | None, text: str, title: str = TITLE, *, default: str = "") -> str | None:
    """A one-line answer (e.g. the reason for a choice to be logged); ``None`` when cancelled."""
    answer, ok = QInputDialog.getText(parent, title, text, text=default)
    return answer if ok else None


def ask_int(parent: QWidget | None, text: str, title: str = TITLE, *, value: int = 1,
            minimum: int = 1, maximum: int = 9999) -> int | None:
    """A whole number (e.g. how many copies to print); ``None`` when cancelled."""
    answer, ok = QInputDialog.getInt(parent, title, text, value, minimum, maximum)
    return answer if ok else None


def ask_password(parent: QWidget | None, text: str, title: str = TITLE) -> str | None:
    """A password typed without echo; ``None`` when cancelled."""
    from PySide6.QtWidgets import QLineEdit

    answer, ok = QInputDialog.getText(parent, title, text, QLineEdit.EchoMode.Password)
    return answer if ok else None


def choose_folder(parent: QWidget | None, caption: str) -> Path | None:
    """A folder (e.g. on a USB stick); ``None`` when cancelled."""
    name = QFileDialog.getExistingDirectory(parent, caption, "")
    return Path(name) if name else None
