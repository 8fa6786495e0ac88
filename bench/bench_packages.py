"""Benchmark of packages: export of a county (300 units, ~50k records), a city merging 10
county packages, re-importing a package already merged, and (``--province``) a province
merging 13 city packages that carry 100 counties. Prints numbers; asserts nothing.

    python bench/bench_packages.py [--units 300] [--counties 10] [--province] [--quick]

Targets from the issue: export ≤ 1 s, merge of 10 counties ≤ 3 s, re-import ≤ 1 s, province
≤ 20 s. Each time is printed as wall-clock seconds and, in brackets, the process's CPU
seconds (the machine may be shared: CPU time is the steadier figure).
``--quick`` scales everything down (30 units a county, 3 counties, province 100 × 5 units).
The province at full scale takes minutes to set up: ``--province --province-units 30`` measures
it at a tenth and prints the linear extrapolation to 300 units a county.
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
#: units per county of the issue's targets
FULL_UNITS = 300

COUNTIES = [("海安市", "320685"), ("如皋市", "320682"), ("如东县", "320623"), ("启东市", "320681"),
            ("海门区", "320614"), ("通州区", "320612"), ("崇川区", "320613"), ("开发区", "320671"),
            ("市直一", "320601"), ("市直二", "320602"), ("示例一", "320690"), ("示例二", "320691")]


class Clock:
    """Wall-clock and CPU seconds of a block."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} 秒（CPU {self.cpu:.2f} 秒）"


def _fill(units: int, office=None) -> int:  # type: ignore[no-untyped-def]
    """Invented records of ``office`` (this office by default), inserted in bulk: about 165
    per unit."""
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

    office = office or this_office()
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


def _office_with_keys(path: Path, level: str, name: str, region: str, code: str, upper) -> None:  # type: ignore[no-untyped-def]
    from wqg_desktop.exchange import keys
    from wqg_desktop.services.office import setup_office

    setup_office(level=level, name=name, region_name=region, region_code=code)
    if upper is not None:
        keys.trust_key(office_uuid=upper.office_uuid, office_name=upper.office_name,
                       level=upper.level, sign_public=upper.sign_public, box_public=upper.box_public)


def bench_city(folder: Path, units: int, counties: int) -> None:
    from wqg_desktop.app import AppContext
    from wqg_desktop.exchange import keys, merge, package

    city = folder / "city.sqlite3"
    with AppContext.open(city) as ctx, ctx.acting("基准"):
        _office_with_keys(city, "市", "南通市公安局", "南通市", "320600", None)
        key = keys.write_key_file(folder / "city.key")
    packages = []
    for n, (region, code) in enumerate(COUNTIES[:counties]):
        db = folder / f"county{n}.sqlite3"
        with AppContext.open(db) as ctx, ctx.acting("基准"):
            _office_with_keys(db, "县", f"{region}公安局", region, code, key)
            rows = _fill(units)
            with Clock() as took:
                result = package.export_package(out=folder / f"county{n}.wqgpkg", today=TODAY)
            if n == 0:
                with Clock() as again:  # the same county once more: fonts loaded, deletions compared
                    package.export_package(out=folder / "again.wqgpkg", today=TODAY)
        packages.append(result.path)
        if n == 0:
            size = result.path.stat().st_size / 1024 / 1024
            print(f"导出一个县：{units} 个单位，{rows} 条记录 → {sum(result.counts.values())} 条，"
                  f"{size:.1f} MB，用时 {took}（目标 ≤ 1 秒；含首次载入报送函字体）")
            print(f"再次导出同一个县（字体已载入，有删除标记比较）：用时 {again}")
    with AppContext.open(city) as ctx, ctx.acting("基准"):
        with Clock() as took:
            for path in packages:
                merge.import_package(path, trust_new_key=True, db_path=None)
        print(f"市级合并 {len(packages)} 个县的包：用时 {took}（目标 ≤ 3 秒，不含导入前备份）")
        with Clock() as took:
            result = merge.import_package(packages[0], trust_new_key=True, db_path=None)
        print(f"再次导入已合并的包：用时 {took}（目标 ≤ 1 秒），{'有改动' if result.applied else '无改动'}")
        with Clock() as took:
            merge.import_package(folder / "again.wqgpkg", trust_new_key=True, db_path=None)
        print(f"导入该县未变化的新包：用时 {took}")


