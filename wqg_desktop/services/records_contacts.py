"""联系点, 联系卡 and the volunteer team of each unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import fn

from wqg_desktop.db.models import (
    Activity,
    ActivityUnit,
    ContactCardBatch,
    ContactPoint,
    Unit,
    Volunteer,
    database,
)
from wqg_desktop.domain.statuses import ActivityKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import records_common as rc

POINT_WHAT = "联系点"
CARD_WHAT = "联系卡发放记录"
VOLUNTEER_WHAT = "志愿者"
POINT_KINDS = ("学校", "社区", "村", "企业", "其他")


def _save(model: type, uuid: str | None, what: str, clean: dict[str, Any]) -> Any:
    record = rc.get_owned(model, uuid, what) if uuid else model(owner_office=rc.this_office())
    for key, value in clean.items():
        setattr(record, key, value)
    with database.atomic():
        record.save()
    return record


# ---------------------------------------------------------------------------------------------
# Contact points and cards
# ---------------------------------------------------------------------------------------------


def check_point(*, today: dt.date, unit_id: int | None, name: str, place_kind: str = "",
                address: str = "", established_on: Any = None) -> dict[str, Any]:
    unit = rc.get_unit(unit_id)
    return {"unit": unit, "name": rc.text(name, "联系点名称", required=True, max_len=100),
            "place_kind": rc.choice(place_kind, POINT_KINDS, "联系点类别", required=False),
            "address": rc.text(address, "地址", max_len=200),
            "established_on": rc.unit_day(established_on, "设立日期", unit, today=today,
                                          required=False)}


def save_point(*, today: dt.date, uuid: str | None = None, **fields: Any) -> ContactPoint:
    """Create or change a contact point."""
    return _save(ContactPoint, uuid, POINT_WHAT, check_point(today=today, **fields))


def delete_point(uuid: str) -> None:
    rc.delete_record(rc.get_owned(ContactPoint, uuid, POINT_WHAT), POINT_WHAT)


def check_cards(*, today: dt.date, unit_id: int | None, issued_on: Any, count: Any,
                where: str = "") -> dict[str, Any]:
    unit = rc.get_unit(unit_id)
    n = rc.count(count, "发放张数")
    if n == 0:
        raise InputRefused("发放张数应至少为 1。")
    return {"unit": unit, "issued_on": rc.unit_day(issued_on, "发放日期", unit, today=today),
            "count": n, "where": rc.text(where, "发放场合", max_len=150)}


def save_cards(*, today: dt.date, uuid: str | None = None, **fields: Any) -> ContactCardBatch:
    """Record contact cards handed out (how many, when, where)."""
    return _save(ContactCardBatch, uuid, CARD_WHAT, check_cards(today=today, **fields))


def delete_cards(uuid: str) -> None:
    rc.delete_record(rc.get_owned(ContactCardBatch, uuid, CARD_WHAT), CARD_WHAT)


@dataclass
class ContactRow:
    """One row of the 联系点与联系卡 list: a point, or a batch of cards."""

    uuid: str
    kind: str
    unit_id: int
    unit: str
    name: str
    place_kind: str
    on: dt.date | None
    count: int | None
    address: str


CONTACT_COLUMNS = [
    rc.ListColumn("kind", "类别", 8),
    rc.ListColumn("unit", "单位", 30),
    rc.ListColumn("name", "联系点/发放场合", 30),
    rc.ListColumn("place_kind", "场所类别", 8),
    rc.ListColumn("on", "设立/发放日期", 13),
    rc.ListColumn("count", "联系卡张数", 10),
    rc.ListColumn("address", "地址", 30),
]


def contact_rows(*, unit_id: int | None = None, period: rc.Period | None = None
                 ) -> list[ContactRow]:
    points = ContactPoint.select(ContactPoint, Unit).join(Unit)
    cards = ContactCardBatch.select(ContactCardBatch, Unit).join(Unit)
    if unit_id:
        points = points.where(ContactPoint.unit == unit_id)
        cards = cards.where(ContactCardBatch.unit == unit_id)
    cards = rc.where_period(cards, ContactCardBatch.issued_on, period)
    out = [ContactRow(uuid=p.uuid, kind="联系点", unit_id=p.unit_id, unit=p.unit.name, name=p.name,
                      place_kind=p.place_kind, on=p.established_on, count=None, address=p.address)
           for p in points.order_by(Unit.name, ContactPoint.name)
           # a point set up after the period is not part of that period's ledger
           if not (period and period.end and p.established_on and p.established_on > period.end)]
    out += [ContactRow(uuid=c.uuid, kind="联系卡", unit_id=c.unit_id, unit=c.unit.name,
                       name=c.where, place_kind="", on=c.issued_on, count=c.count, address="")
            for c in cards.order_by(Unit.name, ContactCardBatch.issued_on)]
    return out


# ---------------------------------------------------------------------------------------------
# Volunteers
# ---------------------------------------------------------------------------------------------


def check_volunteer(*, today: dt.date, unit_id: int | None, name: str, phone: str = "",
                    joined_on: Any = None, left_on: Any = None, note: str = "") -> dict[str, Any]:
    unit = rc.get_unit(unit_id)
    joined = rc.unit_day(joined_on, "加入日期", unit, today=today, required=False)
    left = rc.day(left_on, "退出日期", today=today, required=False,
                  not_before=joined or unit.founded_on,
                  not_before_what="加入日期" if joined else "单位成立日期")
    tel = rc.text(phone, "联系电话", max_len=30)
    if tel and not all(c.isdigit() or c in "-+ ()（）转" for c in tel):
        raise InputRefused("联系电话只能包含数字和“-”，例如 0513-88881234 或 13912345678。")
    return {"unit": unit, "name": rc.text(name, "志愿者姓名", required=True, max_len=50),
            "phone": tel, "joined_on": joined, "left_on": left,
            "note": rc.text(note, "备注", max_len=2000)}


def save_volunteer(*, today: dt.date, uuid: str | None = None, **fields: Any) -> Volunteer:
    """Create or change a member of a unit's volunteer team."""
    return _save(Volunteer, uuid, VOLUNTEER_WHAT, check_volunteer(today=today, **fields))


