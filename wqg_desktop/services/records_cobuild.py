"""百岗千村共建: a unit paired with a village or community, and the help it gave.

Help goes to young people of the key groups of the notice; a help record may name the minor
helped, which is masked in every list, print and export like a complaint's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wqg_desktop.db.models import CoBuilding, CoBuildingHelp, Unit, database
from wqg_desktop.domain.statuses import HELP_KINDS, YOUTH_GROUPS
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import privacy
from wqg_desktop.services import records_common as rc
from wqg_desktop.services.privacy import Disclosure

WHAT = "共建记录"
HELP_WHAT = "帮扶记录"


def check(*, today: dt.date, unit_id: int | None, township: str, village: str,
          started_on: Any = None, note: str = "") -> dict[str, Any]:
    unit = rc.get_unit(unit_id)
    return {
        "unit": unit,
        "township": rc.text(township, "乡镇（街道）", required=True, max_len=60),
        "village": rc.text(village, "村（社区）", required=True, max_len=60),
        "started_on": rc.unit_day(started_on, "共建开始日期", unit, today=today, required=False),
        "note": rc.text(note, "备注", max_len=2000),
    }


def save(*, today: dt.date, uuid: str | None = None, **fields: Any) -> CoBuilding:
    """Create or change a pairing of a unit with a village or community."""
    clean = check(today=today, **fields)
    record = (rc.get_owned(CoBuilding, uuid, WHAT) if uuid
              else CoBuilding(owner_office=rc.this_office()))
    if uuid and record.unit_id != clean["unit"].id and record.helps.count():
        raise InputRefused("这项共建已有帮扶记录，不能改到别的单位名下；请另建一项共建。")
    for key, value in clean.items():
        setattr(record, key, value)
    with database.atomic():
        record.save()
    return record


def delete(uuid: str) -> None:
    """Delete a pairing with its help records (the audit trail masks the minors' data)."""
    record = rc.get_owned(CoBuilding, uuid, WHAT)
    with database.atomic():
        for help_record in list(record.helps):
            help_record.delete_instance()
        record.delete_instance()


def check_help(*, today: dt.date, cobuilding_uuid: str, on: Any, youth_group: str,
               help_kind: str, description: str = "", minor_name: str = "",
               minor_id_no: str = "") -> dict[str, Any]:
    cb = CoBuilding.get_or_none(CoBuilding.uuid == cobuilding_uuid)
    if cb is None:
        raise InputRefused("请先选择一项共建（单位与村、社区的结对）。")
    start = cb.started_on or cb.unit.founded_on
    return {
        "cobuilding": cb,
        "on": rc.day(on, "帮扶日期", today=today, not_before=start,
                     not_before_what="共建开始日期" if cb.started_on else "单位成立日期"),
        "youth_group": rc.choice(youth_group, YOUTH_GROUPS, "重点青少年群体"),
        "help_kind": rc.choice(help_kind, HELP_KINDS, "帮扶方式"),
        "description": rc.text(description, "帮扶情况", max_len=4000),
        "minor_name": rc.text(minor_name, "帮扶对象姓名", max_len=50),
        "minor_id_no": rc.id_number(minor_id_no, "帮扶对象身份证号"),
    }


def save_help(*, today: dt.date, uuid: str | None = None, **fields: Any) -> CoBuildingHelp:
    """Create or change a help record; the minor's identity is kept only as entered."""
    clean = check_help(today=today, **fields)
    record = (rc.get_owned(CoBuildingHelp, uuid, HELP_WHAT) if uuid
              else CoBuildingHelp(owner_office=rc.this_office()))
    rc.ensure_owned(clean["cobuilding"], WHAT)
    for key, value in clean.items():
        setattr(record, key, value)
    record.save()
    return record


def delete_help(uuid: str) -> None:
    rc.get_owned(CoBuildingHelp, uuid, HELP_WHAT).delete_instance()


@dataclass
class CoBuildRow:
    """One row per help given (a pairing without help yet shows once, with empty help)."""

    uuid: str
    help_uuid: str
    unit_id: int
    unit: str
    township: str
    village: str
    started_on: dt.date | None
    on: dt.date | None
    youth_group: str
    help_kind: str
    description: str
    minor_name: str
    minor_id_no: str
    masked: bool
    has_minor: bool


COLUMNS = [
    rc.ListColumn("unit", "单位", 30),
    rc.ListColumn("township", "乡镇（街道）", 12),
    rc.ListColumn("village", "村（社区）", 14),
    rc.ListColumn("started_on", "共建开始", 13),
    rc.ListColumn("on", "帮扶日期", 13),
    rc.ListColumn("youth_group", "重点群体", 24),
    rc.ListColumn("help_kind", "帮扶方式", 10),
    rc.ListColumn("minor_name", "帮扶对象", 10),
    rc.ListColumn("minor_id_no", "身份证号", 20),
    rc.ListColumn("description", "帮扶情况", 40),
]


def rows(*, unit_id: int | None = None, period: rc.Period | None = None,
         disclosure: Disclosure | None = None) -> list[CoBuildRow]:
    """Pairings with their help in the period; minors masked unless disclosed."""
    query = CoBuilding.select(CoBuilding, Unit).join(Unit)
    if unit_id:
        query = query.where(CoBuilding.unit == unit_id)
    pairs = list(query.order_by(Unit.name, CoBuilding.village))
    helps: dict[int, list[CoBuildingHelp]] = {}
    if pairs:
        hq = CoBuildingHelp.select().where(CoBuildingHelp.cobuilding.in_([p.id for p in pairs]))
        for h in rc.where_period(hq, CoBuildingHelp.on, period).order_by(CoBuildingHelp.on):
            helps.setdefault(h.cobuilding_id, []).append(h)
    out = []
    for p in pairs:
        base = dict(uuid=p.uuid, unit_id=p.unit_id, unit=p.unit.name, township=p.township,
                    village=p.village, started_on=p.started_on)
        if not helps.get(p.id):
            out.append(CoBuildRow(**base, help_uuid="", on=None, youth_group="", help_kind="",
                                  description=p.note, minor_name="", minor_id_no="",
                                  masked=True, has_minor=False))
        for h in helps.get(p.id, []):
            minor = privacy.minor_view(h, disclosure)
            out.append(CoBuildRow(**base, help_uuid=h.uuid, on=h.on, youth_group=h.youth_group,
                                  help_kind=h.help_kind,
                                  description=privacy.free_text(h, "description", disclosure),
                                  minor_name=minor.name, minor_id_no=minor.id_no,
                                  masked=minor.masked, has_minor=privacy.has_minor_data(h)))
    return out


def help_records(uuids: list[str]) -> list[CoBuildingHelp]:
    return list(CoBuildingHelp.select().where(CoBuildingHelp.uuid.in_(uuids)))


def export(path: Path, rows_: list[CoBuildRow]) -> int:
    return rc.export_rows(path, COLUMNS, rows_, sheet_title="百岗千村共建")
