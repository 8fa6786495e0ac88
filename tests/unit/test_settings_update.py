"""The officer edits the rule parameters: checked, all or nothing, audited."""

from __future__ import annotations

import pytest

from wqg_desktop.db.models import AuditLog
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import settings


def test_update_stores_what_changed(ctx) -> None:
    with ctx.acting("按上级口径"):
        changed = settings.update({"differential_convention": "fail20", "publicity_working_days": 5,
                                   "rereview_years": 2})
    assert changed == {"differential_convention": "fail20", "publicity_working_days": 5}
    assert settings.get("differential_convention") == "fail20"
    assert AuditLog.select().where(AuditLog.entity == "Setting",
                                   AuditLog.reason == "按上级口径").count() == 2


@pytest.mark.parametrize("values, message", [
    ({"publicity_working_days": 0}, "1 到 30"),
    ({"publicity_working_days": 7.5}, "整数"),
    ({"differential_convention": "half"}, "选举口径"),
    ({"certificate_prefix": "前" * 21}, "过长"),
    ({"assessment_weights": {"inspection": -1}}, "不小于 0"),
    ({"assessment_weights": {"luck": 3}}, "未知"),
    ({"certificate_counter": {}}, "不能在这里修改"),
])
def test_bad_values_are_refused_and_nothing_is_saved(ctx, values, message) -> None:
    before = settings.all_settings()
    with pytest.raises(InputRefused, match=message):
        settings.update({"due_soon_days": 10, **values})
    assert settings.all_settings() == before


def test_weights_keep_the_ones_not_given(ctx) -> None:
    settings.update({"assessment_weights": {"inspection": 50}})
    weights = settings.get("assessment_weights")
    assert weights["inspection"] == 50
    assert weights["satisfaction"] == settings.DEFAULTS["assessment_weights"][0]["satisfaction"]
