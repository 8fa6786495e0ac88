"""检查记录 page: recording the follow-up in its own dialog; listing, opening and removing
an inspection's attachments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QDesktopServices

from tests.unit.test_assess_services import JPEG, full_scores, make_campaign, make_unit
from wqg_desktop.db.models import Attachment, LeadingGroupMember
from wqg_desktop.services import attachments, inspections
from wqg_desktop.services.office import this_office
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.inspections import InspectionsPage

CLICK = Qt.MouseButton.LeftButton
D = dt.date


@pytest.fixture
def page(ctx, qtbot, tmp_path):
    with ctx.acting("测试"):
        unit = make_unit("海安市公安局城东派出所")
        campaign = make_campaign([unit])
        LeadingGroupMember.create(owner_office=this_office(), role="leader", name="周一鸣",
                                  employer="海安市公安局", post="副局长")
        _s, items = inspections.checklist(campaign, unit)
        insp = inspections.save_inspection(
            unit=unit, campaign=campaign, on=D(2026, 9, 1), inspectors=["周一鸣"],
            scores=full_scores(items), rectification="补全护学岗台账",
            rectification_deadline=D(2026, 10, 1)).inspection
        photo = tmp_path / "现场.jpg"
        # content of its own: the attachment store is shared by the tests of one session
        photo.write_bytes(JPEG + str(tmp_path).encode())
        attachments.add_attachment(entity="Inspection", entity_uuid=insp.uuid, source=photo)
    widget = InspectionsPage(ctx, Bus())
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    qtbot.waitExposed(widget)
    widget.ui.campaign_combo.setCurrentIndex(widget.ui.campaign_combo.findData(campaign.id))
    widget.ui.inspections_table.selectRow(0)
    return widget, insp


def open_followup(qtbot, widget):
    qtbot.mouseClick(widget.ui.followup_button, CLICK)
    dialog = widget.followup_dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_followup_needs_a_result_and_keeps_its_date(page, qtbot, type_chinese) -> None:
    widget, insp = page
    dialog = open_followup(qtbot, widget)
    assert "补全护学岗台账" in dialog.ui.summary_label.text()
    assert not dialog.save_button.isEnabled()
    assert "请选择复查结论" in dialog.ui.error_label.text()
    qtbot.mouseClick(dialog.ui.failed_radio, CLICK)
    assert "请写明复查情况" in dialog.ui.error_label.text()
    type_chinese(dialog.ui.text_edit, "台账仍缺九月份记录")
    assert dialog.save_button.isEnabled()
    dialog.ui.date_edit.setDate(QDate(2026, 10, 9))
    qtbot.mouseClick(dialog.save_button, CLICK)
    got = inspections.get_inspection(insp.id)
    assert (got.followup_on, got.followup_passed, got.followup) == (
        D(2026, 10, 9), False, "台账仍缺九月份记录")
    assert widget.model.row_at(0).followup == "复查不合格"
    # the date cannot be set after today or before the inspection
    again = open_followup(qtbot, widget)
    assert again.ui.failed_radio.isChecked()
    assert again.ui.date_edit.maximumDate() == QDate(2026, 11, 26)
    assert again.ui.date_edit.minimumDate() == QDate(2026, 9, 1)


def test_cancel_records_nothing(page, qtbot, type_chinese, discard_typed) -> None:
    widget, insp = page
    dialog = open_followup(qtbot, widget)
    qtbot.mouseClick(dialog.ui.passed_radio, CLICK)
    type_chinese(dialog.ui.text_edit, "已整改")
    dialog.reject()
    assert len(discard_typed) == 1 and not dialog.isVisible()
    got = inspections.get_inspection(insp.id)
    assert (got.followup_on, got.followup_passed, got.followup) == (None, None, "")


def test_attachments_listed_opened_and_removed(page, qtbot, monkeypatch) -> None:
    widget, _insp = page
    assert widget.files.rowCount() == 1
    assert widget.files.row_at(0)["filename"] == "现场.jpg"
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url)
                                                                  or True))
    widget.ui.attachments_table.selectRow(0)
    qtbot.mouseClick(widget.ui.open_attachment_button, CLICK)
    assert len(opened) == 1
    path = opened[0].toLocalFile()
    assert path.endswith("现场.jpg")
    assert Path(path).read_bytes().startswith(JPEG)
    answers = iter([False, True])
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: next(answers))
    qtbot.mouseClick(widget.ui.remove_attachment_button, CLICK)
    assert Attachment.select().count() == 1
    qtbot.mouseClick(widget.ui.remove_attachment_button, CLICK)
    assert Attachment.select().count() == 0
    assert widget.files.rowCount() == 0


def test_a_changed_file_is_not_opened(page, qtbot, monkeypatch) -> None:
    widget, _insp = page
    att = Attachment.get()
    attachments.storage_path(att.sha256).write_bytes(b"\xff\xd8\xff changed")
    warned, opened = [], []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a, **k: warned.append(text))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url)))
    widget.ui.attachments_table.selectRow(0)
    qtbot.mouseClick(widget.ui.open_attachment_button, CLICK)
    assert not opened and "校验值不符" in warned[0]
