"""A unit's detail: basic facts, titles through the years, campaigns, inspections, surveys,
its service commitment (editable here) and its work records."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import units as unit_service
from wqg_desktop.services.units_detail import unit_detail
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog, widget_state
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import READ_ONLY_TIP, tidy_table

FORM = "unit_detail"

INFO_COLUMNS = [Column("0", "项目"), Column("1", "内容")]
TITLE_COLUMNS = [
    Column("term", "年度"), Column("level", "层级"), Column("kind", "称号"),
    Column("status", "状态"), Column("plaque", "牌匾"), Column("named_on", "命名日期"),
    Column("bodies", "命名单位"), Column("certificate_no", "证书编号"),
    Column("name_then", "命名时名称"),
]
CAMPAIGN_COLUMNS = [Column("campaign", "创建活动"), Column("level", "层级"), Column("term", "年度"),
                    Column("status", "状态"), Column("applied_on", "申报/推荐日期")]
INSPECTION_COLUMNS = [Column("on", "日期"), Column("announced", "方式"), Column("score", "得分"),
                      Column("findings", "检查情况"), Column("problems", "存在问题"),
                      Column("deadline", "整改期限"), Column("followup", "整改结果")]
SURVEY_COLUMNS = [Column("started_on", "开始"), Column("ended_on", "结束"),
                  Column("campaign", "所属活动/复核"),
                  Column("printed", "印发问卷", align_right=True),
                  Column("sheets", "收回问卷", align_right=True)]
WORK_COLUMNS = [Column("kind", "类别"), Column("on", "日期"), Column("what", "内容"),
                Column("result", "结果")]


class UnitDetailDialog(GuardedDialog):
    def __init__(self, ctx: AppContext, bus: Bus, unit_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.bus, self.unit_id = ctx, bus, unit_id
        self.ui = load_form(FORM, self)
        self.setWindowTitle("单位详情")
        self.models: dict[str, RowsModel] = {}
        for key, table, columns, stretch in (
            ("info", self.ui.info_table, INFO_COLUMNS, 1),
            ("titles", self.ui.titles_table, TITLE_COLUMNS, 6),
            ("campaigns", self.ui.campaigns_table, CAMPAIGN_COLUMNS, 0),
            ("inspections", self.ui.inspections_table, INSPECTION_COLUMNS, 3),
            ("surveys", self.ui.surveys_table, SURVEY_COLUMNS, 2),
            ("work", self.ui.work_table, WORK_COLUMNS, 2),
        ):
            model = RowsModel(columns, parent=self)
            table.setModel(model)
            tidy_table(table, stretch_column=stretch)
            self.models[key] = model
        self.ui.info_table.horizontalHeader().setVisible(False)
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.record_title_button.clicked.connect(self.record_title)
        self.ui.commitment_save_button.clicked.connect(self.save_commitment)
        self.ui.commitment_hotline_edit.textChanged.connect(lambda _t: self._check_commitment())
        self.ui.commitment_text_edit.textChanged.connect(self._check_commitment)
        self._child: QWidget | None = None
        self.setMinimumSize(600, 360)
        self.resize(860, 460)
        self.load()
        self._load_commitment()

    def input_state(self) -> dict:
        # the only thing typed here: the other tabs are to read
        return widget_state(self, within=self.ui.commitment_tab)

    def load(self) -> None:
        office = self.ctx.office
        d = unit_detail(self.unit_id, office_id=office.id if office else None)
        self.detail = d
        self.ui.unit_name_label.setText(d.unit.name)
        self.models["info"].set_rows([{"0": k, "1": v} for k, v in d.info if v])
        self.models["titles"].set_rows(d.titles)
        self.models["campaigns"].set_rows(d.candidacies)
        self.models["inspections"].set_rows(d.inspections)
        self.models["surveys"].set_rows(d.surveys)
        self.models["work"].set_rows(d.work)
        self.ui.titles_label.setText(f"共 {len(d.titles)} 个称号" if d.titles else "尚无称号记录。")
        counts = "，".join(f"{k} {v} 条" for k, v in d.work_counts.items())
        self.ui.work_counts_label.setText(f"创建期工作台账：{counts}（咨询投诉不显示未成年人信息）。")
        writable = not self.ctx.opened.read_only
        self.ui.record_title_button.setEnabled(writable)
        if not writable:
            self.ui.record_title_button.setToolTip(READ_ONLY_TIP)
        editable = writable and d.owned_here
        self.ui.commitment_save_button.setEnabled(editable)
        # another office's unit (or a read-only database): the commitment can only be read
        for edit in (self.ui.commitment_text_edit, self.ui.rights_content_edit,
                     self.ui.commitment_hotline_edit, self.ui.commitment_address_edit,
                     self.ui.responsible_edit):
            edit.setReadOnly(not editable)
        if not d.owned_here:
            owner = d.unit.owner_office.name if d.unit.owner_office_id else "其他办公室"
            self.ui.commitment_error_label.setText(f"该单位由{owner}维护，服务承诺只能查看。")
        elif not writable:
            self.ui.commitment_error_label.setText(f"{READ_ONLY_TIP}：服务承诺只能查看。")

    def _load_commitment(self) -> None:
        row = unit_service.current_commitment(self.unit_id)
        unit = self.detail.unit
        self.ui.commitment_text_edit.setPlainText(row.text if row else "")
        self.ui.rights_content_edit.setPlainText(row.rights_content if row else "")
        self.ui.commitment_hotline_edit.setText(row.hotline if row else unit.rights_hotline)
        self.ui.commitment_address_edit.setText(row.address if row else unit.address)
        self.ui.responsible_edit.setText(row.responsible_person if row else unit.head_name)

    def _commitment_fields(self) -> unit_service.CommitmentFields:
        return unit_service.CommitmentFields(
            text=self.ui.commitment_text_edit.toPlainText(),
            rights_content=self.ui.rights_content_edit.toPlainText(),
            hotline=self.ui.commitment_hotline_edit.text(),
            address=self.ui.commitment_address_edit.text(),
            responsible_person=self.ui.responsible_edit.text(),
            published_on=self.ctx.today())

    def _check_commitment(self) -> bool:
        if not self.detail.owned_here:
            return False
        try:
            unit_service.validate_commitment(self._commitment_fields())
        except InputRefused as exc:
            self.ui.commitment_error_label.setText(exc.message)
            self.ui.commitment_save_button.setEnabled(False)
            return False
        if self.ctx.opened.read_only:
            return False
        self.ui.commitment_error_label.setText("")
        self.ui.commitment_save_button.setEnabled(True)
        return True

    def save_commitment(self) -> None:
        if not self._check_commitment():
            return
        try:
            with self.ctx.acting("编辑服务承诺"):
                unit_service.save_commitment(self.unit_id, self._commitment_fields())
        except InputRefused as exc:
            self.ui.commitment_error_label.setText(exc.message)
            return
        self.ui.commitment_error_label.setText("服务承诺已保存。")
        self.mark_clean()
        self.bus.notify("ServiceCommitment")
        self.load()

    def record_title(self) -> None:
        from wqg_desktop.ui.dialogs.title_record_dialog import TitleRecordDialog

        dialog = TitleRecordDialog(self.ctx, self.unit_id, parent=self)
        dialog.saved.connect(self._title_recorded)
        self._child = dialog
        dialog.open()

    def _title_recorded(self) -> None:
        self.bus.notify("Title")
        self.load()
        self.ui.detail_tabs.setCurrentWidget(self.ui.titles_tab)
