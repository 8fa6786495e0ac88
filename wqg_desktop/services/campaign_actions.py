"""Which steps of the 创建活动 page are open now, and why the others are not.

The page enables its buttons from this answer, so the reasons come from the same places that
refuse the step itself: the lifecycle tables (:mod:`wqg_desktop.domain.lifecycle`) for the
campaign's stage and the candidate's status, and :func:`campaigns.require_owner` for who runs
the campaign. ``None`` means the step is open (its service may still refuse on details such as
the differential or an open objection, in Chinese, when it is taken).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from wqg_desktop.db.models import Campaign, Candidate
from wqg_desktop.domain import lifecycle
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import campaign_review, campaigns

#: page step → (lifecycle stage action, what the owner check calls it)
CAMPAIGN_STEPS = {
    "start": ("start_creation", "启动创建期"),
    "review": ("review", "审核"),
    "publicize": ("publicize", "公示"),
    "name": ("name", "命名"),
}
#: page step → (lifecycle candidate action, what the owner check calls it or "" for none)
CANDIDATE_STEPS = {
    "accept": ("accept", "受理推荐"),
    "return": ("return", "退回推荐或申报"),
    "withdraw": ("withdraw", ""),
    "object": ("object", "受理异议"),
    "resolve": ("dismiss", "处理异议"),  # dismiss and uphold share their source state
}

NO_CAMPAIGN = "请先在上方选择一个创建活动。"
NO_CANDIDATE = "请先在下方选择一个创建单位。"
NOTHING_TO_REVIEW = "没有待审核的创建单位：只有“创建中”或“审核”的单位才能审核。"


def _refusal(*checks: Callable[[], object]) -> str | None:
    """The first check's Chinese refusal, or ``None`` when every check passes."""
    for check in checks:
        try:
            check()
        except InputRefused as exc:
            return exc.message
    return None


def _apply_refusal(campaign: Campaign) -> str | None:
    # a campaign above this office's level takes recommendations, its own takes applications
    # (the same choice the apply dialog makes)
    office = campaigns.this_office()
    if campaign.level > office.level:
        return _refusal(lambda: campaigns._open_for_units(campaign))
    return _refusal(lambda: campaigns.require_owner(campaign, "受理申报"),
                    lambda: campaigns._open_for_units(campaign))


def _campaign_refusals(campaign: Campaign) -> dict[str, str | None]:
    out: dict[str, str | None] = {"apply": _apply_refusal(campaign)}
    for key, (action, doing) in CAMPAIGN_STEPS.items():
        out[key] = _refusal(lambda d=doing: campaigns.require_owner(campaign, d),
                            lambda a=action: lifecycle.stage_step(campaign.stage, a))
    if out["review"] is None and not campaign_review.ranking(campaign):
        out["review"] = NOTHING_TO_REVIEW
    return out


def _candidate_refusals(candidate: Candidate) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key, (action, doing) in CANDIDATE_STEPS.items():
        checks: list[Callable[[], object]] = []
        if doing:
            checks.append(lambda d=doing: campaigns.require_owner(candidate.campaign, d))
        checks.append(lambda a=action: lifecycle.candidate_step(candidate.status, a))
        out[key] = _refusal(*checks)
    return out


def step_refusals(campaign: Campaign | None, candidate: Candidate | None,
                  today: dt.date | None = None) -> dict[str, str | None]:
    """For every step of the page (``apply``, ``start``, ``review``, ``publicize``, ``name``,
    ``accept``, ``return``, ``withdraw``, ``object``, ``resolve``): why it cannot be taken now
    for the selected campaign and candidate (Chinese), or ``None`` when it can.

    With ``today``, 命名 is also closed while the publicity period runs (or an objection is
    open): the page says so before the officer types a document number."""
    if campaign is None:
        return dict.fromkeys(("apply", *CAMPAIGN_STEPS, *CANDIDATE_STEPS), NO_CAMPAIGN)
    out = _campaign_refusals(campaign)
    if today is not None and out["name"] is None:
        out["name"] = campaign_review.naming_refusal(campaign, today)
    if candidate is None or candidate.campaign_id != campaign.id:
        out.update(dict.fromkeys(CANDIDATE_STEPS, NO_CANDIDATE))
    else:
        out.update(_candidate_refusals(candidate))
    return out
