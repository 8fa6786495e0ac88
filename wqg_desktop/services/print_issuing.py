"""Issuing certificates and the print log.

Part of :mod:`wqg_desktop.services.printing`: a certificate number belongs to one title and is
issued once; every later final print of it is logged as a reprint (补印), drafts as drafts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wqg_desktop.db.dialect import MAX_PARAMS
from wqg_desktop.db.models import PrintLog, Title, current_actor, now
from wqg_desktop.errors import RuleViolation
from wqg_desktop.services.office import this_office


def check_numbers(titles: Sequence[Title]) -> None:
    """A certificate number belongs to one title: refuse duplicates before anything prints."""
    seen: dict[str, Title] = {}
    for title in titles:
        number = title.certificate_no
        if not number:
            continue
        clash = seen.get(number) or (
            Title.select().where(Title.certificate_no == number, Title.id != title.id).first())
        if clash is not None:
            raise RuleViolation(
                f"证书编号“{number}”同时属于“{clash.unit_name}”和“{title.unit_name}”：一个编号只能"
                "发给一个单位。请先在称号管理中更正其中一个的证书编号。")
        logged = (PrintLog.select().where(PrintLog.certificate_no == number, PrintLog.final == True,  # noqa: E712
                                          PrintLog.title_uuid != title.uuid).first())
        if logged is not None:
            raise RuleViolation(
                f"证书编号“{number}”已于 {logged.at:%Y-%m-%d} 发给“{logged.unit_name}”，不能再发给"
                f"“{title.unit_name}”。请更正证书编号。")
        seen[number] = title


def number_missing(titles: Sequence[Title]) -> None:
    """Give unnumbered titles of this office a number now (issuing needs one)."""
    office = this_office()
    for title in titles:
        if title.certificate_no:
            continue
        if office is None or title.owner_office_id != office.id:
            raise RuleViolation(
                f"“{title.unit_name}”的称号没有证书编号，且不是本办公室命名的，不能由本办公室编号。")
        from wqg_desktop.services.titles import next_certificate_no

        title.certificate_no = next_certificate_no((title.named_on or dt.date.today()).year)
        title.save()


def was_issued(certificate_no: str) -> bool:
    return bool(certificate_no) and PrintLog.select().where(
        PrintLog.certificate_no == certificate_no, PrintLog.final == True).exists()  # noqa: E712


def issued_numbers(numbers: Iterable[str]) -> set[str]:
    """Those of ``numbers`` already issued (a final print of them is logged): one query per
    :data:`~wqg_desktop.db.dialect.MAX_PARAMS` numbers."""
    wanted = sorted({n for n in numbers if n})
    found: set[str] = set()
    for start in range(0, len(wanted), MAX_PARAMS):
        query = (PrintLog.select(PrintLog.certificate_no).distinct()
                 .where(PrintLog.final == True,  # noqa: E712
                        PrintLog.certificate_no.in_(wanted[start:start + MAX_PARAMS])))
        found.update(row.certificate_no for row in query)
    return found


@dataclass(frozen=True)
class IssuePlan:
    """What a final print of some certificates would log: how many, and how many 补印."""

    certificates: int
    reprints: int

    @property
    def first_issues(self) -> int:
        return self.certificates - self.reprints


def issue_plan(titles: Sequence[Title]) -> IssuePlan:
    """The rows a final print of ``titles`` would log, decided as :func:`write_log` does
    (an unnumbered title gets a new number, so it is a first issue). Reads only."""
    issued = issued_numbers(t.certificate_no for t in titles)
    return IssuePlan(len(titles), sum(1 for t in titles if t.certificate_no in issued))


def write_log(kind: str, *, final: bool, target: str, copies: int, layout: str,
         document_title: str, titles: Sequence[Title] = ()) -> list[PrintLog]:
    at, actor = now(), current_actor()
    # Decided before the first row is written: check_numbers lets a number appear only once
    # in a batch, so the rows written here cannot change the answer for the next title.
    issued = issued_numbers(t.certificate_no for t in titles) if final else set()
    rows = []
    if not titles:
        rows.append(PrintLog.create(at=at, actor=actor, kind=kind, document_title=document_title,
                                    copies=copies, final=final, target=target, layout=layout))
    for title in titles:
        reprint = final and title.certificate_no in issued
        rows.append(PrintLog.create(
            at=at, actor=actor, kind=kind, title_uuid=title.uuid,
            certificate_no=title.certificate_no, unit_name=title.unit_name or title.unit.name,
            document_title=document_title, copies=copies, reprint=reprint, final=final,
            target=target, layout=layout))
    return rows


def print_log(*, limit: int = 500, kind: str = "", final_only: bool = False) -> list[PrintLog]:
    """The newest print log rows first."""
    query = PrintLog.select()
    if kind:
        query = query.where(PrintLog.kind == kind)
    if final_only:
        query = query.where(PrintLog.final == True)  # noqa: E712
    return list(query.order_by(PrintLog.at.desc(), PrintLog.id.desc()).limit(limit))
