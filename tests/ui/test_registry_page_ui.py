"""The register page and its dialogs, driven like an officer would."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from wqg_desktop.db.models import (
    PoliceType,
    Region,
    RegionName,
    ServiceCommitment,
    Title,
    Unit,
    UnitHead,
)
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.services import reference
from wqg_desktop.services import units as svc
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.units import UnitsPage

TODAY = dt.date(2026, 11, 26)


def make(name: str, region: Region | None = None, ptype: str = "治安") -> Unit:
    region = region or Region.get(Region.name == "海安市")
    pt = PoliceType.get(PoliceType.name == ptype)
    return svc.create_unit(svc.UnitFields(name=name, region_id=region.id, police_type_id=pt.id,
                                          head_name="丁测试"), today=TODAY)


@pytest.fixture
def page(qtbot, ctx):
    rudong = reference.ensure_region("如东县", RegionKind.COUNTY, owner=ctx.office)
    make("如东县公安局掘港派出所", rudong)
    make("海安市公安局城北中心派出所")
    make("海安市公安局交警大队", ptype="交巡警")
    widget = UnitsPage(ctx, Bus())
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    return widget


def _names(page) -> list[str]:
    return [page.model.row_at(r).name for r in range(page.model.rowCount())]


def _select(page, name: str) -> None:
    row = _names(page).index(name)
    page.ui.units_table.selectRow(row)


def test_the_sort_arrow_matches_the_order_shown(qtbot, page) -> None:
    header = page.ui.units_table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, Qt.SortOrder.AscendingOrder)
    names = _names(page)
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # a click on 单位名称 reverses it
    assert _names(page) == list(reversed(names))


def test_pinyin_initials_typed_into_the_search_box(qtbot, page) -> None:
    assert page.model.rowCount() == 3
    qtbot.keyClicks(page.ui.search_edit, "jgpcs")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)
    assert _names(page) == ["如东县公安局掘港派出所"]
    assert page.ui.count_label.text() == "共 1 个单位"
    page.ui.search_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=2000)
    page.ui.police_type_combo.setCurrentIndex(page.ui.police_type_combo.findText("交巡警"))
    assert _names(page) == ["海安市公安局交警大队"]


def test_add_unit_in_the_dialog_validating_as_typed(qtbot, page, type_chinese) -> None:
    assert not page.ui.edit_button.isEnabled()
    qtbot.mouseClick(page.ui.add_button, Qt.MouseButton.LeftButton)
    dialog = page._dialog
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    assert "单位名称" in dialog.ui.error_label.text()
    type_chinese(dialog.ui.name_edit, "海安市公安局城北中心派出所")  # already in the register
    dialog.ui.region_combo.setCurrentIndex(dialog.ui.region_combo.findText("海安市"))
    dialog.ui.police_type_combo.setCurrentIndex(dialog.ui.police_type_combo.findText("治安"))
    qtbot.waitUntil(lambda: "同名" in dialog.ui.error_label.text(), timeout=2000)
    assert not dialog.save_button.isEnabled()
    dialog.ui.name_edit.clear()
    type_chinese(dialog.ui.name_edit, "海安市公安局白甸派出所")
    type_chinese(dialog.ui.head_name_edit, "丁新")
    qtbot.keyClicks(dialog.ui.head_phone_edit, "8502035")
    qtbot.waitUntil(lambda: "负责人电话" in dialog.ui.error_label.text(), timeout=2000)
    assert not dialog.save_button.isEnabled()
    dialog.ui.head_phone_edit.clear()
    qtbot.keyClicks(dialog.ui.head_phone_edit, "13900007777")
    qtbot.keyClicks(dialog.ui.hotline_edit, "(0513)88880000")
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=2000)
    assert dialog.ui.error_label.text() == ""
    qtbot.keyClick(dialog.ui.hotline_edit, Qt.Key.Key_Return)  # Enter saves
    unit = Unit.get(Unit.name == "海安市公安局白甸派出所")
    assert (unit.head_phone, unit.rights_hotline) == ("13900007777", "0513-88880000")
    assert unit.bureau_id is None and unit.region.name == "海安市"
    assert UnitHead.get(UnitHead.unit == unit).name == "丁新"
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=2000)
    assert page.model.row_at(page.ui.units_table.currentIndex().row()).name == unit.name


def test_edit_dialog_saves_a_new_head(qtbot, page, type_chinese) -> None:
    _select(page, "海安市公安局交警大队")
    assert page.ui.edit_button.isEnabled()
    qtbot.mouseClick(page.ui.edit_button, Qt.MouseButton.LeftButton)
    dialog = page._dialog
    qtbot.addWidget(dialog)
    assert dialog.ui.name_edit.text() == "海安市公安局交警大队"
    dialog.ui.head_name_edit.clear()
    type_chinese(dialog.ui.head_name_edit, "丁二")
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=2000)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    unit = Unit.get(Unit.name == "海安市公安局交警大队")
    heads = [(h.name, h.until) for h in UnitHead.select().where(UnitHead.unit == unit)
             .order_by(UnitHead.id)]
    assert heads == [("丁测试", TODAY), ("丁二", None)]


def test_detail_records_a_title_and_saves_the_commitment(qtbot, page, type_chinese) -> None:
    _select(page, "海安市公安局城北中心派出所")
    qtbot.mouseClick(page.ui.detail_button, Qt.MouseButton.LeftButton)
    detail = page._dialog
    qtbot.addWidget(detail)
    assert detail.models["titles"].rowCount() == 0
    qtbot.mouseClick(detail.ui.record_title_button, Qt.MouseButton.LeftButton)
    rec = detail._child
    qtbot.addWidget(rec)
    rec.ui.level_combo.setCurrentIndex(rec.ui.level_combo.findText("市级"))
    qtbot.keyClicks(rec.ui.term_edit, "2011-2012")
    type_chinese(rec.ui.bodies_edit, "共青团南通市委、南通市公安局")
    rec.ui.named_on_edit.setDate(dt.date(2012, 8, 8))
    qtbot.waitUntil(rec.save_button.isEnabled, timeout=2000)
    qtbot.mouseClick(rec.save_button, Qt.MouseButton.LeftButton)
    title = Title.get()
    assert (title.level, title.term_start, title.naming_bodies_text) == (
        2, 2011, "共青团南通市委、南通市公安局")
    assert detail.models["titles"].rowCount() == 1
    assert detail.models["titles"].row_at(0)["plaque"] == "已授牌"
    # 服务承诺, inline
    detail.ui.detail_tabs.setCurrentWidget(detail.ui.commitment_tab)
    type_chinese(detail.ui.commitment_text_edit, "接警后五分钟内出警")
    detail.ui.commitment_hotline_edit.setText("8888")
    assert not detail.ui.commitment_save_button.isEnabled()
    assert "维权热线" in detail.ui.commitment_error_label.text()
    detail.ui.commitment_hotline_edit.setText("12355")
    qtbot.mouseClick(detail.ui.commitment_save_button, Qt.MouseButton.LeftButton)
    commitment = ServiceCommitment.get()
    assert (commitment.text, commitment.hotline) == ("接警后五分钟内出警", "12355")


def test_merge_dialog_asks_first_and_carries_the_chosen_title(qtbot, page, monkeypatch) -> None:
    a = Unit.get(Unit.name == "海安市公安局交警大队")
    t = Title.create(unit=a, level=1, term_start=2019, status="valid", owner_office=page.ctx.office)
    _select(page, a.name)
    qtbot.mouseClick(page.ui.merge_button, Qt.MouseButton.LeftButton)
    dialog = page._dialog
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.ui.target_search_edit, "cbzx")
    qtbot.waitUntil(lambda: dialog.targets.rowCount() == 1, timeout=2000)
    dialog.ui.target_table.selectRow(0)
    assert dialog.ok_button.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, text, *a, **k: asked.append(text) or False)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert asked and Unit.get_by_id(a.id).status == "active"  # declined: nothing changed
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert Unit.get_by_id(a.id).status == "merged"
    assert Title.get_by_id(t.id).unit.name == "海安市公安局城北中心派出所"


def test_youth_end_dialog_deregisters(qtbot, page, monkeypatch, type_chinese) -> None:
    a = Unit.get(Unit.name == "海安市公安局交警大队")
    t = Title.create(unit=a, level=1, term_start=2019, status="valid", owner_office=page.ctx.office)
    _select(page, a.name)
    qtbot.mouseClick(page.ui.youth_end_button, Qt.MouseButton.LeftButton)
    dialog = page._dialog
    qtbot.addWidget(dialog)
    assert "将注销" in dialog.ui.youth_info_label.text()
    assert not dialog.ok_button.isEnabled()
    type_chinese(dialog.ui.note_edit, "职能调整")
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert Title.get_by_id(t.id).status == "deregistered"
    assert not Unit.get_by_id(a.id).works_with_youth


def test_regions_dialog_renames_a_county(qtbot, page, monkeypatch, type_chinese) -> None:
    qtbot.mouseClick(page.ui.regions_button, Qt.MouseButton.LeftButton)
    dialog = page._dialog
    qtbot.addWidget(dialog)
    dialog.ui.region_pick_combo.setCurrentIndex(dialog.ui.region_pick_combo.findText("如东县"))
    type_chinese(dialog.ui.region_new_name_edit, "如东市")
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(dialog.ui.region_apply_button, Qt.MouseButton.LeftButton)
    region = Region.get(Region.name == "如东市")
    assert RegionName.get(RegionName.region == region).name == "如东县"
    assert "如东市" in [page.ui.county_combo.itemText(i) for i in range(page.ui.county_combo.count())]


def test_coverage_tab(qtbot, page) -> None:
    page.ui.main_tabs.setCurrentWidget(page.ui.coverage_tab)
    groups = [page.region_cov.row_at(r).group for r in range(page.region_cov.rowCount())]
    assert groups[-1] == "合计" and "海安市" in groups
    assert "覆盖率 0.0%" in page.ui.coverage_label.text()
