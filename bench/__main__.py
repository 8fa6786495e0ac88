"""``python -m bench``: run every benchmark and print one table (see bench/README.md)."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench import harness
from bench.generate import DEFAULT_SEED, SIZES


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="运行全部基准测试，输出一张表：实测值（多次运行的中位数）、目标、是否达标，"
                    "有对照的还给出对照值和比值。")
    parser.add_argument("--quick", action="store_true",
                        help="快速检查：全部按县级规模（300 个单位）运行，每项 3 次，约一分钟")
    parser.add_argument("--size", choices=list(SIZES),
                        help="所有基准都按这个规模运行（默认：各项目标所规定的规模）")
    parser.add_argument("--runs", type=int, help="每项运行次数（默认 5，--quick 时 3）")
    parser.add_argument("--json", metavar="文件", help="把结果另存为 JSON")
    parser.add_argument("--markdown", action="store_true", help="表格用 Markdown 输出")
    parser.add_argument("--only", action="append", metavar="名称",
                        help="只运行名称中含有这段文字的基准（可重复）")
    parser.add_argument("--list", action="store_true", help="只列出基准，不运行")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="生成数据的随机种子")
    parser.add_argument("--cache", metavar="目录", help="生成数据库的缓存目录（默认 bench/.cache）")
    parser.add_argument("--scripts", action="store_true",
                        help="表格之后再依次运行只打印结果的独立脚本（bench/bench_*.py 中没有 BENCHMARKS 的）")
    parser.add_argument("--keep", action="store_true", help="保留临时工作目录")
    parser.add_argument("-v", "--verbose", action="store_true", help="显示每次运行的进度")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    benchmarks, standalone = harness.discover(args.only)
    if args.list:
        for b in benchmarks:
            print(f"{b.name:36} {b.size or '—':9} {b.label}")
        for name in standalone:
            print(f"{name:36} （独立脚本，单独运行：python bench/{name}）")
        return 0
    runs = args.runs or (3 if args.quick else 5)
    workdir = harness.new_workdir()
    ctx = harness.Context(size=args.size, quick=args.quick, runs=runs, seed=args.seed,
                          workdir=workdir, cache_dir=Path(args.cache) if args.cache else None,
                          verbose=args.verbose)
    meta = harness.machine() | {"quick": args.quick, "size": args.size, "runs": runs,
                                "seed": args.seed}
    print(f"wqg-desktop 基准测试：Python {meta['python']}，{meta['cpus']} 核，"
          f"负载 {meta['load_average']}，每项 {runs} 次取中位数", file=sys.stderr)

    def progress(r: harness.Result) -> None:
        state = r.error or f"{harness.fmt(r.value)} {r.unit}"
        print(f"  {r.label}（{r.size or '—'}）：{state}（{r.seconds:.1f} 秒）", file=sys.stderr, flush=True)

    try:
        results = harness.run_all(benchmarks, ctx, on_result=progress)
        ctx.close()
        print(harness.table(results, markdown=args.markdown))
        if args.json:
            harness.write_json(Path(args.json), results, meta)
        if standalone and args.scripts:
            for name in standalone:
                print(f"\n== python bench/{name}", flush=True)
                code = subprocess.call([sys.executable, str(harness.ROOT / "bench" / name)],
                                       cwd=harness.ROOT, env=ctx.child_env())
                if code:
                    print(f"（退出码 {code}）")
        elif standalone:
            print("\n另有只打印结果的独立脚本（不在本表中；加 --scripts 一并运行，或单独运行）：" +
                  "、".join(f"python bench/{name}" for name in standalone))
    finally:
        ctx.close()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if any(r.error for r in results) else 0


def _exit(code: int) -> None:
    # Pages and models built in this process may outlive the QApplication; PySide6 can then
    # crash while the interpreter finalises ("none_dealloc"). Everything is printed and
    # written by now, so leave without finalising.
    sys.stdout.flush()
    sys.stderr.flush()
    if "PySide6.QtWidgets" in sys.modules:
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    _exit(main())
