"""Reading and importing a package show a window-modal bar at once, with a wait cursor; it
closes however the call ends, 取消 stops a preview, and a refusal is shown after it is gone."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QProgressDialog, QPushButton

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_pkg_support import TODAY, add_units, bind, copy_db, file_digest  # noqa: E402

from wqg_desktop.db.models import PackageLog, Unit  # noqa: E402
from wqg_desktop.exchange import merge, package  # noqa: E402
from wqg_desktop.ui import messages  # noqa: E402
from wqg_desktop.ui.bus import Bus  # noqa: E402
from wqg_desktop.ui.pages.exchange import ExchangePage  # noqa: E402

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


@pytest.fixture
def county(pkg_templates, tmp_path) -> dict[str, Path]:
    """County A's first package (three units) and its second (one more)."""
    db = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(db):
        add_units(3)
        p1 = package.export_package(out=tmp_path / "p1.wqgpkg", today=TODAY).path
        add_units(1, seed=1)
        p2 = package.export_package(out=tmp_path / "p2.wqgpkg", today=TODAY).path
    return {"p1": p1, "p2": p2}


@pytest.fixture
def page(qtbot, pkg_templates, tmp_path, county):  # type: ignore[no-untyped-def]
    """The city's page (bound after the county made its packages: one database at a time)."""
    ctx = bind(copy_db(pkg_templates["city"], tmp_path / "city.sqlite3"))
    page = ExchangePage(ctx, Bus())
    qtbot.addWidget(page)
    page.resize(900, 480)
    page.show()
    page.refresh()
    yield page
    ctx.close()


def _bars() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def _cursor() -> Qt.CursorShape | None:
    cursor = QApplication.overrideCursor()
    return None if cursor is None else cursor.shape()


