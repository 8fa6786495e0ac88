"""导入上报包: the preview (sender, fingerprint, new/changed/gone) and an explicit confirmation.

A new sender's key needs the officer to tick that the fingerprint was checked by telephone.
A known sender whose key changed (it lost the old one) is shown with the old and the new
fingerprint; it is taken in only when the officer ticks that the new fingerprint was confirmed
by telephone and writes the reason (the key is then replaced, and that is audited). An older
package is shown with its reason and cannot be confirmed.

Reading a package takes seconds (a city's: ~6 s to preview, ~8 s to import): both show
:class:`~wqg_desktop.ui.progress.ProgressBar`, a window-modal bar over the stages the merge
service reports; an import is never interrupted, so its bar has no 取消.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.errors import WqgError
from wqg_desktop.exchange import keys, merge
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.progress import ProgressBar

FORM = "pkg_import_dialog"
#: what the merge service does first, shown before its first report
FIRST_STAGE = "正在校验签名与文件…"


class PkgImportDialog(QDialog):
    """Emits ``imported(result)`` after the package was merged."""

    imported = Signal(object)

    def __init__(self, ctx: AppContext, preview: merge.ImportPreview,
                 parent: QWidget | None = None, *,
                 prepared: merge.PreparedImport | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview = preview
        # the preview's plan: 确认导入 writes it at once unless the database changed meanwhile;
        # let go when the dialog closes (a city package's plan holds its half-million records)
        self.prepared = prepared
        self.finished.connect(self._forget_plan)
        self.setWindowTitle("导入上报包")
        self.setMinimumSize(520, 400)
        self.ui = load_form(FORM, self)
        p = preview
        kind = "下发的决定" if p.kind == "down" else "上报包"
        self.ui.sender_label.setText(f"{p.sender_name} 的{kind}：第 {p.sequence} 号，{p.period}，"
                                     f"生成于 {p.created_at}")
        self.replacing = p.refusal_reason == "key_changed"
        if self.replacing:
            self.ui.fingerprint_label.setText(
                f"该单位的密钥与上次不同。\n原来确认的指纹：{p.previous_fingerprint}\n"
                f"这个包的新指纹：{p.fingerprint}")
        else:
            self.ui.fingerprint_label.setText(
                f"密钥指纹：{p.fingerprint}\n{keys.KEY_STATUS_LABELS.get(p.key_status, '')}")
        lines = p.lines()[2:]
        if self.replacing:  # the refusal is what the box below resolves
            lines = [line for line in lines if not line.startswith("不能导入")]
        self.ui.changes_text.setPlainText("\n".join(lines))
        self.ui.phone_check.setVisible(p.key_status == "new" and not p.refusal)
        self.ui.replace_box.setVisible(self.replacing)
        self.ui.replace_check.toggled.connect(self._update)
        self.ui.reason_edit.textChanged.connect(self._update)
        self.ok_button = self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确认导入")
        self.ui.phone_check.toggled.connect(self._update)
        self.ui.button_box.accepted.connect(self.do_import)
        self.ui.button_box.rejected.connect(self.reject)
        self._update()

    def _update(self) -> None:
        p = self.preview
        reason = self.ui.reason_edit.text().strip()
        if self.replacing:
            if not self.ui.replace_check.isChecked():
                message, ok = "请先与该单位电话核对上面的新指纹，一致后勾选同意更换。", False
            elif len(reason) < 4:
                message, ok = "请写明更换密钥的原因（至少 4 个字）。", False
            else:
                message, ok = "确认后将停用原密钥、信任新密钥并导入，更换记入审计日志。", True
        elif p.refusal:
            message, ok = f"不能导入：{p.refusal}", False
        elif p.already_imported:
            message, ok = "此上报包已经导入过，再次导入不会改变任何数据。", False
        elif p.key_status == "new" and not self.ui.phone_check.isChecked():
            message, ok = "第一次收到该单位的包：请先电话核对上面的指纹，一致后勾选确认。", False
        else:
            message, ok = "", True
        self.ui.error_label.setText(message)
        self.ok_button.setEnabled(ok)

    def _forget_plan(self, _result: int) -> None:
        self.prepared = None

    def do_import(self) -> None:
        self.ok_button.setEnabled(False)  # one import at a time, also while the bar is shown
        refused = None
        with ProgressBar(self, "导入上报包", FIRST_STAGE) as progress:
            try:
                with self.ctx.acting("导入上报包"):
                    result = merge.import_package(
                        self.preview.path, trust_new_key=self.ui.phone_check.isChecked(),
                        db_path=self.ctx.db_path,
                        replace_key_reason=self.ui.reason_edit.text() if self.replacing else None,
                        progress=progress, prepared=self.prepared)
            except WqgError as exc:
                refused = exc.message
        if refused is not None:
            self.ui.error_label.setText(refused)
            return
        self.imported.emit(result)
        self.accept()
