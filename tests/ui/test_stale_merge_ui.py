"""Two officers editing one record: when the second one's save is refused, the dialog reads in
what the first one saved, keeps what the second one typed, names the inputs both changed, and
the next 保存 stores both officers' changes."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt

from wqg_desktop.db.models import (
    Consultation,
    LeadingGroupMember,
    Region,
    Supervisor,
    Unit,
    acting_as,
)
from wqg_desktop.domain.statuses import LeadingRole, SupervisorCategory
from wqg_desktop.services import people, records_consult, units
from wqg_desktop.ui.dialogs.people_member import MemberDialog
from wqg_desktop.ui.dialogs.people_supervisor import SupervisorDialog
from wqg_desktop.ui.dialogs.record_common import ok_button
from wqg_desktop.ui.dialogs.record_consultation import RecordConsultationDialog
from wqg_desktop.ui.dialogs.unit_dialog import UnitDialog

OTHER = "李四（lisi）"
LEFT = Qt.MouseButton.LeftButton


def _own_unit(ctx) -> Unit:  # type: ignore[no-untyped-def]
    region = Region.select().first()
    with ctx.acting("新增单位"):
        return units.create_unit(units.UnitFields(name="海安市公安局城南派出所", region_id=region.id,
                                                  police_type_id=1), today=ctx.today())


def _retype(type_chinese, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.clear()
    type_chinese(edit, text)


def _other_officer_changes_unit(ctx, unit_id: int, **changes: object) -> None:  # type: ignore[no-untyped-def]
    now = units.fields_of(units.get_unit(unit_id))
    with acting_as(OTHER, "修改单位"):
        units.update_unit(unit_id, dataclasses.replace(now, **changes), today=ctx.today())


def _open(qtbot, dialog):  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_unit_takes_theirs_keeps_mine_and_names_the_conflict(qtbot, ctx, type_chinese) -> None:
    unit = _own_unit(ctx)
    dialog = _open(qtbot, UnitDialog(ctx, unit_id=unit.id))
    _retype(type_chinese, dialog.ui.head_name_edit, "赵六")  # both change 负责人
    _retype(type_chinese, dialog.ui.head_post_edit, "所长")  # only I change 职务
    _other_officer_changes_unit(ctx, unit.id, head_name="王五", address="城南路1号",
                                note="对方的备注")

    qtbot.mouseClick(dialog.save_button, LEFT)  # refused: the other officer saved first

    assert dialog.isVisible()
    ui = dialog.ui
    assert (ui.address_edit.text(), ui.note_edit.text()) == ("城南路1号", "对方的备注")  # theirs
    assert (ui.head_name_edit.text(), ui.head_post_edit.text()) == ("赵六", "所长")  # mine
    said = ui.error_label.text()
    assert "已载入对方的修改（地址、备注）" in said
    assert "您改过的“负责人”保留了您的内容" in said and "请核对后保存" in said
    assert OTHER in said  # who changed it is still named
    assert "关闭窗口后重新打开" not in said  # nothing to retype any more
    assert "“职务”" not in said  # changed by me alone: no conflict
    assert dialog.save_button.isEnabled()
    assert dialog.focusWidget() is ui.head_name_edit  # the conflict to check
    assert dialog.unsaved_input()  # my typing still counts as unsaved

    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, LEFT)
    stored = Unit.get_by_id(unit.id)
    assert (stored.address, stored.note) == ("城南路1号", "对方的备注")  # nothing of theirs lost
    assert (stored.head_name, stored.head_post) == ("赵六", "所长")


def test_a_second_change_while_checking_is_read_in_the_same_way(qtbot, ctx, type_chinese) -> None:
    unit = _own_unit(ctx)
    dialog = _open(qtbot, UnitDialog(ctx, unit_id=unit.id))
    _retype(type_chinese, dialog.ui.head_post_edit, "所长")
    _other_officer_changes_unit(ctx, unit.id, address="城南路1号")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert "已载入对方的修改（地址）" in dialog.ui.error_label.text()
    assert "您填写的内容都还在" in dialog.ui.error_label.text()

    _retype(type_chinese, dialog.ui.address_edit, "城南路2号")  # I correct their address
    _other_officer_changes_unit(ctx, unit.id, address="城南路3号", head_phone="13912345678")
    qtbot.mouseClick(dialog.save_button, LEFT)  # refused again
    said = dialog.ui.error_label.text()
    assert "已载入对方的修改（负责人电话）" in said and "您改过的“地址”" in said
    assert dialog.ui.address_edit.text() == "城南路2号"
    assert dialog.ui.head_phone_edit.text() == "13912345678"

    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, LEFT)
    stored = Unit.get_by_id(unit.id)
    assert (stored.address, stored.head_phone, stored.head_post) == (
        "城南路2号", "13912345678", "所长")


def test_a_refused_check_box_and_date_follow_theirs(qtbot, ctx) -> None:
    unit = _own_unit(ctx)
    dialog = _open(qtbot, UnitDialog(ctx, unit_id=unit.id))
    since = ctx.today().replace(day=1)
    _other_officer_changes_unit(ctx, unit.id, online=True, online_since=since)
    dialog.ui.note_edit.setText("我的备注")
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert dialog.ui.online_check.isChecked()
    assert dialog.ui.online_since_edit.isEnabled()  # the dialog's own rules followed the box
    assert dialog.ui.online_since_edit.date().toPython() == since
    assert "维权在线" in dialog.ui.error_label.text()
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, LEFT)
    stored = Unit.get_by_id(unit.id)
    assert (stored.online, stored.online_since, stored.note) == (True, since, "我的备注")


def test_consultation_merges_the_reply_they_entered(qtbot, ctx, type_chinese) -> None:
    unit = _own_unit(ctx)
    blank = RecordConsultationDialog(ctx, unit_id=unit.id)
    qtbot.addWidget(blank)
    blank.ui.content_edit.setPlainText("反映学校门口有人兜售香烟")
    with ctx.acting("登记"):
        record = records_consult.save(today=ctx.today(), **blank.values())
    dialog = _open(qtbot, RecordConsultationDialog(ctx, record.uuid))
    _retype(type_chinese, dialog.ui.handler_edit, "张三")
    theirs = {**blank.values(), "replied_on": ctx.today(), "result": "已电话答复",
              "satisfaction": records_consult.SATISFACTION[0]}
    with acting_as(OTHER, "修改咨询投诉"):
        records_consult.save(today=ctx.today(), uuid=record.uuid, **theirs)

    qtbot.mouseClick(ok_button(dialog.ui.button_box), LEFT)

    said = dialog.ui.error_label.text()
    assert "已载入对方的修改（已答复、处理结果、满意度）" in said
    assert dialog.ui.result_edit.toPlainText() == "已电话答复" and dialog.ui.result_edit.isEnabled()
    assert dialog.ui.handler_edit.text() == "张三"
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(ok_button(dialog.ui.button_box), LEFT)
    stored = Consultation.get(Consultation.uuid == record.uuid)
    assert (stored.result, stored.replied_on, stored.handler) == ("已电话答复", ctx.today(), "张三")


def test_member_and_supervisor_dialogs_merge_too(qtbot, ctx, type_chinese) -> None:
    with ctx.acting("领导小组"):
        member = people.add_member(people.MemberFields(
            role=LeadingRole.MEMBER.value, name="顾建", post="海安市公安局团委副书记"))
        supervisor = people.add_supervisor(people.SupervisorFields(
            name="陈红", category=SupervisorCategory.NPC.value), today=ctx.today())
    member_dialog = _open(qtbot, MemberDialog(ctx, member_id=member.id))
    supervisor_dialog = _open(qtbot, SupervisorDialog(ctx, supervisor_id=supervisor.id))
    _retype(type_chinese, member_dialog.ui.employer_edit, "海安市公安局")
    _retype(type_chinese, supervisor_dialog.ui.note_edit, "我的备注")
    with acting_as(OTHER, "修改"):
        people.update_member(member.id, people.MemberFields(
            role=LeadingRole.MEMBER.value, name="顾建", post="海安市公安局政治处主任"))
        people.update_supervisor(supervisor.id, people.SupervisorFields(
            name="陈红", category=SupervisorCategory.NPC.value, phone="13912345678",
            note="对方的备注"), today=ctx.today())

    qtbot.mouseClick(member_dialog.save_button, LEFT)
    qtbot.mouseClick(supervisor_dialog.save_button, LEFT)

    assert "已载入对方的修改（单位及职务）" in member_dialog.ui.error_label.text()
    said = supervisor_dialog.ui.error_label.text()
    assert "已载入对方的修改（联系电话）" in said and "您改过的“备注”" in said
    with qtbot.waitSignal(member_dialog.saved):
        qtbot.mouseClick(member_dialog.save_button, LEFT)
    with qtbot.waitSignal(supervisor_dialog.saved):
        qtbot.mouseClick(supervisor_dialog.save_button, LEFT)
    m = LeadingGroupMember.get_by_id(member.id)
    assert (m.post, m.employer) == ("海安市公安局政治处主任", "海安市公安局")
    s = Supervisor.get_by_id(supervisor.id)
    assert (s.phone, s.note) == ("13912345678", "我的备注")
