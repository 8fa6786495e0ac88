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
