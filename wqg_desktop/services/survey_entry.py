"""Survey rounds and the fast keyed entry of returned paper questionnaires.

Paper comes first: blank numbered questionnaires are printed, filled in by young people in
the unit's area, and keyed back in. One returned sheet is one short transaction holding a
compact answer string (one digit per question, ``0`` for a blank), so tens of thousands of
sheets stay small.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import fn

from wqg_desktop.db.models import (
    Campaign,
    SurveyRound,
    SurveySheet,
    SurveyTemplate,
    Unit,
    audit,
    current_actor,
    database,
    new_uuid,
    now,
)
from wqg_desktop.domain import date_rules
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.services.survey_templates import (
    PROFILE,
    campaign_template,
    options_of,
    questions_of,
    require_office,
)


def create_round(*, unit: Unit, template: SurveyTemplate | None = None,
                 campaign: Campaign | None = None, started_on: dt.date | None = None,
                 ended_on: dt.date | None = None, sheets_printed: int = 0,
                 rereview: object | None = None, today: dt.date | None = None) -> SurveyRound:
    """Open a survey round for one unit's area (the template defaults to the campaign's).

    Its dates may be planned ahead, up to five years after ``today`` (with ``today`` given),
    and lie in 1998 or later (:func:`date_rules.check_planned`).
    """
    office = require_office()
    for day, what in ((started_on, "调查开始日期"), (ended_on, "调查结束日期")):
        if day is not None:
            date_rules.check_planned(day, what, today=today)
    if template is None:
        if campaign is None:
            raise InputRefused("请选择问卷模板或创建活动。")
        template = campaign_template(campaign)
    if started_on and ended_on and ended_on < started_on:
        raise InputRefused("调查结束日期不能早于开始日期。")
    if sheets_printed < 0:
        raise InputRefused("印制份数不能为负数。")
    with database.atomic():
        return SurveyRound.create(owner_office=office, template=template, unit=unit,
                                  campaign=campaign, rereview=rereview, started_on=started_on,
                                  ended_on=ended_on, sheets_printed=sheets_printed)


def get_round(round_id: int) -> SurveyRound:
    found = SurveyRound.get_or_none(SurveyRound.id == round_id)
    if found is None:
        raise NotFound("找不到该调查批次，可能已被删除。")
    return found


@dataclass
class RoundRow:
    id: int
    unit_id: int
    unit: str
    campaign: str
    started_on: dt.date | None
    printed: int
    entered: int
    second: int


def list_rounds(*, campaign_id: int | None = None, unit_id: int | None = None) -> list[RoundRow]:
    """Rounds with the number of sheets keyed once and twice (two grouped queries)."""
    # Unit.id too: with only Unit.name selected peewee hands back a Unit without its id and
    # overwrites the round's unit_id with that None.
    query = SurveyRound.select(SurveyRound, Unit.id, Unit.name).join(Unit)
    if campaign_id:
        query = query.where(SurveyRound.campaign == campaign_id)
    if unit_id:
        query = query.where(SurveyRound.unit == unit_id)
    rounds = list(query.order_by(Unit.name, SurveyRound.started_on, SurveyRound.id))
    counts: dict[tuple[int, int], int] = {}
    if rounds:
        for rid, entry, n in (SurveySheet.select(SurveySheet.round, SurveySheet.entry, fn.COUNT(1))
                              .where(SurveySheet.round.in_([r.id for r in rounds]))
                              .group_by(SurveySheet.round, SurveySheet.entry).tuples()):
            counts[(rid, entry)] = n
    campaigns = {c.id: c.name for c in Campaign.select(Campaign.id, Campaign.name)}
    return [RoundRow(r.id, r.unit_id, r.unit.name, campaigns.get(r.campaign_id, ""), r.started_on,
                     r.sheets_printed, counts.get((r.id, 1), 0), counts.get((r.id, 2), 0))
            for r in rounds]


# -- fast entry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """What the keyboard needs to know of a questionnaire: option counts in order."""

    kinds: tuple[str, ...]
    option_counts: tuple[int, ...]
    texts: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]


def shape_of(template: SurveyTemplate | int) -> Shape:
    qs = questions_of(template)
    opts = [tuple(options_of(q)) for q in qs]
    return Shape(tuple(q.kind for q in qs), tuple(len(o) for o in opts),
                 tuple(q.text for q in qs), tuple(opts))


def check_answers(shape: Shape, answers: str) -> str:
    """Validate an answer string against a questionnaire; return it or refuse in Chinese."""
    answers = (answers or "").strip()
    if len(answers) != len(shape.option_counts):
        raise InputRefused(f"这份问卷有 {len(shape.option_counts)} 道题，录入了 {len(answers)} 个答案；"
                           "未答的题请按 0。")
    for no, (ch, count) in enumerate(zip(answers, shape.option_counts, strict=True), start=1):
        if not ch.isdigit() or not ch.isascii():
            raise InputRefused(f"第 {no} 题的答案“{ch}”不是数字；请按选项序号，未答按 0。")
        if int(ch) > count:
            raise InputRefused(f"第 {no} 题只有 {count} 个选项，不能填 {ch}；未答按 0。")
    return answers


def _profile_fields(shape: Shape, answers: str) -> tuple[str, str]:
    """Age band and group as text, from the profile questions (年龄 names the age question)."""
    age = group = ""
    for kind, text, opts, ch in zip(shape.kinds, shape.texts, shape.options, answers, strict=True):
        if kind != PROFILE or ch == "0":
            continue
        if "年龄" in text:
            age = opts[int(ch) - 1]
        else:
            group = opts[int(ch) - 1]
    return age[:20], group[:40]


def save_sheet(*, round_id: int, serial_no: int, answers: str, entry: int = 1,
               shape: Shape | None = None) -> int:
    """Save one returned questionnaire in one short transaction; return the sheet id.

    ``answers`` has one digit per question (``0`` blank). Refuses digits beyond a question's
    options and a serial number already keyed in this round. ``entry=2`` is the second keying
    of a double-entry check and needs the first. ``shape`` may be passed by a caller keying
    many sheets of the same round, to skip re-reading the questionnaire.
    """
    office = require_office()
    rnd = (SurveyRound.select(SurveyRound.id, SurveyRound.template, SurveyRound.owner_office)
           .where(SurveyRound.id == round_id).first())
    if rnd is None:
        raise NotFound("找不到该调查批次，可能已被删除。")
    if rnd.owner_office_id not in (None, office.id):
        raise RuleViolation("该调查批次属于其他办公室，本办公室不能录入。")
    if entry not in (1, 2):
        raise InputRefused("录入次数只能是 1（首次录入）或 2（复核录入）。")
    if not isinstance(serial_no, int) or serial_no < 1:
        raise InputRefused("问卷序号应为正整数（印在问卷右上角）。")
    answers = check_answers(shape or shape_of(rnd.template_id), answers)
    age, group = _profile_fields(shape or shape_of(rnd.template_id), answers)
    with database.atomic():
        keyed = {e for (e,) in SurveySheet.select(SurveySheet.entry)
                 .where(SurveySheet.round == round_id, SurveySheet.serial_no == serial_no).tuples()}
        if entry in keyed:
            raise InputRefused(f"序号 {serial_no} 的问卷已经{'复核' if entry == 2 else ''}录入过，"
                               "请核对问卷右上角的序号；要修改请在下方列表中删除后重录。")
        if entry == 2 and 1 not in keyed:
            raise InputRefused(f"序号 {serial_no} 的问卷还没有首次录入，不能复核录入。")
        ident = new_uuid()
        sheet_id = SurveySheet.insert(
            uuid=ident, owner_office=office.id, round=round_id, serial_no=serial_no, entry=entry,
            age_band=age, youth_group=group, answers=answers, entered_by=current_actor(),
            entered_at=now()).execute()
        audit("新增", "SurveySheet", {"serial_no": [None, serial_no], "entry": [None, entry],
                                      "answers": [None, answers]}, entity_id=ident)
    return sheet_id


def next_serial(round_id: int, entry: int = 1) -> int:
    """The serial to key next: first entry continues after the highest; the second entry
    walks the first entry's serials not yet keyed twice."""
    if entry == 2:
        first = (SurveySheet.select(fn.MIN(SurveySheet.serial_no))
                 .where(SurveySheet.round == round_id, SurveySheet.entry == 1,
                        SurveySheet.serial_no.not_in(
                            SurveySheet.select(SurveySheet.serial_no)
                            .where(SurveySheet.round == round_id, SurveySheet.entry == 2)))
                 .scalar())
        return int(first or 1)
    top = (SurveySheet.select(fn.MAX(SurveySheet.serial_no))
           .where(SurveySheet.round == round_id, SurveySheet.entry == 1).scalar())
    return int(top or 0) + 1


