"""台账: the whole ledger of one unit for a period, as one bound A4 PDF.

A cover, a contents page, then one section per record kind, each page numbered
"第 N 页 共 M 页". Minors' identities are masked unless the caller passes a logged
:class:`~wqg_desktop.services.privacy.Disclosure`; the cover says which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from wqg_desktop.db.models import Unit
from wqg_desktop.domain.chinese import chinese_date
from wqg_desktop.errors import InputRefused, os_reason
from wqg_desktop.printing import fonts
from wqg_desktop.services import (
    records_activities,
    records_cobuild,
    records_consult,
    records_contacts,
    records_evidence,
    records_projects,
    records_training,
)
from wqg_desktop.services import records_common as rc
from wqg_desktop.services.privacy import Disclosure

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
BODY_W = PAGE_W - 2 * MARGIN


def _style(name: str, role: str, size: float, **kw: Any) -> ParagraphStyle:
    kw.setdefault("leading", size * 1.45)
    return ParagraphStyle(name, fontName=fonts.primary_font(role), fontSize=size,
                          wordWrap="CJK", **kw)


def _para(text: Any, style: ParagraphStyle, role: str = "song") -> Paragraph:
    value = rc.fmt_date(text) if isinstance(text, dt.date) else "" if text is None else str(text)
    return Paragraph(fonts.paragraph_markup(value, role), style)


@dataclass(frozen=True)
class Col:
    """A ledger table column: the row attribute, header, share of the page width."""

    key: str
    header: str
    share: float


@dataclass
class Section:
    title: str
    columns: Sequence[Col]
    rows: list[Any]
    note: str = ""


class _Doc(BaseDocTemplate):
    """Feeds section headings to the table of contents as they land on pages."""

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - reportlab hook
        toc_text = getattr(flowable, "toc_text", None)
        if toc_text:
            self.notify("TOCEntry", (0, toc_text, self.page))


def _numbered_canvas(unit_name: str, masked: bool) -> Callable[..., Canvas]:
    footer_note = "未成年人身份信息已遮蔽" if masked else "含经登记显示的未成年人身份信息，注意保密"

    class NumberedCanvas(Canvas):
        """Holds the pages back until the end, so each can say how many there are."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                if number > 1:  # the cover carries no number, but counts
                    self.setStrokeColor(colors.grey)
                    self.line(MARGIN, 14 * mm, PAGE_W - MARGIN, 14 * mm)
                    fonts.draw_string(self, PAGE_W / 2, 9 * mm, f"第 {number} 页 共 {total} 页",
                                      "song", 9, anchor="centre")
                    fonts.draw_string(self, MARGIN, 9 * mm, unit_name, "song", 8)
                    fonts.draw_string(self, PAGE_W - MARGIN, 9 * mm, footer_note, "song", 8,
                                      anchor="right")
                super().showPage()
            super().save()

    return NumberedCanvas


def sections_for(*, unit: Unit, period: rc.Period, today: dt.date,
                 disclosure: Disclosure | None = None) -> list[Section]:
    """The ledger's sections for one unit and period (the same rows the lists show)."""
    uid = unit.id
    consult = records_consult.rows(today=today, unit_id=uid, period=period, disclosure=disclosure)
    acts = records_activities.rows(unit_id=uid, period=period)
    vols = records_contacts.volunteer_rows(today=today, unit_id=uid, period=period)
    sessions = records_training.session_rows(unit_id=uid, period=period)
    untrained = records_training.untrained_heads(unit_id=uid)
    online = records_training.online_rows(unit_id=uid)
    cobuild = records_cobuild.rows(unit_id=uid, period=period, disclosure=disclosure)
    projects = records_projects.project_rows(unit_id=uid, period=period)
    referrals = records_projects.referral_rows(today=today, unit_id=uid, period=period)
    contacts = records_contacts.contact_rows(unit_id=uid, period=period)
    in_time, answered = records_consult.timeliness(unit_id=uid, period=period)
    out = [
        Section("咨询投诉", [
            Col("received_on", "受理日期", 0.145), Col("kind", "类别", 0.06),
            Col("channel", "渠道", 0.09), Col("minor", "未成年人", 0.1),
            Col("content", "内容", 0.225), Col("due_on", "答复期限", 0.145),
            Col("replied_on", "答复日期", 0.145), Col("state", "办理情况", 0.09)],
            consult, f"共 {len(consult)} 件；已答复 {answered} 件，其中按时答复 {in_time} 件。"),
        Section("专项整治、专题维权、志愿服务及联合行动", [
            Col("start_on", "日期", 0.145), Col("kind", "类别", 0.15), Col("title", "活动名称", 0.27),
            Col("place", "地点", 0.185), Col("people_reached", "受众人数", 0.09),
            Col("volunteers", "志愿者", 0.08), Col("attachments", "照片", 0.08)], acts),
        Section("青少年维权志愿者队伍", [
            Col("name", "姓名", 0.14), Col("phone", "联系电话", 0.18), Col("joined_on", "加入日期", 0.16),
            Col("left_on", "退出日期", 0.16), Col("state", "状态", 0.1),
            Col("activities", "参与本单位志愿服务活动", 0.26)], vols,
            f"志愿服务队：{unit.volunteer_team or '（未登记名称）'}"),
        Section("负责人培训", [
            Col("on", "培训日期", 0.145), Col("level", "层级", 0.11), Col("organiser", "举办单位", 0.17),
            Col("topic", "培训主题", 0.325), Col("heads", "本单位参训情况", 0.25)], sessions,
            "；".join(f"{u.campaign}：{u.head} {u.reason}" for u in untrained)
            or "本单位负责人已参加所在创建活动命名单位组织的培训。"),
        Section("青少年维权在线", [
            Col("online_text", "是否上线", 0.2), Col("since", "上线日期", 0.2),
            Col("campaigns", "要求上线的创建活动", 0.4), Col("rule", "规则检查", 0.2)], online),
        Section("百岗千村共建", [
            Col("township", "乡镇（街道）", 0.12), Col("village", "村（社区）", 0.12),
            Col("on", "帮扶日期", 0.145), Col("youth_group", "重点群体", 0.17),
            Col("help_kind", "帮扶方式", 0.1), Col("minor_name", "帮扶对象", 0.1),
            Col("description", "帮扶情况", 0.245)], cobuild),
        Section("实事项目", [
            Col("year", "年份", 0.1), Col("police_type", "警种", 0.12), Col("title", "项目名称", 0.33),
            Col("done_text", "完成情况", 0.12), Col("description", "项目内容", 0.33)], projects),
        Section("转办、交办、会办", [
            Col("kind", "类别", 0.07), Col("subject", "事项", 0.235), Col("received_on", "收到日期", 0.145),
            Col("due_on", "办理期限", 0.145), Col("closed_on", "办结日期", 0.145),
            Col("state", "状态", 0.09), Col("result", "办理结果", 0.17)], referrals),
        Section("联系点与联系卡", [
            Col("kind", "类别", 0.09), Col("name", "联系点/发放场合", 0.3), Col("place_kind", "场所", 0.08),
            Col("on", "设立/发放日期", 0.16), Col("count", "张数", 0.08), Col("address", "地址", 0.29)],
            contacts),
    ]
    for campaign_id, name in records_evidence.campaign_choices(uid):
        items = records_evidence.checklist(today=today, unit_id=uid, campaign_id=campaign_id)
        missing = sum(1 for i in items if i.status != records_evidence.OK)
        out.append(Section(f"取证清单：{name}", [
            Col("group", "类别", 0.14), Col("item", "应具备的台账材料", 0.44),
            Col("status", "情况", 0.1), Col("detail", "说明", 0.32)], items,
            f"共 {len(items)} 项，其中 {missing} 项尚需补充或核对。"))
    return out


