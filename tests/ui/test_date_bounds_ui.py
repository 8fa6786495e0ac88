"""Date boxes cannot be set beyond what the services accept (no more 1752…9999), and a date
stored before the check is shown as it is rather than quietly moved."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QDialogButtonBox

from wqg_desktop.db.models import Campaign, PoliceType, Region, Unit, acting_as
from wqg_desktop.domain import date_rules
from wqg_desktop.services import campaigns
from wqg_desktop.services.office import this_office
from wqg_desktop.ui.dialogs.campaign_create_dialog import CampaignCreateDialog
from wqg_desktop.ui.dialogs.campaign_edit_dialog import CampaignEditDialog
from wqg_desktop.ui.dialogs.inspection_dialog import InspectionDialog
from wqg_desktop.ui.dialogs.record_consultation import RecordConsultationDialog
from wqg_desktop.ui.dialogs.record_fields import Field, RecordFieldsDialog
from wqg_desktop.ui.dialogs.regions_dialog import RegionsDialog
from wqg_desktop.ui.dialogs.reorganise_dialog import ReorganiseDialog
from wqg_desktop.ui.dialogs.title_record_dialog import TitleRecordDialog
from wqg_desktop.ui.dialogs.unit_dialog import UnitDialog

TODAY = dt.date(2026, 11, 26)
Q_TODAY = QDate(2026, 11, 26)
Q_1998 = QDate(1998, 1, 1)
Q_HORIZON = QDate(2031, 11, 26)


def _unit() -> Unit:
    name = "海安市公安局城北派出所"
    return Unit.create(owner_office=this_office(), name=name, name_key=name,
                       region=Region.get(Region.name == "海安市"),
                       police_type=PoliceType.get(PoliceType.name == "治安"))


def _type(qtbot, edit: QDateEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def test_unit_online_since_stops_at_today(qtbot, ctx) -> None:
    dialog = UnitDialog(ctx)
    qtbot.addWidget(dialog)
    edit = dialog.ui.online_since_edit
    assert (edit.minimumDate(), edit.maximumDate()) == (Q_1998, Q_TODAY)
    dialog.ui.online_check.setChecked(True)
    _type(qtbot, edit, "2099-01-01")
    assert edit.date() <= Q_TODAY
    edit.setDate(QDate(2099, 1, 1))
    assert edit.date() == Q_TODAY
    edit.setDate(QDate(1760, 1, 1))
    assert edit.date() == Q_1998


def test_new_campaign_dates_stop_five_years_ahead_and_the_term_two(qtbot, ctx) -> None:
    dialog = CampaignCreateDialog(ctx)
    qtbot.addWidget(dialog)
    edit = dialog.ui.naming_planned_edit
    assert (edit.minimumDate(), edit.maximumDate()) == (Q_1998, Q_HORIZON)
    edit.setDate(QDate(9999, 12, 31))
    assert edit.date() == Q_HORIZON
    ok = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    dialog.ui.term_edit.setText("2099")
    assert "年度起始年份 2099 不合理" in dialog.ui.error_label.text()
    assert not ok.isEnabled()
    dialog.ui.term_edit.setText("2027—2028")
    edit.setDate(QDate(2029, 3, 31))
    assert dialog.ui.error_label.text() == "" and ok.isEnabled()


def test_inspection_and_consultation_dates_start_in_1998(qtbot, ctx) -> None:
    inspection = InspectionDialog(ctx)
    qtbot.addWidget(inspection)
    assert (inspection.ui.date_edit.minimumDate(), inspection.ui.date_edit.maximumDate()) == (
        Q_1998, Q_TODAY)
    inspection.ui.date_edit.setDate(QDate(1800, 1, 1))
    assert inspection.ui.date_edit.date() == Q_1998
    assert inspection.ui.deadline_edit.maximumDate() == Q_HORIZON
    consult = RecordConsultationDialog(ctx)
    qtbot.addWidget(consult)
    _type(qtbot, consult.ui.received_date, "1760-01-01")
    assert consult.ui.received_date.date() >= Q_1998
    consult.ui.received_date.setDate(QDate(1760, 1, 1))
    assert consult.ui.received_date.date() == Q_1998


def test_a_campaign_date_stored_before_the_check_is_shown_not_moved(qtbot, ctx) -> None:
    with acting_as("测试"):
        campaign = campaigns.create_campaign(
            level=1, term="2025", today=TODAY, naming_bodies=["共青团海安市委", "海安市公安局"],
            creation_start=dt.date(2025, 1, 1), creation_end=dt.date(2026, 12, 31)).campaign
    Campaign.update(naming_planned=dt.date(9999, 12, 31)).where(Campaign.id == campaign.id).execute()
    dialog = CampaignEditDialog(ctx, campaign.id)
    qtbot.addWidget(dialog)
    assert dialog.ui.naming_planned_edit.date() == QDate(9999, 12, 31)
    # an unset date still shows 未定, just below the earliest real date
    assert dialog.ui.review_planned_edit.text() == "未定"
    assert dialog.answers()["review_planned"] is None
    assert dialog.ui.creation_end_edit.maximumDate() == Q_HORIZON
    dialog.ui.naming_planned_edit.setDate(QDate(2040, 1, 1))
    assert "计划命名日期" in dialog.ui.error_label.text() and "太远" in dialog.ui.error_label.text()
    dialog.ui.naming_planned_edit.setDate(QDate(2027, 3, 31))
    assert dialog.ui.error_label.text() == ""


def test_no_date_box_keeps_qts_1752_to_9999(qtbot, ctx) -> None:
    unit = _unit()
    dialogs = [UnitDialog(ctx), CampaignCreateDialog(ctx), InspectionDialog(ctx),
               RecordConsultationDialog(ctx), TitleRecordDialog(ctx, unit.id), RegionsDialog(ctx),
               RecordFieldsDialog(ctx, title="测试", check=lambda _v: None, save=lambda _v: None,
                                  fields=[Field("on", "日期：", "date"),
                                          Field("due", "期限：", "optional_date",
                                                extra={"future": True})])]
    dialogs += [ReorganiseDialog(ctx, unit.id, mode) for mode in ("rename", "youth_end")]
    seen = 0
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        for edit in dialog.findChildren(QDateEdit):
            seen += 1
            name = f"{type(dialog).__name__}.{edit.objectName()}"
            assert edit.minimumDate() >= QDate(1949, 10, 1), name
            assert edit.maximumDate() <= Q_HORIZON, name
    assert seen >= 15
    youth_end = dialogs[-1].ui.on_edit
    assert (youth_end.minimumDate(), youth_end.maximumDate()) == (Q_1998, Q_TODAY)
    assert dialogs[-2].ui.on_edit.minimumDate() == QDate(1949, 10, 1)
    assert date_rules.EARLIEST == Q_1998.toPython()
