"""One campaign walked through time, ``today`` moving: what the home page's list of deadlines
shows at each step, and when each step becomes legal (rule 8 of DOMAIN.md).

Creation → applications → creation period (its end due, then overdue) → review →
publicity of 7 working days across a weekend (its end due, naming refused on the last day,
allowed the day after) → naming → the titles' 复核 falling due two years later.
"""

from __future__ import annotations

import pytest
from test_lifecycle_support import D, make_unit

from wqg_desktop.db.models import Campaign, Title, acting_as
from wqg_desktop.errors import RuleViolation
from wqg_desktop.services import campaign_review, campaigns, deadlines


def due(today, kind=None):
    """(kind, due, days_left) of the campaign and title items due around ``today``."""
    items = [i for i in deadlines.due_items(today)
             if i.entity in ("Campaign", "Title", "Candidate")]
    return [(i.kind, i.due, i.days_left) for i in items if kind is None or i.kind == kind]


def test_campaign_walk_through_time(ctx) -> None:
    # 2024-08-20: the campaign is set up; nothing is due for two years
    with acting_as("测试"):
        campaign = campaigns.create_campaign(
            level="县", term="2025—2026", today=D(2024, 8, 20),
            naming_bodies=["共青团海安市委", "海安市公安局"],
            application_start=D(2024, 9, 1), application_end=D(2024, 10, 15),
            creation_start=D(2024, 11, 1), creation_end=D(2026, 10, 31),
            review_planned=D(2026, 11, 2), naming_planned=D(2026, 11, 30)).campaign
    assert due(D(2024, 8, 20)) == []

    units = [make_unit() for _ in range(3)]
    with acting_as("测试"):
        cands = [campaigns.apply_unit(campaign=campaign, unit=u, today=D(2024, 9, 10))
                 for u in units]
        campaigns.start_creation(campaign=campaign, today=D(2024, 11, 1))

    # a month before the creation period ends: its end and the uninspected units show
    assert due(D(2026, 10, 5), "创建期结束") == [("创建期结束", D(2026, 10, 31), 26)]
    assert len(due(D(2026, 10, 5), "检查次数不足")) == 3
    with acting_as("测试"), pytest.raises(RuleViolation, match="创建期满后再审核"):
        campaign_review.review_campaign(campaign=campaign, passed=[], today=D(2026, 10, 31))

    # the creation period is over and nobody reviewed yet: overdue
    [(kind, _day, left)] = due(D(2026, 11, 2), "创建期结束")
    assert left == -2
    assert [i.when_text for i in deadlines.due_items(D(2026, 11, 2))
            if i.kind == "创建期结束"] == ["已逾期 2 天"]

    # 2026-11-02 (Monday): review; the creation period leaves the list, the planned naming shows
    with acting_as("测试"):
        for score, cand in zip((90, 85, 70), cands, strict=True):
            campaign_review.set_score(candidate=cand, score=score)
        campaign_review.review_campaign(campaign=campaign, passed=[cands[0].id, cands[1].id],
                                        today=D(2026, 11, 2))
    assert due(D(2026, 11, 2), "创建期结束") == []
    assert due(D(2026, 11, 2), "计划命名") == [("计划命名", D(2026, 11, 30), 28)]

    # 2026-11-05 (Thursday): publicity, 7 working days over the weekend of 7–8 November
    with acting_as("测试"):
        c = campaign_review.publicize(campaign=campaign, today=D(2026, 11, 5))
    assert (c.publicity_start, c.publicity_end) == (D(2026, 11, 5), D(2026, 11, 13))
    assert D(2026, 11, 13).weekday() == 4  # a Friday
    assert due(D(2026, 11, 5), "公示期结束") == [("公示期结束", D(2026, 11, 13), 8)]

    # the last day of publicity: due today, and naming is still refused
    [item] = [i for i in deadlines.due_items(D(2026, 11, 13)) if i.kind == "公示期结束"]
    assert (item.when_text, item.overdue) == ("今天到期", False)
    with acting_as("测试"), pytest.raises(RuleViolation, match="公示期满后才能命名"):
        campaign_review.name_campaign(campaign=campaign, today=D(2026, 11, 13))
    assert Title.select().count() == 0

    # the day after (a Saturday): the publicity has ended, naming is possible
    [item] = [i for i in deadlines.due_items(D(2026, 11, 14)) if i.kind == "公示期满，可以命名"]
    assert item.days_left == -1
    with acting_as("测试"):
        granted = campaign_review.name_campaign(campaign=campaign, today=D(2026, 11, 14),
                                                document_no="海团联〔2026〕12号")
    assert len(granted) == 2 and Campaign.get_by_id(campaign.id).stage == "closed"
    assert {t.named_on for t in granted} == {D(2026, 11, 14)}
    # nothing of the campaign is due any more
    assert [k for k, *_ in due(D(2026, 11, 16))] == []

    # two years on, the titles' 复核 falls due (every two years by default)
    assert {t.next_rereview_due for t in granted} == {D(2028, 11, 14)}
    assert due(D(2028, 10, 1), "称号复核到期") == []
    soon = due(D(2028, 10, 20), "称号复核到期")
    assert soon == [("称号复核到期", D(2028, 11, 14), 25)] * 2
    late = [i for i in deadlines.due_items(D(2028, 11, 20)) if i.kind == "称号复核到期"]
    assert [i.when_text for i in late] == ["已逾期 6 天"] * 2
