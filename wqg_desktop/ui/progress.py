"""The one progress bar every long call shows: a window-modal dialog over its parent.

The services and builders report ``(done, total, text)`` in one of two ways, and the bar speaks
both: called, it raises the caller's cancel exception once 取消 was pressed
(``merge.ImportCancelled``, ``printing.PrintCancelled``); :meth:`ProgressBar.keep_going`
returns ``False`` instead, for callbacks that stop on ``False`` (the questionnaire builder,
printing to paper). Use it in a ``with`` block::

    with ProgressBar(self, "导入上报包", "正在校验签名与文件…") as bar:
        merge.import_package(..., progress=bar)

It is shown at once (the call may be over before a delayed bar would appear, but the officer
has already waited), with a wait cursor, and however the call ends the bar closes and the
cursor comes back.
"""

from __future__ import annotations

import re
import time
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

#: the bar's finest resolution: counts up to this are shown as they are, larger ones (weighted
#: records pass Qt's int range) in thousandths
STEPS = 1000
#: a repaint costs more than a certificate page: at most this often, but the first report,
#: the last one and each new stage are always shown
REPAINT_SECONDS = 0.05
_NUMBERS = re.compile(r"\d+")


class ProgressBar(QProgressDialog):
    """``cancel``: ``False`` — nothing closes the bar but the end (no 取消, no close button,
    Esc ignored); an exception class — 取消 (or Esc, or the close button) makes the next report
    raise it; ``True`` — the same, for callers that ask :meth:`keep_going`. ``busy``: a moving
    bar until the first report (for calls that report nothing)."""

    def __init__(self, parent: QWidget, title: str, text: str = "", *,
                 cancel: bool | type[Exception] = False, cancel_label: str = "取消",
                 busy: bool = False) -> None:
        super().__init__(text, cancel_label if cancel else "", 0, 0 if busy else 1, parent)
        self.cancel_error = cancel if isinstance(cancel, type) else None
        self.cancellable = bool(cancel)
        self._ending = False
        self._shown_at: float | None = None
        self._stage = ""
        if not self.cancellable:
            self.setCancelButton(None)
            self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        # services report done == total before the file is written or the import committed
        self.setAutoReset(False)
        self.setAutoClose(False)
        self.setMinimumWidth(420)

    def __enter__(self) -> ProgressBar:
        # busy but 取消 can be clicked / wait: nothing to click
        cursor = Qt.CursorShape.BusyCursor if self.cancellable else Qt.CursorShape.WaitCursor
        QApplication.setOverrideCursor(cursor)
        self.setValue(0)
        self.show()
        QApplication.processEvents()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        QApplication.restoreOverrideCursor()
        self._ending = True  # lets close() through
        self.close()
        self.deleteLater()

    def __call__(self, done: int, total: int, text: str) -> None:
        """``progress`` for services that stop when it raises."""
        if not self.keep_going(done, total, text) and self.cancel_error is not None:
            raise self.cancel_error()

    def keep_going(self, done: int, total: int, text: str) -> bool:
        """``progress`` for callbacks that stop on ``False``: ``False`` once 取消 was pressed."""
        if self.wasCanceled():
            return False  # no repaint: it would show the bar again
        self._show(done, total, text)
        return not self.wasCanceled()

    def _show(self, done: int, total: int, text: str) -> None:
        now = time.monotonic()
        stage = _NUMBERS.sub("#", text)  # “第 3 / 40 页” and “第 4 / 40 页” are one stage
        if (self._shown_at is not None and done < total and stage == self._stage
                and now - self._shown_at < REPAINT_SECONDS):
            return
        self._shown_at, self._stage = now, stage
        steps = max(1, min(total, STEPS))
        self.setRange(0, steps)
        self.setLabelText(text)
        self.setValue(steps if done >= total else steps * max(0, done) // max(1, total))
        QApplication.processEvents()

    def reject(self) -> None:  # Esc: cancels like the button (Qt would only hide the bar)
        if self.cancellable:
            self.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.cancellable or self._ending:
            super().closeEvent(event)
        else:
            event.ignore()
