"""Adding and editing units: validation in Chinese, name and head history, commitments.

Every public function that changes something is one user action in one transaction; the
caller wraps it in ``ctx.acting(reason)`` so the audit trail names the officer. Validation
lives here (not in the dialog), so the command line, the Excel import and the dialog refuse
the same things with the same words.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from wqg_desktop.db.models import (
    Bureau,
    Office,
    PoliceType,
    Region,
    ServiceCommitment,
    SyncedModel,
    Unit,
    UnitHead,
    UnitName,
    database,
)
from wqg_desktop.domain import date_rules
from wqg_desktop.domain.chinese import format_date, normalize_name_key
from wqg_desktop.domain.statuses import RegionKind, UnitStatus
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.services.office import this_office
from wqg_desktop.services.pinyin import name_pinyin

NAME_MAX = 120

# ---------------------------------------------------------------------------------------------
# Telephone numbers
# ---------------------------------------------------------------------------------------------

PHONE_FORMS = ("手机号码 11 位（如 13912345678）；固定电话带区号（如 0513-85020355 或 "
               "(0513)85020355）；或服务短号（如 110、12345、12355）")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?([1-9]\d{6,7})(?:(?:-|转)(\d{1,6}))?$")
_LANDLINE_PAREN = re.compile(r"^\((0\d{2,3})\)([1-9]\d{6,7})(?:(?:-|转)(\d{1,6}))?$")
# 110, 119, 120, 122; five-digit public service numbers 12345, 12355, 12110, 96110…
_SHORT = re.compile(r"^(?:1(?:1[0-9]|2[0-9])|1\d{4}|9\d{4})$")


def normalize_phone(text: str, *, what: str = "联系电话") -> str:
    """Check one telephone number and return it in a standard form ('' stays '').

    Accepted: a mobile number (11 digits starting 13–19: 13912345678), a landline with its
    area code (0513-85020355, 0513 85020355, (0513)85020355, with an extension 转123 or
    -123), or a short public service number (110, 12345, 12355, 96110). Full-width digits
    and brackets are folded first. A landline without area code is refused, because the
    number is printed on commitment boards and cards read outside the county.
    """
    raw = text or ""
    s = unicodedata.normalize("NFKC", raw).strip()
    if not s:
        return ""
    s = s.replace("（", "(").replace("）", ")")
    compact = re.sub(r"[\s]", "", s)
    digits_only = re.sub(r"[\s-]", "", s)
    if _MOBILE.match(digits_only):
        return digits_only
    if _SHORT.match(digits_only):
        return digits_only
    for pattern in (_LANDLINE, _LANDLINE_PAREN):
        m = pattern.match(compact)
        if m:
            area, number, ext = m.groups()
            return f"{area}-{number}" + (f"转{ext}" if ext else "")
    if re.fullmatch(r"[1-9]\d{6,7}", digits_only):
        raise InputRefused(f"{what}“{raw}”缺少区号：固定电话请写成 0513-{digits_only} 的形式。")
    raise InputRefused(f"{what}“{raw}”不是有效的电话号码。可以填写：{PHONE_FORMS}。")


# ---------------------------------------------------------------------------------------------
# Ownership
# ---------------------------------------------------------------------------------------------

def require_own(row: SyncedModel, what: str) -> None:
    """Refuse to change a record another office keeps (DOMAIN: only the owner edits it)."""
    office = this_office()
    owner_id = row.owner_office_id  # type: ignore[attr-defined]
    if office is None or owner_id is None or owner_id == office.id:
        return
    owner = Office.get_or_none(Office.id == owner_id)
    owner_name = owner.name if owner else "其他办公室"
    raise RuleViolation(f"该{what}由{owner_name}维护，本办公室不能修改；需要更改请联系{owner_name}，"
                        "由其修改后通过上报包传来。")


def ownership_problem(row: SyncedModel, what: str) -> str:
    """The refusal :func:`require_own` would give, or '' (for dialogs that check as you go)."""
    try:
        require_own(row, what)
    except RuleViolation as exc:
        return exc.message
    return ""


def get_unit(unit_id: int) -> Unit:
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise NotFound("找不到这个单位，可能已被删除；请刷新名册后重试。")
    return unit


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

@dataclass
class UnitFields:
    """What the edit dialog (and the import) hands in; text as typed."""

    name: str = ""
    region_id: int | None = None
    police_type_id: int | None = None
    bureau_id: int | None = None
    code: str = ""
    unit_kind: str = ""
    head_name: str = ""
    head_post: str = ""
    head_phone: str = ""
    rights_hotline: str = ""
    address: str = ""
    online: bool = False
    online_since: dt.date | None = None
    volunteer_team: str = ""
    note: str = ""


def clean_name(name: str) -> str:
    """Trim and fold full-width letters/digits/brackets the way names are printed."""
    text = unicodedata.normalize("NFKC", name or "")
    text = "".join(text.split())  # official names have no spaces
    return text.replace("(", "（").replace(")", "）")


def find_look_alike(name: str, region_id: int, *, exclude_id: int | None = None) -> Unit | None:
    """An active unit of the same region whose name differs from ``name`` only in width,
    spacing, bracket or dash style (``normalize_name_key``), or ``None``. Units merged or
    split away no longer carry their name, so a successor may take it."""
    query = Unit.select().where(Unit.name_key == normalize_name_key(name),
                                Unit.region == region_id, Unit.status == UnitStatus.ACTIVE)
    if exclude_id is not None:
        query = query.where(Unit.id != exclude_id)
    return query.first()


def validate_unit(f: UnitFields, *, unit_id: int | None = None,
                  today: dt.date | None = None) -> UnitFields:
    """Check a unit's fields; return them cleaned or raise :class:`InputRefused` in Chinese.

    Required: name, region (county/district or 市直) and police type. Telephone numbers
    must be one of :data:`PHONE_FORMS`. No second unit with the same name (or a look-alike
    of it) in the same region. A retired police type (消防 since 2018) takes no new units,
    and an existing unit cannot be moved into one. The date it went live on 青少年维权在线
    lies between 1998 and ``today`` (only the earliest is checked without ``today``).
    """
    name = clean_name(f.name)
    if not name:
        raise InputRefused("请填写单位名称（全称），例如“如东县公安局掘港派出所”。")
    if len(name) > NAME_MAX:
        raise InputRefused(f"单位名称过长（{len(name)} 个字），最多 {NAME_MAX} 个字。")
    if not f.region_id:
        raise InputRefused("请选择所属县(市、区)；市局直属单位请选“市直”。")
    region = Region.get_or_none(Region.id == f.region_id)
    if region is None:
        raise InputRefused("所选县(市、区)不存在，请重新选择。")
    if region.merged_into_id is not None:
        raise InputRefused(f"{region.name}已并入其他县(市、区)，请选择现在的县(市、区)。")
    if not f.police_type_id:
        raise InputRefused("请选择警种；不属于所列警种的单位请选“其他”。")
    ptype = PoliceType.get_or_none(PoliceType.id == f.police_type_id)
    if ptype is None:
        raise InputRefused("所选警种不存在，请重新选择。")
    current = Unit.get_or_none(Unit.id == unit_id) if unit_id else None
    if ptype.retired_on is not None and (current is None or current.police_type_id != ptype.id):
        raise RuleViolation(
            f"警种“{ptype.name}”已于{format_date(ptype.retired_on)}撤出"
            f"（{ptype.retired_reason or '不再属于公安机关'}），不能再新增或改入该警种的单位；"
            "原有单位及其记录仍然保留。")
    if f.bureau_id and Bureau.get_or_none(Bureau.id == f.bureau_id) is None:
        raise InputRefused("所选公安局/分局不存在，请重新选择。")
    twin = find_look_alike(name, region.id, exclude_id=unit_id)
    if twin is not None:
        same = "同名单位" if twin.name == name else f"名称几乎相同的单位“{twin.name}”"
        raise RuleViolation(f"{region.name}已有{same}（编号 {twin.code or twin.uuid[:8]}）；"
                            "同一县(市、区)不能有两个同名单位。如是同一单位，请修改原记录。")
    if f.online and f.online_since is not None:
        founded = current.founded_on if current is not None else None
        date_rules.check_happened(f.online_since, "上线日期", today=today,
                                  not_before=founded, not_before_what="单位成立日期")
    head_phone = normalize_phone(f.head_phone, what="负责人电话")
    hotline = normalize_phone(f.rights_hotline, what="维权电话")
    for value, label, limit in ((f.head_name, "负责人姓名", 50), (f.head_post, "负责人职务", 50),
                                (f.address, "地址", 200), (f.code, "单位编号", 40),
                                (f.volunteer_team, "志愿服务队", 100), (f.unit_kind, "单位类别", 30)):
        if len((value or "").strip()) > limit:
            raise InputRefused(f"{label}过长，最多 {limit} 个字。")
    return UnitFields(
        name=name, region_id=region.id, police_type_id=ptype.id, bureau_id=f.bureau_id or None,
        code=f.code.strip(), unit_kind=f.unit_kind.strip(), head_name=f.head_name.strip(),
        head_post=f.head_post.strip(), head_phone=head_phone, rights_hotline=hotline,
        address=f.address.strip(), online=bool(f.online),
        online_since=f.online_since if f.online else None,
        volunteer_team=f.volunteer_team.strip(), note=f.note.strip())


def _apply(unit: Unit, f: UnitFields) -> None:
    unit.name = f.name
    unit.name_key = normalize_name_key(f.name)
    unit.pinyin = name_pinyin(f.name)
    unit.region = f.region_id
    unit.police_type = f.police_type_id
    unit.bureau = f.bureau_id
    for attr in ("code", "unit_kind", "head_name", "head_post", "head_phone", "address",
                 "online", "online_since", "volunteer_team", "note"):
        setattr(unit, attr, getattr(f, attr))
    unit.rights_hotline = f.rights_hotline


# ---------------------------------------------------------------------------------------------
# Create and edit
# ---------------------------------------------------------------------------------------------

def create_unit(fields: UnitFields, *, today: dt.date) -> Unit:
    """Add a unit to the register (kept by this office), with its first head on record."""
    with database.atomic():
        f = validate_unit(fields, today=today)
        unit = Unit(owner_office=this_office(), status=UnitStatus.ACTIVE, founded_on=None)
        _apply(unit, f)
        unit.save()
        if f.head_name:
            UnitHead.create(owner_office=this_office(), unit=unit, name=f.head_name,
                            post=f.head_post, phone=f.head_phone, since=today)
    return unit


def update_unit(unit_id: int, fields: UnitFields, *, today: dt.date) -> Unit:
    """Save an edited unit. A changed name here is a *correction* (no history); a real
    rename goes through :func:`rename_unit`. A new head closes the previous head's record
    (a new head must attend training again)."""
    with database.atomic():
        unit = get_unit(unit_id)
        require_own(unit, "单位")
        f = validate_unit(fields, unit_id=unit.id, today=today)
        head_changed = f.head_name != unit.head_name
        _apply(unit, f)
        unit.save()
        current = (UnitHead.select().where(UnitHead.unit == unit, UnitHead.until.is_null())
                   .order_by(UnitHead.id.desc()).first())
        if head_changed:
            if current is not None:
                current.until = today
                current.save()
            if f.head_name:
                UnitHead.create(owner_office=this_office(), unit=unit, name=f.head_name,
                                post=f.head_post, phone=f.head_phone, since=today)
        elif current is not None and (current.post, current.phone) != (f.head_post, f.head_phone):
            current.post, current.phone = f.head_post, f.head_phone
            current.save()
    return unit


def fields_of(unit: Unit) -> UnitFields:
    """The edit form's starting values."""
    return UnitFields(
        name=unit.name, region_id=unit.region_id, police_type_id=unit.police_type_id,
        bureau_id=unit.bureau_id, code=unit.code, unit_kind=unit.unit_kind,
        head_name=unit.head_name, head_post=unit.head_post, head_phone=unit.head_phone,
        rights_hotline=unit.rights_hotline, address=unit.address, online=bool(unit.online),
        online_since=unit.online_since, volunteer_team=unit.volunteer_team, note=unit.note)


