"""Entry point of ``wqg``."""

from __future__ import annotations

import logging
import sys

from wqg_desktop import APP_NAME_LONG, __version__
from wqg_desktop.cli import (
    backup_cmds,
    calendar_cmds,
    campaign_cmds,
    package_cmds,
    print_cmds,
    screenshots_cmd,
    server_cmds,
    setup_cmds,
    title_cmds,
    units_cmds,
)
from wqg_desktop.cli.common import ChineseParser


def build_parser() -> ChineseParser:
    parser = ChineseParser(
        prog="wqg",
        description=f"{APP_NAME_LONG}（命令行）。处理数据的命令都接受 --db 路径，每个命令都接受 --json；"
                    "成功退出码为 0，输入被拒绝为 2，其他错误为 1。",
    )
    parser.add_argument("--version", action="version", version=f"wqg {__version__}",
                        help="显示版本号并退出")
    sub = parser.add_subparsers(title="命令", metavar="命令", parser_class=ChineseParser)
    setup_cmds.register(sub)
    screenshots_cmd.register(sub)
    units_cmds.register(sub)
    campaign_cmds.register(sub)
    title_cmds.register(sub)
    print_cmds.register(sub)
    package_cmds.register(sub)
    backup_cmds.register(sub)
    calendar_cmds.register(sub)
    server_cmds.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # Windows consoles default to a legacy code page; our messages are Chinese.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:  # wqg alone, or a group without its command: that group's help
        (getattr(args, "help_parser", None) or parser).print_help()
        return 2
    return int(handler(args))


if __name__ == "__main__":
    sys.exit(main())
