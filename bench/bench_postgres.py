"""Benchmark of the shared PostgreSQL server (issue 11), against SQLite on the same machine.

    python bench/bench_postgres.py [--server postgresql://…] [--quick] [--skip-merge]

Needs a PostgreSQL role that may create databases: ``--server``, else ``WQG_BENCH_POSTGRES``,
else ``WQG_TEST_POSTGRES`` (``eval "$(.ci/start-postgres)"`` starts a throwaway server).

1. ``wqg migrate-db`` of the province database (30,000 units; ``--quick``: the county one)
   from its SQLite file onto a new server database (reported, no target).
2. The register page's filter per keystroke on that database (target ≤ 50 ms), the same
   measurement as ``registry.keystroke`` in ``python -m bench`` (query + table refresh), next
   to the same figure on the SQLite file.
3. A province merging 13 city packages that carry 100 counties, into a SQLite file and into a
   server database (target: the server ≤ 1.5 × SQLite). ``--quick`` scales it down.

Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _server_url(args: argparse.Namespace) -> str:
    url = args.server or os.environ.get("WQG_BENCH_POSTGRES") or os.environ.get("WQG_TEST_POSTGRES")
    if not url:
        sys.exit("需要 PostgreSQL：用 --server 指定，或先运行 eval \"$(.ci/start-postgres)\"。")
    return url


def new_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def keystrokes(target: Any, workdir: Path) -> tuple[float, str]:
    """The slowest keystroke (ms) of the register page's filter over typing one name, and a note."""
    from bench.bench_registry import _dispose, keystroke, prepare_keystrokes
    from bench.generate import DEFAULT_SEED, TODAY
    from bench.harness import Context
    from wqg_desktop.app import AppContext

    ctx = Context(size="province", quick=False, runs=1, seed=DEFAULT_SEED, workdir=workdir)
    with AppContext.open(target, read_only=True, clock=lambda: TODAY) as app:
        prepare_keystrokes(ctx, app)
        keystroke(ctx)  # warm: the first keystroke builds the search copy
        ctx.notes.clear()
        worst = keystroke(ctx)
        _dispose(ctx.state.pop("page"))
    return worst, ctx.notes[-1]


def bench_registry_on_server(admin: str, size: str, workdir: Path) -> None:
    """Move the generated database of ``size`` onto a new server database, then time the
    register page's filter there and on the file."""
    from bench.generate import DEFAULT_SEED, database_path
    from wqg_desktop.db.location import ServerAddress
    from wqg_desktop.db.migrate import migrate_database

    source = database_path(size, seed=DEFAULT_SEED, progress=print)
    name = f"wqg_bench_{size}"
    url = new_database(admin, name)
    try:
        started = time.perf_counter()
        report = migrate_database(source, ServerAddress.parse(url))
        took = time.perf_counter() - started
        print(f"wqg migrate-db（{size}，{report['rows']} 行，SQLite → PostgreSQL，含逐表核对）："
              f"{took:.1f} 秒")
        for label, target in (("SQLite", source), ("PostgreSQL", url)):
            worst, note = keystrokes(target, workdir)
            print(f"名册页筛选每次按键（{size}，{label}）：最慢 {worst:.1f} ms（目标 ≤ 50 ms）；{note}")
    finally:
        drop_database(admin, name)


def main() -> None:
    parser = argparse.ArgumentParser(description="PostgreSQL 服务器性能测试")
    parser.add_argument("--server", help="可建库的 PostgreSQL 账号地址")
    parser.add_argument("--quick", action="store_true", help="县级规模，快速检查")
    parser.add_argument("--skip-merge", action="store_true", help="不测上报包合并")
    parser.add_argument("--units", type=int, default=None,
                        help="合并测试中每县单位数（默认 30；300 为议题中的全规模，较慢）")
    parser.add_argument("--skip-keystroke", action="store_true", help="不测搬迁和按键")
    args = parser.parse_args()
    admin = _server_url(args)
    from wqg_desktop.db.location import ServerAddress

    size = "county" if args.quick else "province"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WQG_DATA_DIR"] = tmp
        os.environ.setdefault("WQG_FONTS_ONLY_BUNDLED", "1")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        pw = ServerAddress.parse(admin).password
        if pw:
            os.environ.setdefault("PGPASSWORD", pw)
        if not args.skip_keystroke:
            bench_registry_on_server(admin, size, Path(tmp))
        if not args.skip_merge:
            from bench.bench_packages import merge_into_province

            counties, units = (20, 5) if args.quick else (100, 30)
            units = args.units or units
            times = {}
            for label in ("SQLite", "PostgreSQL"):
                target = Path(tmp) / "province-merge.sqlite3" if label == "SQLite" else \
                    new_database(admin, "wqg_bench_merge")
                try:
                    times[label] = merge_into_province(Path(tmp) / "packages", units=units,
                                                       counties=counties, target=target).wall
                finally:
                    if label == "PostgreSQL":
                        drop_database(admin, "wqg_bench_merge")
                print(f"省级合并 13 个市的包（{counties} 个县，每县 {units} 个单位，{label}）：{times[label]:.1f} 秒")
            print(f"PostgreSQL / SQLite = {times['PostgreSQL'] / times['SQLite']:.2f}×（目标 ≤ 1.5×）")


if __name__ == "__main__":
    main()
