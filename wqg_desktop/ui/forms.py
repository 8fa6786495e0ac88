"""Loading the Designer forms of ``forms/`` at run time with QUiLoader.

Why at run time: no generated code that can go stale, or that differs between the PySide6
6.8 that 信创 Linux needs and the newest one; a frozen build just ships ``forms/``.
``tests/ui/test_forms_check.py`` checks that every form loads and that every ``self.ui.NAME`` a
controller uses exists in its form.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from wqg_desktop import paths


class Form:
    """The widgets of one loaded form, reached by object name: ``form.save_button``."""

    def __init__(self, name: str, root: QWidget) -> None:
        self._name = name
        self.root = root

    def __getattr__(self, object_name: str) -> QObject:
        if object_name.startswith("_"):
            raise AttributeError(object_name)
        found = (self.root if self.root.objectName() == object_name
                 else self.root.findChild(QObject, object_name))
        if found is None:
            raise AttributeError(f"表单 {self._name}.ui 中没有名为 {object_name} 的控件")
        # cache: later look-ups are plain attribute reads
        self.__dict__[object_name] = found
        return found


class _FitToScreen(QObject):
    """Keeps a dialog inside the screen it opens on: a size chosen for a 1366×768 screen is
    too tall at 150% scaling, and a dialog whose buttons hang below the screen is unusable."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            fit_to_screen(watched)
        return False


def fit_to_screen(widget: QWidget) -> None:
    screen = widget.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    # leave space for the title bar and the frame the window manager adds
    width = min(widget.width(), room.width() - 16)
    height = min(widget.height(), room.height() - 40)
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(max(width, widget.minimumWidth()), max(height, widget.minimumHeight()))
    if widget.frameGeometry().bottom() > room.bottom() or widget.y() < room.top():
        widget.move(widget.x(), room.top())


_fit_filter: _FitToScreen | None = None

_B = QDialogButtonBox.StandardButton
_BUTTON_TEXTS = {_B.Ok: "确定", _B.Cancel: "取消", _B.Close: "关闭", _B.Save: "保存", _B.Yes: "是",
                 _B.No: "否", _B.Apply: "应用", _B.Discard: "不保存", _B.Help: "帮助"}


def load_form(name: str, host: QWidget, *, margins: bool = True) -> Form:
    """Load ``forms/<name>.ui`` and place it inside ``host`` (composition, not inheritance).

    ``margins``: give the form's own layout the usual breathing space (QUiLoader leaves it at
    zero); the main window turns it off so navigation and pages touch the window edges.
    """
    path = paths.form_path(name)
    handle = QFile(str(path))
    if not handle.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"找不到界面文件：{path}")
    try:
        loader = QUiLoader()
        root = loader.load(handle, host)
    finally:
        handle.close()
    if root is None:
        raise RuntimeError(f"界面文件无法加载：{path}：{loader.errorString()}")
    if margins and root.layout() is not None:
        root.layout().setContentsMargins(12, 10, 12, 10)
    for box in root.findChildren(QDialogButtonBox):
        # Chinese whether or not Qt's own translation is installed (a frozen build may lack it)
        for standard, text in _BUTTON_TEXTS.items():
            button = box.button(standard)
            if button is not None:
                button.setText(text)
    for view in root.findChildren(QAbstractItemView):
        # Qt's default walks Tab from cell to cell, so Tab never leaves a table and the
        # buttons under it are out of reach by keyboard; arrow keys still move between cells
        # and Tab in a cell editor still goes on to the next cell
        view.setTabKeyNavigation(False)
    layout = host.layout()
    if layout is None:
        layout = QVBoxLayout(host)
        layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(root)
    host.setWindowTitle(root.windowTitle() or host.windowTitle())
    if isinstance(host, QDialog):
        global _fit_filter
        if _fit_filter is None:  # created on first use, once a QApplication exists
            _fit_filter = _FitToScreen()
        host.installEventFilter(_fit_filter)
    return Form(name, root)
