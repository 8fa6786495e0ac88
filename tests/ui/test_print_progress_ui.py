"""The 证书与牌匾打印 page while it produces: progress, stopping, 定稿 once, failures shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from tests.ui.test_print_page import choose
from tests.unit.test_print_service import name_city_campaign
from wqg_desktop.db.models import PrintLog, Title, Unit
from wqg_desktop.domain.statuses import UnitStatus
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages import printing as page_module
from wqg_desktop.ui.pages.printing import PrintingPage


@pytest.fixture
def page(qtbot, demo_ctx):
    # The city campaign named: its 11 certificates are the latest naming, the default scope.
    name_city_campaign(demo_ctx)
    widget = PrintingPage(demo_ctx, Bus())
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    return widget


def open_dialogs(page) -> list[QProgressDialog]:
    return [d for d in page.findChildren(QProgressDialog) if d.isVisible()]


def spy_progress(monkeypatch: pytest.MonkeyPatch, on_step=None) -> list[tuple]:
    """Record what the page's progress callback is told, and what its dialog then shows."""
    seen: list[tuple] = []
    produce = page_module.printing.produce

    def spying(*args, progress, **kwargs):  # type: ignore[no-untyped-def]
        def step(done: int, total: int, text: str) -> None:
            if on_step is not None:
                on_step(done, total, text)
            progress(done, total, text)
            (dialog,) = open_dialogs(spying.page)
            seen.append((done, total, text, dialog.value(), dialog.maximum(),
                         dialog.labelText()))

        return produce(*args, progress=step, **kwargs)

    monkeypatch.setattr(page_module.printing, "produce", spying)
    return seen, spying


def no_question(*_a, **_k) -> bool:
    raise AssertionError("nothing should be asked here")


def test_save_shows_page_progress_in_a_determinate_dialog(page, qtbot, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "证书.pdf"
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: target)
    monkeypatch.setattr(messages, "confirm", no_question)
    seen, spying = spy_progress(monkeypatch)
    spying.page = page
    choose(page.ui.kind_combo, "certificate")
    page.ui.final_check.setChecked(True)
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    issued = PrintLog.select().where(PrintLog.final == True).count()  # noqa: E712
    assert target.stat().st_size > 0 and issued > 10
    texts = [text for *_, text, _v, _m, _l in seen]
    assert f"正在生成证书：第 10 / {issued} 页……" in texts  # every few pages, from the renderer
    assert texts[-1] == "正在登记证书发放……" and issued == 11
    done, total, _text, value, maximum, label = seen[-1]
    assert (done, total, value, maximum, label) == (issued, issued, issued, issued, texts[-1])
    assert all(m == issued for *_, m, _l in seen)  # determinate: pages in all
    assert not open_dialogs(page)  # closed when done


def test_cancel_leaves_no_file_and_logs_nothing(page, qtbot, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "证书.pdf"
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: target)
    monkeypatch.setattr(messages, "confirm", no_question)
    monkeypatch.setattr(messages, "warn", no_question)

    def press_cancel(done: int, _total: int, text: str) -> None:
        if done >= 10:
            open_dialogs(page)[0].cancel()

    seen, spying = spy_progress(monkeypatch, press_cancel)
    spying.page = page
    choose(page.ui.kind_combo, "certificate")
    page.ui.final_check.setChecked(True)
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert seen and max(done for done, *_ in seen) < 10  # stopped at the first page report
    assert not target.exists()
    assert PrintLog.select().count() == 0
    assert "已取消保存" in page.ui.status_label.text()
    assert page.ui.final_check.isChecked()  # nothing was saved: the choice stays
    assert not open_dialogs(page)


def test_final_is_unticked_after_a_save_and_a_refused_reprint_records_nothing(
        page, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    targets = iter([tmp_path / "first.pdf", tmp_path / "again.pdf", tmp_path / "draft.pdf"])
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: next(targets))
    monkeypatch.setattr(messages, "confirm", no_question)
    choose(page.ui.kind_combo, "certificate")
    page.ui.final_check.setChecked(True)
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    issued = PrintLog.select().where(PrintLog.final == True).count()  # noqa: E712
    assert issued > 0 and not page.ui.final_check.isChecked()

    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, text, *a, **k: asked.append(text) or False)
    page.ui.final_check.setChecked(True)
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and f"{issued} 份证书都已经发放过" in asked[0] and "补印" in asked[0]
    assert not (tmp_path / "again.pdf").exists()
    assert PrintLog.select().count() == issued  # refused: nothing written, nothing logged

    page.ui.final_check.setChecked(False)  # a draft asks nothing and issues nothing
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and (tmp_path / "draft.pdf").exists()
    assert PrintLog.select().where(PrintLog.final == True).count() == issued  # noqa: E712


def test_a_failed_save_replaces_the_previous_saved_status(page, qtbot, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    targets = iter([tmp_path / "ok.pdf", tmp_path / "gone" / "stick.pdf"])
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: next(targets))
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a: warned.append(text))
    choose(page.ui.kind_combo, "certificate")
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert page.ui.status_label.text().startswith("已保存草稿")
    # The folder is gone (a USB stick pulled out): the file cannot be written.
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert warned and "无法写入文件" in warned[0]
    assert "文件或它所在的文件夹不存在" in warned[0]  # the reason in Chinese, not the system's
    status = page.ui.status_label.text()
    assert "已保存" not in status and status.startswith("保存失败")


def test_a_refused_save_replaces_the_previous_saved_status(page, qtbot, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: tmp_path / "x.pdf")
    warned: list[str] = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a: warned.append(text))
    choose(page.ui.kind_combo, "certificate")
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert page.ui.status_label.text().startswith("已保存草稿")
    titled = Title.select(Title.unit)
    untitled = (Unit.select().where(Unit.id.not_in(titled), Unit.status == UnitStatus.ACTIVE)
                .order_by(Unit.name).first())
    choose(page.ui.scope_combo, "units")
    page.load()
    for row in range(page.units_model.rowCount()):
        item = page.units_model.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == untitled.uuid:
            item.setCheckState(Qt.CheckState.Checked)
    assert page._checked_units() == [untitled.uuid]
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert warned and "没有有效称号" in warned[0]
    assert page.ui.status_label.text() == f"保存失败：{warned[0]}"
