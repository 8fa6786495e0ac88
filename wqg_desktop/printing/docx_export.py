"""Official documents as editable .docx: officers finish them in Word or WPS.

The same :class:`~wqg_desktop.printing.naming_notice.OfficialDocument` as the PDF, with the
customary faces by name (仿宋_GB2312/仿宋 body, 方正小标宋 or 宋体 title, 黑体 labels): Word
uses the office's installed fonts, so no font is embedded and nothing needs checking here.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from wqg_desktop.domain.chinese import chinese_date
from wqg_desktop.printing.naming_notice import OfficialDocument

RED = RGBColor(0xC7, 0x12, 0x17)
BODY_FACE = "仿宋"
TITLE_FACE = "宋体"
LABEL_FACE = "黑体"


def _run(paragraph, text: str, *, face: str = BODY_FACE, size: float = 16,  # type: ignore[no-untyped-def]
         color: RGBColor | None = None, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name = face
    run.font.size = Pt(size)
    run.font.bold = bold
    # East Asian text takes its face from w:eastAsia, not from w:ascii.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(document, text: str = "", *, align=None, indent: bool = False,  # type: ignore[no-untyped-def]
          **run_kw):
    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(32)
    if text:
        _run(p, text, **run_kw)
    return p


def write_docx(path: str | Path, doc: OfficialDocument) -> Path:
    """Write ``doc`` to ``path`` (.docx): A4, GB/T 9704 margins, numbered attachment lists."""
    path = Path(path)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    for issuer in doc.issuers:
        _para(document, issuer, align=center, face=TITLE_FACE, size=26, color=RED)
    if doc.document_no:
        _para(document, doc.document_no, align=center)
    _para(document, "━" * 21, align=center, color=RED, size=14)
    _para(document, doc.title, align=center, face=TITLE_FACE, size=22)
    _para(document, doc.addressees)
    for paragraph in (*doc.paragraphs, doc.supervision):
        _para(document, paragraph, indent=True)
    captions = doc.attachment_captions
    for n, caption in enumerate(captions, 1):
        head = "附件：" if n == 1 else "　　　"
        prefix = f"{n}、" if len(captions) > 1 else ""
        _para(document, f"{head}{prefix}{caption}", indent=True)
    _para(document)
    for issuer in doc.issuers:
        _para(document, issuer, align=right)
    _para(document, chinese_date(doc.signed_on), align=right)
    for n, attachment in enumerate(doc.attachments, 1):
        document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        _para(document, f"附件{n}" if len(doc.attachments) > 1 else "附件", face=LABEL_FACE)
        for line in attachment.title_lines:
            _para(document, line, align=center, face=TITLE_FACE, size=20)
        _para(document)
        for line in attachment.text_lines:
            _para(document, line)
        for i, name in enumerate(attachment.items, 1):
            _para(document, f"{i}、{name}", indent=True)
    document.core_properties.title = doc.title
    document.core_properties.author = "、".join(doc.issuers)
    document.save(str(path))
    return path
