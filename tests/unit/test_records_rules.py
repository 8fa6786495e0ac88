"""The ledger's rules: heads trained, units online, practical projects, referrals, evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from wqg_desktop.db.models import (
    Campaign,
    Candidate,
    PoliceType,
    PracticalProject,
    Region,
    ServiceCommitment,
    Unit,
    UnitHead,
)
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import (
    records_activities,
    records_consult,
    records_contacts,
    records_evidence,
    records_projects,
    records_training,
)
from wqg_desktop.services.office import this_office

TODAY = dt.date(2026, 11, 26)


def make_unit(name: str, head: str = "周建华", ptype: str = "治安") -> Unit:
    unit = Unit.create(owner_office=this_office(), name=name, name_key=name,
                       region=Region.get(Region.name == "海安市"),
                       police_type=PoliceType.get(PoliceType.name == ptype), head_name=head)
    UnitHead.create(owner_office=this_office(), unit=unit, name=head, since=dt.date(2020, 1, 1))
    return unit


def make_campaign(*units: Unit, level: int = 1, require_online: bool = False,
                  stage: str = "creation") -> Campaign:
    campaign = Campaign.create(owner_office=this_office(), level=level, term_start=2025,
                               name="2025—2026年度海安市公安系统“青少年维权岗”创建活动",
                               stage=stage, application_start=dt.date(2025, 3, 1),
                               creation_start=dt.date(2025, 4, 1),
                               creation_end=dt.date(2026, 12, 31), require_online=require_online)
    for unit in units:
        Candidate.create(owner_office=this_office(), campaign=campaign, unit=unit,
                         status="creating")
    return campaign


def session(ctx, on: dt.date, level: int = 1):
    with ctx.acting():
        return records_training.save_session(today=TODAY, on=on, organiser_level=level,
                                             organiser="共青团海安市委", topic="负责人培训")


def test_heads_not_trained_are_listed_with_the_reason(ctx) -> None:
    trained, absent, missing = (make_unit(f"海安市公安局{n}派出所", head=h) for n, h in
                                (("城东", "王一"), ("城西", "王二"), ("城南", "王三")))
    campaign = make_campaign(trained, absent, missing)
    s = session(ctx, dt.date(2025, 5, 10))
    with ctx.acting():
        records_training.record_attendance(today=TODAY, session_uuid=s.uuid, unit_id=trained.id)
        records_training.record_attendance(today=TODAY, session_uuid=s.uuid, unit_id=absent.id,
                                           attended=False)
    found = {u.unit: u.reason for u in records_training.untrained_heads()}
    assert found == {absent.name: "培训时缺席", missing.name: "未参加培训"}
    assert all(u.campaign == campaign.name for u in records_training.untrained_heads())


def test_a_session_of_another_level_or_before_the_campaign_does_not_count(ctx) -> None:
    unit = make_unit("海安市公安局城东派出所")
    make_campaign(unit)
    for on, level in ((dt.date(2025, 5, 10), 2), (dt.date(2024, 5, 10), 1)):
        s = session(ctx, on, level)
        with ctx.acting():
            records_training.record_attendance(today=TODAY, session_uuid=s.uuid, unit_id=unit.id)
    assert [u.unit for u in records_training.untrained_heads()] == [unit.name]


def test_a_new_head_after_the_training_must_attend_again(ctx) -> None:
    unit = make_unit("海安市公安局城东派出所", head="王一")
    make_campaign(unit)
    s = session(ctx, dt.date(2025, 5, 10))
    with ctx.acting():
        records_training.record_attendance(today=TODAY, session_uuid=s.uuid, unit_id=unit.id)
    assert records_training.untrained_heads() == []
    # the head changes in 2026: the history closes the old head, the unit names the new one
    UnitHead.update(until=dt.date(2026, 3, 1)).execute()
    UnitHead.create(owner_office=this_office(), unit=unit, name="李二", since=dt.date(2026, 3, 1))
    Unit.update(head_name="李二").execute()
    [row] = records_training.untrained_heads()
    assert row.head == "李二"
    assert "2026年3月1日更换" in row.reason and "王一" in row.reason
    # the attendance of the former head was recorded under her name, from the head history
    assert records_training.attendance_of(s.uuid)[0].head_name == "王一"


def test_closed_campaigns_and_withdrawn_units_are_not_checked(ctx) -> None:
    unit = make_unit("海安市公安局城东派出所")
    make_campaign(unit, stage="closed")
    assert records_training.untrained_heads() == []


def test_online_rule_of_a_campaign_that_requires_it(ctx) -> None:
    live, off, free = (make_unit(f"海安市公安局{n}派出所") for n in ("城东", "城西", "城南"))
    make_campaign(live, off, require_online=True)
    with ctx.acting():
        records_training.set_online(today=TODAY, unit_id=live.id, online=True,
                                    since=dt.date(2025, 6, 1))
        with pytest.raises(InputRefused, match="上线日期"):
            records_training.set_online(today=TODAY, unit_id=off.id, online=True)
    assert [r.unit for r in records_training.online_violations()] == [off.name]
    rules = {r.unit: r.rule for r in records_training.online_rows()}
    assert rules == {live.name: "符合：已上线", off.name: "不符合：要求上线但未上线", free.name: ""}
    assert Unit.get_by_id(live.id).online_since == dt.date(2025, 6, 1)


def _project(ctx, year: int, ptype: str, title: str) -> None:
    with ctx.acting():
        records_projects.save_project(today=TODAY, year=year, title=title,
                                      police_type_id=PoliceType.get(PoliceType.name == ptype).id)


def test_practical_project_warnings(ctx) -> None:
    for name in ("治安", "交巡警", "刑侦", "禁毒", "监管"):
        _project(ctx, 2026, name, f"{name}实事项目")
    for i in range(3):
        _project(ctx, 2026, "治安", f"治安第{i + 2}件")
    warnings = records_projects.project_warnings(2026)
    assert any(w.startswith("网安：2026年还没有") for w in warnings)
    assert any(w.startswith("治安：2026年登记了 4 件") for w in warnings)
    # 消防 left the police in 2018: no warning for it; 其他 is not a core type
    assert not any(w.startswith(("消防", "其他", "交巡警")) for w in warnings)
    assert len(warnings) == 2


def test_practical_project_of_a_future_year_or_retired_type_is_refused(ctx) -> None:
    with pytest.raises(InputRefused, match="还没到"):
        _project(ctx, 2027, "治安", "明年的")
    with pytest.raises(InputRefused, match="撤出公安序列"):
        _project(ctx, 2020, "消防", "消防宣传")
    assert PracticalProject.select().count() == 0


def test_referrals_overdue_and_closed(ctx) -> None:
    unit = make_unit("海安市公安局城东派出所")
    with ctx.acting():
        late = records_projects.save_referral(
            today=TODAY, kind="assign", subject="校园周边排查", to_unit_id=unit.id,
            received_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 11, 1))
        records_projects.save_referral(
            today=TODAY, kind="transfer", subject="12355 转来", to_unit_id=unit.id,
            received_on=dt.date(2026, 10, 1), due_on=dt.date(2026, 10, 20),
            closed_on=dt.date(2026, 10, 25), result="已办结")
        with pytest.raises(InputRefused, match="办理结果"):
            records_projects.save_referral(
                today=TODAY, kind="joint", subject="会办", to_unit_id=unit.id,
                received_on=dt.date(2026, 10, 1), closed_on=dt.date(2026, 10, 2))
    states = {r.subject: r.state for r in records_projects.referral_rows(today=TODAY)}
    assert states == {"校园周边排查": "已逾期", "12355 转来": "逾期办结"}
    overdue = records_projects.referral_rows(today=TODAY, overdue_only=True)
    assert [r.uuid for r in overdue] == [late.uuid]


def test_evidence_checklist_names_what_is_missing(ctx) -> None:
    unit = make_unit("海安市公安局城东派出所")
    campaign = make_campaign(unit, require_online=True)
    items = records_evidence.checklist(today=TODAY, unit_id=unit.id, campaign_id=campaign.id)
    status = {i.item[:6]: i.status for i in items}
    # no complaint at all is nothing overdue; everything else is missing
    assert status.pop("咨询投诉按时") == "已具备"
    assert list(status.values()) == ["缺少"] * 5
    # now document everything the fixed commitments ask for
    ServiceCommitment.create(owner_office=this_office(), unit=unit, text="承诺",
                             published_on=dt.date(2025, 5, 1))
    s = session(ctx, dt.date(2025, 5, 10))
    with ctx.acting():
        records_contacts.save_volunteer(today=TODAY, unit_id=unit.id, name="陈志愿",
                                        joined_on=dt.date(2025, 5, 1))
        records_training.record_attendance(today=TODAY, session_uuid=s.uuid, unit_id=unit.id)
        records_training.set_online(today=TODAY, unit_id=unit.id, online=True,
                                    since=dt.date(2025, 6, 1))
        records_activities.save(today=TODAY, kind="volunteer", title="法治宣传进校园",
                                start_on=dt.date(2025, 9, 1), unit_ids=[unit.id])
        records_consult.save(today=TODAY, unit_id=unit.id, kind="consultation",
                             received_on=dt.date(2026, 11, 2), channel="电话", content="咨询")
    items = records_evidence.checklist(today=TODAY, unit_id=unit.id, campaign_id=campaign.id)
    missing = [i.item for i in items if i.missing]
    # the one consultation is past its due date without an answer
    assert len(missing) == 1 and missing[0].startswith("咨询投诉按时答复")
