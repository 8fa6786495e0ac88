"""Office settings with their defaults, stored as JSON in the ``setting`` table."""

from __future__ import annotations

import json
from typing import Any

from wqg_desktop.db.dialect import lock_for_update
from wqg_desktop.db.models import Setting, database
from wqg_desktop.domain.roles import Permission, require
from wqg_desktop.errors import InputRefused

#: Every setting the program knows, with its default and what it means.
DEFAULTS: dict[str, tuple[Any, str]] = {
    "officer_name": ("", "经办民警姓名"),
    "differential_convention": (
        "election",
        "差额比例口径（选举口径：(候选数−达标数)/达标数≥20%；淘汰口径：至少20%不达标）",
    ),
    "publicity_working_days": (7, "公示期（工作日）"),
    "rereview_years": (2, "复核周期（年）"),
    "rectification_months": (12, "整改期（月）"),
    "complaint_reply_working_days": (5, "咨询投诉答复时限（工作日）"),
    "survey_min_sample": (30, "每个单位调查有效样本下限"),
    "due_soon_days": (30, "首页提前提醒天数"),
    "certificate_prefix": ("", "证书编号前缀"),
    "certificate_counter": ({}, "证书编号已用到的序号（按年份，每个编号只发一次）"),
    "calendar_shipped_years": ([], "已载入的随程序附带节假日安排的年份（每年只载入一次）"),
    "assessment_weights": (
        {"inspection": 40, "satisfaction": 20, "awareness": 10, "activities": 10,
         "complaints": 10, "training": 5, "online": 5, "activity_target": 4},
        "绩效考核权重（检查得分、满意度、知晓度、活动、投诉按时答复、负责人培训、上线运行，"
        "以及考核期内活动达到满分所需次数）",
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
    with database.atomic():
        # two officers on a server storing a new key at once: the second waits, then updates
        lock_for_update(database, Setting._meta.table_name)
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


#: Settings the officer edits on the 系统设置 page: key → (minimum, maximum) for numbers.
EDITABLE_NUMBERS: dict[str, tuple[int, int]] = {
    "publicity_working_days": (1, 30),
    "rereview_years": (1, 10),
    "rectification_months": (1, 36),
    "complaint_reply_working_days": (1, 30),
    "survey_min_sample": (1, 1000),
    "due_soon_days": (1, 365),
}
CONVENTIONS = ("election", "fail20")
WEIGHT_KEYS = tuple(DEFAULTS["assessment_weights"][0])


def update(values: dict[str, Any]) -> dict[str, Any]:
    """Check and store the settings the officer edited, all or none; return what changed.

    Numbers must be whole and within their range; the differential convention one of the two
    readings; the certificate prefix short; assessment weights non-negative numbers.
    Only a 管理员 may change them.
    """
    require(Permission.CHANGE_SETTINGS)
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key in EDITABLE_NUMBERS:
            low, high = EDITABLE_NUMBERS[key]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InputRefused(f"“{DEFAULTS[key][1]}”应为 {low} 到 {high} 之间的整数。")
            clean[key] = value
        elif key == "differential_convention":
            if value not in CONVENTIONS:
                raise InputRefused("差额比例口径只能是选举口径（election）或淘汰口径（fail20）。")
            clean[key] = value
        elif key in ("certificate_prefix", "officer_name"):
            text = str(value or "").strip()
            if len(text) > (20 if key == "certificate_prefix" else 50):
                raise InputRefused(f"“{DEFAULTS[key][1]}”过长。")
            clean[key] = text
        elif key == "assessment_weights":
            weights = dict(value or {})
            unknown = set(weights) - set(WEIGHT_KEYS)
            if unknown:
                raise InputRefused(f"未知的考核权重：{'、'.join(sorted(unknown))}。")
            for name, weight in weights.items():
                if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
                    raise InputRefused(f"考核权重“{name}”应为不小于 0 的数。")
            clean[key] = {**DEFAULTS[key][0], **weights}
        else:
            raise InputRefused(f"设置“{key}”不能在这里修改。")
    changed = {k: v for k, v in clean.items() if get(k) != v}
    with database.atomic():
        for key, value in changed.items():
            put(key, value)
    return changed

