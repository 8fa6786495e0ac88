"""Naming certificates (命名证书/奖状) and 示范单位 certificates, on blank or pre-printed paper.

The wording is DOMAIN rule 4, produced by :func:`wqg_desktop.domain.chinese.title_wording`:
授予 <unit name on the naming date> <term><region of the naming level>“青少年维权岗”称号, with
the naming bodies (room for each seal), the date in Chinese numerals (〇, never the letter O)
and the certificate number at the foot.

Two layouts:

- ``full``: the whole certificate on blank paper (A4/A3 landscape): frame, red title, text.
- ``overlay`` (套打): only the variable fields, each in a box whose position (mm from the
  paper's top-left corner) comes from the office's :class:`PrintLayout`, moved by the
  printer's calibration (offsets, scale). An optional scanned image of the blank paper is
  drawn underneath in previews only.

Every text is checked against the fonts for all certificates of a batch before the first
page is drawn: one unprintable name stops the batch with a message naming it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from reportlab.lib.colors import black

from wqg_desktop.domain.chinese import POST_NAME, Term, chinese_date, title_wording
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import layout as lay

TITLE_TEXTS = ("荣誉证书", "证书")

#: ``progress(done, total, text)``: pages drawn so far, pages in all, what is happening now.
Progress = Callable[[int, int, str], None]
#: Pages between two progress reports: a page takes about half a millisecond, and a report
#: may repaint a dialog, which costs more than that.
PROGRESS_EVERY = 10


@dataclass(frozen=True)
class CertificateData:
    """What one certificate says. ``unit_name`` is the name on the naming date."""

    unit_name: str
    term: Term
    region: str
    naming_bodies: tuple[str, ...]
    issued_on: dt.date
    certificate_no: str = ""
    demonstration: bool = False
    title_uuid: str = ""

    @property
    def wording(self) -> str:
        return title_wording(self.unit_name, self.term, self.region, self.demonstration)

    @property
    def honour(self) -> str:
        """The part after the unit name: 2011—2012年度南通市“青少年维权岗”称号."""
        what = "创建活动示范单位称号" if self.demonstration else "称号"
        return f"{self.term.label}{self.region}{POST_NAME}{what}"

    @property
    def date_text(self) -> str:
        return chinese_date(self.issued_on)

    @property
    def number_text(self) -> str:
        return f"证书编号：{self.certificate_no}" if self.certificate_no else "证书编号：（定稿时编号）"

    def texts(self) -> list[tuple[str, str]]:
        """Every text printed, labelled for the coverage check's message."""
        return [("单位名称", self.unit_name), ("称号", self.honour),
                *[("命名单位", b) for b in self.naming_bodies],
                ("证书编号", self.certificate_no)]


# ---------------------------------------------------------------------------------------------
# Field positions for pre-printed paper
# ---------------------------------------------------------------------------------------------

#: Variable fields of the overlay layout, with their Chinese names (calibration dialog).
FIELD_LABELS: dict[str, str] = {
    "award_text": "授予语（整句）",
    "unit_name": "单位名称",
    "honour": "年度及称号",
    "naming_bodies": "命名单位",
    "issue_date": "日期",
    "certificate_no": "证书编号",
}


@dataclass
class FieldSpec:
    """One field's box on the paper: top-left corner and size in mm, font size in pt."""

    x: float
    y: float
    w: float
    h: float
    size: float = 16.0
    align: lay.Align = "centre"
    enabled: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h, "size": self.size,
                "align": self.align, "enabled": self.enabled}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FieldSpec:
        align = data.get("align", "centre")
        if align not in ("left", "centre", "right"):
            align = "centre"
        return cls(x=float(data["x"]), y=float(data["y"]), w=float(data["w"]),
                   h=float(data["h"]), size=float(data.get("size", 16)), align=align,
                   enabled=bool(data.get("enabled", True)))


def default_fields(paper: str = "A4", landscape: bool = True) -> dict[str, FieldSpec]:
    """Field boxes for the common pre-printed certificate (title and frame already printed)."""
    w, h = lay.paper_size(paper, landscape_=landscape)
    wm, hm = lay.to_mm(w), lay.to_mm(h)
    k = wm / 297.0  # A3 is A4 scaled by √2, and so are the boxes
    def r(value: float) -> float:  # half millimetres: what a ruler reads
        return round(value * 2) / 2

    boxes = {
        "award_text": (0.16 * wm, 0.36 * hm, 0.68 * wm, 0.22 * hm, 24 * k, "left", False),
        "unit_name": (0.13 * wm, 0.40 * hm, 0.74 * wm, 15 * k, 26 * k, "centre", True),
        "honour": (0.13 * wm, 0.50 * hm, 0.74 * wm, 11 * k, 20 * k, "centre", True),
        "naming_bodies": (0.46 * wm, 0.70 * hm, 0.44 * wm, 9 * k, 16 * k, "centre", True),
        "issue_date": (0.46 * wm, 0.80 * hm, 0.44 * wm, 8 * k, 15 * k, "centre", True),
        "certificate_no": (0.10 * wm, 0.86 * hm, 0.36 * wm, 6 * k, 10.5 * k, "left", True),
    }
    return {name: FieldSpec(r(x), r(y), r(w), r(h), r(size), align, enabled)  # type: ignore[arg-type]
            for name, (x, y, w, h, size, align, enabled) in boxes.items()}


