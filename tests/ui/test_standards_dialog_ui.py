"""创建标准 dialog, opened from the 检查记录 page and driven as an officer would."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.unit.test_assess_services import full_scores, make_campaign, make_unit
from wqg_desktop.db.models import LeadingGroupMember, Standard, StandardItem
from wqg_desktop.services import inspections, standards
from wqg_desktop.services.office import this_office
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.inspections import InspectionsPage

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def page(ctx, qtbot):
    with ctx.acting("测试"):
        unit = make_unit("海安市公安局城东派出所")
        campaign = make_campaign([unit])
        LeadingGroupMember.create(owner_office=this_office(), role="leader", name="周一鸣",
                                  employer="海安市公安局", post="副局长")
    widget = InspectionsPage(ctx, Bus())
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    qtbot.waitExposed(widget)
    widget.ui.campaign_combo.setCurrentIndex(widget.ui.campaign_combo.findData(campaign.id))
    return widget, campaign, unit


def open_dialog(qtbot, widget):
    qtbot.mouseClick(widget.ui.standards_button, CLICK)
    dialog = widget.standards_dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_copy_the_default_then_change_a_weight_and_rule(page, qtbot, type_chinese) -> None:
    widget, campaign, _unit = page
    dialog = open_dialog(qtbot, widget)
    assert dialog.ui.seed_button.isVisible()
    assert "还没有自己的创建标准" in dialog.ui.frozen_label.text()
    assert not dialog.ui.editor_widget.isEnabled()
    qtbot.mouseClick(dialog.ui.seed_button, CLICK)
    assert not dialog.ui.seed_button.isVisible()
    assert dialog.ui.standard_combo.count() == len(standards.campaign_standards(campaign)) > 1
    assert dialog.ui.editor_widget.isEnabled()
    assert "分值合计 100" in dialog.ui.total_label.text()
    dialog.ui.items_table.selectRow(1)
    spin = dialog.ui.weight_spin
    spin.selectAll()
    qtbot.keyClicks(spin, "15")
    dialog.ui.rule_edit.clear()
    type_chinese(dialog.ui.rule_edit, "查阅卷宗：无违规的得满分。")
    qtbot.mouseClick(dialog.ui.save_item_button, CLICK)
    basic = standards.campaign_standards(campaign)[0]
    second = standards.items_of(basic)[1]
    assert (second.weight, second.scoring_rule) == (15, "查阅卷宗：无违规的得满分。")
    assert "分值合计 105" in dialog.ui.total_label.text()
    # emptying the text is refused as it is typed
    dialog.ui.text_edit.clear()
    assert "请填写标准条目的内容" in dialog.ui.error_label.text()
    assert not dialog.ui.save_item_button.isEnabled()


def test_add_an_item_with_the_keyboard_and_delete_it(page, qtbot, type_chinese,
                                                     monkeypatch) -> None:
    widget, campaign, _unit = page
    with widget.ctx.acting("测试"):
        standards.seed_campaign_standards(campaign=campaign)
    dialog = open_dialog(qtbot, widget)
    before = StandardItem.select().count()
    qtbot.mouseClick(dialog.ui.new_item_button, CLICK)
    type_chinese(dialog.ui.text_edit, "负责人参加命名单位组织的培训。")
    dialog.ui.weight_spin.selectAll()
    qtbot.keyClicks(dialog.ui.weight_spin, "5")
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.ui.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    added = StandardItem.get(StandardItem.text == "负责人参加命名单位组织的培训。")
    assert (added.weight, StandardItem.select().count()) == (5, before + 1)
    assert dialog.model.row_at(dialog.ui.items_table.currentIndex().row())["id"] == added.id
    answers = iter([False, True])
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: next(answers))
    qtbot.mouseClick(dialog.ui.delete_item_button, CLICK)  # declined
    assert StandardItem.get_or_none(StandardItem.id == added.id) is not None
    qtbot.mouseClick(dialog.ui.delete_item_button, CLICK)
    assert StandardItem.get_or_none(StandardItem.id == added.id) is None


def test_frozen_standard_is_read_only_and_copied_as_a_new_version(page, qtbot) -> None:
    widget, campaign, unit = page
    standard, items = inspections.checklist(campaign, unit)
    with widget.ctx.acting("测试"):
        inspections.save_inspection(unit=unit, campaign=campaign, on=dt.date(2026, 5, 6),
                                    inspectors=["周一鸣"], scores=full_scores(items))
    dialog = open_dialog(qtbot, widget)
    combo = dialog.ui.standard_combo
    combo.setCurrentIndex(combo.findData(standard.id))
    assert "已冻结" in combo.currentText()
    assert "已被 1 次检查记录逐项评分使用" in dialog.ui.frozen_label.text()
    assert not dialog.ui.editor_widget.isEnabled()
    assert dialog.ui.version_button.isVisible()
    qtbot.mouseClick(dialog.ui.version_button, CLICK)
    copy = Standard.get_by_id(combo.currentData())
    assert copy.id != standard.id and copy.name.endswith("（第2版）")
    assert dialog.ui.editor_widget.isEnabled() and not dialog.ui.frozen_label.isVisible()
    assert standards.standard_for(campaign, unit.police_type_id).id == copy.id
    assert "已被新版本取代" in combo.itemText(combo.findData(standard.id))


def test_no_campaign_chosen_is_explained(page, qtbot, monkeypatch) -> None:
    widget, _campaign, _unit = page
    told = []
    monkeypatch.setattr(messages, "info", lambda _p, text, *a, **k: told.append(text))
    widget.ui.campaign_combo.setCurrentIndex(0)  # 全部活动
    qtbot.mouseClick(widget.ui.standards_button, CLICK)
    assert widget.standards_dialog is None
    assert "请先在上方选择一个创建活动" in told[0]
