"""导入上报包: the preview (sender, fingerprint, new/changed/gone) and an explicit confirmation.

A new sender's key needs the officer to tick that the fingerprint was checked by telephone; a
changed key or an older package is shown with its reason and cannot be confirmed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.errors import WqgError
from wqg_desktop.exchange import keys, merge
from wqg_desktop.ui.forms import load_form

FORM = "pkg_import_dialog"


class PkgImportDialog(QDialog):
    """Emits ``imported(result)`` after the package was merged."""

    imported = Signal(object)

    def __init__(self, ctx: AppContext, preview: merge.ImportPreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview = preview
        self.setWindowTitle("导入上报包")
        self.setMinimumSize(520, 380)
        self.ui = load_form(FORM, self)
        p = preview
        kind = "下发的决定" if p.kind == "down" else "上报包"
        self.ui.sender_label.setText(f"{p.sender_name} 的{kind}：第 {p.sequence} 号，{p.period}，"
                                     f"生成于 {p.created_at}")
        self.ui.fingerprint_label.setText(
            f"密钥指纹：{p.fingerprint}\n{keys.KEY_STATUS_LABELS.get(p.key_status, '')}")
        self.ui.changes_text.setPlainText("\n".join(p.lines()[2:]))
        self.ui.phone_check.setVisible(p.key_status == "new" and not p.refusal)
        self.ok_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确认导入")
        self.ui.phone_check.toggled.connect(self._update)
        self.ui.button_box.accepted.connect(self.do_import)
        self.ui.button_box.rejected.connect(self.reject)
        self._update()

    def _update(self) -> None:
        p = self.preview
        if p.refusal:
            message, ok = f"不能导入：{p.refusal}", False
        elif p.already_imported:
            message, ok = "此上报包已经导入过，再次导入不会改变任何数据。", False
        elif p.key_status == "new" and not self.ui.phone_check.isChecked():
            message, ok = "第一次收到该单位的包：请先电话核对上面的指纹，一致后勾选确认。", False
        else:
            message, ok = "", True
        self.ui.error_label.setText(message)
        self.ok_button.setEnabled(ok)

    def do_import(self) -> None:
        try:
            with self.ctx.acting("导入上报包"):
                result = merge.import_package(
                    self.preview.path, trust_new_key=self.ui.phone_check.isChecked(),
                    db_path=self.ctx.db_path)
        except WqgError as exc:
            self.ui.error_label.setText(exc.message)
            self.ok_button.setEnabled(False)
            return
        self.imported.emit(result)
        self.accept()