def fields_from_json(data: dict[str, Any] | None, paper: str = "A4",
                     landscape: bool = True) -> dict[str, FieldSpec]:
    """Stored positions over the defaults (a field missing from storage keeps its default)."""
    fields = default_fields(paper, landscape)
    for name, spec in (data or {}).items():
        if name in fields:
            try:
                fields[name] = FieldSpec.from_dict(spec)
            except (KeyError, TypeError, ValueError):
                continue
    return fields


def check_fields(fields: dict[str, FieldSpec], paper: str, landscape: bool) -> None:
    """Refuse boxes that leave the paper or have no size (before anything is printed)."""
    w, h = lay.paper_size(paper, landscape_=landscape)
    wm, hm = lay.to_mm(w), lay.to_mm(h)
    for name, spec in fields.items():
        if not spec.enabled:
            continue
        label = FIELD_LABELS.get(name, name)
        if spec.w <= 0 or spec.h <= 0 or spec.size <= 0:
            raise InputRefused(f"套打位置“{label}”的宽度、高度和字号都必须大于 0。")
        if spec.x < 0 or spec.y < 0 or spec.x + spec.w > wm + 0.01 or spec.y + spec.h > hm + 0.01:
            raise InputRefused(
                f"套打位置“{label}”超出了纸张（{paper} {wm:.0f}×{hm:.0f} 毫米）：请调整"
                f"左边距、上边距或宽高，使 {spec.x:.1f}+{spec.w:.1f} ≤ {wm:.0f}、"
                f"{spec.y:.1f}+{spec.h:.1f} ≤ {hm:.0f}。")


@dataclass(frozen=True)
class Calibration:
    """A printer's correction: offsets right/down in mm, and scale (1.0 = none)."""

    dx: float = 0.0
    dy: float = 0.0
    scale: float = 1.0

    def __post_init__(self) -> None:
        if not 0.8 <= self.scale <= 1.2:
            raise InputRefused("缩放比例应在 0.80 到 1.20 之间（1.00 表示不缩放）。")
        if abs(self.dx) > 50 or abs(self.dy) > 50:
            raise InputRefused("偏移量不能超过 ±50 毫米：请检查纸张是否放正。")


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


@dataclass
class RenderReport:
    """What was drawn: pages, and per page the laid-out fields (tests read positions here)."""

    pages: int = 0
    fields: list[dict[str, lay.FittedText]] = field(default_factory=list)


def render_certificates(
    target: str | Path | IO[bytes],
    items: Sequence[CertificateData],
    *,
    layout: str = "full",
    paper: str = "A4",
    title_text: str = "荣誉证书",
    fields: dict[str, FieldSpec] | None = None,
    calibration: Calibration | None = None,
    background: str | Path | None = None,
    draft: bool = True,
    progress: Progress | None = None,
) -> RenderReport:
    """Draw one page per certificate into ``target`` (a path or a binary stream).

    ``background`` is only for previews of the overlay layout: pass it for the screen, never
    for paper or a 定稿 PDF. ``progress`` is told every :data:`PROGRESS_EVERY` pages; an
    exception it raises stops the batch before the file is written.
    """
    if not items:
        raise InputRefused("没有可打印的证书：请先选择已命名的单位或创建活动。")
    if layout not in ("full", "overlay"):
        raise InputRefused(f"未知的版式“{layout}”：只能是 full（整张打印）或 overlay（套打）。")
    if title_text not in TITLE_TEXTS:
        raise InputRefused("证书标题只能是“荣誉证书”或“证书”。")
    total = len(items)
    if progress is not None:
        progress(0, total, f"正在检查 {total} 份证书的文字……")
    for item in items:  # all of them, before the first page: never half a batch
        lay.ensure_printable([(f"{label}（{item.unit_name}）", text)
                            for label, text in item.texts()])
    landscape = True
    pagesize = lay.paper_size(paper, landscape_=landscape)
    cal = calibration or Calibration()
    if layout == "overlay":
        fields = fields or default_fields(paper, landscape)
        check_fields(fields, paper, landscape)
        sheet = lay.Sheet(*pagesize, dx=cal.dx, dy=cal.dy, scale=cal.scale)
    else:
        sheet = lay.Sheet(*pagesize)
    canvas = lay.new_canvas(target, pagesize, title="“青少年维权岗”证书",
                          subject="草稿" if draft else "定稿")
    report = RenderReport()
    # Frame and title: drawn once into a form, placed on every page; the boxes: worked out once.
    static = _static_form(canvas, sheet, title_text) if layout == "full" else ""
    page = _FullPage.of(sheet) if layout == "full" else None
    for done, item in enumerate(items, 1):
        if page is not None:
            canvas.doForm(static)
            placed = _draw_full(canvas, sheet, page, item, draft)
        else:
            if background:
                canvas.drawImage(str(background), 0, 0, sheet.width, sheet.height,
                                 preserveAspectRatio=False, mask="auto")
            placed = _draw_overlay(canvas, sheet, item, fields or {})
        if draft:
            lay.draft_mark(canvas, lay.Sheet(*pagesize))
        report.fields.append(placed)
        report.pages += 1
        canvas.showPage()
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total, f"正在生成证书：第 {done} / {total} 页……")
    if progress is not None:
        progress(total, total, "正在写入 PDF 文件……")
    canvas.save()
    return report


