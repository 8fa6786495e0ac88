"""Changes saved elsewhere (another officer on the server, another program) reach the pages."""

from __future__ import annotations

from wqg_desktop.db.models import Region
from wqg_desktop.services import units
from wqg_desktop.services.units import UnitFields
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.change_poller import ChangePoller
from wqg_desktop.ui.main_window import MainWindow


def test_a_unit_saved_elsewhere_is_announced_on_the_bus(ctx, qtbot) -> None:
    bus = Bus()
    poller = ChangePoller(bus, interval_ms=60_000)
    heard: list[str] = []
    bus.changed.connect(heard.append)
    assert poller.poll() == set() and heard == []
    with ctx.acting("别的电脑"):  # written without this window's bus
        units.create_unit(UnitFields(name="海安市公安局城东派出所", region_id=Region.select().first().id,
                                     police_type_id=1), today=ctx.today())
    assert poller.poll() == {"Unit"} and heard == ["Unit"]
    assert poller.poll() == set()
    poller.timer.stop()


def test_the_main_window_watches_for_changes(ctx, qtbot) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.change_poller.timer.isActive()
