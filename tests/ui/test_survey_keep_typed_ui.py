"""满意度调查: a half-typed questionnaire survives the page's refreshes.

Change notices come after any edit elsewhere (and every few seconds from the change poller when
another officer edits on a shared server); they reload the lists around the sheet, never the
sheet being keyed. Only the officer's own move to another batch gives it up, after asking.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.unit.test_assess_services import make_campaign, make_unit
from wqg_desktop.db.models import SurveyRound, SurveySheet
from wqg_desktop.services import surveys
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.surveys import SurveysPage


@pytest.fixture
def page(ctx, qtbot):
    with ctx.acting("测试"):
        east = make_unit("海安市公安局城东派出所")
        west = make_unit("海安市公安局城西派出所")
        campaign = make_campaign([east, west])
        first = surveys.create_round(unit=east, campaign=campaign, started_on=dt.date(2026, 11, 2))
        second = surveys.create_round(unit=west, campaign=campaign, started_on=dt.date(2026, 11, 3))
    bus = Bus()
    widget = SurveysPage(ctx, bus)
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget._round_id == first.id
    return widget, bus, first, second


def type_digits(qtbot, widget, digits: str) -> None:
    widget.grid.focus_first()
    for d in digits:
        qtbot.keyClick(widget.focusWidget(), d)


def answers(widget) -> str:
    return widget.grid.answers().rstrip()


def asked(monkeypatch, answer: bool) -> list[str]:
    questions: list[str] = []

    def confirm(_parent, text, *a, **k):
        questions.append(text)
        return answer

    monkeypatch.setattr(messages, "confirm", confirm)
    return questions


def test_change_notices_keep_the_sheet_being_typed(page, qtbot, monkeypatch) -> None:
    widget, bus, first, _second = page
    questions = asked(monkeypatch, True)
    widget.ui.serial_spin.setValue(7)
    type_digits(qtbot, widget, "12121")
    cells = list(widget.grid.cells)
    for entity in ("Unit", "SurveyRound", "Candidate", "Campaign", "SurveyQuestion", "*"):
        bus.notify(entity)
        assert answers(widget) == "12121", entity
    widget.refresh()  # what the change poller's notices come down to
    assert widget.grid.cells == cells  # the same cells: not rebuilt
    assert answers(widget) == "12121"
    assert widget.ui.serial_spin.value() == 7
    assert widget.focusWidget() is widget.grid.cells[5]  # the cursor stays where it was
    assert widget._round_id == first.id
    assert widget.ui.rounds_table.currentIndex().row() == 0
    assert questions == []
    # the sheet is finished and saved as if nothing had happened
    for d in "1233311":
        qtbot.keyClick(widget.focusWidget(), d)
    qtbot.keyClick(widget.focusWidget(), Qt.Key.Key_Return)
    assert (list(SurveySheet.select(SurveySheet.round, SurveySheet.serial_no, SurveySheet.answers)
                 .tuples()) == [(first.id, 7, "121211233311")])
    assert answers(widget) == "" and widget.ui.serial_spin.value() == 8
    assert widget.rounds.row_at(0).entered == 1


def test_refresh_with_nothing_typed_follows_the_serials_of_others(page, qtbot) -> None:
    widget, bus, first, _second = page
    assert widget.ui.serial_spin.value() == 1
    surveys.save_sheet(round_id=first.id, serial_no=1, answers="1" * 12)  # another officer
    bus.notify("SurveyRound")
    assert widget.ui.serial_spin.value() == 2
    assert widget.sheets.rowCount() == 1


def test_picking_another_batch_asks_and_can_keep_the_sheet(page, qtbot, monkeypatch) -> None:
    widget, _bus, first, second = page
    questions = asked(monkeypatch, False)
    type_digits(qtbot, widget, "212")
    widget.ui.rounds_table.selectRow(1)
    qtbot.waitUntil(lambda: widget.ui.rounds_table.currentIndex().row() == 0)
    assert len(questions) == 1 and "已录入 3 题" in questions[0]
    assert widget._round_id == first.id and answers(widget) == "212"
    # the unit filter that would hide the batch is put back, too
    widget.ui.unit_combo.setCurrentIndex(widget.ui.unit_combo.findData(second.unit_id))
    assert len(questions) == 2
    assert widget.ui.unit_combo.currentData() is None
    assert widget._round_id == first.id and answers(widget) == "212"
    # so is the switch to the second keying
    widget.ui.second_entry_check.setChecked(True)
    assert len(questions) == 3 and not widget.ui.second_entry_check.isChecked()
    assert answers(widget) == "212"


def test_picking_another_batch_gives_the_sheet_up_when_agreed(page, qtbot, monkeypatch) -> None:
    widget, _bus, _first, second = page
    questions = asked(monkeypatch, True)
    type_digits(qtbot, widget, "212")
    widget.ui.rounds_table.selectRow(1)
    assert len(questions) == 1
    assert widget._round_id == second.id and answers(widget) == ""
    # with nothing typed, nothing is asked
    widget.ui.rounds_table.selectRow(0)
    assert len(questions) == 1


def test_a_deleted_batch_is_told_not_asked(page, qtbot, monkeypatch) -> None:
    widget, bus, first, second = page
    questions = asked(monkeypatch, False)
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, text, *a, **k: told.append(text))
    type_digits(qtbot, widget, "212")
    SurveyRound.delete_by_id(first.id)  # by another officer
    bus.notify("SurveyRound")
    assert questions == [] and len(told) == 1 and "已被删除" in told[0]
    assert widget._round_id == second.id and answers(widget) == ""
