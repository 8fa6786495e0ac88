"""No two Alt+letter mnemonics that can be on screen together in one window share a letter.

An ambiguous Alt+S only moves the focus between its owners and never presses the button
(检查记录 › 检查计划 had 创建标准(&S) and 随机编号(&S)). Widgets on different pages of a tab or
stacked widget are never shown together, so they may share; tab titles are always shown.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QStackedWidget,
    QTabBar,
    QWidget,
)

from wqg_desktop import paths
from wqg_desktop.ui.forms import load_form

_MNEMONIC = re.compile(r"&([^&\s])")
FORMS = sorted(paths.forms_dir().glob("*.ui"))


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).upper() if found else None


def _scope(widget: QWidget, window: QWidget) -> tuple | None:
    """(stack, page) pairs above ``widget``; None when it is hidden on purpose."""
    pages = []
    node = widget
    while node is not None and node is not window:
        parent = node.parentWidget()
        if isinstance(parent, QStackedWidget):
            pages.append((id(parent), id(node)))
        elif node.isHidden():
            return None
        node = parent
    return tuple(pages)


def _mnemonics(window: QWidget) -> list[tuple[str, str, tuple]]:
    """(letter, what, scope) of every mnemonic in ``window`` that can be shown."""
    found = []
    for widget in window.findChildren(QWidget):
        scope = _scope(widget, window)
        if scope is None:
            continue
        texts: list[tuple[str, str]] = []
        if isinstance(widget, QAbstractButton) or (isinstance(widget, QLabel)
                                                   and widget.buddy() is not None):
            texts.append((widget.text(), widget.objectName() or widget.text()))
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            texts.append((widget.title(), widget.objectName()))
        elif isinstance(widget, QTabBar):
            texts += [(widget.tabText(i), f"tab {widget.tabText(i)}")
                      for i in range(widget.count()) if widget.isTabVisible(i)]
        for text, what in texts:
            letter = _letter(text)
            if letter:
                found.append((letter, what, scope))
    return found


def _compatible(a: tuple, b: tuple) -> bool:
    """Both can be on screen at once: wherever they share a stack, they are on one page."""
    pages_a, pages_b = dict(a), dict(b)
    return all(pages_a[s] == pages_b[s] for s in pages_a.keys() & pages_b.keys())


def clashes(window: QWidget) -> list[str]:
    items = _mnemonics(window)
    return [f"Alt+{x[0]}: {x[1]} / {y[1]}"
            for i, x in enumerate(items) for y in items[i + 1:]
            if x[0] == y[0] and _compatible(x[2], y[2])]


def test_the_check_finds_a_clash(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    ui = load_form("inspections_page", host)
    assert clashes(host) == []
    ui.seed_caption.setText("随机编号(&S)：")  # as it was
    assert clashes(host) == ["Alt+S: standards_button / seed_caption"]
    ui.seed_caption.setText("随机编号(&P)：")  # on another tab than 打印检查记录(&P): fine
    ui.print_record_button.setText("打印检查记录(&P)…")
    assert clashes(host) == ["Alt+P: seed_caption / plan_button"]


@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.stem)
def test_every_form_has_unique_mnemonics(qtbot, form: Path) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    load_form(form.stem, host)
    assert clashes(host) == []


def test_every_page_in_the_window_has_unique_mnemonics(qtbot, demo_ctx) -> None:
    from wqg_desktop.ui.main_window import MainWindow

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    for page in window.pages:
        page.refresh()
    assert clashes(window) == []


def test_tabbed_dialogs_have_unique_mnemonics_and_tab_letters(qtbot, demo_ctx) -> None:
    from wqg_desktop.db.models import Unit
    from wqg_desktop.ui.bus import Bus
    from wqg_desktop.ui.dialogs.inspection_dialog import InspectionDialog
    from wqg_desktop.ui.dialogs.regions_dialog import RegionsDialog
    from wqg_desktop.ui.dialogs.unit_detail import UnitDetailDialog

    unit = Unit.select().first()
    for dialog in (InspectionDialog(demo_ctx), RegionsDialog(demo_ctx),
                   UnitDetailDialog(demo_ctx, Bus(), unit.id)):
        qtbot.addWidget(dialog)
        assert clashes(dialog) == [], type(dialog).__name__
        for bar in dialog.findChildren(QTabBar):
            assert all(_letter(bar.tabText(i)) for i in range(bar.count())), type(dialog).__name__
    # Alt+3 goes to the third tab (the keys the tab titles show)
    dialog = UnitDetailDialog(demo_ctx, Bus(), unit.id)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    bar = dialog.findChild(QTabBar)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert bar.currentIndex() == 2


def test_record_dialogs_have_unique_mnemonics(qtbot, demo_ctx) -> None:
    from wqg_desktop.ui.bus import Bus
    from wqg_desktop.ui.pages.records import RecordsPage

    page = RecordsPage(demo_ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    seen = set()
    for index, panel in enumerate(page.panels):
        if not panel.kind.can_new:
            continue
        page.ui.tab_widget.setCurrentIndex(index)
        panel.ui.new_button.click()
        dialog = page.last_dialog
        assert dialog is not None and id(dialog) not in seen, panel.kind.title
        seen.add(id(dialog))
        assert clashes(dialog) == [], panel.kind.title
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dialog.reject()
    assert len(seen) >= 5
