"""One county campaign from creation to naming through the 创建活动 page, as an officer works."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    PoliceType,
    Region,
    ReviewDecision,
    Title,
    Unit,
    acting_as,
)
from wqg_desktop.domain.chinese import normalize_name_key
from wqg_desktop.services import campaign_review
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.campaigns import CampaignsPage

D = dt.date


def _units(n: int) -> list[Unit]:
    region = Region.get(Region.name == "海安市")
    with acting_as("测试"):
        return [Unit.create(owner_office=region.owner_office, name=f"海安市公安局测试{i}派出所",
                            name_key=normalize_name_key(f"海安市公安局测试{i}派出所"),
                            region=region, police_type=PoliceType.get(PoliceType.name == "治安"))
                for i in range(n)]


def _ok(dialog) -> None:
    button = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert button.isEnabled(), dialog.ui.error_label.text()
    button.click()


@pytest.fixture
def page(qtbot, ctx, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: said.append(text) or True)
    monkeypatch.setattr(messages, "info", lambda parent, text, *a, **k: said.append(text))
    monkeypatch.setattr(messages, "warn", lambda parent, text, *a, **k: said.append(text))
    widget = CampaignsPage(ctx, Bus())
    widget.said = said
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    return widget


def test_campaign_from_creation_to_naming(qtbot, ctx, page, type_chinese) -> None:
    units = _units(6)
    # 1. 新建活动
    qtbot.mouseClick(page.ui.new_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.ui.term_edit.clear()
    qtbot.keyClicks(dialog.ui.term_edit, "2025-2026")
    for key, day in (("application_start", D(2024, 11, 1)), ("application_end", D(2024, 12, 1)),
                     ("creation_start", D(2025, 1, 1)), ("creation_end", D(2026, 10, 31)),
                     ("naming_planned", D(2026, 12, 31))):
        getattr(dialog.ui, f"{key}_edit").setDate(QDate(day.year, day.month, day.day))
    assert "两年" in dialog.ui.warning_label.text()  # 22 months: a warning, not a refusal
    _ok(dialog)
    campaign = Campaign.get()
    assert (campaign.term_start, campaign.level, campaign.stage) == (2025, 1, "application")
    assert page.campaigns.rowCount() == 1

    # 2. 申报: tick the units with the space bar
    qtbot.mouseClick(page.ui.apply_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    table = dialog.ui.units_table
    assert dialog.model.rowCount() == 6
    for row in range(6):
        table.setCurrentIndex(dialog.model.index(row, 0))
        qtbot.keyClick(table, Qt.Key.Key_Space)
    assert dialog.ui.count_label.text() == "可选 6 个，已勾选 6 个"
    _ok(dialog)
    assert Candidate.select().where(Candidate.status == "applied").count() == 6

    # 3. 进入创建期; scores come from the assessment (entered by hand here)
    qtbot.mouseClick(page.ui.start_button, Qt.MouseButton.LeftButton)
    with acting_as("测试"):
        for score, cand in zip((95, 91, 88, 84, 80, 72), Candidate.select().order_by(Candidate.id),
                               strict=True):
            campaign_review.set_score(candidate=cand, score=score)

    # 4. 审核 after the creation period: 6 reviewed → at most 5 pass
    qtbot.mouseClick(page.ui.review_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert "至多 5 个" in dialog.ui.count_label.text()
    assert "选举口径" in dialog.ui.convention_label.text()
    dialog.model.toggle(5, "passed")  # a sixth would break the differential
    ok = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.ui.override_edit.isEnabled()
    assert "须写明理由" in dialog.ui.count_label.text()
    dialog.model.toggle(5, "passed")  # back within the rule
    dialog.model.toggle(0, "demo")
    _ok(dialog)
    decision = ReviewDecision.get()
    assert (decision.reviewed, decision.passed, decision.max_pass) == (6, 5, 5)
    assert "至多 5 个" in page.ui.decision_label.text()

    # 5. 公示 from 2026-11-30 (Monday): 7 working days end on 2026-12-08
    ctx.clock = lambda: D(2026, 11, 30)
    qtbot.mouseClick(page.ui.publicize_button, Qt.MouseButton.LeftButton)
    assert Campaign.get().publicity_end == D(2026, 12, 8)
    asked = next(t for t in page.said if "公示全部达标单位" in t)
    assert "至 2026年12月8日" in asked and "尚未录入" not in asked  # 2026 is in the calendar

    # 6. an objection against the first unit, then naming is refused until it is resolved
    first = next(i for i in range(page.candidates.rowCount())
                 if page.candidates.row_at(i).unit == units[0].name)
    page.ui.candidates_table.selectRow(first)
    ctx.clock = lambda: D(2026, 12, 2)
    qtbot.mouseClick(page.ui.object_button, Qt.MouseButton.LeftButton)
    type_chinese(page.dialog.ui.first_edit, "反映该所接待群众态度生硬")
    _ok(page.dialog)
    assert Candidate.get(Candidate.unit == units[0]).status == "objection"

    ctx.clock = lambda: D(2026, 12, 9)
    page.load()  # as when the officer comes back to the page: 命名 says why it is closed
    assert not page.ui.name_button.isEnabled()
    assert "未处理的异议" in page.ui.name_button.toolTip()
    assert Title.select().count() == 0

    page.ui.candidates_table.selectRow(first)
    qtbot.mouseClick(page.ui.resolve_button, Qt.MouseButton.LeftButton)
    type_chinese(page.dialog.ui.first_edit, "经核查，反映情况与事实不符")
    _ok(page.dialog)
    assert Candidate.get(Candidate.unit == units[0]).status == "publicizing"

    # 7. 命名 with the document number
    qtbot.mouseClick(page.ui.name_button, Qt.MouseButton.LeftButton)
    page.dialog.ui.first_edit.clear()
    type_chinese(page.dialog.ui.first_edit, "海团联〔2026〕9号")
    _ok(page.dialog)
    posts = Title.select().where(Title.kind == "post")
    assert posts.count() == 5
    assert Title.select().where(Title.kind == "demonstration").count() == 1
    assert {t.document_no for t in Title.select()} == {"海团联〔2026〕9号"}
    assert Campaign.get().stage == "closed"

    # the history of the selected candidate is on the page
    page.ui.candidates_table.selectRow(first)
    page._show_history(first)
    steps = [page.history.row_at(i)["to"] for i in range(page.history.rowCount())]
    assert steps == ["申报", "创建中", "审核", "达标", "公示", "异议处理中", "公示", "命名"]

    # 8. a title's re-review through the title actions dialog
    qtbot.mouseClick(page.ui.titles_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog.titles.rowCount() == 6
    index = dialog.ui.action_combo.findData("rereview_fail")
    dialog.ui.action_combo.setCurrentIndex(index)
    title_id = dialog.titles.row_at(dialog.ui.titles_table.currentIndex().row()).id
    _ok(dialog)
    assert Title.get_by_id(title_id).status == "rectifying"
    assert dialog.history.rowCount() == 2  # named, then failed re-review
    dialog.reject()


def test_apply_dialog_shows_why_a_unit_cannot_apply(qtbot, ctx, page) -> None:
    units = _units(2)
    with acting_as("测试"):
        unit = Unit.get_by_id(units[1].id)
        unit.works_with_youth = False
        unit.save()
    qtbot.mouseClick(page.ui.new_button, Qt.MouseButton.LeftButton)
    _ok(page.dialog)
    qtbot.mouseClick(page.ui.apply_button, Qt.MouseButton.LeftButton)
    model = page.dialog.model
    reasons = {model.rows[i].name: model.rows[i].disabled_reason for i in range(model.rowCount())}
    assert reasons[units[0].name] == ""
    assert "不再涉及青少年" in reasons[units[1].name]
    row = next(i for i in range(model.rowCount()) if model.rows[i].name == units[1].name)
    model.toggle(row, "pick")
    assert model.checked_ids("pick") == []


def test_page_fits_and_screenshots(qtbot, demo_ctx, tmp_path) -> None:
    page = CampaignsPage(demo_ctx, Bus())
    qtbot.addWidget(page)
    page.resize(900, 480)
    page.show()
    assert page.campaigns.rowCount() >= 2
    hint = page.minimumSizeHint()
    assert hint.width() <= 900 and hint.height() <= 480
    qtbot.mouseClick(page.ui.review_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog.model.rowCount() == 14 and "至多 11 个" in dialog.ui.count_label.text()
    size = dialog.minimumSizeHint()
    assert size.width() <= 900 and size.height() <= 480
    dialog.reject()