class Spy:
    """Wraps a merge service: notes what the screen shows before the call and at each report."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, on_report=None) -> None:  # type: ignore[no-untyped-def]
        self.before: list[list[QProgressDialog]] = []
        self.seen: list[dict] = []
        real = getattr(merge, name)

        def wrapped(*args, progress=None, **kwargs):  # type: ignore[no-untyped-def]
            if progress is None and len(args) > 1:
                args, progress = args[:1], args[1]
            self.before.append(_bars())

            def report(done: int, total: int, text: str) -> None:
                self.seen.append({"text": text, "visible": progress.isVisible(), "bars": _bars(),
                                  "modality": progress.windowModality(), "cursor": _cursor(),
                                  "buttons": [b.text() for b in progress.findChildren(QPushButton)
                                              if b.isVisible()],
                                  "value": progress.value(), "maximum": progress.maximum()})
                if on_report is not None:
                    on_report(progress, text)
                progress(done, total, text)

            return real(*args, progress=report, **kwargs)

        monkeypatch.setattr(merge, name, wrapped)


def test_preview_then_import_show_the_bar_at_once_and_close_it(qtbot, monkeypatch, page, county) -> None:
    shown: list[str] = []
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: county["p1"])
    monkeypatch.setattr(messages, "info", lambda parent, text, *a: shown.append(text))
    monkeypatch.setattr(messages, "error", lambda *a, **k: pytest.fail(f"unexpected error {a}"))
    preview = Spy(monkeypatch, "prepare_import")
    qtbot.mouseClick(page.ui.import_button, Qt.MouseButton.LeftButton)
    # shown before the service starts, over the page, while each stage is reported
    assert len(preview.before) == 1 and len(preview.before[0]) == 1
    assert preview.before[0][0].parent() is page
    assert preview.seen[0]["text"] == "正在校验签名与文件…"
    assert all(s["visible"] and len(s["bars"]) == 1 for s in preview.seen)
    assert {s["modality"] for s in preview.seen} == {Qt.WindowModality.WindowModal}
    assert {s["cursor"] for s in preview.seen} == {Qt.CursorShape.BusyCursor}
    assert all(s["buttons"] == ["取消"] for s in preview.seen)
    assert any(s["text"] == "正在读取记录：基层单位" for s in preview.seen)
    values = [s["value"] for s in preview.seen[1:]]
    assert values == sorted(values) and values[-1] > values[0]  # determinate, moving on
    # gone, cursor back, the preview dialog up
    assert not _bars() and _cursor() is None
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    imported = Spy(monkeypatch, "import_package")
    dialog.ui.phone_check.setChecked(True)
    qtbot.mouseClick(dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert len(imported.before[0]) == 1 and imported.before[0][0].parent() is dialog
    assert all(s["visible"] for s in imported.seen)
    assert {s["cursor"] for s in imported.seen} == {Qt.CursorShape.WaitCursor}
    assert all(s["buttons"] == [] for s in imported.seen)  # no 取消 while importing
    texts = [s["text"] for s in imported.seen]
    assert "正在写入：基层单位" in texts and texts[-1] == "导入完成"
    # the preview's plan is written as it stands: nothing read or compared a second time
    assert not any(t.startswith(("正在读取记录", "正在比对")) for t in texts)
    assert dialog.prepared is None  # let go with the dialog
    assert not _bars() and _cursor() is None
    assert Unit.select().count() == 3 and not dialog.isVisible()
    assert shown and "新增" in shown[0]


def test_a_refused_package_is_shown_once_the_bar_is_gone(qtbot, monkeypatch, page, county,
                                                         tmp_path) -> None:
    broken = tmp_path / "cut.wqgpkg"
    broken.write_bytes(county["p1"].read_bytes()[:-30])
    errors: list[tuple[str, list, object]] = []
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: broken)
    monkeypatch.setattr(messages, "error", lambda parent, text, *a: errors.append((text, _bars(), _cursor())))
    before = file_digest(page.ctx.db_path)
    qtbot.mouseClick(page.ui.import_button, Qt.MouseButton.LeftButton)
    assert len(errors) == 1
    text, bars, cursor = errors[0]
    assert text.startswith("无法导入“cut.wqgpkg”：") and "结尾缺失" in text
    assert bars == [] and cursor is None  # the refusal is not hidden behind the bar
    assert page.dialog is None and page.ui.import_button.isEnabled()
    assert file_digest(page.ctx.db_path) == before
    # the page goes on: the sound package is read as usual
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: county["p1"])
    qtbot.mouseClick(page.ui.import_button, Qt.MouseButton.LeftButton)
    assert page.dialog is not None and page.dialog.preview.diffs["Unit"].new == 3
    assert len(errors) == 1 and not _bars() and _cursor() is None


def test_cancel_stops_the_preview_and_says_nothing(qtbot, monkeypatch, page, county) -> None:
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: county["p1"])
    monkeypatch.setattr(messages, "error", lambda *a, **k: pytest.fail("cancelling is no error"))

    def press_cancel(bar: QProgressDialog, text: str) -> None:
        if text.startswith("正在读取记录："):
            (button,) = [b for b in bar.findChildren(QPushButton) if b.text() == "取消"]
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    spy = Spy(monkeypatch, "prepare_import", press_cancel)
    before = file_digest(page.ctx.db_path)
    qtbot.mouseClick(page.ui.import_button, Qt.MouseButton.LeftButton)
    texts = [s["text"] for s in spy.seen]
    assert texts[-1].startswith("正在读取记录：") and "预览完成" not in texts  # stopped there
    assert page.dialog is None and not _bars() and _cursor() is None
    assert file_digest(page.ctx.db_path) == before


def test_an_import_refused_in_the_dialog_closes_the_bar_and_says_why(qtbot, monkeypatch, page,
                                                                     county) -> None:
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: county["p1"])
    qtbot.mouseClick(page.ui.import_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    dialog.ui.phone_check.setChecked(True)
    # meanwhile the county's later package was taken in: the previewed one is now too old
    merge.import_package(county["p2"], trust_new_key=True, db_path=None)
    ok = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert "第 1 号包更旧" in dialog.ui.error_label.text()
    assert dialog.isVisible() and not ok.isEnabled()
    assert not _bars() and _cursor() is None
    assert PackageLog.select().count() == 1 and Unit.select().count() == 4
