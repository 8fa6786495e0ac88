"""campaign_actions.step_refusals: what the 创建活动 page may offer, asked of the engine."""

from __future__ import annotations

from test_lifecycle_support import campaign_in_creation, make_unit, new_campaign, upper_office

from wqg_desktop.db.models import Campaign, Candidate, acting_as
from wqg_desktop.services import campaign_actions, campaigns

STEPS = {"apply", "start", "review", "publicize", "name", "accept", "return", "withdraw",
         "object", "resolve"}


def _open(refusals: dict) -> set[str]:
    return {key for key, why in refusals.items() if why is None}


def test_nothing_selected(ctx) -> None:
    refusals = campaign_actions.step_refusals(None, None)
    assert set(refusals) == STEPS
    assert set(refusals.values()) == {campaign_actions.NO_CAMPAIGN}


def test_steps_open_in_the_application_stage(ctx) -> None:
    campaign = new_campaign()
    unit = make_unit()
    with acting_as("测试"):
        cand = campaigns.apply_unit(campaign=campaign, unit=unit,
                                    today=campaign.application_start)
    assert _open(campaign_actions.step_refusals(campaign, None)) == {"apply", "start"}
    refusals = campaign_actions.step_refusals(campaign, cand)
    assert _open(refusals) == {"apply", "start", "return", "withdraw"}
    assert "不能公示" in refusals["publicize"]


def test_creation_stage_and_a_candidate_of_another_campaign(ctx) -> None:
    campaign, cands = campaign_in_creation(2)
    assert _open(campaign_actions.step_refusals(campaign, cands[0])) == {"review", "withdraw"}
    other = new_campaign(term="2027—2028")
    refusals = campaign_actions.step_refusals(other, cands[0])
    assert refusals["withdraw"] == campaign_actions.NO_CANDIDATE


def test_recommending_to_an_upper_campaign(ctx) -> None:
    city = upper_office()
    with acting_as("测试"):  # as the city's package brings it
        upper = Campaign.create(owner_office=city, level=2, term_start=2027, stage="application",
                                name="2027—2028年度全市“青少年维权岗”创建活动")
    refusals = campaign_actions.step_refusals(upper, None)
    assert refusals["apply"] is None  # this county recommends its units to the city
    assert "由南通市公安局主办" in refusals["start"]
    cand = Candidate.create(owner_office=city, campaign=upper, unit=make_unit(),
                            status="recommended")
    assert "由南通市公安局主办" in campaign_actions.step_refusals(upper, cand)["accept"]