def province_packages(folder: Path, units: int, cities: int = 13,
                      counties: int = 100) -> tuple[Path, list[Path], int]:
    """A province office (with its keys) and the packages of ``cities`` cities sent up to it,
    built once in ``folder``. Each city database holds its counties' records as a city does
    after merging them (made directly, to keep the set-up short). Returns (province database,
    packages, records in them)."""
    from wqg_desktop.app import AppContext
    from wqg_desktop.db.models import Office, Region, database
    from wqg_desktop.exchange import keys, package
    from wqg_desktop.services.office import this_office

    folder.mkdir(parents=True, exist_ok=True)
    province = folder / "province.sqlite3"
    done = folder / f"packages-{units}-{cities}-{counties}.txt"
    if done.exists():
        lines = done.read_text(encoding="utf-8").split("\n")
        return province, [Path(p) for p in lines[1:] if p], int(lines[0])
    with AppContext.open(province) as ctx, ctx.acting("基准"):
        _office_with_keys(province, "省", "江苏省公安厅", "江苏省", "320000", None)
        key = keys.write_key_file(folder / "province.key")
    packages, rows_total = [], 0
    for c in range(cities):
        db = folder / f"city{c}.sqlite3"
        with AppContext.open(db) as ctx, ctx.acting("基准"):
            _office_with_keys(db, "市", f"示例{c}市公安局", f"示例{c}市", f"32{c + 1:02d}00", key)
            me = this_office()
            for n in range(c, counties, cities):
                with database.atomic():
                    county = Office.create(level=1, name=f"示例{c}市第{n}县公安局", region_name=f"第{n}县",
                                           region_code=f"32{c + 1:02d}{n % 100:02d}", parent=me)
                    Region.create(owner_office=county, name=f"第{n}县", code=county.region_code, kind="县")
                rows_total += _fill(units, county)
            packages.append(package.export_package(out=folder / f"city{c}.wqgpkg", today=TODAY).path)
    done.write_text("\n".join([str(rows_total), *map(str, packages)]), encoding="utf-8")
    return province, packages, rows_total


def merge_into_province(folder: Path, *, units: int, counties: int = 100, cities: int = 13,
                        target: Path | str) -> Clock:
    """Time a province taking in the city packages, on a copy of the province database at
    ``target``: a new file, or an empty server database (``postgresql://…``)."""
    from wqg_desktop.app import AppContext
    from wqg_desktop.db.location import parse_target
    from wqg_desktop.db.migrate import migrate_database
    from wqg_desktop.exchange import merge

    province, packages, _rows = province_packages(folder, units, cities, counties)
    place = parse_target(target) if isinstance(target, str) else target
    if isinstance(place, Path):
        place.unlink(missing_ok=True)
        place.write_bytes(province.read_bytes())
    else:
        migrate_database(province, place)
    with AppContext.open(place) as ctx, ctx.acting("基准"), Clock() as took:
        for path in packages:
            merge.import_package(path, trust_new_key=True, db_path=None)
    return took


def bench_province(folder: Path, units: int, cities: int = 13, counties: int = 100) -> None:
    _province, packages, rows_total = province_packages(folder, units, cities, counties)
    size = sum(p.stat().st_size for p in packages) / 1024 / 1024
    took = merge_into_province(folder, units=units, counties=counties, cities=cities,
                               target=folder / "province-merged.sqlite3")
    print(f"省级合并 {cities} 个市的包（{counties} 个县，每县 {units} 个单位，共 {rows_total} 条记录，"
          f"{size:.1f} MB）：用时 {took}（目标 ≤ 20 秒）")
    if FULL_UNITS / 10 <= units < FULL_UNITS:  # smaller: fixed costs per package would dominate
        # the time goes per record (parsing, checking, inserting); a bigger database only
        # makes each insert slower, so this is a lower bound
        scale = FULL_UNITS / units
        print(f"  按记录数线性外推到全规模（每县 {FULL_UNITS} 个单位）：至少约 {took.wall * scale:.0f} 秒"
              f"（CPU {took.cpu * scale:.0f} 秒）")


def main() -> None:
    parser = argparse.ArgumentParser(description="上报包性能测试")
    parser.add_argument("--units", type=int, default=None, help="每县单位数（默认 300，--quick 时 30）")
    parser.add_argument("--counties", type=int, default=None, help="市级合并的县数（默认 10，--quick 时 3）")
    parser.add_argument("--province", action="store_true", help="也测省级合并 13 个市、100 个县的包（较慢）")
    parser.add_argument("--province-units", type=int, default=None,
                        help="省级测试中每县单位数（默认 300，--quick 时 5）")
    parser.add_argument("--quick", action="store_true", help="缩小规模，快速检查")
    args = parser.parse_args()
    units = args.units or (30 if args.quick else 300)
    counties = args.counties or (3 if args.quick else 10)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WQG_DATA_DIR"] = tmp
        os.environ.setdefault("WQG_FONTS_ONLY_BUNDLED", "1")
        bench_city(Path(tmp), units, counties)
        if args.province or args.quick:
            bench_province(Path(tmp), args.province_units or (5 if args.quick else 300))


if __name__ == "__main__":
    main()
