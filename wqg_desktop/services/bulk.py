"""Running one bulk step (an import of thousands of rows) without the cycle collector's pauses."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold Python's cycle collector for one bulk step (a ``with`` block or, as a decorator,
    one call). A 10,000-row file makes a few hundred thousand small objects (cells, row
    plans, row values); every so many of them the collector walks all objects of the process,
    pypinyin's dictionaries alone adding ~190,000: a quarter of such an import's time. The
    steps make no garbage cycles that must go before they end; afterwards the collector runs
    as before. Nested steps leave it to the outermost one."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