def delete_volunteer(uuid: str) -> None:
    rc.delete_record(rc.get_owned(Volunteer, uuid, VOLUNTEER_WHAT), VOLUNTEER_WHAT)


@dataclass
class VolunteerRow:
    uuid: str
    unit_id: int
    unit: str
    team: str
    name: str
    phone: str
    joined_on: dt.date | None
    left_on: dt.date | None
    state: str
    activities: int
    note: str


VOLUNTEER_COLUMNS = [
    rc.ListColumn("unit", "单位", 30),
    rc.ListColumn("team", "志愿服务队", 24),
    rc.ListColumn("name", "姓名", 10),
    rc.ListColumn("phone", "联系电话", 14),
    rc.ListColumn("joined_on", "加入日期", 13),
    rc.ListColumn("left_on", "退出日期", 13),
    rc.ListColumn("state", "状态", 6),
    rc.ListColumn("activities", "在队期间本单位志愿服务活动", 14),
    rc.ListColumn("note", "备注", 20),
]


def volunteer_rows(*, today: dt.date, unit_id: int | None = None,
                   period: rc.Period | None = None) -> list[VolunteerRow]:
    """The volunteer teams; "activities" counts the unit's volunteer activities while a member.

    Volunteers are not linked to single activities in the records, so the count is of the
    unit's 志愿者宣传服务活动 between joining and leaving — what the inspection asks about.
    """
    query = Volunteer.select(Volunteer, Unit).join(Unit)
    if unit_id:
        query = query.where(Volunteer.unit == unit_id)
    vols = [v for v in query.order_by(Unit.name, Volunteer.joined_on)
            if not (period and period.end and v.joined_on and v.joined_on > period.end)
            and not (period and period.start and v.left_on and v.left_on < period.start)]
    dates: dict[int, list[dt.date]] = {}
    unit_ids = list({v.unit_id for v in vols})
    if unit_ids:
        for a in (ActivityUnit.select(ActivityUnit.unit, Activity.start_on).join(Activity)
                  .where(ActivityUnit.unit.in_(unit_ids),
                         Activity.kind == ActivityKind.VOLUNTEER.value)):
            dates.setdefault(a.unit_id, []).append(a.activity.start_on)
    out = []
    for v in vols:
        start, end = v.joined_on, v.left_on or today
        n = sum(1 for d in dates.get(v.unit_id, []) if (start is None or d >= start) and d <= end)
        out.append(VolunteerRow(uuid=v.uuid, unit_id=v.unit_id, unit=v.unit.name,
                                team=v.unit.volunteer_team, name=v.name, phone=v.phone,
                                joined_on=v.joined_on, left_on=v.left_on,
                                state="已退出" if v.left_on else "在队", activities=n, note=v.note))
    return out


def team_size(unit_id: int, on: dt.date) -> int:
    """Members of a unit's volunteer team on a day."""
    return (Volunteer.select(fn.COUNT(Volunteer.id))
            .where(Volunteer.unit == unit_id,
                   (Volunteer.joined_on.is_null()) | (Volunteer.joined_on <= on),
                   (Volunteer.left_on.is_null()) | (Volunteer.left_on > on))
            .scalar() or 0)


def export(path: Path, columns: list[rc.ListColumn], rows_: list[Any], title: str) -> int:
    return rc.export_rows(path, columns, rows_, sheet_title=title)
