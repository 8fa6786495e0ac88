"""A unit's titles from the registry's side: recording 历年称号, and ending youth work.

The campaign lifecycle (naming, re-review, rectification, revocation) is another module's
business; this one only records titles that already exist on paper, and deregisters a
unit's own titles when its work stops concerning youth (DOMAIN rule 6).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from wqg_desktop.db.models import (
    Candidate,
    NamingBody,
    Plaque,
    Title,
    TitleEvent,
    TitleNamingBody,
    Unit,
    current_actor,
    database,
)
from wqg_desktop.domain import date_rules, lifecycle
from wqg_desktop.domain.chinese import Term, format_date, parse_term
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.roles import Permission, require
from wqg_desktop.domain.statuses import (
    PlaqueState,
    RegionKind,
    TitleEventKind,
    TitleKind,
    TitleStatus,
)
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import settings
from wqg_desktop.services.office import this_office
from wqg_desktop.services.reference import reference_uuid
from wqg_desktop.services.units import get_unit, require_own, unit_name_on

# ---------------------------------------------------------------------------------------------
# 历年称号
# ---------------------------------------------------------------------------------------------


@dataclass
class TitleRecord:
    """A title held from before the program was installed, as read off its certificate."""

    level: Level | int | str = Level.COUNTY
    term: Term | int | str = ""
    kind: str = TitleKind.POST
    #: one or more bodies; a text is split at 、，, ; and spaces
    naming_bodies: list[str] | str = field(default_factory=list)
    named_on: dt.date | None = None
    document_no: str = ""
    certificate_no: str = ""
    plaque_state: str = PlaqueState.ISSUED
    status: str = TitleStatus.VALID
    note: str = ""
    #: end of the rectification year of a title recorded as 整改中; when left empty it is
    #: counted from the recording date (rectification_months), so the recheck still falls due
    rectification_deadline: dt.date | None = None


def split_bodies(bodies: list[str] | str) -> list[str]:
    """共青团南通市委、南通市公安局 → the two bodies, in order, without repeats."""
    parts = bodies if isinstance(bodies, list) else re.split(r"[、,，;；\s]+", bodies or "")
    out: list[str] = []
    for p in parts:
        p = p.strip()
        if p and p not in out:
            out.append(p)
    return out


@dataclass
class CleanTitle:
    level: Level
    term: Term
    kind: TitleKind
    bodies: list[str]
    named_on: dt.date
    document_no: str
    certificate_no: str
    plaque_state: PlaqueState
    status: TitleStatus
    note: str
    rectification_deadline: dt.date | None = None
    #: True when the deadline was counted here rather than read off the record
    deadline_derived: bool = False


def rectification_deadline_of(rec: TitleRecord, status: TitleStatus, *,
                              today: dt.date) -> tuple[dt.date | None, bool]:
    """The rectification deadline a recorded title keeps, and whether it was derived.

    Only a 整改中 title has one. Without a date on the record, the rectification is known to be
    under way on the recording date, so its year is counted from then (a deadline that never
    falls due would hide the recheck, DOMAIN rule 8).
    """
    if status != TitleStatus.RECTIFYING:
        return None, False
    if rec.rectification_deadline is not None:
        if rec.named_on is not None and rec.rectification_deadline <= rec.named_on:
            raise InputRefused(
                f"整改期限 {format_date(rec.rectification_deadline)} 不晚于命名日期"
                f"{format_date(rec.named_on)}：请填写复核不合格后整改期的截止日期。")
        date_rules.check_planned(rec.rectification_deadline, "整改期限", today=today)
        return rec.rectification_deadline, False
    months = int(settings.get("rectification_months"))
    return lifecycle.rectification_deadline(today, months), True


def validate_title_record(unit: Unit, rec: TitleRecord, *, today: dt.date) -> CleanTitle:
    """Check a 历年称号 before it is recorded; raise :class:`InputRefused` in Chinese.

    The level must be open to the unit (市直 units start at the city level); term, naming
    body and naming date are required; the date cannot lie in the future; a unit holds one
    title per level, term and kind (a second copy would double-count the ladder).
    """
    level = Level.parse(rec.level)
    if not rec.term and rec.term != 0:
        raise InputRefused("请填写年度，例如 2011—2012年度（也可只写 2011）。")
    term = parse_term(rec.term)
    date_rules.check_term_year(term.start, today=today)
    try:
        kind = TitleKind(rec.kind)
        plaque = PlaqueState(rec.plaque_state)
        status = TitleStatus(rec.status)
    except ValueError as exc:
        raise InputRefused(f"无法识别的称号类别、状态或牌匾状态：{exc}") from None
    if level == Level.COUNTY and unit.region.kind == RegionKind.CITY_DIRECT:
        raise RuleViolation("市直单位不属于任何县(市、区)，没有县级称号；其称号从市级开始。")
    bodies = split_bodies(rec.naming_bodies)
    if not bodies:
        raise InputRefused("请填写命名单位，例如“共青团南通市委、南通市公安局”（联合命名用顿号隔开）。")
    if any(len(b) > 100 for b in bodies):
        raise InputRefused("命名单位名称过长（每个最多 100 字）；多个命名单位请用顿号隔开。")
    if rec.named_on is None:
        raise InputRefused("请填写命名日期（证书或命名文件上的日期）。")
    if rec.named_on > today:
        raise InputRefused(f"命名日期 {format_date(rec.named_on)} 晚于今天，历年称号只能补录已命名的。")
    date_rules.check_happened(rec.named_on, "命名日期", today=today)
    twin = (Title.select().where(Title.unit == unit, Title.level == int(level),
                                 Title.term_start == term.start, Title.kind == kind.value).first())
    if twin is not None:
        raise RuleViolation(f"该单位已有{term.label}{level.label}“{kind.label}”称号"
                            f"（{TitleStatus(twin.status).label}），不能重复录入。")
    live = (TitleStatus.VALID, TitleStatus.RECTIFYING)
    if status in live and Title.select().where(
            Title.unit == unit, Title.level == int(level), Title.kind == kind.value,
            Title.status.in_([str(s) for s in live])).exists():
        # a unit holding a live title at a level is re-reviewed, never named again there
        raise RuleViolation(f"该单位已持有{level.label}“{kind.label}”称号（有效或整改中），"
                            "不能重复登记；如旧称号已结束，请先在称号记录中办理。")
    if len(rec.document_no.strip()) > 50 or len(rec.certificate_no.strip()) > 50:
        raise InputRefused("发文字号或证书编号过长（最多 50 个字符）。")
    certificate_no = rec.certificate_no.strip()
    if certificate_no and Title.select().where(Title.certificate_no == certificate_no).exists():
        raise RuleViolation(f"证书编号 {certificate_no} 已经用过：每个编号只能发一次。")
    deadline, derived = rectification_deadline_of(rec, status, today=today)
    return CleanTitle(level, term, kind, bodies, rec.named_on, rec.document_no.strip(),
                      rec.certificate_no.strip(), plaque, status, rec.note.strip(),
                      deadline, derived)


def _naming_body(name: str, level: Level) -> NamingBody:
    body = NamingBody.get_or_none(NamingBody.name == name)
    if body is None:
        # Name-based UUID: the same body typed in two offices is one record after packages merge.
        # Its area is read off its name (共青团南通市委 → 南通市): certificates print the area of
        # the naming level, which a county office's register has no region for.
        from wqg_desktop.services.naming_region import region_of_naming_body

        body = NamingBody.create(owner_office=this_office(), name=name, level=int(level),
                                 uuid=reference_uuid("naming_body", name),
                                 region_name=region_of_naming_body(name))
    return body


def record_title(unit_id: int, rec: TitleRecord, *, today: dt.date) -> Title:
    """补录历年称号: enter a title the unit already holds, so the ladder, re-reviews and
    coverage are right from the first day. Kept by this office (``owner_office``): whoever
    enters it is responsible for it here; the naming office's own copy arrives in its
    package with its own identity."""
    with database.atomic():
        unit = get_unit(unit_id)
        c = validate_title_record(unit, rec, today=today)
        office = this_office()
        title = Title.create(
            owner_office=office, unit=unit, level=int(c.level), term_start=c.term.start,
            kind=c.kind.value, status=c.status.value, status_changed_on=c.named_on,
            unit_name=unit_name_on(unit, c.named_on), named_on=c.named_on,
            document_no=c.document_no, certificate_no=c.certificate_no,
            naming_bodies_text="、".join(c.bodies), note=c.note,
            rectification_deadline=c.rectification_deadline,
            next_rereview_due=(lifecycle.next_rereview(c.named_on, int(settings.get("rereview_years")))
                               if c.status == TitleStatus.VALID else None))
        for order, name in enumerate(c.bodies):
            TitleNamingBody.create(owner_office=office, title=title,
                                   naming_body=_naming_body(name, c.level), sort_order=order)
        Plaque.create(owner_office=office, title=title, state=c.plaque_state.value,
                      issued_on=None if c.plaque_state == PlaqueState.NOT_MADE else c.named_on,
                      state_changed_on=c.named_on)
        # the event is the recording, done today; the naming date is in its reason
        reason = (f"补录：{'、'.join(c.bodies)}于{format_date(c.named_on)}命名"
                  + (f"（{c.document_no}）" if c.document_no else ""))
        if c.rectification_deadline is not None:
            reason += f"；整改期至 {format_date(c.rectification_deadline)}"
            if c.deadline_derived:
                reason += "（未填整改期限，按登记日起算整改期，请核对）"
        TitleEvent.create(owner_office=office, title=title, kind=TitleEventKind.RECORDED,
                          on=today, actor=current_actor(), from_status="",
                          to_status=c.status.value, reason=reason)
    return title


# ---------------------------------------------------------------------------------------------
# No longer doing youth work (DOMAIN rule 6 and the last paragraph of rule 7)
# ---------------------------------------------------------------------------------------------

#: Title states that a deregistration ends.
LIVE_STATES = (TitleStatus.VALID, TitleStatus.RECTIFYING)


def deregister_own_titles(unit: Unit, on: dt.date, reason: str) -> list[Title]:
    """注销 the unit's live titles that **this office** gave (DOMAIN rule 6): the lifecycle
    engine's transition, so the plaque becomes a souvenir and the history is written the same
    way as any other 注销. Titles given by other offices are left to them: the unit's
    ``works_with_youth`` mark travels up in the package (rule 7)."""
    from wqg_desktop.services.titles import deregister_unit_titles  # the engine owns the step

    return deregister_unit_titles(unit=unit, today=on, reason=reason)


@dataclass
class YouthWorkEnded:
    deregistered: list[Title]
    #: live titles given by other offices: they end when those offices get the package
    left_to_others: list[Title]
    #: running candidacies withdrawn (退出创建) with the reason
    withdrawn: list[Candidate] = field(default_factory=list)
    #: running candidacies this office may not withdraw: the office running the campaign
    #: refuses to review or name them until it withdraws them
    candidacies_left: list[Candidate] = field(default_factory=list)


def mark_no_youth_work(unit: Unit, *, on: dt.date, reason: str, today: dt.date) -> YouthWorkEnded:
    """Mark ``unit`` (of this office's register) as no longer doing youth work from ``on``,
    deregister every live title this office gave it and withdraw its running candidacies.

    The shared step of :func:`end_youth_work` and of a 注销 that marks the unit; runs inside
    the caller's transaction.
    """
    from wqg_desktop.services.campaigns import withdraw_unit_candidacies

    unit.works_with_youth = False
    unit.youth_work_ended_on = on
    unit.youth_work_end_reason = reason
    unit.save()
    why = reason if "不再涉及青少年工作" in reason else f"工作性质改变，不再涉及青少年工作：{reason}"
    done = deregister_own_titles(unit, on, why)
    candidacies = withdraw_unit_candidacies(unit=unit, today=today, reason=why)
    others = list(Title.select().where(Title.unit == unit, Title.status.in_(LIVE_STATES)))
    return YouthWorkEnded(done, others, candidacies.withdrawn, candidacies.left)


def end_youth_work(unit_id: int, *, on: dt.date, reason: str, today: dt.date) -> YouthWorkEnded:
    """Mark a unit as no longer doing youth work (工作性质改变), deregister its own titles and
    withdraw its running candidacies (a unit outside youth work cannot be named)."""
    require(Permission.REVOKE_TITLES)  # it deregisters the unit's titles
    reason = (reason or "").strip()
    if not reason:
        raise InputRefused("请写明原因，例如“机构改革后不再承担涉及青少年的工作”。")
    if on is None:
        raise InputRefused("请填写从哪一天起不再从事青少年工作。")
    if on > today:
        raise InputRefused("日期不能晚于今天：等工作性质真正改变之后再登记。")
    date_rules.check_happened(on, "不再从事青少年工作的日期", today=today)
    with database.atomic():
        unit = get_unit(unit_id)
        require_own(unit, "单位")
        if not unit.works_with_youth:
            when = format_date(unit.youth_work_ended_on) if unit.youth_work_ended_on else "此前"
            raise RuleViolation(f"该单位已于{when}登记为不再从事青少年工作。")
        return mark_no_youth_work(unit, on=on, reason=reason, today=today)
