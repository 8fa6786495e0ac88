"""修改活动 after creation, the score's source and the hand score, the naming summary."""

from __future__ import annotations

import pytest
from test_lifecycle_support import (
    BODIES,
    TODAY,
    D,
    add_activity,
    campaign_in_creation,
    make_unit,
    new_campaign,
    reload,
    upper_office,
)

from wqg_desktop.db.models import (
    AuditLog,
    Campaign,
    CampaignNamingBody,
    CampaignQuota,
    Candidate,
    acting_as,
)
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import campaign_edit, campaign_review, campaigns

AFTER = D(2026, 11, 26)


def edit(campaign, **changes):
    with acting_as("测试", "修改活动"):
        return campaign_edit.update_campaign(campaign=campaign, today=TODAY, **changes)


def _review_all(campaign, cands) -> None:
    with acting_as("测试"):
        campaign_review.review_campaign(campaign=campaign, passed=[cands[0].id], today=AFTER)


# -- 修改活动 -----------------------------------------------------------------------------------


def test_dates_quota_bodies_and_flags_change_before_applications_close(ctx) -> None:
    campaign = new_campaign()
    done = edit(campaign, application_end=D(2024, 12, 31), creation_end=D(2026, 12, 31),
                review_planned=D(2027, 1, 10), quota=3, min_inspections=2, require_online=True,
                naming_bodies=["共青团海安市委", "海安市公安局", "海安市教育局"],
                document_no="海团联〔2025〕1号")
    c = reload(campaign)
    assert (c.application_end, c.creation_end, c.review_planned, c.quota, c.min_inspections,
            c.require_online, c.document_no) == (D(2024, 12, 31), D(2026, 12, 31), D(2027, 1, 10),
                                                 3, 2, True, "海团联〔2025〕1号")
    assert campaign_edit.current_plan(c)["naming_bodies"] == [*BODIES, "海安市教育局"]
    assert "创建期结束日期" in done.changed and "命名单位" in done.changed
    # the audit trail names the officer and the changed columns
    row = (AuditLog.select().where(AuditLog.entity == "Campaign", AuditLog.action == "修改")
           .order_by(AuditLog.id.desc()).first())
    assert row.actor == "测试" and "creation_end" in row.changes


def test_nothing_changed_writes_nothing(ctx) -> None:
    campaign = new_campaign()
    before = AuditLog.select().count()
    done = edit(campaign, **campaign_edit.current_plan(campaign))
    assert done.changed == [] and AuditLog.select().count() == before


def test_naming_bodies_keep_their_links_and_drop_the_rest(ctx) -> None:
    campaign = new_campaign()
    first = CampaignNamingBody.get(CampaignNamingBody.campaign == campaign,
                                   CampaignNamingBody.sort_order == 0)
    edit(campaign, naming_bodies=["海安市公安局"])
    links = list(CampaignNamingBody.select().where(CampaignNamingBody.campaign == campaign))
    assert [(lnk.uuid, lnk.naming_body.name) for lnk in links] == [(first.uuid, "海安市公安局")]


@pytest.mark.parametrize(("changes", "words"), [
    ({"creation_end": D(2024, 12, 1)}, "早于创建期开始日期"),
    ({"naming_planned": D(2026, 1, 1)}, "早于创建期结束日期"),
    ({"application_start": D(2025, 1, 2)}, "早于申报开始日期"),
    ({"quota": -1}, "正整数"),
    ({"min_inspections": -1}, "不能为负数"),
    ({"naming_bodies": [" "]}, "至少填写一个命名单位"),
    ({"name": "  "}, "名称不能为空"),
])
def test_the_checks_of_creation_apply(ctx, changes, words) -> None:
    campaign = new_campaign()
    with pytest.raises(InputRefused, match=words):
        edit(campaign, **changes)
    assert reload(campaign).creation_end == D(2026, 10, 31)


def test_short_period_warns_but_saves(ctx) -> None:
    campaign = new_campaign()
    done = edit(campaign, creation_end=D(2025, 12, 31))
    assert "两年" in done.warnings[0] and reload(campaign).creation_end == D(2025, 12, 31)


def test_once_creation_started_the_application_window_and_quota_are_history(ctx) -> None:
    campaign, _cands = campaign_in_creation(2)
    with pytest.raises(RuleViolation, match="申报截止日期、分配名额不能再修改：申报已经结束"):
        edit(campaign, application_end=D(2024, 12, 20), quota=5)
    # still open: the creation period itself, the plans, the bodies; unchanged values pass
    edit(campaign, creation_end=D(2026, 12, 31), quota=None,
         application_end=campaign.application_end)
    assert reload(campaign).creation_end == D(2026, 12, 31)


def test_once_reviewed_the_creation_period_is_history(ctx) -> None:
    campaign, cands = campaign_in_creation(2)
    _review_all(campaign, cands)
    with pytest.raises(RuleViolation, match="创建期结束日期不能再修改：审核已经完成"):
        edit(campaign, creation_end=D(2026, 9, 30))
    with pytest.raises(RuleViolation, match="最少检查次数"):
        edit(campaign, min_inspections=3)
    edit(campaign, naming_planned=D(2027, 2, 1), naming_bodies=["海安市公安局"])
    assert reload(campaign).naming_planned == D(2027, 2, 1)


