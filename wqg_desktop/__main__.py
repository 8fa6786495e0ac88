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
    parser.add_argument("--db", metavar="路径或地址",
                        help="数据库文件，或数据库服务器地址 postgresql://账号@服务器/数据库名"
                             "（默认：系统设置中保存的服务器，否则用户数据目录中的数据库文件）")
    parser.add_argument("--demo", action="store_true",
                        help="打开演示数据库（南通市公安局；不存在时自动生成，日期相对于今天）")
    parser.add_argument("--read-only", action="store_true", help="只读打开，不修改数据库")
    parser.add_argument("--selftest", action="store_true",
                        help="自检：离屏启动，在临时数据库中建主窗口并打印一张证书到 PDF，然后退出"
                             "（成功退出码 0；用于检查安装包）")
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


def _say(text: str) -> None:
    if sys.stdout is not None:
        print(text, flush=True)  # noqa: T201 - the self-test's report is meant for the console
        return
    # A windowed build on Windows has no console (sys.stdout is None): leave the report in
    # %TEMP%\wqg-selftest.txt, where packaging/windows/build_windows.md says to look.
    import tempfile

    Path(tempfile.gettempdir(), "wqg-selftest.txt").write_text(text + "\n", encoding="utf-8")


def _selftest_steps(work: Path, lines: list[str]) -> None:
    """What :func:`selftest` does, step by step, adding to the report; raises on failure."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from wqg_desktop.app import AppContext
    from wqg_desktop.db.models import PoliceType, Region
    from wqg_desktop.services import printing, titles, units
    from wqg_desktop.services.office import setup_office
    from wqg_desktop.ui.fonts import install_chinese_qt, install_ui_font

    lines.append(f"维权岗 {__version__} 自检（{'打包版' if getattr(sys, 'frozen', False) else '源码/安装版'}）")
    for what, path in (("表单", paths.form_path("main_window")),
                       ("字体", paths.fonts_dir() / "LXGWWenKai-Regular.ttf"),
                       ("节假日", paths.resources_dir() / "calendar" / "cn_holidays.json"),
                       ("用户手册", paths.docs_dir() / "manual.md")):
        if not path.is_file():
            raise RuntimeError(f"缺少{what}文件：{path}")
    lines.append(f"资源文件：齐全（{paths.resources_dir().parent}）")

    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    family = install_ui_font(app, bundled_only=True)
    lines.append(f"Qt：{app.platformName()} 平台，界面字体 {family}，"
                 f"Qt 中文翻译{'已加载' if install_chinese_qt(app) else '未找到'}")

    today = dt.date.today()
    with AppContext.open(work / "selftest.sqlite3", clock=lambda: today) as ctx:
        with ctx.acting("自检"):
            setup_office(level="县", name="海安市公安局", region_name="海安市",
                         region_code="320685", officer="自检")
            region = Region.get(Region.name == "海安市")
            police = PoliceType.select().order_by(PoliceType.id).first()
            unit = units.create_unit(units.UnitFields(
                name="海安市公安局城东派出所", region_id=region.id,
                police_type_id=police.id), today=today)
            title = titles.record_title(
                unit=unit, level="县", term=today.year - 1, named_on=dt.date(today.year - 1, 6, 1),
                today=today, naming_bodies=["海安市公安局"], certificate_no="自检〔0000〕第001号")
        lines.append(f"数据库：已建立并设定为{ctx.office.name}，补录称号 1 个")

        from wqg_desktop.ui.main_window import MainWindow

        window = MainWindow(ctx)
        window.show()
        app.processEvents()
        lines.append(f"主窗口：已建立（{window.windowTitle()}）")
        window.close()

        pdf = work / "证书.pdf"
        with ctx.acting("自检"):
            outcome = printing.produce("certificate", out=pdf,
                                       selection=printing.Selection(units=[title.unit.uuid]))
    data = pdf.read_bytes() if pdf.is_file() else b""
    if outcome.pages < 1 or not data.startswith(b"%PDF") or b"/Type /Page" not in data:
        raise RuntimeError(f"证书 PDF 没有页面：{pdf}")
    lines.append(f"证书：已生成 {outcome.pages} 页 PDF（{len(data) // 1024} KB）")

    from wqg_desktop.ui.dialogs.print_output import open_document, qtpdf_available

    if qtpdf_available():
        document = open_document(pdf)
        image = document.render(0, document.pagePointSize(0).toSize())
        if document.pageCount() < 1 or image.isNull():
            raise RuntimeError("预览组件（QtPdf）无法显示生成的证书")
        lines.append(f"预览组件（QtPdf）：可用，读出 {document.pageCount()} 页")
    elif getattr(sys, "frozen", False):
        raise RuntimeError("安装包中缺少预览组件（QtPdf）")
    else:
        lines.append("预览组件（QtPdf）：未安装（仍可保存 PDF 和用命令行打印）")


def selftest() -> int:
    """``--selftest``: prove an installed or frozen program works, without touching user data.

    Offscreen, in a temporary data folder: set up a county office, record a title, build the
    main window, print its certificate to a PDF through the real printing code, read it back.
    """
    import shutil
    import tempfile
    import traceback

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # The shipped fonts must be found in the bundle, whatever the machine has installed.
    os.environ["WQG_FONTS_ONLY_BUNDLED"] = "1"
    work = Path(tempfile.mkdtemp(prefix="wqg-selftest-"))
    os.environ["WQG_DATA_DIR"] = str(work / "data")  # logs and backups stay in the temp folder
    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    lines: list[str] = []
    log_file = work
    try:
        log_file = setup_logging()
        _selftest_steps(work, lines)
    except Exception as exc:
        log.exception("自检失败")
        logging.shutdown()
        if sys.stderr is not None:
            traceback.print_exc()
        # The temporary folder stays: its log holds the traceback for whoever builds the bundle.
        _say("\n".join([*lines, f"自检失败：{exc}", f"日志：{log_file}"]))
        return 1
    logging.shutdown()
    shutil.rmtree(work, ignore_errors=True)
    _say("\n".join([*lines, "自检通过。"]))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.selftest:
        return selftest()
    log_file = setup_logging()

    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from wqg_desktop.ui import excepthook, startup
    from wqg_desktop.ui.fonts import install_chinese_qt, install_ui_font

    excepthook.install(str(log_file))
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_ui_font(app, bundled_only=os.environ.get("WQG_FONTS_ONLY_BUNDLED") == "1")
    install_chinese_qt(app)

    from wqg_desktop.db import server_login
    from wqg_desktop.db.location import Target, is_server_address, parse_target
    from wqg_desktop.errors import WqgError
    from wqg_desktop.ui import messages

    target: Target
    if args.demo:
        if is_server_address(args.db):
            messages.error(None, "演示数据只能生成在本机的数据库文件中，--demo 不能与服务器地址一起用。")
            return 2
        target = Path(args.db) if args.db else demo_db_path()
        try:
            ensure_demo(target)
        except Exception as exc:  # shown in Chinese, logged with its traceback
            log.exception("生成演示数据库失败")
            messages.error(None, f"无法生成演示数据库：{exc}")
            return 1
    else:
        # without --db: the server saved in the settings, else the file in the data folder
        try:
            target = parse_target(args.db) if args.db else server_login.default_target()
        except WqgError as exc:
            messages.error(None, exc.message)
            return 2
    # str(ServerAddress) is its display form: the log never holds a password
    log.info("启动 %s，数据库 %s，%s", __version__, target, dt.datetime.now().isoformat())
    window = startup.open_main_window(target, read_only=args.read_only)
    if window is None:
        return 1
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
