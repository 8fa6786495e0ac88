"""``wqg units import|export|template`` and ``wqg titles import``: the register in Excel."""

from __future__ import annotations

import argparse
from typing import Any

from wqg_desktop.app import AppContext
from wqg_desktop.cli.common import (
    Result,
    add_db_argument,
    add_json_argument,
    existing_db_path,
    run,
    today_of,
)
from wqg_desktop.services import title_import, unit_export, unit_import


def register(sub: argparse._SubParsersAction) -> None:
    units = sub.add_parser("units", help="单位名册：从 Excel 导入、导出到 Excel、保存导入模板",
                           description="单位名册与 Excel（.xlsx）之间的导入和导出。")
    usub = units.add_subparsers(title="子命令", metavar="子命令", parser_class=type(units))

    p = usub.add_parser(
        "import", help="从 .xlsx 导入单位",
        description="从 .xlsx 导入单位。有任何一行有误时整个文件不导入（退出码 2）并列出每一行的问题；"
                    "加 --skip-bad 则导入正确的行并列出其余。同一文件导入两次不会产生重复单位。")
    _common_import(p)
    p.set_defaults(handler=lambda a: run(a, _import_units, _text_result))

    p = usub.add_parser("export", help="把单位名册导出为 .xlsx（中文表头）",
                        description="把单位名册导出为 .xlsx；以 = + - @ 开头的内容作为文字保存，不会被当作公式执行。")
    p.add_argument("file", metavar="文件.xlsx", help="导出到的文件")
    add_db_argument(p)
    add_json_argument(p)
    p.set_defaults(handler=lambda a: run(a, _export))

    p = usub.add_parser("template", help="保存一份空白的导入模板（.xlsx）",
                        description="保存空白的单位导入模板：表头、一行示例和填写说明。不需要数据库。")
    p.add_argument("file", metavar="文件.xlsx", help="模板保存到的文件")
    add_json_argument(p)
    p.set_defaults(handler=lambda a: run(a, _template))

    titles = sub.add_parser("titles", help="历年称号：从 Excel 补录",
                            description="从 .xlsx 补录单位在使用本程序之前获得的称号（历年称号）。")
    tsub = titles.add_subparsers(title="子命令", metavar="子命令", parser_class=type(titles))
    p = tsub.add_parser(
        "import", help="从 .xlsx 补录历年称号",
        description="列：单位名称、层级、年度（必填），命名单位、命名日期、发文字号、证书编号、示范单位、"
                    "牌匾状态、状态、备注。规则与单位导入相同。")
    _common_import(p)
    p.set_defaults(handler=lambda a: run(a, _import_titles, _text_result))


def _common_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="文件.xlsx", help="要导入的 Excel 工作簿（.xlsx）")
    add_db_argument(p)
    add_json_argument(p)
    p.add_argument("--skip-bad", action="store_true", help="只导入正确的行，列出有误的行")
    p.add_argument("--dry-run", action="store_true", help="只检查并报告结果，不写入数据库")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="以指定日期为“今天”")


def _run_import(args: argparse.Namespace, read, apply, what: str) -> Result:  # type: ignore[no-untyped-def]
    path = existing_db_path(args)
    today = today_of(args)
    with AppContext.open(path, clock=lambda: today) as ctx, ctx.acting(f"从 Excel 导入{what}"):
        sheet = read(args.file)
        result = apply(sheet, skip_bad=args.skip_bad, dry_run=args.dry_run, today=today)
    data: dict[str, Any] = {"counts": result.counts, "bad": result.bad, "dry_run": result.dry_run,
                            "created_regions": result.created_regions,
                            "created_bureaus": result.created_bureaus}
    return Result(message=result.summary().replace("个单位", f"个{what}")
                  if what != "单位" else result.summary(), data=data)


def _import_units(args: argparse.Namespace) -> Result:
    return _run_import(args, unit_import.read_units, unit_import.import_units, "单位")


def _import_titles(args: argparse.Namespace) -> Result:
    return _run_import(args, title_import.read_titles, title_import.import_titles, "称号")


def _export(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    with AppContext.open(path, read_only=True):
        count = unit_export.export_units(args.file)
    return Result(message=f"已导出 {count} 个单位到 {args.file}", data={"count": count,
                                                                    "file": str(args.file)})


def _template(args: argparse.Namespace) -> Result:
    unit_export.write_template(args.file)
    return Result(message=f"导入模板已保存：{args.file}", data={"file": str(args.file)})


def _text_result(data: dict[str, Any]) -> str:
    if not data.get("bad"):
        return ""
    return "有误、未导入的行：\n" + "\n".join(data["bad"]) + "\n"
