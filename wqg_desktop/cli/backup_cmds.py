"""``wqg backup``, ``wqg restore`` and ``wqg check``."""

from __future__ import annotations

import argparse
from pathlib import Path

from wqg_desktop.app import AppContext
from wqg_desktop.cli.common import Result, add_db_argument, add_json_argument, existing_db_path, run
from wqg_desktop.db.connection import open_database
from wqg_desktop.exchange import backups


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="把数据库备份到指定文件（程序运行时也可使用）",
                       description="用 SQLite 在线备份接口把数据库备份到指定文件，并校验备份。")
    add_db_argument(p)
    add_json_argument(p)
    p.add_argument("--out", required=True, metavar="文件", help="备份文件")
    p.set_defaults(handler=lambda a: run(a, _backup))

    p = sub.add_parser("restore", help="从备份恢复数据库（恢复前先自动备份当前数据）",
                       description="用备份文件替换数据库的内容。恢复前先把当前数据备份到 backups 文件夹，"
                                   "所以恢复本身也可以撤销。上报包序号不会倒退。")
    add_db_argument(p)
    add_json_argument(p)
    p.add_argument("file", metavar="备份文件")
    p.set_defaults(handler=lambda a: run(a, _restore))

    p = sub.add_parser("check", help="检查数据库是否完好（只读）",
                       description="运行 quick_check 和 foreign_key_check，只读，不改动数据库。")
    add_db_argument(p)
    add_json_argument(p)
    p.set_defaults(handler=lambda a: run(a, _check, _check_text))


def _backup(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    with AppContext.open(path, read_only=True):
        target = backups.manual_backup(Path(args.out))
    return Result(message=f"已备份并校验：{target}", data={"file": str(target)})


def _restore(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    with AppContext.open(path) as ctx, ctx.acting("从备份恢复"):
        source, before = backups.restore(ctx.db_path, Path(args.file))
    return Result(message=f"已从 {source} 恢复。恢复前的数据已备份到 {before}，需要时可以再恢复回去。",
                  data={"restored_from": str(source), "backup_before": str(before)})


def _check(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    opened = open_database(path, read_only=True, check=False)
    try:
        report = backups.check_database(opened.db)
    finally:
        opened.close()
    if not report["ok"]:
        return Result(ok=False, code=1, message="数据库检查发现问题，请从备份恢复。", data=report)
    return Result(message="数据库完好（quick_check 和外键检查均通过）。", data=report)


def _check_text(report: dict) -> str:
    return f"quick_check：{'；'.join(report['quick_check'])}\n外键问题：{len(report['foreign_key_check'])} 处\n"
