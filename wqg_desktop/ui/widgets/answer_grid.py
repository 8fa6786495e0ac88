"""The keyboard entry grid: one cell per question, one digit key per answer.

Typing a digit fills the cell and moves on by itself; a digit beyond the question's options
is refused on the spot (the cell stays, the error is announced). Backspace clears and goes
back; Enter submits the sheet when every cell holds a digit (``0`` for a blank answer).
Every key typed in a cell replaces the last message: an error never outlives the next key.
No mouse needed: a trained officer keys a 10-question sheet in a few seconds.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

_KEYS_DONE = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class AnswerGrid(QWidget):
    """``submitted(answers)`` when Enter is pressed on a complete sheet; ``problem(text)``
    for a refused key or an incomplete sheet, and ``problem("")`` when the next key is
    accepted."""

    submitted = Signal(str)
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setHorizontalSpacing(4)
        self.cells: list[QLineEdit] = []
        self._counts: list[int] = []

    def set_questions(self, questions: list[tuple[str, list[str]]], *, per_row: int = 10) -> None:
        """One cell per (text, options); the tooltip lists the options with their digits."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.cells, self._counts = [], []
        for no, (text, options) in enumerate(questions):
            row, col = divmod(no, per_row)
            head = QLabel(str(no + 1), self)
            head.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell = QLineEdit(self)
            cell.setObjectName(f"answer_{no + 1}")
            cell.setMaxLength(1)
            cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
            # keys, not an input method's composed text: a Chinese IME left on would
            # otherwise put characters into a cell past the key filter
            cell.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
            cell.setFixedWidth(cell.fontMetrics().horizontalAdvance("00") + 16)
            hint = "；".join(f"{k}＝{o}" for k, o in enumerate(options, start=1))
            cell.setToolTip(f"{no + 1}. {text}\n{hint}；0＝未答")
            cell.setAccessibleName(f"第{no + 1}题")
            cell.installEventFilter(self)
            self._layout.addWidget(head, 2 * row, col)
            self._layout.addWidget(cell, 2 * row + 1, col)
            self.cells.append(cell)
            self._counts.append(len(options))
        self._layout.setColumnStretch(min(per_row, len(questions)), 1)

    def answers(self) -> str:
        return "".join(c.text() or " " for c in self.cells)

    def typed(self) -> int:
        """How many answers are keyed in the sheet on screen (nothing is saved before Enter)."""
        return sum(1 for c in self.cells if c.text())

    def clear(self) -> None:
        for cell in self.cells:
            cell.clear()
        if self.cells:
            self.cells[0].setFocus()

    def focus_first(self) -> None:
        if self.cells:
            self.cells[0].setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or watched not in self.cells:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        index = self.cells.index(watched)  # type: ignore[arg-type]
        key, text = event.key(), event.text()
        if text.isdigit() and text.isascii():
            if int(text) > self._counts[index]:
                self.problem.emit(f"第 {index + 1} 题只有 {self._counts[index]} 个选项，"
                                  f"不能填 {text}；未答按 0。")
                return True
            self.cells[index].setText(text)
            self.problem.emit("")
            if index + 1 < len(self.cells):
                self.cells[index + 1].setFocus()
            return True
        if key == Qt.Key.Key_Backspace:
            self.problem.emit("")
            if self.cells[index].text():
                self.cells[index].clear()
            elif index:
                self.cells[index - 1].clear()
                self.cells[index - 1].setFocus()
            return True
        if key in _KEYS_DONE:
            missing = [str(i + 1) for i, c in enumerate(self.cells) if not c.text()]
            if missing:
                self.problem.emit(f"第 {'、'.join(missing[:5])} 题还没有录入（未答按 0）。")
                self.cells[int(missing[0]) - 1].setFocus()
            else:
                self.submitted.emit(self.answers())
            return True
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.problem.emit("")
            step = -1 if key == Qt.Key.Key_Left else 1
            self.cells[max(0, min(len(self.cells) - 1, index + step))].setFocus()
            return True
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape):
            return super().eventFilter(watched, event)
        if text and text.isprintable():
            # a letter, a space, a full-width digit…: swallowed, and said so
            self.problem.emit(f"第 {index + 1} 题请按数字键 1～{self._counts[index]}；未答按 0。")
        return bool(text)  # swallow letters and anything else that would type into a cell
