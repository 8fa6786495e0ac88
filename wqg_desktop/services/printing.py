"""Printing as an officer does it: choose documents, render them, and log what was issued.

Choosing: by units (their titles), by a campaign (its named units), or by default every
certificate of this office's latest naming. Issuing: only a print to a printer or an explicit
定稿 (final) PDF issues a certificate; each certificate number is issued once and every later
final print of it is logged as a reprint (补印). Previews and command-line output without
``--final`` are drafts: logged as drafts, marked on the page, never counted.

Field positions for pre-printed paper and printer calibrations are stored here too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wqg_desktop.db.models import (
    Campaign,
    CampaignNamingBody,
    Candidate,
    PrinterCalibration,
    PrintLayout,
    PrintLog,
    Region,
    ServiceCommitment,
    Title,
    Unit,
    current_actor,
    database,
    now,
)
from wqg_desktop.domain.chinese import Term, format_date
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import CandidateStatus, TitleKind, TitleStatus
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.printing import certificate as cert_doc
from wqg_desktop.printing.naming_notice import AttachmentList
from wqg_desktop.services import lookup
from wqg_desktop.services.naming_region import (  # noqa: F401 - region_of_naming_body: public here too
    naming_bodies,
    naming_region,
    region_of_naming_body,
)
from wqg_desktop.services.office import this_office

#: Document kinds, in the order menus and ``wqg print --help`` list them.
KINDS: dict[str, str] = {
    "certificate": "命名证书（含示范单位证书）",
    "alignment": "套打对位测试页",
    "plaque": "牌匾样稿（实际尺寸，交制作单位）",
    "plaque-proof": "牌匾校样（A4，标注尺寸）",
    "naming-notice": "命名决定（含附件名单）",
    "publicity-notice": "公示（含附件名单）",
    "commitment-board": "服务承诺公示牌",
    "contact-card": "联系卡（名片大小，每张A4十张，带裁切线）",
    "application-form": "申报表",
    "statistics": "覆盖率与称号统计（含图表）",
}
CERTIFICATE_KINDS = ("certificate",)


@dataclass
class Selection:
    """What to print: a campaign, or units by UUID prefix; neither = the kind's default."""

    campaign: str = ""
    units: Sequence[str] = ()

    @property
    def empty(self) -> bool:
        return not self.campaign and not any(u.strip() for u in self.units)


@dataclass
class PrintOutcome:
    """What a print produced: the file, its pages, and the log rows it wrote."""

    path: Path
    pages: int
    final: bool
    logged: list[PrintLog] = field(default_factory=list)

    @property
    def reprints(self) -> int:
        return sum(1 for row in self.logged if row.reprint)


# ---------------------------------------------------------------------------------------------
# Choosing
# ---------------------------------------------------------------------------------------------


def find_campaign(prefix: str) -> Campaign:
    return lookup.by_uuid_prefix(Campaign, prefix, what="创建活动")


def find_units(prefixes: Sequence[str]) -> list[Unit]:
    return [lookup.by_uuid_prefix(Unit, p, what="单位") for p in prefixes if p.strip()]


def latest_campaign(*stages: str) -> Campaign | None:
    """This office's most recent campaign (in one of ``stages`` when given)."""
    query = Campaign.select().where(Campaign.owner_office == this_office())
    if stages:
        query = query.where(Campaign.stage.in_(stages))
    return query.order_by(Campaign.term_start.desc(), Campaign.level.desc(),
                          Campaign.id.desc()).first()


