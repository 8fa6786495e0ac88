"""Plausible dates: the rules, and every service refusing the reviewer's impossible dates
(online since 2099, a 2099 term, 计划命名 9999-12-31, an inspection in 1800, 受理 in 1760)
with a Chinese message naming the field, before anything is written."""

from __future__ import annotations

import datetime as dt

import pytest
from test_lifecycle_support import TODAY, D, campaign_in_creation, make_unit, new_campaign, reload

from wqg_desktop.db.models import (
    Activity,
    AuditLog,
    Campaign,
    Candidate,
    Consultation,
    Inspection,
    LeadingGroupMember,
    NamingBody,
    PracticalProject,
    Referral,
    Region,
    RegionName,
    Supervisor,
    SurveyRound,
    Title,
    TrainingSession,
    Unit,
    UnitHead,
    UnitName,
    acting_as,
)
from wqg_desktop.domain import date_rules as rules
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import (
    campaign_edit,
    campaign_review,
    inspections,
    people,
    records_activities,
    records_consult,
    records_projects,
    records_training,
    survey_entry,
    units,
    units_reorg,
    units_titles,
)

WATCHED = (Activity, AuditLog, Campaign, Consultation, Inspection, NamingBody,
           PracticalProject, Referral, RegionName, Supervisor, SurveyRound, Title,
           TrainingSession, Unit, UnitHead, UnitName)


def counts() -> dict[str, int]:
    return {m.__name__: m.select().count() for m in WATCHED}


def refused(match: str, action) -> None:  # type: ignore[no-untyped-def]
    """``action`` is refused with a message matching ``match`` and leaves no row behind."""
    before = counts()
    with pytest.raises(InputRefused, match=match), acting_as("测试"):
        action()
    assert counts() == before


# -- the rules ---------------------------------------------------------------------------------


def test_happened_dates_run_from_1998_to_today() -> None:
    assert rules.check_happened(rules.EARLIEST, "受理日期", today=TODAY) == D(1998, 1, 1)
    assert rules.check_happened(TODAY, "受理日期", today=TODAY) == TODAY
    with pytest.raises(InputRefused, match=r"受理日期（1997年12月31日）早于1998年"):
        rules.check_happened(D(1997, 12, 31), "受理日期", today=TODAY)
    with pytest.raises(InputRefused, match=r"检查日期（2026年11月27日）不能晚于今天"):
        rules.check_happened(D(2026, 11, 27), "检查日期", today=TODAY)
    # without a today only the earliest date is known
    assert rules.check_happened(D(2099, 1, 1), "检查日期", today=None) == D(2099, 1, 1)
    with pytest.raises(InputRefused, match="答复日期.*早于受理日期"):
        rules.check_happened(D(2020, 1, 1), "答复日期", today=TODAY, not_before=D(2020, 2, 1),
                             not_before_what="受理日期")


def test_planned_dates_reach_five_years_ahead() -> None:
    assert rules.plan_horizon(TODAY) == D(2031, 11, 26)
    assert rules.plan_horizon(D(2024, 2, 29)) == D(2029, 2, 28)
    assert rules.check_planned(D(2031, 11, 26), "计划命名日期", today=TODAY) == D(2031, 11, 26)
    with pytest.raises(InputRefused, match=r"计划命名日期（2031年11月27日）太远.*5 年后"):
        rules.check_planned(D(2031, 11, 27), "计划命名日期", today=TODAY)
    with pytest.raises(InputRefused, match="整改期限（1800年1月1日）早于1998年"):
        rules.check_planned(D(1800, 1, 1), "整改期限", today=TODAY)


def test_term_years_and_register_history() -> None:
    assert rules.term_year_range(TODAY) == (1998, 2028)
    assert rules.check_term_year(2027, today=TODAY) == 2027
    for bad in (1997, 2029, 2099):
        with pytest.raises(InputRefused, match=f"年度起始年份 {bad} 不合理"):
            rules.check_term_year(bad, today=TODAY)
    # a county renamed before the campaign began is still history worth recording
    assert rules.check_register_day(D(1991, 3, 1), "更名日期", today=TODAY) == D(1991, 3, 1)
    with pytest.raises(InputRefused, match="更名日期（1900年1月1日）早于1949年10月1日"):
        rules.check_register_day(D(1900, 1, 1), "更名日期", today=TODAY)
    with pytest.raises(InputRefused, match="合并日期.*不能晚于今天"):
        rules.check_register_day(D(2027, 1, 1), "合并日期", today=TODAY)


# -- the register --------------------------------------------------------------------------------


def _fields(**over) -> units.UnitFields:  # type: ignore[no-untyped-def]
    region = Region.get(Region.name == "海安市")
    base = dict(name="海安市公安局城东派出所", region_id=region.id, police_type_id=1,
                head_name="周建华", online=True, online_since=D(2099, 1, 1))
    base.update(over)
    return units.UnitFields(**base)  # type: ignore[arg-type]


