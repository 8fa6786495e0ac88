"""日常工作台账 services: due dates on the office calendar, validation, nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest

from wqg_desktop.db.models import (
    Activity,
    ActivityUnit,
    AuditLog,
    Consultation,
    Office,
    PoliceType,
    Region,
    Unit,
)
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import (
    attachments,
    deadlines,
    records_activities,
    records_consult,
    settings,
)
from wqg_desktop.services.office import this_office

TODAY = dt.date(2026, 11, 26)


def make_unit(name: str = "海安市公安局城北派出所", *, founded: dt.date | None = None,
              head: str = "周建华", owner: Office | None = None) -> Unit:
    return Unit.create(owner_office=owner or this_office(), name=name, name_key=name,
                       region=Region.get(Region.name == "海安市"),
                       police_type=PoliceType.get(PoliceType.name == "治安"),
                       head_name=head, founded_on=founded)


def consult(unit: Unit, **over):
    fields = dict(today=TODAY, unit_id=unit.id, kind="complaint", received_on=dt.date(2026, 9, 30),
                  channel="电话", content="反映学校周边网吧接纳未成年人")
    fields.update(over)
    return records_consult.save(**fields)


def test_due_date_counts_working_days_across_the_national_day_holiday(ctx) -> None:
    unit = make_unit()
    with ctx.acting():
        c = consult(unit)
    # 2026-09-30 (Wed) + 5 working days: 10-01…07 are holidays, 10-10 (Sat) is a 调休 working
    # day: 10-08, 10-09, 10-10, 10-12, 10-13.
    assert c.due_on == dt.date(2026, 10, 13)
    assert Consultation.get().due_on == dt.date(2026, 10, 13)


def test_due_date_follows_the_setting(ctx) -> None:
    unit = make_unit()
    with ctx.acting():
        settings.put("complaint_reply_working_days", 3)
        c = consult(unit, received_on=dt.date(2026, 11, 20))  # Friday
    assert c.due_on == dt.date(2026, 11, 25)  # Mon, Tue, Wed


def test_answered_in_time_and_late(ctx) -> None:
    unit = make_unit()
    with ctx.acting():
        on_time = consult(unit, replied_on=dt.date(2026, 10, 13), result="已联系文化执法部门查处")
        late = consult(unit, replied_on=dt.date(2026, 10, 14), result="已查处")
        still_open = consult(unit, received_on=dt.date(2026, 11, 25))
    assert records_consult.answered_in_time(on_time)
    assert not records_consult.answered_in_time(late)
    assert records_consult.state(late, TODAY) == "超时答复"
    assert records_consult.state(still_open, TODAY) == "待答复"
    assert records_consult.timeliness(unit_id=unit.id) == (1, 2)


def test_overdue_complaints_are_listed_and_reach_the_home_page(ctx) -> None:
    unit = make_unit()
    with ctx.acting():
        overdue = consult(unit, received_on=dt.date(2026, 11, 2))
        consult(unit, received_on=dt.date(2026, 11, 2), replied_on=dt.date(2026, 11, 3),
                result="已答复")
        consult(unit, received_on=dt.date(2026, 11, 25))
    assert [r.uuid for r in records_consult.overdue(TODAY)] == [overdue.uuid]
    items = [i for i in deadlines.due_items(TODAY) if i.entity == "Consultation"]
    assert {i.entity_uuid for i in items if i.overdue} == {overdue.uuid}
    assert all(i.kind == "投诉待答复" for i in items)
    # the answered one is not a deadline any more
    assert len(items) == 2


@pytest.mark.parametrize("over,message", [
    ({"received_on": TODAY + dt.timedelta(days=1)}, "不能晚于今天"),
    ({"received_on": dt.date(2019, 12, 31)}, "成立日期"),
    ({"replied_on": dt.date(2026, 9, 29)}, "早于受理日期"),
    ({"content": "  "}, "请填写咨询投诉内容"),
    ({"channel": "微信"}, "受理渠道只能是"),
    ({"minor_id_no": "12345"}, "18 位"),
    ({"replied_on": dt.date(2026, 10, 8)}, "请填写处理结果"),
])
def test_bad_consultation_is_refused_and_nothing_is_saved(ctx, over, message) -> None:
    unit = make_unit(founded=dt.date(2020, 1, 1))
    audits = AuditLog.select().count()
    with ctx.acting(), pytest.raises(InputRefused, match=message):
        consult(unit, **over)
    assert Consultation.select().count() == 0
    assert AuditLog.select().count() == audits


def test_another_offices_record_cannot_be_changed(ctx) -> None:
    other = Office.create(level=1, name="如皋市公安局")
    unit = make_unit(owner=other)
    with ctx.acting():
        c = consult(unit)
    Consultation.update(owner_office=other).execute()
    with ctx.acting(), pytest.raises(RuleViolation, match="如皋市公安局"):
        records_consult.save(today=TODAY, uuid=c.uuid, unit_id=unit.id, kind="complaint",
                             received_on=dt.date(2026, 9, 30), channel="电话", content="改")
    with ctx.acting(), pytest.raises(RuleViolation):
        records_consult.delete(c.uuid)
    assert Consultation.get().content.startswith("反映")


def test_activity_with_negative_count_or_no_unit_is_refused_whole(ctx) -> None:
    unit = make_unit()
    base = dict(today=TODAY, kind="volunteer", title="法治宣传进校园", start_on=dt.date(2026, 9, 1))
    with ctx.acting():
        with pytest.raises(InputRefused, match="不能是负数"):
            records_activities.save(**base, unit_ids=[unit.id], people_reached=-5)
        with pytest.raises(InputRefused, match="至少选择一个参与单位"):
            records_activities.save(**base, unit_ids=[])
        with pytest.raises(InputRefused, match="早于开始日期"):
            records_activities.save(**base, unit_ids=[unit.id], end_on=dt.date(2026, 8, 1))
    assert Activity.select().count() == 0 and ActivityUnit.select().count() == 0


def test_activity_units_are_replaced_on_edit(ctx) -> None:
    a, b = make_unit(), make_unit("海安市公安局城南派出所")
    with ctx.acting():
        act = records_activities.save(today=TODAY, kind="joint", title="网吧联合治理",
                                      start_on=dt.date(2026, 6, 1), unit_ids=[a.id, b.id],
                                      people_reached="300", volunteers=12)
        records_activities.save(today=TODAY, uuid=act.uuid, kind="joint", title="网吧联合治理",
                                start_on=dt.date(2026, 6, 1), unit_ids=[b.id], people_reached=300)
    rows = records_activities.rows(unit_id=b.id)
    assert [r.units for r in rows] == ["海安市公安局城南派出所"]
    assert records_activities.rows(unit_id=a.id) == []
    assert rows[0].people_reached == 300


def test_attachments_must_be_what_their_name_says_and_not_huge(ctx, tmp_path, monkeypatch) -> None:
    unit = make_unit()
    with ctx.acting():
        act = records_activities.save(today=TODAY, kind="themed", title="护苗行动",
                                      start_on=dt.date(2026, 6, 1), unit_ids=[unit.id])
    fake = tmp_path / "现场照片.jpg"
    fake.write_bytes(b"MZ\x90\x00 this is a program")
    with ctx.acting(), pytest.raises(InputRefused, match="不是可接受的"):
        records_activities.add_photo(act.uuid, fake)
    photo = tmp_path / "合影.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    monkeypatch.setattr(attachments, "MAX_BYTES", 50)
    with ctx.acting(), pytest.raises(InputRefused, match="超过"):
        records_activities.add_photo(act.uuid, photo)
    monkeypatch.setattr(attachments, "MAX_BYTES", 10_000)
    with ctx.acting():
        att = records_activities.add_photo(act.uuid, photo)
    assert att.media_type == "image/png"
    assert attachments.storage_path(att.sha256).read_bytes() == photo.read_bytes()
    assert records_activities.rows()[0].attachments == 1
