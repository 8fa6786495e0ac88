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


def install_chinese_qt(app: QApplication) -> bool:
    """Qt's own texts (standard buttons, the print and file dialogs) in Chinese, and the
    program's icon on every window. Returns whether Qt's Chinese translation was found."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QIcon

    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(paths.resources_dir() / "icons" / f"wqg-desktop-{size}.png"))
    app.setWindowIcon(icon)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        return True
    log.info("未找到 Qt 的中文翻译（%s），Qt 自带对话框将显示英文", folder)
    return False
