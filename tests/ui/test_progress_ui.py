"""The one progress bar: shown at once over its parent, closed and the cursor back however the
call ends, 取消/Esc stop through the caller's exception or ``keep_going``, a bar without 取消
cannot be closed, counts past Qt's int range in thousandths, and repaints throttled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from wqg_desktop.ui import progress as progress_module
from wqg_desktop.ui.progress import ProgressBar


class Stopped(Exception):
    pass


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    return widget


def _bars() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QProgressDialog) and w.isVisible()]


def _cursor() -> Qt.CursorShape | None:
    cursor = QApplication.overrideCursor()
    return None if cursor is None else cursor.shape()


def _buttons(bar: QProgressDialog) -> list[str]:
    return [b.text() for b in bar.findChildren(QPushButton) if b.isVisible()]


def test_shown_at_once_over_its_parent_with_a_wait_cursor(parent) -> None:
    assert _cursor() is None
    with ProgressBar(parent, "导入上报包", "正在校验签名与文件…") as bar:
        # before any report: the call may take seconds before it says anything
        assert _bars() == [bar] and bar.parent() is parent
        assert bar.windowModality() == Qt.WindowModality.WindowModal
        assert bar.windowTitle() == "导入上报包" and bar.labelText() == "正在校验签名与文件…"
        assert _cursor() == Qt.CursorShape.WaitCursor
        assert _buttons(bar) == []
        assert not bar.windowFlags() & Qt.WindowType.WindowCloseButtonHint
    assert not _bars() and _cursor() is None


def test_a_cancellable_bar_has_its_button_and_a_busy_cursor(parent) -> None:
    with ProgressBar(parent, "打印", "正在打印……", cancel=True, cancel_label="停止") as bar:
        assert _buttons(bar) == ["停止"] and _cursor() == Qt.CursorShape.BusyCursor
    assert not _bars() and _cursor() is None


def test_closes_and_restores_the_cursor_when_the_call_fails(parent) -> None:
    with pytest.raises(RuntimeError, match="磁盘"), \
            ProgressBar(parent, "导入上报包", cancel=Stopped) as bar:
        bar(1, 10, "正在写入：基层单位")
        raise RuntimeError("磁盘已满")
    assert not _bars() and _cursor() is None
    # and when it is cancelled: the caller's exception goes through, the bar still closes
    with pytest.raises(Stopped), ProgressBar(parent, "读取上报包", cancel=Stopped) as bar:
        bar.cancel()
        bar(2, 10, "正在读取记录：基层单位")
    assert not _bars() and _cursor() is None


def test_cancel_raises_the_callers_exception(parent, qtbot) -> None:
    with ProgressBar(parent, "读取上报包", cancel=Stopped) as bar:
        bar(1, 10, "正在读取记录：基层单位")  # nothing pressed: goes on
        (button,) = [b for b in bar.findChildren(QPushButton) if b.text() == "取消"]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        with pytest.raises(Stopped):
            bar(2, 10, "正在读取记录：称号")
        assert not bar.keep_going(3, 10, "正在比对")


def test_esc_cancels_and_keep_going_says_stop(parent, qtbot) -> None:
    with ProgressBar(parent, "打印空白问卷", cancel=True) as bar:
        assert bar.keep_going(0, 120, "正在生成第 1 / 60 份问卷……")
        qtbot.keyClick(bar, Qt.Key.Key_Escape)
        assert not bar.keep_going(25, 120, "正在生成第 26 / 60 份问卷……")
        bar(50, 120, "正在生成第 51 / 60 份问卷……")  # no exception given: raises nothing
    assert not _bars() and _cursor() is None


def test_without_cancel_esc_and_close_are_ignored(parent, qtbot) -> None:
    with ProgressBar(parent, "导入上报包") as bar:
        bar(1, 10, "正在写入：基层单位")
        qtbot.keyClick(bar, Qt.Key.Key_Escape)
        assert not bar.close()  # the window's close button, Alt+F4
        assert bar.isVisible() and not bar.wasCanceled()
        assert bar.keep_going(2, 10, "正在写入：称号")
        bar(10, 10, "导入完成")
        assert bar.value() == bar.maximum() == 10
    assert not _bars()


def test_huge_totals_are_shown_in_thousandths(parent) -> None:
    total = 3 * 2**40  # weighted records: far past Qt's int range
    with ProgressBar(parent, "导入上报包") as bar:
        bar(total // 3, total, "正在写入：基层单位")
        assert (bar.value(), bar.maximum()) == (333, 1000)
        bar(total, total, "导入完成")
        assert (bar.value(), bar.maximum()) == (1000, 1000)
        # small counts are shown as they are (11 certificates: 11 steps)
        bar(4, 11, "正在生成证书：第 4 / 11 页……")
        assert (bar.value(), bar.maximum()) == (4, 11)
        bar(2, 0, "已生成。")  # nothing to count: no division by zero, a full bar
        assert (bar.value(), bar.maximum()) == (1, 1)


def test_busy_moves_until_the_first_report(parent) -> None:
    with ProgressBar(parent, "从 Excel 导入单位", "正在导入，请稍候…", busy=True) as bar:
        assert (bar.minimum(), bar.maximum()) == (0, 0)
        assert bar.labelText() == "正在导入，请稍候…"
        bar(1, 2, "正在写入")
        assert (bar.value(), bar.maximum()) == (1, 2)


def test_repaints_are_throttled_but_stages_and_the_end_always_shown(parent, monkeypatch) -> None:
    clock = [100.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: clock[0])
    with ProgressBar(parent, "证书与牌匾打印", cancel=Stopped) as bar:
        bar(0, 40, "正在准备 40 份证书……")
        clock[0] += 0.01
        bar(5, 40, "正在生成证书：第 5 / 40 页……")  # a new stage: shown at once
        assert bar.value() == 5 and bar.labelText().startswith("正在生成证书：第 5 ")
        clock[0] += 0.01
        bar(10, 40, "正在生成证书：第 10 / 40 页……")  # same stage, 10 ms later: not yet
        assert bar.value() == 5 and bar.labelText().startswith("正在生成证书：第 5 ")
        clock[0] += progress_module.REPAINT_SECONDS
        bar(15, 40, "正在生成证书：第 15 / 40 页……")
        assert bar.value() == 15 and bar.labelText().startswith("正在生成证书：第 15 ")
        bar(40, 40, "正在登记证书发放……")  # the end, at once
        assert bar.value() == 40 and bar.labelText() == "正在登记证书发放……"
        # a cancel is noticed on every report, shown or not
        bar.cancel()
        with pytest.raises(Stopped):
            bar(40, 40, "正在登记证书发放……")
