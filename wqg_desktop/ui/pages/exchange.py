"""上报与汇总: make a package (or hand decisions down), take one in with its preview, the
package log, backups with restore, and the office identity file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Office
from wqg_desktop.domain.roles import Permission
from wqg_desktop.errors import WqgError
from wqg_desktop.exchange import archive, backups, keys, merge, package
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.pkg_import import FIRST_STAGE, PkgImportDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import Page, admin_only, allow, tidy_table, writable_only
from wqg_desktop.ui.progress import ProgressBar

FORM = "exchange_page"
PACKAGE_FILTER = "维权岗上报包 (*.wqgpkg)"
NO_PACKAGE = "还没有生成过上报包或下发包：请先“生成上报包”"
NO_BACKUP = "请先在列表中选择要恢复的备份"
NO_LOWER_OFFICE = "还没有下级单位的记录：导入过下级的上报包后才能向其下发"
BACKUP_FILTER = "数据库备份 (*.sqlite3);;所有文件 (*)"

LOG_COLUMNS = [Column("at", "时间", fmt=lambda v: str(v)[:16]), Column("direction", "收发"),
               Column("kind", "类别"), Column("office", "单位"),
               Column("sequence", "序号", align_right=True),
               Column("records", "记录数", align_right=True), Column("result", "结果"),
               Column("file", "文件")]
BACKUP_COLUMNS = [Column("taken_at", "时间", fmt=lambda v: v.strftime("%Y-%m-%d %H:%M")),
                  Column("label", "类别"), Column("units", "单位数", align_right=True),
                  Column("titles", "称号数", align_right=True),
                  Column("records", "记录数", align_right=True),
                  Column("sound", "校验", fmt=lambda v: "完好" if v else "损坏"),
                  Column("path", "文件", fmt=lambda v: Path(v).name)]


def describe_backup_file(found: backups.BackupFile, me: Office | None) -> str:
    """The confirmation before restoring from a file: which file, whose, how much, how old."""
    when = found.last_change.strftime("%Y-%m-%d %H:%M") if found.last_change else "（无改动记录）"
    lines = [f"用备份文件“{found.path.name}”替换当前数据？", "",
             f"文件位置：{found.path.parent}",
             f"所属办公室：{found.office_name or '（尚未设置本办公室）'}",
             f"最后一次改动：{when}（文件时间 {found.written:%Y-%m-%d %H:%M}）",
             f"其中：{found.units} 个单位，{found.titles} 个称号，共 {found.records} 条记录"]
    if not found.same_office:
        here = me.name if me else "（尚未设置）"
        lines += ["", f"注意：这个备份不是本办公室（{here}）的，恢复后本程序中的数据将全部换成"
                      f"“{found.office_name or '未设置办公室'}”的数据。只有换电脑或确需使用该备份时才这样做。"]
    return "\n".join(lines)


class ExchangePage(Page):
    TITLE = "上报与汇总"
    HELP = "上报与汇总"
    WATCHES = ("*",)

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.log_model = RowsModel(LOG_COLUMNS, parent=self)
        self.ui.log_table.setModel(self.log_model)
        tidy_table(self.ui.log_table, stretch_column=6)
        self.backup_model = RowsModel(BACKUP_COLUMNS, parent=self)
        self.ui.backups_table.setModel(self.backup_model)
        tidy_table(self.ui.backups_table, stretch_column=6)
        self.dialog: PkgImportDialog | None = None
        #: the package made last on this page: what "复制到U盘" copies
        self.last_package: Path | None = None
        ui = self.ui
        ui.export_button.clicked.connect(lambda: self.export_package(None))
        ui.copy_button.clicked.connect(self.copy_to_usb)
        ui.down_button.clicked.connect(self._export_down)
        ui.import_button.clicked.connect(self.import_package)
        ui.key_export_button.clicked.connect(self.export_key)
        ui.key_import_button.clicked.connect(self.import_key)
        ui.backup_button.clicked.connect(self.backup_to_file)
        ui.restore_button.clicked.connect(self.restore_selected)
        ui.restore_file_button.clicked.connect(self.restore_from_file)
        ui.identity_export_button.clicked.connect(self.export_identity)
        ui.identity_import_button.clicked.connect(self.import_identity)
        ui.new_key_button.clicked.connect(self.new_key)
        # exporting the key or the identity creates the keys the first time: they write too
        writable_only((ui.export_button, ui.import_button, ui.key_import_button,
                       ui.identity_import_button, ui.key_export_button,
                       ui.identity_export_button, ui.new_key_button), self.writable)
        if self.writable:  # taking a package in merges it: 管理员 only on a shared server
            allow(ui.import_button, admin_only(Permission.MERGE_PACKAGES))
        ui.backups_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons())
        self._update_buttons()

    def load(self) -> None:
        ident = keys.identity()
        self.ui.fingerprint_value.setText(ident.fingerprint if ident else "尚未生成（第一次制作上报包时生成）")
        self.ui.sequence_value.setText(str(ident.sequence) if ident else "0")
        me = self.ctx.office
        parent = Office.get_or_none(Office.id == me.parent_id) if me and me.parent_id else None
        box = keys.confirmed_box_key(parent.uuid) if parent else None
        self.ui.upper_value.setText(
            (f"{parent.name}（{'已有其公钥，未成年人信息加密报送' if box else '尚无其公钥，未成年人信息不随包报送'}）")
            if parent else "尚未导入上级公钥：未成年人信息不随包报送")
        self.ui.down_combo.clear()
        if me is not None:
            below = Office.select().where(Office.parent == me.id).order_by(Office.name)
            for office in below:
                self.ui.down_combo.addItem(office.name, office.id)
        self.log_model.set_rows(merge.package_log())
        self.backup_model.set_rows(backups.list_backups(self.ctx.db_path))
        self._update_buttons()

    def _update_buttons(self) -> None:
        ui = self.ui
        if not self.writable:
            writable_only((ui.down_button, ui.restore_button, ui.restore_file_button), False)
        else:
            allow(ui.down_button, None if ui.down_combo.count() else NO_LOWER_OFFICE)
            chosen = bool(ui.backups_table.selectionModel().selectedRows())
            allow(ui.restore_button,
                  admin_only(Permission.RESTORE) or (None if chosen else NO_BACKUP))
            allow(ui.restore_file_button, admin_only(Permission.RESTORE))
        made = self.last_package is not None and self.last_package.is_file()
        sent = any(self.log_model.row_at(i)["direction"] == "发出"
                   for i in range(self.log_model.rowCount()))
        allow(ui.copy_button, None if made or sent else NO_PACKAGE)

    # -- packages ------------------------------------------------------------------------------

    def _export_down(self) -> None:
        office_id = self.ui.down_combo.currentData()
        if office_id is not None:
            self.export_package(Office.get_by_id(office_id))

    def export_package(self, for_office: Office | None) -> None:
        me = self.ctx.office
        if me is None:
            return
        today = self.ctx.today()
        name = package.default_file_name(me.name, today, receiver=for_office.name if for_office else "")
        what = "下发包" if for_office else "上报包"
        target = messages.save_file(self, f"保存{what}", name, PACKAGE_FILTER)
        if target is None:
            return
        refused = None
        with ProgressBar(self, f"生成{what}", f"正在生成{what}…") as progress:
            try:
                with self.ctx.acting(f"制作{what}"):
                    result = package.export_package(out=target, today=today,
                                                    for_office=for_office, progress=progress)
            except WqgError as exc:
                refused = exc.message
        if refused is not None:  # shown once the bar is gone
            messages.error(self, refused)
            return
        self.last_package = result.path
        self.bus.notify("PackageLog")
        self._update_buttons()
        privacy = ("未成年人信息已加密，只有接收单位能解密。" if result.sealed_to else
                   f"没有接收单位的公钥，{result.minors_blanked} 条记录中的未成年人信息未随包报送。")
        messages.info(self, f"{what}已生成并读回校验：\n{result.path}\n\n第 {result.sequence} 号，"
                            f"{sum(result.counts.values())} 条记录。{privacy}\n\n"
                            f"请接收单位电话核对本办公室的密钥指纹：\n{result.fingerprint}\n\n"
                            "需要用 U 盘报送时，点“复制到U盘”。")

    def copy_to_usb(self) -> None:
        """Copy the package made last (or one the officer picks) into a folder on a USB stick,
        verified by reading the copy back."""
        source = self.last_package if self.last_package and self.last_package.is_file() else None
        if source is None:
            source = messages.open_file(self, "选择要复制的上报包", PACKAGE_FILTER)
            if source is None:
                return
        folder = messages.choose_folder(self, f"把“{source.name}”复制到（请选择 U 盘上的文件夹）")
        if folder is None:
            return
        try:
            target, sha = archive.copy_package(source, folder)
        except WqgError as exc:
            messages.error(self, f"复制失败：{exc.message}")
            return
        messages.info(self, f"已复制到 {target}，并读回校验一致。\nSHA-256：{sha[:16]}…\n"
                            "请用系统的“安全删除硬件/弹出”后再拔下 U 盘。")

    def import_package(self) -> None:
        source = messages.open_file(self, "选择上报包", PACKAGE_FILTER)
        if source is None:
            return
        refused = None
        with ProgressBar(self, f"读取上报包“{source.name}”", FIRST_STAGE,
                         cancel=merge.ImportCancelled) as progress:
            try:
                prepared = merge.prepare_import(source, progress)
            except merge.ImportCancelled:
                return  # the officer stopped it: nothing was changed, nothing to say
            except WqgError as exc:
                refused = exc.message
        if refused is not None:  # shown once the bar is gone
            messages.error(self, f"无法导入“{source.name}”：{refused}")
            return
        self.dialog = PkgImportDialog(self.ctx, prepared.preview, self, prepared=prepared)
        self.dialog.imported.connect(self._imported)
        self.dialog.open()

    def _imported(self, result: merge.ImportResult) -> None:
        self.bus.notify("*")
        t = result.preview.totals()
        messages.info(self, f"已导入 {result.preview.sender_name} 的包：新增 {t['new']} 条，"
                            f"修改 {t['changed']} 条，删除 {t['gone']} 条。"
                            + (f"\n导入前的数据已备份：{Path(result.backup).name}" if result.backup else ""))

    def export_key(self) -> None:
        target = messages.save_file(self, "保存公钥文件", "本办公室公钥.wqgkey", "公钥文件 (*.wqgkey)")
        if target is None:
            return
        try:
            key = keys.write_key_file(target)
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        self.refresh()
        messages.info(self, f"公钥文件已保存。交给下级时请电话告知指纹：\n{key.fingerprint}")

    def import_key(self) -> None:
        source = messages.open_file(self, "选择上级下发的公钥文件", "公钥文件 (*.wqgkey)")
        if source is None:
            return
        try:
            key = keys.read_key_file(source)
            if not messages.confirm(self, f"“{key.office_name}”的公钥指纹：\n{key.fingerprint}\n\n"
                                          "请电话核对，一致后再确认信任。", yes="指纹一致，信任"):
                return
            with self.ctx.acting("导入上级公钥"):
                keys.trust_key(office_uuid=key.office_uuid, office_name=key.office_name,
                               level=key.level, sign_public=key.sign_public, box_public=key.box_public)
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        self.bus.notify("KnownKey")

    # -- backups and identity --------------------------------------------------------------------

    def backup_to_file(self) -> None:
        target = messages.save_file(self, "备份到文件", "维权岗备份.sqlite3", "数据库备份 (*.sqlite3)")
        if target is None:
            return
        try:
            backups.manual_backup(target)
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        messages.info(self, f"已备份并校验：{target}")

    def restore_selected(self) -> None:
        rows = self.ui.backups_table.selectionModel().selectedRows()
        if not rows:
            messages.warn(self, "请先在列表中选择要恢复的备份。")
            return
        chosen = self.backup_model.row_at(rows[0].row())
        when = chosen.taken_at.strftime("%Y-%m-%d %H:%M")
        self._restore(chosen.path, f"用 {when} 的备份（{chosen.units} 个单位）替换当前数据？")

    def restore_from_file(self) -> None:
        """Restore from a backup file anywhere (a USB stick): checked and described first."""
        source = messages.open_file(self, "选择要恢复的备份文件", BACKUP_FILTER)
        if source is None:
            return
        try:
            found = backups.inspect_backup(source)
        except WqgError as exc:
            messages.error(self, f"不能从这个文件恢复，当前数据没有改动。\n\n{exc.message}")
            return
        self._restore(found.path, describe_backup_file(found, self.ctx.office))

    def _restore(self, source: Path, question: str) -> None:
        if not messages.confirm(self, f"{question}\n\n恢复前会先把当前数据备份，需要时可以再恢复回来。",
                                yes="恢复"):
            return
        try:
            with self.ctx.acting("从备份恢复"):
                _, before = backups.restore(self.ctx.db_path, source)
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        self.bus.notify("*")
        messages.info(self, f"已恢复。恢复前的数据在备份 {before.name} 中。")

    def export_identity(self) -> None:
        target = messages.save_file(self, "导出身份文件", "本办公室身份.wqgid", "身份文件 (*.wqgid)")
        if target is None:
            return
        password = messages.ask_password(self, "为身份文件设一个密码（至少 8 位）：")
        if not password:
            return
        try:
            keys.export_identity(target, password)
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        messages.info(self, "身份文件已导出。请把它和密码分开妥善保管；换电脑时用它恢复本办公室的密钥。")

    def import_identity(self) -> None:
        source = messages.open_file(self, "选择身份文件", "身份文件 (*.wqgid)")
        if source is None:
            return
        password = messages.ask_password(self, "身份文件的密码：")
        if password is None:
            return
        try:
            with self.ctx.acting("导入身份文件"):
                ident = keys.import_identity(source, password)
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        self.bus.notify("OfficeIdentity")
        messages.info(self, f"本办公室的密钥已恢复，指纹：{ident.fingerprint}")

    def new_key(self) -> None:
        """The keys are lost (no identity file): make new ones; the office above must confirm
        the new fingerprint by telephone before it takes this office's packages again."""
        if not messages.confirm(self, "生成新密钥后，原密钥不再使用；上级导入本单位的包时会看到新指纹，"
                                      "须电话核对后才接受。\n有身份文件时请改用“导入身份文件”恢复原密钥。\n\n"
                                      "确实丢失了原密钥，生成新密钥？", yes="生成新密钥"):
            return
        try:
            with self.ctx.acting("生成新密钥"):
                ident = keys.regenerate_identity()
        except WqgError as exc:
            messages.error(self, exc.message)
            return
        self.bus.notify("OfficeIdentity")
        messages.info(self, f"已生成新密钥，指纹：\n{ident.fingerprint}\n\n请电话告知上级核对，"
                            "并尽快导出新的身份文件妥善保管。")
