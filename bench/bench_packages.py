"""Benchmark of packages: export of a county (300 units, ~50k records), a city merging 10
county packages, and re-importing a package already merged. Prints numbers; asserts nothing.

    python bench/bench_packages.py [--units 300] [--counties 10]

Targets from the issue: export ≤ 1 s, merge of 10 counties ≤ 3 s, re-import ≤ 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TODAY = dt.date(2026, 11, 26)

COUNTIES = [("海安市", "320685"), ("如皋市", "320682"), ("如东县", "320623"), ("启东市", "320681"),
            ("海门区", "320614"), ("通州区", "320612"), ("崇川区", "320613"), ("开发区", "320671"),
            ("市直一", "320601"), ("市直二", "320602"), ("示例一", "320690"), ("示例二", "320691")]


def _fill(units: int) -> int:
    """Invented records of this office, inserted in bulk: about 165 per unit."""
    from wqg_desktop.db.models import (
        CoBuilding,
        CoBuildingHelp,
        Consultation,
        PoliceType,
        Region,
        Unit,
        UnitHead,
        Volunteer,
        database,
        new_uuid,
    )
    from wqg_desktop.services.office import this_office

    office = this_office()
    region = Region.get(Region.owner_office == office)
    ptype = PoliceType.get(PoliceType.code == "zhian")
    total = 0

    def bulk(model, rows):  # type: ignore[no-untyped-def]
        nonlocal total
        for start in range(0, len(rows), 500):
            model.insert_many(rows[start:start + 500]).execute()
        total += len(rows)

    with database.atomic():
        bulk(Unit, [dict(uuid=new_uuid(), owner_office=office, name=f"{region.name}公安局派出所{i}",
                         name_key=f"{region.name}派出所{i}", region=region, police_type=ptype,
                         head_name="负责人") for i in range(units)])
        ids = [u.id for u in Unit.select(Unit.id).where(Unit.owner_office == office)]
        bulk(UnitHead, [dict(uuid=new_uuid(), owner_office=office, unit=u, name=f"负责人{k}")
                        for u in ids for k in range(3)])
        bulk(Volunteer, [dict(uuid=new_uuid(), owner_office=office, unit=u, name=f"志愿者{k}")
                         for u in ids for k in range(30)])
        bulk(Consultation, [dict(uuid=new_uuid(), owner_office=office, unit=u, kind="consultation",
                                 received_on=TODAY, channel="电话", content=f"咨询内容{k}",
                                 minor_name="李某" if k % 3 == 0 else "")
                            for u in ids for k in range(60)])
        bulk(CoBuilding, [dict(uuid=new_uuid(), owner_office=office, unit=u, township="镇",
                               village=f"村{k}") for u in ids for k in range(10)])
        cbs = [c.id for c in CoBuilding.select(CoBuilding.id).where(CoBuilding.owner_office == office)]
        bulk(CoBuildingHelp, [dict(uuid=new_uuid(), owner_office=office, cobuilding=c, on=TODAY,
                                   youth_group="闲散青少年", help_kind="心理疏导", description="帮扶")
                              for c in cbs for _ in range(6)])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description="上报包性能测试")
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--counties", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WQG_DATA_DIR"] = tmp
        os.environ.setdefault("WQG_FONTS_ONLY_BUNDLED", "1")
        from wqg_desktop.app import AppContext
        from wqg_desktop.exchange import keys, merge, package
        from wqg_desktop.services.office import setup_office

        folder = Path(tmp)
        city = folder / "city.sqlite3"
        with AppContext.open(city) as ctx, ctx.acting("基准"):
            setup_office(level="市", name="南通市公安局", region_name="南通市", region_code="320600")
            key = keys.write_key_file(folder / "city.key")
        packages = []
        for n, (region, code) in enumerate(COUNTIES[: args.counties]):
            db = folder / f"county{n}.sqlite3"
            with AppContext.open(db) as ctx, ctx.acting("基准"):
                setup_office(level="县", name=f"{region}公安局", region_name=region, region_code=code)
                keys.trust_key(office_uuid=key.office_uuid, office_name=key.office_name,
                               level=key.level, sign_public=key.sign_public, box_public=key.box_public)
                rows = _fill(args.units)
                started = time.perf_counter()
                result = package.export_package(out=folder / f"county{n}.wqgpkg", today=TODAY)
                took = time.perf_counter() - started
            packages.append(result.path)
            if n == 0:
                size = result.path.stat().st_size / 1024 / 1024
                print(f"导出一个县：{args.units} 个单位，{rows} 条记录 → {sum(result.counts.values())} 条，"
                      f"{size:.1f} MB，用时 {took:.2f} 秒（目标 ≤ 1 秒）")
        with AppContext.open(city) as ctx, ctx.acting("基准"):
            started = time.perf_counter()
            for path in packages:
                merge.import_package(path, trust_new_key=True, db_path=None)
            took = time.perf_counter() - started
            print(f"市级合并 {len(packages)} 个县的包：用时 {took:.2f} 秒（目标 ≤ 3 秒，不含导入前备份）")
            started = time.perf_counter()
            result = merge.import_package(packages[0], trust_new_key=True, db_path=None)
            print(f"再次导入已合并的包：用时 {time.perf_counter() - started:.2f} 秒（目标 ≤ 1 秒），"
                  f"{'有改动' if result.applied else '无改动'}")
            with AppContext.open(folder / "county0.sqlite3", read_only=True):
                pass
        with AppContext.open(folder / "county0.sqlite3") as ctx:
            started = time.perf_counter()
            package.export_package(out=folder / "again.wqgpkg", today=TODAY)
            print(f"再次导出同一个县（有删除标记比较）：用时 {time.perf_counter() - started:.2f} 秒")
        with AppContext.open(city) as ctx:
            started = time.perf_counter()
            merge.import_package(folder / "again.wqgpkg", trust_new_key=True, db_path=None)
            print(f"导入该县未变化的新包：用时 {time.perf_counter() - started:.2f} 秒")


if __name__ == "__main__":
    main()
