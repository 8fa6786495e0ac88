"""负责人培训 and 维权在线: the two rules about creation units that the ledger checks.

Training: the head of every creation unit attends the naming body's training — a session
organised at the campaign's level, held once the campaign opened. A head who took over after
that training has not attended it, even though the unit's former head did.

Online: a campaign may require all its units live on 青少年维权在线 (the seed did for the
2011—2012 provincial units).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    TrainingAttendance,
    TrainingSession,
    Unit,
    UnitHead,
    database,
)
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CampaignStage, CandidateStatus
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import records_common as rc

WHAT = "培训记录"

#: Candidates still in the running: their heads must be trained, their units online.
ACTIVE = (CandidateStatus.RECOMMENDED, CandidateStatus.APPLIED, CandidateStatus.CREATING,
          CandidateStatus.REVIEWING, CandidateStatus.PASSED, CandidateStatus.PUBLICIZING,
          CandidateStatus.OBJECTION)


# ---------------------------------------------------------------------------------------------
# Sessions and attendance
# ---------------------------------------------------------------------------------------------


def check_session(*, today: dt.date, on: Any, organiser_level: Any, topic: str,
                  organiser: str = "", place: str = "") -> dict[str, Any]:
    try:
        level = Level(int(organiser_level))
    except (TypeError, ValueError):
        raise InputRefused("请选择举办层级：县(市、区)级、市级、省级或全国。") from None
    return {
        "on": rc.day(on, "培训日期", today=today),
        "organiser_level": int(level),
        "organiser": rc.text(organiser, "举办单位", max_len=100),
        "topic": rc.text(topic, "培训主题", required=True, max_len=150),
        "place": rc.text(place, "地点", max_len=150),
    }


def save_session(*, today: dt.date, uuid: str | None = None, **fields: Any) -> TrainingSession:
    """Create or change a training session."""
    clean = check_session(today=today, **fields)
    record = (rc.get_owned(TrainingSession, uuid, WHAT) if uuid
              else TrainingSession(owner_office=rc.this_office()))
    for key, value in clean.items():
        setattr(record, key, value)
    with database.atomic():
        record.save()
    return record


def delete_session(uuid: str) -> None:
    rc.delete_record(rc.get_owned(TrainingSession, uuid, WHAT), WHAT)


def record_attendance(*, today: dt.date, session_uuid: str, unit_id: int, head_name: str = "",
                      attended: bool = True) -> TrainingAttendance:
    """Record that a unit's head attended (or missed) a session; one row per unit and session.

    The head defaults to the unit's head on the day of the session (from the head history).
    """
    session = rc.get_owned(TrainingSession, session_uuid, WHAT)
    unit = rc.get_unit(unit_id)
    rc.unit_day(session.on, "培训日期", unit, today=today)
    name = rc.text(head_name, "参训负责人姓名", max_len=50) or head_on(unit, session.on)
    if not name:
        raise InputRefused(f"“{unit.name}”没有登记负责人：请填写参训负责人姓名。")
    with database.atomic():
        row = TrainingAttendance.get_or_none(TrainingAttendance.session == session,
                                             TrainingAttendance.unit == unit)
        if row is None:
            row = TrainingAttendance(owner_office=rc.this_office(), session=session, unit=unit)
        row.head_name, row.attended = name, bool(attended)
        row.save()
    return row


def delete_attendance(uuid: str) -> None:
    rc.delete_record(rc.get_owned(TrainingAttendance, uuid, "培训参加记录"), "培训参加记录")


def head_on(unit: Unit, day: dt.date) -> str:
    """Who headed ``unit`` on ``day``: from the head history, else the current head."""
    for head in UnitHead.select().where(UnitHead.unit == unit).order_by(UnitHead.since.desc()):
        if (head.since is None or head.since <= day) and (head.until is None or head.until > day):
            return head.name
    return unit.head_name


def current_head_since(unit: Unit) -> dt.date | None:
    row = (UnitHead.select().where(UnitHead.unit == unit, UnitHead.name == unit.head_name,
                                   UnitHead.until.is_null())
           .order_by(UnitHead.since.desc()).first())
    return row.since if row else None


@dataclass
class SessionRow:
    uuid: str
    on: dt.date
    level: str
    organiser_level: int
    organiser: str
    topic: str
    place: str
    attended: int
    absent: int
    heads: str


SESSION_COLUMNS = [
    rc.ListColumn("on", "培训日期", 13),
    rc.ListColumn("level", "举办层级", 12),
    rc.ListColumn("organiser", "举办单位", 20),
    rc.ListColumn("topic", "培训主题", 36),
    rc.ListColumn("place", "地点", 20),
    rc.ListColumn("attended", "参训人数", 8),
    rc.ListColumn("absent", "缺席人数", 8),
    rc.ListColumn("heads", "参训负责人", 50),
]


def session_rows(*, unit_id: int | None = None, period: rc.Period | None = None
                 ) -> list[SessionRow]:
    query = TrainingSession.select()
    if unit_id:
        query = query.where(TrainingSession.id.in_(
            TrainingAttendance.select(TrainingAttendance.session)
            .where(TrainingAttendance.unit == unit_id)))
    sessions = list(rc.where_period(query, TrainingSession.on, period)
                    .order_by(TrainingSession.on.desc()))
    att: dict[int, list[TrainingAttendance]] = {}
    if sessions:
        for a in (TrainingAttendance.select(TrainingAttendance, Unit).join(Unit)
                  .where(TrainingAttendance.session.in_([s.id for s in sessions]))):
            if not unit_id or a.unit_id == unit_id:
                att.setdefault(a.session_id, []).append(a)
    return [
        SessionRow(uuid=s.uuid, on=s.on, level=Level(s.organiser_level).label,
                   organiser_level=s.organiser_level, organiser=s.organiser, topic=s.topic,
                   place=s.place, attended=sum(1 for a in att.get(s.id, []) if a.attended),
                   absent=sum(1 for a in att.get(s.id, []) if not a.attended),
                   heads="、".join(f"{a.head_name}（{a.unit.name}）" + ("" if a.attended else "缺席")
                                  for a in att.get(s.id, [])))
        for s in sessions
    ]


def attendance_of(session_uuid: str) -> list[TrainingAttendance]:
    return list(TrainingAttendance.select(TrainingAttendance, Unit).join(Unit)
                .switch(TrainingAttendance).join(TrainingSession)
                .where(TrainingSession.uuid == session_uuid).order_by(Unit.name))


# ---------------------------------------------------------------------------------------------
# The training rule
# ---------------------------------------------------------------------------------------------


@dataclass
class UntrainedHead:
    campaign: str
    campaign_uuid: str
    unit_id: int
    unit: str
    head: str
    reason: str


UNTRAINED_COLUMNS = [
    rc.ListColumn("campaign", "创建活动", 36),
    rc.ListColumn("unit", "创建单位", 30),
    rc.ListColumn("head", "负责人", 10),
    rc.ListColumn("reason", "情况", 40),
]


def _open_candidates(campaign_id: int | None = None) -> list[Candidate]:
    query = (Candidate.select(Candidate, Campaign, Unit).join(Campaign).switch(Candidate).join(Unit)
             .where(Candidate.status.in_(ACTIVE), Campaign.stage != CampaignStage.CLOSED))
    if campaign_id:
        query = query.where(Campaign.id == campaign_id)
    return list(query.order_by(Campaign.level, Unit.name))


def untrained_heads(*, campaign_id: int | None = None, unit_id: int | None = None
                    ) -> list[UntrainedHead]:
    """Heads of creation units in open campaigns who have not attended the naming body's training.

    A session counts for a campaign when it was organised at the campaign's level and held on
    or after the campaign opened (its application start, else its creation start). It counts
    for the unit's *current* head only: a head who took over after the training has to attend
    the next one.
    """
    sessions = list(TrainingSession.select())
    attendance = list(TrainingAttendance.select())
    out = []
    for cand in _open_candidates(campaign_id):
        unit, campaign = cand.unit, cand.campaign
        if unit_id and unit.id != unit_id:
            continue
        opened = campaign.application_start or campaign.creation_start
        valid = {s.id: s for s in sessions if s.organiser_level == campaign.level
                 and (opened is None or s.on >= opened)}
        rows_ = [a for a in attendance if a.unit_id == unit.id and a.session_id in valid]
        head = unit.head_name
        if not head:
            reason = "单位未登记负责人"
        elif any(a.attended and a.head_name == head for a in rows_):
            continue
        elif not valid:
            reason = f"尚未举办{Level(campaign.level).label}负责人培训"
        elif any(a.attended for a in rows_):
            before = max((a for a in rows_ if a.attended), key=lambda a: valid[a.session_id].on)
            since = current_head_since(unit)
            when = f"于{rc.fmt_date(since)}" if since else ""
            reason = (f"负责人{when}更换，原负责人{before.head_name}参加过"
                      f"{rc.fmt_date(valid[before.session_id].on)}的培训，现任负责人尚未参加")
        elif rows_:
            reason = "培训时缺席"
        else:
            reason = "未参加培训"
        out.append(UntrainedHead(campaign=campaign.name, campaign_uuid=campaign.uuid,
                                 unit_id=unit.id, unit=unit.name, head=head, reason=reason))
    return out


# ---------------------------------------------------------------------------------------------
# 青少年维权在线
# ---------------------------------------------------------------------------------------------


@dataclass
class OnlineRow:
    unit_id: int
    unit_uuid: str
    unit: str
    online: bool
    online_text: str
    since: dt.date | None
    campaigns: str
    required: bool
    rule: str


ONLINE_COLUMNS = [
    rc.ListColumn("unit", "单位", 36),
    rc.ListColumn("online_text", "维权在线", 10),
    rc.ListColumn("since", "上线日期", 13),
    rc.ListColumn("campaigns", "要求上线的创建活动", 36),
    rc.ListColumn("rule", "规则检查", 20),
]


def online_rows(*, unit_id: int | None = None, required_only: bool = False) -> list[OnlineRow]:
    """Which units are live and since when, with the rule check of campaigns requiring it."""
    requiring: dict[int, list[str]] = {}
    for cand in _open_candidates():
        if cand.campaign.require_online:
            requiring.setdefault(cand.unit_id, []).append(cand.campaign.name)
    query = Unit.select().where(Unit.status == "active")
    if unit_id:
        query = query.where(Unit.id == unit_id)
    out = []
    for u in query.order_by(Unit.name):
        names = requiring.get(u.id, [])
        if required_only and not names:
            continue
        rule = ("" if not names else "符合：已上线" if u.online else "不符合：要求上线但未上线")
        out.append(OnlineRow(unit_id=u.id, unit_uuid=u.uuid, unit=u.name, online=u.online,
                             online_text="已上线" if u.online else "未上线", since=u.online_since,
                             campaigns="、".join(names), required=bool(names), rule=rule))
    return out


def online_violations(campaign_id: int | None = None) -> list[OnlineRow]:
    """Units of campaigns that require them online but are not."""
    ids = {c.unit_id for c in _open_candidates(campaign_id) if c.campaign.require_online}
    return [r for r in online_rows(required_only=True) if r.unit_id in ids and not r.online]


def set_online(*, today: dt.date, unit_id: int, online: bool, since: Any = None) -> Unit:
    """Record that a unit went live on 青少年维权在线 (and since when), or went off it."""
    unit = rc.get_unit(unit_id)
    rc.ensure_owned(unit, "单位")
    day = rc.unit_day(since, "上线日期", unit, today=today, required=online)
    unit.online = bool(online)
    unit.online_since = day if online else None
    with database.atomic():
        unit.save()
    return unit


def export(path: Path, columns: list[rc.ListColumn], rows_: list[Any], title: str) -> int:
    return rc.export_rows(path, columns, rows_, sheet_title=title)