def certificate_titles(selection: Selection) -> list[Title]:
    """The titles whose certificates to print, in a stable order (level, date, number).

    Units: their valid titles (all of them: a unit may hold several levels). Campaign: the
    titles it granted, or failing those the titles of its named candidates. Default: every
    title of this office's latest naming date.
    """
    valid = (TitleStatus.VALID, TitleStatus.RECTIFYING)
    query = Title.select().where(Title.status.in_(valid))
    if selection.campaign:
        campaign = find_campaign(selection.campaign)
        named = Candidate.select(Candidate.id).where(Candidate.campaign == campaign,
                                                     Candidate.status == CandidateStatus.NAMED)
        query = query.where((Title.campaign == campaign) | (Title.candidate.in_(named)))
        empty = f"创建活动“{campaign.name}”还没有命名的单位，没有可打印的证书。"
    elif not selection.empty:
        units = find_units(selection.units)
        query = query.where(Title.unit.in_([u.id for u in units]))
        empty = "所选单位没有有效称号，没有可打印的证书。"
    else:
        office = this_office()
        mine = Title.select(Title.named_on).where(Title.owner_office == office,
                                                  Title.named_on.is_null(False))
        latest = mine.order_by(Title.named_on.desc()).first()
        if latest is None:
            raise NotFound("本办公室还没有命名过任何单位：请指定创建活动（--campaign）或单位（--units）。")
        query = query.where(Title.owner_office == office, Title.named_on == latest.named_on)
        empty = "最近一次命名没有有效称号。"
    titles = list(query.order_by(Title.level, Title.named_on, Title.certificate_no, Title.id))
    if not titles:
        raise NotFound(empty)
    return titles


# ---------------------------------------------------------------------------------------------
# What a certificate says
# ---------------------------------------------------------------------------------------------


def certificate_data(title: Title) -> cert_doc.CertificateData:
    return cert_doc.CertificateData(
        unit_name=title.unit_name or title.unit.name,
        term=Term(title.term_start),
        region=naming_region(title),
        naming_bodies=naming_bodies(title),
        issued_on=title.named_on or dt.date.today(),
        certificate_no=title.certificate_no,
        demonstration=title.kind == TitleKind.DEMONSTRATION,
        title_uuid=title.uuid,
    )


# ---------------------------------------------------------------------------------------------
# Layouts and calibrations
# ---------------------------------------------------------------------------------------------

DEFAULT_LAYOUT = "证书套打"


def load_fields(paper: str = "A4", name: str = DEFAULT_LAYOUT) -> dict[str, cert_doc.FieldSpec]:
    row = PrintLayout.get_or_none(PrintLayout.name == name)
    if row is None or row.paper != paper:
        return cert_doc.default_fields(paper, True)
    return cert_doc.fields_from_json(json.loads(row.fields or "{}"), paper, True)


def layout_background(name: str = DEFAULT_LAYOUT) -> str:
    row = PrintLayout.get_or_none(PrintLayout.name == name)
    return row.background if row else ""


def save_layout(*, fields: dict[str, cert_doc.FieldSpec], paper: str = "A4",
                background: str = "", name: str = DEFAULT_LAYOUT) -> PrintLayout:
    """Store the field positions of the pre-printed paper (checked against the paper first)."""
    cert_doc.check_fields(fields, paper, True)
    if background and not Path(background).is_file():
        raise InputRefused(f"找不到底图文件：{background}")
    data = json.dumps({k: v.as_dict() for k, v in fields.items()}, ensure_ascii=False)
    with database.atomic():
        row = PrintLayout.get_or_none(PrintLayout.name == name) or PrintLayout(name=name)
        row.paper, row.landscape, row.fields, row.background = paper, True, data, background
        row.save()
    return row


def calibration_for(printer: str) -> cert_doc.Calibration:
    row = PrinterCalibration.get_or_none(PrinterCalibration.printer == (printer or "").strip())
    if row is None:
        return cert_doc.Calibration()
    return cert_doc.Calibration(row.dx_mm, row.dy_mm, row.scale)


def save_calibration(*, printer: str, dx: float, dy: float, scale: float) -> PrinterCalibration:
    """Store one printer's offsets (mm) and scale; refused when out of range."""
    printer = (printer or "").strip()
    if not printer:
        raise InputRefused("请先选择要校准的打印机。")
    cert_doc.Calibration(dx, dy, scale)  # validates
    with database.atomic():
        row = (PrinterCalibration.get_or_none(PrinterCalibration.printer == printer)
               or PrinterCalibration(printer=printer))
        row.dx_mm, row.dy_mm, row.scale = float(dx), float(dy), float(scale)
        row.save()
    return row


