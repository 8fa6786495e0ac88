"""系统设置: this office, the database and its backups, the rule parameters, the fonts."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from wqg_desktop import paths
from wqg_desktop.app import AppContext
from wqg_desktop.db import server_login
from wqg_desktop.db.connection import backup_path, backup_to
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.roles import Permission, current_role
from wqg_desktop.errors import WqgError
from wqg_desktop.services import settings
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.accounts_dialog import AccountsDialog
from wqg_desktop.ui.dialogs.calendar_dialog import CalendarDialog
from wqg_desktop.ui.dialogs.server_login import ADDRESS, ServerLoginDialog
from wqg_desktop.ui.dialogs.settings_dialog import SettingsDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import READ_ONLY_TIP, Page, admin_only, allow, tidy_table

FORM = "settings_page"

SETTING_COLUMNS = [Column("label", "参数"), Column("value", "当前值")]


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value == "election":
        return "选举口径：(候选数−达标数)/达标数 ≥ 20%，最多通过 ⌊5×候选数/6⌋"
    if value == "fail20":
        return "淘汰口径：至少 20% 不达标，最多通过 ⌊4×候选数/5⌋"
    if isinstance(value, dict):
        return "，".join(f"{settings.WEIGHT_LABELS.get(k, k)} {v}" for k, v in value.items())
    return "" if value in (None, "") else str(value)




class SettingsPage(Page):
    TITLE = "系统设置"
    HELP = "系统设置"
    WATCHES = ("Setting", "Office")

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.model = RowsModel(SETTING_COLUMNS, parent=self)
        self.ui.settings_table.setModel(self.model)
        tidy_table(self.ui.settings_table, stretch_column=1)
        self.ui.backup_button.clicked.connect(self.backup_now)
        self.ui.backup_button.setEnabled(not ctx.opened.read_only)
        self.ui.edit_button.clicked.connect(self.edit_settings)
        allow(self.ui.edit_button, READ_ONLY_TIP if ctx.opened.read_only
              else admin_only(Permission.CHANGE_SETTINGS))
        self.ui.calendar_button.clicked.connect(self.edit_calendar)
        self.ui.server_button.clicked.connect(self.connect_server)
        self.ui.local_button.clicked.connect(self.use_local_file)
        self.ui.accounts_button.clicked.connect(self.manage_accounts)
        self.server_dialog: ServerLoginDialog | None = None

    def load(self) -> None:
        office = self.ctx.office
        self.ui.office_name_value.setText(office.name if office else "（未设置）")
        self.ui.office_level_value.setText(Level(office.level).label if office else "")
        self.ui.office_region_value.setText(
            f"{office.region_name}{'（' + office.region_code + '）' if office and office.region_code else ''}"
            if office else ""
        )
        self.ui.officer_value.setText(self.ctx.officer or "（未填写）")
        self.ui.db_value.setText(self.ctx.location)
        server = self.ctx.opened.server
        for widget in (self.ui.account_caption, self.ui.account_value, self.ui.role_caption,
                       self.ui.role_value):
            widget.setVisible(server is not None)
        if server is not None:
            self.ui.account_value.setText(self.ctx.opened.account or server.user)
            self.ui.role_value.setText(current_role().value)
        self.load_server()
        self.ui.backups_value.setText(str(paths.backups_dir(self.ctx.db_path)))
        values = settings.all_settings()
        self.model.set_rows([
            {"label": label, "value": _show(values[key])}
            for key, (_default, label) in settings.DEFAULTS.items()
            if key not in ("officer_name", "certificate_counter", "calendar_shipped_years")
        ])
        self.ui.fonts_label.setText(f"界面字体：{self.font().family()}")

    # -- the database server ---------------------------------------------------------------

    def load_server(self) -> None:
        """What the next start opens, and the two buttons that change it."""
        remembered = server_login.load()
        if remembered is None:
            text = f"下次启动时打开本机数据库文件：{paths.default_db_path()}"
        else:
            how = "已记住密码" if remembered.has_password else "启动时询问密码"
            text = f"下次启动时连接数据库服务器：{remembered.display}（{how}）"
        self.ui.next_start_label.setText(text)
        why_not = admin_only(Permission.CHANGE_SETTINGS)
        allow(self.ui.server_button, why_not)
        allow(self.ui.local_button,
              why_not or (None if remembered else "下次启动时已经打开本机数据库文件"))
        allow(self.ui.accounts_button,
              "本机数据库文件没有账号：账号只在数据库服务器上管理" if not self.ctx.on_server
              else admin_only(Permission.MANAGE_ACCOUNTS))

    def connect_server(self) -> None:
        remembered = server_login.load()
        address = remembered.address if remembered else self.ctx.opened.server
        dialog = ServerLoginDialog(address, mode=ADDRESS,
                                   remember=bool(remembered and remembered.has_password),
                                   parent=self)
        dialog.saved.connect(self._server_saved)
        dialog.open()
        self.server_dialog = dialog

    def manage_accounts(self) -> None:
        dialog = AccountsDialog(self.ctx, self)
        dialog.open()
        self.accounts_dialog = dialog

    def _server_saved(self, display: str) -> None:
        self.load_server()
        messages.info(self, f"已保存。下次启动时生效：程序将连接数据库服务器 {display}。")

    def use_local_file(self) -> None:
        local = paths.default_db_path()
        if not messages.confirm(
                self, f"不再连接数据库服务器，下次启动时改用本机数据库文件：\n{local}\n\n"
                      "服务器上的数据不受影响；记住的密码从本机删除。",
                yes="改用本机数据库文件"):
            return
        server_login.forget()
        self.load_server()
        messages.info(self, "已改用本机数据库文件，下次启动时生效。")

    # -- rule parameters, calendar, backup ---------------------------------------------------

    def edit_settings(self) -> None:
        dialog = SettingsDialog(self.ctx, self)
        dialog.saved.connect(lambda: self.bus.notify("Setting"))
        dialog.open()
        self.settings_dialog = dialog

    def edit_calendar(self) -> None:
        dialog = CalendarDialog(self.ctx, self)
        dialog.changed.connect(lambda: self.bus.notify("CalendarDay"))
        dialog.open()
        self.calendar_dialog = dialog

    def backup_now(self) -> None:
        try:
            target = backup_to(self.ctx.opened.db, backup_path(self.ctx.db_path, "手动"))
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        self.ui.backup_status_label.setText(f"已备份到 {target.name}")
