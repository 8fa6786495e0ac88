"""Numbered, append-only schema migrations.

Each step is a module ``mNNNN_name.py`` with ``VERSION``, ``NAME`` and ``apply(db)``; the
runner applies each inside its own transaction and records it in ``schema_migrations``.
A released step is never edited: fix forward with a new one.
"""

from __future__ import annotations

from types import ModuleType

from wqg_desktop.db.migrations import m0001_initial

STEPS: list[ModuleType] = [m0001_initial]

LATEST_VERSION: int = STEPS[-1].VERSION

assert [s.VERSION for s in STEPS] == list(range(1, len(STEPS) + 1)), "migration numbers must run 1, 2, 3…"
