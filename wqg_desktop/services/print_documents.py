"""The documents other than certificates: gather plain data, hand it to the document module.

Part of :mod:`wqg_desktop.services.printing`: plaques, the naming decision and the 公示 (with
their attachment lists), commitment boards, contact cards, application forms and statistics.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wqg_desktop.db.models import (
    Campaign,
    CampaignNamingBody,
    Candidate,
    Region,
    ServiceCommitment,
    Title,
    Unit,
)
from wqg_desktop.domain.chinese import Term, format_date
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CandidateStatus, TitleKind, TitleStatus
from wqg_desktop.errors import InputRefused, NotFound
from wqg_desktop.printing.naming_notice import AttachmentList
from wqg_desktop.services.naming_region import naming_bodies, naming_region
from wqg_desktop.services.office import this_office
from wqg_desktop.services.print_selection import (
    Selection,
    certificate_titles,
    find_campaign,
    find_units,
    latest_campaign,
)

_PUBLIC_STATUSES = (CandidateStatus.PUBLICIZING, CandidateStatus.OBJECTION,
                    CandidateStatus.PASSED)


def _campaign_for(selection: Selection, *statuses: str) -> Campaign:
    if selection.campaign:
        return find_campaign(selection.campaign)
    query = (Campaign.select().join(Candidate)
             .where(Campaign.owner_office == this_office(), Candidate.status.in_(statuses))
             .order_by(Campaign.term_start.desc(), Campaign.id.desc()))
    campaign = query.first()
    if campaign is None:
        wanted = "、".join(CandidateStatus(s).label for s in statuses)
        raise NotFound(f"本办公室没有处于“{wanted}”的创建单位，无法自动选定创建活动：请把“范围”改为"
                       "“一个创建活动”并选定活动（命令行用 --campaign 指定）。")
    return campaign


def _campaign_region(campaign: Campaign) -> str:
    if Level(campaign.level) == Level.NATIONAL:
        return "全国"
    bodies = [cnb.naming_body for cnb in campaign.naming_bodies.order_by(CampaignNamingBody.sort_order)]
    for body in bodies:
        if body.region_name:
            return body.region_name
    return campaign.owner_office.region_name if campaign.owner_office else ""


def _campaign_bodies(campaign: Campaign) -> tuple[str, ...]:
    rows = campaign.naming_bodies.order_by(CampaignNamingBody.sort_order)
    names = tuple(r.naming_body.name for r in rows)
    return names or ((campaign.owner_office.name,) if campaign.owner_office else ())


def _leading_group_attachment(region_name: str) -> AttachmentList | None:
    """附件1, the leading group list, in the wording of the leading-group document module.

    ``None`` (the attachment is left out) when that module or the people service is not
    installed, or when the office has not entered its leading group.
    """
    import importlib.util

    for module in ("wqg_desktop.printing.leading_group", "wqg_desktop.services.people"):
        if importlib.util.find_spec(module) is None:
            return None
    from wqg_desktop.printing import leading_group
    from wqg_desktop.services.people import list_members

    members = list_members()
    if not members:
        return None
    lines, previous = [], None
    for member in members:
        label = leading_group.LABELS.get(member.role, "")
        shown = label if member.role != previous else "　" * len(label)
        previous = member.role
        name = member.name if len(member.name) != 2 else f"{member.name[0]}　{member.name[1]}"
        lines.append(f"{shown}{name}{'(兼)' if member.concurrent else ''}　{member.post}")
    return AttachmentList(leading_group.title_lines(region_name), (), text_lines=tuple(lines))


def _units_for(selection: Selection, kind: str) -> list[Unit]:
    if not selection.empty and not selection.campaign:
        return find_units(selection.units)
    if selection.campaign:
        campaign = find_campaign(selection.campaign)
        return [c.unit for c in campaign.candidates.order_by(Candidate.id)]
    # Default: boards for every unit that has a commitment; cards for every titled post.
    if kind == "commitment-board":
        having = ServiceCommitment.select(ServiceCommitment.unit)
    else:
        having = Title.select(Title.unit).where(Title.status == TitleStatus.VALID)
    return list(Unit.select().join(Region).where(Unit.id.in_(having))
                .order_by(Region.sort_order, Unit.name))


def render_other(kind: str, out: Path, selection: Selection, today: dt.date,
                  document_no: str) -> int:
    from wqg_desktop.printing import (
        application_form,
        commitment_board,
        contact_card,
        plaque,
        statistics,
    )
    from wqg_desktop.printing.docx_export import write_docx
    from wqg_desktop.printing.naming_notice import naming_document, render_document
    from wqg_desktop.printing.publicity_notice import publicity_document

    if kind in ("plaque", "plaque-proof"):
        items = [plaque.PlaqueData(
            area_line=f"{Term(t.term_start).label}{naming_region(t)}",
            naming_bodies=naming_bodies(t), year=(t.named_on or today).year,
            month=(t.named_on or today).month, units=(t.unit_name or t.unit.name,),
            demonstration=t.kind == TitleKind.DEMONSTRATION)
            for t in certificate_titles(selection)]
        render = plaque.render_plaques if kind == "plaque" else plaque.render_proof
        return render(out, items)
    if kind in ("naming-notice", "publicity-notice"):
        addressees = "各县(市)区公安(分)局，市局机关各处室、支队："
        if kind == "naming-notice":
            campaign = _campaign_for(selection, CandidateStatus.NAMED)
            named = list(campaign.candidates.where(Candidate.status == CandidateStatus.NAMED)
                         .order_by(Candidate.id))
            doc = naming_document(
                issuers=_campaign_bodies(campaign), document_no=document_no or campaign.document_no,
                term=Term(campaign.term_start), region=_campaign_region(campaign),
                level_label=_level_scope(campaign), posts=[_name_of(c) for c in named],
                demonstrations=[_name_of(c) for c in named if c.demonstration],
                signed_on=campaign.naming_date or today, addressees=addressees,
                leading_group=_leading_group_attachment(_campaign_region(campaign)))
        else:
            campaign = _campaign_for(selection, *_PUBLIC_STATUSES)
            units = list(campaign.candidates.where(Candidate.status.in_(_PUBLIC_STATUSES))
                         .order_by(Candidate.id))
            start = campaign.publicity_start or today
            # The campaign's number is that of its launching notice: a 公示 gets its own
            # number only when the officer gives one.
            doc = publicity_document(
                issuers=_campaign_bodies(campaign), document_no=document_no,
                term=Term(campaign.term_start), region=_campaign_region(campaign),
                level_label=_level_scope(campaign), units=[_name_of(c) for c in units],
                start=start, end=campaign.publicity_end or start,
                contact="监督电话 12355", leading_group=_leading_group_attachment(_campaign_region(campaign)))
        if out.suffix.lower() == ".docx":
            write_docx(out, doc)
            return 0
        return render_document(out, doc)
    units = _units_for(selection, kind)
    if kind == "commitment-board":
        boards = []
        for unit in units:
            c = (unit.commitments.order_by(ServiceCommitment.published_on.desc(nulls="LAST"))
                 .first())
            if c is not None:
                boards.append(commitment_board.BoardData(
                    unit.name, c.text, c.rights_content, c.hotline or unit.rights_hotline,
                    c.address or unit.address, c.responsible_person or unit.head_name,
                    format_date(c.published_on) if c.published_on else ""))
        return commitment_board.render_boards(out, boards)
    if kind == "contact-card":
        return contact_card.render_cards(out, [contact_card.CardData(
            u.name, u.rights_hotline, u.address, u.head_name, u.head_phone) for u in units])
    if kind == "application-form":
        return application_form.render_forms(out, _applications(selection, units))
    if kind == "statistics":
        return statistics.render_statistics(out, _statistics(today))
    raise InputRefused(f"未知的文档种类“{kind}”。")


def _name_of(candidate: Candidate) -> str:
    titles = [t for t in candidate.titles if t.unit_name]
    return titles[0].unit_name if titles else candidate.unit.name


def _level_scope(campaign: Campaign) -> str:
    """附件 headings as the seed writes them: 全市公安系统, 全省公安系统, 海安市公安系统."""
    level = Level(campaign.level)
    if level == Level.NATIONAL:
        return "全国公安系统"
    region = _campaign_region(campaign)
    return {Level.CITY: "全市", Level.PROVINCE: "全省"}.get(level, region) + "公安系统"


def _applications(selection: Selection, units: list[Unit]) -> list:  # type: ignore[type-arg]
    from wqg_desktop.printing.application_form import ApplicationData

    campaign = find_campaign(selection.campaign) if selection.campaign else None
    if campaign is None and selection.empty:
        campaign = latest_campaign()
        if campaign is not None:
            units = [c.unit for c in campaign.candidates.order_by(Candidate.id)]
    if campaign is not None:
        form_title = (f"{Term(campaign.term_start).label}{_campaign_region(campaign)}"
                      f"“青少年维权岗”创建单位申报表")
    else:
        form_title = "“青少年维权岗”创建单位申报表"
    items = []
    for unit in units:
        held = [f"{Term(t.term_start).label}{naming_region(t)}“青少年维权岗”"
                for t in unit.titles.where(Title.status == TitleStatus.VALID)
                .order_by(Title.level, Title.term_start)]
        commitment = (unit.commitments.order_by(ServiceCommitment.published_on.desc(nulls="LAST"))
                      .first())
        status = ""
        if campaign is not None:
            cand = Candidate.get_or_none(Candidate.campaign == campaign, Candidate.unit == unit)
            status = CandidateStatus(cand.status).label if cand else ""
        items.append(ApplicationData(
            form_title=form_title, unit_name=unit.name, region=unit.region.name,
            bureau=unit.bureau.name if unit.bureau_id else "", police_type=unit.police_type.name,
            unit_kind=unit.unit_kind, head_name=unit.head_name, head_post=unit.head_post,
            head_phone=unit.head_phone, hotline=unit.rights_hotline, address=unit.address,
            online=(f"已上线（{format_date(unit.online_since)}起）" if unit.online and unit.online_since
                    else "已上线" if unit.online else "未上线"),
            volunteers=unit.volunteer_team, titles_held="；".join(held),
            commitment=commitment.text if commitment else "", status=status))
    return items


def _statistics(today: dt.date):  # type: ignore[no-untyped-def]
    from peewee import fn

    from wqg_desktop.printing.statistics import CoverageLine, StatisticsData
    from wqg_desktop.services.coverage import coverage

    cov = coverage()

    def line(r) -> CoverageLine:  # type: ignore[no-untyped-def]
        return CoverageLine(r.group, r.units, r.in_campaign, r.titled, r.covered, r.rate)

    by_level = (Title.select(Title.level, fn.COUNT(Title.id).alias("n"))
                .where(Title.status == TitleStatus.VALID).group_by(Title.level)
                .order_by(Title.level).tuples())
    office = this_office()
    return StatisticsData(
        office=office.name if office else "", as_of=today,
        by_region=[line(r) for r in cov.by_region],
        by_police_type=[line(r) for r in cov.by_police_type], total=line(cov.total),
        titles_by_level=[(Level(lvl).label, n) for lvl, n in by_level])
