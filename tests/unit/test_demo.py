"""The demo database: the notice's units, ownership, the ladder, people, surveys, determinism."""

from __future__ import annotations

import datetime as dt

import pytest

from wqg_desktop.app import AppContext
from wqg_desktop.db import models as m
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import demo_data
from wqg_desktop.services.demo import build_demo

TODAY = dt.date(2026, 11, 26)

#: The 29 units of attachments 2 and 3, by their current names, with their county (or 市直).
NOTICE_UNITS = {
    "如东县公安局掘港派出所第一警务区": "如东县",
    "南通市公安局崇川分局学田派出所": "崇川区",
    "南通市公安局崇川分局永兴派出所": "崇川区",
    "南通市公安局交通巡逻警察支队一大队": "市直",
    "南通市公安局开发区分局刑警大队": "南通经济技术开发区",
    "南通市公安局禁毒处(支队)": "市直",
    "海安市公安局指挥中心信息网络安全监察科": "海安市",
    "南通市拘留所": "市直",
    "海安市公安局城北中心派出所": "海安市",
    "海安市公安局白甸派出所": "海安市",
    "如皋市公安局刑警大队如城责任区刑侦中队": "如皋市",
    "如皋市公安局交巡警大队城东交巡警中队": "如皋市",
    "通州区公安局经文保大队": "通州区",
    "海门区公安局三阳派出所": "海门区",
    "海门区公安局三和派出所": "海门区",
    "海门区公安局执法监督大队": "海门区",
    "启东市公安局交巡警大队城区一中队": "启东市",
    "启东市公安局刑警大队汇龙中队": "启东市",
    "南通市公安局崇川分局和平桥派出所": "崇川区",
    "南通市公安局崇川分局唐闸派出所": "崇川区",
    "南通市公安局刑警支队一大队": "市直",
    "南通市公安局交巡警支队二大队": "市直",
    "南通市公安局交巡警支队三大队": "市直",
    "南通市公安局交巡警支队四大队": "市直",
    "南通市公安局交巡警支队五大队": "市直",
    "南通市公安局交巡警支队九大队": "市直",
    "南通市公安局水警支队长江治安管理大队一中队": "市直",
    "南通市公安消防支队特勤中队": "市直",
    "南通市公安消防支队港闸大队唐闸中队": "市直",
}


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory):
    ctx = AppContext.open(tmp_path_factory.mktemp("demo") / "demo.sqlite3", clock=lambda: TODAY)
    build_demo(today=TODAY)
    yield ctx
    ctx.close()


@pytest.fixture
def demo(demo_ctx):
    # Other tests open other files, which rebinds the models: bind them back to the demo.
    m.database.initialize(demo_ctx.opened.db)
    return demo_ctx


def _build(path, today: dt.date) -> dict:
    """Build a demo in a new file; return what determinism is checked on."""
    with AppContext.open(path) as ctx:
        build_demo(today=today)
        units = [(u.name, u.head_name, u.head_phone, u.rights_hotline, u.address)
                 for u in m.Unit.select().order_by(m.Unit.id)]
        campaigns = {c.level: (c.creation_start, c.creation_end, c.review_planned)
                     for c in m.Campaign.select()}
        assert ctx.db_path == path.resolve()
    return {"units": units, "campaigns": campaigns}


def _city_campaign() -> m.Campaign:
    return m.Campaign.get(m.Campaign.level == 2)


def test_notice_units_present_in_their_regions(demo):
    units = {u.name: u for u in m.Unit.select()}
    assert len(NOTICE_UNITS) == 29
    for name, region in NOTICE_UNITS.items():
        assert name in units, name
        assert units[name].region.name == region, name
    assert units["南通市拘留所"].region.kind == "city_direct"
    assert units["南通市拘留所"].police_type.name == "监管"
    assert units["南通市公安局禁毒处(支队)"].police_type.name == "禁毒"
    assert units["海安市公安局指挥中心信息网络安全监察科"].police_type.name == "网安"


def test_renamed_units_keep_their_old_names(demo):
    def history(name: str) -> dict[str, dt.date]:
        unit = m.Unit.get(m.Unit.name == name)
        return {n.name: n.valid_to for n in unit.names}

    assert history("海安市公安局城北中心派出所") == {
        "海安县公安局城北中心派出所": dt.date(2018, 2, 12)}
    assert history("海门区公安局三阳派出所") == {"海门市公安局三阳派出所": dt.date(2020, 7, 1)}
    assert "南通市公安局港闸分局唐闸派出所" in history("南通市公安局崇川分局唐闸派出所")
    # A title named before the rename keeps the name of its naming date.
    title = m.Title.get(m.Title.unit_name == "海安县公安局城北中心派出所", m.Title.level == 2,
                        m.Title.term_start == 2011)
    assert title.named_on == dt.date(2012, 8, 8)
    assert title.naming_bodies_text == "共青团南通市委、南通市公安局"
    haian = m.Region.get(m.Region.name == "海安市")
    assert [n.name for n in haian.names] == ["海安县"]
    gangzha = m.Region.get(m.Region.name == "港闸区")
    assert gangzha.merged_into.name == "崇川区"


