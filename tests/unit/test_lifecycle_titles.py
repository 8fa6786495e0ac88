"""Titles after naming: 复核, 整改, 取消, 注销, 撤销, ownership and history."""

from __future__ import annotations

import pytest
from test_lifecycle_support import TODAY, D, give_title, make_unit, reload, upper_office

from wqg_desktop.db.models import AuditLog, Plaque, ReReview, Title, TitleEvent, acting_as
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import settings, titles


def _plaque(title: Title) -> str:
    return Plaque.get(Plaque.title == title).state


@pytest.fixture
def title(ctx) -> Title:
    with acting_as("测试"):
        return titles.record_title(unit=make_unit(), level="县", term="2021", today=TODAY,
                                   named_on=D(2022, 12, 1), naming_bodies=["共青团海安市委", "海安市公安局"],
                                   certificate_no="海维权〔2022〕第001号")


def test_record_title(title) -> None:
    assert (title.status, title.level, title.next_rereview_due) == ("valid", 1, D(2024, 12, 1))
    assert _plaque(title) == "issued"
    assert title.events.get().kind == "recorded"
    with pytest.raises(RuleViolation, match="已经用过"):
        titles.record_title(unit=make_unit(), level="县", term="2021", today=TODAY,
                            named_on=D(2022, 12, 1), naming_bodies=["海安市公安局"],
                            certificate_no="海维权〔2022〕第001号")
    with pytest.raises(RuleViolation, match="不能重复登记"):
        titles.record_title(unit=title.unit, level="县", term="2023", today=TODAY,
                            named_on=D(2024, 1, 1), naming_bodies=["海安市公安局"])
    # A county records its units' city titles too: the ladder to the province needs them.
    city = titles.record_title(unit=make_unit(), level="市", term="2021", today=TODAY,
                               named_on=D(2022, 12, 1), naming_bodies=["南通市公安局"])
    assert (city.level, city.status) == (2, "valid")


def test_rereview_pass_keeps_the_title(title) -> None:
    titles.rereview(title=title, passed=True, today=TODAY, score=91.5)
    t = reload(title)
    assert (t.status, t.next_rereview_due) == ("valid", D(2028, 11, 26))
    assert ReReview.get().passed is True
    assert _plaque(t) == "issued"


def test_rectification_passed(title) -> None:
    settings.put("rectification_months", 12)
    titles.rereview(title=title, passed=False, today=TODAY, note="服务承诺未公开")
    t = reload(title)
    assert (t.status, t.rectification_deadline) == ("rectifying", D(2027, 11, 26))
    titles.recheck(title=t, passed=True, today=D(2027, 11, 30))
    t = reload(title)
    assert (t.status, t.rectification_deadline) == ("valid", None)
    assert _plaque(t) == "issued"
    rr = ReReview.get()
    assert (rr.passed, rr.recheck_on, rr.recheck_passed) == (False, D(2027, 11, 30), True)


def test_rectification_failed_cancels_and_removes_the_plaque(title) -> None:
    titles.rereview(title=title, passed=False, today=TODAY)
    with pytest.raises(RuleViolation, match="整改期到 2027年11月26日 才满"):
        titles.recheck(title=title, passed=False, today=D(2027, 6, 1))
    titles.recheck(title=title, passed=False, today=D(2027, 11, 26))
    t = reload(title)
    assert (t.status, t.status_changed_on) == ("cancelled", D(2027, 11, 26))
    assert _plaque(t) == "removed"
    with pytest.raises(RuleViolation, match="已取消"):
        titles.rereview(title=t, passed=True, today=D(2027, 12, 1))


def test_recheck_only_in_rectification(title) -> None:
    with pytest.raises(RuleViolation, match="整改中"):
        titles.recheck(title=title, passed=True, today=TODAY)


def test_cancellation_keeps_the_plaque_as_a_souvenir(title) -> None:
    with pytest.raises(RuleViolation, match="仍登记为从事青少年工作"):
        titles.deregister(title=title, today=TODAY, reason="")
    titles.deregister(title=title, today=TODAY, reason="职能调整，改为机关内勤", mark_unit=True)
    t = reload(title)
    assert t.status == "deregistered" and _plaque(t) == "souvenir"
    unit = reload(t.unit)
    assert (unit.works_with_youth, unit.youth_work_ended_on) == (False, TODAY)