def build_ledger(path: Path, *, unit_id: int, period: rc.Period, today: dt.date,
                 office_name: str = "", disclosure: Disclosure | None = None) -> int:
    """Write the ledger PDF of one unit for ``period``; return the number of pages."""
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise InputRefused("请选择要打印台账的单位。")
    sections = sections_for(unit=unit, period=period, today=today, disclosure=disclosure)
    masked = disclosure is None or not disclosure.uuids
    story = _cover(unit, period, today, office_name, masked) + _contents()
    body = _style("body", "song", 8)
    head = _style("cellhead", "hei", 8.5)
    h1 = _style("h1", "hei", 14, spaceBefore=6, spaceAfter=6)
    note = _style("note", "song", 9.5, spaceAfter=4)
    numerals = "一二三四五六七八九十"
    for index, section in enumerate(sections):
        label = (numerals[index] if index < 10 else "十" + numerals[index - 10]) + "、" + section.title
        heading = _para(label, h1, "hei")
        heading.toc_text = label  # type: ignore[attr-defined]
        story.append(heading)
        if section.note:
            story.append(_para(section.note, note))
        if section.rows:
            story.append(_table(section, head, body))
        else:
            story.append(_para("本期间无记录。", note))
        story.append(Spacer(1, 6 * mm))
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    doc = _Doc(str(tmp), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
               bottomMargin=20 * mm, title=f"{unit.name}工作台账", author=office_name)
    frame = Frame(MARGIN, 20 * mm, BODY_W, PAGE_H - MARGIN - 20 * mm, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    canvas = _numbered_canvas(unit.name, masked)
    try:
        doc.multiBuild(story, canvasmaker=canvas)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputRefused(f"无法写入文件 {target}：{os_reason(exc)}") from exc
    return doc.page


def _cover(unit: Unit, period: rc.Period, today: dt.date, office: str,
           masked: bool) -> list[Any]:
    big = _style("cover", "hei", 26, alignment=TA_CENTER, leading=40)
    mid = _style("cover2", "song", 15, alignment=TA_CENTER, leading=26)
    small = _style("cover3", "song", 11, alignment=TA_CENTER, leading=20)
    privacy_note = ("本台账中未成年人的姓名已遮蔽，身份证号、住址不予显示。" if masked else
                    "本台账按登记的理由显示了未成年人身份信息，仅供该用途使用，不得外传。")
    return [
        Spacer(1, 55 * mm),
        _para("“青少年维权岗”创建工作台账", big, "hei"),
        Spacer(1, 18 * mm),
        _para(unit.name, mid),
        Spacer(1, 6 * mm),
        _para(f"期间：{period.label}", mid),
        Spacer(1, 60 * mm),
        _para(office, small),
        _para(f"编印日期：{chinese_date(today)}", small),
        Spacer(1, 10 * mm),
        _para(privacy_note, small),
        PageBreak(),
    ]


def _contents() -> list[Any]:
    title = _style("toc_title", "hei", 16, alignment=TA_CENTER, spaceAfter=12)
    toc = TableOfContents()
    toc.levelStyles = [_style("toc0", "song", 11, leftIndent=10, firstLineIndent=0)]
    toc.dotsMinLevel = 0
    return [_para("目　录", title, "hei"), toc, PageBreak()]


def _table(section: Section, head: ParagraphStyle, body: ParagraphStyle) -> Table:
    widths = [c.share * BODY_W for c in section.columns]
    data = [[_para(c.header, head, "hei") for c in section.columns]]
    for row in section.rows:
        data.append([_para(getattr(row, c.key), body) for c in section.columns])
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf4")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table
