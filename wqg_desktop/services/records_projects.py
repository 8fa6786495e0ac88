"""实事项目 per police type and year, and 转办、交办、会办 tracked to their close.

Each police type does one or two practical projects for young people a year: the list warns
when a core police type still in service has none this year, and when one has more than two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import JOIN

from wqg_desktop.db.models import Office, PoliceType, PracticalProject, Referral, Unit, database
from wqg_desktop.domain import date_rules
from wqg_desktop.domain.statuses import ReferralKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import records_common as rc

WHAT = "实事项目"
REFERRAL_WHAT = "转办交办会办事项"

# ---------------------------------------------------------------------------------------------
# Practical projects
# ---------------------------------------------------------------------------------------------


def check_project(*, today: dt.date, year: Any, police_type_id: int | None, title: str,
                  unit_id: int | None = None, description: str = "",
                  done: bool = False) -> dict[str, Any]:
    try:
        y = int(str(year).strip())
    except ValueError:
        raise InputRefused("年份应为四位数字，例如 2026。") from None
    if y > today.year:
        raise InputRefused(f"年份 {y} 还没到：实事项目记的是已经开展的，最晚是今年（{today.year}）。")
    date_rules.check_year(y, "年份", today=today)
    ptype = PoliceType.get_or_none(PoliceType.id == police_type_id) if police_type_id else None
    if ptype is None:
        raise InputRefused("请选择警种。")
    if ptype.retired_on and y > ptype.retired_on.year:
        raise InputRefused(f"{ptype.name}已于{rc.fmt_date(ptype.retired_on)}撤出公安序列，"
                           f"{y} 年不再有该警种的实事项目。")
    unit = rc.get_unit(unit_id) if unit_id else None
    if unit is not None and unit.founded_on and y < unit.founded_on.year:
        raise InputRefused(f"“{unit.name}”成立于{rc.fmt_date(unit.founded_on)}，{y} 年还没有这个单位。")
    return {"year": y, "police_type": ptype, "unit": unit, "done": bool(done),
            "title": rc.text(title, "项目名称", required=True, max_len=150),
            "description": rc.text(description, "项目内容", max_len=4000)}


def save_project(*, today: dt.date, uuid: str | None = None, **fields: Any) -> PracticalProject:
    """Create or change a practical project."""
    clean = check_project(today=today, **fields)
    record = (rc.get_owned(PracticalProject, uuid, WHAT) if uuid
              else PracticalProject(owner_office=rc.this_office()))
    for key, value in clean.items():
        setattr(record, key, value)
    with database.atomic():
        record.save()
    return record


def delete_project(uuid: str) -> None:
    rc.delete_record(rc.get_owned(PracticalProject, uuid, WHAT), WHAT)


@dataclass
class ProjectRow:
    uuid: str
    year: int
    police_type: str
    police_type_id: int
    unit: str
    unit_id: int | None
    title: str
    description: str
    done: bool
    done_text: str


PROJECT_COLUMNS = [
    rc.ListColumn("year", "年份", 7),
    rc.ListColumn("police_type", "警种", 10),
    rc.ListColumn("title", "项目名称", 36),
    rc.ListColumn("unit", "承办单位", 30),
    rc.ListColumn("done_text", "完成情况", 9),
    rc.ListColumn("description", "项目内容", 40),
]


def project_rows(*, year: int | None = None, unit_id: int | None = None,
                 period: rc.Period | None = None) -> list[ProjectRow]:
    query = (PracticalProject.select(PracticalProject, PoliceType, Unit).join(PoliceType)
             .switch(PracticalProject).join(Unit, JOIN.LEFT_OUTER))
    if year:
        query = query.where(PracticalProject.year == year)
    if unit_id:
        query = query.where(PracticalProject.unit == unit_id)
    if period and period.start:
        query = query.where(PracticalProject.year >= period.start.year)
    if period and period.end:
        query = query.where(PracticalProject.year <= period.end.year)
    return [
        ProjectRow(uuid=p.uuid, year=p.year, police_type=p.police_type.name,
                   police_type_id=p.police_type_id,
                   unit=p.unit.name if p.unit is not None else "", unit_id=p.unit_id,
                   title=p.title, description=p.description, done=p.done,
                   done_text="已完成" if p.done else "进行中")
        for p in query.order_by(PracticalProject.year.desc(), PoliceType.sort_order)
    ]


def project_warnings(year: int) -> list[str]:
    """Core police types in service with no project in ``year``, and any with more than two."""
    counts: dict[int, int] = {}
    for p in PracticalProject.select(PracticalProject.police_type).where(
            PracticalProject.year == year):
        counts[p.police_type_id] = counts.get(p.police_type_id, 0) + 1
    warnings = []
    for ptype in PoliceType.select().order_by(PoliceType.sort_order):
        n = counts.get(ptype.id, 0)
        retired = ptype.retired_on is not None and ptype.retired_on.year <= year
        if ptype.core and not retired and n == 0:
            warnings.append(f"{ptype.name}：{year}年还没有实事项目（每个警种每年应办一至两件）。")
        elif n > 2:
            warnings.append(f"{ptype.name}：{year}年登记了 {n} 件实事项目，超过每年一至两件的要求，请核对。")
    return warnings


# ---------------------------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------------------------


def check_referral(*, today: dt.date, kind: str, subject: str, received_on: Any,
                   to_unit_id: int | None = None, to_office_name: str = "", due_on: Any = None,
                   closed_on: Any = None, result: str = "") -> dict[str, Any]:
    if kind not in (k.value for k in ReferralKind):
        raise InputRefused("请选择类别：转办、交办或会办。")
    unit = rc.get_unit(to_unit_id) if to_unit_id else None
    to_office = rc.text(to_office_name, "承办单位", max_len=100)
    if unit is None and not to_office:
        raise InputRefused("请选择承办的基层单位，或填写承办单位名称。")
    received = (rc.unit_day(received_on, "收到日期", unit, today=today) if unit
                else rc.day(received_on, "收到日期", today=today))
    due = rc.planned_day(due_on, "办理期限", today=today, not_before=received,
                         not_before_what="收到日期")
    closed = rc.day(closed_on, "办结日期", today=today, required=False, not_before=received,
                    not_before_what="收到日期")
    clean = {"kind": kind, "subject": rc.text(subject, "事项", required=True, max_len=200),
             "to_unit": unit, "to_office_name": to_office or (unit.name if unit else ""),
             "received_on": received, "due_on": due, "closed_on": closed,
             "result": rc.text(result, "办理结果", max_len=4000)}
    if closed and not clean["result"]:
        raise InputRefused("已办结的，请填写办理结果。")
    return clean


def save_referral(*, today: dt.date, uuid: str | None = None, **fields: Any) -> Referral:
    """Create or change a referral; this office is where it came from."""
    clean = check_referral(today=today, **fields)
    office = rc.this_office()
    record = (rc.get_owned(Referral, uuid, REFERRAL_WHAT) if uuid
              else Referral(owner_office=office, from_office=office))
    for key, value in clean.items():
        setattr(record, key, value)
    with database.atomic():
        record.save()
    return record


def delete_referral(uuid: str) -> None:
    rc.delete_record(rc.get_owned(Referral, uuid, REFERRAL_WHAT), REFERRAL_WHAT)


@dataclass
class ReferralRow:
    uuid: str
    kind: str
    subject: str
    from_office: str
    to: str
    unit_id: int | None
    received_on: dt.date
    due_on: dt.date | None
    closed_on: dt.date | None
    state: str
    overdue: bool
    result: str


REFERRAL_COLUMNS = [
    rc.ListColumn("kind", "类别", 6),
    rc.ListColumn("subject", "事项", 36),
    rc.ListColumn("from_office", "来自", 18),
    rc.ListColumn("to", "承办单位", 30),
    rc.ListColumn("received_on", "收到日期", 13),
    rc.ListColumn("due_on", "办理期限", 13),
    rc.ListColumn("closed_on", "办结日期", 13),
    rc.ListColumn("state", "状态", 12),
    rc.ListColumn("result", "办理结果", 36),
]


def referral_state(r: Referral, today: dt.date) -> str:
    if r.closed_on:
        return "已办结" if not r.due_on or r.closed_on <= r.due_on else "逾期办结"
    if r.due_on and r.due_on < today:
        return "已逾期"
    return "办理中"


def referral_rows(*, today: dt.date, unit_id: int | None = None,
                  period: rc.Period | None = None, overdue_only: bool = False
                  ) -> list[ReferralRow]:
    offices = {o.id: o.name for o in Office.select(Office.id, Office.name)}
    query = Referral.select()
    if unit_id:
        query = query.where(Referral.to_unit == unit_id)
    out = []
    for r in rc.where_period(query, Referral.received_on, period).order_by(
            Referral.received_on.desc()):
        st = referral_state(r, today)
        if overdue_only and st != "已逾期":
            continue
        out.append(ReferralRow(uuid=r.uuid, kind=ReferralKind(r.kind).label, subject=r.subject,
                               from_office=offices.get(r.from_office_id, ""), to=r.to_office_name,
                               unit_id=r.to_unit_id, received_on=r.received_on, due_on=r.due_on,
                               closed_on=r.closed_on, state=st, overdue=st == "已逾期",
                               result=r.result))
    return out


def export(path: Path, columns: list[rc.ListColumn], rows_: list[Any], title: str) -> int:
    return rc.export_rows(path, columns, rows_, sheet_title=title)
