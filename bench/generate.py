"""Realistic, deterministic office databases for the benchmarks: county, city, province, stress.

``python -m bench.generate --size city`` writes one (or reuses the cached copy). Every database
is opened, migrated and set up through the program's own code (``open_database``,
``setup_office``); the bulk rows then go in through the models' tables in one transaction:

* ids and uuids are precomputed (uuids from a seeded ``random.Random``), so children point at
  parents without reading anything back and two runs with one seed give the same file contents;
* rows are bound with ``executemany`` on each model's own column list — four times faster than
  ``Model.insert_many``, which converts and renders every value in Python (measured: 24k vs.
  91k rows/s for survey sheets on the 2-core development machine);
* foreign keys are checked once at the end (``PRAGMA foreign_key_check``) instead of per row,
  and one audit row per table says what the generator added (no per-row ``save()``).

Geography: the 13 cities of 江苏省 with their real counties and districts; unit kinds as the
bureaus have them (派出所 and their 警务区, 交巡警中队, 刑警大队 and its 中队, 治安大队, 禁毒大队,
看守所…; 市直 支队 at city level). People, phone numbers and cases are invented
(:mod:`wqg_desktop.services.demo_data` supplies the name parts and texts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import generate_records as records
from wqg_desktop.db import migrations
from wqg_desktop.db import models as m
from wqg_desktop.db.connection import open_database
from wqg_desktop.domain.statuses import RegionKind
from wqg_desktop.services import office as office_service
from wqg_desktop.services import reference

#: Units per named size.
SIZES = {"county": 300, "city": 3_000, "province": 30_000, "stress": 100_000}
DEFAULT_SEED = 2012
#: The day the generated databases live in (the tests' TODAY): the 2025—2026 term is running.
TODAY = dt.date(2026, 11, 26)
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
ACTOR = "基准数据生成"


def scope_for(units: int) -> str:
    """Which office a database of that many units belongs to (county, city or province)."""
    if units <= 1_000:
        return "county"
    if units <= 10_000:
        return "city"
    return "province"


def schema_key() -> str:
    """Changes whenever the migrations or the generator change, so the cache never goes stale."""
    digest = hashlib.sha256()
    sources = sorted(Path(migrations.__file__).parent.glob("m*.py"))
    sources += sorted(Path(__file__).parent.glob("generate*.py"))
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return f"v{migrations.LATEST_VERSION}-{digest.hexdigest()[:10]}"


def units_of(size: str | int) -> int:
    if isinstance(size, int) or str(size).isdigit():
        return int(size)
    try:
        return SIZES[size]
    except KeyError:
        raise ValueError(f"unknown size {size!r}; one of {', '.join(SIZES)} or a number") from None


def database_path(size: str | int, *, seed: int = DEFAULT_SEED, cache_dir: Path | None = None,
                  progress=None) -> Path:  # type: ignore[no-untyped-def]
    """The cached database of that size and seed, generated on first use."""
    folder = Path(cache_dir or os.environ.get("WQG_BENCH_CACHE") or CACHE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{size}-s{seed}-{schema_key()}.sqlite3"
    if path.exists():
        return path
    # Built under a temporary name and renamed, so an interrupted run leaves no half database.
    with tempfile.TemporaryDirectory(dir=folder, prefix=".build-") as tmp:
        part = Path(tmp) / "db.sqlite3"
        generate(part, units=units_of(size), seed=seed, progress=progress)
        shutil.move(str(part), path)
    return path


def generate(path: Path, *, units: int, seed: int = DEFAULT_SEED,
             progress=None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Create the database at ``path`` with ``units`` units; return the row count per table."""
    started = time.perf_counter()

    def say(text: str) -> None:
        if progress:
            progress(f"[{time.perf_counter() - started:6.1f}s] {text}")

    scope = scope_for(units)
    opened = open_database(path, create=True)
    try:
        db = opened.db
        with m.acting_as(ACTOR, "生成基准测试数据库"):
            office = _setup_office(scope)
            say(f"{scope} office {office.name}")
            db.execute_sql("PRAGMA foreign_keys=OFF")
            # A generated file is rebuilt from its seed if the machine dies: no fsync needed.
            db.execute_sql("PRAGMA synchronous=OFF")
            with db.atomic():
                places = build_places(scope, units, random.Random(seed), office)
                builder = records.Builder(office=office, places=places, today=TODAY,
                                          rng=random.Random(seed + 1),
                                          uuid_rng=random.Random(seed + 2), say=say)
                counts = builder.run()
            problems = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise AssertionError(f"generated rows break foreign keys: {problems[:5]}")
            db.execute_sql("PRAGMA foreign_keys=ON")
        say(f"{sum(counts.values())} rows")
    finally:
        opened.close()
    return counts


# ---------------------------------------------------------------------------------------------
# Geography: 江苏省, its 13 cities and their counties and districts (as of 2024)
# ---------------------------------------------------------------------------------------------

