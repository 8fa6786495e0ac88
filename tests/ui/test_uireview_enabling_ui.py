"""Which buttons are on, and why the others are off: read-only databases, the lifecycle
engine on 创建活动, units kept by other offices, empty lists (the 150% UI review)."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_lifecycle_support import (  # noqa: E402
    campaign_in_creation,
    give_title,
    make_unit,
    new_campaign,
    reload,
    upper_office,
)

from wqg_desktop.app import AppContext  # noqa: E402
from wqg_desktop.db.models import Campaign, Candidate, PrintLog, Unit, acting_as  # noqa: E402
from wqg_desktop.services import campaigns  # noqa: E402
from wqg_desktop.services.office import this_office  # noqa: E402
from wqg_desktop.ui import messages  # noqa: E402
from wqg_desktop.ui.bus import Bus  # noqa: E402
from wqg_desktop.ui.pages.base import READ_ONLY_TIP  # noqa: E402

#: the demo database's "today" (tests/conftest.py TODAY)
DEMO_TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def ro_ctx(demo_template: Path, tmp_path: Path):
    """The demo database opened the way ``wqg-desktop --read-only`` opens it."""
    path = tmp_path / "ro.sqlite3"
    shutil.copy(demo_template, path)
    ctx = AppContext.open(path, read_only=True, clock=lambda: DEMO_TODAY)
    yield ctx
    ctx.close()


def _off(button) -> None:
    assert not button.isEnabled(), button.objectName()
    assert button.toolTip() == READ_ONLY_TIP, button.objectName()


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    return widget


# -- read-only ---------------------------------------------------------------------------------


def test_read_only_disables_every_changing_button(qtbot, ro_ctx) -> None:
    from wqg_desktop.ui.pages.campaigns import CampaignsPage
    from wqg_desktop.ui.pages.exchange import ExchangePage
    from wqg_desktop.ui.pages.people_leading import LeadingGroupPanel
    from wqg_desktop.ui.pages.people_supervisors import SupervisorsPanel
    from wqg_desktop.ui.pages.records import RecordsPage
    from wqg_desktop.ui.pages.units import UnitsPage

    bus = Bus()
    page = _show(qtbot, CampaignsPage(ro_ctx, bus))
    ui = page.ui
    for button in (ui.new_button, ui.edit_button, ui.apply_button, ui.start_button,
                   ui.review_button, ui.publicize_button, ui.name_button, ui.titles_button,
                   ui.accept_button, ui.return_button, ui.withdraw_button, ui.object_button,
                   ui.resolve_button):
        _off(button)
    assert ui.score_button.isEnabled()  # looking at the evidence changes nothing

    records = _show(qtbot, RecordsPage(ro_ctx, bus))
    _off(records.ui.minors_button)
    for panel in records.panels:
        for button in (panel.ui.new_button, panel.ui.extra_button, panel.ui.edit_button,
                       panel.ui.delete_button):
            _off(button)
    assert records.ui.print_button.isEnabled()

    units = _show(qtbot, UnitsPage(ro_ctx, bus))
    units.ui.units_table.selectRow(0)
    for button in (units.ui.add_button, units.ui.edit_button, units.ui.rename_button,
                   units.ui.merge_button, units.ui.split_button, units.ui.youth_end_button,
                   units.ui.regions_button, units.ui.import_button, units.ui.titles_import_button):
        _off(button)
    assert units.ui.detail_button.isEnabled() and units.ui.export_button.isEnabled()

    leading = _show(qtbot, LeadingGroupPanel(ro_ctx, bus))
    leading.ui.members_table.selectRow(0)
    for button in (leading.ui.add_button, leading.ui.edit_button, leading.ui.delete_button,
                   leading.ui.up_button, leading.ui.down_button):
        _off(button)
    supervisors = _show(qtbot, SupervisorsPanel(ro_ctx, bus))
    supervisors.ui.supervisors_table.selectRow(0)
    for button in (supervisors.ui.add_button, supervisors.ui.edit_button,
                   supervisors.ui.delete_button):
        _off(button)

    exchange = _show(qtbot, ExchangePage(ro_ctx, bus))
    ui = exchange.ui
    for button in (ui.export_button, ui.down_button, ui.import_button, ui.key_import_button,
                   ui.key_export_button, ui.restore_button, ui.identity_import_button,
                   ui.identity_export_button, ui.new_key_button):
        _off(button)
    assert ui.backup_button.isEnabled()


def test_read_only_printing_saves_drafts_and_writes_nothing(qtbot, ro_ctx, tmp_path,
                                                            monkeypatch) -> None:
    from wqg_desktop.ui.pages.printing import PrintingPage

    page = _show(qtbot, PrintingPage(ro_ctx, Bus()))
    _off(page.ui.print_button)
    _off(page.ui.calibrate_button)
    assert not page.ui.final_check.isEnabled() and not page.ui.final_check.isChecked()
    before = PrintLog.select().count()
    target = tmp_path / "draft.pdf"
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: target)
    monkeypatch.setattr(messages, "warn", lambda parent, text, *a, **k: pytest.fail(text))
    page.ui.kind_combo.setCurrentIndex(page.ui.kind_combo.findData("certificate"))
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert target.is_file() and target.stat().st_size > 0
    assert "草稿" in page.ui.status_label.text()
    assert PrintLog.select().count() == before  # nothing was logged (nor could be)


# -- 创建活动: the engine decides --------------------------------------------------------------


def _campaigns_page(qtbot, ctx, monkeypatch):
    from wqg_desktop.ui.pages.campaigns import CampaignsPage

    said: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: said.append(text) or True)
    monkeypatch.setattr(messages, "info", lambda parent, text, *a, **k: said.append(text))
    monkeypatch.setattr(messages, "warn", lambda parent, text, *a, **k: said.append(text))
    page = _show(qtbot, CampaignsPage(ctx, Bus()))
    page.said = said
    return page


def _select(page, campaign: Campaign, unit: Unit | None = None) -> None:
    page.load()
    row = next(i for i in range(page.campaigns.rowCount())
               if page.campaigns.row_at(i).id == campaign.id)
    page.ui.campaigns_table.selectRow(row)
    if unit is not None:
        page.ui.candidates_table.selectRow(next(
            i for i in range(page.candidates.rowCount())
            if page.candidates.row_at(i).unit == unit.name))


def test_campaign_buttons_follow_stage_and_status(qtbot, ctx, monkeypatch) -> None:
    campaign = new_campaign()
    units = [make_unit() for _ in range(2)]
    with acting_as("测试"):
        for unit in units:
            campaigns.apply_unit(campaign=campaign, unit=unit, today=campaign.application_start)
    page = _campaigns_page(qtbot, ctx, monkeypatch)
    ui = page.ui
    _select(page, campaign, units[0])
    # 申报 stage, an applied unit: apply, start, return, withdraw are open
    for button in (ui.apply_button, ui.start_button, ui.return_button, ui.withdraw_button):
        assert button.isEnabled(), button.objectName()
    for button in (ui.review_button, ui.publicize_button, ui.name_button):
        assert not button.isEnabled(), button.objectName()
        assert "目前是“申报”" in button.toolTip()
    assert not ui.accept_button.isEnabled() and "不能受理推荐" in ui.accept_button.toolTip()
    assert not ui.object_button.isEnabled() and "不能受理异议" in ui.object_button.toolTip()
    assert not ui.resolve_button.isEnabled()

    # 进入创建期 as the officer does it; the buttons move on with the stage
    qtbot.mouseClick(ui.start_button, Qt.MouseButton.LeftButton)
    assert reload(campaign).stage == "creation"
    _select(page, campaign, units[0])
    assert not ui.start_button.isEnabled() and "不能进入创建期" in ui.start_button.toolTip()
    assert not ui.apply_button.isEnabled() and "不再接受申报" in ui.apply_button.toolTip()
    assert ui.review_button.isEnabled()
    assert not ui.publicize_button.isEnabled()
    assert not ui.return_button.isEnabled()  # a creation unit is not sent back
    assert ui.withdraw_button.isEnabled()


def test_review_needs_units_to_review_and_candidate_steps_need_a_candidate(
        qtbot, ctx, monkeypatch) -> None:
    campaign, cands = campaign_in_creation(2)
    with acting_as("测试"):
        for cand in cands:
            campaigns.withdraw_candidate(candidate=cand, today=campaign.creation_start,
                                         reason="单位撤并")
    page = _campaigns_page(qtbot, ctx, monkeypatch)
    _select(page, campaign)
    assert not page.ui.review_button.isEnabled()
    assert "没有待审核的创建单位" in page.ui.review_button.toolTip()
    page.ui.candidates_table.clearSelection()
    page.ui.candidates_table.setCurrentIndex(page.candidates.index(-1, -1))
    for button in (page.ui.accept_button, page.ui.object_button, page.ui.score_button):
        assert not button.isEnabled()
        assert button.toolTip() == "请先在下方选择一个创建单位。"


def test_another_offices_campaign_is_only_shown(qtbot, demo_ctx, monkeypatch) -> None:
    me = this_office()
    theirs = Campaign.select().where(Campaign.owner_office != me).first()
    assert theirs is not None  # the demo holds a county campaign brought by a package
    page = _campaigns_page(qtbot, demo_ctx, monkeypatch)
    _select(page, theirs)
    owner = theirs.owner_office.name
    for button in (page.ui.start_button, page.ui.review_button, page.ui.name_button):
        assert not button.isEnabled()
        assert f"由{owner}主办" in button.toolTip()


def test_campaign_buttons_all_show_at_150_percent(qtbot, demo_ctx, monkeypatch) -> None:
    page = _campaigns_page(qtbot, demo_ctx, monkeypatch)
    page.resize(707, 460)  # the page's room in a 911×482 window
    qtbot.wait(10)
    for button in (page.ui.new_button, page.ui.titles_button, page.ui.name_button,
                   page.ui.resolve_button):
        right = button.mapTo(page, button.rect().bottomRight())
        assert right.x() <= page.width() and right.y() <= page.height(), button.objectName()
    table = page.ui.candidates_table
    bottom = table.mapTo(page, table.rect().topLeft()).y() + 60
    assert bottom < page.height()  # some candidate rows show without scrolling
    assert page.minimumSizeHint().height() <= 460


# -- 单位名册: units kept by another office ---------------------------------------------------


def test_unit_of_another_office_cannot_be_changed_here(qtbot, ctx, monkeypatch) -> None:
    from wqg_desktop.ui.dialogs.unit_detail import UnitDetailDialog
    from wqg_desktop.ui.pages.units import UnitsPage

    other = upper_office(level=1, name="如皋市公安局")
    mine, theirs = make_unit("海安市公安局甲派出所"), make_unit("如皋市公安局乙派出所", owner=other)
    page = _show(qtbot, UnitsPage(ctx, Bus()))
    page.refresh()
    changes = (page.ui.edit_button, page.ui.rename_button, page.ui.merge_button,
               page.ui.split_button, page.ui.youth_end_button)
    page.ui.units_table.selectRow(page.model.row_of(theirs.id))
    for button in changes:
        assert not button.isEnabled()
        assert button.toolTip().startswith("该单位由如皋市公安局维护")
    assert page.ui.detail_button.isEnabled()
    page.ui.units_table.selectRow(page.model.row_of(mine.id))
    assert all(button.isEnabled() for button in changes)

    dialog = UnitDetailDialog(ctx, Bus(), theirs.id)
    qtbot.addWidget(dialog)
    assert dialog.ui.commitment_text_edit.isReadOnly()
    assert dialog.ui.commitment_hotline_edit.isReadOnly()
    assert not dialog.ui.commitment_save_button.isEnabled()
    assert "如皋市公安局维护" in dialog.ui.commitment_error_label.text()
    own = UnitDetailDialog(ctx, Bus(), mine.id)
    qtbot.addWidget(own)
    assert not own.ui.commitment_text_edit.isReadOnly()


# -- 日常工作台账: 取证清单 and empty lists --------------------------------------------------


def test_evidence_tab_picks_the_first_open_campaign(qtbot, demo_ctx) -> None:
    from wqg_desktop.ui.pages.records import RecordsPage

    page = _show(qtbot, RecordsPage(demo_ctx, Bus()))
    assert page.ui.title_label.text() == "日常工作台账"
    index = next(i for i, p in enumerate(page.panels) if p.kind.title == "取证清单")
    page.ui.tab_widget.setCurrentIndex(index)
    panel = page.panels[index]
    combo = panel.ui.extra_combo
    assert combo.count() > 0 and combo.currentIndex() == 0  # ready before a unit is chosen
    assert panel.model.rowCount() == 0
    assert not panel.ui.export_button.isEnabled()
    # a unit in a running campaign: its checklist, and the export comes on
    cand = (Candidate.select().join(Campaign).where(Campaign.stage != "closed").first())
    page.ui.unit_combo.setCurrentIndex(page.ui.unit_combo.findData(cand.unit_id))
    assert combo.currentIndex() == 0 and combo.currentData() is not None
    assert panel.model.rowCount() > 0
    assert panel.ui.export_button.isEnabled()


# -- 上报与汇总 ---------------------------------------------------------------------------------


def test_exchange_restore_copy_and_down_caption(qtbot, demo_ctx, monkeypatch) -> None:
    from wqg_desktop.exchange import backups
    from wqg_desktop.ui.pages.exchange import ExchangePage

    backups.make_backup(demo_ctx.db_path, "自动")
    page = _show(qtbot, ExchangePage(demo_ctx, Bus()))
    page.refresh()
    assert not page.ui.copy_button.isEnabled() and "还没有生成过" in page.ui.copy_button.toolTip()
    page.ui.tabs.setCurrentIndex(1)
    assert page.backup_model.rowCount() >= 1
    assert not page.ui.restore_button.isEnabled()
    page.ui.backups_table.selectRow(0)
    assert page.ui.restore_button.isEnabled()
    # 下发: the save dialog asks for a 下发包 (cancelled here)
    captions: list[str] = []
    monkeypatch.setattr(messages, "save_file",
                        lambda parent, caption, *a, **k: captions.append(caption))
    page.ui.tabs.setCurrentIndex(0)
    assert page.ui.down_combo.count() > 0
    qtbot.mouseClick(page.ui.down_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.ui.export_button, Qt.MouseButton.LeftButton)
    assert captions == ["保存下发包", "保存上报包"]


# -- keyboard: mnemonics and tab order ------------------------------------------------------


def test_captions_have_mnemonics(qtbot, ctx) -> None:
    from wqg_desktop.ui.dialogs.campaign_create_dialog import CampaignCreateDialog
    from wqg_desktop.ui.dialogs.settings_dialog import SettingsDialog
    from wqg_desktop.ui.pages.exchange import ExchangePage
    from wqg_desktop.ui.pages.units import UnitsPage

    create = CampaignCreateDialog(ctx)
    qtbot.addWidget(create)
    for name in ("application_end_edit_caption", "creation_end_edit_caption",
                 "naming_planned_edit_caption", "min_inspections_spin_caption"):
        label = getattr(create.ui, name)
        assert "&" in label.text() and label.buddy() is not None, name
    settings_dialog = SettingsDialog(ctx)
    qtbot.addWidget(settings_dialog)
    weights = [w for w in settings_dialog.findChildren(QLabel)
               if w.objectName().startswith("w_") and w.objectName().endswith("_caption")]
    assert len(weights) >= 8
    assert all("&" in w.text() and w.buddy() is not None for w in weights)
    letters = [w.text().split("&")[1][0] for w in weights]
    assert len(set(letters)) == len(letters)
    units = UnitsPage(ctx, Bus())
    qtbot.addWidget(units)
    assert "&" in units.ui.youth_end_button.text()
    exchange = ExchangePage(ctx, Bus())
    qtbot.addWidget(exchange)
    for button in (exchange.ui.down_button, exchange.ui.identity_export_button,
                   exchange.ui.identity_import_button, exchange.ui.new_key_button):
        assert "&" in button.text(), button.objectName()


def _chain(start, wanted) -> list:
    """The wanted widgets in the order Tab reaches them from ``start``."""
    out, widget = [], start
    for _ in range(200):
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        if widget in wanted and widget not in out:
            out.append(widget)
    return out


def test_tab_order_of_import_and_split(qtbot, ctx) -> None:
    from wqg_desktop.ui.dialogs.import_units import ImportUnitsDialog
    from wqg_desktop.ui.dialogs.reorganise_dialog import ReorganiseDialog

    dialog = ImportUnitsDialog(ctx, Bus(), None, kind="units")
    qtbot.addWidget(dialog)
    ui = dialog.ui
    order = _chain(ui.file_edit, {ui.choose_button, ui.template_button, ui.close_button})
    assert order == [ui.choose_button, ui.template_button, ui.close_button]

    unit = make_unit("海安市公安局丙派出所")
    give_title(unit, 1)
    give_title(unit, 2)
    split = ReorganiseDialog(ctx, unit.id, "split")
    qtbot.addWidget(split)
    split.ui.parts_edit.setPlainText("海安市公安局丙一派出所\n海安市公安局丙二派出所")
    combos = [combo for _tid, combo in split._split_combos]
    assert len(combos) == 2
    order = _chain(split.ui.parts_edit, {*combos, split.ui.on_edit})
    assert order == [*combos, split.ui.on_edit]


def test_read_only_inspections_and_surveys_change_nothing(qtbot, ro_ctx) -> None:
    from wqg_desktop.ui.bus import Bus
    from wqg_desktop.ui.pages.inspections import InspectionsPage
    from wqg_desktop.ui.pages.surveys import SurveysPage

    page = InspectionsPage(ro_ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    page.ui.inspections_table.selectRow(0)
    for name in ("new_button", "edit_button", "followup_button", "attach_button",
                 "delete_button", "remove_attachment_button"):
        assert not getattr(page.ui, name).isEnabled(), name
    assert page.ui.print_record_button.isEnabled()
    surveys_page = SurveysPage(ro_ctx, Bus())
    qtbot.addWidget(surveys_page)
    surveys_page.show()
    assert not surveys_page.ui.new_round_button.isEnabled()
    assert not surveys_page.ui.grid_host.isEnabled()


def test_attachment_buttons_need_a_selected_attachment(qtbot, demo_ctx) -> None:
    from wqg_desktop.ui.bus import Bus
    from wqg_desktop.ui.pages.inspections import InspectionsPage

    page = InspectionsPage(demo_ctx, Bus())
    qtbot.addWidget(page)
    page.show()
    page.ui.inspections_table.selectRow(0)
    assert page.ui.edit_button.isEnabled()
    assert not page.ui.open_attachment_button.isEnabled()
    assert not page.ui.remove_attachment_button.isEnabled()


def test_hand_score_cannot_be_saved_read_only(qtbot, ro_ctx) -> None:
    from wqg_desktop.db.models import Candidate
    from wqg_desktop.ui.dialogs.candidate_score_dialog import CandidateScoreDialog

    dialog = CandidateScoreDialog(ro_ctx, Candidate.select().first().id)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert not dialog.ui.score_edit.isEnabled()