def test_once_named_only_the_note_changes(ctx) -> None:
    campaign, cands = campaign_in_creation(2)
    with acting_as("测试"):
        campaign_review.review_campaign(campaign=campaign, passed=[cands[0].id], today=AFTER)
        campaign_review.publicize(campaign=campaign, today=AFTER)
        campaign_review.name_campaign(campaign=campaign, today=D(2026, 12, 10))
    campaign = reload(campaign)
    assert campaign.stage == "closed"
    assert set(campaign_edit.locked_fields(campaign)) == set(campaign_edit.FIELDS) - {"note"}
    for changes in ({"naming_bodies": ["海安市公安局"]}, {"name": "改名"},
                    {"naming_planned": D(2027, 3, 1)}):
        with pytest.raises(RuleViolation, match="已经命名"):
            edit(campaign, **changes)
    edit(campaign, note="证书已于12月发放")
    assert reload(campaign).note == "证书已于12月发放"


def test_another_office_campaign_cannot_be_edited(ctx) -> None:
    upper = upper_office()
    with acting_as("测试"):
        campaign = Campaign.create(owner_office=upper, level=2, term_start=2025, name="市级活动",
                                   stage="application")
    with pytest.raises(RuleViolation, match="只有主办单位才能修改活动"):
        edit(campaign, quota=2)


def test_quota_cannot_fall_below_what_was_recommended(demo_ctx) -> None:
    from wqg_desktop.db.models import Office, Unit

    haian = Office.get(Office.name == "海安市公安局")
    rugao = Office.get(Office.name == "如皋市公安局")
    with acting_as("测试"):
        campaign = campaigns.create_campaign(level="市", term="2027", today=TODAY, quota=3,
                                             naming_bodies=["南通市公安局"]).campaign
    for unit in Unit.select().where(Unit.owner_office == haian).limit(2):
        Candidate.create(owner_office=haian, campaign=campaign, unit=unit, status="recommended",
                         recommended_by=haian)
    with pytest.raises(RuleViolation, match="海安市公安局已推荐 2 个单位，新的分配名额 1 个不够"):
        edit(campaign, quota=1)
    with pytest.raises(RuleViolation, match="新的分配名额 1 个不够"):
        edit(campaign, office_quotas={"海安市公安局": 1})
    edit(campaign, quota=1, office_quotas={"海安市公安局": 2, "如皋市公安局": 4})
    rows = {q.office.name: q.quota for q in CampaignQuota.select().where(
        CampaignQuota.campaign == campaign)}
    assert rows == {"海安市公安局": 2, "如皋市公安局": 4} and reload(campaign).quota == 1
    edit(campaign, office_quotas={"如皋市公安局": 5, "海安市公安局": 2})
    assert campaigns.quota_of(reload(campaign), rugao) == 5
    edit(campaign, office_quotas={}, quota=None)
    assert campaigns.quota_of(reload(campaign), rugao) is None


def test_online_requirement_cannot_exclude_admitted_units(ctx) -> None:
    campaign = new_campaign()
    unit = make_unit()
    with acting_as("测试"):
        campaigns.apply_unit(campaign=campaign, unit=unit, today=TODAY)
    with pytest.raises(RuleViolation, match="尚未上线"):
        edit(campaign, require_online=True)
    with acting_as("测试"):
        unit.online = True
        unit.save()
    edit(campaign, require_online=True)
    assert reload(campaign).require_online


# -- the score and where it comes from ---------------------------------------------------------


def test_score_source_hand_then_assessment(ctx) -> None:
    campaign, [first, second] = campaign_in_creation(2)
    found = campaign_review.score_source(first, today=TODAY)
    assert (found.score, found.source, found.label) == (72.0, "manual", "手工录入（暂无考核记录）")
    add_activity(first.unit)
    found = campaign_review.score_source(reload(first), today=TODAY)
    assert found.source == "assessment" and found.score == pytest.approx(16.7)
    parts = {c.key: c for c in found.assessment.components}
    assert parts["activities"].value == 25.0 and parts["activities"].sources[0].entity == "Activity"
    # the assessment ranks now, whatever the hand score says
    ranked = campaign_review.ranking(campaign)
    assert [r.candidate_id for r in ranked] == [second.id, first.id]
    assert ranked[1].source.startswith("绩效考核")


def test_hand_score_only_stands_in_for_a_missing_assessment(ctx) -> None:
    _campaign, [first, second] = campaign_in_creation(2)
    add_activity(first.unit)
    with acting_as("测试"), pytest.raises(RuleViolation, match="已有绩效考核得分 16.7"):
        campaign_review.set_score(candidate=first, score=90)
    with acting_as("测试"):
        campaign_review.set_score(candidate=first, score=None)  # clearing is always allowed
        campaign_review.set_score(candidate=second, score=88.5)
    assert (reload(first).manual_score, reload(second).manual_score) == (None, 88.5)
    with acting_as("测试"), pytest.raises(InputRefused, match="0 到 100"):
        campaign_review.set_score(candidate=second, score=101)


def test_hand_score_is_fixed_by_the_review(ctx) -> None:
    campaign, cands = campaign_in_creation(2)
    _review_all(campaign, cands)
    with acting_as("测试"), pytest.raises(RuleViolation, match="申报后、审核前"):
        campaign_review.set_score(candidate=cands[1], score=99)


def test_naming_summary_names_the_printing_page_and_numbers(ctx) -> None:
    campaign, cands = campaign_in_creation(2)
    with acting_as("测试"):
        campaign_review.review_campaign(campaign=campaign, passed=[cands[0].id], today=AFTER,
                                        demonstration=[cands[0].id])
        campaign_review.publicize(campaign=campaign, today=AFTER)
        granted = campaign_review.name_campaign(campaign=campaign, today=D(2026, 12, 10))
    text = campaign_review.naming_summary(granted)
    assert "已命名 1 个单位，授予称号 2 项（其中示范单位 1 项）" in text
    assert all(t.certificate_no in text for t in granted)
    assert "“证书与牌匾打印”" in text
    assert campaign_review.naming_summary([]) == "没有授予称号。"
