"""Regression tests for the lifecycle review's findings (DOMAIN rules 3, 6–8 and the ladder).

Each test reproduces one defect the review found with its probe scripts and fails without the fix.
"""

from __future__ import annotations

import pytest
from test_lifecycle_support import (
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

from wqg_desktop.db.models import Campaign, Candidate, CandidateEvent, Plaque, Title, acting_as
from wqg_desktop.domain import lifecycle
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import campaign_review as review
from wqg_desktop.services import campaigns, deadlines, settings, titles, units_reorg
from wqg_desktop.services import units_titles as ut

AFTER = D(2026, 11, 26)  # the creation period of new_campaign() ended on 2026-10-31
BODY = "共青团海安市委"


def _ids(cands, n):
    return [c.id for c in cands[:n]]


def _record(unit, *, kind="post", **fields) -> Title:
    with acting_as("测试"):
        return ut.record_title(unit.id, ut.TitleRecord(
            level="县", term="2021", kind=kind, naming_bodies=BODY, named_on=D(2022, 12, 1),
            **fields), today=TODAY)


def _publicized(n=6, passing=5):
    campaign, cands = campaign_in_creation(n)
    review.review_campaign(campaign=campaign, passed=_ids(cands, passing), today=AFTER)
    review.publicize(campaign=reload(campaign), today=D(2026, 11, 30))  # ends 2026-12-08
    return reload(campaign), [reload(c) for c in cands]


# -- 1. 注销 that marks the unit ends all of this office's titles of it ---------------------------


def test_deregister_marking_unit_ends_every_own_title(ctx) -> None:
    unit = make_unit()
    post = _record(unit)
    demo = _record(unit, kind="demonstration")
    theirs = give_title(unit, 2, owner=upper_office())  # the city's title: the city ends it
    titles.deregister(title=post, today=TODAY, reason="机构改革，改为内勤部门", mark_unit=True)
    assert reload(unit).works_with_youth is False
    assert (reload(post).status, reload(demo).status) == ("deregistered", "deregistered")
    assert Plaque.get(Plaque.title == demo).state == "souvenir"
    assert reload(theirs).status == "valid"
    # the 示范单位 title is ended too, so no live title of the unit is left to this office
    assert not Title.select().where(Title.unit == unit, Title.owner_office == here(),
                                    Title.status.in_(("valid", "rectifying"))).exists()


# -- 2. a unit that stops youth work or is reorganised cannot be found 达标 or named -------------


def test_ending_youth_work_withdraws_running_candidacies(ctx) -> None:
    campaign, cands = campaign_in_creation(6)
    done = ut.end_youth_work(cands[0].unit_id, on=D(2026, 5, 1), reason="机构改革，改为内勤部门",
                             today=D(2026, 5, 2))
    cand = reload(cands[0])
    assert cand.status == "withdrawn" and "机构改革" in cand.withdrawn_reason
    assert [c.id for c in done.withdrawn] == [cand.id] and done.candidacies_left == []
    event = CandidateEvent.select().where(CandidateEvent.candidate == cand).order_by(
        CandidateEvent.id.desc()).first()
    assert (event.to_status, event.on) == ("withdrawn", D(2026, 5, 2))
    # the five others are reviewed without it
    review.review_campaign(campaign=campaign, passed=_ids(cands[1:], 4), today=AFTER)
    assert reload(cand).status == "withdrawn"


def test_naming_refuses_a_unit_no_longer_doing_youth_work(ctx) -> None:
    campaign, cands = _publicized()
    # the mark arrives from elsewhere (a package, an edit): naming asks again
    unit = cands[0].unit
    unit.works_with_youth, unit.youth_work_ended_on = False, D(2026, 12, 1)
    unit.save()
    with pytest.raises(RuleViolation, match="不再从事青少年工作.*退出创建") as err:
        review.name_campaign(campaign=reload(campaign), today=D(2026, 12, 10))
    assert unit.name in str(err.value)
    assert Title.select().count() == 0
    campaigns.withdraw_candidate(candidate=cands[0], today=D(2026, 12, 10), reason="工作性质改变")
    granted = review.name_campaign(campaign=reload(campaign), today=D(2026, 12, 10))
    assert len(granted) == 4 and unit.id not in {t.unit_id for t in granted}


def test_review_refuses_a_merged_unit(ctx) -> None:
    campaign, cands = campaign_in_creation(6)
    # a unit marked merged whose candidacy was not ended (the mark came in a package)
    unit = cands[0].unit
    unit.status = "merged"
    with acting_as("测试"):
        unit.save()
    with pytest.raises(RuleViolation, match="已合并.*退出创建"):
        review.review_campaign(campaign=campaign, passed=_ids(cands, 5), today=AFTER)
    assert {c.status for c in Candidate.select()} == {"creating"}
    ended = campaigns.withdraw_unit_candidacies(unit=cands[0].unit, today=AFTER,
                                                reason="单位已合并")
    assert [c.id for c in ended.withdrawn] == [cands[0].id]
    review.review_campaign(campaign=campaign, passed=_ids(cands[1:], 4), today=AFTER)


def test_merging_a_unit_ends_its_candidacy_at_once(ctx) -> None:
    campaign, cands = campaign_in_creation(6)
    with acting_as("测试"):
        units_reorg.merge_units(absorbed_id=cands[0].unit_id, into_id=make_unit().id,
                                on=D(2026, 6, 1), carry_title_ids=[])
    assert Candidate.get_by_id(cands[0].id).status == "withdrawn"
    review.review_campaign(campaign=campaign, passed=_ids(cands[1:], 4), today=AFTER)


# -- 3. 整改中 at a level: the way back is the recheck, not a new application ----------------------


def test_rectifying_title_blocks_applying_and_recommending_at_its_level(ctx) -> None:
    unit = make_unit()
    title = _record(unit)
    titles.rereview(title=title, passed=False, today=D(2025, 1, 5))
    campaign = new_campaign()
    with pytest.raises(RuleViolation, match="正在整改中.*复查"):
        campaigns.apply_unit(campaign=campaign, unit=unit, today=TODAY)
    assert not Candidate.select().where(Candidate.unit == unit).exists()
    # recommending to a city campaign while the city title is 整改中
    other = make_unit()
    give_title(other, 1)
    give_title(other, 2, status="rectifying", owner=upper_office())
    with acting_as("测试"):
        city = Campaign.create(owner_office=upper_office(), level=2, term_start=2025,
                               name="市级活动", stage="application")
    with pytest.raises(RuleViolation, match="市级“青少年维权岗”称号正在整改中"):
        campaigns.recommend_unit(campaign=city, unit=other, today=TODAY)
    assert lifecycle.eligible_levels([1], False, rectifying_levels=[2]) == []


# -- 4. publicity follows the review; objections only within it ------------------------------------


def test_publicity_cannot_start_before_the_review(ctx) -> None:
    campaign, cands = campaign_in_creation(6)
    review.review_campaign(campaign=campaign, passed=_ids(cands, 5), today=AFTER)
    for start in (D(2024, 1, 2), D(2026, 11, 25)):
        with pytest.raises(RuleViolation, match="早于审核日期"):
            review.publicize(campaign=reload(campaign), today=AFTER, start=start)
    assert reload(campaign).publicity_start is None
    review.publicize(campaign=reload(campaign), today=AFTER, start=D(2026, 11, 30))
    with pytest.raises(RuleViolation, match="公示期从 2026年11月30日 开始"):
        review.raise_objection(candidate=cands[0], today=D(2026, 11, 27), content="提前的反映")
    assert reload(cands[0]).status == "publicizing"
    assert review.raise_objection(candidate=cands[0], today=D(2026, 11, 30), content="公示期内反映")


def test_publicity_inside_the_creation_period_needs_an_early_review(ctx) -> None:
    campaign, cands = campaign_in_creation(6)
    # a decision made after the period ended cannot be publicized inside it
    review.review_campaign(campaign=campaign, passed=_ids(cands, 5), today=AFTER)
    campaign = reload(campaign)
    with pytest.raises(RuleViolation, match="早于审核日期|在创建期内"):
        review.publicize(campaign=campaign, today=AFTER, start=D(2026, 10, 30))
    # an early review (with its reason) may be publicized before the period's end
    campaign2, cands2 = campaign_in_creation(6, term="2027—2028")
    review.review_campaign(campaign=campaign2, passed=_ids(cands2, 5), today=D(2026, 10, 20),
                           early_reason="上级通知提前命名")
    review.publicize(campaign=reload(campaign2), today=D(2026, 10, 20), start=D(2026, 10, 21))
    assert reload(campaign2).publicity_start == D(2026, 10, 21)


# -- 5. the two-year creation period is always enforced ---------------------------------------------


def test_start_creation_sets_the_two_year_end(ctx) -> None:
    with acting_as("测试"):
        campaign = campaigns.create_campaign(level="县", term="2025", today=D(2025, 1, 2),
                                             naming_bodies=[BODY]).campaign
    units = [make_unit() for _ in range(6)]
    for u in units:
        campaigns.apply_unit(campaign=campaign, unit=u, today=D(2025, 1, 3))
    campaigns.start_creation(campaign=campaign, today=D(2025, 3, 1))
    campaign = reload(campaign)
    assert (campaign.creation_start, campaign.creation_end) == (D(2025, 3, 1), D(2027, 2, 28))
    ids = [c.id for c in campaign.candidates]
    with pytest.raises(RuleViolation, match="创建期到 2027年2月28日 才结束"):
        review.review_campaign(campaign=campaign, passed=ids[:5], today=D(2025, 3, 2))
    # a campaign saved before this fix, with no end: the period still counts from its start
    Campaign.update(creation_end=None).where(Campaign.id == campaign.id).execute()
    with pytest.raises(RuleViolation, match="提前审核的理由"):
        review.review_campaign(campaign=reload(campaign), passed=ids[:5], today=D(2025, 3, 2))
    review.review_campaign(campaign=reload(campaign), passed=ids[:5], today=D(2027, 3, 1))


# -- 6. a second objection can be resolved after the first was upheld --------------------------------


def test_second_objection_resolved_after_the_first_is_upheld(ctx) -> None:
    campaign, cands = _publicized()
    first = review.raise_objection(candidate=cands[0], today=D(2026, 12, 1), content="反映一")
    second = review.raise_objection(candidate=cands[0], today=D(2026, 12, 2), content="反映二")
    review.resolve_objection(objection=first, upheld=True, today=D(2026, 12, 3), note="经查属实")
    assert reload(cands[0]).status == "not_named"
    review.resolve_objection(objection=second, upheld=False, today=D(2026, 12, 4),
                             note="与反映一重复，一并办结")
    second = reload(second)
    assert (second.resolution, second.resolved_on) == ("dismissed", D(2026, 12, 4))
    assert reload(cands[0]).status == "not_named"
    assert review.open_objections(reload(cands[0])) == []
    granted = review.name_campaign(campaign=reload(campaign), today=D(2026, 12, 10))
    assert cands[0].unit_id not in {t.unit_id for t in granted}


# -- 7. a 整改中 title recorded by hand keeps a deadline, so its recheck falls due ------------------


def test_recorded_rectifying_title_has_a_deadline_and_falls_due(ctx) -> None:
    settings.put("rectification_months", 12)
    derived = _record(make_unit(), status="rectifying")
    assert derived.rectification_deadline == D(2027, 11, 26)  # counted from the recording date
    assert "按登记日起算" in derived.events.get().reason
    given = _record(make_unit(), status="rectifying", rectification_deadline=D(2027, 3, 1))
    assert given.rectification_deadline == D(2027, 3, 1)
    due = {i.entity_uuid: i.kind for i in deadlines.due_items(TODAY, 400)}
    assert due.get(derived.uuid) == "整改期满复查" and due.get(given.uuid) == "整改期满复查"
    with pytest.raises(InputRefused, match="整改期限"):
        _record(make_unit(), status="rectifying", rectification_deadline=D(2022, 11, 1))
    assert _record(make_unit()).rectification_deadline is None  # only 整改中 has one


# -- 8. the review's reason quotes the score as of the review day ------------------------------------


def test_review_reason_uses_the_score_of_the_review_day(ctx, monkeypatch) -> None:
    campaign, cands = campaign_in_creation(6)
    seen = []

    def fake(candidate, *, today=None):
        seen.append(today)
        return review.ScoreSource(88.0 if today == AFTER else 11.0, "assessment")

    monkeypatch.setattr(review, "score_source", fake)
    review.review_campaign(campaign=campaign, passed=_ids(cands, 5), today=AFTER)
    reasons = [e.reason for e in CandidateEvent.select().where(
        CandidateEvent.to_status.in_(("passed", "failed")))]
    assert len(reasons) == 6 and all("得分 88.0" in r for r in reasons)
    assert set(seen) == {AFTER}
