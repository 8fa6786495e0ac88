"""创建标准: the shipped default checklists, a campaign's own copy, and editing it until frozen.

The defaults live in ``resources/standards/default.json`` (a basic standard for every unit and
one per core police type, taken from section 二.5 (1)–(6) and 二.6 of the notice), so an office
can read and change them without touching code. A campaign works on its own copy; once an
inspection has scored against a standard, changing it would silently change every earlier
score, so it is frozen and edits are refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from peewee import fn

from wqg_desktop import paths
from wqg_desktop.db.models import (
    Campaign,
    InspectionScore,
    PoliceType,
    Standard,
    StandardItem,
    database,
)
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.services.office import this_office

#: The highest weight one item may carry (a whole standard is usually 100).
MAX_WEIGHT = 100.0


def default_standards() -> dict[str, Any]:
    """The shipped defaults as read from ``resources/standards/default.json``."""
    source = paths.resources_dir() / "standards" / "default.json"
    return json.loads(source.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ItemRow:
    id: int
    group_no: str
    text: str
    weight: float
    scoring_rule: str
    sort_order: int


def items_of(standard: Standard | int) -> list[ItemRow]:
    """The items of a standard in checklist order."""
    sid = standard.id if isinstance(standard, Standard) else standard
    rows = (StandardItem.select(StandardItem.id, StandardItem.group_no, StandardItem.text,
                                StandardItem.weight, StandardItem.scoring_rule,
                                StandardItem.sort_order)
            .where(StandardItem.standard == sid)
            .order_by(StandardItem.sort_order, StandardItem.id))
    return [ItemRow(r.id, r.group_no, r.text, r.weight, r.scoring_rule, r.sort_order) for r in rows]


def campaign_standards(campaign: Campaign | int) -> list[Standard]:
    """The standards a campaign works with: the basic one first, then by police type."""
    cid = campaign.id if isinstance(campaign, Campaign) else campaign
    rows = list(Standard.select().where(Standard.campaign == cid).order_by(Standard.id))
    rows.sort(key=lambda s: (s.police_type_id is not None, s.id))
    return rows


def standard_for(campaign: Campaign | int, police_type: PoliceType | int | None) -> Standard | None:
    """The campaign's standard for a police type, else its basic standard, else ``None``.

    When a frozen standard was copied as a new version, the newest version is the one in force.
    """
    ptid = police_type.id if isinstance(police_type, PoliceType) else police_type
    basic = own = None
    for standard in campaign_standards(campaign):  # oldest first: later ones overwrite
        if ptid is not None and standard.police_type_id == ptid:
            own = standard
        if standard.police_type_id is None:
            basic = standard
    return own or basic


def superseded_by(standard: Standard) -> Standard | None:
    """The newer version of the same campaign standard (same police type), if there is one."""
    if standard.campaign_id is None:
        return None
    query = Standard.select().where(Standard.campaign == standard.campaign_id,
                                    Standard.id > standard.id)
    query = query.where(Standard.police_type.is_null() if standard.police_type_id is None
                        else Standard.police_type == standard.police_type_id)
    return query.order_by(Standard.id.desc()).first()


def _add_items(standard: Standard, items: list[dict[str, Any]], owner: Any) -> None:
    for order, item in enumerate(items):
        StandardItem.create(owner_office=owner, standard=standard,
                            group_no=item.get("group_no", ""), text=item["text"],
                            weight=float(item["weight"]),
                            scoring_rule=item.get("scoring_rule", ""), sort_order=order)


def seed_campaign_standards(*, campaign: Campaign) -> list[Standard]:
    """Give a campaign its own copy of the shipped basic and per-police-type standards.

    Refused when the campaign already has standards (edit those instead), or when the
    campaign belongs to another office.
    """
    owner = _own(campaign, "创建活动")
    if campaign_standards(campaign):
        raise RuleViolation("该创建活动已经有创建标准，请直接修改；如需恢复默认，请先删除现有标准。")
    data = default_standards()
    types = {p.name: p for p in PoliceType.select()}
    with database.atomic():
        created = [Standard.create(owner_office=owner, name=data["basic"]["name"],
                                   campaign=campaign)]
        _add_items(created[0], data["basic"]["items"], owner)
        for type_name, spec in data.get("by_police_type", {}).items():
            ptype = types.get(type_name)
            if ptype is None:  # a type this office does not keep: nothing to attach it to
                continue
            standard = Standard.create(owner_office=owner, name=spec["name"],
                                       police_type=ptype, campaign=campaign)
            _add_items(standard, spec["items"], owner)
            created.append(standard)
    return created


def ensure_campaign_standards(campaign: Campaign) -> list[Standard]:
    """The campaign's standards, seeded from the defaults the first time they are needed."""
    existing = campaign_standards(campaign)
    if existing or campaign.owner_office_id != _this_office_id():
        return existing
    return seed_campaign_standards(campaign=campaign)


