"""The leading group (创建活动领导小组) and the supervisors (监督员) of this office.

Leading group: one row per role. A person holding a second role (附件1: 李荣伟, 成员 and
办公室主任(兼)) has a second row with ``concurrent=True``, which must match a person who holds
another role in a row of their own. Supervisors: category, employer, phone, appointment and the
end of their term; :func:`expired_supervisors` lists those whose term has ended.
Each change is one call and one transaction; only this office's own rows are changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from wqg_desktop.db.models import LeadingGroupMember, Supervisor, SyncedModel, database
from wqg_desktop.domain import date_rules
from wqg_desktop.domain.chinese import normalize_name_key
from wqg_desktop.domain.statuses import LeadingRole, SupervisorCategory
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.services import office as office_service
from wqg_desktop.services.field_parsing import clean_text, parse_phone

#: print order of the roles
ROLE_ORDER = {LeadingRole.LEADER: 0, LeadingRole.MEMBER: 1, LeadingRole.OFFICE_DIRECTOR: 2}


def _own(row: SyncedModel, what: str) -> None:
    office = office_service.this_office()
    if office is None:
        raise InputRefused("请先设置本办公室。")
    if row.owner_office_id not in (None, office.id):  # type: ignore[attr-defined]
        raise RuleViolation(f"这条{what}记录由其他办公室维护，本办公室不能修改。")


def _text(value: str, what: str, limit: int, *, required: bool = False) -> str:
    text = clean_text(value)
    if required and not text:
        raise InputRefused(f"请填写{what}。")
    if len(text) > limit:
        raise InputRefused(f"{what}过长（最多 {limit} 个字）。")
    return text


def _role(value: str) -> LeadingRole:
    try:
        return LeadingRole.from_label(value)  # type: ignore[return-value]
    except ValueError:
        raise InputRefused(f"没有“{value}”这个职务：只能是 组长、成员 或 办公室主任。") from None


# ---------------------------------------------------------------------------------------------
# Leading group
# ---------------------------------------------------------------------------------------------


@dataclass
class MemberFields:
    role: str
    name: str
    post: str = ""
    employer: str = ""
    concurrent: bool = False


def list_members() -> list[LeadingGroupMember]:
    """The members in print order: role, then the officer's order within the role."""
    rows = list(LeadingGroupMember.select())
    return sorted(rows, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.sort_order, m.id))


def validate_member(f: MemberFields, *, member_id: int | None = None) -> MemberFields:
    """Check a member before saving; raise :class:`InputRefused` in Chinese."""
    role = _role(f.role)
    name = _text(f.name, "姓名", 50, required=True)
    post = _text(f.post, "职务", 100, required=True)
    employer = _text(f.employer, "工作单位", 100)
    key = normalize_name_key(name)
    others = [m for m in LeadingGroupMember.select() if m.id != member_id
              and normalize_name_key(m.name) == key]
    if any(m.role == role for m in others):
        raise RuleViolation(f"{name}已经是领导小组的{role.label}，不能重复添加。")
    if f.concurrent:
        if not any(not m.concurrent and m.role != role for m in others):
            raise RuleViolation(
                f"“兼”表示{name}同时担任另一职务：请先把{name}以其本职（如 成员）加入领导小组，"
                f"再添加兼任的{role.label}。")
    elif any(not m.concurrent for m in others):
        raise RuleViolation(f"{name}已在领导小组中担任其他职务：兼任的职务请勾选“兼”。")
    return MemberFields(role=str(role), name=name, post=post, employer=employer,
                        concurrent=bool(f.concurrent))


def add_member(f: MemberFields) -> LeadingGroupMember:
    """Add a member at the end of their role's list."""
    with database.atomic():
        clean = validate_member(f)
        last = (LeadingGroupMember.select(fn.MAX(LeadingGroupMember.sort_order))
                .where(LeadingGroupMember.role == clean.role).scalar())
        return LeadingGroupMember.create(
            owner_office=office_service.this_office(), role=clean.role, name=clean.name,
            post=clean.post, employer=clean.employer, concurrent=clean.concurrent,
            sort_order=(last if last is not None else -1) + 1)


def _member(member_id: int) -> LeadingGroupMember:
    member = LeadingGroupMember.get_or_none(LeadingGroupMember.id == member_id)
    if member is None:
        raise NotFound("找不到这位领导小组成员，可能已被删除；请刷新后重试。")
    return member


