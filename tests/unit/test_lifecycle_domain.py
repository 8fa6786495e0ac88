"""The pure rules: transitions as data, the 20% differential, the ladder, deadlines."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from wqg_desktop.domain import lifecycle
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CandidateStatus, PlaqueState, TitleStatus
from wqg_desktop.errors import RuleViolation
from wqg_desktop.services import calendar

D = dt.date

# -- the differential ----------------------------------------------------------------------------

#: Worked by hand from DOMAIN.md rule 2 (and the counts it names).
ELECTION = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 5, 8: 6, 9: 7, 10: 8, 11: 9, 12: 10, 13: 10,
            14: 11, 15: 12, 16: 13, 17: 14, 18: 15, 19: 15, 20: 16, 21: 17, 22: 18, 23: 19,
            24: 20, 25: 20}
FAIL20 = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 4, 7: 5, 8: 6, 9: 7, 10: 8, 11: 8, 12: 9, 13: 10,
          14: 11, 15: 12, 16: 12, 17: 13, 18: 14, 19: 15, 20: 16, 21: 16, 22: 17, 23: 18,
          24: 19, 25: 20}


def _by_definition(reviewed: int, convention: str) -> int:
    """The largest count that satisfies the definition, searched with exact fractions."""
    best = 0
    for passed in range(1, reviewed + 1):
        if convention == "election":
            ok = Fraction(reviewed - passed, passed) >= Fraction(1, 5)
        else:
            ok = Fraction(reviewed - passed, reviewed) >= Fraction(1, 5)
        if ok:
            best = passed
    return best


@pytest.mark.parametrize("reviewed", range(1, 26))
def test_differential_election(reviewed: int) -> None:
    got = lifecycle.differential_max_pass(reviewed, "election")
    assert got == (5 * reviewed) // 6 == ELECTION[reviewed] == _by_definition(reviewed, "election")


@pytest.mark.parametrize("reviewed", range(1, 26))
def test_differential_fail20(reviewed: int) -> None:
    got = lifecycle.differential_max_pass(reviewed, "fail20")
    assert got == (4 * reviewed) // 5 == FAIL20[reviewed] == _by_definition(reviewed, "fail20")


def test_differential_values_of_domain_md() -> None:
    assert [lifecycle.differential_max_pass(n) for n in (6, 8, 12, 21, 4, 1)] == [5, 6, 10, 17, 3, 0]
    assert [lifecycle.differential_max_pass(n, "fail20") for n in (6, 12, 21)] == [4, 9, 16]
    assert lifecycle.differential_max_pass(0) == 0


def test_convention_text_and_unknown_convention() -> None:
    assert "选举" in lifecycle.convention_text("election")
    assert "20%不达标" in lifecycle.convention_text("fail20")
    assert "至多 17 个" in lifecycle.differential_summary(21, 18, "election")
    with pytest.raises(RuleViolation, match="election"):
        lifecycle.differential_max_pass(6, "half")


# -- transitions -----------------------------------------------------------------------------------


def test_transition_table_is_the_one_place() -> None:
    keys = [(t.source, t.action) for t in lifecycle.CANDIDATE_TRANSITIONS]
    assert len(keys) == len(set(keys)), "a (state, action) pair leads to one state only"
    assert all(t.label and t.needs for t in lifecycle.CANDIDATE_TRANSITIONS)
    step = lifecycle.candidate_step(CandidateStatus.PUBLICIZING, "name")
    assert step.target == CandidateStatus.NAMED and step.label == "命名"
    assert lifecycle.candidate_step(CandidateStatus.OBJECTION, "uphold").target == "not_named"


@pytest.mark.parametrize("state", [s for s in CandidateStatus if s != CandidateStatus.PUBLICIZING])
def test_naming_from_any_other_state_is_refused_with_what_would_make_it_legal(state) -> None:
    with pytest.raises(RuleViolation) as err:
        lifecycle.candidate_step(state, "name")
    assert f"目前是“{state.label}”" in str(err.value)
    assert "公示" in str(err.value) and "公示期已满" in str(err.value)


def test_every_missing_candidate_pair_is_refused() -> None:
    actions = {t.action for t in lifecycle.CANDIDATE_TRANSITIONS}
    legal = {(t.source, t.action) for t in lifecycle.CANDIDATE_TRANSITIONS}
    for state in [lifecycle.NEW, *CandidateStatus]:
        for action in actions:
            if (state, action) in legal:
                assert lifecycle.candidate_step(state, action)
            else:
                with pytest.raises(RuleViolation, match="只有处于"):
                    lifecycle.candidate_step(state, action)


def test_title_transitions_and_plaque_fates() -> None:
    fate = {t.action: t.plaque for t in lifecycle.TITLE_TRANSITIONS}
    assert fate["recheck_fail"] == PlaqueState.REMOVED
    assert fate["deregister"] == PlaqueState.SOUVENIR
    assert fate["revoke"] == PlaqueState.RECLAIMED
    assert fate["rereview_fail"] is None and fate["recheck_pass"] is None
    assert lifecycle.title_step(TitleStatus.VALID, "rereview_fail").target == TitleStatus.RECTIFYING
    assert lifecycle.title_step(TitleStatus.RECTIFYING, "revoke").target == TitleStatus.REVOKED
    for ended in (TitleStatus.CANCELLED, TitleStatus.DEREGISTERED, TitleStatus.REVOKED):
        for action in ("rereview_pass", "deregister", "revoke", "recheck_pass"):
            with pytest.raises(RuleViolation, match=ended.label):
                lifecycle.title_step(ended, action)
    with pytest.raises(RuleViolation, match="整改中"):
        lifecycle.title_step(TitleStatus.VALID, "recheck_fail")


def test_stage_refusal_names_the_stage_needed() -> None:
    with pytest.raises(RuleViolation, match="只有处于“审核”的创建活动才能公示"):
        lifecycle.stage_step("creation", "publicize")


# -- the ladder --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "valid", "city_direct", "refused_with"), [
    (Level.COUNTY, [], False, None),  # county level has no prerequisite
    (Level.CITY, [], False, "没有有效的县(市、区)级"),
    (Level.CITY, [1], False, None),
    (Level.PROVINCE, [1], False, "没有有效的市级"),
    (Level.PROVINCE, [1, 2], False, None),
    (Level.PROVINCE, [2], False, None),  # only the level right below counts
    (Level.NATIONAL, [1, 2], False, "没有有效的省级"),
    (Level.NATIONAL, [3], False, None),
    (Level.CITY, [], True, None),  # 市直: the ladder starts at the city level
    (Level.COUNTY, [], True, "市直单位不属于任何县"),
    (Level.PROVINCE, [], True, "没有有效的市级"),
    (Level.PROVINCE, [2], True, None),
    (Level.CITY, [1, 2], False, "已持有有效的市级"),
    (Level.COUNTY, [1], False, "已持有有效的县(市、区)级"),
])
def test_ladder(level, valid, city_direct, refused_with) -> None:
    why = lifecycle.ladder_refusal(level, valid, city_direct)
    if refused_with is None:
        assert why is None
    else:
        assert why is not None and refused_with in why


def test_next_level() -> None:
    assert lifecycle.next_level([], False) == Level.COUNTY
    assert lifecycle.next_level([1], False) == Level.CITY
    assert lifecycle.next_level([1, 2, 3], False) == Level.NATIONAL
    assert lifecycle.next_level([], True) == Level.CITY
    assert lifecycle.next_level([1, 2, 3, 4], False) is None
    assert lifecycle.eligible_levels([2], False) == [Level.COUNTY, Level.PROVINCE]


# -- deadlines ---------------------------------------------------------------------------------------


def test_months_and_years_at_month_ends_and_leap_days() -> None:
    assert lifecycle.add_months(D(2026, 12, 31), 2) == D(2027, 2, 28)
    assert lifecycle.rectification_deadline(D(2026, 12, 31)) == D(2027, 12, 31)
    assert lifecycle.rectification_deadline(D(2024, 2, 29)) == D(2025, 2, 28)
    assert lifecycle.rectification_deadline(D(2026, 3, 1), 6) == D(2026, 9, 1)
    assert lifecycle.next_rereview(D(2024, 2, 29)) == D(2026, 2, 28)
    assert lifecycle.next_rereview(D(2025, 12, 20), 3) == D(2028, 12, 20)


def test_publicity_across_national_day_and_a_makeup_saturday(ctx) -> None:
    # 9/28–9/30 (3), holiday 10/1–10/7, 10/8 Thu (4), 10/9 (5), Saturday 10/10 调休 (6), 10/12 (7)
    assert lifecycle.publicity_end(D(2026, 9, 28), 7, calendar.exceptions()) == D(2026, 10, 12)
    # without the office calendar the same period ends a week earlier
    assert lifecycle.publicity_end(D(2026, 9, 28), 7, {}) == D(2026, 10, 6)


def test_publicity_across_the_year_end(ctx) -> None:
    # 12/29–12/31 (3), 元旦 1/1–1/3, Sunday 1/4 调休 (4), 1/5, 1/6, 1/7 (7)
    assert lifecycle.publicity_end(D(2025, 12, 29), 7, calendar.exceptions()) == D(2026, 1, 7)
    # 2026-12-28 without a 2027 schedule: plain weekdays carry on into January
    assert lifecycle.publicity_end(D(2026, 12, 28), 7, calendar.exceptions()) == D(2027, 1, 5)


def test_creation_period_warning() -> None:
    assert lifecycle.creation_period_warning(D(2025, 1, 1), D(2026, 12, 31)) is None
    warning = lifecycle.creation_period_warning(D(2025, 1, 1), D(2025, 6, 30))
    assert warning and "两年" in warning
    assert lifecycle.creation_period_warning(None, D(2025, 6, 30)) is None
