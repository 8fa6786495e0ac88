"""What every kind of 日常工作台账 record shares: checks, ownership, periods, export, files.

The checks refuse bad input with a Chinese message before anything is written, so one user
action either saves whole or saves nothing (DOMAIN, issue 6 "Bad input").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wqg_desktop.db.models import Attachment, Office, SyncedModel, Unit, database
from wqg_desktop.domain import date_rules
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.exchange import xlsx
from wqg_desktop.services import attachments
from wqg_desktop.services import office as office_service


@dataclass(frozen=True)
class ListColumn:
    """One column of a list: the row attribute, its Chinese header, its width in Excel."""

    key: str
    header: str
    width: int = 14


@dataclass(frozen=True)
class Period:
    """A filter on dates, both ends included; ``None`` leaves that side open."""

    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, day: dt.date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def label(self) -> str:
        if self.start and self.end:
            return f"{format_date(self.start)}至{format_date(self.end)}"
        if self.start:
            return f"{format_date(self.start)}起"
        if self.end:
            return f"截至{format_date(self.end)}"
        return "全部期间"


def where_period(query: Any, field: Any, period: Period | None) -> Any:
    """Restrict ``query`` to rows whose ``field`` falls in ``period``."""
    if period is not None:
        if period.start is not None:
            query = query.where(field >= period.start)
        if period.end is not None:
            query = query.where(field <= period.end)
    return query


def fmt_date(day: dt.date | None) -> str:
    return format_date(day) if day else ""


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------


def text(value: str | None, what: str, *, required: bool = False, max_len: int = 200) -> str:
    """Trimmed text; refuse it when required and empty or when longer than ``max_len``."""
    clean = (value or "").strip()
    if required and not clean:
        raise InputRefused(f"请填写{what}。")
    if len(clean) > max_len:
        raise InputRefused(f"{what}过长：最多 {max_len} 个字，现在 {len(clean)} 个字。")
    return clean


def count(value: int | str | None, what: str, *, maximum: int = 1_000_000) -> int:
    """A number of people or items: a whole number, not negative."""
    if value in (None, ""):
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InputRefused(f"{what}应填写整数，例如 120。") from None
    if number < 0:
        raise InputRefused(f"{what}不能是负数。")
    if number > maximum:
        raise InputRefused(f"{what}过大（{number}）：请核对，最多 {maximum}。")
    return number


def day(value: dt.date | str | None, what: str, *, today: dt.date, required: bool = True,
        not_before: dt.date | None = None, not_before_what: str = "") -> dt.date | None:
    """A date that has happened: not in the future, not before the campaign began
    (:data:`date_rules.EARLIEST`) and not before ``not_before``."""
    parsed = _parse_day(value, what)
    if parsed is None:
        if required:
            raise InputRefused(f"请填写{what}。")
        return None
    return date_rules.check_happened(parsed, what, today=today, not_before=not_before,
                                     not_before_what=not_before_what)


def _parse_day(value: dt.date | str | None, what: str) -> dt.date | None:
    """A date or its ISO text; ``None`` for nothing; a Chinese refusal for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InputRefused(f"{what}“{value}”无法识别：请写成 2026-11-26 的形式。") from None
    assert isinstance(value, dt.date)
    return value


def planned_day(value: dt.date | str | None, what: str, *, today: dt.date,
                not_before: dt.date | None = None, not_before_what: str = "") -> dt.date | None:
    """A deadline (办理期限…): may lie ahead, within :data:`date_rules.PLAN_YEARS` years of
    ``today``, and not before ``not_before``; empty gives ``None``."""
    parsed = _parse_day(value, what)
    if parsed is None:
        return None
    return date_rules.check_planned(parsed, what, today=today, not_before=not_before,
                                    not_before_what=not_before_what)


def unit_day(value: dt.date | str | None, what: str, unit: Unit, *, today: dt.date,
             required: bool = True) -> dt.date | None:
    """A date of a unit's work: not in the future and not before the unit existed."""
    return day(value, what, today=today, required=required, not_before=unit.founded_on,
               not_before_what=f"“{unit.name}”的成立日期")


