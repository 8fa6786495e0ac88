"""Field positions of pre-printed certificate paper, and printer calibrations.

Part of :mod:`wqg_desktop.services.printing`; each save is one transaction.
"""

from __future__ import annotations

import json
from pathlib import Path

from wqg_desktop.db.models import PrinterCalibration, PrintLayout, database
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import certificate as cert_doc

DEFAULT_LAYOUT = "证书套打"


def load_fields(paper: str = "A4", name: str = DEFAULT_LAYOUT) -> dict[str, cert_doc.FieldSpec]:
    row = PrintLayout.get_or_none(PrintLayout.name == name)
    if row is None or row.paper != paper:
        return cert_doc.default_fields(paper, True)
    return cert_doc.fields_from_json(json.loads(row.fields or "{}"), paper, True)


def layout_background(name: str = DEFAULT_LAYOUT) -> str:
    row = PrintLayout.get_or_none(PrintLayout.name == name)
    return row.background if row else ""


def save_layout(*, fields: dict[str, cert_doc.FieldSpec], paper: str = "A4",
                background: str = "", name: str = DEFAULT_LAYOUT) -> PrintLayout:
    """Store the field positions of the pre-printed paper (checked against the paper first)."""
    cert_doc.check_fields(fields, paper, True)
    if background and not Path(background).is_file():
        raise InputRefused(f"找不到底图文件：{background}")
    data = json.dumps({k: v.as_dict() for k, v in fields.items()}, ensure_ascii=False)
    with database.atomic():
        row = PrintLayout.get_or_none(PrintLayout.name == name) or PrintLayout(name=name)
        row.paper, row.landscape, row.fields, row.background = paper, True, data, background
        row.save()
    return row


def calibration_for(printer: str) -> cert_doc.Calibration:
    row = PrinterCalibration.get_or_none(PrinterCalibration.printer == (printer or "").strip())
    if row is None:
        return cert_doc.Calibration()
    return cert_doc.Calibration(row.dx_mm, row.dy_mm, row.scale)


def save_calibration(*, printer: str, dx: float, dy: float, scale: float) -> PrinterCalibration:
    """Store one printer's offsets (mm) and scale; refused when out of range."""
    printer = (printer or "").strip()
    if not printer:
        raise InputRefused("请先选择要校准的打印机。")
    cert_doc.Calibration(dx, dy, scale)  # validates
    with database.atomic():
        row = (PrinterCalibration.get_or_none(PrinterCalibration.printer == printer)
               or PrinterCalibration(printer=printer))
        row.dx_mm, row.dy_mm, row.scale = float(dx), float(dy), float(scale)
        row.save()
    return row
