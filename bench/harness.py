"""The benchmark protocol and the runner behind ``python -m bench``.

A benchmark module is any ``bench/bench_*.py`` with a module-level ``BENCHMARKS`` list of
:class:`Benchmark` (or of objects with the same attributes)::

    BENCHMARKS = [
        Benchmark(name="registry.keystroke", label="名册筛选每次按键（10万单位）", unit="ms",
                  target=30, size="stress", run=keystroke, peer=None),
    ]

``run(ctx)`` performs the work once and returns the measured figure in ``unit`` (it may do its
own timing, so that set-up is not counted); the harness calls it ``runs`` times after
``warmup`` discarded calls and keeps the median. A ``peer`` (the thing to beat: a bare Qt
window, plain reportlab…) is called alternately with ``run`` in the same process run, so
that on a noisy machine both see the same load and their ratio holds. ``target`` is the
figure to reach (``lower_is_better`` by default); ``target_ratio`` instead compares the
ratio to the peer (certificates: ≤ 1.2 × plain reportlab).

:class:`Context` gives each benchmark the generated databases (cached, see
:mod:`bench.generate`), private copies for benchmarks that write, an opened
:class:`~wqg_desktop.app.AppContext`, an offscreen ``QApplication`` and a helper to time
child processes.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZE_ORDER = ("county", "city", "province", "stress")
#: Under --quick, a benchmark whose warm-up took longer than this is measured only once.
QUICK_SLOW_SECONDS = 3.0


@dataclass
class Benchmark:
    name: str  # stable key, used by --only and in the JSON
    unit: str  # "ms", "s", "MB"
    target: float | None
    run: Callable[[Context], float]
    label: str = ""  # what the table shows (Chinese)
    peer: Callable[[Context], float] | None = None
    peer_label: str = ""
    target_ratio: float | None = None  # met when value / peer ≤ this
    #: the database scale the target is set for (--quick/--size override it); "" when the
    #: benchmark does not use a generated database
    size: str = "county"
    runs: int | None = None  # default: the command line's --runs
    warmup: int = 1
    setup: Callable[[Context], None] | None = None
    teardown: Callable[[Context], None] | None = None
    lower_is_better: bool = True
    issue: int | None = None  # the issue that sets the target
    note: str = ""


@dataclass
class Result:
    name: str
    label: str
    value: float | None
    unit: str
    target: float | None
    met: bool | None
    size: str
    runs: int
    samples: list[float] = field(default_factory=list)
    #: CPU time of the measured span (same unit), where the benchmark records it: on a shared
    #: machine wall time grows with the load, CPU time much less.
    cpu: float | None = None
    cpu_samples: list[float] = field(default_factory=list)
    peer: float | None = None
    peer_label: str = ""
    peer_samples: list[float] = field(default_factory=list)
    ratio: float | None = None
    target_ratio: float | None = None
    note: str = ""
    error: str = ""
    seconds: float = 0.0


class Context:
    """What a benchmark gets: databases, scratch space, Qt, and the current scale."""

    def __init__(self, *, size: str | None, quick: bool, runs: int, seed: int,
                 workdir: Path, cache_dir: Path | None = None, verbose: bool = False) -> None:
        self.forced_size, self.quick, self.runs, self.seed = size, quick, runs, seed
        self.workdir, self.cache_dir, self.verbose = workdir, cache_dir, verbose
        self.size = size or "county"
        self.state: dict[str, Any] = {}  # set-up results a benchmark keeps between runs
        self.notes: list[str] = []  # findings a run adds to its result (e.g. a breakdown)
        self.cpu_figure: float | None = None  # set by record_cpu during a run
        self.last_child_cpu = 0.0  # CPU seconds of the last child() process
        self._app_ctx: Any = None
        self._qt_app: Any = None
        os.environ.setdefault("WQG_DATA_DIR", str(workdir / "data"))
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ.setdefault("WQG_FONTS_ONLY_BUNDLED", "1")

    def size_for(self, benchmark: Benchmark) -> str:
        if not benchmark.size:
            return ""
        if self.forced_size:
            return self.forced_size
        return "county" if self.quick else benchmark.size

    def record_cpu(self, value: float) -> None:
        """The CPU time of this run's measured span, in the benchmark's unit."""
        self.cpu_figure = value

    def say(self, text: str) -> None:
        if self.verbose:
            print(f"  {text}", file=sys.stderr, flush=True)

    # -- databases ---------------------------------------------------------------------

    def db(self, size: str | None = None) -> Path:
        """The cached generated database of ``size`` (default: the current scale). Read it only."""
        from bench.generate import database_path

        return database_path(size or self.size, seed=self.seed, cache_dir=self.cache_dir,
                             progress=self.say)

    def copy(self, size: str | None = None, name: str | None = None) -> Path:
        """A private copy of the generated database, for benchmarks that write."""
        source = self.db(size)
        target = self.workdir / (name or f"copy-{size or self.size}.sqlite3")
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copy(source, target)
        return target

    def open(self, size: str | None = None, *, writable: bool = False) -> Any:
        """An AppContext on the generated database (a private copy when ``writable``).

        The models are bound to one database per process, so opening closes the previous one.
        """
        from bench.generate import TODAY
        from wqg_desktop.app import AppContext

        self.close_app()
        path = self.copy(size) if writable else self.db(size)
        self._app_ctx = AppContext.open(path, read_only=not writable, clock=lambda: TODAY)
        return self._app_ctx

    def close_app(self) -> None:
        if self._app_ctx is not None:
            self._app_ctx.close()
            self._app_ctx = None

    # -- Qt and child processes --------------------------------------------------------

    def qt_app(self) -> Any:
        """The offscreen QApplication of this process (created once)."""
        if self._qt_app is None:
            from PySide6.QtCore import qInstallMessageHandler
            from PySide6.QtWidgets import QApplication

            def quiet(_kind, _context, message):  # type: ignore[no-untyped-def]
                # The offscreen platform warns about window hints it cannot honour.
                if "propagateSizeHints" not in message:
                    print(message, file=sys.stderr)

            qInstallMessageHandler(quiet)
            self._qt_app = QApplication.instance() or QApplication(["bench"])
        return self._qt_app

    def child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(QT_QPA_PLATFORM="offscreen", WQG_FONTS_ONLY_BUNDLED="1",
                   WQG_DATA_DIR=str(self.workdir / "data"),
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
        return env

    def child(self, args: list[str], *, marker: str = "READY", timeout: float = 120) -> tuple[
            float, str]:
        """Run ``python args…``; return (seconds from spawn until it prints ``marker``, that line).

        Wall time seen from outside, so interpreter start and imports count, as for a user.
        """
        before = _children_cpu()
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=self.child_env(),
                                cwd=ROOT)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith(marker):
                    elapsed = time.perf_counter() - started
                    proc.stdout.read()
                    proc.wait(timeout=timeout)
                    self.last_child_cpu = _children_cpu() - before
                    return elapsed, line.strip()
            proc.wait(timeout=timeout)
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"child exited with {proc.returncode} before {marker}: "
                               f"{err.strip()[-800:]}")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    def close(self) -> None:
        self.close_app()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Stopwatch:
    """Wall and CPU time of a span; call it for the elapsed milliseconds."""

    def __init__(self) -> None:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        self.wall1: float | None = None
        self.cpu1: float | None = None

    def stop(self) -> None:
        self.wall1, self.cpu1 = time.perf_counter(), time.process_time()

    def __call__(self) -> float:
        return ((self.wall1 or time.perf_counter()) - self.wall0) * 1000

    def cpu_ms(self) -> float:
        return ((self.cpu1 or time.process_time()) - self.cpu0) * 1000


@contextlib.contextmanager
def stopwatch() -> Iterator[Stopwatch]:
    """``with stopwatch() as ms: …`` then ``ms()`` is the elapsed milliseconds, ``ms.cpu_ms()``
    the CPU milliseconds of this process over the same span."""
    watch = Stopwatch()
    try:
        yield watch
    finally:
        watch.stop()


# -- discovery and running ---------------------------------------------------------------

def discover(only: list[str] | None = None) -> tuple[list[Benchmark], list[str]]:
    """Every ``BENCHMARKS`` of ``bench/bench_*.py``; and the modules that have none."""
    found: list[Benchmark] = []
    standalone: list[str] = []
    adapted: set[str] = set()
    # Adapters of other scripts last, after the benchmarks written for the harness.
    paths = sorted(Path(__file__).parent.glob("bench_*.py"),
                   key=lambda p: (p.name == "bench_adapters.py", p.name))
    for path in paths:
        module = importlib.import_module(f"bench.{path.stem}")
        benchmarks = getattr(module, "BENCHMARKS", None)
        adapted.update(getattr(module, "ADAPTS", ()))
        if benchmarks is None:
            standalone.append(path.name)
            continue
        found.extend(benchmarks)
    standalone = [name for name in standalone if name not in adapted]
    if only:
        found = [b for b in found if any(o in b.name or o in (b.label or "") for o in only)]
    return found, standalone


def _met(b: Benchmark, value: float | None, ratio: float | None) -> bool | None:
    if b.target_ratio is not None:
        return None if ratio is None else ratio <= b.target_ratio
    if b.target is None or value is None:
        return None
    return value <= b.target if b.lower_is_better else value >= b.target


def run_one(b: Benchmark, ctx: Context) -> Result:
    size = ctx.size_for(b)
    ctx.size = size or ctx.forced_size or "county"
    runs = b.runs or ctx.runs
    result = Result(name=b.name, label=b.label or b.name, value=None, unit=b.unit,
                    target=b.target, met=None, size=size, runs=runs, peer_label=b.peer_label,
                    target_ratio=b.target_ratio, note=b.note)
    started = time.perf_counter()
    ctx.state, ctx.notes = {}, []
    try:
        if b.setup:
            b.setup(ctx)
        warm_started = time.perf_counter()
        for _ in range(b.warmup):
            b.run(ctx)
            if b.peer:
                b.peer(ctx)
        if ctx.quick and b.warmup and time.perf_counter() - warm_started > QUICK_SLOW_SECONDS:
            # --quick must stay within a minute: a slow item is measured once after warm-up.
            runs = result.runs = 1
        for i in range(runs):
            ctx.notes = []  # the table keeps the last run's findings
            # Alternate (and swap the order every run) so both see the same machine load.
            pair = [("value", b.run), ("peer", b.peer)] if i % 2 == 0 else \
                [("peer", b.peer), ("value", b.run)]
            for kind, fn in pair:
                if fn is None:
                    continue
                ctx.cpu_figure = None
                figure = float(fn(ctx))
                (result.samples if kind == "value" else result.peer_samples).append(figure)
                if kind == "value" and ctx.cpu_figure is not None:
                    result.cpu_samples.append(ctx.cpu_figure)
            ctx.say(f"{b.name} run {i + 1}/{runs}: {result.samples[-1]:.3g}")
        result.value = statistics.median(result.samples)
        if result.cpu_samples:
            result.cpu = statistics.median(result.cpu_samples)
        if result.peer_samples:
            result.peer = statistics.median(result.peer_samples)
            result.ratio = result.value / result.peer if result.peer else None
        result.met = _met(b, result.value, result.ratio)
        if ctx.notes:
            result.note = "；".join(filter(None, [result.note, *dict.fromkeys(ctx.notes)]))
    except Exception as exc:  # one broken benchmark must not hide the others' figures
        result.error = f"{type(exc).__name__}: {exc}"
        if ctx.verbose:
            traceback.print_exc()
    finally:
        try:
            if b.teardown:
                b.teardown(ctx)
        finally:
            ctx.close_app()
    result.seconds = time.perf_counter() - started
    return result


def run_all(benchmarks: list[Benchmark], ctx: Context,
            on_result: Callable[[Result], None] | None = None) -> list[Result]:
    results = []
    for b in benchmarks:
        ctx.say(f"— {b.name} ({ctx.size_for(b)})")
        result = run_one(b, ctx)
        results.append(result)
        if on_result:
            on_result(result)
    return results


# -- output ------------------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3g}"


def target_text(r: Result) -> str:
    if r.target_ratio is not None:
        return f"≤ {r.target_ratio:g}× 对照"
    if r.target is None:
        return "—"
    return f"≤ {r.target:g}" if r.unit and r.target is not None else f"{r.target:g}"


HEADERS = ["基准", "规模", "实测(中位数)", "其中CPU", "单位", "目标", "达标", "对照", "比值",
           "次数"]


def rows_of(results: list[Result]) -> list[list[str]]:
    rows = []
    for r in results:
        met = "—" if r.met is None else ("是" if r.met else "否")
        if r.error:
            met = "出错"
        rows.append([r.label, r.size or "—", fmt(r.value), fmt(r.cpu), r.unit, target_text(r), met,
                     fmt(r.peer) if r.peer is not None else "—",
                     f"{r.ratio:.2f}×" if r.ratio is not None else "—", str(len(r.samples))])
    return rows


def table(results: list[Result], *, markdown: bool = False) -> str:
    rows = rows_of(results)
    notes = [f"· {r.label}：{r.error or r.note}" for r in results if r.error or r.note]
    if markdown:
        lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        notes_md = ["- " + n[2:].replace("|", "/") for n in notes]
        return "\n".join(lines + ([""] + notes_md if notes else []))
    widths = [max(_width(h), *(_width(row[i]) for row in rows)) if rows else _width(h)
              for i, h in enumerate(HEADERS)]
    numeric = {2, 3, 7, 8, 9}
    out = ["  ".join(_pad(h, w, i in numeric) for i, (h, w) in enumerate(zip(HEADERS, widths,
                                                                            strict=True)))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(_pad(c, w, i in numeric) for i, (c, w) in enumerate(zip(row, widths,
                                                                            strict=True)))
            for row in rows]
    if notes:
        out += ["", *notes]
    return "\n".join(out)


def to_json(results: list[Result], meta: dict[str, Any]) -> list[dict[str, Any]]:
    """One object per benchmark; ``peer``/``ratio`` only where a peer exists."""
    items = []
    for r in results:
        item = asdict(r)
        if r.peer is None:
            for key in ("peer", "peer_label", "peer_samples", "ratio"):
                item.pop(key)
        item["machine"] = meta
        items.append(item)
    return items


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"python": sys.version.split()[0], "platform": sys.platform,
            "cpus": os.cpu_count(), "load_average": load,
            "time": time.strftime("%Y-%m-%d %H:%M:%S")}


def new_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="wqg-bench-"))


def write_json(path: Path, results: list[Result], meta: dict[str, Any]) -> None:
    path.write_text(json.dumps(to_json(results, meta), ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
