"""The benchmark data generator: deterministic, and its files open with the current schema."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

# bench/ sits beside the package at the repository root (not installed with it).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.generate import generate, scope_for  # noqa: E402
from wqg_desktop.app import AppContext  # noqa: E402
from wqg_desktop.db import migrations  # noqa: E402
from wqg_desktop.db.models import Candidate, SurveySheet, Title, Unit  # noqa: E402
from wqg_desktop.services import office as office_service  # noqa: E402


def _snapshot(path: Path) -> tuple[list[str], dict[str, int]]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute('SELECT "name" FROM "unit" ORDER BY "id"')]
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
    return names, counts


def test_same_seed_same_database_other_seed_other_names(tmp_path: Path) -> None:
    first, second, other = (tmp_path / n for n in ("a.sqlite3", "b.sqlite3", "c.sqlite3"))
    counts = generate(first, units=20, seed=7)
    generate(second, units=20, seed=7)
    generate(other, units=20, seed=8)
    names_a, counts_a = _snapshot(first)
    names_b, counts_b = _snapshot(second)
    assert len(names_a) == counts["Unit"] == 20
    assert names_a == names_b
    assert counts_a == counts_b
    assert _snapshot(other)[0] != names_a
    # Realistic names: a county bureau's units, as the register would hold them.
    assert all(n.startswith("海安市公安局") for n in names_a)
    assert any(n.endswith("警务区") for n in names_a)
    assert any(n.endswith("派出所") for n in names_a)


def test_generated_database_opens_with_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "g.sqlite3"
    generate(path, units=20, seed=3)
    with AppContext.open(path, create=False) as ctx:
        assert ctx.opened.migrated_from is None  # already at the latest version
        assert office_service.this_office().name == "海安市公安局"
        assert Unit.select().count() == 20
        assert Title.select().count() > 0
        assert Candidate.select().count() > 0
        # 100 sheets per reviewed candidate, answers one digit per question
        sheets = SurveySheet.select().count()
        assert sheets > 0 and sheets % 100 == 0
        assert all(len(s.answers) == 10 and s.answers.isdigit() for s in SurveySheet.select())
        assert ctx.opened.db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    con = sqlite3.connect(path)
    try:
        version = con.execute('SELECT MAX("version") FROM "schema_migrations"').fetchone()[0]
    finally:
        con.close()
    assert version == migrations.LATEST_VERSION


def test_scope_follows_size() -> None:
    assert [scope_for(n) for n in (20, 300, 3_000, 30_000, 100_000)] == [
        "county", "county", "city", "province", "province"]
