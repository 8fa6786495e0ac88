"""``wqg screenshots OUTDIR``: a PNG of every page and main dialog, rendered offscreen."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from wqg_desktop.cli.common import Result, add_db_argument, add_json_argument, existing_db_path, run


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("screenshots", help="离屏渲染每个页面和主要对话框，保存为 PNG",
                       description="离屏渲染每个页面和主要对话框并保存为 PNG（用于说明书和评审）。"
                                   "不指定 --db 时使用临时生成的演示数据库。")
    p.add_argument("outdir", metavar="输出目录")
    add_db_argument(p, default="临时生成的演示数据库")
    add_json_argument(p)
    p.add_argument("--size", default="1366x768", metavar="宽x高", help="窗口大小（默认 1366x768）")
    p.add_argument("--scale", default="1", metavar="倍数", help="显示缩放，例如 1.5")
    p.set_defaults(handler=lambda a: run(a, _screenshots, _text))


def _screenshots(args: argparse.Namespace) -> Result:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scale != "1":
        os.environ["QT_SCALE_FACTOR"] = args.scale
    from wqg_desktop.ui.screenshots import take_screenshots  # Qt only for this command

    width, _, height = args.size.partition("x")
    saved = take_screenshots(Path(args.outdir), db=existing_db_path(args) if args.db else None,
                             size=(int(width), int(height)))
    return Result(message=f"已保存 {len(saved)} 张截图到 {args.outdir}", data=[str(p) for p in saved])


def _text(files: list[str]) -> str:
    return "".join(f"{f}\n" for f in files)
