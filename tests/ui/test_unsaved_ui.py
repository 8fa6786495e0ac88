"""Nothing the officer typed is lost: every dialog asks before Esc, 取消 or its close button
throws typed input away, never after a save, and the main window asks once for all of them.
Every dialog opens with the keyboard in its first input field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from wqg_desktop.db.models import Campaign, Inspection, PoliceType, Unit
from wqg_desktop.services import calendar, surveys
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs import unsaved
from wqg_desktop.ui.dialogs.assess_followup_dialog import FollowupDialog
from wqg_desktop.ui.dialogs.calendar_dialog import CalendarDialog
from wqg_desktop.ui.dialogs.campaign_create_dialog import CampaignCreateDialog
from wqg_desktop.ui.dialogs.campaign_edit_dialog import CampaignEditDialog
from wqg_desktop.ui.dialogs.campaign_step_dialog import CampaignStepDialog
from wqg_desktop.ui.dialogs.inspection_dialog import InspectionDialog
from wqg_desktop.ui.dialogs.office_setup import OfficeSetupDialog
from wqg_desktop.ui.dialogs.people_member import MemberDialog
from wqg_desktop.ui.dialogs.people_supervisor import SupervisorDialog
from wqg_desktop.ui.dialogs.record_consultation import RecordConsultationDialog
from wqg_desktop.ui.dialogs.regions_dialog import RegionsDialog
from wqg_desktop.ui.dialogs.reorganise_dialog import ReorganiseDialog
from wqg_desktop.ui.dialogs.settings_dialog import SettingsDialog
from wqg_desktop.ui.dialogs.survey_template_dialog import SurveyTemplateDialog
from wqg_desktop.ui.dialogs.title_actions_dialog import TitleActionsDialog
from wqg_desktop.ui.dialogs.title_record_dialog import TitleRecordDialog
from wqg_desktop.ui.dialogs.unit_detail import UnitDetailDialog
from wqg_desktop.ui.dialogs.unit_dialog import UnitDialog
from wqg_desktop.ui.main_window import MainWindow
from wqg_desktop.ui.pages.records import RecordsPage

TYPED = "测试文字"
ESC = Qt.Key.Key_Escape


def _own_unit(ctx) -> Unit:  # type: ignore[no-untyped-def]
    return Unit.select().where(Unit.owner_office == ctx.office.id).order_by(Unit.id).first()


#: the 台账 tabs with a 新增 button (取证清单 and the like only list what others record)
RECORD_KINDS = ("咨询投诉", "活动", "志愿者", "负责人培训", "百岗千村共建", "实事项目",
                "转办交办会办", "联系点与联系卡")


def _record_kind(title: str) -> Callable:
    def build(ctx, host):  # type: ignore[no-untyped-def]
        page = RecordsPage(ctx, Bus(), host)
        tabs = page.ui.tab_widget
        index = next(i for i in range(tabs.count()) if tabs.tabText(i) == title)
        tabs.setCurrentIndex(index)
        page.panels[index].ui.new_button.click()
        return page.last_dialog
    return build


def _unit_detail(ctx, host):  # type: ignore[no-untyped-def]
    dialog = UnitDetailDialog(ctx, Bus(), _own_unit(ctx).id, host)
    dialog.ui.detail_tabs.setCurrentWidget(dialog.ui.commitment_tab)
    return dialog


#: every dialog an officer types into, built as its page builds it
OPENERS: dict[str, Callable] = {
    "单位新增": lambda ctx, host: UnitDialog(ctx, parent=host),
    "单位修改": lambda ctx, host: UnitDialog(ctx, unit_id=_own_unit(ctx).id, parent=host),
    "行政区划": lambda ctx, host: RegionsDialog(ctx, host),
    "新建活动": lambda ctx, host: CampaignCreateDialog(ctx, host),
    "修改活动": lambda ctx, host: CampaignEditDialog(ctx, 1, host),
    "检查记录": lambda ctx, host: InspectionDialog(ctx, host, campaign_id=1),
    "咨询投诉": lambda ctx, host: RecordConsultationDialog(ctx, parent=host),
    **{f"台账·{title}": _record_kind(title) for title in RECORD_KINDS},
    "受理异议": lambda ctx, host: CampaignStepDialog(ctx, "object", "说明", print, parent=host),
    "处理异议": lambda ctx, host: CampaignStepDialog(ctx, "resolve", "说明", print, parent=host),
    "命名": lambda ctx, host: CampaignStepDialog(ctx, "name", "说明", print, parent=host),
    "领导小组": lambda ctx, host: MemberDialog(ctx, parent=host),
    "监督员": lambda ctx, host: SupervisorDialog(ctx, parent=host),
    "补录称号": lambda ctx, host: TitleRecordDialog(ctx, _own_unit(ctx).id, host),
    "规则参数": lambda ctx, host: SettingsDialog(ctx, host),
    "工作日历": lambda ctx, host: CalendarDialog(ctx, host),
    "调查问卷": lambda ctx, host: SurveyTemplateDialog(ctx, Campaign.get_by_id(1), host),
    "服务承诺": _unit_detail,
    "整改情况": lambda ctx, host: FollowupDialog(
        ctx, Inspection.select().where(Inspection.rectification_deadline.is_null(False)).first(),
        host),
    "不再从事青少年工作": lambda ctx, host: ReorganiseDialog(ctx, _own_unit(ctx).id, "youth_end",
                                                     parent=host),
    "称号办理": lambda ctx, host: TitleActionsDialog(ctx, host),
    "设置本办公室": lambda ctx, host: OfficeSetupDialog(host),
}


@pytest.fixture
def host(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    return widget


class Officer:
    """Answers messages.confirm: ``answer`` True is the first button (放弃修改), False the
    second (继续填写); every question is kept in ``asked``."""

    def __init__(self) -> None:
        self.answer = False
        self.asked: list[dict] = []

    def confirm(self, parent, text, *args, **kwargs) -> bool:  # type: ignore[no-untyped-def]
        self.asked.append({"text": text, **kwargs})
        return self.answer


@pytest.fixture
def officer(monkeypatch) -> Officer:
    person = Officer()
    monkeypatch.setattr(messages, "confirm", person.confirm)
    return person


def _open(qtbot, opener: Callable, ctx, host) -> unsaved.GuardedDialog:  # type: ignore[no-untyped-def]
    dialog = opener(ctx, host)
    assert isinstance(dialog, unsaved.GuardedDialog)
    if not dialog.isVisible():
        dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def _first_text_field(dialog: unsaved.GuardedDialog) -> QWidget:
    """The first place to type (top to bottom) that the guard watches."""
    watched = set(dialog.input_state())
    for widget in unsaved._in_reading_order(dialog):
        if widget in watched and isinstance(widget, QLineEdit | QPlainTextEdit) \
                and widget.isVisible() and widget.isEnabled() and not widget.isReadOnly():
            return widget
    raise AssertionError(f"{dialog.windowTitle()}：没有可输入文字的地方")


def _text(widget: QWidget) -> str:
    return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()


@pytest.mark.parametrize("name", list(OPENERS))
def test_typed_input_is_kept_or_given_up_only_when_the_officer_says(
        name, qtbot, demo_ctx, host, officer, type_chinese) -> None:
    dialog = _open(qtbot, OPENERS[name], demo_ctx, host)
    assert not dialog.unsaved_input()
    field = _first_text_field(dialog)
    type_chinese(field, TYPED)
    assert dialog.unsaved_input()

    qtbot.keyClick(field, ESC)  # answered 继续填写
    assert len(officer.asked) == 1
    assert officer.asked[0]["yes"] == "放弃修改" and officer.asked[0]["no"] == "继续填写"
    assert dialog.windowTitle() in officer.asked[0]["text"]
    assert dialog.isVisible() and TYPED in _text(field)

    officer.answer = True  # 放弃修改
    qtbot.keyClick(field, ESC)
    assert len(officer.asked) == 2
    assert not dialog.isVisible()


@pytest.mark.parametrize("name", list(OPENERS))
def test_nothing_typed_closes_without_a_question_and_opens_in_an_input(
        name, qtbot, demo_ctx, host, officer) -> None:
    dialog = _open(qtbot, OPENERS[name], demo_ctx, host)
    focus = dialog.focusWidget()
    assert focus is not None and focus.window() is dialog
    if name == "服务承诺":  # opened on the commitment tab here; its first field takes the keys
        assert focus is dialog.ui.commitment_text_edit
    else:
        assert unsaved._takes_typing(focus), (name, type(focus).__name__, focus.objectName())
    qtbot.keyClick(focus, ESC)
    assert officer.asked == []
    assert not dialog.isVisible()


def test_the_four_dialogs_the_review_named_open_in_their_first_field(qtbot, demo_ctx,
                                                                      host) -> None:
    expected = {"规则参数": "officer_edit", "修改活动": "name_edit", "检查记录": "campaign_combo"}
    for name, field in expected.items():
        dialog = _open(qtbot, OPENERS[name], demo_ctx, host)
        assert dialog.focusWidget() is getattr(dialog.ui, field), name
        dialog.reject()
    # 单位详情 opens on its facts: a table to read, not the tab bar
    detail = UnitDetailDialog(demo_ctx, Bus(), _own_unit(demo_ctx).id, host)
    detail.open()
    qtbot.waitExposed(detail)
    assert detail.focusWidget() is detail.ui.info_table
    assert isinstance(detail.focusWidget(), QAbstractItemView)


@pytest.mark.parametrize("how", ["取消", "关闭按钮"])
def test_cancel_button_and_close_button_ask_too(how, qtbot, demo_ctx, host, officer,
                                                type_chinese) -> None:
    dialog = _open(qtbot, OPENERS["单位新增"], demo_ctx, host)
    type_chinese(dialog.ui.name_edit, TYPED)
    leave = (dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Cancel).click
             if how == "取消" else dialog.close)
    leave()
    assert len(officer.asked) == 1 and dialog.isVisible()
    assert dialog.ui.name_edit.text() == TYPED
    officer.answer = True
    leave()
    assert len(officer.asked) == 2 and not dialog.isVisible()


def test_the_question_defaults_to_keep_typing(qtbot, monkeypatch, host) -> None:
    """Enter by reflex on the question keeps the text: 继续填写 is the default button."""
    seen: list[tuple[str, list[str]]] = []

    def show(box):  # type: ignore[no-untyped-def]
        seen.append((box.defaultButton().text(), [b.text() for b in box.buttons()]))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", show)
    assert unsaved.ask_discard(host) is False  # nothing clicked: kept
    assert seen == [("继续填写", ["放弃修改", "继续填写"])]


def test_saving_never_asks(qtbot, demo_ctx, host, type_chinese) -> None:
    # no confirm patched: a question would fail the test
    done: list[tuple] = []
    step = CampaignStepDialog(demo_ctx, "object", "说明", lambda *a: done.append(a), parent=host)
    step.open()
    type_chinese(step.ui.first_edit, "反映该单位接待不及时")
    step.ok_button.click()
    assert done and not step.isVisible()

    settings_dialog = _open(qtbot, OPENERS["规则参数"], demo_ctx, host)
    settings_dialog.ui.officer_edit.clear()
    type_chinese(settings_dialog.ui.officer_edit, "王警官")
    settings_dialog.save_button.click()
    assert not settings_dialog.isVisible()
    assert demo_ctx.officer == "王警官"


def test_dialogs_that_save_in_place_ask_only_about_what_is_not_saved(
        qtbot, demo_ctx, host, officer, type_chinese) -> None:
    # 工作日历: a day saved, then Esc closes without a question
    cal = _open(qtbot, OPENERS["工作日历"], demo_ctx, host)
    year = cal.year()
    before = len(calendar.days_of_year(year))
    type_chinese(cal.ui.name_edit, "测试假日")
    assert cal.unsaved_input()
    cal.ui.save_button.click()
    assert len(calendar.days_of_year(year)) == before + 1
    assert not cal.unsaved_input()
    # choosing another day or year only changes what the editor shows
    cal.ui.year_spin.setValue(year + 1)
    cal.ui.days_table.selectRow(0)
    assert not cal.unsaved_input()
    qtbot.keyClick(cal, ESC)
    assert officer.asked == [] and not cal.isVisible()

    # 调查问卷: a question saved, then Esc closes without a question
    survey = _open(qtbot, OPENERS["调查问卷"], demo_ctx, host)
    survey.start_new_question()
    type_chinese(survey.ui.text_edit, "您对民警的答复是否满意？")
    survey.ui.save_question_button.click()
    assert "您对民警的答复是否满意？" in [
        q.text for q in surveys.questions_of(surveys.campaign_templates(Campaign.get_by_id(1))[-1])]
    assert not survey.unsaved_input()
    qtbot.keyClick(survey, ESC)
    assert officer.asked == [] and not survey.isVisible()

    # 服务承诺: saved, then closed without a question
    detail = _open(qtbot, _unit_detail, demo_ctx, host)
    type_chinese(detail.ui.commitment_text_edit, "接警后五分钟内出警")
    detail.ui.commitment_save_button.click()
    assert "已保存" in detail.ui.commitment_error_label.text()
    qtbot.keyClick(detail.ui.commitment_text_edit, ESC)
    assert officer.asked == [] and not detail.isVisible()

    # 行政区划与警种: a police type added; a name typed on another tab still asks
    regions = _open(qtbot, OPENERS["行政区划"], demo_ctx, host)
    type_chinese(regions.ui.bureau_new_name_edit, "南通市公安局新区分局")
    officer.answer = True  # 新增警种？ yes
    type_chinese(regions.ui.new_type_edit, "测试警种")
    regions.add_type()
    assert PoliceType.get_or_none(PoliceType.name == "测试警种") is not None
    asked_before = len(officer.asked)
    officer.answer = False
    qtbot.keyClick(regions, ESC)
    assert len(officer.asked) == asked_before + 1 and "行政区划与警种" in officer.asked[-1]["text"]
    assert regions.isVisible()
    regions.ui.bureau_new_name_edit.clear()
    qtbot.keyClick(regions, ESC)
    assert len(officer.asked) == asked_before + 1 and not regions.isVisible()


def test_inspection_scores_count_as_typed(qtbot, demo_ctx, host, officer) -> None:
    dialog = _open(qtbot, OPENERS["检查记录"], demo_ctx, host)
    assert dialog.model.items, "the demo campaign has a checklist"
    dialog.ui.full_marks_button.click()
    assert dialog.unsaved_input()
    qtbot.keyClick(dialog, ESC)
    assert len(officer.asked) == 1 and dialog.isVisible()


def test_main_window_asks_once_naming_the_dialogs(qtbot, demo_ctx, officer,
                                                  type_chinese) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    untouched = SettingsDialog(demo_ctx, window.go_to("系统设置"))
    untouched.open()
    units = window.go_to("单位名册")
    units.ui.add_button.click()
    unit_dialog = units._dialog
    qtbot.waitExposed(unit_dialog)
    type_chinese(unit_dialog.ui.name_edit, TYPED)
    member = MemberDialog(demo_ctx, parent=window)
    member.open()
    type_chinese(member.ui.name_edit, "张三")

    assert window.close() is False  # 继续填写
    assert len(officer.asked) == 1
    question = officer.asked[0]["text"]
    assert "“新增单位”" in question and "“添加领导小组成员”" in question
    assert "修改规则参数" not in question  # nothing typed there
    assert officer.asked[0]["yes"] == "放弃修改并退出" and officer.asked[0]["no"] == "继续填写"
    assert window.isVisible() and unit_dialog.isVisible()
    assert unit_dialog.ui.name_edit.text() == TYPED

    officer.answer = True
    assert window.close() is True
    assert len(officer.asked) == 2
    unit_dialog.close()  # agreed once: closing them afterwards does not ask again
    member.close()
    assert len(officer.asked) == 2


def test_main_window_closes_without_a_question_when_nothing_is_typed(qtbot, demo_ctx,
                                                                     officer) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    dialog = MemberDialog(demo_ctx, parent=window)
    dialog.open()
    assert window.close() is True
    assert officer.asked == []


def test_looking_at_a_dialog_takes_no_reference_to_none_it_does_not_give_back(
        qtbot, demo_ctx, host, type_chinese) -> None:
    """PySide6 6.12 on Python 3.11 drops a reference to None for each None some calls answer
    (currentData() of a “（请选择）” item, focusWidget() of a window without one); the guard
    runs on every open and every Esc, so it must make none of those calls."""
    import sys

    dialog = _open(qtbot, OPENERS["单位新增"], demo_ctx, host)
    type_chinese(dialog.ui.name_edit, TYPED)
    assert dialog.ui.region_combo.currentIndex() == 0  # “（请选择）”, whose data is None
    before = sys.getrefcount(None)
    for _ in range(200):
        dialog.input_state()
        dialog.unsaved_input()
        dialog.first_input()
    # a few may come and go with other objects; the calls would drop hundreds
    assert sys.getrefcount(None) >= before - 20


def test_a_closed_dialog_does_not_check_its_fields_afterwards(qtbot, demo_ctx, host, officer,
                                                              type_chinese) -> None:
    # typed, then given up at once: the pause-in-typing check must not run on a closed dialog
    # (it reads the database, which may be closed by then)
    dialog = _open(qtbot, OPENERS["单位新增"], demo_ctx, host)
    type_chinese(_first_text_field(dialog), TYPED)
    assert dialog._check.isActive()
    officer.answer = True
    dialog.reject()
    assert not dialog.isVisible() and not dialog._check.isActive()
