"""The campaign lifecycle as data: states, transitions, the differential, the ladder, deadlines.

Pure (no database, no clock): the services ask this module whether a step is legal and what it
leads to, and word their refusals with the texts kept here, so the rules live in one place
(DOMAIN.md, "Rules the program enforces").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from wqg_desktop.domain import workdays
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import (
    CampaignStage,
    CandidateStatus,
    PlaqueState,
    TitleEventKind,
    TitleStatus,
)
from wqg_desktop.errors import RuleViolation

C = CandidateStatus
T = TitleStatus
S = CampaignStage

#: The state a candidate has before it exists (the "from" of 申报 and 推荐申报).
NEW = ""


@dataclass(frozen=True)
class Transition:
    """One legal step: ``action`` (its Chinese name ``label``) takes ``source`` to ``target``.

    ``needs`` is the condition text a refusal quotes: what must hold for the step to be legal.
    ``doing``: the step as a verb where ``label`` names an outcome (“异议不成立”), for the
    refusal's “不能……”; the label itself by default.
    """

    source: str
    action: str
    target: str
    label: str
    needs: str
    doing: str = field(default="", kw_only=True)

    @property
    def verb(self) -> str:
        return self.doing or self.label


# ---------------------------------------------------------------------------------------------
# Candidates (创建单位): 推荐/申报 → 创建中 → 审核 → 达标/未达标 → 公示 → 命名
# ---------------------------------------------------------------------------------------------

_BEFORE_NAMING = (C.RECOMMENDED, C.APPLIED, C.CREATING, C.REVIEWING, C.PASSED, C.PUBLICIZING)

CANDIDATE_TRANSITIONS: tuple[Transition, ...] = (
    Transition(NEW, "apply", C.APPLIED, "申报", "活动处于筹备或申报阶段，单位符合逐级申报规则"),
    Transition(NEW, "recommend", C.RECOMMENDED, "推荐申报",
               "上级活动处于筹备或申报阶段，推荐数未超过分配名额"),
    Transition(C.RECOMMENDED, "accept", C.APPLIED, "受理推荐", "推荐已送达主办活动的上级办公室"),
    Transition(C.RECOMMENDED, "return", C.RETURNED, "退回推荐", "写明退回理由"),
    Transition(C.APPLIED, "return", C.RETURNED, "退回申报", "写明退回理由"),
    Transition(C.APPLIED, "start_creation", C.CREATING, "确定为创建单位",
               "申报已受理，活动进入创建期"),
    Transition(C.CREATING, "begin_review", C.REVIEWING, "进入审核",
               "创建期已结束，或写明提前审核的理由"),
    Transition(C.REVIEWING, "pass", C.PASSED, "审核达标", "同一活动全部参评单位一并审核，符合差额比例"),
    Transition(C.REVIEWING, "fail", C.FAILED, "审核未达标", "同一活动全部参评单位一并审核"),
    Transition(C.PASSED, "publicize", C.PUBLICIZING, "公示", "审核达标"),
    Transition(C.PUBLICIZING, "object", C.OBJECTION, "受理异议", "公示期内"),
    Transition(C.OBJECTION, "dismiss", C.PUBLICIZING, "异议不成立", "写明处理意见",
               doing="认定异议不成立"),
    Transition(C.OBJECTION, "uphold", C.NOT_NAMED, "异议成立，不予命名", "写明处理意见",
               doing="认定异议成立、不予命名"),
    Transition(C.PUBLICIZING, "name", C.NAMED, "命名", "公示期已满且没有未处理的异议"),
    *(Transition(s, "withdraw", C.WITHDRAWN, "退出创建", "尚未命名") for s in _BEFORE_NAMING),
)

# ---------------------------------------------------------------------------------------------
# Titles (称号): 有效 ⇄ 整改中 → 已取消; 有效/整改中 → 已注销 / 已撤销
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleTransition(Transition):
    """A step of a title, with the event kind it writes and what becomes of the plaque."""

    event: str = ""
    plaque: str | None = None  # new plaque state, None = unchanged


_LIVE = (T.VALID, T.RECTIFYING)

TITLE_TRANSITIONS: tuple[TitleTransition, ...] = (
    TitleTransition(T.VALID, "rereview_pass", T.VALID, "复核合格", "称号有效",
                    TitleEventKind.REREVIEW_PASSED),
    TitleTransition(T.VALID, "rereview_fail", T.RECTIFYING, "复核不合格，进入整改期", "称号有效",
                    TitleEventKind.REREVIEW_FAILED),
    TitleTransition(T.RECTIFYING, "recheck_pass", T.VALID, "整改期满复查合格，恢复有效",
                    "称号处于整改期", TitleEventKind.RECHECK_PASSED),
    TitleTransition(T.RECTIFYING, "recheck_fail", T.CANCELLED, "整改期满复查不合格，取消称号并摘牌",
                    "称号处于整改期且整改期已满", TitleEventKind.RECHECK_FAILED,
                    PlaqueState.REMOVED),
    *(TitleTransition(s, "deregister", T.DEREGISTERED, "注销（工作性质改变，不再涉及青少年工作）",
                      "称号有效或整改中，单位已不再从事青少年工作", TitleEventKind.DEREGISTERED,
                      PlaqueState.SOUVENIR) for s in _LIVE),
    *(TitleTransition(s, "revoke", T.REVOKED, "撤销（经查属实，摘牌收回）",
                      "称号有效或整改中，并记录经查属实的事实及证据", TitleEventKind.REVOKED,
                      PlaqueState.RECLAIMED) for s in _LIVE),
)

# ---------------------------------------------------------------------------------------------
# Campaign stages: 筹备/申报 → 创建期 → 审核 → 公示 → 命名 → 已结束
# ---------------------------------------------------------------------------------------------

STAGE_TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.PREPARING, "start_creation", S.CREATION, "进入创建期", "活动处于筹备或申报阶段"),
    Transition(S.APPLICATION, "start_creation", S.CREATION, "进入创建期", "活动处于筹备或申报阶段"),
    Transition(S.CREATION, "review", S.REVIEW, "审核", "活动处于创建期或审核阶段"),
    Transition(S.REVIEW, "review", S.REVIEW, "审核", "活动处于创建期或审核阶段"),
    Transition(S.REVIEW, "publicize", S.PUBLICITY, "公示", "审核已完成"),
    Transition(S.PUBLICITY, "name", S.NAMING, "命名", "公示期已满"),
)

#: Stages in which units may still apply or be recommended.
OPEN_FOR_APPLICATIONS = (S.PREPARING, S.APPLICATION)

#: Candidates still counting for the campaign (not sent back, withdrawn or finished badly).
LIVE_CANDIDATE = (C.RECOMMENDED, C.APPLIED, C.CREATING, C.REVIEWING, C.PASSED, C.PUBLICIZING,
                  C.OBJECTION, C.NAMED)

#: Candidates that end in a title (or not) and need no further step.
FINISHED_CANDIDATE = (C.NAMED, C.NOT_NAMED, C.FAILED, C.WITHDRAWN, C.RETURNED)


def _label(table: Iterable[Transition], state: str, enum: type) -> str:
    if state == NEW:
        return "（尚未申报）"
    try:
        return enum(state).label
    except ValueError:
        return state


def _find(table: Iterable[Transition], state: str, action: str) -> Transition | None:
    for t in table:
        if t.source == state and t.action == action:
            return t
    return None


def _refusal(table: tuple[Transition, ...], state: str, action: str, enum: type,
             noun: str) -> RuleViolation:
    legal = [t for t in table if t.action == action]
    name = legal[0].verb if legal else action
    sources = "、".join(dict.fromkeys(_label(table, t.source, enum) for t in legal)) or "（无）"
    needs = legal[0].needs if legal else ""
    return RuleViolation(
        f"该{noun}目前是“{_label(table, state, enum)}”，不能{name}：只有处于“{sources}”的{noun}"
        f"才能{name}" + (f"，并且须{needs}。" if needs else "。")
    )


def candidate_step(state: str, action: str) -> Transition:
    """The transition ``action`` from ``state``, or a Chinese refusal saying what would allow it."""
    found = _find(CANDIDATE_TRANSITIONS, state, action)
    if found is None:
        raise _refusal(CANDIDATE_TRANSITIONS, state, action, CandidateStatus, "创建单位")
    return found


def title_step(state: str, action: str) -> TitleTransition:
    """The title transition ``action`` from ``state``, or a Chinese refusal."""
    found = _find(TITLE_TRANSITIONS, state, action)
    if found is None:
        raise _refusal(TITLE_TRANSITIONS, state, action, TitleStatus, "称号")
    return found  # type: ignore[return-value]


def stage_step(stage: str, action: str) -> Transition:
    """The campaign stage after ``action``, or a Chinese refusal."""
    found = _find(STAGE_TRANSITIONS, stage, action)
    if found is None:
        raise _refusal(STAGE_TRANSITIONS, stage, action, CampaignStage, "创建活动")
    return found


def candidate_actions(state: str) -> list[Transition]:
    """Every step open to a candidate in ``state`` (for menus and buttons)."""
    return [t for t in CANDIDATE_TRANSITIONS if t.source == state]


def title_actions(state: str) -> list[TitleTransition]:
    return [t for t in TITLE_TRANSITIONS if t.source == state]


# ---------------------------------------------------------------------------------------------
# The 20% differential (rule 2). Integer arithmetic only.
# ---------------------------------------------------------------------------------------------

CONVENTIONS = ("election", "fail20")

CONVENTION_TEXT = {
    "election": "差额比例按选举口径：(参评数−达标数)÷达标数≥20%，即达标数至多为 参评数×5÷6（取整）",
    "fail20": "差额比例按“至少20%不达标”口径：达标数至多为 参评数×4÷5（取整）",
}


def check_convention(convention: str) -> str:
    if convention not in CONVENTIONS:
        raise RuleViolation(
            f"无法识别差额比例口径“{convention}”：只能是 election（选举口径）或 fail20（至少20%不达标）。"
        )
    return convention


def differential_max_pass(reviewed: int, convention: str = "election") -> int:
    """The most units that may be found 达标 among ``reviewed`` candidates.

    'election' (DOMAIN's definition): (reviewed − passed) / passed ≥ 1/5 ⇔ 6·passed ≤ 5·reviewed,
    so (5 × reviewed) // 6. 'fail20': reviewed − passed ≥ reviewed / 5 ⇔ (4 × reviewed) // 5.
    """
    if reviewed < 0:
        raise ValueError("reviewed must be ≥ 0")
    check_convention(convention)
    return (5 * reviewed) // 6 if convention == "election" else (4 * reviewed) // 5


def convention_text(convention: str) -> str:
    """The convention in Chinese, shown next to the count wherever a decision is shown."""
    return CONVENTION_TEXT[check_convention(convention)]


def differential_summary(reviewed: int, passed: int, convention: str) -> str:
    """达标 3 / 至多 3（参评 4）… — the line a review window and a report print."""
    limit = differential_max_pass(reviewed, convention)
    return f"参评 {reviewed} 个，达标 {passed} 个，按差额比例至多 {limit} 个达标（{convention_text(convention)}）"


# ---------------------------------------------------------------------------------------------
# The ladder (rule 1)
# ---------------------------------------------------------------------------------------------


def lowest_level(city_direct: bool) -> Level:
    """The first level open to a unit: 市直 units belong to no county and start at 市级."""
    return Level.CITY if city_direct else Level.COUNTY


def ladder_refusal(level: Level, valid_levels: Iterable[int], city_direct: bool,
                   rectifying_levels: Iterable[int] = ()) -> str | None:
    """Why a unit may not apply at ``level`` (Chinese), or ``None`` when it may.

    ``valid_levels``: the levels at which the unit holds a *valid* (有效) post title; 整改中,
    ended titles and 示范单位 titles do not count. ``rectifying_levels``: the levels of its
    post titles in rectification (整改中): not valid for the ladder, but still live, so the unit
    may not apply again at that level either (its way back is the recheck).
    """
    level = Level(level)
    valid = {Level(v) for v in valid_levels}
    floor = lowest_level(city_direct)
    if level in valid:
        return (f"该单位已持有有效的{level.label}“青少年维权岗”称号：持有称号的单位接受复核，"
                f"不再重复申报同级创建单位。")
    if level in {Level(v) for v in rectifying_levels}:
        return (f"该单位的{level.label}“青少年维权岗”称号正在整改中：整改中的称号仍未终止，"
                f"不能再申报同级创建单位。请在整改期满后办理复查：复查合格即恢复有效；"
                f"复查不合格、称号取消后，方可重新申报。")
    if level < floor:
        return ("市直单位不属于任何县(市、区)，没有县级创建活动：其创建从市级起步。")
    if level == floor:
        return None
    below = level.below()
    assert below is not None
    if below not in valid:
        return (f"申报{level.label}创建单位须是下一级“青少年维权岗”单位：该单位没有有效的"
                f"{below.label}“青少年维权岗”称号（整改中的称号不算）。请先取得{below.label}称号，"
                f"或在整改期满复查合格、称号恢复有效后再申报。")
    return None


def eligible_levels(valid_levels: Iterable[int], city_direct: bool,
                    rectifying_levels: Iterable[int] = ()) -> list[Level]:
    """Every level at which a unit may apply now, lowest first."""
    valid, rectifying = list(valid_levels), list(rectifying_levels)
    return [lv for lv in Level if ladder_refusal(lv, valid, city_direct, rectifying) is None]


def next_level(valid_levels: Iterable[int], city_direct: bool) -> Level | None:
    """The level a unit climbs to next: the lowest open level above its highest valid title."""
    valid = {Level(v) for v in valid_levels}
    open_levels = eligible_levels(valid, city_direct)
    above = [lv for lv in open_levels if not valid or lv > max(valid)]
    return above[0] if above else (open_levels[0] if open_levels else None)


# ---------------------------------------------------------------------------------------------
# Deadlines (rule 8), all taking their dates as arguments
# ---------------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day (31 → 30)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month0 + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def publicity_end(start: dt.date, working_days: int, exceptions: workdays.Exceptions) -> dt.date:
    """Last day of a publicity period of ``working_days`` on the office calendar from ``start``."""
    return workdays.period_end(start, working_days, exceptions)


def rectification_deadline(failed_on: dt.date, months: int = 12) -> dt.date:
    """End of the rectification period (整改期) after a failed re-review: one year by default."""
    return add_months(failed_on, months)


def next_rereview(day: dt.date, years: int = 2) -> dt.date:
    """When a title is re-reviewed next: every two years by default."""
    return add_months(day, 12 * years)


def default_creation_end(start: dt.date) -> dt.date:
    """The last day of a two-year creation period that begins on ``start`` (2025-02-01 →
    2027-01-31): the end a campaign gets when none was planned."""
    return add_months(start, 24) - dt.timedelta(days=1)


def creation_end_of(start: dt.date | None, end: dt.date | None) -> dt.date | None:
    """The creation period's end in force: the planned one, else two years from its start."""
    if end is not None:
        return end
    return default_creation_end(start) if start is not None else None


def creation_period_warning(start: dt.date | None, end: dt.date | None) -> str | None:
    """A warning (not a refusal) when the creation period is not about two years."""
    if start is None or end is None:
        return None
    norm = add_months(start, 24)
    if abs((end - norm).days) > 45:
        months = round((end - start).days / 30.44)
        return (f"创建期约 {months} 个月：实施意见规定创建期一般为两年，请确认日期无误"
                f"（仍按所填日期保存）。")
    return None


def days_left(due: dt.date | None, today: dt.date) -> int | None:
    return None if due is None else (due - today).days
