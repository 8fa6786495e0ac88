"""知晓度、满意度调查: questionnaires, survey rounds, fast keyed entry and the rates.

Paper comes first: blank numbered questionnaires are printed, filled in by young people in
the unit's area, and keyed back in. One returned sheet is one short transaction holding a
compact answer string (one digit per question, ``0`` for a blank), so tens of thousands of
sheets stay small and the rates are computed in one pass over grouped strings, never by
loading a model object per sheet.

Profile questions (age band, group) never ask for a name: the questionnaire is anonymous,
which is how a minor's identity is protected here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from peewee import fn

from wqg_desktop.db.models import (
    Campaign,
    SurveyQuestion,
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
from wqg_desktop.errors import InputRefused, NotFound, RuleViolation
from wqg_desktop.services import settings
from wqg_desktop.services.office import this_office

AWARENESS, SATISFACTION, PROFILE = "awareness", "satisfaction", "profile"
KIND_LABELS = {AWARENESS: "知晓度", SATISFACTION: "满意度", PROFILE: "基本情况"}

KNOW = ["知道", "不知道"]
YES_NO = ["是", "否"]
SATISFY = ["满意", "基本满意", "不满意"]
AGE_BANDS = ["13岁及以下", "14-17岁", "18-25岁", "26-35岁"]
GROUPS = ["在校学生", "在职青年", "闲散青少年", "进城务工人员子女", "其他"]

DEFAULT_NAME = "青少年维权岗知晓度、满意度调查问卷"
DEFAULT_QUESTIONS: list[tuple[str, str, list[str]]] = [
    (AWARENESS, "您知道本单位是“青少年维权岗”（创建）单位吗？", KNOW),
    (AWARENESS, "您知道本单位的维权电话吗？", KNOW),
    (AWARENESS, "您知道“12355”青少年维权监督热线吗？", KNOW),
    (AWARENESS, "您或身边的青少年得到过本单位的帮助吗？", YES_NO),
    (SATISFACTION, "您对本单位民警的服务态度是否满意？", SATISFY),
    (SATISFACTION, "您对本单位的办事效率是否满意？", SATISFY),
    (SATISFACTION, "您对本单位开展的法制宣传和维权知识宣传是否满意？", SATISFY),
    (SATISFACTION, "您对学校及周边的治安秩序是否满意？", SATISFY),
    (SATISFACTION, "您对本单位处理青少年咨询、投诉的情况是否满意？", SATISFY),
    (SATISFACTION, "总体而言，您对本单位维护青少年权益的工作是否满意？", SATISFY),
    (PROFILE, "您的年龄段", AGE_BANDS),
    (PROFILE, "您的身份", GROUPS),
]

#: The definitions shown next to every figure (DOMAIN.md's defaults).
DEFINITIONS = {
    "awareness": "知晓度＝知晓类问题中回答“知道”（或“是”）的答案数 ÷ 知晓类问题的有效答案数",
    "satisfaction": "满意度＝（“满意”＋“基本满意”）答案数 ÷ 满意度问题的有效答案数",
    "blank": "空白（未答）不是有效答案，不计入分子和分母",
    "sample": "样本量＝至少答了一道知晓度或满意度题的问卷份数",
}


def definitions_text(min_sample: int | None = None) -> str:
    """The definitions as one paragraph for screens and reports."""
    n = settings.get("survey_min_sample") if min_sample is None else min_sample
    return "；".join(DEFINITIONS.values()) + f"；样本量少于 {n} 份时结果仅供参考。"


# -- templates -------------------------------------------------------------------------------


def options_of(question: SurveyQuestion) -> list[str]:
    return list(json.loads(question.options or "[]"))


def questions_of(template: SurveyTemplate | int) -> list[SurveyQuestion]:
    tid = template.id if isinstance(template, SurveyTemplate) else template
    return list(SurveyQuestion.select().where(SurveyQuestion.template == tid)
                .order_by(SurveyQuestion.sort_order, SurveyQuestion.id))


def _office():
    office = this_office()
    if office is None:
        raise RuleViolation("请先完成本办公室设置。")
    return office


def _check_options(kind: str, options: list[str]) -> list[str]:
    options = [o.strip() for o in options if o and o.strip()]
    if kind not in KIND_LABELS:
        raise InputRefused(f"题目类别“{kind}”无效，应为知晓度、满意度或基本情况。")
    if kind == AWARENESS and len(options) != 2:
        raise InputRefused("知晓度题目应有两个选项，第一个表示“知道/是”，例如“知道、不知道”。")
    if kind == SATISFACTION and options != SATISFY:
        raise InputRefused("满意度题目的选项固定为“满意、基本满意、不满意”，以便按统一口径计算满意度。")
    if not 2 <= len(options) <= 9:
        raise InputRefused("每道题应有 2 到 9 个选项（录入时每个答案是一个数字键）。")
    return options


def create_template(*, name: str = DEFAULT_NAME, campaign: Campaign | None = None,
                    questions: Iterable[tuple[str, str, list[str]]] | None = None) -> SurveyTemplate:
    """Create a questionnaire (the default questions unless others are given)."""
    office = _office()
    spec = list(questions if questions is not None else DEFAULT_QUESTIONS)
    if not spec:
        raise InputRefused("问卷至少要有一道题。")
    checked = [(kind, text.strip(), _check_options(kind, opts)) for kind, text, opts in spec]
    if any(not text for _k, text, _o in checked):
        raise InputRefused("题目内容不能为空。")
    with database.atomic():
        template = SurveyTemplate.create(owner_office=office, name=name.strip() or DEFAULT_NAME,
                                         campaign=campaign)
        for order, (kind, text, opts) in enumerate(checked, start=1):
            SurveyQuestion.create(owner_office=office, template=template, sort_order=order,
                                  kind=kind, text=text, options=json.dumps(opts, ensure_ascii=False))
    return template


def campaign_template(campaign: Campaign) -> SurveyTemplate:
    """The campaign's questionnaire, created from the default on first use."""
    found = (SurveyTemplate.select().where(SurveyTemplate.campaign == campaign.id)
             .order_by(SurveyTemplate.id).first())
    return found or create_template(campaign=campaign)


