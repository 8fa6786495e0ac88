"""Office settings with their defaults, stored as JSON in the ``setting`` table."""

from __future__ import annotations

import json
import math
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
#: The names the 修改规则参数 dialog gives the weights (and the refusals use).
WEIGHT_LABELS = {"inspection": "检查得分", "satisfaction": "满意度", "awareness": "知晓度",
                 "activities": "活动", "complaints": "投诉按时答复", "training": "负责人培训",
                 "online": "上线运行", "activity_target": "活动满分所需次数"}
#: The parts a score can rest on (assessment's evidence): with all their weights 0 no unit
#: could ever be scored, and every unit would show “暂无检查、调查或工作记录，无法评分”.
EVIDENCE_WEIGHTS = ("inspection", "satisfaction", "awareness", "activities", "complaints")
#: A weight counts in proportion to the others; beyond this it is a typing slip.
WEIGHT_MAX = 1000
#: 活动满分所需次数: activities in a two-year creation period.
ACTIVITY_TARGET_RANGE = (1, 100)
TEXT_LIMITS = {"officer_name": 50, "certificate_prefix": 20}


def _text(key: str, value: Any) -> str:
    label = DEFAULTS[key][1]
    if value is not None and not isinstance(value, str):
        raise InputRefused(f"“{label}”应为文字。")
    text = (value or "").strip()
    if not text:
        if key == "officer_name":
            raise InputRefused("请填写“经办民警”的姓名：它记入每一条修改的审计记录，并填入咨询投诉的经办人。")
        raise InputRefused("请填写“证书编号前缀”（例如“通维权”）：证书编号为“前缀〔年份〕第001号”。")
    if len(text) > TEXT_LIMITS[key]:
        raise InputRefused(f"“{label}”过长（最多 {TEXT_LIMITS[key]} 个字）。")
    if any(not c.isprintable() for c in text):
        raise InputRefused(f"“{label}”不能含换行、制表符等控制字符。")
    if key == "certificate_prefix" and any(c in text for c in "〔〕"):
        raise InputRefused("“证书编号前缀”不要含“〔”“〕”：年份和括号由程序加上（前缀〔年份〕第001号）。")
    return text


def _is_number(value: Any) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float)
            and math.isfinite(value))


def current_weights() -> dict[str, float]:
    """The stored weights that are usable, defaults for the rest (a database written by an
    older version may hold values this version would refuse: they are read, never trusted)."""
    merged: dict[str, Any] = dict(DEFAULTS["assessment_weights"][0])
    stored = get("assessment_weights")
    if isinstance(stored, dict):
        merged.update({k: v for k, v in stored.items() if k in merged and _is_number(v) and v >= 0})
    return merged


def _weights(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputRefused("考核权重应为“名称: 数值”的表。")
    unknown = set(value) - set(WEIGHT_KEYS)
    if unknown:
        raise InputRefused(f"未知的考核权重：{'、'.join(sorted(map(str, unknown)))}。")
    for name, weight in value.items():
        label = WEIGHT_LABELS[name]
        low, high = ACTIVITY_TARGET_RANGE if name == "activity_target" else (0, WEIGHT_MAX)
        if not _is_number(weight) or not low <= weight <= high:
            if name == "activity_target":
                raise InputRefused(f"“{label}”应为 {low} 到 {high} 之间的数。")
            raise InputRefused(f"考核权重“{label}”应为不小于 0、不大于 {high} 的数。")
    merged = {**current_weights(), **value}
    if not any(merged[k] > 0 for k in EVIDENCE_WEIGHTS):
        names = "、".join(WEIGHT_LABELS[k] for k in EVIDENCE_WEIGHTS)
        raise InputRefused(f"绩效考核权重中，{names}至少要有一项大于 0；全为 0 时任何单位都无法评分。")
    return merged


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Check settings the officer edited and return them cleaned, or raise a Chinese refusal
    naming the setting. Reads, never writes: the dialog runs it as the officer types.

    Numbers must be whole and within their range; the differential convention one of the two
    readings; the officer's name and the certificate prefix filled in, one line, not too long;
    assessment weights numbers from 0 to :data:`WEIGHT_MAX` (the activity target from 1 to 100),
    at least one of the weights a score rests on above 0.
    """
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
        elif key in TEXT_LIMITS:
            clean[key] = _text(key, value)
        elif key == "assessment_weights":
            clean[key] = _weights(value)
        else:
            raise InputRefused(f"设置“{key}”不能在这里修改。")
    return clean


def update(values: dict[str, Any]) -> dict[str, Any]:
    """Check (:func:`validate`) and store the settings the officer edited, all or none; return
    what changed. Only a 管理员 may change them. Weights not given keep their stored values.

    Only what is being changed is checked: a database whose stored settings an older version
    let through still opens, and the officer puts them right here.
    """
    require(Permission.CHANGE_SETTINGS)
    clean = validate(values)
    changed = {k: v for k, v in clean.items() if get(k) != v}
    with database.atomic():
        for key, value in changed.items():
            put(key, value)
    return changed
