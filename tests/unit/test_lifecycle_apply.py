"""Creating a campaign and taking units in: the ladder, the quota, recommendations."""

from __future__ import annotations

import pytest
from test_lifecycle_support import (
    BODIES,
    TODAY,
    D,
    campaign_in_creation,
    give_title,
    here,
    make_unit,
    new_campaign,
    reload,
    upper_office,
)

from wqg_desktop.db.models import (
    AuditLog,
    Campaign,
    CampaignQuota,
    Candidate,
    CandidateEvent,
    acting_as,
)
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import campaigns
from wqg_desktop.services.office import setup_office

# -- creating ---------------------------------------------------------------------------------------


def test_create_campaign_with_bodies_and_quotas(ctx) -> None:
    upper_office(1, "如皋市公安局")
    with acting_as("王警官"):
        made = campaigns.create_campaign(
            level="县", term="2025-2026", today=TODAY, naming_bodies=BODIES, quota=3,
            office_quotas={"如皋市公安局": 5}, creation_start=D(2025, 1, 1),
            creation_end=D(2026, 12, 31))
    c = made.campaign
    assert made.warnings == []
    assert (c.level, c.term_start, c.stage) == (1, 2025, "application")
    assert c.name == "2025—2026年度海安市公安系统“青少年维权岗”创建活动"
    assert [b.naming_body.name for b in c.naming_bodies.order_by("sort_order")] == BODIES
    assert [(q.office.name, q.quota) for q in CampaignQuota.select()] == [("如皋市公安局", 5)]
    assert c.owner_office_id == here().id
    assert AuditLog.select().where(AuditLog.entity == "Campaign", AuditLog.actor == "王警官").exists()


def test_short_creation_period_warns_but_saves(ctx) -> None:
    with acting_as("测试"):
        made = campaigns.create_campaign(level="县", term=2025, today=TODAY, naming_bodies=BODIES,
                                         creation_start=D(2025, 1, 1), creation_end=D(2025, 7, 1))
    assert made.warnings and "两年" in made.warnings[0]
    assert Campaign.select().count() == 1


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"creation_start": D(2025, 1, 1), "creation_end": D(2024, 1, 1)}, "早于创建期开始日期"),
    ({"application_end": D(2025, 2, 1), "creation_start": D(2025, 1, 1)}, "早于申报截止日期"),
    ({"level": "市"}, "市级创建活动由市级办公室主办"),
    ({"naming_bodies": []}, "至少填写一个命名单位"),
    ({"quota": 0}, "正整数"),
    ({"office_quotas": {"没有这个局": 2}}, "没有名为“没有这个局”"),
    ({"term": "2025-2027"}, "2026"),
])
def test_create_refusals(ctx, kwargs, words) -> None:
    args = {"level": "县", "term": "2025", "today": TODAY, "naming_bodies": BODIES} | kwargs
    with pytest.raises(InputRefused, match=words):
        campaigns.create_campaign(**args)
    assert Campaign.select().count() == 0


def test_one_campaign_per_level_and_term(ctx) -> None:
    new_campaign()
    with pytest.raises(RuleViolation, match="每一级每个年度只开展一次"):
        new_campaign()


# -- applying at the county level -------------------------------------------------------------------


def test_apply_writes_event_and_audit(ctx) -> None:
    campaign, unit = new_campaign(), make_unit("海安市公安局城北中心派出所")
    with acting_as("王警官", "申报"):
        cand = campaigns.apply_unit(campaign=campaign, unit=unit, today=TODAY)
    assert cand.status == "applied" and cand.applied_on == TODAY
    [event] = cand.events
    assert (event.from_status, event.to_status, event.on, event.actor) == ("", "applied", TODAY, "王警官")
    assert AuditLog.select().where(AuditLog.entity == "Candidate").exists()


def test_applying_twice_is_refused(ctx) -> None:
    campaign, unit = new_campaign(), make_unit()
    campaigns.apply_unit(campaign=campaign, unit=unit, today=TODAY)
    with pytest.raises(RuleViolation, match="同一活动不能重复申报"):
        campaigns.apply_unit(campaign=campaign, unit=unit, today=TODAY)
    assert Candidate.select().count() == 1


def test_unit_with_a_valid_title_at_this_level_is_re_reviewed_instead(ctx) -> None:
    campaign, unit = new_campaign(), make_unit()
    give_title(unit, 1)
    with pytest.raises(RuleViolation, match="接受复核，不再重复申报"):
        campaigns.apply_unit(campaign=campaign, unit=unit, today=TODAY)


def test_a_revoked_title_does_not_block_a_new_application(ctx) -> None:
    campaign, unit = new_campaign(), make_unit()
    give_title(unit, 1, status="revoked")
    assert campaigns.apply_unit(campaign=campaign, unit=unit, today=TODAY).status == "applied"


