"""单位名册 benchmarks (targets of issue 3): the register page's filter per keystroke with
100,000 units, and the .xlsx writer on 10,000 rows. (Opening the page, the service-level
keystroke, import and export are measured by ``bench/bench_units_io.py``.)

The keystroke benchmark types a unit's full name one character at a time into the register
page's search box and times the work each keystroke triggers once the debounce fires
(``UnitsPage._apply_filter``: the query of ``services.registry.list_units`` plus the table
model's reset). The first characters match the most units, so the slowest keystroke is the
figure; the note says which one it was and how the time splits between query and model.
"""

from __future__ import annotations

from typing import Any

from bench.harness import Benchmark, Context, stopwatch


def _unit_to_type(ctx: Context) -> str:
    """A 警务区 in the middle of the register (deterministic for a database)."""
    from wqg_desktop.db.models import Unit

    query = Unit.select(Unit.name).where(Unit.unit_kind == "警务区").order_by(Unit.id)
    count = query.count()
    row = query.offset(count // 2).first() if count else Unit.select(Unit.name).first()
    return row.name


def _page(ctx: Context) -> Any:
    from wqg_desktop.ui.bus import Bus
    from wqg_desktop.ui.pages.units import UnitsPage

    ctx.qt_app()
    bus = Bus()
    page = UnitsPage(ctx.state["app"], bus)
    page.resize(1200, 700)
    return page, bus


def _dispose(page: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    page.hide()
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def keystroke_setup(ctx: Context) -> None:
    prepare_keystrokes(ctx, ctx.open())


def prepare_keystrokes(ctx: Context, app: Any) -> None:
    """The register page on ``app``'s database, shown, and the name to type into it."""
    ctx.state["app"] = app
    name = _unit_to_type(ctx)
    ctx.state["prefixes"] = [name[: i + 1] for i in range(len(name))]
    page, bus = _page(ctx)
    page.show()
    ctx.qt_app().processEvents()
    ctx.state["page"], ctx.state["bus"] = page, bus


def _query(prefix: str) -> int:
    """The service's share of a keystroke: the id query (or the whole list, before it)."""
    from wqg_desktop.services import registry

    if hasattr(registry, "search_ids"):
        return len(registry.search_ids(registry.UnitFilter(text=prefix)))
    return len(registry.list_units(text=prefix))


def keystroke(ctx: Context) -> float:
    page, app = ctx.state["page"], ctx.qt_app()
    edit = page.ui.search_edit
    worst, worst_prefix, total, query_ms, matches = 0.0, "", 0.0, 0.0, 0
    edit.blockSignals(True)  # the debounce timer is not what is measured
    try:
        for prefix in ctx.state["prefixes"]:
            edit.setText(prefix)
            # The filter the debounce would fire, then the repaint that fetches visible rows.
            with stopwatch() as ms:
                page._apply_filter()
                app.processEvents()
            elapsed = ms()
            total += elapsed
            if elapsed > worst:
                worst, worst_prefix = elapsed, prefix
                ctx.record_cpu(ms.cpu_ms())
                with stopwatch() as q:
                    matches = _query(prefix)
                query_ms = q()
        edit.setText("")
        page._apply_filter()
    finally:
        edit.blockSignals(False)
    ctx.notes.append(
        f"输入“{ctx.state['prefixes'][-1]}”共 {len(ctx.state['prefixes'])} 次按键，"
        f"平均 {total / len(ctx.state['prefixes']):.0f} ms；最慢一次“{worst_prefix}”"
        f"（{matches} 个结果，其中查询约 {query_ms:.0f} ms）")
    return worst


def keystroke_teardown(ctx: Context) -> None:
    if "page" in ctx.state:
        _dispose(ctx.state.pop("page"))


def write_table_setup(ctx: Context) -> None:
    from wqg_desktop.services import registry

    ctx.state["app"] = ctx.open()
    rows = registry.list_units()[:10_000]
    keys = ("name", "region", "bureau", "police_type", "unit_kind", "head", "phone", "title",
            "campaign", "online")
    ctx.state["headers"] = ["单位名称", "县(市、区)", "所属公安局", "警种", "类别", "负责人",
                            "联系电话", "最高有效称号", "创建状态", "维权在线"]
    ctx.state["rows"] = [[getattr(r, k) for k in keys] for r in rows]


def write_table(ctx: Context) -> float:
    """The .xlsx writer alone (``exchange.xlsx.write_table``) on 10,000 rows ready in memory."""
    from wqg_desktop.exchange.xlsx import write_table as write

    target = ctx.workdir / "table.xlsx"
    with stopwatch() as ms:
        write(target, ctx.state["headers"], ctx.state["rows"], sheet_title="单位名册")
    ctx.record_cpu(ms.cpu_ms() / 1000)
    ctx.notes.append(f"{len(ctx.state['rows'])} 行")
    seconds = ms() / 1000
    target.unlink()
    return seconds


BENCHMARKS = [
    Benchmark(name="registry.keystroke", label="名册页筛选每次按键（含表格刷新）", unit="ms",
              target=30,
              size="stress", run=keystroke, setup=keystroke_setup, teardown=keystroke_teardown,
              issue=3),
    Benchmark(name="xlsx.write_table", label="写 .xlsx（1万行，仅写表）", unit="s", target=2.0,
              size="province", run=write_table, setup=write_table_setup, issue=3,
              note="exchange.xlsx.write_table 本身，行已在内存中；规模小于 1 万单位时写全部单位"),
]
