"""The window must outlive PySide6's lost references to ``None`` (see wqg_desktop/ui/__init__.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_a_long_session_of_combo_fills_does_not_abort_the_interpreter() -> None:
    # in a child process: the failure is an abort ("deallocating None"), not an exception
    script = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        import wqg_desktop.ui
        from PySide6.QtWidgets import QApplication, QComboBox
        app = QApplication([])
        combo = QComboBox()
        for i in range(100_000):  # ~30 dialogs with a city's unit list
            combo.addItem(str(i), None)
            combo.itemData(i)
        combo.clear()
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-500:]