def _template_in_use(template_id: int) -> bool:
    return (SurveySheet.select(SurveySheet.id).join(SurveyRound)
            .where(SurveyRound.template == template_id).limit(1).exists())


def update_question(*, question: SurveyQuestion, text: str | None = None,
                    options: list[str] | None = None) -> SurveyQuestion:
    """Edit a question. Options are locked once sheets were keyed against the template:
    the stored digits would otherwise change meaning."""
    _office()
    if question.owner_office_id not in (None, this_office().id):
        raise RuleViolation("该问卷属于其他办公室，不能修改。")
    if text is not None:
        if not text.strip():
            raise InputRefused("题目内容不能为空。")
        question.text = text.strip()
    if options is not None:
        checked = _check_options(question.kind, options)
        if checked != options_of(question) and _template_in_use(question.template_id):
            raise RuleViolation("该问卷已经录入了答卷，不能再修改选项（已录入的数字会改变含义）；"
                                "可以为新的调查另建问卷。")
        question.options = json.dumps(checked, ensure_ascii=False)
    with database.atomic():
        question.save()
    return question


# -- rounds ----------------------------------------------------------------------------------


def create_round(*, unit: Unit, template: SurveyTemplate | None = None,
                 campaign: Campaign | None = None, started_on: dt.date | None = None,
                 ended_on: dt.date | None = None, sheets_printed: int = 0,
                 rereview: object | None = None) -> SurveyRound:
    """Open a survey round for one unit's area (the template defaults to the campaign's)."""
    office = _office()
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
    query = SurveyRound.select(SurveyRound, Unit.name).join(Unit)
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
    office = _office()
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
    if sheet.owner_office_id not in (None, _office().id):
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


# -- rates -----------------------------------------------------------------------------------