def test_revocation_needs_finding_and_evidence_and_reclaims_the_plaque(title) -> None:
    with pytest.raises(RuleViolation, match="经查属实"):
        titles.revoke(title=title, today=TODAY, ground="fraud", finding="", evidence="材料")
    with pytest.raises(RuleViolation, match="缺一不可"):
        titles.revoke(title=title, today=TODAY, ground="fraud", finding="台账系伪造", evidence="")
    with pytest.raises(InputRefused, match="四种之一"):
        titles.revoke(title=title, today=TODAY, ground="迟到", finding="x", evidence="y")
    assert reload(title).status == "valid"
    titles.revoke(title=title, today=TODAY, ground="在创建命名过程中弄虚作假",
                  finding="经查，创建台账系命名前集中补记", evidence="督察支队调查报告（督〔2026〕7号）")
    t = reload(title)
    assert t.status == "revoked" and _plaque(t) == "reclaimed"
    event = TitleEvent.select().where(TitleEvent.title == t).order_by(TitleEvent.id.desc()).get()
    assert (event.kind, event.ground, event.from_status, event.to_status) == (
        "revoked", "fraud", "valid", "revoked")
    assert event.finding.startswith("经查") and "督察" in event.evidence


def test_a_rectifying_title_can_be_revoked(title) -> None:
    titles.rereview(title=title, passed=False, today=TODAY)
    titles.revoke(title=title, today=TODAY, ground="head_criminal", finding="所长受刑事处罚",
                  evidence="判决书")
    assert reload(title).status == "revoked"


def test_another_office_title_is_refused(ctx) -> None:
    city = upper_office()
    theirs = give_title(make_unit(), 2, owner=city)
    for action in (
        lambda: titles.rereview(title=theirs, passed=False, today=TODAY),
        lambda: titles.recheck(title=theirs, passed=True, today=TODAY),
        lambda: titles.deregister(title=theirs, today=TODAY, reason="x", mark_unit=True),
        lambda: titles.revoke(title=theirs, today=TODAY, ground="law", finding="f", evidence="e"),
    ):
        with pytest.raises(RuleViolation, match="该称号由南通市公安局命名：只有命名单位才能"):
            action()
    assert reload(theirs).status == "valid" and _plaque(theirs) == "issued"


def test_deregistering_a_unit_ends_only_this_office_titles(ctx) -> None:
    unit = make_unit()
    mine = give_title(unit, 1)
    theirs = give_title(unit, 2, owner=upper_office())
    ended = titles.deregister_unit_titles(unit=unit, today=TODAY, reason="改为机关内勤")
    assert [t.id for t in ended] == [mine.id]
    assert (reload(mine).status, reload(theirs).status) == ("deregistered", "valid")


def test_full_history_of_a_title(title) -> None:
    with acting_as("王警官", "年度复核"):
        titles.rereview(title=title, passed=False, today=D(2026, 12, 1))
        titles.recheck(title=title, passed=True, today=D(2027, 12, 2))
        titles.revoke(title=title, today=D(2028, 1, 10), ground="law", finding="违规收费属实",
                      evidence="审计报告")
    history = titles.history(reload(title))
    assert [(h["kind"], h["from"], h["to"], h["on"]) for h in history] == [
        ("补录历年称号", "", "有效", TODAY),
        ("复核不合格，进入整改期", "有效", "整改中", D(2026, 12, 1)),
        ("整改期满考核合格", "整改中", "有效", D(2027, 12, 2)),
        ("撤销", "有效", "已撤销", D(2028, 1, 10)),
    ]
    assert [h["actor"] for h in history[1:]] == ["王警官"] * 3
    assert history[-1]["ground"] == "有违反国家法律法规现象"
    assert AuditLog.select().where(AuditLog.entity == "TitleEvent", AuditLog.actor == "王警官",
                                   AuditLog.reason == "年度复核").count() == 3


def test_list_titles_filters(ctx) -> None:
    unit = make_unit()
    give_title(unit, 1)
    give_title(make_unit(), 1, status="rectifying")
    assert [r.status for r in titles.list_titles(status="整改中")] == ["整改中"]
    assert len(titles.list_titles(unit=unit)) == 1
    assert len(titles.list_titles(mine_only=True)) == 2
