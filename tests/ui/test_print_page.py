"""The 证书与牌匾打印 page and the calibration dialog, driven like an officer would."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialogButtonBox

from wqg_desktop.db.models import PrinterCalibration, PrintLayout, PrintLog
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs import print_output
from wqg_desktop.ui.dialogs.print_calibration import PrintCalibrationDialog
from wqg_desktop.ui.pages.printing import PrintingPage


@pytest.fixture
def page(qtbot, demo_ctx):
    widget = PrintingPage(demo_ctx, Bus())
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    return widget


def choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_preview_shows_pages_and_logs_a_draft(page, qtbot) -> None:
    if not print_output.qtpdf_available():
        pytest.skip("QtPdf not installed")
    choose(page.ui.kind_combo, "certificate")
    qtbot.mouseClick(page.ui.preview_button, Qt.MouseButton.LeftButton)
    assert page._document is not None and page._document.pageCount() >= 1
    assert "草稿" in page.ui.preview_message.text()
    rows = list(PrintLog.select())
    assert rows and not any(r.final for r in rows)


def test_save_final_pdf_issues_then_reprints(page, qtbot, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "证书.pdf"
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: target)
    choose(page.ui.kind_combo, "certificate")
    page.ui.final_check.setChecked(True)
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert target.stat().st_size > 0
    first = list(PrintLog.select().where(PrintLog.final == True))  # noqa: E712
    assert first and not any(r.reprint for r in first)
    assert "定稿" in page.ui.status_label.text()
    assert not page.ui.final_check.isChecked()  # one issue per tick
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda _p, text, *a, **k: asked.append(text) or True)
    page.ui.final_check.setChecked(True)
    qtbot.mouseClick(page.ui.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and f"{len(first)} 份证书都已经发放过" in asked[0]
    again = list(PrintLog.select().where(PrintLog.final == True, PrintLog.reprint == True))  # noqa: E712
    assert len(again) == len(first)
    assert "补印" in page.ui.status_label.text()
    page.ui.tabs.setCurrentWidget(page.ui.log_tab)
    page.ui.final_only_check.setChecked(True)
    assert page.log_model.rowCount() == 2 * len(first)


def test_units_scope_without_a_tick_is_refused(page, qtbot,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    warned = []
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a: warned.append(text))
    choose(page.ui.scope_combo, "units")
    qtbot.mouseClick(page.ui.preview_button, Qt.MouseButton.LeftButton)
    assert warned and "勾选" in warned[0]
    assert PrintLog.select().count() == 0


def test_print_to_a_printer_renders_every_page(page, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    if not print_output.qtpdf_available():
        pytest.skip("QtPdf not installed")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    choose(page.ui.kind_combo, "certificate")
    page._print_to(printer)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    logged = list(PrintLog.select().where(PrintLog.final == True))  # noqa: E712
    assert logged and all(r.kind == "certificate" for r in logged)
    assert re.search(r"Pages:\s+(\d+)", info)[1] == str(len(logged))  # one page each
    assert "842 x 595 pts (A4)" in info  # A4 landscape kept
    # the same certificates once more on paper: 补印, so the page asks; refused, nothing more
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, text, *a, **k: asked.append(text) or False)
    out.unlink()
    page._print_to(printer)
    assert len(asked) == 1 and f"{len(logged)} 份证书都已经发放过" in asked[0]
    assert not out.exists() and PrintLog.select().count() == len(logged)


def test_calibration_dialog_validates_and_saves(qtbot, demo_ctx) -> None:
    dialog = PrintCalibrationDialog(demo_ctx, printers=["办公室打印机"], printer="办公室打印机")
    qtbot.addWidget(dialog)
    dialog.show()
    save = dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Save)
    dialog.ui.dx_spin.setValue(2.5)
    dialog.ui.dy_spin.setValue(-1.0)
    # Push the date's box off the right edge: refused as typed.
    row = dialog.model.names.index("issue_date")
    dialog.model.setData(dialog.model.index(row, 1), "280")
    assert not save.isEnabled() and "超出了纸张" in dialog.ui.error_label.text()
    dialog.model.setData(dialog.model.index(row, 1), "140")
    assert save.isEnabled() and dialog.ui.error_label.text() == ""
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    cal = PrinterCalibration.get(PrinterCalibration.printer == "办公室打印机")
    assert (cal.dx_mm, cal.dy_mm, cal.scale) == (2.5, -1.0, 1.0)
    assert '"x": 140.0' in PrintLayout.get().fields


def test_page_and_dialog_fit_a_small_office_screen(page, qtbot, demo_ctx) -> None:
    dialog = PrintCalibrationDialog(demo_ctx, printers=[], printer="")
    qtbot.addWidget(dialog)
    for widget in (page, dialog):
        hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        assert hint.width() <= 900 and hint.height() <= 480, (type(widget).__name__, hint)