# ---------------------------------------------------------------------------------------------
# Names through time
# ---------------------------------------------------------------------------------------------

def rename_unit(unit_id: int, *, new_name: str, on: dt.date, note: str = "",
                today: dt.date | None = None) -> Unit:
    """Rename a unit from ``on``; the old name is kept (valid until ``on``) so certificates
    and lists of earlier dates show the name the unit carried then. ``on`` lies between
    1949-10-01 and ``today`` (:func:`date_rules.check_register_day`)."""
    if on is not None:
        date_rules.check_register_day(on, "更名日期", today=today)
    with database.atomic():
        unit = get_unit(unit_id)
        require_own(unit, "单位")
        name = clean_name(new_name)
        if not name:
            raise InputRefused("请填写新的单位名称。")
        if normalize_name_key(name) == unit.name_key:
            raise InputRefused("新名称与现名称相同，无需更名；只改错别字请用“修改”。")
        if on is None:
            raise InputRefused("请填写更名日期。")
        last = (UnitName.select().where(UnitName.unit == unit)
                .order_by(UnitName.valid_to.desc()).first())
        if last is not None and last.valid_to and on <= last.valid_to:
            raise RuleViolation(f"更名日期应晚于上一次更名（{format_date(last.valid_to)}）。")
        twin = find_look_alike(name, unit.region_id, exclude_id=unit.id)
        if twin is not None:
            raise RuleViolation(f"本县(市、区)已有单位“{twin.name}”，不能更名为相同（或几乎相同）的名称。")
        UnitName.create(owner_office=this_office(), unit=unit, name=unit.name,
                        valid_from=last.valid_to if last else unit.founded_on, valid_to=on,
                        note=note.strip() or "更名")
        unit.name, unit.name_key, unit.pinyin = name, normalize_name_key(name), name_pinyin(name)
        unit.save()
    return unit


