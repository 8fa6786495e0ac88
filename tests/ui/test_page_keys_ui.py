"""Keyboard on the pages: no empty Tab stop around a page, Enter opens a row as a double-click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea

from wqg_desktop.ui.bus import Bus


def test_the_scroll_area_holding_a_page_is_no_tab_stop(qtbot, demo_ctx) -> None:
    from wqg_desktop.ui.main_window import MainWindow

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    holders = [window.ui.page_stack.widget(i) for i in range(window.ui.page_stack.count())]
    assert len(holders) == len(window.pages)
    assert all(isinstance(h, QScrollArea) for h in holders)
    assert all(h.focusPolicy() == Qt.FocusPolicy.NoFocus for h in holders)
    # Tab from the navigation goes into the page itself
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.go_to("单位名册")
    window.ui.nav_list.setFocus()
    qtbot.keyClick(window.ui.nav_list, Qt.Key.Key_Tab)
    focused = window.focusWidget()
    assert focused is not None and not isinstance(focused, QScrollArea)
    assert window.pages[1].isAncestorOf(focused)
    # scroll areas that hold content, not a page, keep their focus (tables scroll by keys)
    tables = [w for w in window.pages[1].findChildren(QAbstractScrollArea) if w.isVisible()]
    assert any(t.focusPolicy() != Qt.FocusPolicy.NoFocus for t in tables)


def _enter_and_double_click(qtbot, table, opened: list[str]) -> None:
    table.setFocus()
    table.selectRow(0)
    assert table.currentIndex().isValid()
    qtbot.keyClick(table.viewport(), Qt.Key.Key_Return)
    assert len(opened) == 1, "Enter"
    rect = table.visualRect(table.currentIndex())
    # a real double-click: press, release, then the double-click press
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 1, "a single click opens nothing"
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(opened) == 2, "a double-click opens once"


@pytest.mark.parametrize("where", ["units", "candidates", "campaigns", "inspections", "records",
                                   "members", "supervisors"])
def test_enter_opens_the_row_as_a_double_click_does(qtbot, demo_ctx, monkeypatch, where) -> None:
    from wqg_desktop.ui.pages import (
        campaigns,
        inspections,
        people_leading,
        people_supervisors,
        records,
        records_panel,
        units,
    )

    opened: list[str] = []
    cls, method, table_name = {
        "units": (units.UnitsPage, "open_detail", "units_table"),
        "candidates": (campaigns.CampaignsPage, "score", "candidates_table"),
        "campaigns": (campaigns.CampaignsPage, "edit_campaign", "campaigns_table"),
        "inspections": (inspections.InspectionsPage, "_edit", "inspections_table"),
        "records": (records_panel.RecordsListPanel, "edit", "records_table"),
        "members": (people_leading.LeadingGroupPanel, "edit_member", "members_table"),
        "supervisors": (people_supervisors.SupervisorsPanel, "edit_supervisor",
                        "supervisors_table"),
    }[where]
    # patched before the page is built: the page wires the method it finds then
    monkeypatch.setattr(cls, method, lambda _self, *a: opened.append(where))
    built = (records.RecordsPage if cls is records_panel.RecordsListPanel else cls)(demo_ctx, Bus())
    qtbot.addWidget(built)
    built.resize(1000, 700)
    built.show()
    qtbot.waitExposed(built)
    built.refresh() if hasattr(built, "refresh") else built.load()
    holder = built
    if where == "records":  # the first kind with rows in the demo
        index, holder = next((i, p) for i, p in enumerate(built.panels) if p.model.rowCount())
        built.ui.tab_widget.setCurrentIndex(index)
    table = getattr(holder.ui, table_name)
    assert table.model().rowCount() > 0, f"the demo has rows in {where}"
    _enter_and_double_click(qtbot, table, opened)
