"""单位名册 speed figures of issue 3 on the 100,000-unit database: search per keystroke, opening
the page, importing 10,000 rows from .xlsx and exporting 10,000 rows.

``python bench/bench_units_io.py`` prints the four figures (median of 3 runs) with their
targets; ``python -m bench --only units_io`` puts them in the harness table.

* **keystroke** — the service work each keystroke of the search box triggers: the id query
  (``registry.search_ids``) and the first page of rows the table then shows
  (``registry.fetch_rows``). Three things are typed one character at a time: a unit's pinyin
  initials (``jgpcs``-style, whose first letter matches most of the register), a unit's full
  Chinese name, and a single common letter. The slowest keystroke is the figure; the note
  names it and its number of matches.
* **page open** — constructing ``UnitsPage``, showing it and letting its events run.
* **import** — ``unit_import.read_units`` + ``unit_import.import_units`` of a generated
  10,000-row file of new units (every column filled, as an officer's register would be), into
  a private copy of the database each run (the copy is not timed).
* **export** — ``unit_export.export_units`` of 10,000 units in register order.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` and the program importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import Benchmark, Context, stopwatch

SIZE = "stress"  # 100,000 units
IMPORT_ROWS = 10_000
EXPORT_ROWS = 10_000
FIRST_PAGE = 200  # rows the table fetches for the first screen (ui/models/unit_table.PAGE)


# -- keystroke ---------------------------------------------------------------------------

def _typed_texts() -> list[str]:
    """What the officer types: a 派出所's pinyin initials, a 警务区's full name, one letter."""
    from wqg_desktop.db.models import Unit

    def middle(kind: str) -> Any:
        query = Unit.select(Unit.name, Unit.pinyin).where(Unit.unit_kind == kind).order_by(Unit.id)
        count = query.count()
        return query.offset(count // 2).first() if count else Unit.select().first()

    station = middle("派出所")
    # 如东县公安局掘港派出所 → the initials of the part after 公安局 (jgpcs), as officers type it
    initials = station.pinyin.split("|")[0]
    tail = station.name.split("公安局")[-1]
    typed_initials = initials[len(initials) - len(tail):] if tail and len(tail) < len(
        station.name) else initials
    return [typed_initials, middle("警务区").name, "j"]


def keystroke_setup(ctx: Context) -> None:
    ctx.state["app"] = ctx.open()
    ctx.state["texts"] = _typed_texts()


def keystroke(ctx: Context) -> float:
    from wqg_desktop.services import registry

    worst, worst_text, worst_count, strokes, total = 0.0, "", 0, 0, 0.0
    for text in ctx.state["texts"]:
        for end in range(1, len(text) + 1):
            prefix = text[:end]
            with stopwatch() as ms:
                ids = registry.search_ids(registry.UnitFilter(text=prefix))
                registry.fetch_rows(ids[:FIRST_PAGE])
            elapsed = ms()
            strokes += 1
            total += elapsed
            if elapsed > worst:
                worst, worst_text, worst_count = elapsed, prefix, len(ids)
                ctx.record_cpu(ms.cpu_ms())
    typed = "、".join(f"“{t}”" for t in ctx.state["texts"])
    ctx.notes.append(f"逐字输入 {typed} 共 {strokes} 次按键，平均 {total / strokes:.1f} ms；"
                     f"最慢一次“{worst_text}”（{worst_count} 个结果）")
    return worst


# -- page open ---------------------------------------------------------------------------

def page_open_setup(ctx: Context) -> None:
    ctx.state["app"] = ctx.open()
    ctx.qt_app()


def page_open(ctx: Context) -> float:
    from PySide6.QtCore import QCoreApplication, QEvent

    from wqg_desktop.ui.bus import Bus
    from wqg_desktop.ui.pages.units import UnitsPage

    app = ctx.qt_app()
    with stopwatch() as ms:
        page = UnitsPage(ctx.state["app"], Bus())
        page.resize(1200, 700)
        page.show()  # Page.showEvent loads the filters and the table
        app.processEvents()
    ctx.record_cpu(ms.cpu_ms())
    rows = page.model.rowCount()
    page.hide()
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    ctx.notes.append(f"{rows} 行")
    return ms()


# -- import ------------------------------------------------------------------------------

IMPORT_HEADERS = ("序号", "单位名称", "所属县(市、区)", "所属公安局", "警种", "单位类别", "负责人",
                  "职务", "联系电话", "地址", "是否上线", "上线时间")


def _import_rows(count: int) -> list[list[Any]]:
    """New 警务区 under the existing county bureaus: names no unit has yet."""
    from wqg_desktop.db.models import Bureau, Region
    from wqg_desktop.domain.statuses import RegionKind

    bureaus = list(Bureau.select(Bureau.name, Region.name.alias("county"))
                   .join(Region).where(Region.kind == RegionKind.COUNTY,
                                       Bureau.merged_into.is_null())
                   .order_by(Bureau.id).dicts())
    streets = ["人民", "建设", "解放", "中山", "长江", "黄海", "通江", "青年", "文化", "和平",
               "新华", "胜利", "朝阳", "光明", "幸福"]
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    rows = []
    for n in range(count):
        b = bureaus[n % len(bureaus)]
        street = streets[n // len(bureaus) % len(streets)]
        name = f"{b['name']}{street}路第{n // len(bureaus) + 1}警务区"
        rows.append([n + 1, name, b["county"], b["name"], "治安", "警务区",
                     f"{surnames[n % 20]}{'建国明华军伟'[n % 6]}", "警长",
                     f"139{n:08d}", f"{b['county']}{street}路{n % 300 + 1}号",
                     "是" if n % 3 else "否", f"2015-{n % 12 + 1:02d}-15" if n % 3 else ""])
    return rows


def import_setup(ctx: Context) -> None:
    from openpyxl import Workbook

    ctx.open()
    path = ctx.workdir / "import-units.xlsx"
    # A normal workbook, as Excel and WPS save one: text in the shared-string table.
    book = Workbook()
    sheet = book.active
    sheet.title = "单位名册"
    sheet.append(list(IMPORT_HEADERS))
    for row in _import_rows(IMPORT_ROWS):
        sheet.append(row)
    book.save(path)
    _as_excel_saves(path)
    ctx.state["file"] = path
    ctx.close_app()


def _as_excel_saves(path: Path) -> None:
    """Rewrite openpyxl's inline strings (``<is><t>&#21335;…``, 9 MB of sheet XML for 10,000
    rows) into the shared-string table Excel and WPS write (``t="s"`` + sharedStrings.xml in
    UTF-8), so the file read is the kind an officer's spreadsheet is."""
    import html
    import re
    import zipfile

    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    strings: dict[str, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        text = html.unescape(match.group(2).decode())
        index = strings.setdefault(text, len(strings))
        return match.group(1) + b' t="s"><v>' + str(index).encode() + b"</v></c>"

    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="inlineStr"><is><t>(.*?)</t></is></c>',
                          shared, parts[sheet])
    items = "".join(f"<si><t>{html.escape(t, quote=False)}</t></si>" for t in strings)
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{items}</sst>').encode()
    rel = ('<Relationship Id="rIdSST" Target="sharedStrings.xml" Type="http://schemas.'
           'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", rel.encode() + b"</Relationships>")
    kind = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", kind.encode() + b"</Types>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


def _on_disk(path: Path) -> None:
    """Wait until the fresh copy of the database is written out. Copying 900 MB (not timed)
    leaves most of it in the page cache for the system to write back over the next seconds,
    and the import's commit (synchronous=FULL) would queue its fsync behind that: 0.2-0.5 s
    of the copy's cost, different every run, inside the measured span."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def import_xlsx(ctx: Context) -> float:
    from wqg_desktop.services import unit_import

    app = ctx.open(writable=True)
    _on_disk(Path(app.location))
    with app.acting("基准测试导入"), stopwatch() as ms:
        t0 = time.perf_counter()
        sheet = unit_import.read_units(ctx.state["file"])
        read_s = time.perf_counter() - t0
        result = unit_import.import_units(sheet)
    ctx.record_cpu(ms.cpu_ms() / 1000)
    if result.counts["new"] != IMPORT_ROWS:
        raise RuntimeError(f"expected {IMPORT_ROWS} new units, got {result.counts}")
    ctx.notes.append(f"新增 {result.counts['new']} 个单位；其中读文件 {read_s:.2f} 秒，"
                     f"核对与写入 {ms() / 1000 - read_s:.2f} 秒")
    ctx.close_app()
    return ms() / 1000


# -- export ------------------------------------------------------------------------------

def export_setup(ctx: Context) -> None:
    from wqg_desktop.services import registry

    ctx.state["app"] = ctx.open()
    ctx.state["ids"] = registry.search_ids(registry.UnitFilter())[:EXPORT_ROWS]


def export_xlsx(ctx: Context) -> float:
    from wqg_desktop.services import unit_export

    target = ctx.workdir / "export-units.xlsx"
    with stopwatch() as ms:
        count = unit_export.export_units(target, unit_ids=ctx.state["ids"])
    ctx.record_cpu(ms.cpu_ms() / 1000)
    ctx.notes.append(f"{count} 行，{target.stat().st_size // 1024} KB")
    target.unlink()
    return ms() / 1000


BENCHMARKS = [
    Benchmark(name="units_io.keystroke", label="名册搜索每次按键（查询＋首屏行）", unit="ms",
              target=30, size=SIZE, run=keystroke, setup=keystroke_setup, issue=3),
    Benchmark(name="units_io.page_open", label="打开名册页（构造＋显示）", unit="ms", target=300,
              size=SIZE, run=page_open, setup=page_open_setup, issue=3),
    Benchmark(name="units_io.import_xlsx", label="从 .xlsx 导入 1 万行（读＋核对＋写入）", unit="s",
              target=2.0, size=SIZE, run=import_xlsx, setup=import_setup, issue=3),
    Benchmark(name="units_io.export_xlsx", label="导出 1 万个单位到 .xlsx", unit="s", target=2.0,
              size=SIZE, run=export_xlsx, setup=export_setup, issue=3),
]


def main(argv: list[str]) -> int:
    """Run the four figures (median of 3) and print them with their targets."""
    import argparse
    import shutil

    from bench import harness

    parser = argparse.ArgumentParser(description="单位名册的四项速度指标（10 万单位）")
    parser.add_argument("--size", default=None, help="改用另一规模（county/city/province/stress）")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", action="append", help="只运行名称含这段文字的项目")
    args = parser.parse_args(argv)
    workdir = harness.new_workdir()
    ctx = harness.Context(size=args.size, quick=False, runs=args.runs, seed=2012, workdir=workdir)
    chosen = [b for b in BENCHMARKS if not args.only or any(o in b.name for o in args.only)]
    try:
        results = harness.run_all(chosen, ctx)
        print(harness.table(results))
    finally:
        ctx.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    import os

    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # Qt objects may outlive the QApplication; leave without finalising