def unit_name_on(unit: Unit, day: dt.date | None) -> str:
    """The name ``unit`` carried on ``day`` (its current name when no earlier name covers it).

    A :class:`UnitName` row holds a former name up to ``valid_to`` (exclusive); the one with
    the earliest ``valid_to`` after ``day`` is the name of that day.
    """
    if day is None:
        return unit.name
    row = (UnitName.select().where(UnitName.unit == unit, UnitName.valid_to > day,
                                   (UnitName.valid_from.is_null()) | (UnitName.valid_from <= day))
           .order_by(UnitName.valid_to.asc()).first())
    return row.name if row is not None else unit.name


def name_history(unit_id: int) -> list[tuple[str, dt.date | None, dt.date | None, str]]:
    """(name, from, until, note) oldest first, ending with the current name."""
    unit = get_unit(unit_id)
    rows = [(n.name, n.valid_from, n.valid_to, n.note)
            for n in UnitName.select().where(UnitName.unit == unit).order_by(UnitName.valid_to)]
    since = rows[-1][2] if rows else unit.founded_on
    return rows + [(unit.name, since, None, "现名称")]


# ---------------------------------------------------------------------------------------------
# Service commitment
# ---------------------------------------------------------------------------------------------

@dataclass
class CommitmentFields:
    text: str = ""
    rights_content: str = ""
    hotline: str = ""
    address: str = ""
    responsible_person: str = ""
    published_on: dt.date | None = None


