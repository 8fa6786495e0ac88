"""The command-line contract every ``wqg`` command follows.

- ``--db`` takes a path (a database URL later); ``--json`` prints one UTF-8 object
  ``{"ok": …, "code": …, "message": "…", "data": …}`` with Chinese not escaped, errors included.
- Exit code 0 on success, 2 when the input is refused, 1 on any other error.
- Records are named by their UUID or any unique prefix of it; terms may be typed as
  ``2025``, ``2025-2026`` or ``2025—2026年度``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wqg_desktop import paths
from wqg_desktop.db.location import ServerAddress, parse_target
from wqg_desktop.errors import InputRefused, NotFound, WqgError, os_reason

log = logging.getLogger("wqg.cli")

_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "ignored explicit argument %r": "多余的值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有操作 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


# argparse looks its messages up through the module-level name ``_`` at call time; pointing it
# at our table gives a Chinese --help and Chinese usage errors without re-implementing argparse.
argparse._ = _zh  # type: ignore[attr-defined]


#: The arguments being parsed: a usage error answers in JSON when they ask for ``--json``.
#: (Not ``sys.argv``: ``main(argv)`` is also called in-process, by tests and by other tools.)
_parsing_argv: list[str] = []


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit with code 2 and a Chinese message (or JSON)."""

    def parse_args(self, args=None, namespace=None):  # type: ignore[no-untyped-def, override]
        global _parsing_argv
        _parsing_argv = list(sys.argv[1:] if args is None else args)
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:  # said by the command they were given to, with its usage, not wqg's
            (getattr(parsed, "help_parser", None) or self).error(
                _zh("unrecognized arguments: %s") % " ".join(extras))
        return parsed

    def add_subparsers(self, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("parser_class", ChineseParser)
        action = super().add_subparsers(**kwargs)
        real_add = action.add_parser

        def add_parser(name, **options):  # type: ignore[no-untyped-def]
            parser = real_add(name, **options)
            # the chosen command's own parser: its help for a group given without its
            # command, its usage for arguments it does not know
            parser.set_defaults(help_parser=parser)
            return parser

        action.add_parser = add_parser  # type: ignore[method-assign]
        return action

    def error(self, message: str) -> None:  # type: ignore[override]
        if "--json" in _parsing_argv:
            emit(True, Result(ok=False, code=2, message=message))
            sys.exit(2)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}：错误：{message}\n")
        sys.exit(2)


@dataclass
class Result:
    ok: bool = True
    code: int = 0
    message: str = ""
    data: Any = None


def emit(as_json: bool, result: Result, *, text: Callable[[Any], str] | None = None) -> None:
    """Print a result the way the contract says: JSON object, or Chinese text."""
    if as_json:
        sys.stdout.write(json.dumps(
            {"ok": result.ok, "code": result.code, "message": result.message, "data": result.data},
            ensure_ascii=False, default=str,
        ) + "\n")
        return
    stream = sys.stdout if result.ok else sys.stderr
    if result.message:
        stream.write(result.message + "\n")
    if result.ok and text is not None and result.data is not None:
        sys.stdout.write(text(result.data))


def add_db_argument(parser: argparse.ArgumentParser, *, required: bool = False,
                    default: str = "用户数据目录下的 wqg.sqlite3") -> None:
    """``--db``; ``default`` says in the help what is used without it."""
    parser.add_argument(
        "--db", metavar="路径", required=required,
        help=f"数据库文件路径（默认：{default}），或数据库服务器地址 postgresql://账号@服务器/数据库名",
    )


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="以 JSON 对象输出结果（含错误）")


def db_path(args: argparse.Namespace) -> Path | ServerAddress:
    """The database of ``--db``: a file path, or a server address."""
    if getattr(args, "db", None):
        return parse_target(args.db)
    return paths.default_db_path()


def existing_db_path(args: argparse.Namespace) -> Path | ServerAddress:
    """The database a command reads; a path that names no file is refused (exit code 2).
    A server address is taken as it is (opening it says what is wrong, if anything)."""
    path = db_path(args)
    if isinstance(path, ServerAddress):
        return path
    if not path.is_file():
        raise NotFound(
            f"找不到数据库文件：{path}。请用 --db 指定已有的数据库文件，"
            "或先用 wqg init（新建）或 wqg demo（演示数据）建立一个。"
        )
    return path


def run(args: argparse.Namespace, action: Callable[[argparse.Namespace], Result],
        text: Callable[[Any], str] | None = None) -> int:
    """Run one command under the contract: catch our errors, print, return the exit code."""
    as_json = bool(getattr(args, "json", False))
    try:
        result = action(args)
    except WqgError as exc:
        result = Result(ok=False, code=exc.exit_code, message=exc.message, data=exc.details)
    except KeyboardInterrupt:
        result = Result(ok=False, code=1, message="已取消。")
    except OSError as exc:  # a path the officer gave cannot be read or written: refused input
        log.info("命令的文件操作失败：%r", exc)
        result = Result(ok=False, code=2, message=os_error_message(exc))
    except Exception as exc:  # the contract: every failure is a JSON object / Chinese text
        log.exception("命令执行出错")
        result = Result(ok=False, code=1, message=f"程序内部错误：{exc}")
    emit(as_json, result, text=text)
    return result.code


def os_error_message(exc: OSError) -> str:
    name = f"“{exc.filename}”" if exc.filename else "文件"
    return f"无法读写{name}：{os_reason(exc)}。"


def parse_day(text: str | None, what: str = "日期") -> dt.date | None:
    """A date typed as YYYY-MM-DD, or ``None`` when nothing was typed; refused in Chinese."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputRefused(f"{what}“{text}”格式不对，应写成 YYYY-MM-DD，例如 2026-11-26。") from None


def today_of(args: argparse.Namespace) -> dt.date:
    """``--today`` when given (to act on another date), else the real today."""
    return parse_day(getattr(args, "today", None), "--today") or dt.date.today()


def require(condition: bool, message: str) -> None:
    if not condition:
        raise InputRefused(message)
