"""Chinese fonts for the interface on machines that have none (CI is one)."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from wqg_desktop import paths

log = logging.getLogger(__name__)

#: System faces an office PC usually has, best first.
_PREFERRED = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
              "WenQuanYi Micro Hei", "PingFang SC", "SimHei", "SimSun"]
_SAMPLE = "维权岗单位名册"


def _covers_chinese(family: str) -> bool:
    return QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family)


def install_ui_font(app: QApplication, *, bundled_only: bool = False) -> str:
    """Pick a Chinese UI font: a system one if present, else register the shipped WQY MicroHei."""
    families = set(QFontDatabase.families())
    if not bundled_only:
        for family in _PREFERRED:
            if family in families and _covers_chinese(family):
                _apply(app, family)
                return family
    font_id = QFontDatabase.addApplicationFont(str(paths.fonts_dir() / "wqy-microhei.ttc"))
    loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not loaded:
        log.error("无法加载随程序提供的中文字体 %s", paths.fonts_dir())
        return app.font().family()
    _apply(app, loaded[0])
    return loaded[0]


def _apply(app: QApplication, family: str) -> None:
    font = QFont(family)
    font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
    app.setFont(font)
