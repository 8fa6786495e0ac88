"""Minors' identities in the ledger: masked by default, shown only by a logged choice.

Consultations, complaints and co-building help can name a minor (name, ID number, school,
address). The law (未成年人保护法, 个人信息保护法) and the seed forbid disclosing them, so every
list, print and export shows the masked form — 张某某, no ID number, no address, 某学校 — unless
the officer calls :func:`disclose` with a written reason. That call logs one
:class:`MinorDataDisclosure` row and one audit row per record and returns a
:class:`Disclosure` which the list, print and export functions take; without it they cannot
show anything unmasked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from wqg_desktop.db.models import (
    AuditLog,
    MinorDataDisclosure,
    SyncedModel,
    audit,
    current_actor,
    database,
    now,
)
from wqg_desktop.domain.chinese import mask_id_number, mask_person_name
from wqg_desktop.domain.masking import (  # noqa: F401 - re-exported
    ADDRESS_MASK,
    ID_MASK,
    SCHOOL_MASK,
    mask_free_text,
)
from wqg_desktop.errors import InputRefused

#: Where the identities are shown; the log keeps it with the reason.
PURPOSES = ("屏幕显示", "打印台账", "导出 Excel")

#: Shortest reason accepted: "查看" alone says nothing about why.
MIN_REASON_CHARS = 4


#: Free-text fields that may repeat the minor's identity, per model: an officer types
#: "王小虎（13岁）在网吧被殴打" into the content as readily as into the name box.
FREE_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "Consultation": ("content", "result"),
    "CoBuildingHelp": ("description",),
}


@dataclass(frozen=True)
class Disclosure:
    """Proof that showing these records unmasked was chosen and logged."""

    uuids: frozenset[str] = field(default_factory=frozenset)
    purpose: str = ""
    reason: str = ""

    def covers(self, record_uuid: str) -> bool:
        return record_uuid in self.uuids


@dataclass(frozen=True)
class MinorView:
    """A minor's identity as a list, print or export may show it."""

    name: str
    id_no: str
    school: str
    address: str
    masked: bool

    @property
    def summary(self) -> str:
        """One cell for lists: 李某某（某学校）; empty when nothing was entered."""
        parts = [p for p in (self.name, self.id_no) if p]
        extra = "，".join(p for p in (self.school, self.address) if p)
        return " ".join(parts) + (f"（{extra}）" if extra else "")


def mask(name: str = "", id_no: str = "", school: str = "", address: str = "") -> MinorView:
    """The masked identity: surname + 某, no ID number, 某学校, no address."""
    return MinorView(
        name=mask_person_name(name),
        id_no=mask_id_number(id_no),
        school=SCHOOL_MASK if (school or "").strip() else "",
        address="",
        masked=True,
    )


def free_text(record: SyncedModel, field_name: str, disclosure: Disclosure | None = None) -> str:
    """A free-text field of ``record`` as lists, prints and exports show it: the minor the
    record names is masked in it unless ``disclosure`` covers the record."""
    text = getattr(record, field_name, "") or ""
    if disclosure is not None and disclosure.covers(record.uuid):
        return text
    return mask_free_text(
        text, name=getattr(record, "minor_name", "") or "",
        id_no=getattr(record, "minor_id_no", "") or "",
        school=getattr(record, "minor_school", "") or "",
        address=getattr(record, "minor_address", "") or "")


def minor_view(record: SyncedModel, disclosure: Disclosure | None) -> MinorView:
    """The identity of the minor of ``record``, masked unless ``disclosure`` covers it."""
    name = getattr(record, "minor_name", "") or ""
    id_no = getattr(record, "minor_id_no", "") or ""
    school = getattr(record, "minor_school", "") or ""
    address = getattr(record, "minor_address", "") or ""
    if disclosure is not None and disclosure.covers(record.uuid):
        return MinorView(name, id_no, school, address, masked=False)
    return mask(name, id_no, school, address)


def has_minor_data(record: SyncedModel) -> bool:
    return any((getattr(record, f, "") or "").strip()
               for f in ("minor_name", "minor_id_no", "minor_school", "minor_address"))


def disclose(records: Iterable[SyncedModel], *, reason: str, purpose: str = "屏幕显示",
             actor: str | None = None) -> Disclosure:
    """Log the deliberate choice to show these records' minors unmasked; return the proof.

    Only records that hold a minor's data are logged and covered. Refused without a reason.
    One transaction: every row is logged, or none is and nothing is shown.
    """
    why = " ".join((reason or "").split())
    if len(why) < MIN_REASON_CHARS:
        raise InputRefused(
            f"显示未成年人身份信息必须写明理由（至少 {MIN_REASON_CHARS} 个字），例如"
            "“协助法院调查核对当事人身份”。"
        )
    if purpose not in PURPOSES:
        raise InputRefused(f"用途只能是：{'、'.join(PURPOSES)}。")
    who = actor or current_actor()
    chosen = [r for r in records if has_minor_data(r)]
    with database.atomic():
        for record in chosen:
            MinorDataDisclosure.create(at=now(), actor=who, entity=type(record).__name__,
                                       entity_uuid=record.uuid, purpose=purpose, reason=why)
            audit("显示未成年人信息", record, {"用途": purpose}, reason=why)
    return Disclosure(frozenset(r.uuid for r in chosen), purpose, why)


def disclosure_log(entity_uuid: str | None = None) -> list[MinorDataDisclosure]:
    """The logged choices, newest first (all of them, or those of one record)."""
    query = MinorDataDisclosure.select().order_by(MinorDataDisclosure.at.desc(),
                                                  MinorDataDisclosure.id.desc())
    if entity_uuid:
        query = query.where(MinorDataDisclosure.entity_uuid == entity_uuid)
    return list(query)


def audited_disclosures(entity_uuid: str) -> int:
    """How many audit rows record a disclosure of this record (for checks and reports)."""
    return (AuditLog.select()
            .where(AuditLog.entity_id == entity_uuid, AuditLog.action == "显示未成年人信息")
            .count())
