"""The 创建活动 page's newer buttons as an officer uses them: 受理/退回/退出, 得分与依据
(hand score and evidence, also from the review window), 修改活动, and the message after 命名."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_lifecycle_support import (  # noqa: E402
    add_activity,
    campaign_in_creation,
    make_unit,
    new_campaign,
    reload,
)

from wqg_desktop.db.models import (  # noqa: E402
    Campaign,
    Candidate,
    CandidateEvent,
    Office,
    Title,
    Unit,
    acting_as,
)
from wqg_desktop.services import campaign_review, campaigns  # noqa: E402
from wqg_desktop.ui import messages  # noqa: E402
from wqg_desktop.ui.bus import Bus  # noqa: E402
from wqg_desktop.ui.pages.campaigns import CampaignsPage  # noqa: E402

D = dt.date


class Officer:
    """What the officer is asked and answers: confirmations, reasons, messages."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.confirm_answer = True
        self.reason: str | None = ""

    def confirm(self, parent, text, *a, **k) -> bool:
        self.said.append(text)
        return self.confirm_answer

    def ask_text(self, parent, text, *a, **k):
        self.said.append(text)
        return self.reason

    def tell(self, parent, text, *a, **k) -> None:
        self.said.append(text)


def _page(qtbot, ctx, monkeypatch) -> CampaignsPage:
    officer = Officer()
    monkeypatch.setattr(messages, "confirm", officer.confirm)
    monkeypatch.setattr(messages, "ask_text", officer.ask_text)
    for name in ("info", "warn"):
        monkeypatch.setattr(messages, name, officer.tell)
    page = CampaignsPage(ctx, Bus())
    page.officer = officer
    qtbot.addWidget(page)
    page.resize(900, 480)
    page.show()
    return page


@pytest.fixture
def page(qtbot, ctx, monkeypatch):
    return _page(qtbot, ctx, monkeypatch)


def _click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _select_campaign(page, campaign) -> None:
    page.load()
    row = next(i for i in range(page.campaigns.rowCount())
               if page.campaigns.row_at(i).id == campaign.id)
    page.ui.campaigns_table.selectRow(row)


def _select_unit(page, unit_name: str) -> None:
    row = next(i for i in range(page.candidates.rowCount())
               if page.candidates.row_at(i).unit == unit_name)
    page.ui.candidates_table.selectRow(row)


def _ok(dialog):
    button = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert button.isEnabled(), dialog.ui.error_label.text()
    button.click()


# -- 受理 / 退回 / 退出 ------------------------------------------------------------------------


def test_city_office_accepts_and_returns_county_recommendations(qtbot, demo_ctx, monkeypatch):
    haian = Office.get(Office.name == "海安市公安局")
    with acting_as("测试"):
        campaign = campaigns.create_campaign(level="市", term="2027", today=demo_ctx.today(),
                                             naming_bodies=["南通市公安局"]).campaign
    units = list(Unit.select().where(Unit.owner_office == haian).order_by(Unit.name).limit(3))
    for unit in units:
        Candidate.create(owner_office=haian, campaign=campaign, unit=unit, status="recommended",
                         recommended_by=haian)

    def cand_of(unit) -> Candidate:
        return Candidate.get(Candidate.campaign == campaign, Candidate.unit == unit)

    page = _page(qtbot, demo_ctx, monkeypatch)
    officer = page.officer
    _select_campaign(page, campaign)

    # 受理: asked to confirm, naming who recommended it
    _select_unit(page, units[0].name)
    _click(qtbot, page.ui.accept_button)
    assert "海安市公安局推荐的" in officer.said[-1]
    assert cand_of(units[0]).status == "applied"

    # 退回: the reason is asked first; cancelling it does nothing
    _select_unit(page, units[1].name)
    officer.reason = None
    _click(qtbot, page.ui.return_button)
    assert cand_of(units[1]).status == "recommended"
    # an empty reason is refused before anything is asked
    officer.reason = "  "
    _click(qtbot, page.ui.return_button)
    assert "须写明理由" in officer.said[-1]
    assert cand_of(units[1]).status == "recommended"
    # a reason, then the confirmation (which quotes it)
    officer.reason = "负责人未参加培训"
    _click(qtbot, page.ui.return_button)
    assert "理由：负责人未参加培训" in officer.said[-1]
    cand = cand_of(units[1])
    assert (cand.status, cand.returned_reason) == ("returned", "负责人未参加培训")
    event = CandidateEvent.select().where(CandidateEvent.candidate == cand).order_by(
        CandidateEvent.id.desc()).first()
    assert (event.to_status, event.reason) == ("returned", "负责人未参加培训")

    # saying no at the confirmation leaves the recommendation waiting
    _select_unit(page, units[2].name)
    officer.confirm_answer = False
    _click(qtbot, page.ui.accept_button)
    assert cand_of(units[2]).status == "recommended"

    # an already returned one cannot be accepted: the button is off and says why (the
    # engine's refusal, in Chinese)
    officer.confirm_answer = True
    _select_unit(page, units[1].name)
    assert not page.ui.accept_button.isEnabled()
    assert "不能受理推荐" in page.ui.accept_button.toolTip()
    assert cand_of(units[1]).status == "returned"
    # the page shows the new statuses
    _select_unit(page, units[1].name)
    assert page.candidates.row_at(page.ui.candidates_table.currentIndex().row()).status == "已退回"


