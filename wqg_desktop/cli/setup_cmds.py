"""``wqg demo``, ``wqg init`` and ``wqg stats``: set up, fill and count a database."""

from __future__ import annotations

import argparse
from pathlib import Path

from wqg_desktop.app import AppContext
from wqg_desktop.cli.common import (
    Result,
    add_db_argument,
    add_json_argument,
    db_path,
    existing_db_path,
    run,
    today_of,
)
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import stats
from wqg_desktop.services.office import region_from_office_name, setup_office, validate_office


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="生成演示数据库（南通市公安局，附件2、3中的单位）",
                       description="生成一个演示数据库：南通市公安局，含附件2、3中的单位、海安市的县级记录、"
                                   "领导小组、创建活动、称号、检查与调查。日期相对于今天。")
    add_db_argument(p, required=True)
    add_json_argument(p)
    p.add_argument("--replace", action="store_true", help="数据库文件已存在时删除后重建")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="以指定日期为“今天”生成")
    p.set_defaults(handler=lambda a: run(a, _demo, _text_counts))

    p = sub.add_parser("init", help="新建一个空的办公室数据库（不启动界面）",
                       description="新建一个空的办公室数据库，并设置本办公室的层级、名称和地区。")
    add_db_argument(p, required=True)
    add_json_argument(p)
    p.add_argument("--level", required=True, metavar="县|市|省", help="本办公室层级")
    p.add_argument("--office", required=True, metavar="名称", help="本单位名称，例如 海安市公安局")
    p.add_argument("--region", default="", metavar="代码", help="行政区划代码（6位数字，可不填）")
    p.add_argument("--region-name", default="", metavar="地区",
                   help="所辖地区名称（不填时由单位名称推出，例如 海安市公安局 → 海安市）")
    p.add_argument("--officer", default="", metavar="姓名", help="经办民警姓名")
    p.set_defaults(handler=lambda a: run(a, _init))

    p = sub.add_parser("stats", help="统计数据库中各类记录的数量（只读）",
                       description="统计各类记录的数量。只读打开数据库，程序运行时也可使用。")
    add_db_argument(p)
    add_json_argument(p)
    p.set_defaults(handler=lambda a: run(a, _stats, _text_counts))


def _demo(args: argparse.Namespace) -> Result:
    from wqg_desktop.services.demo import build_demo  # large data tables: load on demand

    path = db_path(args)
    today = today_of(args)
    if isinstance(path, Path) and path.exists():
        if not args.replace:
            raise InputRefused(f"文件 {path} 已存在。要覆盖它请加 --replace。")
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    with AppContext.open(path, clock=lambda: today) as ctx:
        build_demo(today=today)
        counts = stats.record_counts()
    return Result(message=f"演示数据库已生成：{ctx.location}", data=counts)


def _init(args: argparse.Namespace) -> Result:
    path = db_path(args)
    region_name = args.region_name or region_from_office_name(args.office)
    if not region_name:
        raise InputRefused("无法从单位名称推出所辖地区，请用 --region-name 填写，例如 --region-name 崇川区。")
    # Refuse bad answers before a database file is created: a refused command changes nothing.
    validate_office(level=args.level, name=args.office, region_name=region_name,
                    region_code=args.region)
    with AppContext.open(path) as ctx, ctx.acting("初始化"):
        office = setup_office(level=args.level, name=args.office, region_name=region_name,
                              region_code=args.region, officer=args.officer)
        data = {"db": ctx.location, "office": office.name, "uuid": office.uuid,
                "level": office.level, "region": region_name}
    return Result(message=f"已建立 {office.name} 的数据库：{path}", data=data)


def _stats(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    with AppContext.open(path, read_only=True):
        counts = stats.record_counts()
    return Result(data=counts)


def _text_counts(counts: dict[str, int]) -> str:
    width = max(len(v) for v in stats.LABELS.values())
    lines = [f"{stats.LABELS.get(k, k):\u3000<{width}} {v:>8}" for k, v in counts.items()]
    return "\n".join(lines) + "\n"
