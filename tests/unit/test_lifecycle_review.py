"""审核 with the 20% differential, 公示 with objections, and 命名 with certificates."""

from __future__ import annotations

import pytest
from test_lifecycle_support import TODAY, D, campaign_in_creation, reload

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    CandidateEvent,
    Plaque,
    ReviewDecision,
    Title,
    TitleNamingBody,
    acting_as,
)
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import campaign_review as review
from wqg_desktop.services import campaigns_view, settings

AFTER = D(2026, 11, 26)  # the creation period of the helper campaign ended on 2026-10-31


def _ids(cands, n):
    return [c.id for c in cands[:n]]


# -- ranking and review ---------------------------------------------------------------------------


def test_ranking_by_score_through_the_one_score_function(ctx, monkeypatch) -> None:
    campaign, cands = campaign_in_creation(4)
    assert [r.candidate_id for r in review.ranking(campaign)] == [c.id for c in cands]
    assert {r.source for r in review.ranking(campaign)} == {"手工录入（暂无考核记录）"}
    # score_source is the one place scores come from; the ranking and candidate_score follow it
    monkeypatch.setattr(review, "score_source",
                        lambda c, **_k: review.ScoreSource(-c.manual_score, "assessment"))
    assert [r.candidate_id for r in review.ranking(campaign)] == [c.id for c in reversed(cands)]
    assert review.candidate_score(cands[0]) == -cands[0].manual_score


@pytest.mark.parametrize(("reviewed", "convention", "limit"), [
    (6, "election", 5), (12, "election", 10), (4, "election", 3), (1, "election", 0),
    (6, "fail20", 4), (12, "fail20", 9),
])
def test_differential_enforced(ctx, reviewed, convention, limit) -> None:
    settings.put("differential_convention", convention)
    campaign, cands = campaign_in_creation(reviewed)
    with pytest.raises(RuleViolation, match=f"超过差额比例允许的 {limit} 个") as err:
        review.review_campaign(campaign=campaign, passed=_ids(cands, limit + 1), today=AFTER)
    assert ("选举口径" if convention == "election" else "20%不达标") in str(err.value)
    assert ReviewDecision.select().count() == 0
    assert {c.status for c in Candidate.select()} == {"creating"}
    decision = review.review_campaign(campaign=campaign, passed=_ids(cands, limit), today=AFTER)
    assert (decision.reviewed, decision.passed, decision.max_pass, decision.convention,
            decision.override) == (reviewed, limit, limit, convention, False)
    statuses = [reload(c).status for c in cands]
    assert statuses == ["passed"] * limit + ["failed"] * (reviewed - limit)


def test_override_needs_a_written_reason_and_is_kept(ctx) -> None:
    campaign, cands = campaign_in_creation(6)
    with pytest.raises(RuleViolation, match="写明突破差额比例的理由"):
        review.review_campaign(campaign=campaign, passed=_ids(cands, 6), today=AFTER,
                               override_reason="   ")
    decision = review.review_campaign(campaign=campaign, passed=_ids(cands, 6), today=AFTER,
                                      override_reason="六个单位均经省厅抽查优秀，报领导小组同意")
    assert (decision.passed, decision.max_pass, decision.override) == (6, 5, True)
    assert decision.override_reason == "六个单位均经省厅抽查优秀，报领导小组同意"
    shown = campaigns_view.campaign_detail(campaign)["decisions"][0]
    assert shown["override_reason"] == decision.override_reason and "选举口径" in shown["convention_text"]


def test_override_reason_is_not_kept_when_not_needed(ctx) -> None:
    campaign, cands = campaign_in_creation(6)
    decision = review.review_campaign(campaign=campaign, passed=_ids(cands, 3), today=AFTER,
                                      override_reason="无需")
    assert (decision.override, decision.override_reason) == (False, "")


def test_review_before_creation_period_ends_needs_a_reason(ctx) -> None:
    campaign, cands = campaign_in_creation(3, creation_end=D(2026, 12, 31))
    with pytest.raises(RuleViolation, match="提前审核的理由"):
        review.review_campaign(campaign=campaign, passed=_ids(cands, 2), today=TODAY)
    review.review_campaign(campaign=campaign, passed=_ids(cands, 2), today=TODAY,
                           early_reason="上级要求年底前报送")
    reasons = [e.reason for e in CandidateEvent.select().where(
        CandidateEvent.candidate == cands[0], CandidateEvent.to_status == "reviewing")]
    assert reasons == ["提前审核：上级要求年底前报送"]