def test_every_synced_row_has_an_owner(demo):
    for model in m.SYNCED_MODELS:
        orphans = model.select().where(model.owner_office.is_null()).count()
        assert orphans == 0, model.__name__
    city = demo.office
    assert city.name == "南通市公安局" and city.level == 2
    haian = m.Office.get(m.Office.name == "海安市公安局")
    assert haian.parent == city and haian.is_self == 0
    unit = m.Unit.get(m.Unit.name == "海安市公安局城北中心派出所")
    assert unit.owner_office == haian
    county_titles = m.Title.select().where(m.Title.unit == unit, m.Title.level == 1)
    assert {t.owner_office_id for t in county_titles} == {haian.id}


def test_city_candidates_hold_a_valid_county_title(demo):
    candidates = list(_city_campaign().candidates)
    assert len(candidates) >= 12
    for cand in candidates:
        assert cand.status == "reviewing"
        valid = m.Title.select().where(m.Title.unit == cand.unit, m.Title.status == "valid")
        levels = {t.level for t in valid}
        assert 1 in levels, cand.unit.name
        assert 2 not in levels, cand.unit.name  # a valid title is re-reviewed, not applied for
        assert cand.recommended_by is not None
        assert cand.inspections.count() >= 2


def test_titles_cover_every_state(demo):
    statuses = {t.status for t in m.Title.select()}
    assert statuses == {"valid", "rectifying", "cancelled", "deregistered", "revoked"}
    rectifying = m.Title.get(m.Title.status == "rectifying")
    assert rectifying.rectification_deadline == TODAY + dt.timedelta(days=40)
    revoked = m.Title.get(m.Title.status == "revoked")
    event = revoked.events.where(m.TitleEvent.kind == "revoked").get()
    assert event.ground and event.finding
    assert revoked.plaques.get().state == "reclaimed"
    assert m.Title.select().where(m.Title.kind == "demonstration").count() == 1
    for title in m.Title.select():
        assert title.naming_bodies.count() >= 1 and title.plaques.count() == 1
    overdue = m.Title.select().where(m.Title.status == "valid",
                                     m.Title.next_rereview_due < TODAY).count()
    assert overdue == 1


def test_leading_group_like_attachment_1(demo):
    rows = list(m.LeadingGroupMember.select())
    assert sum(r.role == "leader" for r in rows) == 2
    directors = [r for r in rows if r.role == "office_director"]
    assert len(directors) == 1 and directors[0].concurrent
    assert any(r.role == "member" and r.name == directors[0].name for r in rows)


def test_no_real_people_or_the_notice_phone(demo):
    names = [r.name for r in m.LeadingGroupMember.select()]
    names += [r.name for r in m.Supervisor.select()] + [r.name for r in m.Volunteer.select()]
    names += [r.name for r in m.UnitHead.select()] + [u.head_name for u in m.Unit.select()]
    assert not set(names) & demo_data.FORBIDDEN_NAMES
    phones = [u.head_phone for u in m.Unit.select()] + [u.rights_hotline for u in m.Unit.select()]
    assert not any("85020355" in p for p in phones)


def test_survey_rounds_have_enough_sheets(demo):
    rounds = list(m.SurveyRound.select())
    assert len(rounds) == _city_campaign().candidates.count()
    for rnd in rounds:
        sheets = list(rnd.sheets.order_by(m.SurveySheet.serial_no))
        assert len(sheets) >= 30
        assert [s.serial_no for s in sheets] == list(range(1, len(sheets) + 1))
        assert all(len(s.answers) == 10 and s.answers.isdigit() for s in sheets)
        assert all(s.uuid and s.owner_office_id for s in sheets)


def test_campaign_calendar_follows_today(demo):
    city = _city_campaign()
    assert city.stage == "review" and city.creation_end == TODAY - dt.timedelta(days=5)
    assert city.quotas.count() == 8
    county = m.Campaign.get(m.Campaign.level == 1)
    assert county.stage == "creation" and county.creation_end == TODAY + dt.timedelta(days=25)
    assert county.candidates.count() >= 10


def test_deterministic_and_relative_to_today(tmp_path):
    first = _build(tmp_path / "a.sqlite3", TODAY)
    second = _build(tmp_path / "b.sqlite3", TODAY)
    assert first == second
    later = _build(tmp_path / "c.sqlite3", TODAY + dt.timedelta(days=100))
    shifted = later["campaigns"][2][1] - first["campaigns"][2][1]
    assert shifted == dt.timedelta(days=100)
    assert [u[0] for u in later["units"]] == [u[0] for u in first["units"]]


def test_refuses_a_database_that_is_not_empty(demo):
    before = m.Unit.select().count()
    with pytest.raises(InputRefused):
        build_demo(today=TODAY)
    assert m.Unit.select().count() == before


def test_demo_audit_trail_never_holds_a_minors_identity(demo) -> None:
    from wqg_desktop.db.models import AuditLog, CoBuildingHelp, Consultation

    secrets = {c.minor_name for c in Consultation.select() if c.minor_name}
    secrets |= {c.minor_id_no for c in Consultation.select() if c.minor_id_no}
    secrets |= {h.minor_name for h in CoBuildingHelp.select() if h.minor_name}
    assert secrets, "the demo has minors' data to protect"
    trail = "\n".join(a.changes for a in AuditLog.select(AuditLog.changes))
    assert not [s for s in secrets if s in trail]
