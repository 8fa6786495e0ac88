"""Standards, inspections, attachments and the planner, on hand-checked examples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    Inspection,
    LeadingGroupMember,
    PoliceType,
    Region,
    Supervisor,
    Unit,
)
from wqg_desktop.domain import workdays
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import attachments, inspections, standards
from wqg_desktop.services import calendar as calendar_service
from wqg_desktop.services.office import this_office

D = dt.date


def make_unit(name: str, ptype: str = "治安", head: str = "") -> Unit:
    return Unit.create(owner_office=this_office(), name=name, name_key=name,
                       region=Region.get(Region.name == "海安市"),
                       police_type=PoliceType.get(PoliceType.name == ptype), head_name=head)


def make_campaign(units: list[Unit], *, min_inspections: int = 1) -> Campaign:
    campaign = Campaign.create(owner_office=this_office(), level=1, term_start=2025,
                               name="2025—2026年度海安市创建活动", stage="creation",
                               creation_start=D(2025, 4, 1), creation_end=D(2026, 12, 31),
                               min_inspections=min_inspections)
    for u in units:
        Candidate.create(owner_office=this_office(), campaign=campaign, unit=u, status="creating")
    return campaign


@pytest.fixture
def setup(ctx):
    with ctx.acting("测试"):
        units = [make_unit("海安市公安局城东派出所"), make_unit("海安市公安局看守所", "监管")]
        campaign = make_campaign(units, min_inspections=2)
        LeadingGroupMember.create(owner_office=this_office(), role="leader", name="周一鸣",
                                  employer="海安市公安局", post="副局长")
        LeadingGroupMember.create(owner_office=this_office(), role="member", name="吴二强",
                                  employer="海安市公安局城东派出所", post="所长")
        Supervisor.create(owner_office=this_office(), name="郑三丽", category="npc",
                          employer="海安市某中学")
    return ctx, units, campaign


def full_scores(items, fraction: float = 1.0) -> dict[int, float]:
    return {i.id: i.weight * fraction for i in items}


def test_seeded_standards_follow_the_shipped_file(setup) -> None:
    ctx, units, campaign = setup
    with ctx.acting("测试"):
        made = standards.seed_campaign_standards(campaign=campaign)
    data = standards.default_standards()
    assert len(made) == 1 + len(data["by_police_type"])
    assert made[0].police_type_id is None
    assert standards.total_weight(made[0]) == 100
    groups = {i.group_no for i in standards.items_of(made[0])}
    assert {"二.5(1)", "二.5(6)", "二.6"} <= groups
    # the 监管 unit gets its own standard, the 治安 unit the 治安 one
    jianguan = standards.standard_for(campaign, units[1].police_type_id)
    assert "监管" in jianguan.name
    assert [i.group_no for i in standards.items_of(jianguan)][0] == "二.5(6)"


def test_score_is_weighted_on_a_hundred_point_scale(setup) -> None:
    ctx, units, campaign = setup
    with ctx.acting("测试"):
        _standard, items = inspections.checklist(campaign, units[0])
        # 治安: weights 12,12,14,14,12,12,12,12; half marks on the first item only
        scores = full_scores(items)
        scores[items[0].id] = 6
        saved = inspections.save_inspection(unit=units[0], campaign=campaign, on=D(2026, 5, 6),
                                            inspectors=["周一鸣"], scores=scores, today=D(2026, 11, 26))
    assert saved.inspection.score == 94.0
    assert saved.warnings == []
    assert inspections.total_score(items, full_scores(items, 0.0)) == 0.0


def test_scores_are_validated_against_the_weights(setup) -> None:
    ctx, units, campaign = setup
    _standard, items = inspections.checklist(campaign, units[0])
    too_much = full_scores(items)
    too_much[items[2].id] = items[2].weight + 0.5
    with ctx.acting("测试"), pytest.raises(InputRefused, match="第 3 项的得分应在 0 到 14"):
        inspections.save_inspection(unit=units[0], campaign=campaign, on=D(2026, 5, 6),
                                    inspectors=["周一鸣"], scores=too_much)
    missing = full_scores(items)
    del missing[items[1].id]
    with ctx.acting("测试"), pytest.raises(InputRefused, match="第 2 项.*还没有打分"):
        inspections.save_inspection(unit=units[0], campaign=campaign, on=D(2026, 5, 6),
                                    inspectors=["周一鸣"], scores=missing)
    assert Inspection.select().count() == 0


def test_unknown_inspector_and_rectification_without_deadline_are_refused(setup) -> None:
    ctx, units, campaign = setup
    _s, items = inspections.checklist(campaign, units[0])
    with ctx.acting("测试"), pytest.raises(InputRefused, match="不在领导小组成员或监督员名单"):
        inspections.save_inspection(unit=units[0], campaign=campaign, on=D(2026, 5, 6),
                                    inspectors=["路人甲"], scores=full_scores(items))
    with ctx.acting("测试"), pytest.raises(InputRefused, match="整改期限"):
        inspections.save_inspection(unit=units[0], campaign=campaign, on=D(2026, 5, 6),
                                    inspectors=["周一鸣"], scores=full_scores(items),
                                    rectification="补全台账")


def test_warnings_for_own_unit_and_date_outside_period(setup) -> None:
    ctx, units, campaign = setup
    _s, items = inspections.checklist(campaign, units[0])
    with ctx.acting("测试"):
        saved = inspections.save_inspection(unit=units[0], campaign=campaign, on=D(2025, 3, 1),
                                            inspectors=["吴二强", "郑三丽"],
                                            scores=full_scores(items))
    assert any("不在创建期" in w for w in saved.warnings)
    assert any("吴二强" in w and "回避" in w for w in saved.warnings)
    assert not any("郑三丽" in w for w in saved.warnings)


def test_standard_freezes_once_an_inspection_uses_it(setup) -> None:
    ctx, units, campaign = setup
    with ctx.acting("测试"):
        standard, items = inspections.checklist(campaign, units[0])
        item = standards.get_item(items[0].id)
        standards.update_item(item=item, weight=15)  # still editable
        _s, items = inspections.checklist(campaign, units[0])
        inspections.save_inspection(unit=units[0], campaign=campaign, on=D(2026, 5, 6),
                                    inspectors=["周一鸣"], scores=full_scores(items))
        standard = type(standard).get_by_id(standard.id)
        assert standard.frozen
        with pytest.raises(RuleViolation, match="已经冻结"):
            standards.update_item(item=standards.get_item(items[0].id), weight=10)
        with pytest.raises(RuleViolation, match="已经冻结"):
            standards.add_item(standard=standard, text="新条目", weight=5)
        copy = standards.copy_standard(standard=standard, name="调整后的标准")
        standards.update_item(item=standards.get_item(standards.items_of(copy)[0].id), weight=10)
    assert standards.items_of(copy)[0].weight == 10
    assert standards.items_of(standard)[0].weight == 15


def test_weight_must_be_positive(setup) -> None:
    ctx, _units, campaign = setup
    with ctx.acting("测试"):
        standard = standards.ensure_campaign_standards(campaign)[0]
        with pytest.raises(InputRefused, match="分值应大于 0"):
            standards.add_item(standard=standard, text="x", weight=0)


# -- planner -----------------------------------------------------------------------------------


def test_planner_guarantees(setup) -> None:
    ctx, units, campaign = setup
    today = D(2026, 9, 1)
    plan = inspections.plan_inspections(campaign, today, 7)
    exceptions = calendar_service.exceptions()
    per_candidate: dict[int, list] = {}
    for v in plan.visits:
        per_candidate.setdefault(v.candidate_id, []).append(v)
        assert today < v.on <= campaign.creation_end
        assert workdays.is_workday(v.on, exceptions)
        assert v.inspectors and "吴二强" not in v.inspectors or v.unit != units[0].name
    assert set(per_candidate) == {c.id for c in campaign.candidates}
    assert all(len(vs) >= campaign.min_inspections for vs in per_candidate.values())
    assert all(any(not v.announced for v in vs) for vs in per_candidate.values())
    # 吴二强 works at 城东派出所: left out there, with a warning
    for v in per_candidate[Candidate.get(Candidate.unit == units[0]).id]:
        assert "吴二强" not in v.inspectors
        assert any("吴二强" in w for w in v.warnings)
    again = inspections.plan_inspections(campaign, today, 7)
    assert [(v.candidate_id, v.on, v.announced, v.inspectors) for v in again.visits] == \
        [(v.candidate_id, v.on, v.announced, v.inspectors) for v in plan.visits]
    other = inspections.plan_inspections(campaign, today, 8)
    assert [(v.on, v.announced) for v in other.visits] != [(v.on, v.announced) for v in plan.visits]


def test_planner_counts_inspections_already_done(setup) -> None:
    ctx, units, campaign = setup
    _s, items = inspections.checklist(campaign, units[0])
    with ctx.acting("测试"):
        for day in (D(2026, 5, 6), D(2026, 6, 8)):
            inspections.save_inspection(unit=units[0], campaign=campaign, on=day,
                                        inspectors=["周一鸣"], scores=full_scores(items))
    plan = inspections.plan_inspections(campaign, D(2026, 9, 1), 1)
    assert {v.unit for v in plan.visits} == {units[1].name}


def test_planner_refuses_when_the_period_is_over(setup) -> None:
    _ctx, _units, campaign = setup
    with pytest.raises(RuleViolation, match="没有剩余的工作日"):
        inspections.plan_inspections(campaign, D(2027, 1, 5), 1)


# -- attachments ---------------------------------------------------------------------------------

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100


def test_attachment_is_stored_under_its_hash(setup, tmp_path: Path) -> None:
    ctx, units, _c = setup
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(JPEG)
    with ctx.acting("测试"):
        att = attachments.add_attachment(entity="Inspection", entity_uuid="u-1", source=photo)
    stored = attachments.storage_path(att.sha256)
    assert stored.read_bytes() == JPEG
    assert stored.parent.name == att.sha256[:2]
    assert (att.media_type, att.size, att.filename) == ("image/jpeg", len(JPEG), "现场.jpg")
    assert attachments.verify(att)
    stored.write_bytes(JPEG + b"x")
    try:
        assert not attachments.verify(att)
    finally:  # the store lives for the whole session: leave it sound for later tests
        stored.write_bytes(JPEG)


def test_attachment_checks(setup, tmp_path: Path) -> None:
    ctx, *_ = setup
    fake = tmp_path / "photo.jpg"
    fake.write_bytes(b"MZ\x90\x00 not an image")
    with ctx.acting("测试"), pytest.raises(InputRefused, match="不是可接受的图片"):
        attachments.add_attachment(entity="Inspection", entity_uuid="u", source=fake)
    pdf_named_jpg = tmp_path / "scan.jpg"
    pdf_named_jpg.write_bytes(b"%PDF-1.4\n" + b"0" * 50)
    with ctx.acting("测试"), pytest.raises(InputRefused, match="扩展名是 .jpg"):
        attachments.add_attachment(entity="Inspection", entity_uuid="u", source=pdf_named_jpg)
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(attachments.MAX_BYTES + 1)
    with ctx.acting("测试"), pytest.raises(InputRefused, match="超过 20 MB"):
        attachments.add_attachment(entity="Inspection", entity_uuid="u", source=big)
