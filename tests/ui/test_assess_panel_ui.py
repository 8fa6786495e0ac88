"""绩效考核 tab of the 检查记录 page: the ranking, the evidence of a score, the early warnings."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.test_assess_services import full_scores, make_campaign, make_unit
from wqg_desktop.db.models import LeadingGroupMember, Title
from wqg_desktop.services import inspections
from wqg_desktop.services.office import this_office
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.pages.assess_panel import ranked_rows
from wqg_desktop.ui.pages.inspections import InspectionsPage

D = dt.date


@pytest.fixture
def page(ctx, qtbot):
    with ctx.acting("测试"):
        good = make_unit("海安市公安局城东派出所")
        fair = make_unit("海安市公安局城南派出所")
        silent = make_unit("海安市公安局看守所", "监管")
        campaign = make_campaign([good, fair, silent])
        LeadingGroupMember.create(owner_office=this_office(), role="leader", name="周一鸣",
                                  employer="海安市公安局", post="副局长")
        for unit, fraction in ((good, 1.0), (fair, 0.5)):
            _s, items = inspections.checklist(campaign, unit)
            inspections.save_inspection(unit=unit, campaign=campaign, on=D(2026, 5, 6),
                                        inspectors=["周一鸣"], scores=full_scores(items, fraction))
        titled = make_unit("海安市公安局交巡警大队城区中队", "交巡警")
        Title.create(owner_office=this_office(), unit=titled, level=1, term_start=2023,
                     named_on=D(2024, 8, 8), next_rereview_due=D(2026, 12, 20))
        inspections.save_inspection(unit=titled, on=D(2026, 6, 1), inspectors=["周一鸣"],
                                    rectification="更新承诺公示牌",
                                    rectification_deadline=D(2026, 7, 1))
    widget = InspectionsPage(ctx, Bus())
    qtbot.addWidget(widget)
    widget.resize(900, 480)
    widget.show()
    qtbot.waitExposed(widget)
    widget.ui.campaign_combo.setCurrentIndex(widget.ui.campaign_combo.findData(campaign.id))
    return widget


def test_ranking_opens_to_the_evidence(page, qtbot) -> None:
    panel = page.assess
    assert panel.ranking.rowCount() == 0  # nothing computed while the tab is hidden
    page.ui.main_tabs.setCurrentIndex(2)
    rows = [panel.ranking.row_at(k) for k in range(panel.ranking.rowCount())]
    assert [r["unit"] for r in rows] == ["海安市公安局城东派出所", "海安市公安局城南派出所",
                                         "海安市公安局看守所"]
    assert [r["rank"] for r in rows] == [1, 2, None]
    assert rows[0]["score"] > rows[1]["score"] and rows[2]["score"] is None
    assert "3 个创建单位，2 个有评分依据" in panel.ui.ranking_label.text()
    panel.ui.ranking_table.selectRow(1)
    components = [panel.components.row_at(k) for k in range(panel.components.rowCount())]
    inspection = next(c for c in components if c.key == "inspection")
    assert (inspection.value, inspection.weight) == (50.0, 40)
    assert sum(c.contribution for c in components) == pytest.approx(rows[1]["score"], abs=0.05)
    assert "综合得分" in panel.ui.evidence_label.text()
    panel.ui.components_table.selectRow(components.index(inspection))
    sources = [panel.sources.row_at(k) for k in range(panel.sources.rowCount())]
    assert [(s.entity, s.label) for s in sources] == [("Inspection", "2026年5月6日 检查 50 分")]
    assert panel.sources.data(panel.sources.index(0, 0)) == "检查记录"
    panel.ui.ranking_table.selectRow(2)
    assert "无法评分" in panel.ui.evidence_label.text()


def test_early_warnings_with_their_reasons(page, qtbot) -> None:
    page.ui.main_tabs.setCurrentIndex(2)
    panel = page.assess
    panel.ui.assess_tabs.setCurrentIndex(1)
    assert panel.warnings.rowCount() == 1
    warning = panel.warnings.row_at(0)
    assert warning.unit == "海安市公安局交巡警大队城区中队"
    reasons = panel.warnings.data(panel.warnings.index(0, 4))
    assert "逾期未复查合格" in reasons and "2026年7月1日" in reasons
    assert panel.ui.assess_tabs.tabText(1) == "复核预警（1）"
    assert panel.warnings.data(panel.warnings.index(0, 2)) == "2026年12月20日"


def test_equal_scores_share_a_place() -> None:
    class Found:
        def __init__(self, score):
            self.score, self.components = score, []

    class Cand:
        def __init__(self, name):
            self.status, self.unit = "creating", type("U", (), {"name": name})

    rows = ranked_rows([(Cand("甲"), Found(90.0)), (Cand("乙"), Found(90.0)),
                        (Cand("丙"), Found(80.0)), (Cand("丁"), Found(None))])
    assert [r["rank"] for r in rows] == [1, 1, 3, None]
    assert rows[0]["status"] == "创建中"
