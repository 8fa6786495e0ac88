"""调查问卷 dialog, opened from the 满意度调查 page: edit before sheets exist, locked after."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.unit.test_assess_services import make_campaign, make_unit
from wqg_desktop.db.models import SurveyQuestion
from wqg_desktop.services import surveys
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.surveys import SurveysPage

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def page(ctx, qtbot):
    with ctx.acting("测试"):
        unit = make_unit("海安市公安局城东派出所")
        campaign = make_campaign([unit])
    widget = SurveysPage(ctx, Bus())
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, campaign, unit


def open_dialog(qtbot, widget):
    qtbot.mouseClick(widget.ui.template_button, CLICK)
    dialog = widget.template_dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_default_questionnaire_edited_before_any_sheet(page, qtbot, type_chinese) -> None:
    widget, campaign, _unit = page
    dialog = open_dialog(qtbot, widget)
    template = surveys.campaign_template(campaign)
    assert dialog.model.rowCount() == len(surveys.DEFAULT_QUESTIONS)
    assert not dialog.ui.lock_label.isVisible() and dialog.ui.editor_widget.isEnabled()
    # the first question becomes a satisfaction question: its options are fixed for it
    dialog.ui.questions_table.selectRow(0)
    dialog.ui.kind_combo.setCurrentIndex(dialog.ui.kind_combo.findData(surveys.SATISFACTION))
    assert dialog.ui.options_edit.text() == "满意、基本满意、不满意"
    assert dialog.ui.options_edit.isReadOnly()
    dialog.ui.text_edit.clear()
    type_chinese(dialog.ui.text_edit, "您对本单位的接待环境是否满意？")
    qtbot.mouseClick(dialog.ui.save_question_button, CLICK)
    first = surveys.questions_of(template)[0]
    assert (first.kind, first.text) == (surveys.SATISFACTION, "您对本单位的接待环境是否满意？")
    assert surveys.options_of(first) == surveys.SATISFY


def test_new_profile_question_keyed_in_and_naming_refused(page, qtbot, type_chinese,
                                                          monkeypatch) -> None:
    widget, campaign, _unit = page
    dialog = open_dialog(qtbot, widget)
    qtbot.mouseClick(dialog.ui.new_question_button, CLICK)
    dialog.ui.kind_combo.setCurrentIndex(dialog.ui.kind_combo.findData(surveys.PROFILE))
    type_chinese(dialog.ui.text_edit, "您的姓名")
    dialog.ui.options_edit.clear()
    type_chinese(dialog.ui.options_edit, "愿意填写、不愿填写")
    assert "不能询问姓名" in dialog.ui.error_label.text()
    assert not dialog.ui.save_question_button.isEnabled()
    dialog.ui.text_edit.clear()
    type_chinese(dialog.ui.text_edit, "您的年级")
    dialog.ui.options_edit.clear()
    type_chinese(dialog.ui.options_edit, "初一、初二、初三")
    assert dialog.ui.error_label.text() == ""
    qtbot.keyClick(dialog.ui.options_edit, Qt.Key.Key_Return)  # Enter saves
    added = SurveyQuestion.get(SurveyQuestion.text == "您的年级")
    assert surveys.options_of(added) == ["初一", "初二", "初三"]
    assert surveys.questions_of(surveys.campaign_template(campaign))[-1].id == added.id
    qtbot.mouseClick(dialog.ui.up_button, CLICK)
    assert surveys.questions_of(surveys.campaign_template(campaign))[-2].id == added.id
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    qtbot.mouseClick(dialog.ui.delete_question_button, CLICK)
    assert SurveyQuestion.get_or_none(SurveyQuestion.id == added.id) is None


def test_locked_once_sheets_exist_and_copied_as_new_version(page, qtbot) -> None:
    widget, campaign, unit = page
    with widget.ctx.acting("测试"):
        rnd = surveys.create_round(unit=unit, campaign=campaign, started_on=dt.date(2026, 11, 2))
        surveys.save_sheet(round_id=rnd.id, serial_no=1, answers="1" * 12)
    dialog = open_dialog(qtbot, widget)
    assert "已经锁定" in dialog.ui.lock_label.text()
    assert "1 份答卷" in dialog.ui.lock_label.text()
    assert not dialog.ui.editor_widget.isEnabled()
    qtbot.mouseClick(dialog.ui.version_button, CLICK)
    assert dialog.ui.template_combo.count() == 2
    assert dialog.ui.template_combo.currentData() != rnd.template_id
    assert dialog.ui.editor_widget.isEnabled() and not dialog.ui.lock_label.isVisible()
    assert surveys.campaign_template(campaign).id == dialog.ui.template_combo.currentData()
    dialog.ui.template_combo.setCurrentIndex(0)  # the old version stays read-only
    assert not dialog.ui.editor_widget.isEnabled()
