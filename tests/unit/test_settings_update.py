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
    # the officer's name and the certificate prefix are required, one line each
    ({"officer_name": ""}, "请填写“经办民警”"),
    ({"officer_name": "   "}, "请填写“经办民警”"),
    ({"officer_name": None}, "请填写“经办民警”"),
    ({"officer_name": 7}, "“经办民警姓名”应为文字"),
    ({"officer_name": "张\n三"}, "“经办民警姓名”不能含换行"),
    ({"officer_name": "张" * 51}, "“经办民警姓名”过长"),
    ({"certificate_prefix": ""}, "请填写“证书编号前缀”"),
    ({"certificate_prefix": " \t"}, "请填写“证书编号前缀”"),
    ({"certificate_prefix": "通维权〔"}, "“证书编号前缀”不要含“〔”"),
    # weights: numbers, not absurd, and something a score can rest on
    ({"assessment_weights": {"inspection": 0, "satisfaction": 0, "awareness": 0, "activities": 0,
                             "complaints": 0}}, "至少要有一项大于 0"),
    ({"assessment_weights": {k: 0 for k in settings.WEIGHT_KEYS if k != "activity_target"}},
     "至少要有一项大于 0"),
    ({"assessment_weights": {"inspection": 1001}}, "“检查得分”应为不小于 0、不大于 1000"),
    ({"assessment_weights": {"online": float("nan")}}, "“上线运行”"),
    ({"assessment_weights": {"training": float("inf")}}, "“负责人培训”"),
    ({"assessment_weights": {"awareness": "10"}}, "“知晓度”"),
    ({"assessment_weights": {"activity_target": 0}}, "“活动满分所需次数”应为 1 到 100"),
    ({"assessment_weights": {"activity_target": 1000}}, "“活动满分所需次数”应为 1 到 100"),
    ({"assessment_weights": [["inspection", 5]]}, "考核权重应为"),
    ({"rereview_years": -2}, "“复核周期（年）”应为 1 到 10"),
    ({"survey_min_sample": 100000}, "1 到 1000"),
    ({"due_soon_days": True}, "整数"),
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


def test_a_blank_prefix_would_have_numbered_certificates_without_one(ctx) -> None:
    """Why the prefix is required: without it the number is “〔2026〕第001号”."""
    settings.update({"certificate_prefix": " 海维权 ", "officer_name": " 周明 "})
    assert settings.get("certificate_prefix") == "海维权" and settings.get("officer_name") == "周明"


def test_weights_not_given_keep_their_stored_values(ctx) -> None:
    settings.update({"assessment_weights": {"satisfaction": 7}})
    settings.update({"assessment_weights": {"inspection": 50}})
    weights = settings.get("assessment_weights")
    assert (weights["inspection"], weights["satisfaction"]) == (50, 7)
    # the stored evidence weights count: inspection may go to 0 while satisfaction is 7
    settings.update({"assessment_weights": {"inspection": 0}})
    with pytest.raises(InputRefused, match="至少要有一项大于 0"):
        settings.update({"assessment_weights": {"satisfaction": 0, "awareness": 0, "activities": 0,
                                                "complaints": 0}})
    assert settings.get("assessment_weights")["satisfaction"] == 7


def test_the_evidence_weights_are_the_ones_the_assessment_needs() -> None:
    from wqg_desktop.services import assessment

    assert settings.EVIDENCE_WEIGHTS == assessment._EVIDENCE
    assert set(settings.WEIGHT_LABELS) == set(settings.WEIGHT_KEYS)


@pytest.mark.sqlite_only  # reopens the file
def test_stored_settings_an_older_version_let_through_still_open(ctx) -> None:
    """Validation applies to updates: a database holding such values opens and reads, and
    the officer can still change another setting."""
    from wqg_desktop.app import AppContext
    from wqg_desktop.services import assessment

    bad = {"officer_name": "", "certificate_prefix": "",
           "assessment_weights": {k: 0 for k in settings.WEIGHT_KEYS}, "due_soon_days": 0}
    for key, value in bad.items():
        settings.put(key, value)
    path = ctx.db_path
    ctx.close()
    with AppContext.open(path) as again:
        assert settings.all_settings()["assessment_weights"]["inspection"] == 0
        assert assessment.weights()["inspection"] == 0.0
        with again.acting("按上级口径"):
            assert settings.update({"differential_convention": "fail20"}) == {
                "differential_convention": "fail20"}
        with pytest.raises(InputRefused, match="经办民警"):
            settings.update({"officer_name": ""})
