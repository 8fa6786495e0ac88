"""检查记录 page and dialog: scoring item by item through the table, warnings, the planner."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.unit.test_assess_services import make_campaign, make_unit
from wqg_desktop.db.models import Inspection, InspectionScore, LeadingGroupMember
from wqg_desktop.services.office import this_office
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.inspections import InspectionsPage


@pytest.fixture
def page(ctx, qtbot):
    with ctx.acting("测试"):
        unit = make_unit("海安市公安局城东派出所")
        campaign = make_campaign([unit], min_inspections=2)
        LeadingGroupMember.create(owner_office=this_office(), role="leader", name="周一鸣",
                                  employer="海安市公安局", post="副局长")
        LeadingGroupMember.create(owner_office=this_office(), role="member", name="吴二强",
                                  employer="海安市公安局城东派出所", post="所长")
    widget = InspectionsPage(ctx, Bus())
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, campaign


def test_dialog_scores_item_by_item_and_saves(page, qtbot, type_chinese, monkeypatch) -> None:
    widget, campaign = page
    warned = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a, **k: warned.append(text))
    widget.ui.campaign_combo.setCurrentIndex(widget.ui.campaign_combo.findData(campaign.id))
    dialog = widget.open_dialog(None)
    qtbot.addWidget(dialog)
    type_chinese(dialog.ui.inspectors_edit, "周一鸣、吴二强")
    assert "回避" in dialog.ui.warning_label.text()
    model = dialog.model
    assert model.rowCount() == 8  # the 治安 checklist
    first = model.index(0, 4)
    assert not model.setData(first, "99")
    assert "0 到 12" in dialog.ui.error_label.text()
    assert model.setData(first, "6")
    qtbot.mouseClick(dialog.ui.full_marks_button, Qt.MouseButton.LeftButton)
    assert "94.0" in dialog.ui.total_label.text()
    dialog.ui.date_edit.setDate(dialog.ui.date_edit.date().addDays(-30))
    dialog.save()
    insp = Inspection.get()
    assert insp.score == 94.0
    assert InspectionScore.select().count() == 8
    assert widget.model.rowCount() == 1
    assert warned and "吴二强" in warned[0]


def test_dialog_refuses_missing_inspectors(page, qtbot) -> None:
    widget, campaign = page
    widget.ui.campaign_combo.setCurrentIndex(widget.ui.campaign_combo.findData(campaign.id))
    dialog = widget.open_dialog(None)
    qtbot.addWidget(dialog)
    dialog.model.fill_full_marks()
    dialog.save()
    assert "至少选择一名检查人员" in dialog.ui.error_label.text()
    assert Inspection.select().count() == 0


def test_planner_view(page, qtbot) -> None:
    widget, campaign = page
    widget.ui.campaign_combo.setCurrentIndex(widget.ui.campaign_combo.findData(campaign.id))
    widget.ui.main_tabs.setCurrentIndex(1)
    qtbot.mouseClick(widget.ui.plan_button, Qt.MouseButton.LeftButton)
    visits = [widget.plan_model.row_at(i) for i in range(widget.plan_model.rowCount())]
    assert len(visits) == 2
    assert all(v.on > dt.date(2026, 11, 26) for v in visits)
    assert all("吴二强" not in v.inspectors for v in visits)
    assert "不打招呼" in widget.ui.plan_label.text()
