"""Frozen standards: the reason given, new versions and which one is in force; item order;
the inspection follow-up's dates; opening an attachment only when its file is intact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.unit.test_assess_services import JPEG, full_scores, setup  # noqa: F401 - fixture
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.services import attachments, inspections, standards

D = dt.date


def _inspect(ctx, unit, campaign, on=None, **extra):
    on = on or D(2026, 5, 6)
    _s, items = inspections.checklist(campaign, unit)
    with ctx.acting("测试"):
        return inspections.save_inspection(unit=unit, campaign=campaign, on=on, inspectors=["周一鸣"],
                                           scores=full_scores(items), **extra).inspection


def test_frozen_reason_and_new_version_in_force(setup) -> None:  # noqa: F811
    ctx, units, campaign = setup
    with ctx.acting("测试"):
        standard = standards.ensure_campaign_standards(campaign)[0]
    zhian = standards.standard_for(campaign, units[0].police_type_id)
    assert standards.frozen_reason(zhian) is None
    with ctx.acting("测试"), pytest.raises(RuleViolation, match="可以直接修改"):
        standards.new_version(standard=zhian)
    old = _inspect(ctx, units[0], campaign)
    reason = standards.frozen_reason(zhian)
    assert reason and "已被 1 次检查记录逐项评分使用" in reason and "复制为新版本" in reason
    with ctx.acting("测试"):
        version = standards.new_version(standard=zhian)
        with pytest.raises(RuleViolation, match="已有新版本"):
            standards.new_version(standard=zhian)
        first = standards.get_item(standards.items_of(version)[0].id)
        standards.update_item(item=first, weight=20)
    assert version.name.endswith("（第2版）")
    assert standards.standard_for(campaign, units[0].police_type_id).id == version.id
    assert standards.superseded_by(zhian).id == version.id
    assert "现在使用其新版本" in standards.frozen_reason(zhian)
    assert standards.frozen_reason(standard) is None  # the basic standard is untouched
    # a new inspection scores on the new version; correcting the old one keeps the old items
    new = _inspect(ctx, units[0], campaign, on=D(2026, 6, 8))
    assert inspections.scored_standard(new).id == version.id
    _s, old_items = inspections.checklist(campaign, units[0], inspection=old)
    with ctx.acting("测试"):
        inspections.save_inspection(unit=units[0], campaign=campaign, on=old.on,
                                    inspectors=["周一鸣"], scores=full_scores(old_items, 0.5),
                                    inspection=old)
    assert inspections.scored_standard(old).id == zhian.id
    assert inspections.get_inspection(old.id).score == 50.0


def test_items_move_within_a_standard(setup) -> None:  # noqa: F811
    ctx, _units, campaign = setup
    with ctx.acting("测试"):
        standard = standards.ensure_campaign_standards(campaign)[0]
        before = [i.id for i in standards.items_of(standard)]
        standards.move_item(item=standards.get_item(before[2]), step=-1)
        standards.move_item(item=standards.get_item(before[0]), step=-1)  # already first: no-op
    after = [i.id for i in standards.items_of(standard)]
    assert after == [before[0], before[2], before[1], *before[3:]]
    with pytest.raises(InputRefused, match="分值应大于 0"):
        standards.check_item("内容", 0)


def test_followup_dates(setup) -> None:  # noqa: F811
    ctx, units, campaign = setup
    insp = _inspect(ctx, units[0], campaign, rectification="补全台账",
                    rectification_deadline=D(2026, 6, 6))
    with ctx.acting("测试"):
        with pytest.raises(InputRefused, match="晚于今天"):
            inspections.record_followup(inspection=insp, on=D(2026, 11, 27), followup="已整改",
                                        passed=True, today=D(2026, 11, 26))
        with pytest.raises(InputRefused, match="不能早于检查日期"):
            inspections.record_followup(inspection=insp, on=D(2026, 5, 1), followup="已整改",
                                        passed=True, today=D(2026, 11, 26))
        inspections.record_followup(inspection=insp, on=D(2026, 6, 1), followup="已整改",
                                    passed=False, today=D(2026, 11, 26))
    got = inspections.get_inspection(insp.id)
    assert (got.followup_on, got.followup_passed) == (D(2026, 6, 1), False)


def test_viewing_copy_has_the_name_and_refuses_a_changed_file(setup, tmp_path: Path) -> None:  # noqa: F811
    ctx, *_ = setup
    photo = tmp_path / "现场照片.jpg"
    content = JPEG + str(tmp_path).encode()  # its own: the store is shared within a session
    photo.write_bytes(content)
    with ctx.acting("测试"):
        att = attachments.add_attachment(entity="Inspection", entity_uuid="u-1", source=photo)
    copy = attachments.viewing_copy(att)
    assert copy.name == "现场照片.jpg" and copy.read_bytes() == content
    attachments.storage_path(att.sha256).write_bytes(content + b"x")
    with pytest.raises(RuleViolation, match="校验值不符"):
        attachments.viewing_copy(att)
    attachments.storage_path(att.sha256).unlink()
    assert not attachments.is_present(att)
    with pytest.raises(RuleViolation, match="已不在数据文件夹"):
        attachments.viewing_copy(att)
    with ctx.acting("测试"):
        attachments.remove_attachment(attachment_id=att.id)
    assert not copy.exists()  # the readable copy goes with the attachment