def test_review_on_the_last_day_of_creation_is_early(ctx) -> None:
    campaign, cands = campaign_in_creation(2, creation_end=TODAY)
    with pytest.raises(RuleViolation, match="才结束"):
        review.review_campaign(campaign=campaign, passed=_ids(cands, 1), today=TODAY)


def test_review_refuses_strangers_and_second_decisions(ctx) -> None:
    campaign, cands = campaign_in_creation(3)
    with pytest.raises(InputRefused, match="不在本次待审核名单"):
        review.review_campaign(campaign=campaign, passed=[999_999], today=AFTER)
    with pytest.raises(InputRefused, match="示范单位只能从达标单位"):
        review.review_campaign(campaign=campaign, passed=_ids(cands, 1), today=AFTER,
                               demonstration=[cands[2].id])
    review.review_campaign(campaign=campaign, passed=_ids(cands, 2), today=AFTER)
    with pytest.raises(RuleViolation, match="没有待审核"):
        review.review_campaign(campaign=campaign, passed=[], today=AFTER)


def test_demo_city_campaign_review(demo_ctx) -> None:
    campaign = Campaign.get(Campaign.level == 2)
    ranked = review.ranking(campaign)
    assert len(ranked) == 14
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    with acting_as("市局民警"), pytest.raises(RuleViolation, match="允许的 11 个"):
        review.review_campaign(campaign=campaign, passed=[r.candidate_id for r in ranked[:12]],
                               today=TODAY)
    with acting_as("市局民警"):
        decision = review.review_campaign(campaign=campaign, today=TODAY,
                                          passed=[r.candidate_id for r in ranked[:11]])
    assert (decision.reviewed, decision.passed, decision.max_pass) == (14, 11, 11)


# -- publicity, objections, naming ----------------------------------------------------------------


def _passed_campaign(n=6, passing=5, demonstration=()):
    campaign, cands = campaign_in_creation(n)
    review.review_campaign(campaign=campaign, passed=_ids(cands, passing), today=AFTER,
                           demonstration=demonstration)
    return reload(campaign), [reload(c) for c in cands]


def test_publicity_counts_working_days_over_a_holiday(ctx) -> None:
    # reviewed early (with its reason) so that publicity can start before National Day
    campaign, cands = campaign_in_creation(6)
    review.review_campaign(campaign=campaign, passed=_ids(cands, 5), today=D(2026, 9, 25),
                           early_reason="上级通知提前命名")
    review.publicize(campaign=reload(campaign), today=AFTER, start=D(2026, 9, 28))
    campaign = reload(campaign)
    assert (campaign.publicity_start, campaign.publicity_end) == (D(2026, 9, 28), D(2026, 10, 12))
    assert campaign.stage == "publicity"
    assert [reload(c).status for c in cands] == ["publicizing"] * 5 + ["failed"]


def test_publicity_days_follow_the_setting(ctx) -> None:
    settings.put("publicity_working_days", 5)
    campaign, _ = _passed_campaign()
    review.publicize(campaign=campaign, today=AFTER, start=D(2026, 11, 30))
    assert reload(campaign).publicity_end == D(2026, 12, 4)


def test_naming_before_publicity_ends_is_refused(ctx) -> None:
    campaign, _ = _passed_campaign()
    review.publicize(campaign=campaign, today=D(2026, 11, 30))  # ends 2026-12-08
    for day in (D(2026, 12, 1), D(2026, 12, 8)):
        with pytest.raises(RuleViolation, match="公示期满后才能命名"):
            review.name_campaign(campaign=reload(campaign), today=day)
    assert Title.select().count() == 0
    assert review.name_campaign(campaign=reload(campaign), today=D(2026, 12, 9))


