"""PDF preview (QtPdf) and printing a PDF to a real printer, page by page, on white.

QtPdf comes in the separate PySide6-Pdf wheel; it is imported lazily so the program still
starts, saves PDFs and prints through the command line where it is missing. Printing renders
each page with :meth:`QPdfDocument.render` at the printer's resolution (300–600 dpi) onto a
white image and paints it at the paper's full size: the page's own millimetres (and the
printer calibration already applied to the PDF) land where they were measured.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

MISSING_QTPDF = ("预览需要 PySide6-Pdf 组件（QtPdf），本机未安装，因此无法在程序内预览。"
                 "仍可“保存 PDF”后用其他阅读器查看，或直接打印。"
                 "安装方法：pip install PySide6-Pdf")


def qtpdf_available() -> bool:
    try:
        import PySide6.QtPdf  # noqa: F401
        import PySide6.QtPdfWidgets  # noqa: F401
    except ImportError:
        return False
    return True


def open_document(path: Path, parent: QWidget | None = None):  # type: ignore[no-untyped-def]
    """A loaded QPdfDocument (raises ImportError without QtPdf, OSError when unreadable)."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(parent)
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_:
        raise OSError(f"无法读取 PDF：{path}（{error.name}）")
    return document


def make_view(parent: QWidget):  # type: ignore[no-untyped-def]
    """A multi-page, fit-to-width QPdfView."""
    from PySide6.QtPdfWidgets import QPdfView

    view = QPdfView(parent)
    view.setPageMode(QPdfView.PageMode.MultiPage)
    view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
    view.setPageSpacing(12)
    return view


def print_pdf(path: Path, printer: QPrinter, *, dpi: int = 300,
              progress: Callable[[int, int], bool] | None = None) -> int:
    """Print every page of ``path`` on ``printer``; return pages printed.

    ``progress(done, total)`` is called before each page and may return False to stop.
    """
    document = open_document(path)
    try:
        total = document.pageCount()
        dpi = max(300, min(600, dpi))
        printer.setResolution(dpi)
        printer.setFullPage(True)  # coordinates from the paper's corner, not the margins
        painter = QPainter()
        done = 0
        for page in range(total):
            if progress is not None and not progress(page, total):
                break
            points = document.pagePointSize(page)
            wide = points.width() > points.height()
            short, long_ = sorted((points.width(), points.height()))
            # Qt matches the size to A4/A3 itself; the orientation is given separately.
            size = QPageSize(QSizeF(short, long_), QPageSize.Unit.Point)
            orientation = (QPageLayout.Orientation.Landscape if wide
                           else QPageLayout.Orientation.Portrait)
            printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))
            if page == 0:
                if not painter.begin(printer):
                    raise OSError("无法开始打印：打印机不可用。")
            elif not printer.newPage():
                raise OSError("打印机拒绝了下一页。")
            pixels = (round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = QImage(pixels[0], pixels[1], QImage.Format.Format_ARGB32)
            image.fill(QColor(Qt.GlobalColor.white))
            rendered = document.render(page, image.size())
            canvas = QPainter(image)
            canvas.drawImage(0, 0, rendered)
            canvas.end()
            target = painter.viewport()
            painter.drawImage(target, image)
            done += 1
        if painter.isActive():
            painter.end()
        return done
    finally:
        document.close()
