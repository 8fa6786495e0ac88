"""Telling an officer whose save was refused what someone else changed meanwhile.

On a shared server two officers may edit the same record. The second save is refused
(:class:`~wqg_desktop.db.models.base.StaleRecord`); its message names who changed the record,
when, and which fields to which values, read from the audit trail (which keeps minors'
identities masked).
"""

from __future__ import annotations

import json

from peewee import Model

#: Column names as officers know them; anything else is shown as it is named.
FIELD_LABELS = {
    "name": "名称", "region": "所属县(市、区)", "bureau": "所属公安局", "police_type": "警种",
    "unit_kind": "单位类别", "head_name": "负责人", "head_post": "职务", "head_phone": "联系电话",
    "rights_hotline": "维权电话", "address": "地址", "online": "是否上线", "online_since": "上线时间",
    "note": "备注", "status": "状态", "code": "编码", "title": "标题", "kind": "类别",
    "start_on": "开始日期", "end_on": "结束日期", "on": "日期", "place": "地点",
    "description": "内容", "summary": "摘要", "result": "结果", "score": "得分",
    "phone": "电话", "post": "职务", "since": "起始日期", "until": "截止日期",
    "stage": "阶段", "reason": "原因", "minor_name": "未成年人姓名", "minor_school": "学校",
    "people_reached": "受众人数", "volunteers": "志愿者人数", "deadline": "期限",
}

#: audit rows shown at most (a record changed many times meanwhile: the latest ones)
_SHOWN = 5


def _value(value: object) -> str:
    if value in (None, ""):
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def describe_stale(record: Model, since_version: int) -> str:
    """The Chinese refusal for saving ``record`` loaded at ``since_version``."""
    from wqg_desktop.db.models.base import AuditLog

    model = type(record)
    current = (model.select(model.row_version).where(model.id == record.id).scalar())
    what = getattr(record, "name", "") or getattr(record, "title", "") or ""
    subject = f"这条记录（{what}）" if what else "这条记录"
    if current is None:
        return f"保存未生效：{subject}已被其他人删除。请关闭窗口后刷新列表。"
    newer = max(1, int(current) - int(since_version))
    rows = list(AuditLog.select().where(AuditLog.entity == model.__name__,
                                        AuditLog.entity_id == str(record.uuid))
                .order_by(AuditLog.id.desc()).limit(min(newer, _SHOWN)))
    lines = []
    for row in reversed(rows):
        try:
            changes = json.loads(row.changes or "{}")
        except ValueError:
            changes = {}
        parts = [f"{FIELD_LABELS.get(k, k)}：{_value(v[0])} → {_value(v[1])}"
                 for k, v in changes.items() if isinstance(v, list) and len(v) == 2]
        when = row.at.strftime("%m-%d %H:%M") if row.at else ""
        lines.append(f"{row.actor}（{when}）{row.action}" + ("：" + "；".join(parts) if parts else ""))
    detail = "\n".join(lines) if lines else "（审计记录中没有细节）"
    return (f"保存未生效：{subject}在您打开之后已被其他人修改。您的改动没有覆盖对方的改动。\n"
            f"对方的改动：\n{detail}")  # the form then says what it did with both sides


def stamp_of(entity: str | type[Model], uuid: str | None):  # type: ignore[no-untyped-def]
    """The version stamp of the record ``uuid`` of ``entity`` (a model or its name) as it is
    now, for a form that is about to show it; ``None`` for a new record or an unknown one."""
    from wqg_desktop.db.models import ALL_MODELS

    if not uuid:
        return None
    model = entity if isinstance(entity, type) else next(
        (m for m in ALL_MODELS if m.__name__ == entity), None)
    if model is None or "row_version" not in model._meta.fields:
        return None
    version = model.select(model.row_version).where(model.uuid == uuid).scalar()
    return None if version is None else (model.__name__, uuid, int(version))