def test_the_page_closes_naming_until_publicity_ends_and_objections_are_settled(ctx) -> None:
    from wqg_desktop.services import campaign_actions

    campaign, cands = _passed_campaign()
    review.publicize(campaign=campaign, today=D(2026, 11, 30))  # ends 2026-12-08

    def naming(day):  # what the 命名 button's tooltip says on that day (None: enabled)
        return campaign_actions.step_refusals(reload(campaign), None, day)["name"]

    assert "公示期到 2026年12月8日 才结束" in naming(D(2026, 12, 8))
    assert naming(D(2026, 12, 9)) is None
    assert campaign_actions.step_refusals(reload(campaign), None)["name"] is None  # no day: stage only
    review.raise_objection(candidate=cands[0], today=D(2026, 12, 2), content="反映台账补记")
    assert "未处理的异议" in naming(D(2026, 12, 9))
    # the refusal of a step reads as a verb, not as the outcome's name
    resolve = campaign_actions.step_refusals(reload(campaign), reload(cands[1]), D(2026, 12, 9))["resolve"]
    assert "不能认定异议不成立" in resolve and "不能异议不成立" not in resolve


def test_naming_before_review_is_refused(ctx) -> None:
    campaign, _ = campaign_in_creation(3)
    with pytest.raises(RuleViolation, match="不能命名"):
        review.name_campaign(campaign=campaign, today=AFTER)


def test_objection_dismissed_then_named(ctx) -> None:
    campaign, cands = _passed_campaign()
    review.publicize(campaign=campaign, today=D(2026, 11, 30))
    objection = review.raise_objection(candidate=cands[0], today=D(2026, 12, 2),
                                       content="反映该所窗口服务态度差", raised_by="匿名来信")
    assert reload(cands[0]).status == "objection"
    with pytest.raises(RuleViolation, match="未处理的异议"):
        review.name_campaign(campaign=reload(campaign), today=D(2026, 12, 10))
    with pytest.raises(InputRefused, match="处理意见"):
        review.resolve_objection(objection=objection, upheld=False, today=D(2026, 12, 4), note="")
    review.resolve_objection(objection=objection, upheld=False, today=D(2026, 12, 4),
                             note="经核查，反映情况与事实不符")
    assert reload(cands[0]).status == "publicizing"
    with pytest.raises(RuleViolation, match="已经处理过"):
        review.resolve_objection(objection=reload(objection), upheld=True, today=D(2026, 12, 4),
                                 note="再处理")
    titles = review.name_campaign(campaign=reload(campaign), today=D(2026, 12, 10))
    assert reload(cands[0]).status == "named" and len(titles) == 5


def test_objection_upheld_means_not_named(ctx) -> None:
    campaign, cands = _passed_campaign()
    review.publicize(campaign=campaign, today=D(2026, 11, 30))
    objection = review.raise_objection(candidate=cands[1], today=D(2026, 12, 1), content="台账造假")
    review.resolve_objection(objection=objection, upheld=True, today=D(2026, 12, 3),
                             note="经查属实，台账系事后补记")
    assert reload(cands[1]).status == "not_named"
    titles = review.name_campaign(campaign=reload(campaign), today=D(2026, 12, 10))
    assert cands[1].unit_id not in {t.unit_id for t in titles} and len(titles) == 4
    assert reload(campaign).stage == "closed"


def test_objection_outside_publicity_is_refused(ctx) -> None:
    campaign, cands = _passed_campaign()
    review.publicize(campaign=campaign, today=D(2026, 11, 30))
    with pytest.raises(RuleViolation, match="公示期已于"):
        review.raise_objection(candidate=cands[0], today=D(2026, 12, 9), content="迟到的反映")
    with pytest.raises(RuleViolation, match="不能受理异议"):
        review.raise_objection(candidate=cands[5], today=D(2026, 12, 1), content="未达标单位")


