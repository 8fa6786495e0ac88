"""检查记录 and 满意度调查 fit the main window on 1366×768 at 150%: no sideways scrolling,
every button and message in sight on every tab."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QTabWidget, QWidget

from tests.ui.test_dialogs_ui import SMALL_SCREEN
from wqg_desktop.ui.main_window import MainWindow

#: what the reviewer saw cut at the right edge
LONG_ERROR = "序号 1 的问卷已经录入过，请核对问卷右上角的序号；要修改请先删除该份录入后重录。"


def _right_edge(widget: QWidget, viewport: QWidget) -> int:
    return widget.mapTo(viewport, widget.rect().topRight()).x()


@pytest.mark.parametrize("title,tabs_name", [("检查记录", "main_tabs"), ("满意度调查", "detail_tabs")])
def test_page_fits_a_small_office_screen(qtbot, demo_ctx, title: str, tabs_name: str) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(SMALL_SCREEN)
    window.show()
    qtbot.waitExposed(window)
    page = window.go_to(title)
    holder = page.parentWidget().parentWidget()
    assert isinstance(holder, QScrollArea)
    if title == "满意度调查":
        page.ui.entry_error_label.setText(LONG_ERROR)
    tabs: QTabWidget = getattr(page.ui, tabs_name)
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        qtbot.wait(20)
        room = holder.viewport()
        where = f"{title}/{tabs.tabText(index)}"
        assert page.minimumSizeHint().width() <= room.width(), (where, page.minimumSizeHint())
        assert not holder.horizontalScrollBar().isVisible(), where
        assert page.width() <= room.width(), where
        shown = [w for kind in (QAbstractButton, QLabel) for w in page.findChildren(kind)
                 if w.isVisible() and w.objectName()]
        assert len(shown) >= 8, where
        for widget in shown:
            assert _right_edge(widget, room) <= room.width(), (where, widget.objectName())
    tabs.setCurrentIndex(0)
    if title == "满意度调查":
        label = page.ui.entry_error_label
        assert label.isVisible() and label.height() >= 2 * label.fontMetrics().height()  # wrapped
    else:
        assert page.ui.count_label.text().startswith("共 ")
        assert _right_edge(page.ui.count_label, holder.viewport()) <= holder.viewport().width()