def copy_standard(*, standard: Standard, campaign: Campaign | None = None,
                  name: str | None = None) -> Standard:
    """Copy a standard with its items (e.g. a frozen one, to adjust it for a new campaign)."""
    owner = this_office()
    if owner is None:
        raise RuleViolation("请先完成本办公室设置。")
    if campaign is not None:
        _own(campaign, "创建活动")
    with database.atomic():
        copy = Standard.create(owner_office=owner, name=(name or standard.name).strip(),
                               police_type=standard.police_type_id, campaign=campaign)
        _add_items(copy, [vars(i) for i in items_of(standard)], owner)
    return copy


# -- editing ---------------------------------------------------------------------------------


def is_frozen(standard: Standard) -> bool:
    """Frozen: marked so, or any inspection has scored against one of its items."""
    if standard.frozen:
        return True
    used = (InspectionScore.select(InspectionScore.id)
            .join(StandardItem, on=(InspectionScore.item == StandardItem.id))
            .where(StandardItem.standard == standard.id).limit(1))
    return used.exists()


def frozen_reason(standard: Standard) -> str | None:
    """Why the standard can no longer be edited (in Chinese), or ``None`` while it can."""
    office = this_office()
    if office is not None and standard.owner_office_id not in (None, office.id):
        return "该创建标准属于其他办公室，本办公室只能查看，不能修改。"
    newer = superseded_by(standard)
    used = (InspectionScore.select(fn.COUNT(fn.DISTINCT(InspectionScore.inspection)))
            .join(StandardItem, on=(InspectionScore.item == StandardItem.id))
            .where(StandardItem.standard == standard.id).scalar()) or 0
    if used:
        why = (f"已被 {used} 次检查记录逐项评分使用，已经冻结：不能再修改条目、分值或评分细则"
               "（否则已有检查的得分会随之改变）。")
    elif standard.frozen:
        why = "曾被检查记录使用，已经冻结，不能再修改。"
    elif newer is not None:
        why = ""
    else:
        return None
    if newer is not None:
        return why + f"本活动现在使用其新版本“{newer.name}”。"
    return why + "如需调整，请“复制为新版本”，此后的检查按新版本评分。"


def new_version(*, standard: Standard) -> Standard:
    """Copy a frozen campaign standard as its new version, which later inspections use.

    Earlier inspections keep their scores against the frozen version. Refused for a standard
    that can still be edited (change it directly) or that already has a newer version.
    """
    _own(standard, "创建标准")
    if standard.campaign_id is None:
        raise RuleViolation("只有创建活动的标准可以复制为新版本。")
    newer = superseded_by(standard)
    if newer is not None:
        raise RuleViolation(f"该标准已有新版本“{newer.name}”，请修改新版本。")
    if not is_frozen(standard):
        raise RuleViolation("该标准尚未被检查记录使用，可以直接修改，无需复制新版本。")
    versions = (Standard.select().where(Standard.campaign == standard.campaign_id,
                                        Standard.police_type == standard.police_type_id
                                        if standard.police_type_id is not None
                                        else Standard.police_type.is_null()).count())
    base = re.sub(r"（第\d+版）$", "", standard.name)
    return copy_standard(standard=standard, campaign=standard.campaign,
                         name=f"{base}（第{versions + 1}版）")


def check_item(text: str, weight: Any) -> tuple[str, float]:
    """An item's text and weight as they would be stored, or a Chinese refusal (used while
    the officer types, and by every service that stores an item)."""
    return _check_text(text), _check_weight(weight)


