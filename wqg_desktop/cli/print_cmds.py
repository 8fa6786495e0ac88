"""``wqg print KIND``: every printed document from the command line (batch printing, scripts).

Output is a draft unless ``--final`` is given: only a final (定稿) PDF issues certificates and
enters them in the print log as issued (or as reprints).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wqg_desktop.app import AppContext
from wqg_desktop.cli.common import (
    Result,
    add_db_argument,
    add_json_argument,
    existing_db_path,
    run,
    today_of,
)
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import printing


def _kinds_help() -> str:
    return "文档种类（每行一种）：\n" + "\n".join(
        f"  {kind:<18}{label}" for kind, label in printing.KINDS.items())


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "print", help="生成证书、牌匾样稿、命名决定、公示等文档（PDF）",
        description="生成打印文档。不指定 --campaign 或 --units 时，按种类打印整个数据库中适用的内容"
                    "（例如证书：本办公室最近一次命名的全部证书）。不加 --final 时为草稿，不计入发放。",
        epilog=_kinds_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", metavar="种类", choices=list(printing.KINDS),
                   help="文档种类，见下方列表")
    add_db_argument(p)
    add_json_argument(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--campaign", metavar="UUID", default="",
                       help="创建活动的 UUID（或前缀）：打印其命名单位/创建单位")
    group.add_argument("--units", metavar="UUID前缀,…", default="",
                       help="单位 UUID（或前缀），多个用逗号分隔")
    p.add_argument("--out", metavar="文件", required=True,
                   help="输出文件（.pdf；命名决定和公示也可为 .docx）")
    p.add_argument("--final", action="store_true",
                   help="定稿：证书计入发放登记（再次定稿同一编号记为补印）")
    p.add_argument("--layout", choices=("full", "overlay"), default="full",
                   help="证书版式：full＝空白纸整张打印，overlay＝套打（只印可变内容）")
    p.add_argument("--paper", choices=("A4", "A3"), default="A4", help="证书纸张（横向）")
    p.add_argument("--printer", metavar="名称", default="",
                   help="套打时使用该打印机的校准（偏移、缩放）")
    p.add_argument("--title-text", choices=("荣誉证书", "证书"), default="荣誉证书",
                   help="整张打印时证书的红色标题")
    p.add_argument("--doc-no", metavar="发文字号", default="",
                   help="命名决定或公示的发文字号，例如 通团联〔2026〕88号")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="以指定日期为“今天”")
    p.set_defaults(handler=lambda a: run(a, _print, _text))


def _print(args: argparse.Namespace) -> Result:
    out = Path(args.out).expanduser()
    if out.suffix.lower() not in (".pdf", ".docx"):
        raise InputRefused("输出文件应以 .pdf 结尾（命名决定和公示也可用 .docx）。")
    if out.suffix.lower() == ".docx" and args.kind not in ("naming-notice", "publicity-notice"):
        raise InputRefused("只有命名决定（naming-notice）和公示（publicity-notice）可以输出为 .docx。")
    if not out.parent.is_dir():
        raise InputRefused(f"输出文件夹不存在：{out.parent}")
    today = today_of(args)
    selection = printing.Selection(
        campaign=args.campaign, units=[u for u in args.units.split(",") if u.strip()])
    with AppContext.open(existing_db_path(args), clock=lambda: today) as ctx, \
            ctx.acting("命令行打印" + ("（定稿）" if args.final else "（草稿）")):
        outcome = printing.produce(
            args.kind, out=out, selection=selection, final=args.final, layout=args.layout,
            paper=args.paper, printer=args.printer, title_text=args.title_text, today=today,
            document_no=args.doc_no)
    data = {
        "kind": args.kind, "path": str(outcome.path), "pages": outcome.pages,
        "final": outcome.final,
        "certificates": [{"certificate_no": r.certificate_no, "unit": r.unit_name,
                          "reprint": r.reprint} for r in outcome.logged if r.certificate_no],
    }
    state = "定稿" if outcome.final else "草稿"
    pages = f"，共 {outcome.pages} 页" if outcome.pages else ""
    return Result(message=f"已生成{printing.KINDS[args.kind]}（{state}）：{outcome.path}{pages}",
                  data=data)


def _text(data: dict) -> str:  # type: ignore[type-arg]
    lines = []
    for row in data.get("certificates", []):
        mark = "（补印）" if row["reprint"] else ""
        lines.append(f"  {row['certificate_no'] or '（无编号）'}  {row['unit']}{mark}")
    return "\n".join(lines) + ("\n" if lines else "")