#: (city, region code, telephone area code, counties/districts)
JIANGSU: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("南京市", "320100", "025", ("玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区", "栖霞区",
                              "雨花台区", "江宁区", "六合区", "溧水区", "高淳区")),
    ("无锡市", "320200", "0510", ("梁溪区", "锡山区", "惠山区", "滨湖区", "新吴区", "江阴市", "宜兴市")),
    ("徐州市", "320300", "0516", ("鼓楼区", "云龙区", "贾汪区", "泉山区", "铜山区", "丰县", "沛县",
                               "睢宁县", "新沂市", "邳州市")),
    ("常州市", "320400", "0519", ("天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市")),
    ("苏州市", "320500", "0512", ("姑苏区", "虎丘区", "吴中区", "相城区", "吴江区", "常熟市",
                               "张家港市", "昆山市", "太仓市")),
    ("南通市", "320600", "0513", ("崇川区", "通州区", "海门区", "如东县", "启东市", "如皋市", "海安市")),
    ("连云港市", "320700", "0518", ("连云区", "海州区", "赣榆区", "东海县", "灌云县", "灌南县")),
    ("淮安市", "320800", "0517", ("清江浦区", "淮安区", "淮阴区", "洪泽区", "涟水县", "盱眙县", "金湖县")),
    ("盐城市", "320900", "0515", ("亭湖区", "盐都区", "大丰区", "响水县", "滨海县", "阜宁县", "射阳县",
                               "建湖县", "东台市")),
    ("扬州市", "321000", "0514", ("广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市")),
    ("镇江市", "321100", "0511", ("京口区", "润州区", "丹徒区", "丹阳市", "扬中市", "句容市")),
    ("泰州市", "321200", "0523", ("海陵区", "高港区", "姜堰区", "兴化市", "靖江市", "泰兴市")),
    ("宿迁市", "321300", "0527", ("宿城区", "宿豫区", "沭阳县", "泗阳县", "泗洪县")),
]
#: Region codes known for certain (南通); other counties are created without one.
COUNTY_CODES = {"崇川区": "320602", "通州区": "320612", "海门区": "320614", "如东县": "320623",
                "启东市": "320681", "如皋市": "320682", "海安市": "320685"}
PROVINCE = ("江苏省", "320000", "江苏省公安厅", "共青团江苏省委")
HOME_CITY, HOME_COUNTY = "南通市", "海安市"


@dataclass
class Place:
    """A county/district (or a city's 市直 group) and the number of units to make in it."""

    name: str
    city: str
    area_code: str
    region_id: int
    region_code: str
    bureau: str
    bureau_id: int
    office_id: int  # owns the units and the county-level titles and campaigns
    city_office_id: int  # owns the city-level titles and campaigns
    province_office_id: int
    league: str  # 共青团…委, the joint naming body
    units: int
    direct: bool = False  # 市直: no county level; the ladder starts at the city level
    naming_body_ids: tuple[int, ...] = ()
    city_naming_body_ids: tuple[int, ...] = ()
    province_body_ids: tuple[int, ...] = ()


def county_bureau(city: str, county: str) -> str:
    """县、县级市: 海安市公安局; 区: 南京市公安局玄武分局."""
    if county.endswith("区"):
        return f"{city}公安局{county[:-1]}分局"
    return f"{county}公安局"


