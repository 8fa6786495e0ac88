"""Thin adapters: other benchmark scripts' functions, measured by the harness.

``bench/bench_certificates.py`` prints its figures, but exposes the functions it times
(``items`` and ``plain_reportlab``), so the harness calls them here unchanged: our
certificate renderer against plain reportlab with the same fonts (issue 7: ≤ 1.2×), and the
preview of page 1 of the 1,000-page PDF through the program's own PDF loader (≤ 300 ms).
Scripts without such functions stay standalone (``python -m bench --scripts``).
"""

from __future__ import annotations

import importlib.util

from bench.harness import Benchmark, Context, stopwatch

#: Scripts measured here; ``python -m bench`` does not list them as standalone.
ADAPTS = ("bench_certificates.py",)
CERTIFICATES = 1_000
QUICK_CERTIFICATES = 100


def _available() -> bool:
    return importlib.util.find_spec("bench.bench_certificates") is not None


def _count(ctx: Context) -> int:
    return QUICK_CERTIFICATES if ctx.quick else CERTIFICATES


def certificates_setup(ctx: Context) -> None:
    from bench import bench_certificates as script
    from wqg_desktop.printing import fonts

    ctx.state["data"] = script.items(_count(ctx))
    fonts.get_chain("song")  # register the faces outside the timing, for both
    fonts.get_chain("hei")
    script.plain_reportlab(ctx.workdir / "warm.pdf", ctx.state["data"][:5])


def certificates(ctx: Context) -> float:
    from wqg_desktop.printing import certificate, layout

    layout.clear_caches()  # every round starts with empty text caches, as a new batch would
    target = ctx.workdir / "certificates.pdf"
    with stopwatch() as ms:
        certificate.render_certificates(target, ctx.state["data"], draft=False)
    ctx.record_cpu(ms.cpu_ms() / 1000)
    ctx.notes.append(f"{len(ctx.state['data'])} 张，{target.stat().st_size // 1024} KB")
    return ms() / 1000


def plain_certificates(ctx: Context) -> float:
    from bench import bench_certificates as script

    with stopwatch() as ms:
        script.plain_reportlab(ctx.workdir / "plain.pdf", ctx.state["data"])
    return ms() / 1000


def preview_setup(ctx: Context) -> None:
    from wqg_desktop.printing import certificate

    certificates_setup(ctx)
    ctx.state["pdf"] = ctx.workdir / "preview.pdf"
    certificate.render_certificates(ctx.state["pdf"], ctx.state["data"], draft=True)
    ctx.qt_app()


def preview(ctx: Context) -> float:
    """Open the PDF as the print dialog does and render page 1 at a fit-to-width size."""
    from PySide6.QtCore import QSize

    from wqg_desktop.ui.dialogs import print_output

    with stopwatch() as ms:
        document = print_output.open_document(ctx.state["pdf"])
        image = document.render(0, QSize(1100, 780))
    ctx.record_cpu(ms.cpu_ms())
    ctx.notes.append(f"{document.pageCount()} 页，第 1 页 {image.width()}×{image.height()}")
    document.close()
    return ms()


BENCHMARKS = [
    Benchmark(name="certificates.batch", label="证书批量生成 PDF", unit="s", target=None,
              target_ratio=1.2, run=certificates, peer=plain_certificates,
              peer_label="纯 reportlab 同字体", setup=certificates_setup, runs=3, issue=7, size="",
              note="1000 张（--quick 时 100 张），用 bench/bench_certificates.py 的函数"),
    Benchmark(name="certificates.preview", label="多页 PDF 预览第 1 页", unit="ms", target=300,
              run=preview, setup=preview_setup, issue=7, size="", note="1000 页（--quick 时 100 页），经 ui/dialogs/print_output.open_document"),
] if _available() else []