@pytest.mark.parametrize(("fields", "words"), [
    ({"works_with_youth": False}, "不再涉及青少年"),
    ({"status": "dissolved"}, "已撤销建制"),
    ({"status": "merged"}, "已合并"),
])
def test_units_that_cannot_apply(ctx, fields, words) -> None:
    campaign, unit = new_campaign(), make_unit(**fields)
    with pytest.raises(RuleViolation, match=words):
        campaigns.apply_unit(campaign=campaign, unit=unit, today=TODAY)


def test_online_requirement(ctx) -> None:
    campaign = new_campaign(require_online=True)
    with pytest.raises(RuleViolation, match="青少年维权在线"):
        campaigns.apply_unit(campaign=campaign, unit=make_unit(online=False), today=TODAY)
    assert campaigns.apply_unit(campaign=campaign, unit=make_unit(online=True), today=TODAY)


def test_no_application_after_creation_started(ctx) -> None:
    campaign, _ = campaign_in_creation(2)
    with pytest.raises(RuleViolation, match="不再接受申报"):
        campaigns.apply_unit(campaign=campaign, unit=make_unit(), today=TODAY)


def test_another_office_campaign_cannot_take_applications(ctx) -> None:
    city = upper_office()
    with acting_as("测试"):
        campaign = Campaign.create(owner_office=city, level=2, term_start=2025, name="市级活动",
                                   stage="application")
    with pytest.raises(RuleViolation, match="由南通市公安局主办"):
        campaigns.apply_unit(campaign=campaign, unit=make_unit(), today=TODAY)


# -- the ladder at the city and province levels -----------------------------------------------------


@pytest.fixture
def city_ctx(empty_ctx):
    with acting_as("测试"):
        setup_office(level="市", name="南通市公安局", region_name="南通市")
    return empty_ctx


def test_city_ladder_through_apply(city_ctx) -> None:
    campaign = new_campaign(naming_bodies=["共青团南通市委", "南通市公安局"])
    bare, titled, rectifying, shizhi = make_unit(), make_unit(), make_unit(), make_unit(
        "南通市拘留所", city_direct=True)
    give_title(titled, 1)
    give_title(rectifying, 1, status="rectifying")
    give_title(titled, 1, kind="demonstration")
    with pytest.raises(RuleViolation, match="没有有效的县\\(市、区\\)级“青少年维权岗”称号"):
        campaigns.apply_unit(campaign=campaign, unit=bare, today=TODAY)
    with pytest.raises(RuleViolation, match="整改中的称号不算"):
        campaigns.apply_unit(campaign=campaign, unit=rectifying, today=TODAY)
    assert campaigns.apply_unit(campaign=campaign, unit=titled, today=TODAY).status == "applied"
    # 市直 units belong to no county: their ladder starts here
    assert campaigns.apply_unit(campaign=campaign, unit=shizhi, today=TODAY).status == "applied"


def test_province_ladder_through_apply(empty_ctx) -> None:
    with acting_as("测试"):
        setup_office(level="省", name="江苏省公安厅", region_name="江苏省")
    campaign = new_campaign(naming_bodies=["共青团江苏省委", "江苏省公安厅"])
    county_only, city_titled = make_unit(), make_unit()
    give_title(county_only, 1)
    give_title(city_titled, 2)
    with pytest.raises(RuleViolation, match="没有有效的市级"):
        campaigns.apply_unit(campaign=campaign, unit=county_only, today=TODAY)
    assert campaigns.apply_unit(campaign=campaign, unit=city_titled, today=TODAY)


def test_eligibility_for_national_level(ctx) -> None:
    upper = upper_office(4, "全国")
    with acting_as("测试"):
        campaign = Campaign.create(owner_office=upper, level=4, term_start=2025, name="全国活动")
    unit = make_unit()
    give_title(unit, 2)
    assert "没有有效的省级" in campaigns.ineligibility(campaign, unit)
    give_title(unit, 3)
    assert campaigns.ineligibility(campaign, unit) is None


# -- recommending to the city, accepting and returning ----------------------------------------------


def _city_campaign(quota: int | None = 2) -> Campaign:
    with acting_as("测试"):
        return Campaign.create(owner_office=upper_office(), level=2, term_start=2025,
                               name="2025—2026年度全市公安系统“青少年维权岗”创建活动",
                               stage="application", quota=quota)


def _titled_unit():
    unit = make_unit()
    give_title(unit, 1)
    return unit


