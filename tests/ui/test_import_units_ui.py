"""The import dialog driven like a person: choose a file, fix a guess, import, export."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt

from wqg_desktop.db.models import Title, Unit
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs import import_units


def _book(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_import_with_a_corrected_guess(demo_ctx, qtbot, tmp_path, monkeypatch) -> None:
    path = _book(tmp_path / "名单.xlsx", [["序号", "单位名称"], [1, "1、海门市公安局新来派出所"],
                                          [2, "南通市公安消防支队新来中队"],
                                          [3, "海门市公安局三阳派出所"]])
    monkeypatch.setattr(messages, "open_file", lambda *a: path)
    infos: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, text, *a: infos.append(text))
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    bus = Bus()
    seen: list[str] = []
    bus.changed.connect(seen.append)
    dialog = import_units.open_import_units(None, demo_ctx, bus)
    qtbot.addWidget(dialog)
    model = dialog.preview
    assert [(r.row, r.action) for r in model.rows] == [(2, "new"), (3, "bad"), (4, "unchanged")]
    region_col = next(i for i, (k, _h) in enumerate(model.columns) if k == "region")
    index = model.index(0, region_col)
    assert index.data() == "海门区" and "海门区" in model.index(0, len(model.columns) - 1).data()
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    # the officer double-clicks the county and picks another one
    view = dialog.ui.preview_table
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index) or view.focusWidget()
    editor.setCurrentIndex(editor.findText("启东市"))
    view.commitData(editor)
    assert model.rows[0].values["region"] == "启东市"
    assert "共 3 行" in dialog.ui.summary_label.text()
    qtbot.mouseClick(dialog.ui.import_button, Qt.MouseButton.LeftButton)
    unit = Unit.get(Unit.name == "海门市公安局新来派出所")
    assert unit.region.name == "启东市" and unit.police_type.name == "治安"
    assert "新增 1 个单位" in infos[-1] and "Unit" in seen
    assert not Unit.select().where(Unit.name == "南通市公安消防支队新来中队").exists()


def test_unreadable_file_shows_the_reason(ctx, qtbot, tmp_path, monkeypatch) -> None:
    path = tmp_path / "假.xlsx"
    path.write_text("不是表格", encoding="utf-8")
    monkeypatch.setattr(messages, "open_file", lambda *a: path)
    dialog = import_units.open_import_units(None, ctx, Bus())
    qtbot.addWidget(dialog)
    assert "不是 Excel 工作簿" in dialog.ui.error_label.text()
    assert not dialog.ui.import_button.isEnabled()


def test_changing_the_mapping_replans(ctx, qtbot, tmp_path, monkeypatch) -> None:
    path = _book(tmp_path / "m.xlsx", [["单位名称", "领导"], ["海安市公安局城南派出所", "陈某"]])
    monkeypatch.setattr(messages, "open_file", lambda *a: path)
    dialog = import_units.open_import_units(None, ctx, Bus())
    qtbot.addWidget(dialog)
    assert dialog.preview.rows[0].values.get("head_name") is None
    combo = dialog._mapping_combos[1]
    combo.setCurrentIndex(combo.findText("负责人"))
    assert dialog.preview.rows[0].values["head_name"] == "陈某"



def test_tab_walks_the_mapping_combos_between_the_two_tables(ctx, qtbot, tmp_path, monkeypatch) -> None:
    path = _book(tmp_path / "m.xlsx", [["单位名称", "领导", "电话"], ["海安市公安局城南派出所", "陈某", "1"]])
    monkeypatch.setattr(messages, "open_file", lambda *a: path)
    dialog = import_units.open_import_units(None, ctx, Bus())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.ui.mapping_table.setFocus()
    visited = []
    for _ in range(4):
        dialog.focusNextChild()
        visited.append(dialog.focusWidget())
    assert visited == [*dialog._mapping_combos, dialog.ui.preview_table]
    # a real Tab key in a filled table leaves it (Qt's default would go from cell to cell)
    dialog.ui.preview_table.setCurrentIndex(dialog.preview.index(0, 0))
    qtbot.keyClick(dialog.ui.preview_table, Qt.Key.Key_Tab)
    expected = dialog.ui.import_button if dialog.ui.import_button.isEnabled() else dialog.ui.close_button
    assert dialog.focusWidget() is expected


def test_titles_import_dialog(demo_ctx, qtbot, tmp_path, monkeypatch) -> None:
    path = _book(tmp_path / "称号.xlsx", [
        ["单位名称", "层级", "年度", "命名单位", "命名日期"],
        ["南通市公安局崇川分局任港派出所", "市", "2019", "共青团南通市委、南通市公安局", "2020-05-04"]])
    monkeypatch.setattr(messages, "open_file", lambda *a: path)
    monkeypatch.setattr(messages, "info", lambda *a: None)
    before = Title.select().count()
    dialog = import_units.open_import_titles(None, demo_ctx, Bus())
    qtbot.addWidget(dialog)
    assert [r.action for r in dialog.preview.rows] == ["new"]
    qtbot.mouseClick(dialog.ui.import_button, Qt.MouseButton.LeftButton)
    assert Title.select().count() == before + 1


def test_export_units_writes_the_given_ids(demo_ctx, qtbot, tmp_path, monkeypatch) -> None:
    target = tmp_path / "导出"
    monkeypatch.setattr(messages, "save_file", lambda *a: target)
    monkeypatch.setattr(messages, "info", lambda *a: None)
    ids = [u.id for u in Unit.select().order_by(Unit.name).limit(3)]
    written = import_units.export_units(None, demo_ctx, ids)
    assert written == tmp_path / "导出.xlsx"
    rows = list(load_workbook(written).active.iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][0] == Unit.get_by_id(ids[0]).name
