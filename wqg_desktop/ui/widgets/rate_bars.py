"""Horizontal bars of awareness and satisfaction rates per unit, drawn with QPainter.

Small enough not to need a charting add-on: one row per unit, two bars per row, the
percentage written at the end of each bar, a legend on top.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

AWARENESS_COLOUR = QColor("#3a6ea5")
SATISFACTION_COLOUR = QColor("#4f9a5a")
_ROW_GAP = 10


class RateBars(QWidget):
    """``set_rows([(label, awareness, satisfaction), …])`` with rates 0..1 or ``None``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, float | None, float | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_rows(self, rows: list[tuple[str, float | None, float | None]]) -> None:
        self._rows = list(rows)
        self.updateGeometry()
        self.update()

    def rows(self) -> list[tuple[str, float | None, float | None]]:
        return list(self._rows)

    def _bar_height(self) -> int:
        return self.fontMetrics().height()

    def sizeHint(self) -> QSize:
        per_row = 2 * self._bar_height() + _ROW_GAP
        return QSize(420, self._bar_height() * 2 + max(1, len(self._rows)) * per_row)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002 - Qt signature
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        h = self._bar_height()
        y = 2
        x = 4
        for colour, text in ((AWARENESS_COLOUR, "知晓度"), (SATISFACTION_COLOUR, "满意度")):
            painter.fillRect(QRectF(x, y + 3, h - 6, h - 6), colour)
            painter.drawText(x + h, y + fm.ascent(), text)
            x += h + fm.horizontalAdvance(text) + 16
        y += h + 6
        if not self._rows:
            painter.drawText(4, y + fm.ascent(), "暂无调查数据")
            return
        label_w = min(max(fm.horizontalAdvance(r[0]) for r in self._rows) + 8, self.width() // 3)
        pct_w = fm.horizontalAdvance("100.0%") + 6
        bar_w = max(20, self.width() - label_w - pct_w - 8)
        for label, awareness, satisfaction in self._rows:
            shown = fm.elidedText(label, Qt.TextElideMode.ElideLeft, label_w - 8)
            painter.setPen(self.palette().text().color())
            painter.drawText(4, y + h + fm.ascent() // 2, shown)
            for k, (rate, colour) in enumerate(((awareness, AWARENESS_COLOUR),
                                                (satisfaction, SATISFACTION_COLOUR))):
                top = y + k * h
                painter.fillRect(QRectF(label_w, top + 1, bar_w, h - 2), QColor("#eeeeee"))
                if rate is not None:
                    painter.fillRect(QRectF(label_w, top + 1, bar_w * rate, h - 2), colour)
                text = "—" if rate is None else f"{rate * 100:.1f}%"
                painter.drawText(label_w + bar_w + 4, top + fm.ascent(), text)
            y += 2 * h + _ROW_GAP
        painter.end()