def test_recommend_respects_ladder_and_quota(ctx) -> None:
    campaign = _city_campaign(quota=2)
    with pytest.raises(RuleViolation, match="没有有效的县"):
        campaigns.recommend_unit(campaign=campaign, unit=make_unit(), today=TODAY)
    units = [_titled_unit() for _ in range(3)]
    first = campaigns.recommend_unit(campaign=campaign, unit=units[0], today=TODAY)
    assert (first.status, first.recommended_by_id) == ("recommended", here().id)
    campaigns.recommend_unit(campaign=campaign, unit=units[1], today=TODAY)
    with pytest.raises(RuleViolation, match="最多推荐 2 个单位，已推荐 2 个"):
        campaigns.recommend_unit(campaign=campaign, unit=units[2], today=TODAY)
    # withdrawing one frees a place
    campaigns.withdraw_candidate(candidate=first, today=TODAY, reason="改推他单位")
    assert campaigns.recommend_unit(campaign=campaign, unit=units[2], today=TODAY)


def test_office_quota_overrides_the_default(ctx) -> None:
    campaign = _city_campaign(quota=5)
    with acting_as("测试"):
        CampaignQuota.create(owner_office=campaign.owner_office, campaign=campaign, office=here(),
                             quota=1)
    campaigns.recommend_unit(campaign=campaign, unit=_titled_unit(), today=TODAY)
    with pytest.raises(RuleViolation, match="最多推荐 1 个"):
        campaigns.recommend_unit(campaign=campaign, unit=_titled_unit(), today=TODAY)


def test_recommend_only_upwards_and_own_units(ctx) -> None:
    with pytest.raises(RuleViolation, match="本级活动请直接“申报”"):
        campaigns.recommend_unit(campaign=new_campaign(), unit=make_unit(), today=TODAY)
    other = upper_office(1, "如皋市公安局")
    unit = make_unit(owner=other)
    give_title(unit, 1, owner=other)
    with pytest.raises(RuleViolation, match="只能推荐本辖区"):
        campaigns.recommend_unit(campaign=_city_campaign(), unit=unit, today=TODAY)


def test_upper_office_accepts_or_returns(demo_ctx) -> None:
    """At the city office: a county's recommendation arrives, is accepted or sent back."""
    from wqg_desktop.db.models import Office, Unit

    haian = Office.get(Office.name == "海安市公安局")
    with acting_as("测试"):
        campaign = campaigns.create_campaign(level="市", term="2027", today=TODAY,
                                             naming_bodies=["共青团南通市委", "南通市公安局"]).campaign
    units = list(Unit.select().where(Unit.owner_office == haian).limit(2))
    arrived = [Candidate.create(owner_office=haian, campaign=campaign, unit=u,
                                status="recommended", recommended_by=haian) for u in units]
    with acting_as("市局民警"):
        accepted = campaigns.accept_candidate(candidate=arrived[0], today=TODAY)
        with pytest.raises(InputRefused, match="须写明理由"):
            campaigns.return_candidate(candidate=arrived[1], today=TODAY, reason=" ")
        returned = campaigns.return_candidate(candidate=arrived[1], today=TODAY,
                                              reason="负责人未参加培训")
    assert (accepted.status, accepted.owner_office_id) == ("applied", campaign.owner_office_id)
    assert (returned.status, returned.returned_reason) == ("returned", "负责人未参加培训")
    event = CandidateEvent.get(CandidateEvent.candidate == returned)
    assert (event.from_status, event.to_status, event.reason, event.actor) == (
        "recommended", "returned", "负责人未参加培训", "市局民警")
    with pytest.raises(RuleViolation, match="不能受理推荐"):
        campaigns.accept_candidate(candidate=reload(returned), today=TODAY)


def test_start_creation_waits_for_pending_recommendations(demo_ctx) -> None:
    from wqg_desktop.db.models import Office, Unit

    haian = Office.get(Office.name == "海安市公安局")
    with acting_as("测试"):
        campaign = campaigns.create_campaign(level="市", term="2027", today=TODAY,
                                             naming_bodies=["南通市公安局"]).campaign
    unit = Unit.select().where(Unit.owner_office == haian).first()
    cand = Candidate.create(owner_office=haian, campaign=campaign, unit=unit,
                            status="recommended", recommended_by=haian)
    with pytest.raises(RuleViolation, match="尚未受理或退回"):
        campaigns.start_creation(campaign=campaign, today=TODAY)
    campaigns.accept_candidate(candidate=cand, today=TODAY)
    assert campaigns.start_creation(campaign=campaign, today=TODAY) == 1
    assert reload(cand).status == "creating" and reload(campaign).stage == "creation"


def test_withdraw_needs_a_reason_and_ends_the_candidacy(ctx) -> None:
    campaign, [cand, _other] = campaign_in_creation(2)
    with pytest.raises(InputRefused, match="写明原因"):
        campaigns.withdraw_candidate(candidate=cand, today=TODAY, reason="")
    campaigns.withdraw_candidate(candidate=cand, today=TODAY, reason="单位合并")
    assert reload(cand).status == "withdrawn"
    with pytest.raises(RuleViolation, match="不能退出创建"):
        campaigns.withdraw_candidate(candidate=reload(cand), today=TODAY, reason="再次")
