"""The demo database and the benchmark generator keep to the date rules they are shown with:
nothing happened before 1998 or after their "today", nothing is planned more than five years
ahead, every term starts between 1998 and two years ahead — and the demo's historic facts
(titles of the 2007—2008 term) are still inside."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from peewee import fn

from wqg_desktop.app import AppContext
from wqg_desktop.db import models as m
from wqg_desktop.domain import date_rules as rules

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.generate import TODAY as BENCH_TODAY  # noqa: E402
from bench.generate import generate  # noqa: E402

DEMO_TODAY = dt.date(2026, 11, 26)

HAPPENED = (
    m.Consultation.received_on, m.Consultation.replied_on, m.Activity.start_on,
    m.Activity.end_on, m.TrainingSession.on, m.CoBuilding.started_on, m.CoBuildingHelp.on,
    m.Referral.received_on, m.Referral.closed_on, m.ContactPoint.established_on,
    m.ContactCardBatch.issued_on, m.Volunteer.joined_on, m.Volunteer.left_on,
    m.Unit.online_since, m.Unit.youth_work_ended_on, m.Inspection.on, m.Inspection.followup_on,
    m.Title.named_on, m.TitleEvent.on, m.CandidateEvent.on, m.Candidate.applied_on,
    m.ReviewDecision.decided_on, m.Objection.received_on, m.Objection.resolved_on,
    m.Campaign.naming_date, m.Supervisor.appointed_on, m.ServiceCommitment.published_on,
    m.ReReview.on,
)
PLANNED = (
    m.Campaign.application_start, m.Campaign.application_end, m.Campaign.creation_start,
    m.Campaign.creation_end, m.Campaign.review_planned, m.Campaign.publicity_start,
    m.Campaign.publicity_end, m.Campaign.naming_planned, m.Inspection.rectification_deadline,
    m.Title.rectification_deadline, m.Referral.due_on, m.Consultation.due_on,
    m.Supervisor.term_end, m.SurveyRound.started_on, m.SurveyRound.ended_on,
)


def _span(field) -> tuple[dt.date | None, dt.date | None]:  # type: ignore[no-untyped-def]
    row = field.model.select(fn.MIN(field), fn.MAX(field)).tuples().first()
    return tuple(dt.date.fromisoformat(str(v)) if v else None for v in row)  # type: ignore[return-value]


def _outside(today: dt.date) -> list[str]:
    bad = []
    for fields, (first, last) in ((HAPPENED, rules.happened_range(today)),
                                  (PLANNED, rules.planned_range(today))):
        for field in fields:
            low, high = _span(field)
            if (low and low < first) or (high and high > last):
                bad.append(f"{field.model.__name__}.{field.name}: {low}…{high}")
    years = rules.term_year_range(today)
    for field in (m.Campaign.term_start, m.Title.term_start):
        low, high = field.model.select(fn.MIN(field), fn.MAX(field)).tuples().first()
        if low is not None and not (years[0] <= low and high <= years[1]):
            bad.append(f"{field.model.__name__}.{field.name}: {low}…{high}")
    return bad


def test_demo_dates_keep_to_the_rules(demo_ctx) -> None:
    assert _outside(DEMO_TODAY) == []
    # the span is real: the demo does reach back to 2008 and plans ahead
    assert _span(m.Title.named_on)[0] == dt.date(2008, 5, 4)
    assert m.Title.select(fn.MIN(m.Title.term_start)).scalar() == 2007


def test_bench_dates_keep_to_the_rules(tmp_path: Path) -> None:
    path = tmp_path / "bench.sqlite3"
    generate(path, units=60, seed=5)
    with AppContext.open(path, create=False):
        assert m.Consultation.select().count() > 0 and m.Title.select().count() > 0
        assert _outside(BENCH_TODAY) == []
