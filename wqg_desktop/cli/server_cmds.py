"""``wqg users`` (accounts on a shared server) and ``wqg migrate-db`` (file ↔ server)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from wqg_desktop.app import AppContext
from wqg_desktop.cli.common import Result, add_db_argument, add_json_argument, existing_db_path, run
from wqg_desktop.db.location import ServerAddress, parse_target
from wqg_desktop.domain.roles import Role
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import accounts


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="管理数据库服务器上的账号（管理员）",
                       description="列出、新增、修改角色、改密码、停用数据库服务器上的账号。"
                                   "角色：管理员（可改设置、汇总上报包、撤销称号）或录入员（录入记录）。")
    users = p.add_subparsers(dest="users_command", metavar="操作", required=True)
    q = users.add_parser("list", help="列出账号")
    _common(q)
    q.set_defaults(handler=lambda a: run(a, _list, _list_text))
    q = users.add_parser("add", help="新增账号")
    q.add_argument("login", metavar="账号名")
    q.add_argument("--role", default="录入员", help="管理员 或 录入员（默认：录入员）")
    _password_argument(q)
    _common(q)
    q.set_defaults(handler=lambda a: run(a, _add))
    q = users.add_parser("role", help="修改账号的角色")
    q.add_argument("login", metavar="账号名")
    q.add_argument("role", metavar="角色", help="管理员 或 录入员")
    _common(q)
    q.set_defaults(handler=lambda a: run(a, _role))
    q = users.add_parser("password", help="重设账号的密码")
    q.add_argument("login", metavar="账号名")
    _password_argument(q)
    _common(q)
    q.set_defaults(handler=lambda a: run(a, _password))
    q = users.add_parser("remove", help="停用账号（保留在审计记录中的名字）")
    q.add_argument("login", metavar="账号名")
    _common(q)
    q.set_defaults(handler=lambda a: run(a, _remove))

    p = sub.add_parser(
        "migrate-db", help="把整个数据库从本机文件搬到数据库服务器，或搬回来",
        description="把 --from 的全部数据复制到 --to（必须是空的数据库：新文件，或服务器上新建的空库），"
                    "逐表核对行数和内容哈希，全部一致才保存。例如：wqg migrate-db --from wqg.sqlite3 "
                    "--to postgresql://zhangsan@192.168.1.10/wqg")
    p.add_argument("--from", dest="source", required=True, metavar="来源",
                   help="数据库文件路径或服务器地址")
    p.add_argument("--to", dest="target", required=True, metavar="目标",
                   help="数据库文件路径或服务器地址")
    add_json_argument(p)
    p.set_defaults(handler=lambda a: run(a, _migrate, _migrate_text))


def _common(p: argparse.ArgumentParser) -> None:
    add_db_argument(p)
    add_json_argument(p)


def _password_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-stdin", action="store_true",
                   help="从标准输入读取密码（一行），供脚本使用；不加时在终端上询问")


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin or not sys.stdin.isatty():
        raise InputRefused("请在终端上运行以输入密码，或加 --password-stdin 从标准输入读取。")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise InputRefused("两次输入的密码不一致，没有修改。")
    return first


def _server_db(args: argparse.Namespace) -> ServerAddress:
    target = existing_db_path(args)
    if not isinstance(target, ServerAddress):
        raise InputRefused("账号只在数据库服务器上管理：请用 --db postgresql://账号@服务器/数据库名。")
    return target


def _list(args: argparse.Namespace) -> Result:
    with AppContext.open(_server_db(args), read_only=True):
        rows = accounts.list_accounts()
    return Result(data=[{"login": a.login, "role": a.role.value, "can_login": a.can_login}
                        for a in rows])


def _list_text(rows: list[dict]) -> str:
    if not rows:
        return "（还没有账号）\n"
    return "".join(f"{r['login']:<20} {r['role']}{'' if r['can_login'] else '（已停用）'}\n"
                   for r in rows)


def _add(args: argparse.Namespace) -> Result:
    role = Role.parse(args.role)
    password = _read_password(args)
    with AppContext.open(_server_db(args)) as ctx, ctx.acting("新增账号"):
        account = accounts.add_account(args.login, password, role)
    return Result(message=f"已新增账号 {account.login}（{account.role.value}）。",
                  data={"login": account.login, "role": account.role.value})


def _role(args: argparse.Namespace) -> Result:
    with AppContext.open(_server_db(args)) as ctx, ctx.acting("修改账号角色"):
        account = accounts.set_role(args.login, args.role)
    return Result(message=f"账号 {account.login} 现在是{account.role.value}。",
                  data={"login": account.login, "role": account.role.value})


def _password(args: argparse.Namespace) -> Result:
    password = _read_password(args)
    with AppContext.open(_server_db(args)) as ctx, ctx.acting("重设密码"):
        accounts.set_password(args.login, password)
    return Result(message=f"已重设账号 {args.login} 的密码。", data={"login": args.login})


def _remove(args: argparse.Namespace) -> Result:
    with AppContext.open(_server_db(args)) as ctx, ctx.acting("停用账号"):
        accounts.remove_account(args.login)
    return Result(message=f"已停用账号 {args.login}。", data={"login": args.login})


def _migrate(args: argparse.Namespace) -> Result:
    from wqg_desktop.db.migrate import migrate_database

    source, target = parse_target(args.source), parse_target(args.target)
    if isinstance(source, Path) and not source.is_file():
        raise InputRefused(f"找不到来源数据库文件：{source}")
    report = migrate_database(source, target)
    return Result(message=f"已把 {report['from']} 的 {report['rows']} 行数据复制到 {report['to']}，"
                          "逐表核对行数和内容哈希一致。", data=report)


def _migrate_text(report: dict) -> str:
    return "".join(f"{name:<28} {t['rows']:>9}\n" for name, t in report["tables"].items()
                   if t["rows"])