def move_item(*, item: StandardItem, step: int) -> None:
    """Move an item up (``step`` −1) or down (+1) in the checklist of a standard not frozen."""
    standard = item.standard
    _editable(standard)
    order = [StandardItem.get_by_id(i.id) for i in items_of(standard)]
    pos = next(k for k, i in enumerate(order) if i.id == item.id)
    if not 0 <= pos + step < len(order):
        return
    order.insert(pos + step, order.pop(pos))
    with database.atomic():
        for number, row in enumerate(order):
            if row.sort_order != number:
                row.sort_order = number
                row.save()


def _this_office_id() -> int | None:
    office = this_office()
    return office.id if office else None


def _own(record: Any, what: str) -> Any:
    office = this_office()
    if office is None:
        raise RuleViolation("请先完成本办公室设置。")
    if record.owner_office_id not in (None, office.id):
        raise RuleViolation(f"该{what}属于其他办公室，本办公室只能查看，不能修改。")
    return office


def _editable(standard: Standard) -> None:
    _own(standard, "创建标准")
    if is_frozen(standard):
        raise RuleViolation(
            f"“{standard.name}”已被检查记录使用，已经冻结，不能再修改条目或分值"
            "（否则已有检查的得分会随之改变）。如需调整，请复制一份新标准再修改。")


def _check_weight(weight: Any) -> float:
    try:
        value = float(weight)
    except (TypeError, ValueError):
        raise InputRefused(f"分值“{weight}”不是数字，请填写 0 到 {MAX_WEIGHT:g} 之间的数。") from None
    if not 0 < value <= MAX_WEIGHT:
        raise InputRefused(f"分值应大于 0、不超过 {MAX_WEIGHT:g}，现为 {value:g}。")
    return value


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InputRefused("请填写标准条目的内容。")
    return text


def get_item(item_id: int) -> StandardItem:
    item = StandardItem.get_or_none(StandardItem.id == item_id)
    if item is None:
        raise NotFound("找不到该标准条目，可能已被删除。")
    return item


def add_item(*, standard: Standard, text: str, weight: float, group_no: str = "",
             scoring_rule: str = "") -> StandardItem:
    """Append an item to a standard that is not frozen."""
    _editable(standard)
    text, value = _check_text(text), _check_weight(weight)
    last = max((i.sort_order for i in items_of(standard)), default=-1)
    with database.atomic():
        return StandardItem.create(owner_office=standard.owner_office_id, standard=standard,
                                   group_no=group_no.strip(), text=text, weight=value,
                                   scoring_rule=scoring_rule.strip(), sort_order=last + 1)


def update_item(*, item: StandardItem, text: str | None = None, weight: float | None = None,
                scoring_rule: str | None = None, group_no: str | None = None) -> StandardItem:
    """Change an item's text, weight, scoring rule or group of a standard not frozen."""
    _editable(item.standard)
    if text is not None:
        item.text = _check_text(text)
    if weight is not None:
        item.weight = _check_weight(weight)
    if scoring_rule is not None:
        item.scoring_rule = scoring_rule.strip()
    if group_no is not None:
        item.group_no = group_no.strip()
    with database.atomic():
        item.save()
    return item


def set_weights(*, standard: Standard, weights: dict[int, float]) -> None:
    """Set several items' weights at once (one transaction)."""
    _editable(standard)
    own = {i.id for i in items_of(standard)}
    strange = set(weights) - own
    if strange:
        raise InputRefused("要修改的条目不属于该标准，请刷新后重试。")
    checked = {k: _check_weight(v) for k, v in weights.items()}
    with database.atomic():
        for item in StandardItem.select().where(StandardItem.id.in_(list(checked))):
            item.weight = checked[item.id]
            item.save()


def remove_item(*, item: StandardItem) -> None:
    """Delete an item of a standard not frozen; a standard keeps at least one item."""
    standard = item.standard
    _editable(standard)
    if len(items_of(standard)) <= 1:
        raise RuleViolation("创建标准至少要保留一个条目。")
    with database.atomic():
        item.delete_instance()


def freeze(standard: Standard) -> None:
    """Mark a standard frozen (done by the inspection service when it first scores on it)."""
    if not standard.frozen:
        standard.frozen = True
        standard.save()


def total_weight(standard: Standard | int) -> float:
    return sum(i.weight for i in items_of(standard))
