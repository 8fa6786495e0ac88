"""修改规则参数: the settings service's refusals show in red under the form as the officer types,
and 保存 stays disabled until they are put right."""

from __future__ import annotations

from PySide6.QtCore import Qt

from wqg_desktop.services import settings
from wqg_desktop.ui.dialogs.settings_dialog import SettingsDialog


def _dialog(qtbot, ctx) -> SettingsDialog:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_blank_officer_prefix_and_zero_weights_keep_save_disabled(qtbot, ctx, type_chinese) -> None:
    dialog = _dialog(qtbot, ctx)
    ui, save = dialog.ui, dialog.save_button
    # a new office has no certificate prefix yet: said at once, 保存 disabled
    assert "证书编号前缀" in ui.error_label.text() and not save.isEnabled()
    type_chinese(ui.prefix_edit, "海维权")
    assert ui.error_label.text() == "" and save.isEnabled()
    ui.officer_edit.clear()
    assert "经办民警" in ui.error_label.text() and not save.isEnabled()
    type_chinese(ui.officer_edit, "周明")
    assert save.isEnabled()
    for key in settings.EVIDENCE_WEIGHTS:
        getattr(ui, f"w_{key}_spin").setValue(0)
    assert "至少要有一项大于 0" in ui.error_label.text() and not save.isEnabled()
    # pressing Enter does not get round it
    qtbot.keyClick(ui.officer_edit, Qt.Key.Key_Return)
    assert settings.get("certificate_prefix") == ""
    ui.w_complaints_spin.setValue(10)
    assert save.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=1000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert settings.get("certificate_prefix") == "海维权" and settings.get("officer_name") == "周明"
    weights = settings.get("assessment_weights")
    assert weights["complaints"] == 10 and weights["inspection"] == 0


def test_the_spin_boxes_offer_only_what_the_service_accepts(qtbot, ctx) -> None:
    dialog = _dialog(qtbot, ctx)
    ui = dialog.ui
    assert (ui.w_activity_target_spin.minimum(), ui.w_activity_target_spin.maximum()) == \
        settings.ACTIVITY_TARGET_RANGE
    assert (ui.w_inspection_spin.minimum(), ui.w_inspection_spin.maximum()) == (0, settings.WEIGHT_MAX)
    assert (ui.rereview_spin.minimum(), ui.rereview_spin.maximum()) == \
        settings.EDITABLE_NUMBERS["rereview_years"]
    ui.w_inspection_spin.setValue(-5)
    assert ui.w_inspection_spin.value() == 0


def test_settings_an_older_version_stored_open_and_are_put_right_here(qtbot, ctx, type_chinese) -> None:
    """A database holding values the service now refuses: the dialog opens on them, says
    what is wrong and saves once it is put right."""
    for key, value in {"officer_name": "", "certificate_prefix": "",
                       "assessment_weights": {k: 0 for k in settings.WEIGHT_KEYS},
                       "due_soon_days": 0, "rereview_years": "两年"}.items():
        settings.put(key, value)
    dialog = _dialog(qtbot, ctx)
    ui = dialog.ui
    assert "经办民警" in ui.error_label.text() and not dialog.save_button.isEnabled()
    assert ui.w_inspection_spin.value() == 0 and ui.w_activity_target_spin.value() == 1
    assert ui.due_soon_spin.value() == 1 and ui.rereview_spin.value() == 2  # clamped / default
    type_chinese(ui.officer_edit, "周明")
    type_chinese(ui.prefix_edit, "海维权")
    assert "至少要有一项大于 0" in ui.error_label.text()
    ui.w_inspection_spin.setValue(40)
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert settings.get("assessment_weights")["inspection"] == 40
    assert settings.get("rereview_years") == 2 and settings.get("due_soon_days") == 1
