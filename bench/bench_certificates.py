"""Benchmark: 1,000 naming certificates in one PDF, and the preview of its first page.

1. ``render_certificates`` (font-chain checks, text fitting, the decorated frame) against
   plain reportlab drawing the same pages with the same registered fonts and fixed positions
   (no checks, no fitting): the time of each and the ratio. The issue's goal is ≤ 1.2×.
2. Opening that 1,000-page PDF with QtPdf and rendering page 1 as the preview does (goal
   ≤ 300 ms). Skipped when PySide6-Pdf is missing.

Prints numbers only; run with ``python bench/bench_certificates.py [N]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("WQG_FONTS_ONLY_BUNDLED", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from wqg_desktop.printing import certificate as cert_doc  # noqa: E402
from wqg_desktop.printing import fonts  # noqa: E402
from wqg_desktop.printing import layout as lay  # noqa: E402

ROUNDS = 3
UNITS = ["海安县公安局城北中心派出所", "如皋市公安局刑警大队如城责任区刑侦中队",
         "南通市公安局水警支队长江治安管理大队一中队", "启东市公安局交巡警大队城区一中队",
         "南通市公安局崇川分局和平桥派出所", "南通市公安消防支队港闸大队唐闸中队"]


def items(n: int) -> list[cert_doc.CertificateData]:
    # Every name different, as in a real batch: no cache can make a page free.
    return cert_doc.sample_certificates([f"{UNITS[i % len(UNITS)]}第{i + 1}警务区" for i in range(n)])


def plain_reportlab(path: Path, data: list[cert_doc.CertificateData]) -> None:
    """The same pages with reportlab's own calls: fixed sizes, one face, no checks."""
    from reportlab.pdfgen.canvas import Canvas

    w, h = lay.paper_size("A4", landscape_=True)
    song, hei = fonts.primary_font("song"), fonts.primary_font("hei")
    canvas = Canvas(str(path), pagesize=(w, h), initialFontName=song)
    m = lay.mm
    for item in data:
        canvas.setStrokeColor(lay.SEAL_RED)
        canvas.setLineWidth(3.2)
        canvas.rect(m(12), m(12), w - m(24), h - m(24))
        canvas.setLineWidth(0.8)
        canvas.rect(m(15.2), m(15.2), w - m(30.4), h - m(30.4))
        canvas.setFillColor(lay.SEAL_RED)
        canvas.setFont(song, 46)
        canvas.drawCentredString(w / 2, h - m(48), "荣　誉　证　书")
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(song, 22)
        canvas.drawString(m(47.5), h - m(77), "授予")
        canvas.setFont(song, 30)
        canvas.drawCentredString(w / 2, h - m(98), item.unit_name)
        canvas.setFont(song, 24)
        canvas.drawCentredString(w / 2, h - m(124), item.honour)
        canvas.setFont(song, 17)
        canvas.drawCentredString(m(153), h - m(156), item.naming_bodies[0])
        canvas.drawCentredString(m(225), h - m(156), item.naming_bodies[1])
        canvas.drawCentredString(m(189), h - m(172), item.date_text)
        canvas.setFont(hei, 10.5)
        canvas.drawString(m(33), h - m(183), item.number_text)
        canvas.showPage()
    canvas.save()


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def preview_first_page(path: Path) -> None:
    try:
        from PySide6.QtCore import QSize
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtPdf import QPdfDocument
    except ImportError:
        print("QtPdf（PySide6-Pdf）未安装：跳过预览计时")
        return
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    start = time.perf_counter()
    document = QPdfDocument()
    document.load(str(path))
    loaded = time.perf_counter()
    image = document.render(0, QSize(1100, 780))  # a fit-to-width page on a 1366 screen
    done = time.perf_counter()
    print(f"预览：打开 {document.pageCount()} 页 PDF {1000 * (loaded - start):.0f} ms，"
          f"渲染第 1 页 {1000 * (done - loaded):.0f} ms，合计 {1000 * (done - start):.0f} ms"
          f"（图像 {image.width()}×{image.height()}）")
    document.close()
    del app


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    data = items(n)
    fonts.get_chain("song")  # register the faces outside the timing, for both
    fonts.get_chain("hei")
    with tempfile.TemporaryDirectory() as folder:
        ours, plain = Path(folder) / "ours.pdf", Path(folder) / "plain.pdf"
        plain_reportlab(plain, data[:5])  # warm-up: font subsetting tables
        # Alternate the two, best of ``ROUNDS``: the machine is shared, the minimum is the
        # run least disturbed by others. Each of our rounds starts with empty text caches.
        plain_times, our_times = [], []
        for _ in range(ROUNDS):
            plain_times.append(timed(lambda: plain_reportlab(plain, data)))
            lay.clear_caches()
            our_times.append(timed(lambda: cert_doc.render_certificates(ours, data, draft=False)))
        t_plain, t_ours = min(plain_times), min(our_times)
        print(f"纯 reportlab 绘制 {n} 张：{t_plain:.2f} s（各轮 "
              f"{'、'.join(f'{t:.2f}' for t in plain_times)}）")
        print(f"render_certificates 生成 {n} 张：{t_ours:.2f} s（各轮 "
              f"{'、'.join(f'{t:.2f}' for t in our_times)}）")
        print(f"比值：{t_ours / t_plain:.2f}×（目标 ≤ 1.2×）")
        print(f"文件大小：本程序 {ours.stat().st_size // 1024} KB，纯 reportlab "
              f"{plain.stat().st_size // 1024} KB")
        preview_first_page(ours)


if __name__ == "__main__":
    main()
