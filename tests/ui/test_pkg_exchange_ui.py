"""The 上报与汇总 page: make a package, take one in through the preview, restore a backup."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_pkg_support import (  # noqa: E402
    TODAY,
    add_units,
    bind,
    copy_db,  # the fixture, registered under its own name
)

from wqg_desktop.db.models import PackageLog, Unit  # noqa: E402
from wqg_desktop.exchange import package  # noqa: E402
from wqg_desktop.ui import messages  # noqa: E402
from wqg_desktop.ui.bus import Bus  # noqa: E402
from wqg_desktop.ui.pages.exchange import ExchangePage  # noqa: E402

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


@pytest.fixture
def county_package(pkg_templates, tmp_path) -> Path:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county):
        add_units(3)
        return package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY).path


def _page(qtbot, db: Path):
    ctx = bind(db)
    page = ExchangePage(ctx, Bus())
    qtbot.addWidget(page)
    page.resize(900, 480)
    page.show()
    return ctx, page


def test_import_needs_the_phone_check_then_merges(qtbot, monkeypatch, pkg_templates, county_package,
                                                   tmp_path) -> None:
    city = copy_db(pkg_templates["city"], tmp_path / "city.sqlite3")
    ctx, page = _page(qtbot, city)
    shown: list[str] = []
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: county_package)
    monkeypatch.setattr(messages, "info", lambda parent, text, *a: shown.append(text))
    qtbot.mouseClick(page.ui.import_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "电话核对" in dialog.ui.error_label.text()
    assert dialog.preview.fingerprint in dialog.ui.fingerprint_label.text()
    dialog.ui.phone_check.setChecked(True)
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert Unit.select().count() == 3
    assert shown and "新增" in shown[0]
    assert page.log_model.rowCount() == 1 and page.backup_model.rowCount() == 1
    Path("/tmp/pkg/shots").mkdir(parents=True, exist_ok=True)
    page.grab().save("/tmp/pkg/shots/exchange_page.png")
    ctx.close()


def test_export_and_restore_from_the_page(qtbot, monkeypatch, pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    ctx, page = _page(qtbot, county)
    target = tmp_path / "out.wqgpkg"
    shown: list[str] = []
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: target)
    monkeypatch.setattr(messages, "info", lambda parent, text, *a: shown.append(text))
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    qtbot.mouseClick(page.ui.export_button, Qt.MouseButton.LeftButton)
    assert target.is_file() and PackageLog.select().count() == 1
    assert "读回校验" in shown[-1] and page.log_model.rowCount() == 1
    # back up, add a unit, restore the backup: the unit is gone again
    from wqg_desktop.exchange import backups

    backups.make_backup(ctx.db_path, "自动")
    add_units(1)
    page.refresh()
    page.ui.tabs.setCurrentIndex(1)
    page.ui.backups_table.selectRow(0)
    qtbot.mouseClick(page.ui.restore_button, Qt.MouseButton.LeftButton)
    assert Unit.select().count() == 0
    assert "已恢复" in shown[-1]
    page.grab().save("/tmp/pkg/shots/exchange_backups.png")
    ctx.close()


def test_restore_from_a_chosen_file(qtbot, monkeypatch, pkg_templates, tmp_path) -> None:
    from wqg_desktop.exchange import backups

    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    ctx, page = _page(qtbot, county)
    add_units(2)
    usb = backups.manual_backup(tmp_path / "usb" / "维权岗备份.sqlite3")  # not in backups/
    add_units(3, seed=1)
    page.refresh()
    page.ui.tabs.setCurrentIndex(1)
    assert page.ui.restore_file_button.isEnabled()  # no list selection needed
    asked: list[str] = []
    shown: list[str] = []
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: usb)
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) or True)
    monkeypatch.setattr(messages, "info", lambda parent, text, *a: shown.append(text))
    qtbot.mouseClick(page.ui.restore_file_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    question = asked[0]
    assert "维权岗备份.sqlite3" in question and "海安市公安局" in question
    assert "2 个单位" in question and "最后一次改动" in question and "注意" not in question
    assert Unit.select().count() == 2
    assert "已恢复" in shown[-1]
    restored = backups.list_backups(ctx.db_path)
    assert restored[0].label == "恢复前" and restored[0].units == 5  # the state before, kept
    assert page.backup_model.rowCount() == len(restored)
    ctx.close()


def test_restore_from_file_cancelled_changes_nothing(qtbot, monkeypatch, pkg_templates,
                                                     tmp_path) -> None:
    from wqg_desktop.exchange import backups

    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    ctx, page = _page(qtbot, county)
    usb = backups.manual_backup(tmp_path / "usb" / "备份.sqlite3")
    add_units(1)
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: usb)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    qtbot.mouseClick(page.ui.restore_file_button, Qt.MouseButton.LeftButton)
    assert Unit.select().count() == 1 and not backups.list_backups(ctx.db_path)
    ctx.close()


def test_restore_from_another_offices_file_says_whose_it_is(qtbot, monkeypatch, pkg_templates,
                                                            tmp_path) -> None:
    from wqg_desktop.exchange import backups

    other = copy_db(pkg_templates["b"], tmp_path / "b.sqlite3")
    with bind(other):
        theirs = backups.manual_backup(tmp_path / "usb" / "如东.sqlite3")
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    ctx, page = _page(qtbot, county)
    asked: list[str] = []
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: theirs)
    monkeypatch.setattr(messages, "confirm", lambda parent, text, *a, **k: asked.append(text) and False)
    qtbot.mouseClick(page.ui.restore_file_button, Qt.MouseButton.LeftButton)
    assert "如东县公安局" in asked[0] and "不是本办公室（海安市公安局）的" in asked[0]
    ctx.close()


@pytest.mark.parametrize("kind", ["text", "truncated", "other_program", "newer"])
def test_restore_from_a_wrong_file_says_why_and_changes_nothing(qtbot, monkeypatch, pkg_templates,
                                                                tmp_path, kind) -> None:
    from test_backup_restore_file import BAD_FILES

    from wqg_desktop.exchange import backups

    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    ctx, page = _page(qtbot, county)
    add_units(2)
    make, reason = BAD_FILES[kind]  # the very files the service's own tests refuse
    (tmp_path / "usb").mkdir()
    bad = make(tmp_path / "usb")
    errors: list[str] = []
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: bad)
    monkeypatch.setattr(messages, "error", lambda parent, text, *a: errors.append(text))
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: pytest.fail("a wrong file is never offered"))
    qtbot.mouseClick(page.ui.restore_file_button, Qt.MouseButton.LeftButton)
    assert len(errors) == 1 and reason in errors[0] and bad.name in errors[0]
    assert "当前数据没有改动" in errors[0]
    assert Unit.select().count() == 2 and not backups.list_backups(ctx.db_path)  # no 恢复前
    ctx.close()


def test_restore_from_file_is_for_an_admin_only(qtbot, pkg_templates, tmp_path) -> None:
    from wqg_desktop.domain import roles

    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    ctx = bind(county)  # opening a file makes its user 管理员: a clerk is a server account
    roles.set_current_role(roles.Role.CLERK)
    try:
        page = ExchangePage(ctx, Bus())
        qtbot.addWidget(page)
        page.refresh()
        assert not page.ui.restore_file_button.isEnabled()
        assert page.ui.restore_file_button.toolTip().startswith("只有管理员可以从备份恢复")
    finally:
        roles.set_current_role(roles.Role.ADMIN)
    ctx.close()
