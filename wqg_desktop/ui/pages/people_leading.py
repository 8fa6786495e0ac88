"""领导小组 panel (a tab of the 单位名册 page): the members in print order, and the PDF."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain.statuses import LeadingRole
from wqg_desktop.errors import WqgError
from wqg_desktop.printing.leading_group import print_leading_group
from wqg_desktop.services import people
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.people_member import MemberDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import opens_row, tidy_table, writable_only

FORM = "people_leading_panel"
COLUMNS = [
    Column("role", "职务", lambda v: LeadingRole(v).label if v in set(LeadingRole) else v),
    Column("name", "姓名"),
    Column("concurrent", "兼任", lambda v: "兼" if v else ""),
    Column("post", "单位及职务"),
    Column("employer", "工作单位"),
]


class LeadingGroupPanel(QWidget):
    """Add, edit, delete and reorder members; print the list like the notice's 附件1."""

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.bus = ctx, bus
        self.ui = load_form(FORM, self)
        self.model = RowsModel(COLUMNS, parent=self)
        self.ui.members_table.setModel(self.model)
        self.ui.members_table.setSelectionBehavior(self.ui.members_table.SelectionBehavior.SelectRows)
        self.ui.members_table.setSelectionMode(self.ui.members_table.SelectionMode.SingleSelection)
        tidy_table(self.ui.members_table, stretch_column=3)
        self.ui.add_button.clicked.connect(self.add_member)
        self.ui.edit_button.clicked.connect(self.edit_member)
        opens_row(self.ui.members_table, self.edit_member)
        self.ui.delete_button.clicked.connect(self.delete_member)
        self.ui.up_button.clicked.connect(lambda: self.move(-1))
        self.ui.down_button.clicked.connect(lambda: self.move(1))
        self.ui.print_button.clicked.connect(self.print_list)
        self.ui.members_table.selectionModel().selectionChanged.connect(lambda *_a: self._buttons())
        bus.changed.connect(lambda entity: entity in ("*", "LeadingGroupMember") and self.load())
        self.load()

    def load(self) -> None:
        current = self.selected_id()
        self.model.set_rows(people.list_members())
        if current is not None:
            self.select(current)
        self._buttons()

    def selected_id(self) -> int | None:
        rows = self.ui.members_table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).id if rows else None

    def select(self, member_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == member_id:
                self.ui.members_table.selectRow(row)

    def _buttons(self) -> None:
        chosen = self.selected_id() is not None
        writable = not self.ctx.opened.read_only
        writable_only((self.ui.add_button,), writable)
        writable_only((self.ui.edit_button, self.ui.delete_button, self.ui.up_button,
                       self.ui.down_button), writable, enabled=chosen)
        self.ui.print_button.setEnabled(self.model.rowCount() > 0)

    def _open(self, dialog: MemberDialog) -> None:
        dialog.saved.connect(lambda: self.bus.notify("LeadingGroupMember"))
        dialog.open()

    def add_member(self) -> None:
        self._open(MemberDialog(self.ctx, parent=self))

    def edit_member(self) -> None:
        member_id = self.selected_id()
        if member_id is not None and self.ui.edit_button.isEnabled():
            self._open(MemberDialog(self.ctx, member_id=member_id, parent=self))

    def delete_member(self) -> None:
        member_id = self.selected_id()
        if member_id is None:
            return
        member = self.model.row_at(self.ui.members_table.selectionModel().selectedRows()[0].row())
        if not messages.confirm(self, f"从领导小组中删除 {member.name}（{LeadingRole(member.role).label}）？",
                                yes="删除"):
            return
        try:
            with self.ctx.acting("领导小组"):
                people.delete_member(member_id)
        except WqgError as exc:
            messages.warn(self, exc.message)
            return
        self.bus.notify("LeadingGroupMember")

    def move(self, step: int) -> None:
        member_id = self.selected_id()
        if member_id is None:
            return
        with self.ctx.acting("领导小组排序"):
            people.move_member(member_id, step)
        self.bus.notify("LeadingGroupMember")
        self.select(member_id)

    def print_list(self) -> None:
        path = messages.save_file(self, "保存领导小组名单", "领导小组成员名单.pdf", "PDF 文件 (*.pdf)")
        if path is None:
            return
        office = self.ctx.office
        try:
            print_leading_group(path, region_name=office.region_name if office else "")
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        messages.info(self, f"领导小组名单已保存：{path}")
