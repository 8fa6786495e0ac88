"""The campaigns of the demo: the leading group, the two running campaigns and their review.

Part of the builder of :mod:`wqg_desktop.services.demo`: the city campaign (in review, with
its quotas, candidates, frozen standard, inspections and surveys) and the 海安 county campaign
(still in its creation period), with the leading group and the supervisors who inspect.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics

from wqg_desktop.db import models as m
from wqg_desktop.domain.chinese import Term
from wqg_desktop.domain.statuses import YOUTH_GROUPS
from wqg_desktop.services import demo_data as data
from wqg_desktop.services.demo_base import DAY, DemoBase, shift_months


class CampaignPart(DemoBase):
    """Builds the people who run the campaigns, the campaigns and what their review holds."""

    # -- people ----------------------------------------------------------------------------

    def _people(self) -> None:
        self.members = [m.LeadingGroupMember.create(
            owner_office=self.city, role=role, name=self.person(), post=post, employer=employer,
            sort_order=order) for order, (role, post, employer) in enumerate(data.LEADING_GROUP)]
        last = self.members[-1]  # 成员, and 办公室主任 (兼) — as in attachment 1
        m.LeadingGroupMember.create(
            owner_office=self.city, role="office_director", name=last.name, post=last.post,
            employer=last.employer, concurrent=True, sort_order=len(self.members))
        appointed = self.creation_start - 15 * DAY
        self.supervisors = [m.Supervisor.create(
            owner_office=self.city, name=self.person(), category=category, employer=employer,
            phone=self.mobile(), appointed_on=appointed, term_end=shift_months(appointed, 36),
            note=note) for category, employer, note in data.SUPERVISORS]

    # -- campaigns -------------------------------------------------------------------------

    def _campaigns(self) -> None:
        t, label, city = self.today, Term(self.term).label, self.city
        self.campaign = m.Campaign.create(
            owner_office=city, level=2, term_start=self.term,
            name=f"{label}全市公安系统“青少年维权岗”创建活动", stage="review",
            application_start=self.app_start, application_end=self.app_end,
            creation_start=self.creation_start, creation_end=self.creation_end,
            review_planned=t + 10 * DAY, naming_planned=t + 45 * DAY,
            document_no=self._document_no("通团联", self.app_start), quota=21,
            require_online=False, min_inspections=2,
            note="各县(市)区公安(分)局按分配名额推荐；市直单位由市局直接确定。")
        for order, name in enumerate(data.CITY_BODIES):
            m.CampaignNamingBody.create(owner_office=city, campaign=self.campaign,
                                        naming_body=self.bodies[name], sort_order=order)
        for key, quota in data.QUOTAS.items():
            m.CampaignQuota.create(owner_office=city, campaign=self.campaign,
                                   office=self.offices[key], quota=quota)
        self.candidates = []
        for name, (county, flags, *_rest) in self.info.items():
            if "CAND" in flags:
                applied = self.day_between(self.app_start + 3 * DAY, self.app_end)
                sender = self.offices[county]
                steps = [("", "recommended", applied, sender.name, "按分配名额推荐"),
                         ("recommended", "creating", self.creation_start, self.officer,
                          "确定为市级创建单位，进入两年创建期"),
                         ("creating", "reviewing", self.creation_end + DAY, self.officer,
                          "创建期满，进入审核")]
                self.candidates.append(self._candidate(city, self.campaign, name, "reviewing",
                                                       applied, sender, steps))
        # 海安市: the county-level campaign of the same term, still in its creation period.
        haian, haian_officer = self.offices["haian"], self.person()
        start = self.creation_start + 14 * DAY
        self.county_campaign = m.Campaign.create(
            owner_office=haian, level=1, term_start=self.term,
            name=f"{label}海安市公安系统“青少年维权岗”创建活动", stage="creation",
            application_start=start - 45 * DAY, application_end=start - 10 * DAY,
            creation_start=start, creation_end=t + 25 * DAY, review_planned=t + 40 * DAY,
            naming_planned=t + 80 * DAY, document_no=self._document_no("海团联", start - 45 * DAY),
            min_inspections=1, note="县级层面全覆盖：未获县级称号的基层单位均应参与创建。")
        for order, name in enumerate(data.HAIAN_BODIES):
            m.CampaignNamingBody.create(owner_office=haian, campaign=self.county_campaign,
                                        naming_body=self.bodies[name], sort_order=order)
        self.county_candidates = []
        for name, (_county, flags, *_rest) in self.info.items():
            if "CTY" in flags:
                applied = self.day_between(start - 45 * DAY, start - 10 * DAY)
                steps = [("", "applied", applied, self.units[name].head_name, "本单位申报"),
                         ("applied", "creating", start, haian_officer, "确定为县级创建单位")]
                self.county_candidates.append(self._candidate(
                    haian, self.county_campaign, name, "creating", applied, None, steps))

    def _candidate(self, owner, campaign, name, status, applied, sender, steps) -> m.Candidate:
        cand = m.Candidate.create(owner_office=owner, campaign=campaign, unit=self.units[name],
                                  status=status, recommended_by=sender, applied_on=applied)
        for frm, to, on, actor, reason in steps:
            m.CandidateEvent.create(owner_office=owner, candidate=cand, from_status=frm,
                                    to_status=to, on=on, actor=actor, reason=reason)
        return cand

    # -- inspections -----------------------------------------------------------------------

    def _inspections(self) -> None:
        t, rng, city = self.today, self.rng, self.city
        standard = m.Standard.create(owner_office=city, name="“青少年维权岗”基本创建标准",
                                     campaign=self.campaign, frozen=True)
        items = [m.StandardItem.create(owner_office=city, standard=standard, group_no=group,
                                       text=text, weight=weight, scoring_rule=data.SCORING_RULE,
                                       sort_order=i)
                 for i, (group, text, weight) in enumerate(data.STANDARD_ITEMS)]
        span = (self.creation_end - self.creation_start).days
        score_rows = []
        for idx, cand in enumerate(self.candidates):
            offsets = sorted(rng.sample(range(40, span - 45), rng.choice((2, 2, 3))))
            dates = [self.creation_start + d * DAY for d in offsets]
            # One rectification overdue without follow-up, one whose deadline is still ahead.
            special = {2: 75, 5: 12}.get(idx)
            if special:
                dates[-1] = t - special * DAY
            scores = []
            for k, on in enumerate(dates):
                while True:
                    base = rng.uniform(0.72, 0.96)
                    fractions = [min(1.0, max(0.5, base + rng.uniform(-0.06, 0.06))) for _ in items]
                    parts = [round(i.weight * f, 1) for i, f in zip(items, fractions, strict=True)]
                    total = round(sum(parts), 1)
                    if 70 <= total <= 98:
                        break
                open_case = bool(special) and k == len(dates) - 1
                problem, fix = rng.choice(data.PROBLEMS)
                with_problem = total < 88 or open_case
                followed = with_problem and not open_case
                insp = m.Inspection.create(
                    owner_office=city, campaign=self.campaign, candidate=cand,
                    unit=cand.unit_id, on=on, announced=rng.random() < 0.6,
                    findings="；".join(rng.sample(data.FINDINGS, 3)) + "。",
                    problems=problem if with_problem else "",
                    rectification=fix if with_problem else "",
                    rectification_deadline=on + 30 * DAY if with_problem else None,
                    followup="复查：已按要求整改到位" if followed else "",
                    followup_on=on + rng.randint(20, 29) * DAY if followed else None,
                    followup_passed=True if followed else None, score=total)
                scores.append(total)
                for member in rng.sample(self.members, 2):
                    m.InspectionInspector.create(owner_office=city, inspection=insp,
                                                 name=member.name, member=member)
                if rng.random() < 0.5:
                    sup = rng.choice(self.supervisors)
                    m.InspectionInspector.create(owner_office=city, inspection=insp,
                                                 name=sup.name, supervisor=sup)
                score_rows += [{"owner_office": city.id, "inspection": insp.id, "item": item.id,
                                "score": part} for item, part in zip(items, parts, strict=True)]
            cand.manual_score = round(statistics.fmean(scores), 1)
            cand.save()
        self._insert_batch(m.InspectionScore, score_rows, {"inspection_scores": len(score_rows)},
                           self.campaign.uuid)


    # -- surveys ---------------------------------------------------------------------------

    def _surveys(self) -> None:
        rng, city = self.rng, self.city
        template = m.SurveyTemplate.create(owner_office=city, name="知晓度满意度调查问卷")
        for order, (kind, text, options) in enumerate(data.SURVEY_QUESTIONS, start=1):
            m.SurveyQuestion.create(owner_office=city, template=template, sort_order=order,
                                    kind=kind, text=text,
                                    options=json.dumps(options, ensure_ascii=False))
        started = self.creation_end + DAY
        ended = max(started, self.today - DAY)
        entered = dt.datetime.combine(ended, dt.time(15))
        rows = []
        for cand in self.candidates:
            rnd = m.SurveyRound.create(owner_office=city, template=template, unit=cand.unit_id,
                                       campaign=self.campaign, started_on=started,
                                       ended_on=ended, sheets_printed=50)
            # Each unit's area answers differently; fewer know 12355 or were helped themselves.
            know = [rng.uniform(0.55, 0.95) * f for f in (1.0, 0.85, 0.75, 0.45)]
            sat, basic = rng.uniform(0.55, 0.9), rng.uniform(0.5, 0.8)
            for serial in range(1, rng.randint(30, 45) + 1):
                answers = ""
                for q in range(10):
                    r = rng.random()
                    if rng.random() < 0.03:
                        answers += "0"
                    elif q < 4:
                        answers += "1" if r < know[q] else "2"
                    else:
                        answers += "1" if r < sat else "2" if r < sat + (1 - sat) * basic else "3"
                rows.append({
                    "owner_office": city.id, "round": rnd.id, "serial_no": serial,
                    "age_band": rng.choice(data.AGE_BANDS),
                    "youth_group": "在校学生" if rng.random() < 0.75 else rng.choice(YOUTH_GROUPS),
                    "answers": answers, "entered_by": self.officer,
                    "entered_at": entered + serial * dt.timedelta(minutes=1)})
        self._insert_batch(m.SurveySheet, rows, {"rounds": len(self.candidates),
                                                 "sheets": len(rows)}, template.uuid)