def county_league(city: str, county: str) -> str:
    return f"共青团{city}{county}委" if county.endswith("区") else f"共青团{county}委"


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` split by ``weights`` in whole numbers (largest remainder), summing exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _setup_office(scope: str) -> m.Office:
    if scope == "county":
        return office_service.setup_office(level="县", name="海安市公安局", region_name=HOME_COUNTY,
                                           region_code=COUNTY_CODES[HOME_COUNTY], officer="周建华")
    if scope == "city":
        return office_service.setup_office(level="市", name="南通市公安局", region_name=HOME_CITY,
                                           region_code="320600", officer="顾晓东")
    return office_service.setup_office(level="省", name=PROVINCE[2], region_name=PROVINCE[0],
                                       region_code=PROVINCE[1], officer="沈立新")


class _Reference:
    """Offices, regions, bureaus and naming bodies: few rows, created through the models."""

    def __init__(self, me: m.Office) -> None:
        self.me = me
        self.offices = {me.name: me}
        self.bodies: dict[str, int] = {}

    def office(self, name: str, level: int, region: str, code: str,
               parent: m.Office | None) -> m.Office:
        if name not in self.offices:
            self.offices[name] = m.Office.create(
                uuid=reference.reference_uuid("office", name), level=level, name=name,
                region_code=code, region_name=region, parent=parent)
        return self.offices[name]

    def body(self, name: str, level: int, region: str, owner: m.Office) -> int:
        if name not in self.bodies:
            self.bodies[name] = m.NamingBody.create(
                owner_office=owner, uuid=reference.reference_uuid("naming_body", name), name=name,
                level=level, region_name=region).id
        return self.bodies[name]

    def bureau(self, name: str, region: m.Region, parent: int | None) -> int:
        return m.Bureau.create(owner_office=self.me, uuid=reference.reference_uuid("bureau", name),
                               name=name, region=region, parent=parent).id


def build_places(scope: str, units: int, rng: random.Random, me: m.Office) -> list[Place]:
    """Create the offices, regions, bureaus and naming bodies; share ``units`` among places."""
    ref = _Reference(me)
    province = (me if scope == "province" else
                ref.office(PROVINCE[2], 3, PROVINCE[0], PROVINCE[1], None))
    prov_bodies = (ref.body(PROVINCE[3], 3, PROVINCE[0], province),
                   ref.body(PROVINCE[2], 3, PROVINCE[0], province))
    if scope == "county":
        city = ref.office("南通市公安局", 2, HOME_CITY, "320600", province)
        me.parent = city
        me.save()
        region = m.Region.get(m.Region.name == HOME_COUNTY)
        city_bodies = (ref.body("共青团南通市委", 2, HOME_CITY, city),
                       ref.body("南通市公安局", 2, HOME_CITY, city))
        league = county_league(HOME_CITY, HOME_COUNTY)
        bodies = (ref.body(league, 1, HOME_COUNTY, me), ref.body(me.name, 1, HOME_COUNTY, me))
        return [Place(HOME_COUNTY, HOME_CITY, "0513", region.id, region.code, me.name,
                      ref.bureau(me.name, region, None), me.id, city.id, province.id, league,
                      units, naming_body_ids=bodies, city_naming_body_ids=city_bodies,
                      province_body_ids=prov_bodies)]
    if scope == "city":
        me.parent = province
        me.save()
        cities = [c for c in JIANGSU if c[0] == HOME_CITY]
    else:
        cities = JIANGSU
    per_city = _split(units, [len(c[3]) + 1 for c in cities])
    province_region = m.Region.get(m.Region.kind == str(RegionKind.PROVINCE)) \
        if scope == "province" else None
    places: list[Place] = []
    for (city, code, area, counties), city_units in zip(cities, per_city, strict=True):
        bureau_name = f"{city}公安局"
        city_office = me if scope == "city" else ref.office(bureau_name, 2, city, code, me)
        city_region = reference.ensure_region(city, RegionKind.CITY, code=code,
                                              parent=province_region, owner=me)
        direct_region = reference.city_direct_group(city_region, owner=me)
        city_bureau = ref.bureau(bureau_name, city_region, None)
        city_bodies = (ref.body(f"共青团{city}委", 2, city, city_office),
                       ref.body(bureau_name, 2, city, city_office))
        # 市直: a few dozen 支队/大队 at most, whatever the size of the city.
        direct = min(max(1, city_units * 3 // 100), 40) if city_units > len(counties) else 0
        shares = _split(city_units - direct, [rng.uniform(0.7, 1.3) for _ in counties])
        places.append(Place("市直", city, area, direct_region.id, "", bureau_name, city_bureau,
                            city_office.id, city_office.id, province.id, f"共青团{city}委", direct,
                            direct=True, naming_body_ids=city_bodies,
                            city_naming_body_ids=city_bodies))
        for order, (county, share) in enumerate(zip(counties, shares, strict=True), start=1):
            ccode = COUNTY_CODES.get(county, "") if city == HOME_CITY else ""
            region = reference.ensure_region(county, RegionKind.COUNTY, code=ccode,
                                             parent=city_region, sort_order=order, owner=me)
            name = county_bureau(city, county)
            office = ref.office(name, 1, county, ccode, city_office)
            league = county_league(city, county)
            places.append(Place(
                county, city, area, region.id, ccode, name, ref.bureau(name, region, city_bureau),
                office.id, city_office.id, province.id, league, share,
                naming_body_ids=(ref.body(league, 1, county, office),
                                 ref.body(name, 1, county, office)),
                city_naming_body_ids=city_bodies))
    for place in places:
        place.province_body_ids = prov_bodies
    return [p for p in places if p.units]




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate",
                                     description="生成基准测试数据库（按规模缓存）")
    parser.add_argument("--size", default="county", help="county | city | province | stress | 单位数")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", help="写到这个文件（不使用缓存）")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def say(text: str) -> None:
        print(text, file=sys.stderr)

    if args.out:
        out = Path(args.out)
        if out.exists():
            print(f"{out} 已存在", file=sys.stderr)
            return 2
        counts = generate(out, units=units_of(args.size), seed=args.seed, progress=say)
        print(f"{out}: {sum(counts.values())} 行，{time.perf_counter() - started:.1f} 秒")
    else:
        path = database_path(args.size, seed=args.seed, progress=say)
        print(f"{path}（{time.perf_counter() - started:.1f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
