"""Survey entry, rates on hand-checked examples, and the performance assessment."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.test_assess_services import full_scores, make_campaign, make_unit
from wqg_desktop.db.models import (
    Activity,
    ActivityUnit,
    Candidate,
    Consultation,
    SurveySheet,
    Title,
    TrainingAttendance,
    TrainingSession,
)
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import assessment, inspections, surveys
from wqg_desktop.services.office import this_office

D = dt.date
# default questionnaire: 4 awareness, 6 satisfaction, age band, group = 12 digits


@pytest.fixture
def survey(ctx):
    with ctx.acting("测试"):
        unit = make_unit("海安市公安局城东派出所", head="钱某")
        campaign = make_campaign([unit])
        rnd = surveys.create_round(unit=unit, campaign=campaign, started_on=D(2026, 10, 8))
    return ctx, unit, campaign, rnd


def save(ctx, rnd, serial, answers, entry=1):
    with ctx.acting("测试"):
        return surveys.save_sheet(round_id=rnd.id, serial_no=serial, answers=answers, entry=entry)


def test_no_responses_give_no_rates(survey) -> None:
    _ctx, _u, _c, rnd = survey
    r = surveys.compute_rates([rnd.id])[rnd.id]
    assert (r.sheets, r.awareness, r.satisfaction) == (0, None, None)
    assert surveys.percent(r.awareness) == "—"
    [item] = surveys.unit_rates(campaign_id=rnd.campaign_id)
    assert "少于 30 份" in item.warnings[0]


def test_one_response(survey) -> None:
    ctx, _u, _c, rnd = survey
    save(ctx, rnd, 1, "1212" + "123123" + "21")
    r = surveys.compute_rates([rnd.id])[rnd.id]
    assert (r.aware_yes, r.aware_valid) == (2, 4)
    assert (r.sat_yes, r.sat_valid) == (4, 6)
    assert r.awareness == 0.5 and r.satisfaction == pytest.approx(4 / 6)
    sheet = SurveySheet.get()
    assert (sheet.age_band, sheet.youth_group) == ("14-17岁", "在校学生")


def test_all_dissatisfied(survey) -> None:
    ctx, _u, _c, rnd = survey
    for serial in (1, 2, 3):
        save(ctx, rnd, serial, "2222" + "333333" + "00")
    r = surveys.compute_rates([rnd.id])[rnd.id]
    assert r.satisfaction == 0.0 and r.awareness == 0.0
    assert r.sat_by_option == [0, 0, 18]


def test_blanks_are_not_valid_answers(survey) -> None:
    ctx, _u, _c, rnd = survey
    save(ctx, rnd, 1, "1000" + "100000" + "00")  # one awareness, one satisfaction answer
    save(ctx, rnd, 2, "0000" + "000000" + "30")  # only the profile: not a valid sheet
    save(ctx, rnd, 3, "2100" + "230000" + "00")
    r = surveys.compute_rates([rnd.id])[rnd.id]
    assert (r.aware_yes, r.aware_valid) == (2, 3)
    assert (r.sat_yes, r.sat_valid) == (2, 3)
    assert (r.sheets, r.valid_sheets) == (3, 2)


def test_entry_refusals(survey) -> None:
    ctx, _u, _c, rnd = survey
    with pytest.raises(InputRefused, match="第 1 题只有 2 个选项，不能填 3"):
        save(ctx, rnd, 1, "3" + "0" * 11)
    with pytest.raises(InputRefused, match="有 12 道题，录入了 10 个答案"):
        save(ctx, rnd, 1, "1" * 10)
    save(ctx, rnd, 1, "1" * 12)
    with pytest.raises(InputRefused, match="序号 1 的问卷已经录入过"):
        save(ctx, rnd, 1, "2" * 10 + "11")
    with pytest.raises(InputRefused, match="还没有首次录入"):
        save(ctx, rnd, 2, "1" * 12, entry=2)
    assert SurveySheet.select().count() == 1
    assert surveys.next_serial(rnd.id) == 2


def test_double_entry_lists_disagreements(survey) -> None:
    ctx, _u, _c, rnd = survey
    save(ctx, rnd, 1, "111111111111")
    save(ctx, rnd, 2, "222222222222")
    assert surveys.next_serial(rnd.id, entry=2) == 1
    save(ctx, rnd, 1, "111111111111", entry=2)
    assert surveys.next_serial(rnd.id, entry=2) == 2
    save(ctx, rnd, 2, "222222322221", entry=2)
    report = surveys.double_entry_report(rnd.id)
    assert report.compared == 2
    assert report.disagreements == [(2, 7, "2", "3"), (2, 12, "2", "1")]
    # the second keying never counts in the rates
    assert surveys.compute_rates([rnd.id])[rnd.id].sheets == 2


def test_comparison_with_previous_round(survey) -> None:
    ctx, unit, campaign, rnd = survey
    save(ctx, rnd, 1, "1111" + "111111" + "00")
    with ctx.acting("测试"):
        later = surveys.create_round(unit=unit, campaign=campaign, started_on=D(2026, 11, 2))
    save(ctx, later, 1, "1111" + "111333" + "00")
    [item] = surveys.unit_rates(campaign_id=campaign.id)
    assert item.round_id == later.id
    assert item.previous.satisfaction == 1.0
    assert item.satisfaction_change == pytest.approx(-0.5)


def test_options_locked_once_sheets_exist(survey) -> None:
    ctx, _u, _c, rnd = survey
    question = surveys.questions_of(rnd.template_id)[0]
    with ctx.acting("测试"):
        surveys.update_question(question=question, options=["是", "否"])
    save(ctx, rnd, 1, "1" * 12)
    with ctx.acting("测试"), pytest.raises(Exception, match="不能再修改选项"):
        surveys.update_question(question=question, options=["知道", "不知道"])
    with ctx.acting("测试"), pytest.raises(InputRefused, match="满意、基本满意、不满意"):
        surveys.update_question(question=surveys.questions_of(rnd.template_id)[5],
                                options=["好", "不好"])


# -- assessment ------------------------------------------------------------------------------


def test_no_evidence_gives_no_score(survey) -> None:
    _ctx, unit, campaign, _rnd = survey
    cand = Candidate.get(Candidate.unit == unit.id)
    assert assessment.candidate_score(cand) is None


def test_score_combines_the_evidence(survey) -> None:
    ctx, unit, campaign, rnd = survey
    from wqg_desktop.db.models import LeadingGroupMember

    with ctx.acting("测试"):
        LeadingGroupMember.create(owner_office=this_office(), role="leader", name="周一鸣")
        _s, items = inspections.checklist(campaign, unit)
        inspections.save_inspection(unit=unit, campaign=campaign, on=D(2026, 5, 6),
                                    inspectors=["周一鸣"], scores=full_scores(items, 0.8))
        save(ctx, rnd, 1, "1122" + "111233" + "00")  # awareness 50%, satisfaction 4/6
        act = Activity.create(owner_office=this_office(), kind="volunteer", title="进校园",
                              start_on=D(2026, 3, 2))
        ActivityUnit.create(owner_office=this_office(), activity=act, unit=unit)
        Consultation.create(owner_office=this_office(), unit=unit, kind="complaint",
                            received_on=D(2026, 4, 1), channel="电话", content="x",
                            due_on=D(2026, 4, 8), replied_on=D(2026, 4, 9))
        Consultation.create(owner_office=this_office(), unit=unit, kind="consultation",
                            received_on=D(2026, 4, 1), channel="电话", content="y",
                            due_on=D(2026, 4, 8), replied_on=D(2026, 4, 8))
        session = TrainingSession.create(owner_office=this_office(), on=D(2025, 6, 1),
                                         organiser_level=1, topic="负责人培训")
        TrainingAttendance.create(owner_office=this_office(), session=session, unit=unit,
                                  head_name="钱某")
    cand = Candidate.get(Candidate.unit == unit.id)
    result = assessment.candidate_assessment(cand, today=D(2026, 11, 26))
    values = {c.key: round(c.value, 2) for c in result.components}
    assert values == {"inspection": 80.0, "satisfaction": 66.67, "awareness": 50.0,
                      "activities": 25.0, "complaints": 50.0, "training": 100.0, "online": 0.0}
    # 40·80 + 20·66.67 + 10·50 + 10·25 + 10·50 + 5·100 + 5·0 = 6283.3 over 100
    assert result.score == 62.8
    assert assessment.candidate_score(cand) == 62.8
    inspection_part = next(c for c in result.components if c.key == "inspection")
    assert inspection_part.sources[0].entity == "Inspection"
    assert sum(c.contribution for c in result.components) == pytest.approx(62.83, abs=0.01)


def test_early_warning_for_falling_satisfaction_and_untrained_head(survey) -> None:
    ctx, unit, campaign, rnd = survey
    with ctx.acting("测试"):
        Title.create(owner_office=this_office(), unit=unit, level=1, term_start=2023,
                     named_on=D(2024, 8, 8), next_rereview_due=D(2026, 12, 20))
        save(ctx, rnd, 1, "1111" + "111111" + "00")
        later = surveys.create_round(unit=unit, started_on=D(2026, 11, 2),
                                     template=rnd.template)
        save(ctx, later, 1, "1111" + "333111" + "00")
    [warning] = assessment.early_warnings(today=D(2026, 11, 26))
    assert warning.unit == unit.name
    assert any("满意度由 100.0% 降至 50.0%" in r for r in warning.reasons)
    assert any("负责人钱某" in r and "尚未参加培训" in r for r in warning.reasons)
