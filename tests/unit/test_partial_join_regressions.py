"""Queries that select only some columns of a joined model.

Peewee 4 builds the joined object from the selected columns only, and assigning that object to
the foreign key overwrites the key with the object's (unselected) id: after
``SurveyRound.select(SurveyRound, Unit.name).join(Unit)`` both ``round.unit_id`` and
``round.unit.id`` are ``None``. These tests pin the places that need the id.
"""

from __future__ import annotations

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import SurveyRound


def test_list_rounds_reports_the_unit_id_of_each_round(demo_ctx: AppContext) -> None:
    from wqg_desktop.services.survey_entry import list_rounds

    expected = {r.id: r.unit_id for r in SurveyRound.select(SurveyRound.id, SurveyRound.unit)}
    assert expected, "the demo database should hold survey rounds"
    rows = list_rounds()
    assert {r.id: r.unit_id for r in rows} == expected
    assert all(isinstance(r.unit_id, int) for r in rows)


def test_list_rounds_of_one_unit_names_that_unit(demo_ctx: AppContext) -> None:
    from wqg_desktop.services.survey_entry import list_rounds

    some = SurveyRound.select().order_by(SurveyRound.id).first()
    assert some is not None
    rows = list_rounds(unit_id=some.unit_id)
    assert rows
    assert {r.unit_id for r in rows} == {some.unit_id}
    assert {r.unit for r in rows} == {some.unit.name}
