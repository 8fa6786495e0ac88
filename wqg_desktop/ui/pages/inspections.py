"""检查记录: the leading group's inspections, their follow-up and attachments, the inspection
planner, the campaign's standards (a dialog) and the 绩效考核 (a panel of its own)."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QVBoxLayout, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign, Candidate
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import WqgError
from wqg_desktop.printing import inspection_sheet
from wqg_desktop.services import attachments, campaigns_view, inspections
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.assess_followup_dialog import FollowupDialog
from wqg_desktop.ui.dialogs.inspection_dialog import InspectionDialog
from wqg_desktop.ui.dialogs.standards_dialog import StandardsDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.assess_panel import AssessPanel
from wqg_desktop.ui.pages.base import Page, opens_row, tidy_table, writable_only
from wqg_desktop.ui.widgets.combos import fill_combo

FORM = "inspections_page"


def _date(d: object) -> str:
    return format_date(d) if d else ""  # type: ignore[arg-type]


LIST_COLUMNS = [
    Column("on", "检查日期", fmt=_date),
    Column("unit", "被检查单位"),
    Column("announced", "方式"),
    Column("inspectors", "检查人员"),
    Column("score", "得分", fmt=lambda s: "" if s is None else f"{s:.1f}", align_right=True),
    Column("problems", "存在问题"),
    Column("deadline", "整改期限", fmt=_date),
    Column("followup", "整改情况"),
]
PLAN_COLUMNS = [
    Column("on", "建议日期", fmt=_date),
    Column("unit", "创建单位"),
    Column("announced", "方式", fmt=lambda a: "事先通知" if a else "不打招呼"),
    Column("inspectors", "建议检查人员", fmt=lambda names: "、".join(names)),
    Column("warnings", "提示", fmt=lambda w: "；".join(w)),
]

ATTACHMENT_COLUMNS = [
    Column("filename", "附件"),
    Column("media_type", "类型", fmt=lambda m: attachments.ACCEPTED.get(m, m)),
    Column("size", "大小", fmt=lambda n: f"{n / 1024:.0f} KB" if n < 1048576 else f"{n / 1048576:.1f} MB",
           align_right=True),
    Column("present", "状态", fmt=lambda ok: "" if ok else "文件缺失"),
]


class InspectionsPage(Page):
    TITLE = "检查记录"
    HELP = "检查记录"
    WATCHES = ("Inspection", "Campaign", "Candidate", "Unit", "LeadingGroupMember", "Supervisor",
               "Standard", "StandardItem", "Title", "ReReview", "SurveyRound",
               "SurveySheet", "Activity", "Consultation", "TrainingAttendance")

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.model = RowsModel(LIST_COLUMNS, highlight=lambda r: r.overdue, parent=self)
        self.plan_model = RowsModel(PLAN_COLUMNS, highlight=lambda v: bool(v.warnings),
                                    parent=self)
        self.ui.inspections_table.setModel(self.model)
        self.ui.plan_table.setModel(self.plan_model)
        tidy_table(self.ui.inspections_table, stretch_column=5)
        tidy_table(self.ui.plan_table, stretch_column=4)
        self.files = RowsModel(ATTACHMENT_COLUMNS, highlight=lambda a: not a["present"], parent=self)
        self.ui.attachments_table.setModel(self.files)
        tidy_table(self.ui.attachments_table, stretch_column=0, name_width_em=10)
        self.ui.list_splitter.setSizes([300, 120])
        self.ui.detail_splitter.setSizes([500, 300])
        self.assess = AssessPanel(ctx, bus, self.ui.assess_host)
        QVBoxLayout(self.ui.assess_host).addWidget(self.assess)
        self.ui.assess_host.layout().setContentsMargins(0, 0, 0, 0)
        self._loaded_once = False
        self.dialog: InspectionDialog | None = None
        self.standards_dialog: StandardsDialog | None = None
        self.followup_dialog: FollowupDialog | None = None
        self.ui.campaign_combo.currentIndexChanged.connect(lambda _i: self._campaign_changed())
        self.ui.unit_combo.currentIndexChanged.connect(lambda _i: self._load_list())
        self.ui.inspections_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_detail(cur.row()))
        opens_row(self.ui.inspections_table, self._edit)
        self.ui.new_button.clicked.connect(lambda: self.open_dialog(None))
        self.ui.edit_button.clicked.connect(self._edit)
        self.ui.delete_button.clicked.connect(self._delete)
        self.ui.followup_button.clicked.connect(self._followup)
        self.ui.attach_button.clicked.connect(self._attach)
        self.ui.print_blank_button.clicked.connect(self._print_blank)
        self.ui.print_record_button.clicked.connect(self._print_record)
        self.ui.plan_button.clicked.connect(self._make_plan)
        self.ui.standards_button.clicked.connect(self.open_standards)
        self.ui.open_attachment_button.clicked.connect(self._open_attachment)
        self.ui.remove_attachment_button.clicked.connect(self._remove_attachment)
        opens_row(self.ui.attachments_table, self._open_attachment)
        self.ui.attachments_table.selectionModel().currentRowChanged.connect(
            lambda *_a: self._update_buttons())
        self._update_buttons()

    def load(self) -> None:
        combo = self.ui.campaign_combo
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部活动", None)
        for c in Campaign.select(Campaign.id, Campaign.name).order_by(Campaign.term_start.desc(),
                                                                      Campaign.level.desc()):
            combo.addItem(c.name, c.id)
        # first load: the newest campaign (not "全部活动", whose data is also None)
        found = combo.findData(current) if self._loaded_once else -1
        self._loaded_once = True
        combo.setCurrentIndex(found if found >= 0 else min(1, combo.count() - 1))
        combo.blockSignals(False)
        self._campaign_changed()

    def campaign_id(self) -> int | None:
        return self.ui.campaign_combo.currentData()

    def _campaign_changed(self) -> None:
        combo = self.ui.unit_combo
        fill_combo(combo, campaigns_view.candidate_unit_choices(self.campaign_id()),
                   combo.currentData(), blank="全部单位")
        self.assess.set_campaign(self.campaign_id())
        self._load_list()

    def _load_list(self) -> None:
        keep = self.selected()
        rows = inspections.list_inspections(today=self.ctx.today(), campaign_id=self.campaign_id(),
                                            unit_id=self.ui.unit_combo.currentData())
        self.model.set_rows(rows)
        overdue = sum(1 for r in rows if r.overdue)
        self.ui.count_label.setText(f"共 {len(rows)} 次检查" + (f"，{overdue} 项整改逾期" if overdue else ""))
        self.ui.detail_label.setText("")
        self.files.set_rows([])
        # keep the officer's place: a reload after a change must not lose the selected record
        index = next((k for k, r in enumerate(rows) if keep is not None and r.id == keep.id), -1)
        if index >= 0:
            self.ui.inspections_table.selectRow(index)
            self._show_detail(index)
        self._update_buttons()

    def _update_buttons(self) -> None:
        """What the officer can do with the selection (and nothing that writes when the
        database is open read-only)."""
        has_row = self.selected() is not None
        has_file = self.selected_attachment() is not None
        writable_only((self.ui.new_button,), self.writable)
        writable_only((self.ui.edit_button, self.ui.followup_button, self.ui.attach_button,
                       self.ui.delete_button), self.writable, has_row)
        writable_only((self.ui.remove_attachment_button,), self.writable, has_file)
        self.ui.open_attachment_button.setEnabled(has_file)
        self.ui.print_record_button.setEnabled(has_row)

    def selected(self) -> inspections.InspectionRow | None:
        index = self.ui.inspections_table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show_detail(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            self.ui.detail_label.setText("")
            self.files.set_rows([])
            self._update_buttons()
            return
        r = self.model.row_at(row)
        insp = inspections.get_inspection(r.id)
        parts = [f"检查发现：{insp.findings or '无'}"]
        if insp.rectification:
            parts.append(f"整改要求：{insp.rectification}")
        if insp.followup_on is not None:
            parts.append(f"复查（{_date(insp.followup_on)}，{'合格' if insp.followup_passed else '不合格'}）："
                         f"{insp.followup}")
        self.ui.detail_label.setText("\n".join(parts))
        self.files.set_rows([
            {"id": f.id, "filename": f.filename, "media_type": f.media_type, "size": f.size,
             "present": attachments.is_present(f)}
            for f in attachments.attachments_of("Inspection", r.uuid)])
        self._update_buttons()

    # -- actions ---------------------------------------------------------------------------

    def open_dialog(self, inspection_id: int | None) -> InspectionDialog:
        insp = inspections.get_inspection(inspection_id) if inspection_id else None
        self.dialog = InspectionDialog(self.ctx, self, inspection=insp,
                                       campaign_id=self.campaign_id())
        self.dialog.saved.connect(self._saved)
        self.dialog.open()
        return self.dialog

    def _saved(self, _inspection_id: int, warnings: list) -> None:
        self.bus.notify("Inspection")
        self._load_list()
        if warnings:
            messages.warn(self, "检查记录已保存，但请注意：\n" + "\n".join(warnings))

    def _edit(self) -> None:
        row = self.selected()
        if row is None:
            messages.info(self, "请先在列表中选中一条检查记录。")
            return
        self.open_dialog(row.id)

    def _delete(self) -> None:
        row = self.selected()
        if row is None:
            messages.info(self, "请先在列表中选中一条检查记录。")
            return
        if not messages.confirm(self, f"删除{_date(row.on)}对{row.unit}的检查记录（连同逐项评分）？",
                                yes="删除"):
            return
        try:
            with self.ctx.acting("删除检查记录"):
                inspections.delete_inspection(inspection=inspections.get_inspection(row.id))
        except WqgError as err:
            messages.warn(self, err.message)
            return
        self.bus.notify("Inspection")
        self._load_list()

    def _followup(self) -> None:
        row = self.selected()
        if row is None:
            messages.info(self, "请先在列表中选中一条检查记录。")
            return
        insp = inspections.get_inspection(row.id)
        if not insp.rectification:
            messages.info(self, "该次检查没有提出整改要求，无需记录复查。")
            return
        self.followup_dialog = FollowupDialog(self.ctx, insp, self)
        self.followup_dialog.saved.connect(lambda _id: self._after_change("Inspection"))
        self.followup_dialog.open()

    def _after_change(self, entity: str) -> None:
        self.bus.notify(entity)
        self._load_list()

    def open_standards(self) -> StandardsDialog | None:
        cid = self.campaign_id()
        if not cid:
            messages.info(self, "请先在上方选择一个创建活动：创建标准是每个活动各自的。")
            return None
        self.standards_dialog = StandardsDialog(self.ctx, Campaign.get_by_id(cid), self)
        self.standards_dialog.changed.connect(lambda: self.bus.notify("StandardItem"))
        self.standards_dialog.open()
        return self.standards_dialog

    def selected_attachment(self) -> dict | None:
        index = self.ui.attachments_table.currentIndex()
        return self.files.row_at(index.row()) if index.isValid() else None

    def _open_attachment(self) -> None:
        chosen = self.selected_attachment()
        if chosen is None:
            messages.info(self, "请先在附件列表中选中一个附件。")
            return
        try:
            path = attachments.viewing_copy(attachments.get_attachment(chosen["id"]))
        except WqgError as err:
            messages.warn(self, err.message)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            messages.warn(self, f"本机没有能打开该类文件的程序。文件在：{path}")

    def _remove_attachment(self) -> None:
        chosen = self.selected_attachment()
        if chosen is None:
            messages.info(self, "请先在附件列表中选中一个附件。")
            return
        if not messages.confirm(self, f"删除附件“{chosen['filename']}”？删除后无法恢复。", yes="删除"):
            return
        try:
            with self.ctx.acting("删除检查附件"):
                attachments.remove_attachment(attachment_id=chosen["id"])
        except WqgError as err:
            messages.warn(self, err.message)
            return
        self.bus.notify("Attachment")
        self._show_detail(self.ui.inspections_table.currentIndex().row())

    def _attach(self) -> None:
        row = self.selected()
        if row is None:
            messages.info(self, "请先在列表中选中一条检查记录。")
            return
        path = messages.open_file(self, "选择照片或扫描件", attachments.FILE_FILTER)
        if path is None:
            return
        try:
            with self.ctx.acting("添加检查附件"):
                attachments.add_attachment(entity="Inspection", entity_uuid=row.uuid, source=path)
        except WqgError as err:
            messages.warn(self, err.message)
            return
        self.bus.notify("Attachment")
        self._show_detail(self.ui.inspections_table.currentIndex().row())

    def _print_blank(self) -> None:
        cid = self.campaign_id()
        if not cid:
            messages.info(self, "请先选择创建活动。")
            return
        uid = self.ui.unit_combo.currentData()
        units = [uid] if uid else [u for (u,) in Candidate.select(Candidate.unit)
                                   .where(Candidate.campaign == cid).tuples()]
        path = messages.save_file(self, "保存空白检查记录表", "检查记录表.pdf", "PDF 文件 (*.pdf)")
        if path is None:
            return
        try:
            with self.ctx.acting("打印空白检查记录表"):
                sheets = [inspection_sheet.blank_sheet(cid, u) for u in units]
            inspection_sheet.build_inspection_sheets(path, sheets)
        except WqgError as err:
            messages.warn(self, err.message)
            return
        messages.info(self, f"已生成 {len(sheets)} 个单位的空白检查记录表：{path}")

    def _print_record(self) -> None:
        row = self.selected()
        if row is None:
            messages.info(self, "请先在列表中选中一条检查记录。")
            return
        path = messages.save_file(self, "保存检查记录", f"检查记录_{row.unit}.pdf", "PDF 文件 (*.pdf)")
        if path is None:
            return
        try:
            inspection_sheet.build_inspection_sheets(path, [inspection_sheet.filled_sheet(row.id)])
        except WqgError as err:
            messages.warn(self, err.message)
            return
        messages.info(self, f"检查记录已保存：{path}")

    def _make_plan(self) -> None:
        cid = self.campaign_id()
        if not cid:
            self.ui.plan_label.setText("请先在上方选择一个创建活动。")
            self.plan_model.set_rows([])
            return
        try:
            plan = inspections.plan_inspections(Campaign.get_by_id(cid), self.ctx.today(),
                                                self.ui.seed_spin.value())
        except WqgError as err:
            self.ui.plan_label.setText(err.message)
            self.plan_model.set_rows([])
            return
        self.plan_model.set_rows(plan.visits)
        head = (f"建议在 {_date(plan.first_day)} 至 {_date(plan.last_day)} 之间安排 "
                f"{len(plan.visits)} 次检查（其中不打招呼 {sum(1 for v in plan.visits if not v.announced)} 次）。")
        if not plan.visits:
            head = "每个创建单位都已达到规定的检查次数，无需再安排。"
        self.ui.plan_label.setText("\n".join([head, *plan.warnings]))