def test_withdraw_asks_a_reason_and_confirmation(qtbot, ctx, page) -> None:
    campaign, [cand, other] = campaign_in_creation(2)
    _select_campaign(page, campaign)
    _select_unit(page, cand.unit.name)
    page.officer.reason = "单位撤并"
    page.officer.confirm_answer = False
    _click(qtbot, page.ui.withdraw_button)
    assert reload(cand).status == "creating"
    page.officer.confirm_answer = True
    _click(qtbot, page.ui.withdraw_button)
    assert (reload(cand).status, reload(cand).withdrawn_reason) == ("withdrawn", "单位撤并")
    assert reload(other).status == "creating"
    history = [page.history.row_at(i)["reason"] for i in range(page.history.rowCount())]
    assert "单位撤并" in history


def test_candidate_buttons_need_a_selected_candidate(qtbot, ctx, page) -> None:
    new_campaign()
    page.load()
    for button in (page.ui.accept_button, page.ui.return_button, page.ui.withdraw_button,
                   page.ui.score_button):
        assert not button.isEnabled()
        assert button.toolTip() == "请先在下方选择一个创建单位。"


# -- 得分与依据 -----------------------------------------------------------------------------------


def test_hand_score_entered_where_no_assessment_exists(qtbot, ctx, page) -> None:
    campaign = new_campaign()
    units = [make_unit() for _ in range(2)]
    with acting_as("测试"):
        for unit in units:
            campaigns.apply_unit(campaign=campaign, unit=unit, today=D(2024, 12, 1))
        campaigns.start_creation(campaign=campaign, today=D(2025, 1, 1))
    _select_campaign(page, campaign)
    _select_unit(page, units[0].name)
    _click(qtbot, page.ui.score_button)
    dialog = page.dialog
    assert "未评分" in dialog.ui.source_label.text()
    assert "可先手工录入得分代替" in dialog.ui.hint_label.text()
    ok = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.ui.score_edit.isEnabled() and not ok.isEnabled()  # nothing typed yet
    qtbot.keyClicks(dialog.ui.score_edit, "120")
    assert "0 到 100" in dialog.ui.error_label.text() and not ok.isEnabled()
    dialog.ui.score_edit.clear()
    qtbot.keyClicks(dialog.ui.score_edit, "86.5")
    assert dialog.ui.error_label.text() == ""
    qtbot.keyClick(dialog.ui.score_edit, Qt.Key.Key_Return)  # Enter saves
    assert Candidate.get(Candidate.unit == units[0]).manual_score == 86.5
    _select_unit(page, units[0].name)
    row = page.candidates.row_at(page.ui.candidates_table.currentIndex().row())
    assert row.score == 86.5


def test_evidence_of_a_computed_score_and_no_hand_score(qtbot, ctx, page) -> None:
    campaign, [cand, _other] = campaign_in_creation(2)
    add_activity(cand.unit, title="法治宣传进校园")
    _select_campaign(page, campaign)
    _select_unit(page, cand.unit.name)
    _click(qtbot, page.ui.score_button)
    dialog = page.dialog
    assert "16.7" in dialog.ui.source_label.text() and "绩效考核" in dialog.ui.source_label.text()
    rows = {dialog.components.row_at(i)["label"]: dialog.components.row_at(i)
            for i in range(dialog.components.rowCount())}
    acts = rows["专项及志愿活动"]
    assert (acts["value"], acts["weight"]) == (25.0, 10)
    assert acts["contribution"] == pytest.approx(250 / 15)
    cells = [dialog.components.index(0, c).data() for c in range(5)]
    assert cells[:4] == ["专项及志愿活动", "25.0", "10", "16.7"]
    dialog.ui.components_table.selectRow(0)
    assert dialog.sources.rowCount() == 1
    assert dialog.sources.index(0, 0).data() == "活动"
    assert "法治宣传进校园" in dialog.sources.index(0, 1).data()
    # the assessment ranks: no hand score here
    assert not dialog.ui.score_edit.isEnabled()
    assert "补录或更正检查、调查记录" in dialog.ui.hint_label.text()
    dialog.reject()