def get_unit(unit_id: int | None) -> Unit:
    if not unit_id:
        raise InputRefused("请选择单位。")
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise NotFound("所选单位已不存在，请刷新后重新选择。")
    return unit


def this_office() -> Office:
    office = office_service.this_office()
    if office is None:
        raise RuleViolation("尚未设置本办公室：请先完成首次设置。")
    return office


def ensure_owned(record: SyncedModel, what: str) -> None:
    """An office edits only its own rows: the others' come from packages and stay as sent."""
    office = this_office()
    if record.owner_office_id not in (None, office.id):
        owner = Office.get_or_none(Office.id == record.owner_office_id)
        raise RuleViolation(
            f"这条{what}属于{owner.name if owner else '其他单位'}，由其上报而来，本办公室不能修改或删除；"
            "如有错误，请通知该单位更正后重新上报。"
        )


def get_owned(model: type[SyncedModel], ident: str, what: str) -> Any:
    record = model.get_or_none(model.uuid == ident)
    if record is None:
        raise NotFound(f"这条{what}已不存在，可能已被删除，请刷新列表。")
    ensure_owned(record, what)
    return record


def choice(value: str | None, allowed: Iterable[str], what: str, *, required: bool = True) -> str:
    clean = (value or "").strip()
    options = list(allowed)
    if not clean and not required:
        return ""
    if clean not in options:
        raise InputRefused(f"{what}只能是：{'、'.join(options)}。")
    return clean


_ID_RE = re.compile(r"^(\d{17}[\dX]|\d{15})$")


def id_number(value: str | None, what: str = "身份证号") -> str:
    """An identity-card number as entered (18 digits, the last may be X; or the old 15)."""
    clean = "".join((value or "").split()).upper()
    if clean and not _ID_RE.match(clean):
        raise InputRefused(f"{what}应为 18 位（最后一位可以是 X）或 15 位数字；不知道可以不填。")
    return clean


def delete_record(record: SyncedModel, what: str) -> None:
    """Delete one owned record (and what hangs on it) in one transaction."""
    ensure_owned(record, what)
    with database.atomic():
        Attachment.delete().where(Attachment.entity_uuid == record.uuid).execute()
        record.delete_instance(recursive=True)


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def export_rows(path: Path, columns: Sequence[ListColumn], rows: Iterable[Any], *,
                sheet_title: str) -> int:
    """Write the rows of a list, exactly as the screen shows them (masked unless disclosed)."""
    return xlsx.write_table(
        Path(path), [c.header for c in columns],
        ([_cell(getattr(r, c.key)) for c in columns] for r in rows),
        sheet_title=sheet_title, widths=[c.width for c in columns],
    )


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else value


# ---------------------------------------------------------------------------------------------
# Attachments (photos and scans of activities)
# ---------------------------------------------------------------------------------------------


def add_attachment(record: SyncedModel, path: Path, *, note: str = "") -> Attachment:
    """Attach a file to an owned record through the shared attachment service.

    ``services.attachments`` refuses a file that is empty, over 20 MB, or whose bytes are not
    what its extension says, before anything is copied or recorded.
    """
    ensure_owned(record, "记录")
    return attachments.add_attachment(entity=type(record).__name__, entity_uuid=record.uuid,
                                      source=path, note=text(note, "附件说明", max_len=200))


def attachments_of(record: SyncedModel) -> list[Attachment]:
    return attachments.attachments_of(type(record).__name__, record.uuid)


def unit_choices(*, active_only: bool = False) -> list[tuple[int, str]]:
    """Units for the filter and edit boxes, by region then name."""
    from wqg_desktop.db.models import Region

    query = Unit.select(Unit.id, Unit.name).join(Region)
    if active_only:
        query = query.where(Unit.status == "active")
    return [(u.id, u.name) for u in query.order_by(Region.sort_order, Unit.name)]