@dataclass
class SheetRow:
    id: int
    serial_no: int
    entry: int
    answers: str
    entered_by: str
    entered_at: object


def list_sheets(round_id: int, *, entry: int | None = None) -> list[SheetRow]:
    query = (SurveySheet.select(SurveySheet.id, SurveySheet.serial_no, SurveySheet.entry,
                                SurveySheet.answers, SurveySheet.entered_by,
                                SurveySheet.entered_at)
             .where(SurveySheet.round == round_id))
    if entry is not None:
        query = query.where(SurveySheet.entry == entry)
    return [SheetRow(*t) for t in query.order_by(SurveySheet.serial_no.desc(),
                                                 SurveySheet.entry).tuples()]


def delete_sheet(*, sheet_id: int) -> None:
    sheet = SurveySheet.get_or_none(SurveySheet.id == sheet_id)
    if sheet is None:
        raise NotFound("找不到该问卷，可能已被删除。")
    if sheet.owner_office_id not in (None, require_office().id):
        raise RuleViolation("该问卷属于其他办公室，不能删除。")
    with database.atomic():
        sheet.delete_instance()


@dataclass
class DoubleEntryReport:
    compared: int
    #: (serial, question number, first entry's digit, second entry's digit)
    disagreements: list[tuple[int, int, str, str]] = field(default_factory=list)

    @property
    def sheets_disagreeing(self) -> int:
        return len({d[0] for d in self.disagreements})


