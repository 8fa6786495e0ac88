"""证书与牌匾打印: choose a document and what it covers, preview it, save it, print it.

Previews and unticked saves are drafts; a print to a printer or a save with 定稿 ticked
issues the certificates (the service logs each number once, later ones as 补印). Everything
is rendered by :mod:`wqg_desktop.services.printing`, the same code as ``wqg print``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign, Unit
from wqg_desktop.domain.statuses import UnitStatus
from wqg_desktop.errors import WqgError, os_reason
from wqg_desktop.services import printing
from wqg_desktop.services.office import this_office
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs import print_output
from wqg_desktop.ui.dialogs.print_calibration import PrintCalibrationDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import READ_ONLY_TIP, Page, allow, tidy_table
from wqg_desktop.ui.progress import ProgressBar

FORM = "printing_page"

SCOPES = [("default", "默认（证书：最近一次命名）"), ("campaign", "一个创建活动"),
          ("units", "勾选的单位")]
LOG_COLUMNS = [
    Column("at", "时间", lambda v: f"{v:%Y-%m-%d %H:%M}" if v else ""),
    Column("kind", "文档", lambda v: printing.KINDS.get(v, v or "")),
    Column("certificate_no", "证书编号"),
    Column("unit_name", "单位"),
    Column("final", "性质", lambda v: "定稿" if v else "草稿"),
    Column("reprint", "补印", lambda v: "补印" if v else ""),
    Column("copies", "份数", align_right=True),
    Column("actor", "经办人"),
    Column("target", "打印机/文件"),
]


class PrintingPage(Page):
    TITLE = "证书与牌匾打印"
    HELP = "证书与牌匾打印"
    WATCHES = ("Title", "Campaign", "Unit", "PrintLog", "PrintLayout", "PrinterCalibration")

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        for kind, label in printing.KINDS.items():
            self.ui.kind_combo.addItem(label, kind)
        for key, label in SCOPES:
            self.ui.scope_combo.addItem(label, key)
        self.ui.layout_combo.addItem("空白纸整张打印", "full")
        self.ui.layout_combo.addItem("套打（预印证书纸）", "overlay")
        self.ui.paper_combo.addItems(["A4", "A3"])
        self.ui.heading_combo.addItems(["荣誉证书", "证书"])
        self.units_model = QStandardItemModel(self)
        self.units_proxy = QSortFilterProxyModel(self)
        self.units_proxy.setSourceModel(self.units_model)
        self.units_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.ui.units_list.setModel(self.units_proxy)
        self.ui.unit_filter_edit.textChanged.connect(self.units_proxy.setFilterFixedString)
        self.log_model = RowsModel(LOG_COLUMNS, parent=self)
        self.ui.log_table.setModel(self.log_model)
        tidy_table(self.ui.log_table, stretch_column=3)
        self.ui.splitter.setStretchFactor(1, 1)
        self.ui.splitter.setSizes([250, 650])
        # At 150% the option panel is narrow: combos shrink to a few characters and show their
        # whole text as a tooltip; the status line is elided rather than widening the page.
        for combo in (self.ui.kind_combo, self.ui.scope_combo, self.ui.campaign_combo,
                      self.ui.layout_combo, self.ui.paper_combo, self.ui.heading_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            combo.currentTextChanged.connect(lambda text, c=combo: c.setToolTip(text))
            combo.setToolTip(combo.currentText())
        self.ui.status_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                           QSizePolicy.Policy.Preferred)
        self.ui.kind_combo.currentIndexChanged.connect(lambda _i: self._update_enabled())
        self.ui.scope_combo.currentIndexChanged.connect(lambda _i: self._update_enabled())
        self.ui.final_only_check.toggled.connect(lambda _c: self._load_log())
        self.ui.preview_button.clicked.connect(self.preview)
        self.ui.save_button.clicked.connect(self.save_pdf)
        self.ui.print_button.clicked.connect(self.print_document)
        self.ui.calibrate_button.clicked.connect(self.open_calibration)
        self._tmp = tempfile.TemporaryDirectory(prefix="wqg-print-")
        self._document = None
        self._view = None
        self._previews = 0
        if not print_output.qtpdf_available():
            self.ui.preview_message.setText(print_output.MISSING_QTPDF)
        if not self.writable:
            # read-only: drafts only (previews and unticked saves, not logged); issuing
            # certificates (定稿, print) and saving a calibration would write
            self.ui.final_check.setChecked(False)
            for button in (self.ui.print_button, self.ui.calibrate_button):
                allow(button, READ_ONLY_TIP)
        self._update_enabled()

    # -- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        current = self.ui.campaign_combo.currentData()
        self.ui.campaign_combo.clear()
        office = this_office()
        for c in (Campaign.select().where(Campaign.owner_office == office)
                  .order_by(Campaign.term_start.desc(), Campaign.level.desc())):
            self.ui.campaign_combo.addItem(c.name, c.uuid)
        self.ui.campaign_combo.setCurrentIndex(max(0, self.ui.campaign_combo.findData(current)))
        checked = set(self._checked_units())
        self.units_model.clear()
        for unit in (Unit.select(Unit.uuid, Unit.name).where(Unit.status == UnitStatus.ACTIVE)
                     .order_by(Unit.name)):
            item = QStandardItem(unit.name)
            item.setData(unit.uuid, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if unit.uuid in checked
                               else Qt.CheckState.Unchecked)
            self.units_model.appendRow(item)
        self._load_log()

    def _load_log(self) -> None:
        self.log_model.set_rows(printing.print_log(final_only=self.ui.final_only_check.isChecked()))

    def _checked_units(self) -> list[str]:
        return [self.units_model.item(r).data(Qt.ItemDataRole.UserRole)
                for r in range(self.units_model.rowCount())
                if self.units_model.item(r).checkState() == Qt.CheckState.Checked]

    def _update_enabled(self) -> None:
        kind = self.ui.kind_combo.currentData()
        scope = self.ui.scope_combo.currentData()
        self.ui.campaign_combo.setEnabled(scope == "campaign")
        self.ui.units_list.setEnabled(scope == "units")
        self.ui.unit_filter_edit.setEnabled(scope == "units")
        self.ui.certificate_group.setEnabled(kind == "certificate")
        self.ui.final_check.setEnabled(kind == "certificate" and self.writable)
        if not self.writable:
            self.ui.final_check.setToolTip(READ_ONLY_TIP)

    # -- producing -------------------------------------------------------------------------

    def selection(self) -> printing.Selection:
        scope = self.ui.scope_combo.currentData()
        if scope == "campaign":
            return printing.Selection(campaign=self.ui.campaign_combo.currentData() or "")
        if scope == "units":
            return printing.Selection(units=self._checked_units())
        return printing.Selection()

    def _produce(self, out: Path, *, final: bool, printer: str = "", preview: bool = False,
                 action: str = "生成") -> printing.PrintOutcome | None:
        """Render and log through the service, with a progress dialog that can stop it.

        ``action`` (预览, 保存, 打印) names what failed in the status line, which otherwise
        would still show the previous “已保存 …”. A stop leaves no file and logs nothing.
        """
        kind = self.ui.kind_combo.currentData()
        if self.ui.scope_combo.currentData() == "units" and not self._checked_units():
            self._status(f"{action}失败：没有勾选单位。")
            messages.warn(self, "请先在列表中勾选要打印的单位。")
            return None
        stopped = failed = None
        with ProgressBar(self, self.TITLE, f"正在生成{printing.KINDS[kind]}……",
                         cancel=printing.PrintCancelled) as progress:
            try:
                with self.ctx.acting("打印" + ("（定稿）" if final else "（草稿）")):
                    outcome = printing.produce(
                        kind, out=out, selection=self.selection(), final=final,
                        layout=self.ui.layout_combo.currentData(),
                        paper=self.ui.paper_combo.currentText(), printer=printer,
                        copies=self.ui.copies_spin.value(),
                        title_text=self.ui.heading_combo.currentText(),
                        preview_background=preview, today=self.ctx.today(), log=self.writable,
                        progress=progress)
            except printing.PrintCancelled as exc:
                stopped = exc.message.removeprefix("已取消：")
            except WqgError as exc:
                failed = exc.message
            except OSError as exc:  # the chosen folder is not writable, the disk is full…
                failed = f"无法写入文件 {out}：{os_reason(exc)}。请换一个位置保存。"
        # said once the bar is gone
        if self.writable:
            self.bus.notify("PrintLog")
        if stopped is not None:
            self._status(f"已取消{action}：{stopped}")
            return None
        if failed is not None:
            self._status(f"{action}失败：{failed}")
            messages.warn(self, failed)
            return None
        return outcome

    def preview(self) -> None:
        # A new file each time: the previous preview may still be open in the viewer.
        self._previews += 1
        out = Path(self._tmp.name) / f"preview-{self._previews}.pdf"
        outcome = self._produce(out, final=False, preview=True, action="预览")
        if outcome is None:
            return
        if not print_output.qtpdf_available():
            self.ui.preview_message.setText(print_output.MISSING_QTPDF)
            return
        if self._view is None:
            self._view = print_output.make_view(self.ui.preview_host)
            self.ui.preview_host.layout().addWidget(self._view)
        old = self._document
        self._document = print_output.open_document(out, self)
        self._view.setDocument(self._document)
        if old is not None:
            old.close()
            old.deleteLater()
        self.ui.preview_message.setText(f"预览（草稿，不计入发放）：共 {outcome.pages} 页")
        self.ui.tabs.setCurrentWidget(self.ui.preview_tab)

    def save_pdf(self) -> None:
        kind = self.ui.kind_combo.currentData()
        notices = kind in ("naming-notice", "publicity-notice")
        filters = "PDF 文件 (*.pdf);;Word 文档 (*.docx)" if notices else "PDF 文件 (*.pdf)"
        path = messages.save_file(self, "保存文档", f"{printing.KINDS[kind]}.pdf", filters)
        if path is None:
            return
        if path.suffix.lower() not in (".pdf", ".docx") or (path.suffix.lower() == ".docx"
                                                            and not notices):
            path = path.with_suffix(".pdf")
        final = self.ui.final_check.isChecked() and kind == "certificate" and self.writable
        if final and not self._confirm_reprints():
            return
        outcome = self._produce(path, final=final, action="保存")
        if outcome is None:
            return
        state = "定稿（已计入证书发放登记）" if final else "草稿"
        extra = f"，其中补印 {outcome.reprints} 份" if outcome.reprints else ""
        self._status(f"已保存{state}：{path}{extra}")
        if final:
            # One issue per tick: a second 保存 is a draft unless the officer ticks it again
            # (it used to log every certificate once more as 补印, without a word).
            self.ui.final_check.setChecked(False)

    def _confirm_reprints(self) -> bool:
        """Before a 定稿 that would log 补印: say how many, and let the officer stop."""
        try:
            plan = printing.final_plan(self.selection())
        except WqgError:
            return True  # the save itself refuses, with the same message
        if not plan.reprints:
            return True
        if plan.first_issues:
            which = f"所选 {plan.certificates} 份证书中有 {plan.reprints} 份已经发放过"
            first = f"，其余 {plan.first_issues} 份登记为首次发放"
        else:
            which, first = f"所选 {plan.certificates} 份证书都已经发放过", ""
        return messages.confirm(
            self,
            f"{which}。保存为定稿将把这 {plan.reprints} 份登记为补印{first}。\n\n"
            "只想另存一份或再看一看，请选“取消”，不勾选“保存为定稿”，保存为草稿。",
            yes=f"登记补印 {plan.reprints} 份并保存", no="取消")

    # -- printing to paper -----------------------------------------------------------------

    def print_document(self) -> None:
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._printer.setCopyCount(self.ui.copies_spin.value())
        dialog = QPrintDialog(self._printer, self)
        dialog.setWindowTitle("打印")
        dialog.accepted.connect(lambda: self._print_to(self._printer))
        dialog.open()

    def _print_to(self, printer: QPrinter) -> None:
        out = Path(self._tmp.name) / "print.pdf"
        kind = self.ui.kind_combo.currentData()
        # certificates on paper are issued: certificates issued before become 补印, asked first
        if kind == "certificate" and not self._confirm_reprints():
            return
        outcome = self._produce(out, final=kind == "certificate",
                                printer=printer.printerName() or "打印机", action="打印")
        if outcome is None:
            return
        try:
            with ProgressBar(self, "打印", "正在打印……", cancel=True,
                             cancel_label="停止") as progress:
                pages = print_output.print_pdf(
                    out, printer, dpi=printer.resolution(),
                    progress=lambda done, total: progress.keep_going(
                        done, total, f"正在打印第 {done + 1} / {total} 页……"))
        except ImportError:
            text = "打印需要 PySide6-Pdf 组件（QtPdf）。请先“保存 PDF”，再用其他阅读器打印。"
            self._status(text)
            messages.error(self, text)
            return
        except OSError as exc:
            text = f"打印失败：{os_reason(exc)}。"
            self._status(text)
            messages.error(self, text)
            return
        self._status(f"已送打印机 {printer.printerName()}：{pages} 页")

    def _status(self, text: str) -> None:
        self.ui.status_label.setText(text)
        self.ui.status_label.setToolTip(text)

    def open_calibration(self) -> None:
        printers = QPrinterInfo.availablePrinterNames()
        dialog = PrintCalibrationDialog(self.ctx, printers=printers,
                                        printer=QPrinterInfo.defaultPrinterName(),
                                        paper=self.ui.paper_combo.currentText(), parent=self)
        dialog.saved.connect(lambda: self.bus.notify("PrintLayout"))
        dialog.open()
        self._calibration_dialog = dialog
