"""How fast could a city merge be at all? The floor under ``bench_packages.py``'s city merge.

Merges 10 county packages (300 units each, as in ``bench_packages.py``) into a city database
once, keeping every batch of rows the merge hands to ``dialect.bulk_insert``. Then times only
inserting those same rows, with nothing read, checked or planned, into a fresh copy of the
city database, one transaction per county as the merge does:

1. as the merge writes them (foreign keys deferred, the schema's indexes);
2. the same without foreign-key checks;
3. without foreign-key checks and without any index on the tables written
   (what Python's ``sqlite3`` binding of the values costs by itself).

    python bench/bench_merge_floor.py [--units 300] [--counties 10]

Prints numbers; asserts nothing. The issue's target for the whole merge is ≤ 3 s.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_packages as bp  # noqa: E402

Batch = tuple[str, list[str], list[Any]]


def _packages(folder: Path, units: int, counties: int) -> tuple[Path, list[Path]]:
    """A city office and its counties' packages (as bench_packages builds them)."""
    from wqg_desktop.app import AppContext
    from wqg_desktop.exchange import keys, package

    city = folder / "city.sqlite3"
    with AppContext.open(city) as ctx, ctx.acting("基准"):
        bp._office_with_keys(city, "市", "南通市公安局", "南通市", "320600", None)
        key = keys.write_key_file(folder / "city.key")
    packages = []
    for n, (region, code) in enumerate(bp.COUNTIES[:counties]):
        db = folder / f"county{n}.sqlite3"
        with AppContext.open(db) as ctx, ctx.acting("基准"):
            bp._office_with_keys(db, "县", f"{region}公安局", region, code, key)
            bp._fill(units)
            packages.append(package.export_package(out=folder / f"county{n}.wqgpkg", today=bp.TODAY).path)
    return city, packages


def _merge_capturing(city: Path, packages: list[Path], merged: Path) -> tuple[list[list[Batch]], float]:
    """Merge every package into a copy of ``city``; the rows each one inserted, and the time."""
    from wqg_desktop.app import AppContext
    from wqg_desktop.exchange import merge

    merged.write_bytes(city.read_bytes())
    per_package: list[list[Batch]] = []
    real = merge.bulk_insert

    def keep(db, table, columns, rows):  # type: ignore[no-untyped-def]
        per_package[-1].append((table, list(columns), list(rows)))
        real(db, table, columns, rows)

    merge.bulk_insert = keep
    try:
        with AppContext.open(merged) as ctx, ctx.acting("基准"):
            started = time.perf_counter()
            for path in packages:
                per_package.append([])
                merge.import_package(path, trust_new_key=True, db_path=None)
            took = time.perf_counter() - started
    finally:
        merge.bulk_insert = real
    return per_package, took


def _insert_only(merged: Path, target: Path, batches: list[list[Batch]], *, foreign_keys: bool,
                 indexes: bool) -> float:
    """Seconds to insert ``batches`` again into ``merged`` emptied of them."""
    from wqg_desktop.db.connection import PRAGMAS

    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(merged) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    db = sqlite3.connect(target, isolation_level=None)
    try:
        tables = sorted({table for package in batches for table, _, _ in package})
        db.execute("PRAGMA foreign_keys = 0")
        db.execute("BEGIN")
        for table in reversed(tables):
            db.execute(f'DELETE FROM "{table}"')
        if not indexes:
            marks = ", ".join("?" * len(tables))
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                      f"AND tbl_name IN ({marks})", tables).fetchall():
                db.execute(f'DROP INDEX "{name}"')
        db.execute("COMMIT")
        db.execute(f"PRAGMA journal_mode = {PRAGMAS['journal_mode']}")
        db.execute(f"PRAGMA synchronous = {PRAGMAS['synchronous']}")
        db.execute(f"PRAGMA cache_size = {PRAGMAS['cache_size']}")
        db.execute(f"PRAGMA foreign_keys = {int(foreign_keys)}")
        started = time.perf_counter()
        for package in batches:
            db.execute("BEGIN")
            db.execute("PRAGMA defer_foreign_keys = ON")
            for table, columns, rows in package:
                names = ", ".join(f'"{c}"' for c in columns)
                db.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})',
                               rows)
            db.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="市级汇总的写入下限")
    parser.add_argument("--units", type=int, default=bp.FULL_UNITS, help="每县单位数（默认 300）")
    parser.add_argument("--counties", type=int, default=10, help="县数（默认 10）")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["WQG_DATA_DIR"] = tmp
        os.environ.setdefault("WQG_FONTS_ONLY_BUNDLED", "1")
        city, packages = _packages(folder, args.units, args.counties)
        merged = folder / "merged.sqlite3"
        batches, took = _merge_capturing(city, packages, merged)
        rows = sum(len(r) for package in batches for _, _, r in package)
        print(f"市级合并 {len(packages)} 个县的包（完整流程）：{took:.2f} 秒，写入 {rows} 行")
        for label, fk, idx in (("只写入，与合并相同（外键延迟检查、表上的索引）", True, True),
                               ("只写入，不检查外键", False, True),
                               ("只写入，不检查外键、去掉这些表的全部索引", False, False)):
            seconds = _insert_only(merged, folder / "floor.sqlite3", batches, foreign_keys=fk, indexes=idx)
            print(f"  {label}：{seconds:.2f} 秒（{rows / seconds / 1000:.0f} 千行/秒）")
        print("目标：整个合并 ≤ 3 秒。")


if __name__ == "__main__":
    main()