# ---------------------------------------------------------------------------------------------
# Issuing and the print log
# ---------------------------------------------------------------------------------------------


def _check_numbers(titles: Sequence[Title]) -> None:
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


def _number_missing(titles: Sequence[Title]) -> None:
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


def _log(kind: str, *, final: bool, target: str, copies: int, layout: str,
         document_title: str, titles: Sequence[Title] = ()) -> list[PrintLog]:
    at, actor = now(), current_actor()
    rows = []
    if not titles:
        rows.append(PrintLog.create(at=at, actor=actor, kind=kind, document_title=document_title,
                                    copies=copies, final=final, target=target, layout=layout))
    for title in titles:
        reprint = final and was_issued(title.certificate_no)
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


# ---------------------------------------------------------------------------------------------
# Producing documents
# ---------------------------------------------------------------------------------------------


def produce(kind: str, *, out: Path | str, selection: Selection | None = None,
            final: bool = False, layout: str = "full", paper: str = "A4", printer: str = "",
            copies: int = 1, title_text: str = "荣誉证书", preview_background: bool = False,
            today: dt.date | None = None, document_no: str = "",
            log: bool = True) -> PrintOutcome:
    """Render one document kind to a PDF (or .docx for notices) and log it.

    ``log=False`` renders a draft without writing anything (a database opened read-only);
    an issue (``final``) is always logged, so it is refused then.

    ``final``: this is an issue (a print to ``printer`` or a 定稿 PDF): unnumbered titles get
    their number, each certificate is logged as issued or as a reprint, all in one
    transaction with the rendering — a failed render issues nothing. ``document_no``: the
    发文字号 of a naming decision or 公示 (default: the campaign's, for the decision).
    """
    if kind not in KINDS:
        raise InputRefused(f"未知的文档种类“{kind}”。可选：{'、'.join(KINDS)}")
    if copies < 1 or copies > 99:
        raise InputRefused("份数应在 1 到 99 之间。")
    if final and not log:
        raise InputRefused("只读打开，不能修改：只能预览或保存草稿，定稿和打印会登记证书发放。")
    out = Path(out)
    selection = selection or Selection()
    target = printer or str(out)
    with database.atomic():
        if kind in CERTIFICATE_KINDS:
            titles = certificate_titles(selection)
            _check_numbers(titles)
            if final:
                _number_missing(titles)
            items = [certificate_data(t) for t in titles]
            cal = calibration_for(printer) if layout == "overlay" else None
            background = layout_background() if (preview_background and not final) else ""
            report = cert_doc.render_certificates(
                out, items, layout=layout, paper=paper, title_text=title_text,
                fields=load_fields(paper) if layout == "overlay" else None, calibration=cal,
                background=background if background and Path(background).is_file() else None,
                draft=not final)
            logged = _log(kind, final=final, target=target, copies=copies, layout=layout,
                          document_title=KINDS[kind], titles=titles) if log else []
            return PrintOutcome(path=out, pages=report.pages, final=final, logged=logged)
        if kind == "alignment":
            cert_doc.render_alignment_page(out, paper=paper, fields=load_fields(paper),
                                           calibration=calibration_for(printer))
            pages = 1
        else:
            pages = _render_other(kind, out, selection, today or dt.date.today(), document_no)
        logged = _log(kind, final=final, target=target, copies=copies, layout=layout,
                      document_title=KINDS[kind]) if log else []
        return PrintOutcome(path=out, pages=pages, final=final, logged=logged)


# ---------------------------------------------------------------------------------------------
# The other documents: gather plain data, hand it to the document module
# ---------------------------------------------------------------------------------------------

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
        raise NotFound(f"本办公室没有处于“{wanted}”的创建单位：请用 --campaign 指定创建活动。")
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


def _render_other(kind: str, out: Path, selection: Selection, today: dt.date,
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
