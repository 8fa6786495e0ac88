"""Draw the program icon — 维权岗 in white on a red seal-like square — into resources/icons/.

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

Writes wqg-desktop.svg (the characters as outlines, so it needs no font where it is shown),
wqg-desktop-{16,32,48,64,128,256}.png and a Windows wqg-desktop.ico holding the PNG sizes.
The characters come from the bundled 文泉驿微米黑 (resources/fonts), so the icon is the same on
every machine. The generated files are committed; run this again only to change the design.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
SIZES = (16, 32, 48, 64, 128, 256)
RED, GOLD, WHITE = "#b3121f", "#f2c14e", "#ffffff"
#: Three characters are unreadable below this size: the small icons show 岗 alone.
SMALL = 48
#: Outline width of the characters, as a share of the icon's side.
STROKE = 0.012


def _text_path(family: str, text: str, box: QRectF) -> QPainterPath:
    """``text`` as outlines, scaled to fill ``box`` (centred, aspect kept)."""
    font = QFont(family)
    font.setPixelSize(100)
    font.setBold(True)
    path = QPainterPath()
    path.addText(QPointF(0, 0), font, text)
    bounds = path.boundingRect()
    scale = min(box.width() / bounds.width(), box.height() / bounds.height())
    t = QTransform()
    t.translate(box.center().x(), box.center().y())
    t.scale(scale, scale)
    t.translate(-bounds.center().x(), -bounds.center().y())
    return t.map(path)


def _shapes(family: str, size: float, text: str) -> tuple[QRectF, QRectF, float, QPainterPath]:
    margin = size * 0.04
    outer = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    inset = size * 0.09
    inner = outer.adjusted(inset, inset, -inset, -inset)
    radius = size * 0.16
    pad = size * (0.05 if len(text) > 1 else 0.07)
    glyphs = _text_path(family, text, inner.adjusted(pad, pad, -pad, -pad))
    return outer, inner, radius, glyphs


def render_png(family: str, size: int) -> QImage:
    text = "维权岗" if size >= SMALL else "岗"
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    outer, inner, radius, glyphs = _shapes(family, size, text)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(RED))
    painter.drawRoundedRect(outer, radius, radius)
    if size >= SMALL:
        pen = QPen(QColor(GOLD), max(1.0, size * 0.025))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(inner, radius * 0.5, radius * 0.5)
    # A thin outline of the same white thickens the strokes: the face has no bold weight.
    painter.setPen(QPen(QColor(WHITE), size * STROKE) if size >= SMALL else Qt.PenStyle.NoPen)
    painter.setBrush(QColor(WHITE))
    painter.drawPath(glyphs)
    painter.end()
    return image


def _svg_path(path: QPainterPath) -> str:
    parts: list[str] = []
    i, n = 0, path.elementCount()
    while i < n:
        e = path.elementAt(i)
        if e.type == QPainterPath.ElementType.MoveToElement:
            parts.append(f"M{e.x:.2f} {e.y:.2f}")
        elif e.type == QPainterPath.ElementType.LineToElement:
            parts.append(f"L{e.x:.2f} {e.y:.2f}")
        elif e.type == QPainterPath.ElementType.CurveToElement:
            c2, end = path.elementAt(i + 1), path.elementAt(i + 2)
            parts.append(f"C{e.x:.2f} {e.y:.2f} {c2.x:.2f} {c2.y:.2f} {end.x:.2f} {end.y:.2f}")
            i += 2
        i += 1
    return "".join(parts)


def render_svg(family: str, size: int = 256) -> str:
    outer, inner, radius, glyphs = _shapes(family, size, "维权岗")
    glyphs.setFillRule(Qt.FillRule.WindingFill)

    def rect(r: QRectF, rx: float, style: str) -> str:
        return (f'<rect x="{r.x():.2f}" y="{r.y():.2f}" width="{r.width():.2f}" '
                f'height="{r.height():.2f}" rx="{rx:.2f}" {style}/>')

    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}">',
        "  <title>维权岗</title>",
        "  " + rect(outer, radius, f'fill="{RED}"'),
        "  " + rect(inner, radius * 0.5, f'fill="none" stroke="{GOLD}" stroke-width="{size * 0.025:.2f}"'),
        f'  <path fill="{WHITE}" fill-rule="nonzero" stroke="{WHITE}" '
        f'stroke-width="{size * STROKE:.2f}" stroke-linejoin="round" d="{_svg_path(glyphs)}"/>',
        "</svg>",
        "",
    ])


def _png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def write_ico(path: Path, images: dict[int, QImage]) -> None:
    """An .ico whose entries are PNGs (read by Windows Vista and later, and by NSIS)."""
    blobs = [(size, _png_bytes(images[size])) for size in sorted(images)]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = len(header) + 16 * len(blobs)
    directory, body = b"", b""
    for size, blob in blobs:
        side = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        body += blob
    path.write_bytes(header + directory + body)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts need it
    font_id = QFontDatabase.addApplicationFont(str(FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        sys.stderr.write(f"无法加载字体 {FONT}\n")
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    images = {size: render_png(families[0], size) for size in SIZES}
    for size, image in images.items():
        image.save(str(OUT / f"wqg-desktop-{size}.png"), "PNG")
    (OUT / "wqg-desktop.svg").write_text(render_svg(families[0]), encoding="utf-8")
    write_ico(OUT / "wqg-desktop.ico", {s: images[s] for s in (16, 32, 48, 256)})
    sys.stdout.write(f"图标已写入 {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
