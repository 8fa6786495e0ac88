"""The two files of a package meant for people without the program: 汇总表.xlsx and 报送函.pdf."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from wqg_desktop.db.models import PoliceType, Region, Unit
from wqg_desktop.domain.chinese import chinese_date
from wqg_desktop.exchange.xlsx import neutralise, small_workbook
from wqg_desktop.printing import fonts
from wqg_desktop.services.stats import LABELS


def summary_xlsx(counts: dict[str, int], *, kind: str, unit_ids: Iterable[int] = ()) -> bytes:
    """Counts per record kind, and the list of units the package carries."""
    totals: list[list[object]] = [["记录类别", "英文名", "条数"]]
    totals += [[LABELS.get(name, name), name, n] for name, n in counts.items()]
    totals.append(["合计", "", sum(counts.values())])
    units: list[list[object]] = [["序号", "单位名称", "县(市、区)", "警种", "是否从事青少年工作"]]
    ids = list(unit_ids)
    if ids:
        query = (Unit.select(Unit.name, Region.name, PoliceType.name, Unit.works_with_youth)
                 .join(Region, on=Unit.region == Region.id)
                 .switch(Unit).join(PoliceType, on=Unit.police_type == PoliceType.id)
                 .where(Unit.id.in_(ids)).order_by(Region.sort_order, Unit.name).tuples())
        for n, (name, region, ptype, youth) in enumerate(query, start=1):
            units.append([n, neutralise(name), neutralise(region), neutralise(ptype),
                          "是" if youth else "否（称号注销）"])
    return small_workbook([("记录数", totals, {1: 22, 2: 22}),
                           ("单位名单", units, {2: 40, 3: 14, 5: 20})])


def cover_letter_pdf(*, sender: str, receiver: str, kind: str, term: str, day: dt.date,
                     counts: dict[str, int], sequence: int, fingerprint: str, sealed: bool,
                     blanked: int) -> bytes:
    """报送函: a short official letter naming what is sent, with the fingerprint to check."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{sender}报送函")
    width, height = A4
    left, right = 28 * mm, width - 26 * mm
    title = ("关于报送" if kind == "up" else "关于下发") + f"{term}“青少年维权岗”创建工作数据的函"
    size = fonts.fit_font_size(title, "hei", right - left, 18, 11) or 11
    fonts.draw_string(canvas, width / 2, height - 40 * mm, title, "hei", size, anchor="center")
    y = height - 58 * mm
    fonts.draw_string(canvas, left, y, f"{receiver}：", "song", 14)
    total = sum(counts.values())
    units = counts.get("Unit", 0)
    titles = counts.get("Title", 0)
    if kind == "up":
        body = (f"现将本单位{term}“青少年维权岗”创建工作数据报送你们，请审核汇总。本次报送包"
                f"第 {sequence} 号，共 {total} 条记录，其中基层单位 {units} 个、称号 {titles} 个。")
    else:
        body = (f"现将本单位{term}涉及你单位基层单位的“青少年维权岗”命名、复核、整改、注销、撤销等决定"
                f"下发你们，请导入并遵照执行。本次下发包第 {sequence} 号，共 {total} 条记录。")
    privacy = ("涉及未成年人的身份信息已按规定加密，仅接收单位可以解密。" if sealed else
               "涉及未成年人的身份信息未随包报送。" if blanked else "")
    body += privacy + "导入前请与本单位电话核对下列密钥指纹。"
    y -= 12 * mm
    for para in (body, f"密钥指纹：{fingerprint}", "附件：上报包内的汇总表（汇总表.xlsx）。"):
        for line in fonts.wrap_lines("\u3000\u3000" + para, "song", 14, right - left):
            fonts.draw_string(canvas, left, y, line, "song", 14)
            y -= 8.5 * mm
    y -= 14 * mm
    fonts.draw_string(canvas, right - 8 * mm, y, sender, "song", 14, anchor="right")
    y -= 9 * mm
    fonts.draw_string(canvas, right - 8 * mm, y, chinese_date(day), "song", 14, anchor="right")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
