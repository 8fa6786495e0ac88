"""``wqg calendar …``: the working-day calendar (holidays and 调休 days), listed and edited offline."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from wqg_desktop.app import AppContext
from wqg_desktop.cli.campaign_cmds import acting, common
from wqg_desktop.cli.common import Result, existing_db_path, parse_day, today_of
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import calendar


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calendar", help="工作日历：法定节假日与调休上班日（查看、补录、导入）",
                       description="工作日历只记录“例外”的日子：放假日和调休上班的周末。公示期、"
                                   "咨询投诉答复时限等按工作日计算的期限都以它为准；某年没有录入时按周一至周五计算。")
    group = p.add_subparsers(title="子命令", metavar="子命令")

    q = group.add_parser("list", help="列出工作日历中的放假日和调休上班日（只读）",
                         description="列出工作日历中的放假日和调休上班日，并提示今年、明年是否已录入。")
    q.add_argument("--year", type=int, metavar="年份", help="只列出这一年，例如 2027")
    common(q, _list, _list_text)

    q = group.add_parser("add", help="补录一天：放假日或调休上班日",
                         description="补录一天。放假日落在周末时须加 --weekend 说明（例如春节假期中的周末）；"
                                     "调休上班日只能是星期六或星期日。")
    q.add_argument("date", metavar="日期", help="YYYY-MM-DD，例如 2027-01-01")
    kind = q.add_mutually_exclusive_group(required=True)
    kind.add_argument("--holiday", action="store_true", help="这一天放假")
    kind.add_argument("--workday", action="store_true", help="这一天调休上班（周六或周日）")
    q.add_argument("--name", required=True, metavar="名称", help="例如 元旦、春节、春节调休")
    q.add_argument("--weekend", action="store_true", help="确认把周末列为假期（属于假期的周末）")
    q.add_argument("--replace", action="store_true", help="这一天已有记录时改为本次填写的内容")
    common(q, _add)

    q = group.add_parser("remove", help="删除一天的记录（此后按周一至周五计算）",
                         description="删除工作日历中一天的记录；这一天此后按周一至周五的规则计算。")
    q.add_argument("date", metavar="日期", help="YYYY-MM-DD")
    common(q, _remove)

    q = group.add_parser("import", help="从文件导入一年的节假日安排",
                         description="从文件导入节假日安排，在一个事务中完成（有问题的文件整个不导入）。"
                                     "文件可以是 .xlsx（第一行为 日期、类型、名称 三列，类型写“放假”或“上班”），"
                                     "或与程序附带的 cn_holidays.json 格式相同的 .json。"
                                     "文件中的日子新增或改为文件所写；日历中不在文件里的日子保留不动。")
    q.add_argument("file", metavar="文件", help=".xlsx 或 .json")
    common(q, _import)


def _day(text: str) -> dt.date:
    day = parse_day(text)
    if day is None:
        raise InputRefused("请写明日期，例如 2027-01-01。")
    return day


def _list(args: argparse.Namespace) -> Result:
    today = today_of(args)
    with AppContext.open(existing_db_path(args), read_only=True):
        rows = calendar.days_of_year(args.year)
        covered = calendar.years_covered()
        missing = calendar.missing_years(today)
        if args.year is not None and args.year not in covered and args.year not in missing:
            missing = sorted([*missing, args.year])
    warning = calendar.missing_warning(missing)
    data = {"days": [r.as_dict() for r in rows], "years": covered, "missing": missing,
            "warning": warning}
    return Result(message=warning or "", data=data)


def _list_text(data: dict) -> str:
    if not data["days"]:
        return "工作日历中没有符合条件的日子。\n"
    lines = [f"{d['date']}  {d['weekday']}  {d['kind']:<4}  {d['name']}" for d in data["days"]]
    lines.append(f"已录入的年份：{'、'.join(str(y) for y in data['years']) or '无'}")
    return "\n".join(lines) + "\n"


def _add(args: argparse.Namespace) -> Result:
    day = _day(args.date)
    fields = dict(workday=bool(args.workday), name=args.name, weekend_holiday=args.weekend)
    with acting(args, "修改工作日历" if args.replace else "补录工作日历"):
        exists = day in calendar.exceptions()
        if exists and args.replace:
            row = calendar.update_day(day=day, **fields)
        else:
            row = calendar.add_day(day=day, **fields)
    verb = "已修改" if exists else "已补录"
    return Result(message=f"{verb}：{row.day.isoformat()}（{row.weekday}）{row.kind}，{row.name}。",
                  data=row.as_dict())


def _remove(args: argparse.Namespace) -> Result:
    day = _day(args.date)
    with acting(args, "删除工作日历中的一天"):
        calendar.remove_day(day=day)
    return Result(message=f"已删除 {args.date} 的记录，这一天此后按周一至周五计算。",
                  data={"date": args.date})


def _import(args: argparse.Namespace) -> Result:
    path = Path(args.file).expanduser()
    # read and check the file before the database is opened: a refused file changes nothing
    calendar.read_schedule(path)
    with acting(args, f"导入节假日安排（{path.name}）"):
        report = calendar.import_schedule(path=path)
    return Result(message=report.message(), data=vars(report))