def test_unit_online_since_2099_is_refused_on_create_and_on_edit(ctx) -> None:
    refused(r"上线日期（2099年1月1日）不能晚于今天",
            lambda: units.create_unit(_fields(), today=TODAY))
    refused("上线日期（1990年5月4日）早于1998年",
            lambda: units.create_unit(_fields(online_since=D(1990, 5, 4)), today=TODAY))
    with acting_as("测试"):
        unit = units.create_unit(_fields(online_since=D(2015, 5, 4)), today=TODAY)
    refused("上线日期", lambda: units.update_unit(unit.id, _fields(), today=TODAY))
    assert reload(unit).online_since == D(2015, 5, 4)
    # not online: the date box's value is not kept, so it is not judged
    with acting_as("测试"):
        units.update_unit(unit.id, _fields(online=False), today=TODAY)
    assert reload(unit).online_since is None


def test_set_online_and_work_dates_of_the_register(ctx) -> None:
    unit = make_unit()
    refused("上线日期", lambda: records_training.set_online(today=TODAY, unit_id=unit.id,
                                                         online=True, since=D(2099, 1, 1)))
    assert reload(unit).online is False
    refused("不再从事青少年工作的日期（1800年1月1日）早于1998年",
            lambda: units_titles.end_youth_work(unit.id, on=D(1800, 1, 1), reason="机构改革",
                                                today=TODAY))
    assert reload(unit).works_with_youth is True
    refused("更名日期（1800年1月1日）", lambda: units.rename_unit(
        unit.id, new_name="海安市公安局新城派出所", on=D(1800, 1, 1), today=TODAY))
    region = Region.get(Region.name == "海安市")
    refused("更名日期（2099年1月1日）不能晚于今天", lambda: units_reorg.rename_region(
        region.id, new_name="海安新区", on=D(2099, 1, 1), today=TODAY))
    assert reload(region).name == "海安市"


def test_historic_title_dates(ctx) -> None:
    unit = make_unit()

    def record(**over):  # type: ignore[no-untyped-def]
        rec = dict(level=1, term="2011", naming_bodies="共青团海安县委、海安县公安局",
                   named_on=D(2012, 8, 8))
        rec.update(over)
        return units_titles.record_title(unit.id, units_titles.TitleRecord(**rec), today=TODAY)

    refused("命名日期（1800年1月1日）早于1998年", lambda: record(named_on=D(1800, 1, 1)))
    refused("年度起始年份 1990 不合理", lambda: record(term="1990—1991"))
    refused("整改期限（9999年12月31日）太远",
            lambda: record(status="rectifying", rectification_deadline=D(9999, 12, 31)))
    # the demo's oldest facts stay valid: a title of the 2007—2008 term named in 2008
    with acting_as("测试"):
        title = record(term="2007", named_on=D(2008, 5, 4))
    assert title.named_on == D(2008, 5, 4)


# -- campaigns -------------------------------------------------------------------------------------


def test_new_campaign_refuses_a_2099_term_and_naming_on_9999_12_31(ctx) -> None:
    refused("年度起始年份 2099 不合理", lambda: new_campaign(term="2099"))
    refused("年度起始年份 1990 不合理", lambda: new_campaign(term="1990—1991"))
    refused(r"计划命名日期（9999年12月31日）太远",
            lambda: new_campaign(naming_planned=D(9999, 12, 31)))
    refused("申报开始日期（1752年9月14日）早于1998年",
            lambda: new_campaign(application_start=D(1752, 9, 14)))
    # the term after next may be prepared
    assert new_campaign(term="2027—2028").term_start == 2027


def test_changing_a_plan_date_checks_it_unchanged_dates_pass(ctx) -> None:
    campaign = new_campaign()
    with pytest.raises(InputRefused, match="计划命名日期（9999年12月31日）太远"), \
            acting_as("测试"):
        campaign_edit.update_campaign(campaign=campaign, today=TODAY,
                                      naming_planned=D(9999, 12, 31))
    assert reload(campaign).naming_planned == D(2027, 1, 15)
    # a date stored before the check does not block other changes (it is history now)
    Campaign.update(naming_planned=D(9999, 12, 31)).where(Campaign.id == campaign.id).execute()
    with acting_as("测试"):
        campaign_edit.update_campaign(campaign=reload(campaign), today=TODAY, note="补充说明")
    assert reload(campaign).note == "补充说明"


def test_publicity_start_in_9999_is_refused(ctx) -> None:
    campaign, cands = campaign_in_creation(2)
    with acting_as("测试"):
        campaign_review.review_campaign(campaign=campaign, passed=[cands[0].id], today=TODAY)
    refused("公示开始日期（9999年12月31日）太远", lambda: campaign_review.publicize(
        campaign=campaign, today=TODAY, start=D(9999, 12, 31)))
    assert reload(campaign).publicity_start is None
    assert Candidate.get_by_id(cands[0].id).status == "passed"


