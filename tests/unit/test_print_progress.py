"""Progress while printing, stopping half way, and what a 定稿 would log (补印) before it runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_print_service import name_city_campaign
from wqg_desktop.db.models import PrintLog, Title
from wqg_desktop.printing import certificate as cert_doc
from wqg_desktop.services import printing


class Stop:
    """A ``progress`` that records every report and cancels at the first whose text has ``at``."""

    def __init__(self, at: str = "") -> None:
        self.at, self.seen = at, []

    def __call__(self, done: int, total: int, text: str) -> None:
        self.seen.append((done, total, text))
        if self.at and self.at in text:
            raise printing.PrintCancelled()


def test_certificates_report_every_few_pages(demo_ctx, tmp_path: Path) -> None:
    camp, titles, _ = name_city_campaign(demo_ctx)
    progress = Stop()
    with demo_ctx.acting("打印证书"):
        outcome = printing.produce("certificate", out=tmp_path / "c.pdf", final=True,
                                   selection=printing.Selection(campaign=camp.uuid),
                                   progress=progress)
    n = len(titles)
    assert outcome.pages == n == 11
    pages = [done for done, _t, text in progress.seen if text.startswith("正在生成证书")]
    assert pages == [cert_doc.PROGRESS_EVERY, n]  # not one report per page
    assert {total for _d, total, _t in progress.seen} == {n}
    assert progress.seen[-1] == (n, n, "正在登记证书发放……")
    dones = [done for done, *_ in progress.seen]
    assert dones == sorted(dones)


def test_other_documents_report_start_and_end(demo_ctx, tmp_path: Path) -> None:
    progress = Stop()
    with demo_ctx.acting("打印"):
        printing.produce("statistics", out=tmp_path / "s.pdf", progress=progress)
    assert [(d, t) for d, t, _ in progress.seen] == [(0, 1), (1, 1)]


@pytest.mark.parametrize("at", ["第 10 /", "正在写入", "正在登记"])
def test_a_stop_leaves_no_file_no_numbers_and_no_log(demo_ctx, tmp_path: Path, at: str) -> None:
    camp, titles, _ = name_city_campaign(demo_ctx)
    Title.update(certificate_no="").where(Title.id == titles[0].id).execute()
    out = tmp_path / "c.pdf"
    with demo_ctx.acting("打印证书"), pytest.raises(printing.PrintCancelled):
        printing.produce("certificate", out=out, final=True, progress=Stop(at),
                         selection=printing.Selection(campaign=camp.uuid))
    assert not out.exists()  # also when the stop came after the file was written
    assert PrintLog.select().count() == 0
    assert Title.get_by_id(titles[0].id).certificate_no == ""  # the number given back


def test_a_stop_before_writing_keeps_the_file_it_would_have_replaced(demo_ctx,
                                                                    tmp_path: Path) -> None:
    camp, _titles, _ = name_city_campaign(demo_ctx)
    out = tmp_path / "c.pdf"
    out.write_bytes(b"%PDF-1.4 an earlier save")
    with demo_ctx.acting("打印证书"), pytest.raises(printing.PrintCancelled):
        printing.produce("certificate", out=out, progress=Stop("第 10 /"),
                         selection=printing.Selection(campaign=camp.uuid))
    assert out.read_bytes() == b"%PDF-1.4 an earlier save"


def test_a_stop_after_overwriting_removes_the_unlogged_file(demo_ctx, tmp_path: Path) -> None:
    camp, _titles, _ = name_city_campaign(demo_ctx)
    out = tmp_path / "c.pdf"
    out.write_bytes(b"%PDF-1.4 an earlier save")
    with demo_ctx.acting("打印证书"), pytest.raises(printing.PrintCancelled):
        printing.produce("certificate", out=out, final=True, progress=Stop("正在登记"),
                         selection=printing.Selection(campaign=camp.uuid))
    assert not out.exists()
    assert PrintLog.select().count() == 0


def test_final_plan_says_what_a_final_print_would_log(demo_ctx, tmp_path: Path) -> None:
    camp, titles, _ = name_city_campaign(demo_ctx)
    sel = printing.Selection(campaign=camp.uuid)
    assert printing.final_plan(sel) == printing.IssuePlan(certificates=11, reprints=0)
    one = printing.Selection(units=[titles[0].unit.uuid])
    with demo_ctx.acting("打印证书"):
        first = printing.produce("certificate", out=tmp_path / "one.pdf", final=True,
                                 selection=one)
    issued = {r.certificate_no for r in first.logged}
    # the unit's title and its 示范单位 title are in the campaign; its older titles are not
    expected = sum(1 for t in printing.certificate_titles(sel) if t.certificate_no in issued)
    plan = printing.final_plan(sel)
    assert (plan.certificates, plan.reprints, plan.first_issues) == (11, expected, 11 - expected)
    assert expected >= 1
    before = PrintLog.select().count()
    with demo_ctx.acting("打印证书"):
        outcome = printing.produce("certificate", out=tmp_path / "all.pdf", final=True,
                                   selection=sel)
    assert outcome.reprints == plan.reprints  # the plan and the log decide alike
    assert PrintLog.select().count() == before + 11
    assert printing.final_plan(sel).reprints == 11
