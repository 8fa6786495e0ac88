"""GUI entry: arguments, logging, excepthook, open the database, QApplication, main window."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from wqg_desktop import APP_NAME, APP_NAME_LONG, __version__, paths

log = logging.getLogger("wqg")


def parse_args(argv: list[str]) -> argparse.Namespace:
    from wqg_desktop.cli.common import ChineseParser

    parser = ChineseParser(prog="wqg-desktop", description=f"{APP_NAME_LONG}（图形界面）")
    parser.add_argument("--db", metavar="路径", help="数据库文件（默认在用户数据目录中）")
    parser.add_argument("--demo", action="store_true",
                        help="打开演示数据库（南通市公安局；不存在时自动生成，日期相对于今天）")
    parser.add_argument("--read-only", action="store_true", help="只读打开，不修改数据库")
    parser.add_argument("--version", action="version", version=f"wqg-desktop {__version__}",
                        help="显示版本号并退出")
    return parser.parse_args(argv)


def setup_logging() -> Path:
    log_file = paths.logs_dir() / "wqg-desktop.log"
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=5,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_file


def demo_db_path() -> Path:
    return paths.data_dir() / "demo" / "wqg-demo.sqlite3"


def ensure_demo(path: Path) -> None:
    """Build the demo database on first use; later starts reopen it as the officer left it."""
    if path.exists():
        return
    from wqg_desktop.app import AppContext
    from wqg_desktop.services.demo import build_demo

    with AppContext.open(path) as ctx:
        build_demo(today=ctx.today())


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    log_file = setup_logging()

    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from wqg_desktop.ui import excepthook, startup
    from wqg_desktop.ui.fonts import install_ui_font

    excepthook.install(str(log_file))
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_ui_font(app, bundled_only=os.environ.get("WQG_FONTS_ONLY_BUNDLED") == "1")

    if args.demo:
        path = Path(args.db) if args.db else demo_db_path()
        try:
            ensure_demo(path)
        except Exception as exc:  # shown in Chinese, logged with its traceback
            log.exception("生成演示数据库失败")
            from wqg_desktop.ui import messages
            messages.error(None, f"无法生成演示数据库：{exc}")
            return 1
    else:
        path = Path(args.db) if args.db else paths.default_db_path()
    log.info("启动 %s，数据库 %s，%s", __version__, path, dt.datetime.now().isoformat())
    window = startup.open_main_window(path, read_only=args.read_only)
    if window is None:
        return 1
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
