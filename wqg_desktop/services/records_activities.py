"""Activities: 专项整治, 专题维权活动, 志愿者宣传服务活动, 行动月, 行动日, 联合治理.

An activity involves one or more units (a joint action many); its dates must lie between the
founding of every unit involved and today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wqg_desktop.db.models import Activity, ActivityUnit, Attachment, Unit, database
from wqg_desktop.domain.statuses import ActivityKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import records_common as rc

WHAT = "活动记录"
PLACE_KINDS = ("学校", "社区", "企业", "村", "其他")


def check(*, today: dt.date, kind: str, title: str, start_on: Any, unit_ids: Sequence[int],
          end_on: Any = None, place: str = "", place_kind: str = "", people_reached: Any = 0,
          volunteers: Any = 0, description: str = "") -> dict[str, Any]:
    """Check one activity as entered; return the cleaned values or refuse in Chinese."""
    if kind not in (k.value for k in ActivityKind):
        raise InputRefused("请选择活动类别：" + "、".join(k.label for k in ActivityKind) + "。")
    ids = list(dict.fromkeys(int(i) for i in unit_ids if i))
    if not ids:
        raise InputRefused("请至少选择一个参与单位。")
    units = [rc.get_unit(i) for i in ids]
    founded = [u for u in units if u.founded_on]
    latest = max(founded, key=lambda u: u.founded_on) if founded else None
    start = rc.day(start_on, "开始日期", today=today, not_before=latest.founded_on if latest else None,
                   not_before_what=f"“{latest.name}”的成立日期" if latest else "")
    end = rc.day(end_on, "结束日期", today=today, required=False, not_before=start,
                 not_before_what="开始日期")
    return {
        "kind": kind,
        "title": rc.text(title, "活动名称", required=True, max_len=150),
        "start_on": start,
        "end_on": end,
        "place": rc.text(place, "地点", max_len=150),
        "place_kind": rc.choice(place_kind, PLACE_KINDS, "地点类别", required=False),
        "people_reached": rc.count(people_reached, "受众人数"),
        "volunteers": rc.count(volunteers, "参与志愿者人数", maximum=100_000),
        "description": rc.text(description, "活动情况", max_len=4000),
        "units": units,
    }


def save(*, today: dt.date, uuid: str | None = None, **fields: Any) -> Activity:
    """Create or change an activity and the list of units it involved, in one transaction."""
    clean = check(today=today, **fields)
    units = clean.pop("units")
    office = rc.this_office()
    record = rc.get_owned(Activity, uuid, WHAT) if uuid else Activity(owner_office=office)
    with database.atomic():
        for key, value in clean.items():
            setattr(record, key, value)
        record.save()
        existing = {a.unit_id: a for a in record.units} if uuid else {}
        wanted = {u.id for u in units}
        for unit_id, link in existing.items():
            if unit_id not in wanted:
                link.delete_instance()
        for unit in units:
            if unit.id not in existing:
                ActivityUnit.create(owner_office=office, activity=record, unit=unit)
    return record


def delete(uuid: str) -> None:
    rc.delete_record(rc.get_owned(Activity, uuid, WHAT), WHAT)


def add_photo(uuid: str, path: Path, note: str = "") -> Attachment:
    """Attach a photo or scan to an activity (checked: type matches name, not too big)."""
    return rc.add_attachment(rc.get_owned(Activity, uuid, WHAT), path, note=note)


@dataclass
class ActivityRow:
    uuid: str
    kind: str
    kind_code: str
    title: str
    start_on: dt.date
    end_on: dt.date | None
    place: str
    place_kind: str
    units: str
    unit_ids: list[int]
    people_reached: int
    volunteers: int
    attachments: int
    description: str


COLUMNS = [
    rc.ListColumn("kind", "类别", 14),
    rc.ListColumn("title", "活动名称", 30),
    rc.ListColumn("start_on", "开始日期", 13),
    rc.ListColumn("end_on", "结束日期", 13),
    rc.ListColumn("place", "地点", 20),
    rc.ListColumn("place_kind", "地点类别", 8),
    rc.ListColumn("units", "参与单位", 40),
    rc.ListColumn("people_reached", "受众人数", 9),
    rc.ListColumn("volunteers", "志愿者人数", 9),
    rc.ListColumn("attachments", "照片/附件", 8),
]


def rows(*, unit_id: int | None = None, period: rc.Period | None = None,
         kinds: Sequence[str] | None = None) -> list[ActivityRow]:
    """Activities (of one unit, in a period, of some kinds), newest first; three queries."""
    query = Activity.select()
    if unit_id:
        query = query.where(Activity.id.in_(
            ActivityUnit.select(ActivityUnit.activity).where(ActivityUnit.unit == unit_id)))
    if kinds:
        query = query.where(Activity.kind.in_(list(kinds)))
    acts = list(rc.where_period(query, Activity.start_on, period)
                .order_by(Activity.start_on.desc(), Activity.id.desc()))
    ids = [a.id for a in acts]
    names: dict[int, list[tuple[int, str]]] = {}
    if ids:
        for link in (ActivityUnit.select(ActivityUnit.activity, Unit.id, Unit.name).join(Unit)
                     .where(ActivityUnit.activity.in_(ids)).order_by(Unit.name)):
            names.setdefault(link.activity_id, []).append((link.unit.id, link.unit.name))
    files: dict[str, int] = {}
    if acts:
        for att in Attachment.select(Attachment.entity_uuid).where(
                Attachment.entity_uuid.in_([a.uuid for a in acts])):
            files[att.entity_uuid] = files.get(att.entity_uuid, 0) + 1
    return [
        ActivityRow(uuid=a.uuid, kind=ActivityKind(a.kind).label, kind_code=a.kind, title=a.title,
                    start_on=a.start_on, end_on=a.end_on, place=a.place, place_kind=a.place_kind,
                    units="、".join(n for _i, n in names.get(a.id, [])),
                    unit_ids=[i for i, _n in names.get(a.id, [])],
                    people_reached=a.people_reached, volunteers=a.volunteers,
                    attachments=files.get(a.uuid, 0), description=a.description)
        for a in acts
    ]


def export(path: Path, rows_: list[ActivityRow]) -> int:
    return rc.export_rows(path, COLUMNS, rows_, sheet_title="活动")
