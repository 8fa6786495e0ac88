"""Questionnaire templates of the 知晓度、满意度调查: the default questions, and editing them.

A campaign works on its own questionnaire. Once a returned sheet has been keyed against a
template, its digits only mean something through that template's questions and options, so
the template is locked (the same idea as a frozen standard); a changed questionnaire is a new
version, and new survey rounds of the campaign use the newest version.

Profile questions (age band, group) never ask for a name: the questionnaire is anonymous,
which is how a minor's identity is protected here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import fn

from wqg_desktop.db.models import (
    Campaign,
    Office,
    SurveyQuestion,
    SurveyRound,
    SurveySheet,
    SurveyTemplate,
    database,
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



# -- reading -------------------------------------------------------------------------------


def options_of(question: SurveyQuestion) -> list[str]:
    return list(json.loads(question.options or "[]"))


def questions_of(template: SurveyTemplate | int) -> list[SurveyQuestion]:
    tid = template.id if isinstance(template, SurveyTemplate) else template
    return list(SurveyQuestion.select().where(SurveyQuestion.template == tid)
                .order_by(SurveyQuestion.sort_order, SurveyQuestion.id))


def require_office() -> Office:
    """This office, or a refusal when first-start setup is not done."""
    office = this_office()
    if office is None:
        raise RuleViolation("请先完成本办公室设置。")
    return office


#: The most questions one sheet may hold (the answer string is stored in 60 characters).
MAX_QUESTIONS = 60

#: A profile question must never ask who the respondent is: the sheets are anonymous.
_IDENTIFYING = re.compile(r"姓名|名字|身份证|电话|手机|住址|学号")


def split_options(text: str) -> list[str]:
    """Options typed as one line (separated by 、，,；; or new lines) as a list."""
    return [o for o in (p.strip() for p in re.split(r"[、，,；;\n]+", text or "")) if o]


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
    if len(set(options)) != len(options):
        raise InputRefused("同一道题的选项不能重复。")
    return options


def check_question(kind: str, text: str, options: list[str]) -> tuple[str, str, list[str]]:
    """A question as it would be stored, or a Chinese refusal saying what to change.

    Used while the officer types, and again by every service that stores a question.
    """
    text = (text or "").strip()
    if not text:
        raise InputRefused("题目内容不能为空。")
    if len(text) > 200:
        raise InputRefused(f"题目有 {len(text)} 个字，请精简到 200 字以内，以便印在问卷上。")
    if kind == PROFILE and _IDENTIFYING.search(text):
        raise InputRefused("问卷是匿名的：基本情况题只问年龄段、身份等，不能询问姓名、身份证号、"
                           "电话、住址或学号（保护未成年人身份）。")
    return kind, text, _check_options(kind, options)


def create_template(*, name: str = DEFAULT_NAME, campaign: Campaign | None = None,
                    questions: Iterable[tuple[str, str, list[str]]] | None = None) -> SurveyTemplate:
    """Create a questionnaire (the default questions unless others are given)."""
    office = require_office()
    spec = list(questions if questions is not None else DEFAULT_QUESTIONS)
    if not spec:
        raise InputRefused("问卷至少要有一道题。")
    if len(spec) > MAX_QUESTIONS:
        raise InputRefused(f"一份问卷最多 {MAX_QUESTIONS} 道题。")
    checked = [check_question(kind, text, opts) for kind, text, opts in spec]
    with database.atomic():
        template = SurveyTemplate.create(owner_office=office, name=name.strip() or DEFAULT_NAME,
                                         campaign=campaign)
        for order, (kind, text, opts) in enumerate(checked, start=1):
            SurveyQuestion.create(owner_office=office, template=template, sort_order=order,
                                  kind=kind, text=text, options=json.dumps(opts, ensure_ascii=False))
    return template


def campaign_templates(campaign: Campaign | int) -> list[SurveyTemplate]:
    """The questionnaires of a campaign, oldest first (later ones are new versions)."""
    cid = campaign.id if isinstance(campaign, Campaign) else campaign
    return list(SurveyTemplate.select().where(SurveyTemplate.campaign == cid)
                .order_by(SurveyTemplate.id))


def campaign_template(campaign: Campaign) -> SurveyTemplate:
    """The questionnaire new rounds of the campaign use: its newest version, created from
    the default on first use."""
    found = (SurveyTemplate.select().where(SurveyTemplate.campaign == campaign.id)
             .order_by(SurveyTemplate.id.desc()).first())
    return found or create_template(campaign=campaign)


def get_template(template_id: int) -> SurveyTemplate:
    found = SurveyTemplate.get_or_none(SurveyTemplate.id == template_id)
    if found is None:
        raise NotFound("找不到该问卷，可能已被删除。")
    return found


def _template_in_use(template_id: int) -> bool:
    return (SurveySheet.select(SurveySheet.id).join(SurveyRound)
            .where(SurveyRound.template == template_id).limit(1).exists())


@dataclass(frozen=True)
class TemplateUse:
    rounds: int
    sheets: int


def template_use(template: SurveyTemplate | int) -> TemplateUse:
    """How many survey rounds use the template, and how many sheets were keyed on it."""
    tid = template.id if isinstance(template, SurveyTemplate) else template
    rounds = SurveyRound.select().where(SurveyRound.template == tid).count()
    sheets = (SurveySheet.select(fn.COUNT(SurveySheet.id)).join(SurveyRound)
              .where(SurveyRound.template == tid).scalar()) or 0
    return TemplateUse(rounds, int(sheets))


def lock_reason(template: SurveyTemplate) -> str | None:
    """Why the questionnaire can no longer be edited, or ``None`` while it can."""
    office = this_office()
    if office is not None and template.owner_office_id not in (None, office.id):
        return "该问卷属于其他办公室，本办公室只能查看，不能修改。"
    if not _template_in_use(template.id):
        return None
    use = template_use(template)
    return (f"该问卷已在 {use.rounds} 个调查批次中录入了 {use.sheets} 份答卷，已经锁定："
            "不能再修改选项、题目或类别（否则已录入的数字会改变含义）。"
            "如需调整，请“复制为新版本”，新建的调查批次将使用新版本。")


def _editable(template: SurveyTemplate) -> None:
    require_office()
    reason = lock_reason(template)
    if reason is not None:
        raise RuleViolation(reason)


def update_question(*, question: SurveyQuestion, text: str | None = None,
                    options: list[str] | None = None, kind: str | None = None) -> SurveyQuestion:
    """Edit a question's text, kind or options while no sheet was keyed on its template.

    Options stay checked against the kind (a satisfaction question keeps 满意、基本满意、不满意).
    """
    kind = question.kind if kind is None else kind
    options = options_of(question) if options is None else options
    # what is wrong with the input is said first: it holds whether or not the form is locked
    kind, text, options = check_question(kind, question.text if text is None else text, options)
    _editable(question.template)
    question.kind, question.text = kind, text
    question.options = json.dumps(options, ensure_ascii=False)
    with database.atomic():
        question.save()
    return question


def add_question(*, template: SurveyTemplate, kind: str, text: str,
                 options: list[str]) -> SurveyQuestion:
    """Append a question to a questionnaire not yet used for entry."""
    _editable(template)
    kind, text, options = check_question(kind, text, options)
    existing = questions_of(template)
    if len(existing) >= MAX_QUESTIONS:
        raise InputRefused(f"一份问卷最多 {MAX_QUESTIONS} 道题。")
    last = max((q.sort_order for q in existing), default=0)
    with database.atomic():
        return SurveyQuestion.create(owner_office=template.owner_office_id, template=template,
                                     sort_order=last + 1, kind=kind, text=text,
                                     options=json.dumps(options, ensure_ascii=False))


def remove_question(*, question: SurveyQuestion) -> None:
    """Delete a question; a questionnaire keeps at least one awareness or satisfaction one."""
    template = question.template
    _editable(template)
    rest = [q for q in questions_of(template) if q.id != question.id]
    if not any(q.kind in (AWARENESS, SATISFACTION) for q in rest):
        raise RuleViolation("问卷至少要保留一道知晓度或满意度题目，否则无法计算调查结果。")
    with database.atomic():
        question.delete_instance()


def move_question(*, question: SurveyQuestion, step: int) -> None:
    """Move a question up (``step`` −1) or down (+1); the printed order is the keying order."""
    template = question.template
    _editable(template)
    order = questions_of(template)
    pos = next(i for i, q in enumerate(order) if q.id == question.id)
    target = pos + step
    if not 0 <= target < len(order):
        return
    order.insert(target, order.pop(pos))
    with database.atomic():
        for number, q in enumerate(order, start=1):
            if q.sort_order != number:
                q.sort_order = number
                q.save()


def copy_template(*, template: SurveyTemplate, name: str | None = None) -> SurveyTemplate:
    """A new, editable version of a questionnaire in the same campaign.

    Rounds already open keep the version they were keyed on; new rounds take the newest.
    """
    if template.campaign_id is not None:
        campaign = Campaign.get_by_id(template.campaign_id)
        office = require_office()
        if campaign.owner_office_id not in (None, office.id):
            raise RuleViolation("该创建活动属于其他办公室，不能为其复制问卷。")
    spec = [(q.kind, q.text, options_of(q)) for q in questions_of(template)]
    versions = len(campaign_templates(template.campaign_id)) if template.campaign_id else 1
    base = re.sub(r"（第\d+版）$", "", template.name)
    return create_template(name=name or f"{base}（第{versions + 1}版）",
                           campaign=template.campaign_id, questions=spec)