def current_commitment(unit_id: int) -> ServiceCommitment | None:
    return (ServiceCommitment.select().where(ServiceCommitment.unit == unit_id)
            .order_by(ServiceCommitment.id.desc()).first())


def validate_commitment(f: CommitmentFields, *, today: dt.date | None = None) -> CommitmentFields:
    text = (f.text or "").strip()
    if f.published_on is not None:
        date_rules.check_happened(f.published_on, "公示日期", today=today)
    if not text:
        raise InputRefused("请填写服务承诺的内容（公示牌上的承诺文字）。")
    if len(text) > 2000:
        raise InputRefused("服务承诺过长（最多 2000 字），公示牌放不下。")
    return CommitmentFields(
        text=text, rights_content=(f.rights_content or "").strip(),
        hotline=normalize_phone(f.hotline, what="维权热线"), address=(f.address or "").strip(),
        responsible_person=(f.responsible_person or "").strip(), published_on=f.published_on)


def save_commitment(unit_id: int, fields: CommitmentFields) -> ServiceCommitment:
    """Create or update the unit's 服务承诺 (one current commitment per unit)."""
    with database.atomic():
        unit = get_unit(unit_id)
        require_own(unit, "单位")
        f = validate_commitment(fields)
        row = current_commitment(unit.id)
        if row is None:
            row = ServiceCommitment(owner_office=this_office(), unit=unit)
        elif row.owner_office_id is not None:
            require_own(row, "服务承诺")
        for attr in ("text", "rights_content", "hotline", "address", "responsible_person",
                     "published_on"):
            setattr(row, attr, getattr(f, attr))
        row.save()
    return row


def region_is_city_direct(region_id: int) -> bool:
    region = Region.get_or_none(Region.id == region_id)
    return region is not None and region.kind == RegionKind.CITY_DIRECT