def double_entry_report(round_id: int) -> DoubleEntryReport:
    """Compare the sheets keyed twice and list every answer that differs."""
    first: dict[int, str] = {}
    second: dict[int, str] = {}
    for serial, entry, answers in (SurveySheet.select(SurveySheet.serial_no, SurveySheet.entry,
                                                      SurveySheet.answers)
                                   .where(SurveySheet.round == round_id).tuples()):
        (first if entry == 1 else second)[serial] = answers
    report = DoubleEntryReport(compared=sum(1 for s in second if s in first))
    for serial in sorted(second):
        a, b = first.get(serial, ""), second[serial]
        for no in range(max(len(a), len(b))):
            x, y = a[no:no + 1], b[no:no + 1]
            if x != y:
                report.disagreements.append((serial, no + 1, x, y))
    return report


def mark_printed(*, round_id: int, copies: int) -> tuple[int, int]:
    """Reserve serial numbers for ``copies`` blank questionnaires; return (first, last)."""
    rnd = get_round(round_id)
    if rnd.owner_office_id not in (None, require_office().id):
        raise RuleViolation("该调查批次属于其他办公室，不能为其印制问卷。")
    if not 1 <= copies <= 2000:
        raise InputRefused("一次可印制 1 到 2000 份问卷。")
    first = rnd.sheets_printed + 1
    rnd.sheets_printed += copies
    with database.atomic():
        rnd.save()
    return first, rnd.sheets_printed
