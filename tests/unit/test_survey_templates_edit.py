"""Editing a campaign's questionnaire: allowed before sheets exist, locked after, new versions."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.test_assess_services import make_campaign, make_unit
from wqg_desktop.db.models import SurveyQuestion
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import surveys

D = dt.date


@pytest.fixture
def campaign_unit(ctx):
    with ctx.acting("测试"):
        unit = make_unit("海安市公安局城东派出所")
        campaign = make_campaign([unit])
    return ctx, campaign, unit


def test_questions_edited_added_moved_and_removed_before_any_sheet(campaign_unit) -> None:
    ctx, campaign, _unit = campaign_unit
    with ctx.acting("测试"):
        template = surveys.campaign_template(campaign)
        first = surveys.questions_of(template)[0]
        surveys.update_question(question=first, kind=surveys.PROFILE, text="您所在的学校类型",
                                options=["小学", "初中", "高中"])
        added = surveys.add_question(template=template, kind=surveys.AWARENESS,
                                     text="您知道本单位的志愿者队伍吗？", options=["知道", "不知道"])
        surveys.move_question(question=added, step=-1)
        surveys.remove_question(question=surveys.questions_of(template)[1])
    qs = surveys.questions_of(template)
    assert len(qs) == 12
    assert (qs[0].kind, qs[0].text, surveys.options_of(qs[0])) == (
        surveys.PROFILE, "您所在的学校类型", ["小学", "初中", "高中"])
    assert qs[-2].text == "您知道本单位的志愿者队伍吗？"  # moved above the last one
    assert surveys.shape_of(template).option_counts[0] == 3
    assert surveys.lock_reason(template) is None


def test_question_rules(campaign_unit) -> None:
    ctx, campaign, _unit = campaign_unit
    with ctx.acting("测试"):
        template = surveys.campaign_template(campaign)
        with pytest.raises(InputRefused, match="不能询问姓名"):
            surveys.add_question(template=template, kind=surveys.PROFILE, text="您的姓名",
                                 options=["填写", "不填"])
        with pytest.raises(InputRefused, match="满意、基本满意、不满意"):
            surveys.add_question(template=template, kind=surveys.SATISFACTION, text="满意吗",
                                 options=["好", "不好"])
        with pytest.raises(InputRefused, match="不能重复"):
            surveys.add_question(template=template, kind=surveys.PROFILE, text="您的年级",
                                 options=["初一", "初一"])
        with pytest.raises(InputRefused, match="2 到 9 个选项"):
            surveys.add_question(template=template, kind=surveys.PROFILE, text="您的年级",
                                 options=[str(k) for k in range(10)])
        # a questionnaire keeps at least one question the rates are computed from
        rated = [q for q in surveys.questions_of(template) if q.kind != surveys.PROFILE]
        for q in rated[:-1]:
            surveys.remove_question(question=q)
        with pytest.raises(RuleViolation, match="至少要保留一道知晓度或满意度"):
            surveys.remove_question(question=rated[-1])
    assert [q.kind for q in surveys.questions_of(template)] == [
        surveys.SATISFACTION, surveys.PROFILE, surveys.PROFILE]
    assert surveys.split_options("知道、不知道；,  说不清\n") == ["知道", "不知道", "说不清"]


def test_template_locks_once_sheets_exist_and_a_new_version_serves_new_rounds(campaign_unit) -> None:
    ctx, campaign, unit = campaign_unit
    with ctx.acting("测试"):
        rnd = surveys.create_round(unit=unit, campaign=campaign, started_on=D(2026, 10, 8))
        template = rnd.template
        surveys.save_sheet(round_id=rnd.id, serial_no=1, answers="1" * 12)
    reason = surveys.lock_reason(template)
    assert reason and "1 个调查批次中录入了 1 份答卷" in reason
    question = surveys.questions_of(template)[0]
    with ctx.acting("测试"):
        for edit in (lambda: surveys.update_question(question=question, text="改一改"),
                     lambda: surveys.add_question(template=template, kind=surveys.AWARENESS,
                                                  text="新题", options=["知道", "不知道"]),
                     lambda: surveys.remove_question(question=question),
                     lambda: surveys.move_question(question=question, step=1)):
            with pytest.raises(RuleViolation, match="已经锁定"):
                edit()
        copy = surveys.copy_template(template=template)
        surveys.update_question(question=surveys.questions_of(copy)[0], text="您听说过本单位吗？")
        later = surveys.create_round(unit=unit, campaign=campaign, started_on=D(2026, 11, 8))
    assert copy.name.endswith("（第2版）")
    assert surveys.campaign_template(campaign).id == copy.id
    assert later.template_id == copy.id
    assert SurveyQuestion.get_by_id(question.id).text == question.text  # the old one unchanged
    assert surveys.template_use(template) == surveys.TemplateUse(rounds=1, sheets=1)
