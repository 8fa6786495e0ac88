"""The import dialog's key replacement (old and new fingerprints, phone check, reason) and the
exchange page's "复制到U盘"."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_pkg_support import TODAY, add_units, bind, copy_db  # noqa: E402

from wqg_desktop.db.models import KnownKey, Unit  # noqa: E402
from wqg_desktop.exchange import keys, merge, package  # noqa: E402
from wqg_desktop.ui import messages  # noqa: E402
from wqg_desktop.ui.bus import Bus  # noqa: E402
from wqg_desktop.ui.pages.exchange import ExchangePage  # noqa: E402

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)
SHOTS = Path("/tmp/pkg/shots")


def _page(qtbot, db: Path):
    ctx = bind(db)
    page = ExchangePage(ctx, Bus())
    qtbot.addWidget(page)
    page.resize(900, 480)
    page.show()
    return ctx, page


def test_changed_key_is_taken_in_after_phone_check_and_reason(qtbot, monkeypatch, type_chinese,
                                                              pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    city = copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(county):
        add_units(1)
        p1 = package.export_package(out=tmp_path / "p1.wqgpkg", today=TODAY).path
    with bind(city) as ctx, ctx.acting("汇总"):
        merge.import_package(p1, trust_new_key=True)
    with bind(county) as ctx, ctx.acting("换电脑"):
        old_fp = keys.identity().fingerprint
        new_fp = keys.regenerate_identity().fingerprint
        add_units(2, seed=2)
        p2 = package.export_package(out=tmp_path / "p2.wqgpkg", today=TODAY).path
    ctx, page = _page(qtbot, city)
    shown: list[str] = []
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: p2)
    monkeypatch.setattr(messages, "info", lambda parent, text, *a: shown.append(text))
    qtbot.mouseClick(page.ui.import_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.ui.fingerprint_label.text()
    assert old_fp in text and new_fp in text
    assert dialog.ui.replace_box.isVisible() and not dialog.ui.phone_check.isVisible()
    ok = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.mouseClick(dialog.ui.replace_check, Qt.MouseButton.LeftButton)
    assert not ok.isEnabled() and "原因" in dialog.ui.error_label.text()
    type_chinese(dialog.ui.reason_edit, "该单位硬盘损坏")
    assert ok.isEnabled()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "pkg_import_replace_key.png"))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert Unit.select().count() == 3 and shown
    known = KnownKey.get(KnownKey.fingerprint == new_fp)
    assert known.confirmed and not known.retired and known.note == "该单位硬盘损坏"
    assert KnownKey.get(KnownKey.fingerprint == old_fp).retired
    ctx.close()


def test_copy_to_usb_after_export(qtbot, monkeypatch, pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    ctx, page = _page(qtbot, county)
    target = tmp_path / "out.wqgpkg"
    usb = tmp_path / "usb"
    usb.mkdir()
    shown: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: target)
    monkeypatch.setattr(messages, "info", lambda parent, text, *a: shown.append(text))
    monkeypatch.setattr(messages, "error", lambda parent, text, *a: errors.append(text))
    monkeypatch.setattr(messages, "choose_folder", lambda *a, **k: usb)
    qtbot.mouseClick(page.ui.export_button, Qt.MouseButton.LeftButton)
    assert "复制到U盘" in shown[-1]
    qtbot.mouseClick(page.ui.copy_button, Qt.MouseButton.LeftButton)
    assert (usb / target.name).read_bytes() == target.read_bytes()
    assert "读回校验一致" in shown[-1] and not errors
    # the folder the package already sits in is not a USB stick
    monkeypatch.setattr(messages, "choose_folder", lambda *a, **k: tmp_path)
    qtbot.mouseClick(page.ui.copy_button, Qt.MouseButton.LeftButton)
    assert errors and "复制失败" in errors[-1]
    ctx.close()


def test_new_key_button_asks_first_and_jumps_the_counter(qtbot, monkeypatch, pkg_templates,
                                                         tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    ctx, page = _page(qtbot, county)
    old = keys.identity()
    answers = iter([False, True])
    shown: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: next(answers))
    monkeypatch.setattr(messages, "info", lambda parent, text, *a: shown.append(text))
    page.ui.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.ui.new_key_button, Qt.MouseButton.LeftButton)
    assert keys.identity().fingerprint == old.fingerprint  # declined: nothing changed
    qtbot.mouseClick(page.ui.new_key_button, Qt.MouseButton.LeftButton)
    new = keys.identity()
    assert new.fingerprint != old.fingerprint and new.fingerprint in shown[-1]
    assert new.sequence >= old.sequence + keys.SEQUENCE_SAFETY_GAP
    page.grab().save(str(SHOTS / "exchange_new_key.png"))
    ctx.close()
