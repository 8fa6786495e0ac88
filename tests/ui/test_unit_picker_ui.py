"""Unit pickers find a unit by any part of its name or its pinyin initials, as the register's
search box does, and always show the unit they hold."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from wqg_desktop.db.models import PoliceType, Region, Unit
from wqg_desktop.services.office import this_office
from wqg_desktop.ui.dialogs.record_consultation import RecordConsultationDialog
from wqg_desktop.ui.widgets.combos import UnitChoices, UnitSearch, fill_combo

NAMES = ["海安市公安局城东派出所", "海安市公安局城西派出所", "如皋市公安局城东派出所",
         "海安市公安局角斜派出所"]


@pytest.fixture
def units(ctx) -> dict[str, Unit]:
    return {name: Unit.create(owner_office=this_office(), name=name, name_key=name,
                              region=Region.get(Region.name == "海安市"),
                              police_type=PoliceType.get(PoliceType.name == "治安"))
            for name in NAMES}


def _popup_names(search: UnitSearch) -> list[str]:
    return search.model.stringList() if search.completer.popup().isVisible() else []


def test_typing_part_of_a_name_lists_and_enter_takes_it(qtbot, ctx, units, type_chinese) -> None:
    dialog = RecordConsultationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.ui.unit_combo
    search = combo.findChild(UnitSearch)
    assert search is not None and combo.isEditable()
    assert combo.currentData() is None and combo.lineEdit().text() == ""
    assert combo.lineEdit().placeholderText() == "（请选择单位）"
    type_chinese(combo.lineEdit(), "城东")
    assert sorted(_popup_names(search)) == ["如皋市公安局城东派出所", "海安市公安局城东派出所"]
    popup = search.completer.popup()
    assert popup.currentIndex().row() == 0  # Enter takes the first without an arrow key
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    second = search.model.stringList()[1]
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert combo.currentData() == units[second].id
    assert combo.lineEdit().text() == second
    assert dialog.isVisible()  # Enter in the list chose the unit; it did not press 保存


def test_pinyin_initials_find_the_unit(qtbot, ctx, units) -> None:
    dialog = RecordConsultationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    combo = dialog.ui.unit_combo
    search = combo.findChild(UnitSearch)
    combo.lineEdit().setFocus()
    qtbot.keyClicks(combo.lineEdit(), "jxpcs")  # 角斜派出所
    assert _popup_names(search) == ["海安市公安局角斜派出所"]
    qtbot.keyClick(search.completer.popup(), Qt.Key.Key_Return)
    assert combo.currentData() == units["海安市公安局角斜派出所"].id
    # contiguous initials in any case, as the register's search box takes them
    assert search.matching_rows("HASGAJCD") == [combo.findData(units["海安市公安局城东派出所"].id)]


def test_text_not_taken_goes_back_to_the_chosen_unit(qtbot, ctx, units, type_chinese) -> None:
    dialog = RecordConsultationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):  # focus moves only in the active window
        dialog.activateWindow()
    combo = dialog.ui.unit_combo
    combo.setCurrentIndex(combo.findData(units["海安市公安局城西派出所"].id))
    assert combo.lineEdit().text() == "海安市公安局城西派出所"
    type_chinese(combo.lineEdit(), "没有这个单位")
    search = combo.findChild(UnitSearch)
    assert _popup_names(search) == []
    dialog.ui.handler_edit.setFocus()  # leaves the field
    assert combo.lineEdit().text() == "海安市公安局城西派出所"
    assert combo.currentData() == units["海安市公安局城西派出所"].id
    # a field left empty takes the blank entry again
    combo.lineEdit().setFocus()
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Backspace)
    assert _popup_names(search) == []  # an empty field lists nothing
    dialog.ui.handler_edit.setFocus()
    assert combo.currentData() is None and combo.lineEdit().text() == ""
    # the blank's words set by code go back to the placeholder, too
    combo.setCurrentIndex(0)
    assert combo.lineEdit().text() == ""


def test_combos_built_in_code_search_when_filled_with_unit_choices(qtbot, ctx, units) -> None:
    plain, picker = QComboBox(), QComboBox()
    for combo in (plain, picker):
        qtbot.addWidget(combo)
    choices = [(u.id, u.name) for u in units.values()]
    fill_combo(plain, choices)
    fill_combo(picker, UnitChoices(choices), blank="全部")
    assert not plain.isEditable() and plain.findChild(UnitSearch) is None
    search = picker.findChild(UnitSearch)
    assert picker.isEditable() and search is not None
    assert [picker.itemText(r) for r in search.matching_rows("城西")] == ["海安市公安局城西派出所"]
    # refilled: the rows searched follow, and no second search is attached
    fill_combo(picker, UnitChoices(choices[:1]), blank="全部")
    assert len(picker.findChildren(UnitSearch)) == 1
    assert [picker.itemText(r) for r in search.matching_rows("派出所")] == [NAMES[0]]