# -- inspections -----------------------------------------------------------------------------------


def test_inspection_in_1800_is_refused_not_warned(ctx) -> None:
    unit = make_unit()
    with acting_as("测试"):
        LeadingGroupMember.create(owner_office=unit.owner_office_id, role="leader",
                                  name="周一鸣", employer="海安市公安局", post="副局长")

    def save(**over):  # type: ignore[no-untyped-def]
        args = dict(unit=unit, on=D(2026, 5, 6), inspectors=["周一鸣"], today=TODAY)
        args.update(over)
        return inspections.save_inspection(**args)

    refused("检查日期（1800年1月1日）早于1998年", lambda: save(on=D(1800, 1, 1)))
    # callers that give no today are held to the earliest date too
    refused("检查日期（1800年1月1日）早于1998年", lambda: save(on=D(1800, 1, 1), today=None))
    refused("整改期限（9999年12月31日）太远", lambda: save(
        rectification="完善接待台账", rectification_deadline=D(9999, 12, 31)))
    with acting_as("测试"):
        done = save(rectification="完善接待台账", rectification_deadline=D(2026, 12, 31))
    refused("复查日期 2099年1月1日 晚于今天", lambda: inspections.record_followup(
        inspection=done.inspection, on=D(2099, 1, 1), followup="已整改", passed=True, today=TODAY))
    assert reload(done.inspection).followup_on is None


# -- work records -----------------------------------------------------------------------------------


def test_consultation_received_in_1760_is_refused(ctx) -> None:
    unit = make_unit()

    def save(**over):  # type: ignore[no-untyped-def]
        args = dict(today=TODAY, unit_id=unit.id, kind="complaint", received_on=D(2026, 9, 30),
                    channel="电话", content="反映学校周边网吧接纳未成年人")
        args.update(over)
        return records_consult.save(**args)

    refused("受理日期（1760年1月1日）早于1998年", lambda: save(received_on=D(1760, 1, 1)))
    refused("受理日期（1760年1月1日）早于1998年", lambda: save(received_on="1760-01-01"))
    refused("答复日期（2099年1月1日）不能晚于今天",
            lambda: save(replied_on=D(2099, 1, 1), result="已答复"))


def test_activity_training_project_and_referral_dates(ctx) -> None:
    unit = make_unit()
    refused("开始日期（1800年1月1日）早于1998年", lambda: records_activities.save(
        today=TODAY, kind="volunteer", title="法治宣传进校园", start_on=D(1800, 1, 1),
        unit_ids=[unit.id]))
    refused("培训日期（1800年1月1日）早于1998年", lambda: records_training.save_session(
        today=TODAY, on=D(1800, 1, 1), organiser_level=1, topic="负责人培训"))
    refused("年份 1995 早于1998年", lambda: records_projects.save_project(
        today=TODAY, year=1995, police_type_id=unit.police_type_id, title="护校行动"))
    refused(r"办理期限（9999年12月31日）太远", lambda: records_projects.save_referral(
        today=TODAY, kind="transfer", subject="学校周边整治", received_on=D(2026, 11, 2),
        to_unit_id=unit.id, due_on=D(9999, 12, 31)))


def test_supervisor_and_survey_round_dates(ctx) -> None:
    def supervisor(**over):  # type: ignore[no-untyped-def]
        f = dict(name="郑三丽", category="人大代表", appointed_on=D(2025, 4, 1),
                 term_end=D(2028, 3, 31))
        f.update(over)
        return people.add_supervisor(people.SupervisorFields(**f), today=TODAY)

    refused("聘任日期（1800年1月1日）早于1998年", lambda: supervisor(appointed_on=D(1800, 1, 1)))
    refused(r"任期届满日期（9999年12月31日）太远", lambda: supervisor(term_end=D(9999, 12, 31)))
    unit = make_unit()
    refused("调查开始日期（1800年1月1日）早于1998年", lambda: survey_entry.create_round(
        unit=unit, started_on=D(1800, 1, 1), today=TODAY))
    refused(r"调查结束日期（2099年1月1日）太远", lambda: survey_entry.create_round(
        unit=unit, started_on=D(2026, 11, 1), ended_on=D(2099, 1, 1), today=TODAY))


def test_a_plausible_record_still_saves(ctx) -> None:
    """The rules only cut off the impossible: dates of this very day and of 1998 go through."""
    unit = make_unit()
    with acting_as("测试"):
        c = records_consult.save(today=TODAY, unit_id=unit.id, kind="consultation",
                                 received_on=dt.date(1998, 1, 1), channel="电话",
                                 content="咨询", replied_on=TODAY, result="已答复")
    assert (c.received_on, c.replied_on) == (D(1998, 1, 1), TODAY)
