"""满意度调查 page: keyed entry at the key level, saved sheets, refusals, double entry."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.unit.test_assess_services import make_campaign, make_unit
from wqg_desktop.db.models import SurveySheet
from wqg_desktop.services import surveys
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.surveys import SurveysPage


@pytest.fixture
def page(ctx, qtbot):
    with ctx.acting("测试"):
        unit = make_unit("海安市公安局城东派出所")
        campaign = make_campaign([unit])
        rnd = surveys.create_round(unit=unit, campaign=campaign, started_on=dt.date(2026, 11, 2))
    widget = SurveysPage(ctx, Bus())
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, rnd


def key_sheet(qtbot, page, digits: str) -> None:
    page.grid.focus_first()
    for d in digits:
        qtbot.keyClick(page.focusWidget() or page.grid.cells[0], d)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Return)


def test_digits_and_enter_save_sheets_one_after_another(page, qtbot) -> None:
    widget, rnd = page
    assert len(widget.grid.cells) == 12
    assert widget.ui.serial_spin.value() == 1
    key_sheet(qtbot, widget, "121212312321")
    key_sheet(qtbot, widget, "111111111111")
    rows = list(SurveySheet.select(SurveySheet.serial_no, SurveySheet.answers)
                .order_by(SurveySheet.serial_no).tuples())
    assert rows == [(1, "121212312321"), (2, "111111111111")]
    assert widget.ui.serial_spin.value() == 3
    assert widget.focusWidget() is widget.grid.cells[0]
    assert widget.sheets.rowCount() == 2


def test_refused_digit_stays_and_is_explained(page, qtbot) -> None:
    widget, _rnd = page
    widget.grid.focus_first()
    qtbot.keyClick(widget.grid.cells[0], "3")  # question 1 has two options
    assert widget.grid.cells[0].text() == ""
    assert widget.focusWidget() is widget.grid.cells[0]
    assert "只有 2 个选项" in widget.ui.entry_error_label.text()
    qtbot.keyClick(widget.grid.cells[0], "1")
    qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_Return)  # 11 cells still empty
    assert "还没有录入" in widget.ui.entry_error_label.text()
    assert SurveySheet.select().count() == 0


def test_duplicate_serial_is_refused_in_the_error_line(page, qtbot) -> None:
    widget, _rnd = page
    key_sheet(qtbot, widget, "111111111111")
    widget.ui.serial_spin.setValue(1)
    key_sheet(qtbot, widget, "222222222222")
    assert "序号 1 的问卷已经录入过" in widget.ui.entry_error_label.text()
    assert SurveySheet.select().count() == 1


def test_double_entry_lists_disagreements(page, qtbot) -> None:
    widget, _rnd = page
    key_sheet(qtbot, widget, "111111111111")
    widget.ui.second_entry_check.setChecked(True)
    assert widget.ui.serial_spin.value() == 1
    key_sheet(qtbot, widget, "111112111111")
    assert SurveySheet.select().where(SurveySheet.entry == 2).count() == 1
    assert "1 份不一致" in widget.ui.double_entry_label.text()
    assert "序号1第6题" in widget.ui.double_entry_label.text()


def test_rates_shown_with_definitions(page, qtbot) -> None:
    widget, _rnd = page
    key_sheet(qtbot, widget, "121233311100")
    widget._load_rates()
    row = widget.rates.row_at(0)
    assert (row["awareness"], row["satisfaction"]) == ("50.0%", "50.0%")
    assert "满意度＝" in widget.ui.definition_label.text()
    assert widget.bars.rows() == [("海安市公安局城东派出所", 0.5, 0.5)]


def test_a_message_never_outlives_the_next_key(page, qtbot) -> None:
    widget, _rnd = page
    label = widget.ui.entry_error_label
    widget.grid.focus_first()
    qtbot.keyClick(widget.grid.cells[0], "3")  # question 1 has two options
    assert "只有 2 个选项" in label.text()
    qtbot.keyClick(widget.grid.cells[0], "x")  # a letter replaces it with what to press
    assert label.text() == "第 1 题请按数字键 1～2；未答按 0。"
    assert widget.grid.cells[0].text() == ""
    qtbot.keyClick(widget.grid.cells[0], "2")  # an accepted key clears it
    assert label.text() == "" and widget.grid.cells[0].text() == "2"
    qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_Return)
    assert "还没有录入" in label.text()
    qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_Backspace)
    assert label.text() == ""
    # the refusal of a whole sheet goes as soon as the next sheet is typed
    key_sheet(qtbot, widget, "111111111111")
    widget.ui.serial_spin.setValue(1)
    key_sheet(qtbot, widget, "111111111111")
    assert "已经录入过" in label.text()
    qtbot.keyClick(widget.grid.cells[0], "1")
    assert label.text() == ""


def _print_blank(widget, monkeypatch, tmp_path, *, cancel: bool):
    from PySide6.QtWidgets import QProgressDialog

    from wqg_desktop.printing import questionnaire
    from wqg_desktop.ui import messages

    told: list[str] = []
    steps: list[tuple[int, int, bool]] = []
    target = tmp_path / "问卷.pdf"
    monkeypatch.setattr(messages, "ask_int", lambda *a, **k: 60)
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: target)
    monkeypatch.setattr(messages, "info", lambda _p, text, *a, **k: told.append(text))
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda _self: cancel)
    build = questionnaire.build_questionnaires

    def spy(path, data, *, progress):
        def step(done, total, text):
            going = progress(done, total, text)
            steps.append((done, total, going))
            return going
        return build(path, data, progress=step)

    monkeypatch.setattr(questionnaire, "build_questionnaires", spy)
    widget.ui.print_blank_button.click()
    return target, told, steps


def test_blank_questionnaires_report_progress_then_take_their_serials(page, qtbot, monkeypatch,
                                                                       tmp_path) -> None:
    widget, rnd = page
    target, told, steps = _print_blank(widget, monkeypatch, tmp_path, cancel=False)
    assert steps[0] == (0, 120, True) and steps[-1] == (60, 120, True)
    assert [s[0] for s in steps] == sorted(s[0] for s in steps)
    assert target.stat().st_size > 0
    assert surveys.get_round(rnd.id).sheets_printed == 60
    assert told == [f"已生成序号 1 至 60 的问卷：{target}"]


def test_cancelled_blank_questionnaires_take_no_serial(page, qtbot, monkeypatch, tmp_path) -> None:
    widget, rnd = page
    target, told, steps = _print_blank(widget, monkeypatch, tmp_path, cancel=True)
    assert steps == [(0, 120, False)]
    assert not target.exists()
    assert surveys.get_round(rnd.id).sheets_printed == 0
    assert told == ["已取消：没有生成问卷，序号也没有占用。"]
