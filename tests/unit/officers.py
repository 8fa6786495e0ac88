"""Several officers at once, for the shared-server tests: one thread (and so one database
connection, as one PC has) per officer, all starting each step together."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from wqg_desktop.db.models import acting_as, database


def at_once(count: int, step: Callable[[int, int], Any], *, rounds: int = 1) -> tuple[list, list]:
    """Run ``step(officer, round)`` for officers 0…count-1 simultaneously, ``rounds`` times; returns
    (results, exceptions). A failing officer releases the others instead of leaving them
    waiting."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []

    def officer(n: int) -> None:
        try:
            for r in range(rounds):
                barrier.wait(timeout=30)
                with acting_as(f"民警{n}"):
                    results.append(step(n, r))
        except Exception as exc:  # the failure a test looks for
            errors.append(exc)
            barrier.abort()
        finally:
            database.obj.close()

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors
