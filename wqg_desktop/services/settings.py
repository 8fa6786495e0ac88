"""Office settings with their defaults, stored as JSON in the ``setting`` table."""

from __future__ import annotations

import json
from typing import Any

from wqg_desktop.db.models import Setting

#: Every setting the program knows, with its default and what it means.
DEFAULTS: dict[str, tuple[Any, str]] = {
    "officer_name": ("", "经办民警姓名"),
    "differential_convention": (
        "election",
        "差额比例口径：election＝(候选数−达标数)/达标数≥20%；fail20＝至少20%不达标",
    ),
    "publicity_working_days": (7, "公示期（工作日）"),
    "rereview_years": (2, "复核周期（年）"),
    "rectification_months": (12, "整改期（月）"),
    "complaint_reply_working_days": (5, "咨询投诉答复时限（工作日）"),
    "survey_min_sample": (30, "每个单位调查有效样本下限"),
    "due_soon_days": (30, "首页提前提醒天数"),
    "certificate_prefix": ("", "证书编号前缀"),
    "certificate_counter": ({}, "证书编号已用到的序号（按年份，每个编号只发一次）"),
    "show_minor_data": (False, "是否在屏幕上显示未成年人身份信息（默认遮蔽）"),
    "assessment_weights": (
        {"inspection": 40, "satisfaction": 20, "awareness": 10, "activities": 10,
         "complaints": 10, "training": 5, "online": 5, "activity_target": 4},
        "绩效考核权重：检查得分、满意度、知晓度、活动、投诉按时答复、负责人培训、上线运行；"
        "activity_target＝考核期内活动达到满分所需次数",
    ),
}


def get(key: str) -> Any:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return DEFAULTS[key][0] if key in DEFAULTS else None
    return json.loads(row.value)


def put(key: str, value: Any) -> None:
    """Store a setting (audited like every change)."""
    text = json.dumps(value, ensure_ascii=False)
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        Setting(key=key, value=text).save(force_insert=True)
    elif row.value != text:
        row.value = text
        row.save()


def all_settings() -> dict[str, Any]:
    stored = {r.key: json.loads(r.value) for r in Setting.select()}
    merged = {k: v[0] for k, v in DEFAULTS.items()}
    merged.update(stored)
    return merged
