"""Benchmark: 2,000 numbered blank questionnaires in one PDF (the most 打印空白问卷 allows).

``build_questionnaires`` draws the unchanging part of the page once, as a form XObject, and
per copy only the serial number. With ``--compare`` the same pages are also drawn the way it
was done before, everything again on every page, for the ratio.

Prints numbers only; run with ``python bench/bench_questionnaires.py [N] [--compare]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("WQG_FONTS_ONLY_BUNDLED", "1")

from wqg_desktop.printing import layout as lay  # noqa: E402
from wqg_desktop.printing import questionnaire as q  # noqa: E402
from wqg_desktop.services.survey_templates import DEFAULT_QUESTIONS  # noqa: E402


def data(copies: int) -> q.QuestionnaireData:
    return q.QuestionnaireData("海安市公安局城东派出所", [(t, list(o)) for _k, t, o in DEFAULT_QUESTIONS],
                               copies=copies)


def every_page_drawn(path: Path, d: q.QuestionnaireData) -> None:
    """The previous way: each copy lays out and draws the whole page."""
    width, height = lay.paper_size("A4")
    canvas = lay.new_canvas(path, (width, height), title=d.survey_title, subject=d.unit_name)
    for k in range(d.copies):
        q._serial_part(canvas, d, d.first_serial + k, width, height)
        q._static_part(canvas, d, width, height)
        canvas.showPage()
    canvas.save()


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 2000
    with tempfile.TemporaryDirectory() as folder:
        ours, old = Path(folder) / "ours.pdf", Path(folder) / "old.pdf"
        q.build_questionnaires(ours, data(3))  # warm-up: font registration
        runs = [timed(lambda: q.build_questionnaires(ours, data(n))) for _ in range(3)]
        print(f"build_questionnaires {n} 份：{min(runs):.2f} s（各轮 "
              f"{'、'.join(f'{t:.2f}' for t in runs)}），文件 {ours.stat().st_size / 1e6:.1f} MB")
        if "--compare" in sys.argv:
            t_old = timed(lambda: every_page_drawn(old, data(n)))
            print(f"每页重画（旧做法）{n} 份：{t_old:.2f} s，文件 {old.stat().st_size / 1e6:.1f} MB；"
                  f"比值 {t_old / min(runs):.0f}×")


if __name__ == "__main__":
    main()