def update_member(member_id: int, f: MemberFields) -> LeadingGroupMember:
    with database.atomic():
        member = _member(member_id)
        _own(member, "领导小组成员")
        clean = validate_member(f, member_id=member_id)
        renamed = normalize_name_key(member.name) != normalize_name_key(clean.name)
        if renamed and not member.concurrent and _concurrent_rows_of(member):
            raise RuleViolation(f"{member.name}还兼任其他职务：请先删除或改正兼任的那一行，再改姓名。")
        if clean.role != member.role:
            member.sort_order = 1 + (LeadingGroupMember.select(fn.MAX(LeadingGroupMember.sort_order))
                                     .where(LeadingGroupMember.role == clean.role).scalar() or 0)
        member.role, member.name, member.post = clean.role, clean.name, clean.post
        member.employer, member.concurrent = clean.employer, clean.concurrent
        member.save()
        return member


def _concurrent_rows_of(member: LeadingGroupMember) -> list[LeadingGroupMember]:
    key = normalize_name_key(member.name)
    return [m for m in LeadingGroupMember.select().where(LeadingGroupMember.concurrent == True)  # noqa: E712
            if m.id != member.id and normalize_name_key(m.name) == key]


def delete_member(member_id: int) -> None:
    """Remove a member; a person's own row cannot go while a concurrent row still needs it."""
    with database.atomic():
        member = _member(member_id)
        _own(member, "领导小组成员")
        if not member.concurrent and _concurrent_rows_of(member):
            raise RuleViolation(f"{member.name}还兼任其他职务：请先删除兼任的那一行。")
        member.delete_instance()


def move_member(member_id: int, step: int) -> None:
    """Move a member up (-1) or down (+1) within their role."""
    with database.atomic():
        member = _member(member_id)
        _own(member, "领导小组成员")
        same = [m for m in list_members() if m.role == member.role]
        index = next(i for i, m in enumerate(same) if m.id == member.id)
        target = index + step
        if not 0 <= target < len(same):
            return
        same.insert(target, same.pop(index))
        for order, row in enumerate(same):
            if row.sort_order != order:
                row.sort_order = order
                row.save()


# ---------------------------------------------------------------------------------------------
# Supervisors
# ---------------------------------------------------------------------------------------------


@dataclass
class SupervisorFields:
    name: str
    category: str
    employer: str = ""
    phone: str = ""
    appointed_on: dt.date | None = None
    term_end: dt.date | None = None
    note: str = ""


def validate_supervisor(f: SupervisorFields, *, today: dt.date) -> SupervisorFields:
    name = _text(f.name, "姓名", 50, required=True)
    try:
        category = SupervisorCategory.from_label(f.category)
    except ValueError:
        labels = "、".join(label for _v, label in SupervisorCategory.choices())
        raise InputRefused(f"请选择监督员类别（{labels}）。") from None
    employer = _text(f.employer, "工作单位", 100)
    phone = parse_phone(f.phone, what="联系电话")
    if f.appointed_on is not None and f.appointed_on > today:
        raise InputRefused("聘任日期不能晚于今天。")
    if f.appointed_on is not None:
        date_rules.check_happened(f.appointed_on, "聘任日期", today=today)
    if f.appointed_on and f.term_end and f.term_end <= f.appointed_on:
        raise InputRefused("任期届满日期应晚于聘任日期。")
    if f.term_end is not None:
        date_rules.check_planned(f.term_end, "任期届满日期", today=today)
    return SupervisorFields(name=name, category=str(category), employer=employer, phone=phone,
                            appointed_on=f.appointed_on, term_end=f.term_end,
                            note=_text(f.note, "备注", 500))


def list_supervisors() -> list[Supervisor]:
    return list(Supervisor.select().order_by(Supervisor.category, Supervisor.name))


def add_supervisor(f: SupervisorFields, *, today: dt.date) -> Supervisor:
    with database.atomic():
        clean = validate_supervisor(f, today=today)
        return Supervisor.create(owner_office=office_service.this_office(), **clean.__dict__)


def _supervisor(supervisor_id: int) -> Supervisor:
    row = Supervisor.get_or_none(Supervisor.id == supervisor_id)
    if row is None:
        raise NotFound("找不到这位监督员，可能已被删除；请刷新后重试。")
    return row


def update_supervisor(supervisor_id: int, f: SupervisorFields, *, today: dt.date) -> Supervisor:
    with database.atomic():
        row = _supervisor(supervisor_id)
        _own(row, "监督员")
        for key, value in validate_supervisor(f, today=today).__dict__.items():
            setattr(row, key, value)
        row.save()
        return row


def delete_supervisor(supervisor_id: int) -> None:
    with database.atomic():
        row = _supervisor(supervisor_id)
        _own(row, "监督员")
        row.delete_instance()


def expired_supervisors(today: dt.date) -> list[Supervisor]:
    """Supervisors whose term has ended (term end before ``today``): to renew or replace."""
    return list(Supervisor.select().where(Supervisor.term_end < today)
                .order_by(Supervisor.term_end))
