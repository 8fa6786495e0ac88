"""Printing as an officer does it: choose documents, render them, and log what was issued.

Choosing: by units (their titles), by a campaign (its named units), or by default every
certificate of this office's latest naming. Issuing: only a print to a printer or an explicit
定稿 (final) PDF issues a certificate; each certificate number is issued once and every later
final print of it is logged as a reprint (补印). Previews and command-line output without
``--final`` are drafts: logged as drafts, marked on the page, never counted.

Choosing lives in :mod:`~wqg_desktop.services.print_selection`, paper layouts and printer
calibrations in :mod:`~wqg_desktop.services.print_layouts`, issuing and the print log in
:mod:`~wqg_desktop.services.print_issuing`, the documents other than certificates in
:mod:`~wqg_desktop.services.print_documents`. Callers use this module: it names them all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from wqg_desktop.db.models import PrintLog, Title, database
from wqg_desktop.domain.chinese import Term
from wqg_desktop.domain.statuses import TitleKind
from wqg_desktop.errors import InputRefused, WqgError
from wqg_desktop.printing import certificate as cert_doc
from wqg_desktop.services.naming_region import (
    naming_bodies,
    naming_region,
    region_of_naming_body,
)
from wqg_desktop.services.print_documents import render_other
from wqg_desktop.services.print_issuing import (
    IssuePlan,
    check_numbers,
    issue_plan,
    number_missing,
    print_log,
    was_issued,
    write_log,
)
from wqg_desktop.services.print_layouts import (
    DEFAULT_LAYOUT,
    calibration_for,
    layout_background,
    load_fields,
    save_calibration,
    save_layout,
)
from wqg_desktop.services.print_selection import (
    Selection,
    certificate_titles,
    find_campaign,
    find_units,
    latest_campaign,
)

__all__ = [
    "CERTIFICATE_KINDS", "DEFAULT_LAYOUT", "KINDS", "IssuePlan", "PrintCancelled",
    "PrintOutcome", "Progress", "Selection", "calibration_for", "certificate_data",
    "certificate_titles", "find_campaign", "find_units", "final_plan", "latest_campaign",
    "layout_background", "load_fields", "naming_bodies", "naming_region", "print_log",
    "produce", "region_of_naming_body", "save_calibration", "save_layout", "was_issued",
]

#: ``progress(done, total, text)``, as :func:`wqg_desktop.exchange.package.export_package`'s.
Progress = cert_doc.Progress

#: Document kinds, in the order menus and ``wqg print --help`` list them.
KINDS: dict[str, str] = {
    "certificate": "命名证书（含示范单位证书）",
    "alignment": "套打对位测试页",
    "plaque": "牌匾样稿（实际尺寸，交制作单位）",
    "plaque-proof": "牌匾校样（A4，标注尺寸）",
    "naming-notice": "命名决定（含附件名单）",
    "publicity-notice": "公示（含附件名单）",
    "commitment-board": "服务承诺公示牌",
    "contact-card": "联系卡（名片大小，每张A4十张，带裁切线）",
    "application-form": "申报表",
    "statistics": "覆盖率与称号统计（含图表）",
}
CERTIFICATE_KINDS = ("certificate",)


@dataclass
class PrintOutcome:
    """What a print produced: the file, its pages, and the log rows it wrote."""

    path: Path
    pages: int
    final: bool
    logged: list[PrintLog] = field(default_factory=list)

    @property
    def reprints(self) -> int:
        return sum(1 for row in self.logged if row.reprint)


class PrintCancelled(WqgError):
    """Raised by a caller's ``progress`` to stop: :func:`produce` then leaves no file and
    logs nothing."""

    def __init__(self, message: str = "已取消：没有生成文件，也没有登记证书发放。") -> None:
        super().__init__(message)


# ---------------------------------------------------------------------------------------------
# What a certificate says
# ---------------------------------------------------------------------------------------------


def certificate_data(title: Title) -> cert_doc.CertificateData:
    return cert_doc.CertificateData(
        unit_name=title.unit_name or title.unit.name,
        term=Term(title.term_start),
        region=naming_region(title),
        naming_bodies=naming_bodies(title),
        issued_on=title.named_on or dt.date.today(),
        certificate_no=title.certificate_no,
        demonstration=title.kind == TitleKind.DEMONSTRATION,
        title_uuid=title.uuid,
    )


# ---------------------------------------------------------------------------------------------
# Producing documents
# ---------------------------------------------------------------------------------------------


def final_plan(selection: Selection | None = None) -> IssuePlan:
    """What a final print of the selection's certificates would log (how many 补印), without
    logging or numbering anything: for the question asked before a 定稿 is saved."""
    return issue_plan(certificate_titles(selection or Selection()))


def produce(kind: str, *, out: Path | str, selection: Selection | None = None,
            final: bool = False, layout: str = "full", paper: str = "A4", printer: str = "",
            copies: int = 1, title_text: str = "荣誉证书", preview_background: bool = False,
            today: dt.date | None = None, document_no: str = "",
            log: bool = True, progress: Progress | None = None) -> PrintOutcome:
    """Render one document kind to a PDF (or .docx for notices) and log it.

    ``log=False`` renders a draft without writing anything (a database opened read-only);
    an issue (``final``) is always logged, so it is refused then.

    ``final``: this is an issue (a print to ``printer`` or a 定稿 PDF): unnumbered titles get
    their number, each certificate is logged as issued or as a reprint, all in one
    transaction with the rendering — a failed render issues nothing. ``document_no``: the
    发文字号 of a naming decision or 公示 (default: the campaign's, for the decision).

    ``progress(done, total, text)`` is told as pages are drawn (every few pages for
    certificates, before and after for the other kinds). Whatever fails or stops the work
    (an error, or :class:`PrintCancelled` raised by ``progress``) rolls the log back and
    removes the file written here: nothing is left half-done.
    """
    if kind not in KINDS:
        raise InputRefused(f"未知的文档种类“{kind}”。可选：{'、'.join(KINDS)}")
    if copies < 1 or copies > 99:
        raise InputRefused("份数应在 1 到 99 之间。")
    if final and not log:
        raise InputRefused("只读打开，不能修改：只能预览或保存草稿，定稿和打印会登记证书发放。")
    out = Path(out)
    before, written = _stamp(out), [False]
    try:
        return _produce(kind, out=out, selection=selection or Selection(), final=final,
                        layout=layout, paper=paper, printer=printer, copies=copies,
                        title_text=title_text, preview_background=preview_background,
                        today=today, document_no=document_no, log=log,
                        step=progress or (lambda *_: None), written=written)
    except BaseException:
        # Written (or half written) by this call and not logged: not a document to keep.
        # The stamp catches a write that failed half way; the flag, an overwrite that a
        # coarse file-system clock (FAT on a USB stick) would show unchanged.
        if written[0] or _stamp(out) != before:
            out.unlink(missing_ok=True)
        raise


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _produce(kind: str, *, out: Path, selection: Selection, final: bool, layout: str,
             paper: str, printer: str, copies: int, title_text: str,
             preview_background: bool, today: dt.date | None, document_no: str, log: bool,
             step: Progress, written: list[bool]) -> PrintOutcome:
    target = printer or str(out)
    with database.atomic():
        if kind in CERTIFICATE_KINDS:
            titles = certificate_titles(selection)
            step(0, len(titles), f"正在准备 {len(titles)} 份证书……")
            check_numbers(titles)
            if final:
                number_missing(titles)
            items = [certificate_data(t) for t in titles]
            cal = calibration_for(printer) if layout == "overlay" else None
            background = layout_background() if (preview_background and not final) else ""
            report = cert_doc.render_certificates(
                out, items, layout=layout, paper=paper, title_text=title_text,
                fields=load_fields(paper) if layout == "overlay" else None, calibration=cal,
                background=background if background and Path(background).is_file() else None,
                draft=not final, progress=step)
            written[0] = True
            if log:
                step(len(titles), len(titles), "正在登记证书发放……" if final else "正在登记……")
            logged = write_log(kind, final=final, target=target, copies=copies, layout=layout,
                               document_title=KINDS[kind], titles=titles) if log else []
            return PrintOutcome(path=out, pages=report.pages, final=final, logged=logged)
        step(0, 1, f"正在生成{KINDS[kind]}……")
        if kind == "alignment":
            cert_doc.render_alignment_page(out, paper=paper, fields=load_fields(paper),
                                           calibration=calibration_for(printer))
            pages = 1
        else:
            pages = render_other(kind, out, selection, today or dt.date.today(), document_no)
        written[0] = True
        step(1, 1, "正在登记……" if log else "已生成。")
        logged = write_log(kind, final=final, target=target, copies=copies, layout=layout,
                           document_title=KINDS[kind]) if log else []
        return PrintOutcome(path=out, pages=pages, final=final, logged=logged)