def test_naming_grants_titles_plaques_bodies_and_unique_certificates(ctx) -> None:
    settings.put("certificate_prefix", "海维权")
    campaign, cands = _passed_campaign(demonstration=[])
    review.set_demonstration(candidates={cands[0].id: True})
    review.publicize(campaign=campaign, today=D(2026, 11, 30))
    with acting_as("王警官"):
        titles = review.name_campaign(campaign=reload(campaign), today=D(2026, 12, 10),
                                      document_no="海团联〔2026〕12号")
    posts = [t for t in titles if t.kind == "post"]
    demos = [t for t in titles if t.kind == "demonstration"]
    assert len(posts) == 5 and [t.unit_id for t in demos] == [cands[0].unit_id]
    numbers = [t.certificate_no for t in titles]
    assert len(set(numbers)) == 6
    assert sorted(numbers) == [f"海维权〔2026〕第{n:03d}号" for n in range(1, 7)]
    t = posts[0]
    assert (t.level, t.term_start, t.status, t.named_on, t.document_no) == (
        1, 2025, "valid", D(2026, 12, 10), "海团联〔2026〕12号")
    assert t.next_rereview_due == D(2028, 12, 10)
    assert t.unit_name == reload(t.unit).name
    assert t.naming_bodies_text == "共青团海安市委、海安市公安局"
    assert [b.naming_body.name for b in TitleNamingBody.select().where(
        TitleNamingBody.title == t).order_by(TitleNamingBody.sort_order)] == [
        "共青团海安市委", "海安市公安局"]
    assert Plaque.get(Plaque.title == t).state == "issued"
    assert t.events.get().kind == "named" and t.events.get().actor == "王警官"


def test_certificate_numbers_never_repeat(ctx) -> None:
    from wqg_desktop.services.titles import next_certificate_no

    settings.put("certificate_prefix", "海维权")
    first = next_certificate_no(2026)
    # a number recorded by hand is skipped, and the counter never goes back
    Title.create(unit=_any_unit(), level=1, term_start=2025, certificate_no="海维权〔2026〕第002号")
    assert [next_certificate_no(2026), next_certificate_no(2027)] == [
        "海维权〔2026〕第003号", "海维权〔2027〕第001号"]
    assert first == "海维权〔2026〕第001号"


def _any_unit():
    from test_lifecycle_support import make_unit

    return make_unit()


def test_candidate_history_is_complete(ctx) -> None:
    campaign, cands = _passed_campaign()
    review.publicize(campaign=campaign, today=D(2026, 11, 30))
    review.name_campaign(campaign=reload(campaign), today=D(2026, 12, 10))
    steps = [(h["from"], h["to"]) for h in campaigns_view.candidate_history(cands[0])]
    assert steps == [("（新建）", "申报"), ("申报", "创建中"), ("创建中", "审核"), ("审核", "达标"),
                     ("达标", "公示"), ("公示", "命名")]
    failed = [h["to"] for h in campaigns_view.candidate_history(cands[5])]
    assert failed[-1] == "未达标"


def test_title_carries_the_unit_name_of_the_naming_date(ctx) -> None:
    from wqg_desktop.db.models import UnitName

    campaign, cands = _passed_campaign()
    review.publicize(campaign=campaign, today=D(2026, 11, 30))
    unit = reload(cands[0].unit)
    old = unit.name
    with acting_as("测试"):
        UnitName.create(owner_office=unit.owner_office, unit=unit, name=old,
                        valid_to=D(2027, 1, 1), note="更名")
        unit.name = old.replace("测试", "新名")
        unit.save()
    with pytest.raises(InputRefused, match="不能晚于今天"):
        review.name_campaign(campaign=reload(campaign), today=D(2027, 2, 1),
                             naming_date=D(2027, 3, 1))
    titles = review.name_campaign(campaign=reload(campaign), today=D(2027, 2, 1),
                                  naming_date=D(2026, 12, 10))
    named = next(t for t in titles if t.unit_id == unit.id)
    assert (named.unit_name, named.named_on) == (old, D(2026, 12, 10))
    assert reload(unit).name != old


def test_the_list_and_the_ranking_show_the_same_scores(demo_ctx) -> None:
    from wqg_desktop.db.models import Campaign
    from wqg_desktop.services import campaign_review, campaigns_view

    campaign = Campaign.get(Campaign.level == 2)
    listed = {r.unit: r.score for r in campaigns_view.list_candidates(campaign.id, today=TODAY)}
    ranked = {r.unit: r.score for r in campaign_review.ranking(campaign)}
    assert listed and listed == {u: s for u, s in ranked.items() if u in listed}
