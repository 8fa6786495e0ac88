"""The last two tabs of 日常工作台账 (联系点与联系卡, 取证清单) and the list of all tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wqg_desktop.db.models import ContactCardBatch, ContactPoint
from wqg_desktop.services import records_contacts, records_evidence
from wqg_desktop.ui.dialogs.record_fields import Field
from wqg_desktop.ui.pages.records_kinds import (
    ActivityKindTab,
    CoBuildKind,
    ConsultKind,
    Filters,
    Kind,
    OnlineKind,
    ProjectKind,
    ReferralKindTab,
    TrainingKind,
    VolunteerKind,
    _units,
)

if TYPE_CHECKING:
    from wqg_desktop.ui.pages.records_panel import RecordsListPanel


class ContactKind(Kind):
    title, entity, columns = "联系点与联系卡", "ContactPoint", records_contacts.CONTACT_COLUMNS
    extra_label = "登记联系卡发放(&C)…"

    def rows(self, f: Filters) -> list[Any]:
        return records_contacts.contact_rows(unit_id=f.unit_id, period=f.period)

    def note(self, f: Filters, rows: list[Any]) -> str:
        cards = sum(r.count or 0 for r in rows)
        points = sum(1 for r in rows if r.kind == "联系点")
        return f"联系点 {points} 个；本期间发放联系卡 {cards} 张。"

    def describe(self, row: Any) -> str:
        return f"{row.kind}记录“{row.name}”"

    def new(self, panel: RecordsListPanel) -> None:
        self._point(panel, None)

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        if row.kind == "联系点":
            self._point(panel, ContactPoint.get(ContactPoint.uuid == row.uuid))
        else:
            self._cards(panel, ContactCardBatch.get(ContactCardBatch.uuid == row.uuid))

    def extra(self, panel: RecordsListPanel, row: Any) -> None:
        self._cards(panel, None)

    def _point(self, panel: RecordsListPanel, p: ContactPoint | None) -> None:
        fields = [
            _units(p.unit_id if p else panel.page.filters().unit_id),
            Field("name", "联系点名称(&N)：", initial=p.name if p else "", max_length=100),
            Field("place_kind", "类别(&K)：", "combo", [(k, k) for k in records_contacts.POINT_KINDS],
                  p.place_kind if p else None, extra={"blank": ""}),
            Field("address", "地址(&A)：", initial=p.address if p else ""),
            Field("established_on", "设立日期(&D)：", "optional_date",
                  initial=p.established_on if p else None),
        ]
        self.fields_dialog(panel, "修改联系点" if p else "登记联系点", fields,
                           records_contacts.check_point, records_contacts.save_point,
                           p.uuid if p else None)

    def _cards(self, panel: RecordsListPanel, c: ContactCardBatch | None) -> None:
        fields = [
            _units(c.unit_id if c else panel.page.filters().unit_id),
            Field("issued_on", "发放日期(&D)：", "date", initial=c.issued_on if c else None),
            Field("count", "发放张数(&C)：", "int", initial=c.count if c else 0),
            Field("where", "发放场合(&W)：", initial=c.where if c else "", max_length=150),
        ]
        self.fields_dialog(panel, "修改联系卡发放" if c else "登记联系卡发放", fields,
                           records_contacts.check_cards, records_contacts.save_cards,
                           c.uuid if c else None)

    def delete(self, row: Any) -> None:
        if row.kind == "联系点":
            records_contacts.delete_point(row.uuid)
        else:
            records_contacts.delete_cards(row.uuid)


class EvidenceKind(Kind):
    title, entity, columns = "取证清单", "Campaign", records_evidence.COLUMNS
    can_new = can_edit = can_delete = False
    combo_label = "创建活动(&G)："

    def combo_choices(self, f: Filters) -> list[tuple[Any, str]]:
        # the open campaigns (the unit's, once one is chosen), newest first: the first is the
        # default, so the list is ready as soon as a unit is picked
        return records_evidence.campaign_choices(f.unit_id or None)

    def rows(self, f: Filters) -> list[Any]:
        if not f.unit_id or not f.combo:
            return []
        return records_evidence.checklist(today=f.today, unit_id=f.unit_id, campaign_id=f.combo)

    def note(self, f: Filters, rows: list[Any]) -> str:
        if not f.unit_id:
            return "请在上方选择一个单位：取证清单按单位和创建活动列出。"
        if not f.combo:
            return "该单位没有参加进行中的创建活动。"
        todo = [r for r in rows if r.status != records_evidence.OK]
        head = f"共 {len(rows)} 项，尚需补充或核对 {len(todo)} 项（缺少的以红色显示）。"
        return " ".join(t for t in (head, records_evidence.next_inspection_note(f.combo)) if t)

    def highlight(self, row: Any) -> bool:
        return row.missing


def build_kinds(today: Callable[[], Any]) -> list[Kind]:
    """The tabs of the page, in the order of the notice's sections 三 and 四."""
    return [cls(today) for cls in (ConsultKind, ActivityKindTab, VolunteerKind, TrainingKind,
                                   OnlineKind, CoBuildKind, ProjectKind, ReferralKindTab,
                                   ContactKind, EvidenceKind)]


#: Tab captions (the kinds' titles, with the activity tab named as the issue lists it).
TAB_TITLES = {"活动": "活动（专项整治/专题维权/志愿者/行动月/行动日/联合治理）"}


def tab_title(kind: Kind) -> str:
    return TAB_TITLES.get(kind.title, kind.title)


