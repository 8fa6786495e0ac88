"""The bulk of a generated database: units, titles, campaigns, evidence and work records.

Proportions (per term, of the units that still work with youth): about 45 % hold a county
title, a third of those a city title and a quarter of those a provincial one; each county
campaign takes about 10 % of the units without a county title; the city takes a few per county,
the province a few per city. Every candidate is inspected one to three times; every candidate
whose campaign reached review answered a survey of 100 sheets. See :mod:`bench.generate`.

The builder comes in parts over a shared base (:mod:`bench.generate_base`): the units
(:mod:`bench.generate_units`), the campaigns, candidates and titles
(:mod:`bench.generate_titles`), and the evidence and work records (:mod:`bench.generate_work`).
"""

from __future__ import annotations

import datetime as dt
import json

from bench import generate_work as work
from bench.generate_base import CURRENT_TERM
from bench.generate_titles import TitlesPart
from bench.generate_units import UnitsPart
from wqg_desktop.db import models as m
from wqg_desktop.services import demo_data as data


class Builder(UnitsPart, TitlesPart):
    """Builds the bulk of one generated database; :meth:`run` returns the rows per table."""

    def run(self) -> dict[str, int]:
        self._office_records()
        self._units()
        self.say(f"{len(self.units)} units")
        self._campaigns()
        self._titles()
        self._past_failures()
        self._current_candidates()
        self.say("titles and campaigns")
        work.evidence(self)
        self.say("inspections and surveys")
        work.work_records(self)
        counts = {}
        for name, table in self.tables.items():
            table.flush()
            counts[name] = table.count
            m.audit("批量新增", name, {"rows": table.count}, entity_id="bench.generate")
        return counts

    def _office_records(self) -> None:
        me = self.office.id
        lg = self.t(m.LeadingGroupMember)
        self.clerk = self.person()
        self.member_names: dict[int, str] = {}
        for i, (role, post, employer) in enumerate(data.LEADING_GROUP):
            name = self.person()
            self.member_names[lg.add(owner_office=me, role=role, name=name, post=post,
                                     employer=employer, sort_order=i)] = name
        self.members = list(self.member_names)
        for category, employer, note in data.SUPERVISORS:
            self.t(m.Supervisor).add(owner_office=me, name=self.person(), category=category,
                                     employer=employer, phone=self.mobile(),
                                     appointed_on=dt.date(CURRENT_TERM, 4, 1),
                                     term_end=dt.date(CURRENT_TERM + 3, 3, 31), note=note)
        standard = self.t(m.Standard).add(owner_office=me, name="“青少年维权岗”基本创建标准")
        self.items = [(self.t(m.StandardItem).add(
            owner_office=me, standard=standard, group_no=g, text=text, weight=w,
            scoring_rule=data.SCORING_RULE, sort_order=i), w)
            for i, (g, text, w) in enumerate(data.STANDARD_ITEMS)]
        self.template = self.t(m.SurveyTemplate).add(owner_office=me, name="知晓度满意度调查问卷")
        for order, (kind, text, options) in enumerate(data.SURVEY_QUESTIONS, start=1):
            self.t(m.SurveyQuestion).add(owner_office=me, template=self.template, sort_order=order,
                                         kind=kind, text=text,
                                         options=json.dumps(options, ensure_ascii=False))
