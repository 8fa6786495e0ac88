"""称号: granting, recording, 复核, 整改期满复查, 注销 and 撤销 (rules 4–7 of DOMAIN.md).

Only the office that owns a title (the naming office) ends or re-reviews it. Every step writes
a :class:`TitleEvent` through :func:`_step`, with the plaque's fate from the lifecycle table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wqg_desktop.db.dialect import lock_for_update
from wqg_desktop.db.models import (
    Candidate,
    NamingBody,
    Office,
    Plaque,
    ReReview,
    Title,
    TitleEvent,
    TitleNamingBody,
    Unit,
    current_actor,
    database,
)
from wqg_desktop.domain import lifecycle
from wqg_desktop.domain.chinese import Term, format_date
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.roles import Permission, require
from wqg_desktop.domain.statuses import (
    PlaqueState,
    RevocationGround,
    TitleEventKind,
    TitleKind,
    TitleStatus,
)
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import settings
from wqg_desktop.services.campaigns import this_office

T = TitleStatus


# ---------------------------------------------------------------------------------------------
# Certificate numbers: prefix〔year〕第NNN号, each issued once
# ---------------------------------------------------------------------------------------------


def next_certificate_no(year: int) -> str:
    """Issue the next certificate number of ``year`` and remember it, so none repeats.

    The counter lives in the setting 'certificate_counter'; a number already on a title (e.g.
    one recorded by hand) is skipped.
    """
    with database.atomic():
        # two officers on a server naming at the same moment: the second reads the counter
        # only after the first has stored it
        lock_for_update(database, "certificate_counter")
        prefix = (settings.get("certificate_prefix") or "").strip()
        counters = dict(settings.get("certificate_counter") or {})
        n = int(counters.get(str(year), 0))
        while True:
            n += 1
            number = f"{prefix}〔{year}〕第{n:03d}号"
            if not Title.select().where(Title.certificate_no == number).exists():
                break
        counters[str(year)] = n
        settings.put("certificate_counter", counters)
    return number


def unit_name_on(unit: Unit, day: dt.date) -> str:
    """The unit's name on ``day``: from the register's name history when it offers one."""
    try:
        from wqg_desktop.services.units import unit_name_on as history_name
    except ImportError:
        return unit.name
    return history_name(unit, day) or unit.name


# ---------------------------------------------------------------------------------------------
# Granting and recording
# ---------------------------------------------------------------------------------------------


def _add_plaque_and_bodies(title: Title, bodies: list[NamingBody], issued_on: dt.date) -> None:
    for order, body in enumerate(bodies):
        TitleNamingBody.create(owner_office=title.owner_office_id, title=title, naming_body=body,
                               sort_order=order)
    Plaque.create(owner_office=title.owner_office_id, title=title, state=PlaqueState.ISSUED,
                  issued_on=issued_on, state_changed_on=issued_on)


def grant_titles(*, candidate: Candidate, named_on: dt.date, document_no: str,
                 today: dt.date) -> list[Title]:
    """The title(s) a named candidate receives: the post, and 示范单位 when it was chosen.

    Called inside the naming transaction of :func:`campaign_review.name_campaign`.
    """
    campaign = candidate.campaign
    office = this_office()
    bodies = [cnb.naming_body for cnb in campaign.naming_bodies.order_by("sort_order")]
    text = "、".join(b.name for b in bodies)
    years = int(settings.get("rereview_years"))
    kinds = [TitleKind.POST] + ([TitleKind.DEMONSTRATION] if candidate.demonstration else [])
    granted = []
    for kind in kinds:
        title = Title.create(
            owner_office=office, unit=candidate.unit_id, level=campaign.level,
            term_start=campaign.term_start, kind=kind, status=T.VALID, status_changed_on=named_on,
            unit_name=unit_name_on(candidate.unit, named_on), named_on=named_on,
            document_no=document_no, certificate_no=next_certificate_no(named_on.year),
            naming_bodies_text=text, campaign=campaign, candidate=candidate,
            next_rereview_due=lifecycle.next_rereview(named_on, years))
        _add_plaque_and_bodies(title, bodies, named_on)
        TitleEvent.create(owner_office=office, title=title, kind=TitleEventKind.NAMED, on=today,
                          actor=current_actor(), reason=f"{text}命名（{document_no or '未填发文字号'}）",
                          from_status="", to_status=T.VALID)
        granted.append(title)
    return granted


def record_title(*, unit: Unit, level: Level | str | int, term: str | int | Term,
                 named_on: dt.date, today: dt.date, naming_bodies: list[str],
                 document_no: str = "", certificate_no: str = "", demonstration: bool = False,
                 note: str = "") -> Title:
    """补录: a title the unit held before the program was used (``wqg title add``).

    The register's 历年称号 entry does the checking and writing, so the command line and the
    window record a title the same way.
    """
    from wqg_desktop.services.units_titles import TitleRecord
    from wqg_desktop.services.units_titles import record_title as record

    return record(unit.id, TitleRecord(
        level=level, term=term, naming_bodies=naming_bodies, named_on=named_on,
        kind=TitleKind.DEMONSTRATION if demonstration else TitleKind.POST,
        document_no=document_no, certificate_no=certificate_no, note=note), today=today)


# ---------------------------------------------------------------------------------------------
# The steps of a title's life
# ---------------------------------------------------------------------------------------------


def _require_title_owner(title: Title, doing: str) -> Office:
    office = this_office()
    if title.owner_office_id != office.id:
        owner = Office.get_by_id(title.owner_office_id).name if title.owner_office_id else "其他办公室"
        raise RuleViolation(f"该称号由{owner}命名：只有命名单位才能{doing}。"
                            "请把情况报告命名单位，由其办理。")
    return office


def _step(title: Title, action: str, *, today: dt.date, reason: str, ground: str = "",
          finding: str = "", evidence: str = "") -> lifecycle.TitleTransition:
    step = lifecycle.title_step(title.status, action)
    before = title.status
    title.status = str(step.target)
    if step.target != before:
        title.status_changed_on = today
    title.save()
    TitleEvent.create(owner_office=title.owner_office_id, title=title, kind=step.event, on=today,
                      actor=current_actor(), reason=reason or step.label, ground=ground,
                      finding=finding, evidence=evidence, from_status=before,
                      to_status=str(step.target))
    plaque = Plaque.get_or_none(Plaque.title == title) if step.plaque is not None else None
    # Only a plaque that was made and handed over has a fate (souvenir, removed, taken back);
    # one never made stays "not made".
    if plaque is not None and plaque.state == PlaqueState.ISSUED:
        plaque.state, plaque.state_changed_on = str(step.plaque), today
        plaque.note = step.label
        plaque.save()
    return step


def rereview(*, title: Title, passed: bool, today: dt.date, regular: bool = True,
             score: float | None = None, note: str = "") -> Title:
    """复核: pass → the title stays (next re-review in two years); fail → one-year 整改期."""
    title = Title.get_by_id(title.id)  # fresh: a caller may hold a stale row
    _require_title_owner(title, "复核")
    with database.atomic():
        if passed:
            _step(title, "rereview_pass", today=today, reason=note or "复核合格，继续保留称号")
            title.next_rereview_due = lifecycle.next_rereview(
                today, int(settings.get("rereview_years")))
            title.save()
            ReReview.create(owner_office=title.owner_office_id, title=title, regular=regular,
                            on=today, passed=True, score=score, note=note)
        else:
            deadline = lifecycle.rectification_deadline(
                today, int(settings.get("rectification_months")))
            _step(title, "rereview_fail", today=today,
                  reason=(note or "复核不合格") + f"，整改期至 {format_date(deadline)}")
            title.rectification_deadline = deadline
            title.save()
            ReReview.create(owner_office=title.owner_office_id, title=title, regular=regular,
                            on=today, passed=False, score=score,
                            rectification_deadline=deadline, note=note)
    return title


def recheck(*, title: Title, passed: bool, today: dt.date, note: str = "") -> Title:
    """整改期满复查: pass → 有效 again; fail (only once the year is over) → 已取消, plaque removed."""
    if not passed:  # failing the recheck cancels the title (取消): a 管理员's decision
        require(Permission.REVOKE_TITLES)
    title = Title.get_by_id(title.id)  # fresh: a caller may hold a stale row
    _require_title_owner(title, "整改复查")
    if (not passed and title.rectification_deadline is not None
            and today < title.rectification_deadline):
        raise RuleViolation(f"整改期到 {format_date(title.rectification_deadline)} 才满：整改期满后"
                            "复查仍不合格才能取消称号。")
    with database.atomic():
        if passed:
            _step(title, "recheck_pass", today=today, reason=note or "整改期满复查合格，恢复有效")
            title.rectification_deadline = None
            title.next_rereview_due = lifecycle.next_rereview(
                today, int(settings.get("rereview_years")))
        else:
            _step(title, "recheck_fail", today=today,
                  reason=note or "整改期满复查不合格，取消称号并摘牌")
        title.save()
        last = (ReReview.select().where(ReReview.title == title, ReReview.passed == False)  # noqa: E712
                .order_by(ReReview.on.desc(), ReReview.id.desc()).first())
        if last is not None:
            last.recheck_on, last.recheck_passed = today, passed
            last.save()
    return title


def deregister(*, title: Title, today: dt.date, reason: str, mark_unit: bool = False) -> Title:
    """注销: the unit's work no longer concerns youth; the plaque stays as a souvenir.

    The unit must be marked as no longer doing youth work; ``mark_unit`` marks it now (only
    for a unit in this office's register). Marking the unit ends every live title this office
    gave it, not only this one, and withdraws its running candidacies (DOMAIN rules 6 and 7:
    the office deregisters its own titles at once).
    """
    require(Permission.REVOKE_TITLES)
    title = Title.get_by_id(title.id)  # fresh: a caller may hold a stale row
    office = _require_title_owner(title, "注销")
    lifecycle.title_step(title.status, "deregister")
    reason = (reason or "").strip() or "单位工作性质改变，不再涉及青少年工作"
    unit = Unit.get_by_id(title.unit_id)
    if unit.works_with_youth and not mark_unit:
        raise RuleViolation(
            f"{unit.name}在名册中仍登记为从事青少年工作：注销只适用于工作性质改变的单位。"
            "请先在名册中标明其不再从事青少年工作（命令行加 --mark-unit），违纪违法的请按撤销办理。")
    if unit.works_with_youth and unit.owner_office_id != office.id:
        raise RuleViolation(f"{unit.name}不在本办公室的名册中：请由其所属办公室标明工作性质改变。")
    with database.atomic():
        if mark_unit:
            from wqg_desktop.services.units_titles import mark_no_youth_work

            if unit.works_with_youth:
                mark_no_youth_work(unit, on=today, reason=reason, today=today)
            else:  # marked before: still end every title of it this office gave
                deregister_unit_titles(unit=unit, today=today, reason=reason)
            title = Title.get_by_id(title.id)
        if title.status != T.DEREGISTERED:
            _step(title, "deregister", today=today, reason=reason)
    return title


def deregister_unit_titles(*, unit: Unit, today: dt.date, reason: str = "") -> list[Title]:
    """Every live title of ``unit`` this office gave, deregistered at once (the unit's mark)."""
    office = this_office()
    live = list(Title.select().where(Title.unit == unit, Title.owner_office == office,
                                     Title.status.in_((T.VALID, T.RECTIFYING))))
    with database.atomic():
        for title in live:
            _step(title, "deregister", today=today,
                  reason=reason or "单位工作性质改变，不再涉及青少年工作")
    return live


def revoke(*, title: Title, today: dt.date, ground: str, finding: str, evidence: str) -> Title:
    """撤销 on one of the four grounds, once verified (经查属实) with its evidence."""
    require(Permission.REVOKE_TITLES)
    title = Title.get_by_id(title.id)  # fresh: a caller may hold a stale row
    _require_title_owner(title, "撤销")
    lifecycle.title_step(title.status, "revoke")
    try:
        g = RevocationGround.from_label(ground)
    except ValueError:
        grounds = "；".join(f"{x.value}＝{x.label}" for x in RevocationGround)
        raise InputRefused(f"撤销理由只能是以下四种之一：{grounds}。") from None
    finding, evidence = (finding or "").strip(), (evidence or "").strip()
    if not finding or not evidence:
        raise RuleViolation("撤销须经查属实：请记录查实的事实（经查属实）和证据材料，缺一不可。")
    with database.atomic():
        _step(title, "revoke", today=today, reason=f"{g.label}，经查属实", ground=g.value,
              finding=finding, evidence=evidence)
    return title


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass
class TitleRow:
    id: int
    uuid: str
    unit: str
    level: str
    term: str
    kind: str
    status: str
    named_on: dt.date | None
    certificate_no: str
    owner: str
    plaque: str
    rectification_deadline: dt.date | None
    next_rereview_due: dt.date | None


def list_titles(*, unit: Unit | None = None, status: str | None = None,
                level: int | None = None, mine_only: bool = False) -> list[TitleRow]:
    query = Title.select(Title, Unit.name).join(Unit)
    if unit is not None:
        query = query.where(Title.unit == unit)
    if status:
        query = query.where(Title.status == T.from_label(status))
    if level:
        query = query.where(Title.level == int(level))
    if mine_only:
        query = query.where(Title.owner_office == this_office())
    offices = {o.id: o.name for o in Office.select(Office.id, Office.name)}
    rows = list(query.order_by(Title.level.desc(), Title.named_on.desc(), Unit.name))
    plaques = {p.title_id: p.state for p in Plaque.select(Plaque.title, Plaque.state)
               .where(Plaque.title.in_([t.id for t in rows]))} if rows else {}
    return [TitleRow(
        id=t.id, uuid=t.uuid, unit=t.unit.name, level=Level(t.level).label,
        term=Term(t.term_start).label, kind=TitleKind(t.kind).label, status=T(t.status).label,
        named_on=t.named_on, certificate_no=t.certificate_no,
        owner=offices.get(t.owner_office_id, ""),
        plaque=PlaqueState(plaques[t.id]).label if t.id in plaques else "",
        rectification_deadline=t.rectification_deadline,
        next_rereview_due=t.next_rereview_due) for t in rows]


def history(title: Title) -> list[dict]:
    """Every step of a title, oldest first: when, what, from, to, by whom, why."""
    out = []
    for e in title.events.order_by(TitleEvent.on, TitleEvent.id):
        try:
            kind = TitleEventKind(e.kind).label
        except ValueError:
            kind = e.kind
        out.append({"on": e.on, "kind": kind, "from": _status_label(e.from_status),
                    "to": _status_label(e.to_status), "actor": e.actor, "reason": e.reason,
                    "ground": RevocationGround(e.ground).label if e.ground else "",
                    "finding": e.finding, "evidence": e.evidence})
    return out


def _status_label(code: str) -> str:
    return T(code).label if code in T._value2member_map_ else code


def title_detail(title: Title) -> dict:
    plaque = Plaque.get_or_none(Plaque.title == title)
    return {
        "uuid": title.uuid, "unit": title.unit.name, "unit_name_on_naming": title.unit_name,
        "level": Level(title.level).label, "term": Term(title.term_start).label,
        "kind": TitleKind(title.kind).label, "status": T(title.status).label,
        "named_on": title.named_on, "document_no": title.document_no,
        "certificate_no": title.certificate_no, "naming_bodies": title.naming_bodies_text,
        "owner": Office.get_by_id(title.owner_office_id).name if title.owner_office_id else "",
        "plaque": PlaqueState(plaque.state).label if plaque else "",
        "rectification_deadline": title.rectification_deadline,
        "next_rereview_due": title.next_rereview_due, "history": history(title),
    }

