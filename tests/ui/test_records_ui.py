"""日常工作台账 page and the complaint dialog, driven as an officer would."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from wqg_desktop.db.models import (
    Consultation,
    MinorDataDisclosure,
    PoliceType,
    Region,
    Unit,
)
from wqg_desktop.services import records_consult
from wqg_desktop.services.office import this_office
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.record_consultation import RecordConsultationDialog
from wqg_desktop.ui.pages.records import RecordsPage

TODAY = dt.date(2026, 11, 26)
MINOR, MINOR_ID = "李小虎", "32068520120315002X"


@pytest.fixture
def unit(ctx) -> Unit:
    return Unit.create(owner_office=this_office(), name="海安市公安局城北派出所",
                       name_key="海安市公安局城北派出所", region=Region.get(Region.name == "海安市"),
                       police_type=PoliceType.get(PoliceType.name == "治安"), head_name="周建华")


@pytest.fixture
def complaint(ctx, unit) -> Consultation:
    with ctx.acting():
        return records_consult.save(
            today=TODAY, unit_id=unit.id, kind="complaint", received_on=dt.date(2026, 11, 2),
            channel="来访", content="学生在校外被索要财物", minor_name=MINOR, minor_id_no=MINOR_ID,
            minor_school="海安市城北实验小学")


def _type_date(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def _ok(dialog):
    return dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)


def test_a_reply_due_in_a_year_without_holidays_is_flagged(qtbot, ctx) -> None:
    ctx.clock = lambda: dt.date(2026, 12, 28)  # five working days on is January 2027
    dialog = RecordConsultationDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.ui.received_date.setDate(QDate(2026, 12, 28))
    assert "2027年1月4日" in dialog.ui.due_label.text() and "⚠" in dialog.ui.due_label.text()
    assert "2027 年的节假日安排尚未录入" in dialog.ui.due_label.toolTip()
    dialog.ui.received_date.setDate(QDate(2026, 12, 1))
    assert "⚠" not in dialog.ui.due_label.text()


def test_complaint_dialog_saves_what_was_typed(qtbot, ctx, unit, type_chinese) -> None:
    dialog = RecordConsultationDialog(ctx)
    qtbot.addWidget(dialog)
    assert not _ok(dialog).isEnabled()
    assert "请选择单位" in dialog.ui.error_label.text()
    dialog.ui.unit_combo.setCurrentIndex(dialog.ui.unit_combo.findData(unit.id))
    dialog.ui.channel_combo.setCurrentIndex(dialog.ui.channel_combo.findText("12355 转来"))
    _type_date(qtbot, dialog.ui.received_date, "2026-09-30")
    assert "2026年10月13日" in dialog.ui.due_label.text()  # across the National Day holiday
    assert "⚠" not in dialog.ui.due_label.text() and dialog.ui.due_label.toolTip() == ""
    assert "请填写咨询投诉内容" in dialog.ui.error_label.text()
    type_chinese(dialog.ui.content_edit, "反映学校门口有人向学生兜售香烟")
    type_chinese(dialog.ui.minor_name_edit, MINOR)
    qtbot.keyClicks(dialog.ui.minor_id_edit, "123")
    assert "18 位" in dialog.ui.error_label.text() and not _ok(dialog).isEnabled()
    dialog.ui.minor_id_edit.clear()
    qtbot.keyClicks(dialog.ui.minor_id_edit, MINOR_ID)
    assert dialog.ui.error_label.text() == "" and _ok(dialog).isEnabled()
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    c = Consultation.get()
    assert (c.unit_id, c.channel, c.received_on, c.due_on) == (
        unit.id, "12355 转来", dt.date(2026, 9, 30), dt.date(2026, 10, 13))
    assert c.content == "反映学校门口有人向学生兜售香烟"
    assert (c.minor_name, c.minor_id_no) == (MINOR, MINOR_ID)
    assert c.replied_on is None and c.owner_office_id == this_office().id


def test_reply_before_receipt_is_refused_and_nothing_saved(qtbot, ctx, unit, type_chinese) -> None:
    dialog = RecordConsultationDialog(ctx, unit_id=unit.id)
    qtbot.addWidget(dialog)
    _type_date(qtbot, dialog.ui.received_date, "2026-11-20")
    type_chinese(dialog.ui.content_edit, "咨询")
    qtbot.mouseClick(dialog.ui.replied_check, Qt.MouseButton.LeftButton)
    _type_date(qtbot, dialog.ui.replied_date, "2026-11-19")
    assert "早于受理日期" in dialog.ui.error_label.text()
    dialog.save()  # Enter on a refused form does nothing
    assert Consultation.select().count() == 0
    _type_date(qtbot, dialog.ui.replied_date, "2026-11-24")
    assert "处理结果" in dialog.ui.error_label.text()
    type_chinese(dialog.ui.result_edit, "已电话答复")
    dialog.save()
    assert Consultation.get().replied_on == dt.date(2026, 11, 24)


def _cells(page) -> str:
    model = page.panel().model
    return " ".join(str(model.index(r, c).data() or "") for r in range(model.rowCount())
                    for c in range(model.columnCount()))


def test_list_is_masked_until_a_logged_choice(qtbot, ctx, complaint, monkeypatch) -> None:
    page = RecordsPage(ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    text = _cells(page)
    assert "李某某" in text and "某学校" in text
    assert MINOR not in text and MINOR_ID not in text and "城北实验" not in text
    # cancelled: nothing logged, still masked
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: None)
    qtbot.mouseClick(page.ui.minors_button, Qt.MouseButton.LeftButton)
    assert MinorDataDisclosure.select().count() == 0 and MINOR not in _cells(page)
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "协助法院核对当事人身份")
    qtbot.mouseClick(page.ui.minors_button, Qt.MouseButton.LeftButton)
    assert MINOR in _cells(page) and MINOR_ID in _cells(page)
    [log] = MinorDataDisclosure.select()
    assert (log.entity_uuid, log.purpose, log.reason) == (complaint.uuid, "屏幕显示",
                                                          "协助法院核对当事人身份")
    assert "已记录" in page.ui.privacy_label.text()
    qtbot.mouseClick(page.ui.minors_button, Qt.MouseButton.LeftButton)  # 恢复遮蔽
    assert MINOR not in _cells(page)


def test_export_is_masked_even_while_the_screen_shows(qtbot, ctx, complaint, monkeypatch,
                                                      tmp_path) -> None:
    page = RecordsPage(ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    monkeypatch.setattr(messages, "ask_text", lambda *a, **k: "协助法院核对当事人身份")
    qtbot.mouseClick(page.ui.minors_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "咨询投诉"
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: target)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)  # “遮蔽”
    shown = []
    monkeypatch.setattr(messages, "info", lambda _p, text, *a: shown.append(text))
    qtbot.mouseClick(page.panel().ui.export_button, Qt.MouseButton.LeftButton)
    book = load_workbook(target.with_suffix(".xlsx"))
    text = " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row if v)
    assert "李某某" in text and MINOR not in text and MINOR_ID not in text
    assert "已导出 1 条" in shown[-1]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_print_ledger_for_a_unit_is_masked(qtbot, ctx, unit, complaint, monkeypatch,
                                          tmp_path) -> None:
    page = RecordsPage(ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    shown = []
    monkeypatch.setattr(messages, "info", lambda _p, text, *a: shown.append(text))
    qtbot.mouseClick(page.ui.print_button, Qt.MouseButton.LeftButton)
    assert "请先在“单位”中选择" in shown[-1]
    page.ui.unit_combo.setCurrentIndex(page.ui.unit_combo.findData(unit.id))
    target = tmp_path / "台账.pdf"
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: target)
    qtbot.mouseClick(page.ui.print_button, Qt.MouseButton.LeftButton)
    assert "已生成台账" in shown[-1]
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "李某某" in text and MINOR not in text and MINOR_ID not in text


def test_delete_asks_first(qtbot, ctx, complaint, monkeypatch) -> None:
    page = RecordsPage(ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    panel = page.panel()
    panel.ui.records_table.selectRow(0)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    qtbot.mouseClick(panel.ui.delete_button, Qt.MouseButton.LeftButton)
    assert Consultation.select().count() == 1
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(panel.ui.delete_button, Qt.MouseButton.LeftButton)
    assert Consultation.select().count() == 0
    assert panel.model.rowCount() == 0  # the bus refreshed the visible list


def test_every_tab_loads_on_the_demo_database(qtbot, demo_ctx) -> None:
    page = RecordsPage(demo_ctx, Bus())
    qtbot.addWidget(page)
    page.resize(900, 480)
    page.show()
    counts = []
    for index in range(page.ui.tab_widget.count()):
        page.ui.tab_widget.setCurrentIndex(index)
        counts.append(page.panel().model.rowCount())
    assert page.ui.tab_widget.count() == 10
    assert all(counts[:9]) and counts[9] == 0  # 取证清单 needs a unit
    assert "负责人" in page.panels[3].ui.info_label.text()