def _static_form(canvas: Any, sheet: lay.Sheet, title_text: str) -> str:
    name = f"certstatic{TITLE_TEXTS.index(title_text)}"
    canvas.beginForm(name)
    k = sheet.width / lay.mm(297)
    margin = lay.mm(12) * k
    lay.draw_frame(canvas, sheet.page.inset(margin))
    spaced = "　".join(title_text) if len(title_text) <= 2 else "  ".join(title_text)
    lay.draw_line(canvas, spaced, sheet.width / 2, sheet.height - lay.mm(48) * k, 46 * k,
                role="hei" if title_text == "证书" else "song", align="centre",
                color=lay.SEAL_RED)
    canvas.endForm()
    return name


@dataclass
class _FullPage:
    """The full layout's boxes, the same on every page of a batch: worked out once per batch."""

    k: float  # A3 is A4 scaled by √2, and so is everything on it
    grant: lay.FittedText
    unit_name: lay.Box
    honour: lay.Box
    certificate_no: lay.Box
    #: Per number of naming bodies: each body's seal centre and box, then the date's box.
    foot: dict[int, tuple[tuple[tuple[float, float, lay.Box], ...], lay.Box]]

    @classmethod
    def of(cls, sheet: lay.Sheet) -> _FullPage:
        k = sheet.width / lay.mm(297)
        wm, hm = lay.to_mm(sheet.width), lay.to_mm(sheet.height)
        grant = lay.fit_text("授予", sheet.box(0.16 * wm, 0.33 * hm, 40 * k, 12 * k),
                             start=22 * k, minimum=14 * k, align="left")
        return cls(k, grant, sheet.box(0.13 * wm, 0.41 * hm, 0.74 * wm, 24 * k),
                   sheet.box(0.13 * wm, 0.56 * hm, 0.74 * wm, 12 * k),
                   sheet.box(0.11 * wm, 0.855 * hm, 0.34 * wm, 6 * k), {})

    def foot_for(self, sheet: lay.Sheet, count: int
                 ) -> tuple[tuple[tuple[float, float, lay.Box], ...], lay.Box]:
        """Naming bodies side by side along the foot, each centred under room for its seal."""
        if count not in self.foot:
            k = self.k
            wm, hm = lay.to_mm(sheet.width), lay.to_mm(sheet.height)
            left, right = (0.40 * wm, 0.88 * wm) if count <= 2 else (0.14 * wm, 0.88 * wm)
            slot = (right - left) / count
            slots = []
            for i in range(count):
                x0 = left + i * slot
                cx, cy = sheet.point(x0 + slot / 2, 0.73 * hm)
                slots.append((cx, cy, sheet.box(x0 + 2 * k, 0.71 * hm, slot - 4 * k, 9 * k)))
            self.foot[count] = (tuple(slots), sheet.box(left, 0.80 * hm, right - left, 9 * k))
        return self.foot[count]


