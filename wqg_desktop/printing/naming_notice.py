"""The naming decision (命名决定) and the official-document layout it shares with the 公示.

An official document as the seed's notice is laid out: the issuing bodies in red over a red
rule, the document number (发文字号, e.g. 通公发〔2012〕88号), the title, the addressees, the
body with the rule text, the attachment list, the 12355 supervision line, the issuing bodies
and the date in Chinese numerals; then each attachment on its own page, numbered like the
seed's 附件2 and 附件3 (``1、如东县公安局掘港派出所``).

:class:`OfficialDocument` is plain data, so the same document is drawn as a PDF here and
written as an editable .docx by :mod:`wqg_desktop.printing.docx_export`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from reportlab.lib.colors import Color, black
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
)

from wqg_desktop.domain.chinese import POST_NAME, Term, chinese_date
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import fonts
from wqg_desktop.printing import layout as lay

SUPERVISION_LINE = ("“12355”为统一的“青少年维权岗”监督热线，欢迎社会各界对"
                    "“青少年维权岗”及创建单位进行监督。")
RULE_TEXT = ("“青少年维权岗”单位由创建活动领导小组定期或不定期组织复核。复核合格的，继续保留相应"
             "称号；复核不合格的，实行为期一年的整改，整改期满考核仍不合格的，取消称号并摘牌。"
             "因工作性质或工作内容变更，不再从事涉及青少年权益相关工作的，其称号自动取消；"
             "有违反国家法律法规现象或主要负责人受刑事处罚、发生严重影响行业(系统)形象的重大"
             "工作失误或在创建命名过程中弄虚作假的，经查属实，由原命名单位直接撤销其称号，"
             "摘除并收回牌匾。")


@dataclass
class AttachmentList:
    """An attachment: its title lines and the numbered items (unit names)."""

    title_lines: tuple[str, ...]
    items: tuple[str, ...]
    #: a pre-drawn attachment (the leading group list): flowables for the PDF, and the same
    #: content as plain lines for the .docx
    flowables: list[Flowable] = field(default_factory=list)
    text_lines: tuple[str, ...] = ()


@dataclass
class OfficialDocument:
    issuers: tuple[str, ...]
    document_no: str
    title: str
    addressees: str
    paragraphs: tuple[str, ...]
    signed_on: dt.date
    attachments: list[AttachmentList] = field(default_factory=list)
    supervision: str = SUPERVISION_LINE

    @property
    def attachment_captions(self) -> list[str]:
        return ["".join(a.title_lines) for a in self.attachments]

    def texts(self) -> list[tuple[str, str]]:
        found = [("发文机关", i) for i in self.issuers] + [("发文字号", self.document_no),
                                                        ("标题", self.title),
                                                        ("主送", self.addressees)]
        found += [("正文", p) for p in self.paragraphs]
        for a in self.attachments:
            found += [("附件标题", t) for t in a.title_lines] + [("附件名单", i) for i in a.items]
        return found


def some_units(names: Sequence[str]) -> str:
    """海安市公安局白甸派出所 / 海安市公安局白甸派出所等10个单位 (the way notices count)."""
    return names[0] if len(names) == 1 else f"{names[0]}等{len(names)}个单位"


def naming_document(*, issuers: Sequence[str], document_no: str, term: Term, region: str,
                    level_label: str, posts: Sequence[str], demonstrations: Sequence[str],
                    signed_on: dt.date, addressees: str,
                    leading_group: AttachmentList | None = None) -> OfficialDocument:
    """The decision naming ``posts`` (and 示范单位 ``demonstrations``) of one campaign."""
    if not posts:
        raise InputRefused("没有命名的单位，无法生成命名决定。")
    label = f"{term.label}{region}{POST_NAME}"
    title = f"关于命名{label}的决定"
    body = [
        f"根据“青少年维权岗”创建活动的有关规定，经单位申报、两年创建、检查审核、公示等程序，"
        f"决定授予{some_units(posts)}{label}称号"
        + (f"，授予{some_units(demonstrations)}{label}创建活动示范单位称号"
           if demonstrations else "")
        + "（名单见附件）。",
        "希望受到命名的单位珍惜荣誉，发挥示范作用，立足本职，做好日常维权服务，"
        "不断提高维护青少年合法权益、预防青少年违法犯罪的工作水平。各地各单位要以受命名单位为榜样，"
        "深入开展“青少年维权岗”创建活动。",
        RULE_TEXT,
    ]
    lists = []
    if leading_group is not None:
        lists.append(leading_group)
    lists.append(AttachmentList((f"{term.label}{level_label}", f"{POST_NAME}名单"),
                                tuple(posts)))
    if demonstrations:
        lists.append(AttachmentList((f"{term.label}{level_label}",
                                     f"{POST_NAME}创建活动示范单位名单"), tuple(demonstrations)))
    return OfficialDocument(issuers=tuple(issuers), document_no=document_no, title=title,
                            addressees=addressees, paragraphs=tuple(body), signed_on=signed_on,
                            attachments=lists)


# ---------------------------------------------------------------------------------------------
# The PDF
# ---------------------------------------------------------------------------------------------


#: (role, size pt, alignment, first-line indent in characters, colour) of each kind of text;
#: sizes follow GB/T 9704: 二号 title (22 pt), 三号 body (16 pt).
_STYLES: dict[str, tuple[str, float, lay.Align, int, Color]] = {
    "issuer": ("song", 26, "centre", 0, lay.SEAL_RED),
    "docno": ("fang", 15.5, "centre", 0, black),
    "title": ("song", 21, "centre", 0, black),
    "to": ("fang", 15.5, "left", 0, black),
    "body": ("fang", 15.5, "left", 2, black),
    "sign": ("fang", 15.5, "right", 0, black),
    "label": ("hei", 15.5, "left", 0, black),
    "alist_title": ("song", 19, "centre", 0, black),
    "item": ("fang", 15.5, "left", 2, black),
}


def _p(text: str, style: str, **extra: float) -> lay.ChainParagraph:
    role, size, align, indent, color = _STYLES[style]
    return lay.ChainParagraph(text, role=role, size=size, leading=size * 1.75, align=align,
                              indent=indent, color=color, **extra)  # type: ignore[arg-type]


def document_flowables(doc: OfficialDocument) -> list[Flowable]:
    story: list[Flowable] = [_p(i, "issuer") for i in doc.issuers]
    story += [Spacer(1, 8)]
    if doc.document_no:
        story.append(_p(doc.document_no, "docno"))
    story += [HRFlowable(width="100%", thickness=1.6, color=lay.SEAL_RED, spaceBefore=4,
                         spaceAfter=12),
              _p(doc.title, "title"), Spacer(1, 10), _p(doc.addressees, "to")]
    story += [_p(par, "body") for par in doc.paragraphs]
    story.append(_p(doc.supervision, "body"))
    if doc.attachments:
        story.append(Spacer(1, 10))
        captions = doc.attachment_captions
        for n, caption in enumerate(captions, 1):
            head = "附件：" if n == 1 else "　　　"
            prefix = f"{n}、" if len(captions) > 1 else ""
            story.append(_p(f"{head}{prefix}{caption}", "body"))
    sign: list[Flowable] = [Spacer(1, 30)]
    sign += [_p(i, "sign", right_inset=lay.mm(12)) for i in doc.issuers]
    sign.append(_p(chinese_date(doc.signed_on), "sign", right_inset=lay.mm(16)))
    story.append(KeepTogether(sign))
    for n, attachment in enumerate(doc.attachments, 1):
        story += [PageBreak(), _p(f"附件{n}" if len(doc.attachments) > 1 else "附件", "label"),
                  Spacer(1, 10)]
        story += [_p(t, "alist_title") for t in attachment.title_lines]
        story.append(Spacer(1, 14))
        story += list(attachment.flowables) or [_p(t, "to") for t in attachment.text_lines]
        story += [_p(f"{i}、{name}", "item") for i, name in enumerate(attachment.items, 1)]
    return story


def render_document(target: str | Path | IO[bytes], doc: OfficialDocument) -> int:
    """Draw the document on A4 (GB/T 9704 margins: 37 mm top, 28 mm left); return pages."""
    lay.ensure_printable(doc.texts(), role="fang")
    pages = {"n": 0}

    def on_page(canvas, _doc) -> None:  # type: ignore[no-untyped-def]
        pages["n"] += 1
        canvas.saveState()
        lay.draw_line(canvas, f"— {pages['n']} —", lay.paper_size("A4")[0] / 2, lay.mm(14), 12,
                    role="fang", align="centre")
        canvas.restoreState()

    frame = SimpleDocTemplate(
        target if not isinstance(target, Path) else str(target), pagesize=lay.paper_size("A4"),
        leftMargin=lay.mm(28), rightMargin=lay.mm(26), topMargin=lay.mm(30), bottomMargin=lay.mm(28),
        title=doc.title, author="、".join(doc.issuers), initialFontName=fonts.primary_font("song"),
    )
    frame.build(document_flowables(doc), onFirstPage=on_page, onLaterPages=on_page)
    return pages["n"]