@dataclass
class Rates:
    """Counts behind the two rates of one round (or of several rounds pooled)."""

    sheets: int = 0
    valid_sheets: int = 0
    aware_yes: int = 0
    aware_valid: int = 0
    sat_yes: int = 0
    sat_valid: int = 0
    #: satisfaction answers per option: 满意, 基本满意, 不满意
    sat_by_option: list[int] = field(default_factory=lambda: [0, 0, 0])

    @property
    def awareness(self) -> float | None:
        return self.aware_yes / self.aware_valid if self.aware_valid else None

    @property
    def satisfaction(self) -> float | None:
        return self.sat_yes / self.sat_valid if self.sat_valid else None

    def add(self, other: Rates) -> None:
        for name in ("sheets", "valid_sheets", "aware_yes", "aware_valid", "sat_yes", "sat_valid"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.sat_by_option = [a + b for a, b in zip(self.sat_by_option, other.sat_by_option,
                                                    strict=True)]


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def compute_rates(round_ids: Iterable[int]) -> dict[int, Rates]:
    """Rates of each round from its first-entry sheets.

    SQLite counts the digits at the awareness and satisfaction positions of each round's
    template in one scan per template; no sheet is ever loaded into Python.
    """
    ids = list(dict.fromkeys(round_ids))
    out = {rid: Rates() for rid in ids}
    if not ids:
        return out
    template_of = dict(SurveyRound.select(SurveyRound.id, SurveyRound.template)
                       .where(SurveyRound.id.in_(ids)).tuples())
    positions: dict[int, tuple[list[int], list[int]]] = {}
    next_index: dict[int, int] = {}
    for tid, kind in (SurveyQuestion.select(SurveyQuestion.template, SurveyQuestion.kind)
                      .where(SurveyQuestion.template.in_(set(template_of.values())))
                      .order_by(SurveyQuestion.template, SurveyQuestion.sort_order,
                                SurveyQuestion.id).tuples()):
        aware, sat = positions.setdefault(tid, ([], []))
        index = next_index.get(tid, 0)
        next_index[tid] = index + 1
        if kind == AWARENESS:
            aware.append(index)
        elif kind == SATISFACTION:
            sat.append(index)
    by_template: dict[int, list[int]] = {}
    for rid in ids:
        if rid in template_of:
            by_template.setdefault(template_of[rid], []).append(rid)
    for tid, rids in by_template.items():
        aware, sat = positions.get(tid, ([], []))
        for row in _aggregate(rids, aware, sat):
            rid, sheets, valid, a_yes, a_valid, s_yes, s_valid, o1, o2, o3 = row
            out[rid] = Rates(sheets, valid or 0, a_yes or 0, a_valid or 0, s_yes or 0,
                             s_valid or 0, [o1 or 0, o2 or 0, o3 or 0])
    return out


def _aggregate(round_ids: list[int], aware: list[int], sat: list[int]) -> list[tuple]:
    """Count the digits at the given positions per round in one SQLite scan.

    The positions are integers from the questionnaire, never user text, so writing them
    into the SQL is safe; the round ids go in as parameters.
    """
    def part(positions: list[int]) -> str:
        # contiguous positions become one substr(): far fewer calls per row than one each
        runs: list[list[int]] = []
        for p in sorted(positions):
            if runs and p == runs[-1][-1] + 1:
                runs[-1].append(p)
            else:
                runs.append([p])
        return " || ".join(f"substr(answers, {r[0] + 1}, {len(r)})" for r in runs) or "''"

    def count(text: str, d: str) -> str:
        return f"(length({text}) - length(replace({text}, '{d}', '')))"

    a, s = part(aware), part(sat)
    a_yes, s_yes = count(a, "1"), f"({count(s, '1')} + {count(s, '2')})"
    a_valid, s_valid = f"(length({a}) - {count(a, '0')})", f"(length({s}) - {count(s, '0')})"
    options = [count(s, str(k)) for k in (1, 2, 3)]
    table = SurveySheet._meta.table_name
    out: list[tuple] = []
    for k in range(0, len(round_ids), 500):  # stay far below SQLite's parameter limit
        chunk = round_ids[k:k + 500]
        sql = (f"SELECT round_id, COUNT(*), SUM(length(replace({a} || {s}, '0', '')) > 0), SUM({a_yes}), "
               f"SUM({a_valid}), SUM({s_yes}), SUM({s_valid}), "
               f"SUM({options[0]}), SUM({options[1]}), SUM({options[2]}) "
               f"FROM {table} WHERE entry = 1 AND round_id IN ({', '.join('?' * len(chunk))}) "
               "GROUP BY round_id")
        out += database.execute_sql(sql, chunk).fetchall()
    return out



@dataclass
class UnitRates:
    unit_id: int
    unit: str
    round_id: int
    started_on: dt.date | None
    rates: Rates
    previous: Rates | None
    previous_started_on: dt.date | None
    warnings: list[str] = field(default_factory=list)

    @staticmethod
    def _delta(now_: float | None, before: float | None) -> float | None:
        return None if now_ is None or before is None else now_ - before

    @property
    def awareness_change(self) -> float | None:
        return self._delta(self.rates.awareness, self.previous.awareness if self.previous else None)

    @property
    def satisfaction_change(self) -> float | None:
        return self._delta(self.rates.satisfaction,
                           self.previous.satisfaction if self.previous else None)


def _order_key(r: tuple) -> tuple:
    # (id, unit, started_on): undated rounds sort by id among themselves, before dated ones
    return (r[2] or dt.date.min, r[0])


def unit_rates(*, campaign_id: int | None = None, unit_ids: Iterable[int] | None = None,
               min_sample: int | None = None) -> list[UnitRates]:
    """Per unit: the latest round (of the campaign, if given) with its rates, the unit's
    round before it for comparison, and a warning when the sample is too small."""
    minimum = settings.get("survey_min_sample") if min_sample is None else min_sample
    query = SurveyRound.select(SurveyRound.id, SurveyRound.unit, SurveyRound.started_on)
    chosen = query
    if campaign_id:
        chosen = chosen.where(SurveyRound.campaign == campaign_id)
    if unit_ids is not None:
        chosen = chosen.where(SurveyRound.unit.in_(list(unit_ids)))
    chosen_rows = list(chosen.tuples())
    units = {r[1] for r in chosen_rows}
    all_rows = list(query.where(SurveyRound.unit.in_(list(units))).tuples()) if units else []
    chosen_ids = {r[0] for r in chosen_rows}
    by_unit: dict[int, list[tuple]] = {}
    for r in sorted(all_rows, key=_order_key):
        by_unit.setdefault(r[1], []).append(r)
    picks: dict[int, tuple[tuple, tuple | None]] = {}
    for unit, rows in by_unit.items():
        # the latest *chosen* round of the unit, and the unit's round just before it
        pos = max(i for i, r in enumerate(rows) if r[0] in chosen_ids)
        picks[unit] = (rows[pos], rows[pos - 1] if pos else None)
    ids = [p[0][0] for p in picks.values()] + [p[1][0] for p in picks.values() if p[1]]
    rates = compute_rates(ids)
    names = dict(Unit.select(Unit.id, Unit.name).where(Unit.id.in_(list(picks))).tuples())
    out = []
    for unit, (latest, prev) in picks.items():
        item = UnitRates(unit, names.get(unit, ""), latest[0], latest[2], rates[latest[0]],
                         rates[prev[0]] if prev else None, prev[2] if prev else None)
        if item.rates.valid_sheets < minimum:
            item.warnings.append(f"有效问卷 {item.rates.valid_sheets} 份，少于 {minimum} 份的下限，"
                                 "结果仅供参考。")
        out.append(item)
    out.sort(key=lambda u: u.unit)
    return out


def campaign_rates(campaign_id: int) -> Rates:
    """The campaign's rates: all units' latest rounds pooled (answers, not unit averages)."""
    total = Rates()
    for item in unit_rates(campaign_id=campaign_id):
        total.add(item.rates)
    return total


def mark_printed(*, round_id: int, copies: int) -> tuple[int, int]:
    """Reserve serial numbers for ``copies`` blank questionnaires; return (first, last)."""
    rnd = get_round(round_id)
    if rnd.owner_office_id not in (None, _office().id):
        raise RuleViolation("该调查批次属于其他办公室，不能为其印制问卷。")
    if not 1 <= copies <= 2000:
        raise InputRefused("一次可印制 1 到 2000 份问卷。")
    first = rnd.sheets_printed + 1
    rnd.sheets_printed += copies
    with database.atomic():
        rnd.save()
    return first, rnd.sheets_printed