def test_review_window_shows_score_sources_and_opens_the_evidence(qtbot, ctx, page) -> None:
    campaign, cands = campaign_in_creation(3)  # hand scores 73, 72, 71
    add_activity(cands[0].unit)  # the first now has an assessment (16.7) and drops to last
    with acting_as("测试"):
        campaign_review.set_score(candidate=cands[2], score=None)  # the third: no score at all
    _select_campaign(page, campaign)
    _click(qtbot, page.ui.review_button)
    review = page.dialog
    model = review.model
    shown = {model.rows[i].unit: (model.index(i, 4).data(), model.index(i, 5).data())
             for i in range(model.rowCount())}
    assert shown[cands[1].unit.name] == ("72.0", "手工录入（暂无考核记录）")
    assert shown[cands[0].unit.name] == ("16.7", "绩效考核（检查、调查、工作记录）")
    assert shown[cands[2].unit.name] == ("未评分", "未评分")
    # 3 reviewed → at most 2 pass; the best two start ticked
    assert [model.rows[i].unit for i in model.checks["passed"]] == [
        cands[1].unit.name, cands[0].unit.name]
    # open the evidence of the unscored one and give it a hand score: it re-ranks, ticks kept
    row = next(i for i in range(model.rowCount()) if model.rows[i].unit == cands[2].unit.name)
    review.ui.ranking_table.selectRow(row)
    _click(qtbot, review.ui.evidence_button)
    score = review.score_dialog
    qtbot.keyClicks(score.ui.score_edit, "95")
    _ok(score)
    assert reload(cands[2]).manual_score == 95
    assert model.rows[0].unit == cands[2].unit.name and model.rows[0].score == 95
    assert {model.rows[i].unit for i in model.checks["passed"]} == {
        cands[1].unit.name, cands[0].unit.name}
    assert model.rows[review.ui.ranking_table.currentIndex().row()].unit == cands[2].unit.name
    review.reject()


# -- 修改活动 -------------------------------------------------------------------------------------


def _set_date(edit, day: dt.date) -> None:
    edit.setDate(QDate(day.year, day.month, day.day))


def test_edit_campaign_dates_quota_and_bodies(qtbot, ctx, page, type_chinese) -> None:
    campaign = new_campaign()
    _select_campaign(page, campaign)
    _click(qtbot, page.ui.edit_button)
    dialog = page.dialog
    ok = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing changed yet
    assert dialog.ui.review_planned_edit.text() == "未定"
    _set_date(dialog.ui.creation_end_edit, D(2024, 12, 1))  # before the period starts
    assert "早于创建期开始日期" in dialog.ui.error_label.text() and not ok.isEnabled()
    _set_date(dialog.ui.creation_end_edit, D(2026, 12, 31))
    _set_date(dialog.ui.review_planned_edit, D(2027, 1, 8))
    dialog.ui.quota_spin.setValue(4)
    dialog.ui.min_inspections_spin.setValue(2)
    dialog.ui.bodies_edit.clear()
    type_chinese(dialog.ui.bodies_edit, "共青团海安市委、海安市公安局、海安市教育局")
    assert dialog.ui.error_label.text() == ""
    _ok(dialog)
    c = reload(campaign)
    assert (c.creation_end, c.review_planned, c.quota, c.min_inspections) == (
        D(2026, 12, 31), D(2027, 1, 8), 4, 2)
    assert [n.naming_body.name for n in c.naming_bodies.order_by("sort_order")] == [
        "共青团海安市委", "海安市公安局", "海安市教育局"]


def test_edit_after_review_locks_what_is_history(qtbot, ctx, page) -> None:
    campaign, cands = campaign_in_creation(2)
    with acting_as("测试"):
        campaign_review.review_campaign(campaign=campaign, passed=[cands[0].id],
                                        today=D(2026, 11, 26))
    _select_campaign(page, campaign)
    _click(qtbot, page.ui.edit_button)
    dialog = page.dialog
    for name in ("creation_end_edit", "application_end_edit", "quota_spin",
                 "min_inspections_spin", "require_online_check"):
        widget = getattr(dialog.ui, name)
        assert not widget.isEnabled() and "不能再修改" in widget.toolTip()
    assert "审核已经完成" in dialog.ui.locked_label.text()
    assert dialog.ui.naming_planned_edit.isEnabled()
    _set_date(dialog.ui.naming_planned_edit, D(2027, 2, 1))
    _ok(dialog)
    assert reload(campaign).naming_planned == D(2027, 2, 1)
    assert reload(campaign).creation_end == D(2026, 10, 31)


# -- 命名, then where the certificates are ----------------------------------------------------


def test_after_naming_the_officer_is_sent_to_printing(qtbot, ctx, page, type_chinese) -> None:
    campaign, cands = campaign_in_creation(3)
    with acting_as("测试"):
        campaign_review.review_campaign(campaign=campaign, passed=[c.id for c in cands[:2]],
                                        today=D(2026, 11, 26), demonstration=[cands[0].id])
        campaign_review.publicize(campaign=campaign, today=D(2026, 11, 26))
    ctx.clock = lambda: Campaign.get_by_id(campaign.id).publicity_end + dt.timedelta(days=1)
    _select_campaign(page, campaign)
    _click(qtbot, page.ui.name_button)
    type_chinese(page.dialog.ui.first_edit, "海团联〔2026〕9号")
    _ok(page.dialog)
    numbers = [t.certificate_no for t in Title.select().order_by(Title.id)]
    assert len(numbers) == 3
    text = page.officer.said[-1]
    assert text.startswith("已命名 2 个单位，授予称号 3 项（其中示范单位 1 项）")
    assert "“证书与牌匾打印”" in text and all(n in text for n in numbers)
    # the page has refreshed before the message: the campaign is closed
    assert page.campaigns.row_at(page.ui.campaigns_table.currentIndex().row()).stage == "已结束"
