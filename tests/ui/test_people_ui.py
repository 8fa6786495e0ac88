"""Leading group and supervisor panels driven like a person."""

from __future__ import annotations

from PySide6.QtCore import Qt

from wqg_desktop.db.models import LeadingGroupMember, Supervisor
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.people_member import MemberDialog
from wqg_desktop.ui.dialogs.people_supervisor import SupervisorDialog
from wqg_desktop.ui.pages.people_leading import LeadingGroupPanel
from wqg_desktop.ui.pages.people_supervisors import SupervisorsPanel


def _open_dialog(panel, button, cls, qtbot):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in panel.findChildren(cls) if w.isVisible())
    return dialog


def test_add_members_with_concurrent_role(ctx, qtbot, type_chinese) -> None:
    panel = LeadingGroupPanel(ctx, Bus())
    qtbot.addWidget(panel)
    panel.show()
    dialog = _open_dialog(panel, panel.ui.add_button, MemberDialog, qtbot)
    dialog.ui.role_combo.setCurrentIndex(dialog.ui.role_combo.findText("成员"))
    type_chinese(dialog.ui.name_edit, "顾建")
    assert not dialog.save_button.isEnabled() and "请填写职务" in dialog.ui.error_label.text()
    type_chinese(dialog.ui.post_edit, "海安市公安局团委副书记")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 1
    dialog = _open_dialog(panel, panel.ui.add_button, MemberDialog, qtbot)
    dialog.ui.role_combo.setCurrentIndex(dialog.ui.role_combo.findText("办公室主任"))
    type_chinese(dialog.ui.name_edit, "顾建")
    type_chinese(dialog.ui.post_edit, "海安市公安局团委副书记")
    assert "兼任的职务请勾选“兼”" in dialog.ui.error_label.text()
    qtbot.keyClick(dialog.ui.concurrent_check, Qt.Key.Key_Space)
    assert dialog.save_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    rows = [(m.role, m.concurrent) for m in LeadingGroupMember.select().order_by(LeadingGroupMember.id)]
    assert rows == [("member", False), ("office_director", True)]
    assert panel.model.index(1, 2).data() == "兼"


def test_delete_needs_confirmation_and_respects_concurrent(demo_ctx, qtbot, monkeypatch) -> None:
    panel = LeadingGroupPanel(demo_ctx, Bus())
    qtbot.addWidget(panel)
    before = LeadingGroupMember.select().count()
    member_row = next(i for i in range(panel.model.rowCount())
                      if panel.model.row_at(i).role == "member"
                      and any(m.concurrent and m.name == panel.model.row_at(i).name
                              for m in LeadingGroupMember.select()))
    panel.ui.members_table.selectRow(member_row)
    warnings: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(messages, "warn", lambda _p, text, *a: warnings.append(text))
    qtbot.mouseClick(panel.ui.delete_button, Qt.MouseButton.LeftButton)
    assert "兼任" in warnings[0] and LeadingGroupMember.select().count() == before


def test_print_leading_group(demo_ctx, qtbot, tmp_path, monkeypatch) -> None:
    panel = LeadingGroupPanel(demo_ctx, Bus())
    qtbot.addWidget(panel)
    target = tmp_path / "名单.pdf"
    monkeypatch.setattr(messages, "save_file", lambda *a: target)
    monkeypatch.setattr(messages, "info", lambda *a: None)
    qtbot.mouseClick(panel.ui.print_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF")


def test_supervisors_warning_and_add(ctx, qtbot, type_chinese) -> None:
    panel = SupervisorsPanel(ctx, Bus())
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.ui.warning_label.isVisible()
    dialog = _open_dialog(panel, panel.ui.add_button, SupervisorDialog, qtbot)
    type_chinese(dialog.ui.name_edit, "钱美华")
    qtbot.keyClicks(dialog.ui.phone_edit, "88880000")
    assert "缺少区号" in dialog.ui.error_label.text() and not dialog.save_button.isEnabled()
    dialog.ui.phone_edit.clear()
    qtbot.keyClicks(dialog.ui.phone_edit, "13900000004")
    qtbot.keyClicks(dialog.ui.appointed_edit, "2023-03-01")
    qtbot.keyClicks(dialog.ui.term_edit, "2026-02-28")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert Supervisor.get().phone == "13900000004"
    assert "钱美华" in panel.ui.warning_label.text() and panel.ui.warning_label.isVisible()
