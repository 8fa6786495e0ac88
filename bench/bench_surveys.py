"""Survey speed: per-sheet save over 1,000 keyed questionnaires, and recomputing all rates of
a 300-unit campaign with 30,000 responses. Prints the numbers; asserts nothing.

    python bench/bench_surveys.py            # in a temporary folder, removed afterwards

Targets from the issue: a save ≤ 20 ms per sheet; the recompute ≤ 1 s.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="wqg-bench-") as folder:
        os.environ["WQG_DATA_DIR"] = folder
        from wqg_desktop.app import AppContext
        from wqg_desktop.db.models import (
            Campaign,
            PoliceType,
            Region,
            SurveyRound,
            SurveySheet,
            Unit,
            database,
        )
        from wqg_desktop.services import surveys
        from wqg_desktop.services.office import setup_office, this_office

        today = dt.date(2026, 11, 26)
        with AppContext.open(Path(folder) / "bench.sqlite3", clock=lambda: today) as ctx, \
                ctx.acting("基准测试"):
            setup_office(level="县", name="海安市公安局", region_name="海安市")
            office = this_office()
            region = Region.get(Region.name == "海安市")
            ptype = PoliceType.get(PoliceType.name == "治安")
            campaign = Campaign.create(owner_office=office, level=1, term_start=2025,
                                       name="基准测试活动")
            # 10 questions: 4 awareness, 6 satisfaction, as the "10-question sheet"
            template = surveys.create_template(campaign=campaign,
                                               questions=surveys.DEFAULT_QUESTIONS[:10])
            units = [Unit.create(owner_office=office, name=f"基准单位{i:03d}",
                                 name_key=f"基准单位{i:03d}", region=region, police_type=ptype)
                     for i in range(300)]
            rounds = [surveys.create_round(unit=u, template=template, campaign=campaign,
                                           started_on=today) for u in units]
            rng = random.Random(1)
            shape = surveys.shape_of(template)

            def answers() -> str:
                return "".join(str(rng.randint(0, n)) for n in shape.option_counts)

            # 1) 1,000 sheets keyed one at a time, each its own transaction (as the grid does)
            times = []
            for serial in range(1, 1001):
                text = answers()
                start = time.perf_counter()
                surveys.save_sheet(round_id=rounds[0].id, serial_no=serial, answers=text,
                                   shape=shape)
                times.append(time.perf_counter() - start)
            print(f"保存 1000 份问卷：平均 {statistics.fmean(times) * 1000:.2f} ms/份，"
                  f"中位数 {statistics.median(times) * 1000:.2f} ms，"
                  f"最慢 {max(times) * 1000:.2f} ms（目标 ≤ 20 ms）")

            # 2) 300 units × 100 responses, bulk-loaded, then every rate recomputed
            SurveySheet.delete().execute()
            rows = [{"owner_office": office.id, "round": r.id, "serial_no": s,
                     "answers": answers()} for r in rounds for s in range(1, 101)]
            with database.atomic():
                for k in range(0, len(rows), 500):
                    SurveySheet.insert_many(rows[k:k + 500]).execute()
            assert SurveySheet.select().count() == 30000
            runs = []
            for _ in range(5):
                start = time.perf_counter()
                per_unit = surveys.unit_rates(campaign_id=campaign.id)
                total = surveys.Rates()
                for item in per_unit:  # the campaign figure pools the units' counts
                    total.add(item.rates)
                runs.append(time.perf_counter() - start)
            print(f"重算 {len(per_unit)} 个单位、{SurveyRound.select().count()} 批、"
                  f"{total.sheets} 份问卷的知晓度与满意度：最快 {min(runs) * 1000:.0f} ms，"
                  f"平均 {statistics.fmean(runs) * 1000:.0f} ms（目标 ≤ 1000 ms）")


if __name__ == "__main__":
    main()
