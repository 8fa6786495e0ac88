"""The home page shows a campaign's publicity end while it is in 公示, in red once it has passed
(naming is possible from that day), and not at all after naming."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_lifecycle_support import campaign_in_creation  # noqa: E402

from wqg_desktop.db.models import acting_as  # noqa: E402
from wqg_desktop.services import campaign_review  # noqa: E402
from wqg_desktop.ui.bus import Bus  # noqa: E402
from wqg_desktop.ui.models.rows import OVERDUE_COLOUR  # noqa: E402
from wqg_desktop.ui.pages.home import HomePage  # noqa: E402

D = dt.date


def _publicity_row(page: HomePage):
    page.refresh()
    rows = [i for i in range(page.model.rowCount())
            if page.model.row_at(i).kind in ("公示期结束", "公示期满，可以命名")]
    return rows[0] if rows else None


def test_home_page_follows_the_publicity_period(qtbot, ctx) -> None:
    campaign, cands = campaign_in_creation(2)
    with acting_as("测试"):
        campaign_review.review_campaign(campaign=campaign, passed=[cands[0].id],
                                        today=D(2026, 11, 26))
        campaign_review.publicize(campaign=campaign, today=D(2026, 11, 26))  # a Thursday
    page = HomePage(ctx, Bus())
    qtbot.addWidget(page)
    page.show()

    ctx.clock = lambda: D(2026, 12, 4)  # the last of 7 working days (over one weekend)
    row = _publicity_row(page)
    assert row is not None
    cells = [page.model.index(row, c).data() for c in range(4)]
    assert cells[0] == "今天到期" and cells[3] == "2026年12月4日"
    assert page.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is None

    ctx.clock = lambda: D(2026, 12, 5)  # the day after: naming is possible, shown in red
    row = _publicity_row(page)
    assert page.model.index(row, 0).data() == "已逾期 1 天"
    brush = page.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == OVERDUE_COLOUR
    with acting_as("测试"):
        campaign_review.name_campaign(campaign=campaign, today=D(2026, 12, 5))
    assert _publicity_row(page) is None
