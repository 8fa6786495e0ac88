"""The main window: navigation on the left, one page at a time, status bar at the bottom."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QWidget,
)

from wqg_desktop import APP_NAME_LONG, __version__
from wqg_desktop.app import AppContext
from wqg_desktop.domain.roles import Permission, current_role, may
from wqg_desktop.errors import WqgError
from wqg_desktop.exchange import backups
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.change_poller import ChangePoller
from wqg_desktop.ui.dialogs import unsaved
from wqg_desktop.ui.dialogs.help_dialog import HelpDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.pages.base import Page
from wqg_desktop.ui.pages.campaigns import CampaignsPage
from wqg_desktop.ui.pages.exchange import ExchangePage
from wqg_desktop.ui.pages.home import HomePage
from wqg_desktop.ui.pages.inspections import InspectionsPage
from wqg_desktop.ui.pages.people_leading import LeadingGroupPanel
from wqg_desktop.ui.pages.people_supervisors import SupervisorsPanel
from wqg_desktop.ui.pages.printing import PrintingPage
from wqg_desktop.ui.pages.records import RecordsPage
from wqg_desktop.ui.pages.settings_page import SettingsPage
from wqg_desktop.ui.pages.surveys import SurveysPage
from wqg_desktop.ui.pages.units import UnitsPage

FORM = "main_window"

log = logging.getLogger(__name__)

#: how often the window asks whether an automatic backup is due
AUTO_BACKUP_CHECK_MS = 10 * 60 * 1000

#: navigation order, as DOMAIN's officer works through the campaign
NAVIGATION = ["首页（待办）", "单位名册", "创建活动", "检查记录", "满意度调查", "日常工作台账",
              "证书与牌匾打印", "上报与汇总", "系统设置"]


#: the page of each navigation entry
PAGE_CLASSES: dict[str, type[Page]] = {
    page.TITLE: page
    for page in (HomePage, UnitsPage, CampaignsPage, InspectionsPage, SurveysPage, RecordsPage,
                 PrintingPage, ExchangePage, SettingsPage)
}


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, bus: Bus | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bus = bus or Bus(self)
        central = QWidget(self)
        self.ui = load_form(FORM, central, margins=False)
        self.setCentralWidget(central)
        office = ctx.office
        self.setWindowTitle(f"{APP_NAME_LONG} — {office.name if office else ''}")
        self.pages: list[Page] = self._build_pages()
        for page in self.pages:
            # A page wider or taller than a small office screen (1366×768 at 150%) scrolls
            # instead of pushing the window off the screen.
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it only scrolls: no empty Tab stop
            holder.setWidget(page)
            self.ui.page_stack.addWidget(holder)
            QListWidgetItem(page.TITLE, self.ui.nav_list)
        assert [p.TITLE for p in self.pages] == NAVIGATION
        self.ui.nav_list.currentRowChanged.connect(self.ui.page_stack.setCurrentIndex)
        self.ui.nav_list.setCurrentRow(0)
        self._build_status_bar()
        self._build_shortcuts()
        self.setMinimumSize(800, 450)
        # Automatic backups while the officer works (only when something changed and the
        # last one is old enough: exchange/backups.py decides), and once more on closing.
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(AUTO_BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self.auto_backup)
        if not ctx.opened.read_only:
            self._backup_timer.start()

    def _build_pages(self) -> list[Page]:
        pages: list[Page] = []
        for title in NAVIGATION:
            page = PAGE_CLASSES[title](self.ctx, self.bus)
            if isinstance(page, UnitsPage):
                page.add_tab(LeadingGroupPanel(self.ctx, self.bus), "领导小组")
                page.add_tab(SupervisorsPanel(self.ctx, self.bus), "监督员")
            pages.append(page)
        return pages

    def _build_status_bar(self) -> None:
        office = self.ctx.office
        bar = self.statusBar()
        self.office_status = QLabel(office.name if office else "")
        self.officer_status = QLabel(f"经办民警：{self.ctx.officer or '（未填写）'}")
        mode = "（只读）" if self.ctx.opened.read_only else ""
        # where the data is, as --db takes it (a server without its password)
        self.db_status = QLabel(f"数据库{mode}：{self.ctx.location}")
        self.db_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.office_status, self.officer_status):
            bar.addWidget(label)
        bar.addPermanentWidget(self.db_status)
        server = self.ctx.opened.server
        self.account_status: QLabel | None = None
        if server is not None:
            self.account_status = QLabel(
                f"账号 {self.ctx.opened.account or server.user}（{current_role().value}）")
            bar.addPermanentWidget(self.account_status)
        self.bus.changed.connect(self._refresh_status)
        bar.addPermanentWidget(QLabel(f"版本 {__version__}"))
        # what other officers (or another program) save shows up here within seconds
        self.change_poller = ChangePoller(self.bus, self)

    def _refresh_status(self, entity: str) -> None:
        if entity in ("Setting", "*"):
            self.officer_status.setText(f"经办民警：{self.ctx.officer or '（未填写）'}")

    def _build_shortcuts(self) -> None:
        help_action = QAction("帮助", self)
        help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        help_action.triggered.connect(self.show_help)
        self.addAction(help_action)
        # Ctrl+1 … Ctrl+9 jump to a page, for keyboard users.
        for n in range(len(self.pages)):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            action.triggered.connect(lambda _checked=False, row=n: self.ui.nav_list.setCurrentRow(row))
            self.addAction(action)

    def current_page(self) -> Page:
        return self.pages[self.ui.page_stack.currentIndex()]

    def show_help(self) -> None:
        dialog = HelpDialog(self.current_page().HELP or "首页", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.help_dialog = dialog

    def go_to(self, title: str) -> Page:
        row = NAVIGATION.index(title)
        self.ui.nav_list.setCurrentRow(row)
        return self.pages[row]

    def auto_backup(self) -> None:
        if self.ctx.opened.read_only:
            return
        if self.ctx.on_server and not may(Permission.RESTORE):
            # a server's copy holds every minor's data: only a 管理员's PC keeps one
            return
        try:
            made = backups.auto_backup(self.ctx.db_path)
        except WqgError as exc:
            log.error("自动备份失败：%s", exc.message)
            self.statusBar().showMessage(f"自动备份失败：{exc.message}", 30_000)
            return
        if made is not None:
            self.statusBar().showMessage(f"已自动备份：{made.name}", 10_000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # Pages save through services as the officer works; only an open dialog can hold
        # typed input nobody saved. Asked once for all of them, naming each.
        pending = unsaved.unsaved_dialogs(self)
        if pending and not unsaved.ask_quit(self, pending):
            event.ignore()
            pending[0].raise_()
            pending[0].activateWindow()
            return
        for dialog in pending:  # agreed: closing them on the way out must not ask again
            dialog.mark_clean()
        self._backup_timer.stop()
        self.auto_backup()
        event.accept()
