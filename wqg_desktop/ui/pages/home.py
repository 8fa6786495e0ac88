"""首页（待办）: counts and everything that falls due, overdue first and in red."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.domain.levels import Level
from wqg_desktop.services import calendar, deadlines, overview, settings
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import Page, tidy_table

FORM = "home_page"

COL_WHEN, COL_KIND, COL_SUBJECT, COL_DUE, COL_OFFICE = range(5)
COLUMNS = [
    Column("when_text", "期限"),
    Column("kind", "事项"),
    Column("subject", "内容"),
    Column("due", "到期日", fmt=lambda d: format_date(d) if d else ""),
    Column("office", "所属单位"),
]


def _tile(number: int, caption: str, *, alarm: bool = False) -> str:
    colour = "#b00020" if alarm and number else "#1f3b73"
    return (f"<div style='font-size:18pt;font-weight:bold;color:{colour}'>{number}</div>"
            f"<div>{caption}</div>")


class HomePage(Page):
    TITLE = "首页（待办）"
    HELP = "首页"

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.model = RowsModel(COLUMNS, highlight=lambda item: item.overdue, parent=self)
        self.ui.due_table.setModel(self.model)
        tidy_table(self.ui.due_table, stretch_column=COL_SUBJECT)
        self.ui.overdue_only_check.toggled.connect(lambda _checked: self.refresh())
        self.ui.include_below_check.toggled.connect(lambda _checked: self.refresh())
        self.items: list[deadlines.DueItem] = []

    def load(self) -> None:
        today = self.ctx.today()
        office = self.ctx.office
        level = Level(office.level).label if office else ""
        officer = self.ctx.officer or "（未填写）"
        self.ui.office_label.setText(
            f"{office.name if office else ''}（{level}）　经办民警：{officer}　今天：{format_date(today)}"
        )
        horizon = int(settings.get("due_soon_days"))
        own = None if self.ui.include_below_check.isChecked() or office is None else office.id
        self.items = deadlines.due_items(today, horizon, office_id=own)
        overdue = [i for i in self.items if i.overdue]
        counts = overview.home_counts()
        self.ui.units_tile.setText(_tile(counts.units, "在册基层单位"))
        self.ui.titles_tile.setText(_tile(counts.valid_titles, "有效称号"))
        self.ui.campaigns_tile.setText(_tile(counts.open_campaigns, "进行中的创建活动"))
        self.ui.due_tile.setText(_tile(len(self.items) - len(overdue), f"{horizon}天内到期"))
        self.ui.overdue_tile.setText(_tile(len(overdue), "已逾期", alarm=True))
        # due dates counted in working days are wrong in a year with no holiday schedule
        warning = calendar.missing_warning(calendar.missing_years(today))
        self.ui.calendar_warning_label.setText(warning or "")
        self.ui.calendar_warning_label.setVisible(bool(warning))
        shown = overdue if self.ui.overdue_only_check.isChecked() else self.items
        self.model.set_rows(shown)
        self.ui.due_table.setVisible(bool(shown))
        self.ui.empty_label.setVisible(not shown)
        self.ui.due_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
