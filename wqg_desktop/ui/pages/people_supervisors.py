"""监督员 panel (a tab of the 单位名册 page), with a warning for terms that have ended."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.domain.statuses import SupervisorCategory
from wqg_desktop.errors import WqgError
from wqg_desktop.services import people
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.people_supervisor import SupervisorDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import opens_row, tidy_table, writable_only

FORM = "people_supervisors_panel"


def _day(value) -> str:  # type: ignore[no-untyped-def]
    return format_date(value) if value else ""


COLUMNS = [
    Column("name", "姓名"),
    Column("category", "类别",
           lambda v: SupervisorCategory(v).label if v in set(SupervisorCategory) else v),
    Column("employer", "工作单位"),
    Column("phone", "联系电话"),
    Column("appointed_on", "聘任日期", _day),
    Column("term_end", "任期届满", _day),
    Column("note", "备注"),
]


class SupervisorsPanel(QWidget):
    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.bus = ctx, bus
        self.ui = load_form(FORM, self)
        today = ctx.today()
        self.model = RowsModel(COLUMNS, parent=self,
                               highlight=lambda s: s.term_end is not None and s.term_end < today)
        table = self.ui.supervisors_table
        table.setModel(self.model)
        table.setSelectionBehavior(table.SelectionBehavior.SelectRows)
        table.setSelectionMode(table.SelectionMode.SingleSelection)
        tidy_table(table, stretch_column=2)
        self.ui.add_button.clicked.connect(self.add_supervisor)
        self.ui.edit_button.clicked.connect(self.edit_supervisor)
        opens_row(table, self.edit_supervisor)
        self.ui.delete_button.clicked.connect(self.delete_supervisor)
        table.selectionModel().selectionChanged.connect(lambda *_a: self._buttons())
        bus.changed.connect(lambda entity: entity in ("*", "Supervisor") and self.load())
        self.load()

    def load(self) -> None:
        self.model.set_rows(people.list_supervisors())
        expired = people.expired_supervisors(self.ctx.today())
        names = "、".join(f"{s.name}（{format_date(s.term_end)}届满）" for s in expired[:4])
        more = f"等 {len(expired)} 人" if len(expired) > 4 else ""
        self.ui.warning_label.setText(
            f"任期已届满、需要续聘或改聘的监督员：{names}{more}（表中红色）" if expired else "")
        self.ui.warning_label.setVisible(bool(expired))
        self._buttons()

    def selected(self):  # type: ignore[no-untyped-def]
        rows = self.ui.supervisors_table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _buttons(self) -> None:
        chosen = self.selected() is not None
        writable = not self.ctx.opened.read_only
        writable_only((self.ui.add_button,), writable)
        writable_only((self.ui.edit_button, self.ui.delete_button), writable, enabled=chosen)

    def _open(self, dialog: SupervisorDialog) -> None:
        dialog.saved.connect(lambda: self.bus.notify("Supervisor"))
        dialog.open()

    def add_supervisor(self) -> None:
        self._open(SupervisorDialog(self.ctx, parent=self))

    def edit_supervisor(self) -> None:
        row = self.selected()
        if row is not None and self.ui.edit_button.isEnabled():
            self._open(SupervisorDialog(self.ctx, supervisor_id=row.id, parent=self))

    def delete_supervisor(self) -> None:
        row = self.selected()
        if row is None or not messages.confirm(self, f"删除监督员 {row.name}？", yes="删除"):
            return
        try:
            with self.ctx.acting("监督员"):
                people.delete_supervisor(row.id)
        except WqgError as exc:
            messages.warn(self, exc.message)
            return
        self.bus.notify("Supervisor")