def _draw_full(canvas: Any, sheet: lay.Sheet, page: _FullPage, item: CertificateData,
               draft: bool) -> dict[str, lay.FittedText]:
    k = page.k
    placed: dict[str, lay.FittedText] = {}
    lay.draw_fitted(canvas, page.grant)
    placed["unit_name"] = lay.draw_in_box(
        canvas, item.unit_name, page.unit_name,
        start=30 * k, minimum=18 * k, align="centre", valign="middle", max_lines=2)
    placed["honour"] = lay.draw_in_box(
        canvas, item.honour, page.honour,
        start=24 * k, minimum=14 * k, align="centre", valign="middle")
    bodies = item.naming_bodies or ("",)
    slots, date_box = page.foot_for(sheet, len(bodies))
    for i, (body, (cx, cy, box)) in enumerate(zip(bodies, slots, strict=True)):
        if draft:
            lay.draw_seal_space(canvas, cx, cy, diameter_mm=40 * k)
        if body:
            placed[f"naming_body_{i}"] = lay.draw_in_box(
                canvas, body, box,
                start=17 * k, minimum=10 * k, align="centre", valign="middle", max_lines=2)
    placed["issue_date"] = lay.draw_in_box(
        canvas, item.date_text, date_box,
        start=17 * k, minimum=12 * k, align="centre", valign="middle")
    placed["certificate_no"] = lay.draw_in_box(
        canvas, item.number_text, page.certificate_no,
        start=10.5 * k, minimum=8, align="left", valign="middle")
    return placed


def _overlay_text(name: str, item: CertificateData) -> str:
    return {
        "award_text": item.wording,
        "unit_name": item.unit_name,
        "honour": item.honour,
        "naming_bodies": "　　".join(item.naming_bodies),
        "issue_date": item.date_text,
        "certificate_no": item.certificate_no,
    }[name]


def _draw_overlay(canvas: Any, sheet: lay.Sheet, item: CertificateData,
                  fields: dict[str, FieldSpec]) -> dict[str, lay.FittedText]:
    placed: dict[str, lay.FittedText] = {}
    for name, spec in fields.items():
        if not spec.enabled or name not in FIELD_LABELS:
            continue
        text = _overlay_text(name, item)
        if not text:
            continue
        size = spec.size * sheet.scale
        placed[name] = lay.draw_in_box(
            canvas, text, sheet.box(spec.x, spec.y, spec.w, spec.h), start=size,
            minimum=min(size, max(8.0, size * 0.6)), align=spec.align, valign="top",
            color=black)
    return placed


def render_alignment_page(
    target: str | Path | IO[bytes],
    *,
    paper: str = "A4",
    fields: dict[str, FieldSpec] | None = None,
    calibration: Calibration | None = None,
) -> RenderReport:
    """The alignment test page: a ruler grid and each field's box, through the calibration.

    Print it on plain paper, lay it over a blank certificate against the light, and read off
    how far the boxes are from where they should be.
    """
    pagesize = lay.paper_size(paper, landscape_=True)
    cal = calibration or Calibration()
    sheet = lay.Sheet(*pagesize, dx=cal.dx, dy=cal.dy, scale=cal.scale)
    fields = fields or default_fields(paper, True)
    check_fields(fields, paper, True)
    canvas = lay.new_canvas(target, pagesize, title="套打对位测试页")
    lay.ruler_grid(canvas, sheet)
    canvas.setStrokeColor(lay.SEAL_RED)
    canvas.setLineWidth(0.6)
    for name, spec in fields.items():
        if not spec.enabled:
            continue
        box = sheet.box(spec.x, spec.y, spec.w, spec.h)
        canvas.rect(box.x, box.y, box.w, box.h)
        lay.draw_line(canvas, f"{FIELD_LABELS[name]}（{spec.x:.1f}，{spec.y:.1f}）",
                    box.x + 2, box.top - 9, 8, role="hei", color=lay.SEAL_RED)
    note = (f"套打对位测试页　{paper} 横向　偏移：右 {cal.dx:+.1f} 毫米，下 {cal.dy:+.1f} 毫米"
            f"　缩放 {cal.scale:.3f}　用直尺量：刻度 0 应与纸边对齐，100 毫米应为 100 毫米")
    lay.draw_line(canvas, note, sheet.width / 2, lay.mm(6), 8, role="hei", align="centre",
                max_width=sheet.width - lay.mm(20))
    canvas.showPage()
    canvas.save()
    return RenderReport(pages=1)


def sample_certificates(texts: Iterable[str], *, term: int = 2011, region: str = "南通市",
                        bodies: tuple[str, ...] = ("共青团南通市委", "南通市公安局"),
                        issued_on: dt.date = dt.date(2012, 8, 8)) -> list[CertificateData]:
    """Certificates for given unit names (benchmarks and previews of a layout)."""
    return [CertificateData(unit_name=t, term=Term(term), region=region, naming_bodies=bodies,
                            issued_on=issued_on, certificate_no=f"通维权〔{issued_on.year}〕第{i:03d}号")
            for i, t in enumerate(texts, 1)]
