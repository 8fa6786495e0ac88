"""The rates of the 知晓度、满意度调查: per round, per unit (with the previous survey), per campaign.

The rates are computed in one pass over grouped answer strings in SQLite, never by loading a
model object per sheet, so a 300-unit campaign with 30,000 sheets recomputes in well under a
second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from wqg_desktop.db.dialect import placeholders
from wqg_desktop.db.models import (
    SurveyQuestion,
    SurveyRound,
    SurveySheet,
    Unit,
    database,
)
from wqg_desktop.services import settings
from wqg_desktop.services.survey_templates import AWARENESS, SATISFACTION


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
        sql = (f"SELECT round_id, COUNT(*), SUM(CASE WHEN length(replace({a} || {s}, '0', '')) > 0 THEN 1 ELSE 0 END), SUM({a_yes}), "
               f"SUM({a_valid}), SUM({s_yes}), SUM({s_valid}), "
               f"SUM({options[0]}), SUM({options[1]}), SUM({options[2]}) "
               f"FROM {table} WHERE entry = 1 AND round_id IN ({placeholders(database, len(chunk))}) "
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
