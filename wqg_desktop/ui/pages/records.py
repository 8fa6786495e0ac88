"""日常工作台账: the daily work records, one tab per kind, filtered by unit and period.

Minors' identities are masked everywhere by default. "显示未成年人信息" asks for a reason,
logs it (services.privacy) and shows them until switched back; exporting or printing while
they show asks again, and logs that use separately.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Unit
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing.ledger import build_ledger
from wqg_desktop.services import privacy
from wqg_desktop.services import records_common as rc
from wqg_desktop.services.privacy import Disclosure
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.record_common import get_date
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.pages.base import READ_ONLY_TIP, Page, allow
from wqg_desktop.ui.pages.records_kinds import Filters
from wqg_desktop.ui.pages.records_kinds_more import TAB_TITLES, build_kinds
from wqg_desktop.ui.pages.records_panel import RecordsListPanel
from wqg_desktop.ui.widgets.combos import fill_combo

FORM = "records_page"

MASKED_NOTE = "未成年人的姓名已遮蔽（张某某），身份证号和住址不显示，学校显示为“某学校”；列表、打印和导出均如此。"


class RecordsPage(Page):
    TITLE = "日常工作台账"
    HELP = "日常工作台账"
    WATCHES = ("*",)

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.disclosure: Disclosure | None = None
        self.last_dialog: Any = None
        self.panels: list[RecordsListPanel] = []
        for kind in build_kinds(ctx.today):
            panel = RecordsListPanel(self, kind)
            index = self.ui.tab_widget.addTab(panel, kind.title)
            self.ui.tab_widget.setTabToolTip(index, TAB_TITLES.get(kind.title, kind.title))
            self.panels.append(panel)
        today = ctx.today()
        self.ui.from_date.setDate(QDate(today.year - 1, 1, 1))
        self.ui.to_date.setDate(QDate(today.year, today.month, today.day))
        self.ui.unit_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.ui.from_date.dateChanged.connect(lambda _d: self.refresh())
        self.ui.to_date.dateChanged.connect(lambda _d: self.refresh())
        self.ui.tab_widget.currentChanged.connect(lambda _i: self.reload_panel(self.panel()))
        self.ui.minors_button.clicked.connect(self.toggle_minors)
        self.ui.print_button.clicked.connect(self.print_ledger)
        if not self.writable:
            # showing minors' identities writes the disclosure to the log
            allow(self.ui.minors_button, READ_ONLY_TIP)
        self._show_privacy()

    # -- filters and loading ---------------------------------------------------------------

    def filters(self) -> Filters:
        start, end = get_date(self.ui.from_date), get_date(self.ui.to_date)
        if end < start:
            start, end = end, start
        return Filters(today=self.ctx.today(), unit_id=self.ui.unit_combo.currentData(),
                       period=rc.Period(start, end), disclosure=self.disclosure)

    def panel(self) -> RecordsListPanel:
        return self.panels[self.ui.tab_widget.currentIndex()]

    def load(self) -> None:
        fill_combo(self.ui.unit_combo, rc.unit_choices(), self.ui.unit_combo.currentData(),
                   blank="全部单位")
        # Only the visible tab is queried; the others load when they are opened.
        for panel in self.panels:
            panel.stale = True  # type: ignore[attr-defined]
        self.reload_panel(self.panel())

    def reload_panel(self, panel: RecordsListPanel) -> None:
        panel.stale = False  # type: ignore[attr-defined]
        panel.load(self.filters())

    # -- minors' identities ----------------------------------------------------------------

    def _show_privacy(self) -> None:
        if self.disclosure is None:
            self.ui.privacy_label.setText(MASKED_NOTE)
            self.ui.privacy_label.setStyleSheet("color: #1f3b73;")
            self.ui.minors_button.setText("显示未成年人信息(&M)…")
        else:
            self.ui.privacy_label.setText(
                f"正在显示未成年人身份信息（理由：{self.disclosure.reason}；已记录）。用毕请点“恢复遮蔽”。")
            self.ui.privacy_label.setStyleSheet("color: #b00020; font-weight: bold;")
            self.ui.minors_button.setText("恢复遮蔽(&M)")

    def _sensitive(self, unit_id: int | None, period: rc.Period) -> list[Any]:
        """Records holding a minor's identity under the given filters (all sensitive kinds)."""
        f = Filters(today=self.ctx.today(), unit_id=unit_id, period=period)
        out: list[Any] = []
        for panel in self.panels:
            kind = panel.kind
            if kind.sensitive:
                out += [r for r in kind.sensitive_records(kind.rows(f)) if privacy.has_minor_data(r)]
        return out

    def toggle_minors(self) -> None:
        if self.disclosure is not None:
            self.disclosure = None
            self._show_privacy()
            self.refresh()
            return
        f = self.filters()
        records = self._sensitive(f.unit_id, f.period)
        if not records:
            messages.info(self, "当前筛选范围内的记录没有登记未成年人身份信息。")
            return
        reason = messages.ask_text(
            self, f"当前范围内有 {len(records)} 条记录登记了未成年人身份信息。\n"
                  "显示姓名、身份证号、学校和住址须写明理由，本次选择将记入日志：")
        if reason is None:
            return
        try:
            with self.ctx.acting(reason):
                self.disclosure = privacy.disclose(records, reason=reason, purpose="屏幕显示")
        except InputRefused as exc:
            messages.warn(self, exc.message)
            return
        self._show_privacy()
        self.refresh()

    def _grant_for(self, purpose: str, unit_id: int | None,
                   period: rc.Period) -> tuple[bool, Disclosure | None]:
        """(go on?, disclosure) for an export or print while identities show on screen."""
        if self.disclosure is None:
            return True, None
        show = messages.confirm(
            self, f"屏幕上正在显示未成年人身份信息。{purpose}时也显示吗？\n"
                  "选择“遮蔽”则输出遮蔽后的信息（推荐）；选择“也显示”将另行记入日志。",
            yes="遮蔽", no="也显示")
        if show:
            return True, None
        records = self._sensitive(unit_id, period)
        with self.ctx.acting(self.disclosure.reason):
            grant = privacy.disclose(records, reason=self.disclosure.reason, purpose=purpose)
        return True, grant

    def rows_for_output(self, panel: RecordsListPanel, purpose: str) -> list[Any] | None:
        f = self.filters()
        go, grant = self._grant_for(purpose, f.unit_id, f.period)
        if not go:
            return None
        f.disclosure = grant
        return panel.kind.rows(f)

    # -- the ledger ------------------------------------------------------------------------

    def print_ledger(self) -> None:
        f = self.filters()
        if not f.unit_id:
            messages.info(self, "台账按单位打印：请先在“单位”中选择一个单位。")
            return
        unit = Unit.get_by_id(f.unit_id)
        suggested = f"{unit.name}工作台账_{f.period.start:%Y%m%d}-{f.period.end:%Y%m%d}.pdf"
        path = messages.save_file(self, "打印台账（保存为 PDF）", suggested, "PDF 文件 (*.pdf)")
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        _go, grant = self._grant_for("打印台账", f.unit_id, f.period)
        office = self.ctx.office
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pages = build_ledger(path, unit_id=unit.id, period=f.period, today=self.ctx.today(),
                                 office_name=office.name if office else "", disclosure=grant)
        except InputRefused as exc:
            QApplication.restoreOverrideCursor()
            messages.warn(self, exc.message)
            return
        QApplication.restoreOverrideCursor()
        messages.info(self, f"已生成台账（{pages} 页）：\n{path}\n请用 PDF 阅读器打开后打印。")

