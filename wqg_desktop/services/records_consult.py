"""咨询/投诉 from young people: the due date, "answered in time", overdue ones, masked lists.

Due date = the day received + ``complaint_reply_working_days`` working days (5 by default) on
the office calendar (holidays and 调休 days count as the calendar says). A consultation is
answered in time when its reply is dated on or before the due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wqg_desktop.db.models import Consultation, Unit
from wqg_desktop.domain.statuses import CONSULT_CHANNELS, YOUTH_GROUPS, ConsultKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import calendar, privacy, settings
from wqg_desktop.services import records_common as rc
from wqg_desktop.services.privacy import Disclosure

WHAT = "咨询投诉记录"

#: Age bands, written as the survey sheets write them (6-13岁, 14-17岁…).
AGE_BANDS = ("不满6岁", "6-13岁", "14-17岁", "18-25岁", "26-35岁")
SATISFACTION = ("满意", "基本满意", "不满意")
GROUPS = ("在校学生", *YOUTH_GROUPS, "其他")


def reply_days() -> int:
    return int(settings.get("complaint_reply_working_days"))


def due_date(received_on: dt.date) -> dt.date:
    """The last day to answer: ``reply_days()`` working days after the day received."""
    return calendar.add_workdays(received_on, reply_days())


def state(c: Consultation, today: dt.date) -> str:
    """待答复 / 已逾期 / 按时答复 / 超时答复."""
    if c.replied_on is None:
        return "已逾期" if c.due_on and c.due_on < today else "待答复"
    return "按时答复" if answered_in_time(c) else "超时答复"


def answered_in_time(c: Consultation) -> bool:
    return c.replied_on is not None and (c.due_on is None or c.replied_on <= c.due_on)


def check(*, today: dt.date, unit_id: int | None, kind: str, received_on: Any, channel: str,
          content: str, age_band: str = "", youth_group: str = "", handler: str = "",
          replied_on: Any = None, result: str = "", satisfaction: str = "",
          minor_name: str = "", minor_id_no: str = "", minor_school: str = "",
          minor_address: str = "") -> dict[str, Any]:
    """Check one consultation as entered; return the cleaned values or refuse in Chinese."""
    unit = rc.get_unit(unit_id)
    kind = kind if kind in (k.value for k in ConsultKind) else ""
    if not kind:
        raise InputRefused("请选择类别：咨询或投诉。")
    received = rc.unit_day(received_on, "受理日期", unit, today=today)
    assert received is not None
    replied = rc.day(replied_on, "答复日期", today=today, required=False, not_before=received,
                     not_before_what="受理日期")
    clean = {
        "unit": unit,
        "kind": kind,
        "received_on": received,
        "channel": rc.choice(channel, CONSULT_CHANNELS, "受理渠道"),
        "age_band": rc.choice(age_band, AGE_BANDS, "年龄段", required=False),
        "youth_group": rc.text(youth_group, "群体", max_len=40),
        "content": rc.text(content, "咨询投诉内容", required=True, max_len=2000),
        "handler": rc.text(handler, "承办人", max_len=50),
        "replied_on": replied,
        "result": rc.text(result, "处理结果", max_len=2000),
        "satisfaction": rc.choice(satisfaction, SATISFACTION, "满意度", required=False),
        "minor_name": rc.text(minor_name, "未成年人姓名", max_len=50),
        "minor_id_no": rc.id_number(minor_id_no, "未成年人身份证号"),
        "minor_school": rc.text(minor_school, "未成年人就读学校", max_len=100),
        "minor_address": rc.text(minor_address, "未成年人住址", max_len=200),
    }
    if replied is None and (clean["result"] or clean["satisfaction"]):
        raise InputRefused("填写了处理结果或满意度，请同时填写答复日期。")
    if replied is not None and not clean["result"]:
        raise InputRefused("已答复的，请填写处理结果。")
    return clean


def save(*, today: dt.date, uuid: str | None = None, **fields: Any) -> Consultation:
    """Create (``uuid`` None) or change a consultation; the due date follows the calendar.

    The minor's identity is stored only as entered, and the audit trail keeps it masked.
    """
    clean = check(today=today, **fields)
    if uuid:
        record = rc.get_owned(Consultation, uuid, WHAT)
    else:
        record = Consultation(owner_office=rc.this_office())
    for key, value in clean.items():
        setattr(record, key, value)
    record.due_on = due_date(clean["received_on"])
    record.save()
    return record


def delete(uuid: str) -> None:
    rc.get_owned(Consultation, uuid, WHAT).delete_instance()


@dataclass
class ConsultRow:
    uuid: str
    unit_id: int
    unit: str
    kind: str
    received_on: dt.date
    channel: str
    age_band: str
    youth_group: str
    content: str
    handler: str
    due_on: dt.date | None
    replied_on: dt.date | None
    result: str
    satisfaction: str
    state: str
    overdue: bool
    minor: str
    minor_name: str
    minor_id_no: str
    minor_school: str
    minor_address: str
    masked: bool
    has_minor: bool


COLUMNS = [
    rc.ListColumn("unit", "单位", 30),
    rc.ListColumn("kind", "类别", 6),
    rc.ListColumn("received_on", "受理日期", 13),
    rc.ListColumn("channel", "渠道", 12),
    rc.ListColumn("age_band", "年龄段", 9),
    rc.ListColumn("youth_group", "群体", 14),
    rc.ListColumn("content", "内容", 40),
    rc.ListColumn("minor_name", "未成年人", 10),
    rc.ListColumn("minor_id_no", "身份证号", 20),
    rc.ListColumn("minor_school", "学校", 14),
    rc.ListColumn("minor_address", "住址", 20),
    rc.ListColumn("handler", "承办人", 8),
    rc.ListColumn("due_on", "答复期限", 13),
    rc.ListColumn("replied_on", "答复日期", 13),
    rc.ListColumn("state", "办理情况", 9),
    rc.ListColumn("result", "处理结果", 30),
    rc.ListColumn("satisfaction", "满意度", 8),
]


def records(*, unit_id: int | None = None, period: rc.Period | None = None,
            only_open: bool = False) -> list[Consultation]:
    query = Consultation.select(Consultation, Unit).join(Unit)
    if unit_id:
        query = query.where(Consultation.unit == unit_id)
    query = rc.where_period(query, Consultation.received_on, period)
    if only_open:
        query = query.where(Consultation.replied_on.is_null())
    return list(query.order_by(Consultation.received_on.desc(), Consultation.id.desc()))


def rows(*, today: dt.date, unit_id: int | None = None, period: rc.Period | None = None,
         disclosure: Disclosure | None = None, overdue_only: bool = False) -> list[ConsultRow]:
    """The list as screens, prints and exports show it: minors masked unless disclosed, in
    the content and result as well as in the minor's own fields."""
    out = []
    for c in records(unit_id=unit_id, period=period, only_open=overdue_only):
        st = state(c, today)
        if overdue_only and st != "已逾期":
            continue
        minor = privacy.minor_view(c, disclosure)
        out.append(ConsultRow(
            uuid=c.uuid, unit_id=c.unit_id, unit=c.unit.name, kind=ConsultKind(c.kind).label,
            received_on=c.received_on, channel=c.channel, age_band=c.age_band,
            youth_group=c.youth_group, content=privacy.free_text(c, "content", disclosure),
            handler=c.handler, due_on=c.due_on, replied_on=c.replied_on,
            result=privacy.free_text(c, "result", disclosure), satisfaction=c.satisfaction, state=st,
            overdue=st == "已逾期", minor=minor.summary, minor_name=minor.name,
            minor_id_no=minor.id_no, minor_school=minor.school, minor_address=minor.address,
            masked=minor.masked, has_minor=privacy.has_minor_data(c),
        ))
    return out


def overdue(today: dt.date) -> list[ConsultRow]:
    """Unanswered consultations past their due date, oldest first."""
    return sorted(rows(today=today, overdue_only=True), key=lambda r: r.due_on or today)


def timeliness(*, unit_id: int | None = None, period: rc.Period | None = None
               ) -> tuple[int, int]:
    """(answered in time, answered) — the rate the assessment and the checklist use."""
    answered = [c for c in records(unit_id=unit_id, period=period) if c.replied_on is not None]
    return sum(1 for c in answered if answered_in_time(c)), len(answered)


def export(path: Path, rows_: list[ConsultRow]) -> int:
    return rc.export_rows(path, COLUMNS, rows_, sheet_title="咨询投诉")
