"""The publicity notice (公示) of the units found 达标, before they are named (DOMAIN rule 3).

Same layout as the naming decision (:mod:`wqg_desktop.printing.naming_notice`): document
number, title, body with the publicity period and how to object, the 12355 supervision line,
issuing bodies, date in Chinese numerals, and the numbered list as an attachment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from wqg_desktop.domain.chinese import POST_NAME, Term, format_date
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing.naming_notice import AttachmentList, OfficialDocument, some_units


def publicity_document(*, issuers: Sequence[str], document_no: str, term: Term, region: str,
                       level_label: str, units: Sequence[str], start: dt.date, end: dt.date,
                       contact: str, addressees: str = "",
                       leading_group: AttachmentList | None = None) -> OfficialDocument:
    """The 公示 of ``units`` from ``start`` to ``end`` (inclusive)."""
    if not units:
        raise InputRefused("没有进入公示的单位，无法生成公示。")
    if end < start:
        raise InputRefused("公示结束日期早于开始日期：请检查创建活动的公示日期。")
    label = f"{term.label}{region}{POST_NAME}"
    body = [
        f"根据“青少年维权岗”创建活动的有关规定，经单位申报、两年创建、检查审核，"
        f"{some_units(units)}达到{label}创建标准，拟命名为{label}。"
        "为广泛听取社会各界意见，现予以公示（名单见附件）。",
        f"公示时间：{format_date(start)}至{format_date(end)}。",
        "公示期间，对公示单位有异议的，请以书面、电话等形式向创建活动领导小组办公室反映"
        + (f"（{contact}）" if contact else "")
        + "。反映情况应实事求是，署真实姓名并提供联系方式，以便调查核实；对匿名或内容不具体的，"
        "原则上不予受理。有异议的单位，异议处理完毕前不予命名。",
    ]
    lists = [leading_group] if leading_group is not None else []
    lists.append(AttachmentList((f"{term.label}{level_label}", f"{POST_NAME}拟命名单位名单"),
                                tuple(units)))
    return OfficialDocument(
        issuers=tuple(issuers), document_no=document_no,
        title=f"关于{label}拟命名单位的公示", addressees=addressees or "社会各界：",
        paragraphs=tuple(body), signed_on=start, attachments=lists)
