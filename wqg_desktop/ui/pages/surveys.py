"""满意度调查: survey rounds per unit, keyboard entry of the paper returns, and the rates.

Entry is built for speed: the grid takes one digit per answer and moves on by itself, Enter
saves the sheet (one short transaction) and starts the next serial number, and a refused
sheet is explained in the red line under the grid instead of a dialog that would steal the
keyboard.

A refresh never throws away a half-typed sheet: while its batch is still listed, the grid, the
serial and the cursor stay as they are and only the lists around them are read again (a change
notice may come every few seconds from another officer's edits). The grid is rebuilt only when
the officer picks another batch — asked first when answers are typed — or when the batch is gone.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign, Unit
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import WqgError
from wqg_desktop.printing import questionnaire, survey_report
from wqg_desktop.services import campaigns_view, surveys
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.survey_template_dialog import SurveyTemplateDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import Page, tidy_table, writable_only
from wqg_desktop.ui.progress import ProgressBar
from wqg_desktop.ui.widgets.answer_grid import AnswerGrid
from wqg_desktop.ui.widgets.combos import fill_combo
from wqg_desktop.ui.widgets.rate_bars import RateBars

FORM = "surveys_page"

ROUND_COLUMNS = [
    Column("unit", "单位"),
    Column("started_on", "开始日期", fmt=lambda d: format_date(d) if d else ""),
    Column("printed", "已印", align_right=True),
    Column("entered", "已录", align_right=True),
    Column("second", "复核", align_right=True),
]
SHEET_COLUMNS = [
    Column("serial_no", "序号", align_right=True),
    Column("entry", "录入", fmt=lambda e: "复核" if e == 2 else "首次"),
    Column("answers", "答案"),
    Column("entered_by", "录入人"),
]
RATE_COLUMNS = [
    Column("unit", "单位"),
    Column("valid", "有效问卷", align_right=True),
    Column("awareness", "知晓度", align_right=True),
    Column("satisfaction", "满意度", align_right=True),
    Column("previous", "上次满意度", align_right=True),
    Column("change", "变化", align_right=True),
    Column("note", "提示"),
]


def _change(delta: float | None) -> str:
    return "" if delta is None else f"{delta * 100:+.1f} 个百分点"


class SurveysPage(Page):
    TITLE = "满意度调查"
    HELP = "满意度调查"
    # SurveySheet is left out on purpose: a page reload after every keyed sheet would take
    # the keyboard focus away from the entry grid.
    WATCHES = ("SurveyRound", "SurveyTemplate", "SurveyQuestion", "Campaign", "Candidate", "Unit")

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.rounds = RowsModel(ROUND_COLUMNS, parent=self)
        self.sheets = RowsModel(SHEET_COLUMNS, parent=self)
        self.rates = RowsModel(RATE_COLUMNS, highlight=lambda r: bool(r["note"]), parent=self)
        for table, model in ((self.ui.rounds_table, self.rounds),
                             (self.ui.sheets_table, self.sheets),
                             (self.ui.rates_table, self.rates)):
            table.setModel(model)
            tidy_table(table, stretch_column=0 if model is not self.sheets else 2)
            table.horizontalHeader().setStretchLastSection(False)
        self.grid = AnswerGrid(self.ui.grid_host)
        QVBoxLayout(self.ui.grid_host).addWidget(self.grid)
        self.ui.grid_host.layout().setContentsMargins(0, 0, 0, 0)
        self.bars = RateBars(self.ui.chart_host)
        QVBoxLayout(self.ui.chart_host).addWidget(self.bars)
        self._shape: surveys.Shape | None = None
        self._round_id: int | None = None  # the batch the grid on screen belongs to
        self._shown: tuple[int | None, int | None] = (None, None)  # (campaign, unit) listed
        self._selecting = False  # the page itself moves the batch list's selection
        self.grid.submitted.connect(self._save_sheet)
        self.grid.problem.connect(self.ui.entry_error_label.setText)
        self.ui.campaign_combo.currentIndexChanged.connect(lambda _i: self._campaign_changed())
        self.ui.unit_combo.currentIndexChanged.connect(lambda _i: self._unit_changed())
        self.ui.rounds_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._round_picked(cur.row()))
        self.ui.second_entry_check.toggled.connect(self._entry_toggled)
        self.ui.new_round_button.clicked.connect(self._new_round)
        self.ui.template_button.clicked.connect(self.open_template)
        self.template_dialog: SurveyTemplateDialog | None = None
        self.ui.print_blank_button.clicked.connect(self._print_blank)
        self.ui.print_report_button.clicked.connect(self._print_report)
        self.ui.delete_sheet_button.clicked.connect(self._delete_sheet)
        self.ui.definition_label.setText(surveys.definitions_text())
        # read-only: the rates and reports can be looked at, nothing can be keyed or changed
        writable_only((self.ui.new_round_button, self.ui.delete_sheet_button), self.writable)
        self.ui.grid_host.setEnabled(self.writable)
        self.ui.second_entry_check.setEnabled(self.writable)

    # -- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        combo = self.ui.campaign_combo
        fill_combo(combo, campaigns_view.campaign_choices(), combo.currentData())
        self.ui.definition_label.setText(surveys.definitions_text())
        self._campaign_changed()

    def campaign_id(self) -> int | None:
        return self.ui.campaign_combo.currentData()

    def _campaign_changed(self) -> None:
        combo = self.ui.unit_combo
        units = (campaigns_view.candidate_unit_choices(self.campaign_id())
                 if self.campaign_id() else [])
        fill_combo(combo, units, combo.currentData(), blank="全部单位")
        if not self._load_rounds():
            self._put_filters_back()
            return
        self._load_rates()

    def _unit_changed(self) -> None:
        if not self._load_rounds():
            self._put_filters_back()

    def _put_filters_back(self) -> None:
        """The officer kept a half-typed sheet: the filters go back to where its batch shows."""
        campaign_id, unit_id = self._shown
        combo = self.ui.campaign_combo
        combo.blockSignals(True)
        combo.setCurrentIndex(max(0, combo.findData(campaign_id)))
        combo.blockSignals(False)
        units = campaigns_view.candidate_unit_choices(campaign_id) if campaign_id else []
        fill_combo(self.ui.unit_combo, units, unit_id, blank="全部单位")
        self._load_rounds()
        self._load_rates()

    def _load_rounds(self, prefer: int | None = None) -> bool:
        """Read the batch list again, keeping the batch on screen (or ``prefer``) selected.

        Returns False, changing nothing, when the list would lose the batch of a half-typed
        sheet and the officer chose to go on typing it (the caller puts its filter back)."""
        keep = prefer or self._round_id
        rows = surveys.list_rounds(campaign_id=self.campaign_id(),
                                   unit_id=self.ui.unit_combo.currentData())
        index = next((i for i, r in enumerate(rows) if r.id == keep), -1)
        if index < 0 and self._round_id is not None and self.grid.typed():
            if not self._round_exists(self._round_id):
                messages.info(self, f"正在录入的调查批次已被删除（可能是另一位民警删除的），"
                                    f"序号 {self.ui.serial_spin.value()} 这份问卷没有保存。")
            elif not self._may_discard():
                return False
        self.rounds.set_rows(rows)
        self._shown = (self.campaign_id(), self.ui.unit_combo.currentData())
        self._select_round(index if index >= 0 else (0 if rows else -1))
        return True

    @staticmethod
    def _round_exists(round_id: int) -> bool:
        try:
            surveys.get_round(round_id)
        except WqgError:
            return False
        return True

    def _may_discard(self) -> bool:
        """Ask before the half-typed sheet on screen is given up; True: give it up."""
        return messages.confirm(
            self, f"序号 {self.ui.serial_spin.value()} 的问卷已录入 {self.grid.typed()} 题，"
                  "还没有保存（整份录完按回车才保存）。\n\n换过去，这些答案就丢掉了。要换吗？",
            yes="丢掉并切换", no="继续录入")

    def _round_picked(self, row: int) -> None:
        """The officer moved the selection in the batch list."""
        if self._selecting:
            return
        picked = self.rounds.row_at(row).id if 0 <= row < self.rounds.rowCount() else None
        if picked != self._round_id and self.grid.typed() and not self._may_discard():
            # after the click has finished selecting, back to the batch being typed
            QTimer.singleShot(0, lambda: self._select_round(self._row_of(self._round_id)))
            return
        self._select_round(row)

    def _row_of(self, round_id: int | None) -> int:
        return next((i for i in range(self.rounds.rowCount())
                     if self.rounds.row_at(i).id == round_id), -1)

    def _load_rates(self) -> None:
        if not self.campaign_id():
            self.rates.set_rows([])
            self.bars.set_rows([])
            self.ui.campaign_rates_label.setText("请选择创建活动。")
            return
        items = surveys.unit_rates(campaign_id=self.campaign_id())
        total = surveys.Rates()
        rows = []
        for u in items:
            total.add(u.rates)
            rows.append({"unit": u.unit, "valid": u.rates.valid_sheets,
                         "awareness": surveys.percent(u.rates.awareness),
                         "satisfaction": surveys.percent(u.rates.satisfaction),
                         "previous": surveys.percent(u.previous.satisfaction) if u.previous else "",
                         "change": _change(u.satisfaction_change), "note": "；".join(u.warnings)})
        self.rates.set_rows(rows)
        self.bars.set_rows([(u.unit, u.rates.awareness, u.rates.satisfaction) for u in items])
        self.ui.campaign_rates_label.setText(
            f"全活动合计（各单位最近一次调查）：有效问卷 {total.valid_sheets} 份，"
            f"知晓度 {surveys.percent(total.awareness)}，满意度 {surveys.percent(total.satisfaction)}。")

    # -- entry -----------------------------------------------------------------------------

    def _select_round(self, row: int) -> None:
        """Show batch ``row`` for entry. For the batch already on screen only the sheets and
        (with nothing typed) the serial are read again: what is typed and the cursor stay."""
        if 0 <= row < self.rounds.rowCount():
            self._selecting = True
            try:
                self.ui.rounds_table.selectRow(row)
            finally:
                self._selecting = False
        if row < 0 or row >= self.rounds.rowCount():
            self._round_id, self._shape = None, None
            self.grid.set_questions([])
            self.sheets.set_rows([])
            self.ui.entry_error_label.setText("请先选择或新建一个调查批次。" if self.campaign_id() else "")
            return
        rnd = self.rounds.row_at(row)
        shape = surveys.shape_of(surveys.get_round(rnd.id).template_id)
        if rnd.id == self._round_id and shape == self._shape and self.grid.cells:
            if not self.grid.typed():
                self.ui.serial_spin.setValue(surveys.next_serial(rnd.id, self.entry()))
            self._load_sheets()
            return
        self._round_id, self._shape = rnd.id, shape
        self.grid.set_questions([(t, list(o)) for t, o in zip(self._shape.texts,
                                                               self._shape.options, strict=True)])
        self.ui.entry_error_label.setText("")
        self._reset_serial()
        self._load_sheets()

    def entry(self) -> int:
        return 2 if self.ui.second_entry_check.isChecked() else 1

    def _entry_toggled(self, on: bool) -> None:
        if self.grid.typed() and not self._may_discard():
            check = self.ui.second_entry_check
            check.blockSignals(True)
            check.setChecked(not on)
            check.blockSignals(False)
            return
        self._reset_serial()

    def _reset_serial(self) -> None:
        if self._round_id is not None:
            self.ui.serial_spin.setValue(surveys.next_serial(self._round_id, self.entry()))
        self.grid.clear()

    def _load_sheets(self) -> None:
        if self._round_id is None:
            return
        self.sheets.set_rows(surveys.list_sheets(self._round_id))
        report = surveys.double_entry_report(self._round_id)
        if report.compared:
            shown = "；".join(f"序号{s}第{q}题：{a or '空'}/{b or '空'}"
                             for s, q, a, b in report.disagreements[:8])
            more = "…" if len(report.disagreements) > 8 else ""
            self.ui.double_entry_label.setText(
                f"复核 {report.compared} 份，{report.sheets_disagreeing} 份不一致"
                + (f"：{shown}{more}" if shown else "。"))
        else:
            self.ui.double_entry_label.setText("")

    def _save_sheet(self, answers: str) -> None:
        if self._round_id is None:
            self.ui.entry_error_label.setText("请先选择或新建一个调查批次。")
            return
        serial = self.ui.serial_spin.value()
        try:
            with self.ctx.acting("录入调查问卷"):
                surveys.save_sheet(round_id=self._round_id, serial_no=serial, answers=answers,
                                   entry=self.entry(), shape=self._shape)
        except WqgError as err:
            self.ui.entry_error_label.setText(err.message)
            self.grid.focus_first()
            return
        self.ui.entry_error_label.setText(f"已保存序号 {serial}。")
        self._reset_serial()
        self._load_sheets()
        row = self.ui.rounds_table.currentIndex().row()
        if row >= 0:
            rnd = self.rounds.row_at(row)
            if self.entry() == 1:
                rnd.entered += 1
            else:
                rnd.second += 1
            self.ui.rounds_table.viewport().update()
        self.bus.notify("SurveySheet")

    def _delete_sheet(self) -> None:
        index = self.ui.sheets_table.currentIndex()
        if not index.isValid():
            messages.info(self, "请先在列表中选中要删除的问卷。")
            return
        sheet = self.sheets.row_at(index.row())
        if not messages.confirm(self, f"删除序号 {sheet.serial_no} 的{'复核' if sheet.entry == 2 else ''}"
                                "录入？删除后可以重新录入。", yes="删除"):
            return
        try:
            with self.ctx.acting("删除调查问卷"):
                surveys.delete_sheet(sheet_id=sheet.id)
        except WqgError as err:
            messages.warn(self, err.message)
            return
        if not self.grid.typed():  # a sheet being typed keeps the serial of its paper
            self._reset_serial()
        self._load_sheets()
        self.bus.notify("SurveySheet")

    # -- actions ---------------------------------------------------------------------------

    def open_template(self) -> SurveyTemplateDialog | None:
        campaign_id = self.campaign_id()
        if not campaign_id:
            messages.info(self, "请先选择创建活动：调查问卷是每个活动各自的。")
            return None
        self.template_dialog = SurveyTemplateDialog(self.ctx, Campaign.get_by_id(campaign_id), self)
        self.template_dialog.changed.connect(lambda: self.bus.notify("SurveyQuestion"))
        self.template_dialog.open()
        return self.template_dialog

    def _new_round(self) -> None:
        unit_id, campaign_id = self.ui.unit_combo.currentData(), self.campaign_id()
        if not campaign_id or not unit_id:
            messages.info(self, "请先选择创建活动和要调查的单位。")
            return
        if self.grid.typed() and not self._may_discard():
            return
        try:
            with self.ctx.acting("新建调查批次"):
                rnd = surveys.create_round(unit=Unit.get_by_id(unit_id),
                                           campaign=Campaign.get_by_id(campaign_id),
                                           started_on=self.ctx.today(), today=self.ctx.today())
        except WqgError as err:
            messages.warn(self, err.message)
            return
        self.grid.clear()  # given up above: the new batch starts from an empty sheet
        self._load_rounds(prefer=rnd.id)
        self.bus.notify("SurveyRound")

    def _print_blank(self) -> None:
        if self._round_id is None:
            messages.info(self, "请先选择一个调查批次。")
            return
        copies = messages.ask_int(self, "打印多少份空白问卷？（每份一个序号）", value=30,
                                  maximum=2000)
        if not copies:
            return
        path = messages.save_file(self, "保存空白问卷", "调查问卷.pdf", "PDF 文件 (*.pdf)")
        if path is None:
            return
        refused = None
        with ProgressBar(self, "打印空白问卷", "正在生成空白问卷……", cancel=True) as progress:
            try:
                first = surveys.get_round(self._round_id).sheets_printed + 1
                pages = questionnaire.build_questionnaires(
                    path, questionnaire.questionnaire_for_round(self._round_id, copies, first),
                    progress=progress.keep_going)
                if pages:  # the serial numbers are taken only once the file is written
                    with self.ctx.acting("打印空白问卷"):
                        surveys.mark_printed(round_id=self._round_id, copies=copies)
            except WqgError as err:
                refused = err.message
        if refused is not None:  # shown once the bar is gone
            messages.warn(self, refused)
            return
        if not pages:
            messages.info(self, "已取消：没有生成问卷，序号也没有占用。")
            return
        self.bus.notify("SurveyRound")
        messages.info(self, f"已生成序号 {first} 至 {first + copies - 1} 的问卷：{path}")

    def _print_report(self) -> None:
        if not self.campaign_id():
            messages.info(self, "请先选择创建活动。")
            return
        path = messages.save_file(self, "保存调查报告", "调查报告.pdf", "PDF 文件 (*.pdf)")
        if path is None:
            return
        try:
            survey_report.build_survey_report(
                path, survey_report.report_for_campaign(self.campaign_id(), self.ctx.today()))
        except WqgError as err:
            messages.warn(self, err.message)
            return
        messages.info(self, f"调查报告已保存：{path}")
