"""Minors' identities: masked in every list, print and export unless a logged choice shows them."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from wqg_desktop.db.models import AuditLog, MinorDataDisclosure, PoliceType, Region, Unit
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing.ledger import build_ledger
from wqg_desktop.services import privacy, records_cobuild, records_consult
from wqg_desktop.services import records_common as rc
from wqg_desktop.services.office import this_office

TODAY = dt.date(2026, 11, 26)
#: An invented minor: the name, an 18-digit number of the right shape, a school and address.
MINOR = "李小虎"
MINOR_ID = "32068520120315002X"
SCHOOL = "海安市城北实验小学"
ADDRESS = "海安市城北镇幸福路18号"
PERIOD = rc.Period(dt.date(2026, 1, 1), TODAY)


@pytest.fixture
def unit(ctx) -> Unit:
    return Unit.create(owner_office=this_office(), name="海安市公安局城北派出所",
                       name_key="海安市公安局城北派出所", region=Region.get(Region.name == "海安市"),
                       police_type=PoliceType.get(PoliceType.name == "治安"), head_name="周建华")


@pytest.fixture
def records(ctx, unit):
    with ctx.acting():
        c = records_consult.save(
            today=TODAY, unit_id=unit.id, kind="complaint", received_on=dt.date(2026, 11, 2),
            channel="来访", content="学生在校外被索要财物", minor_name=MINOR,
            minor_id_no=MINOR_ID.lower(), minor_school=SCHOOL, minor_address=ADDRESS)
        cb = records_cobuild.save(today=TODAY, unit_id=unit.id, township="城北镇",
                                  village="幸福村")
        h = records_cobuild.save_help(
            today=TODAY, cobuilding_uuid=cb.uuid, on=dt.date(2026, 5, 6),
            youth_group="闲散青少年", help_kind="纠偏帮教", description="结对帮教",
            minor_name=MINOR, minor_id_no=MINOR_ID)
    return c, h


def _leaks(text: str) -> list[str]:
    return [s for s in (MINOR, MINOR_ID, SCHOOL, ADDRESS, "城北实验", "幸福路") if s in text]


def test_identity_is_stored_as_entered_but_listed_masked(records) -> None:
    c, _h = records
    assert c.minor_id_no == MINOR_ID  # stored, upper-cased X
    row = records_consult.rows(today=TODAY)[0]
    assert (row.minor_name, row.minor_id_no, row.minor_school, row.minor_address) == (
        "李某某", "", "某学校", "")
    assert row.masked and row.has_minor
    cob = [r for r in records_cobuild.rows() if r.help_uuid][0]
    assert (cob.minor_name, cob.minor_id_no) == ("李某某", "")


def test_audit_trail_never_holds_the_identity(records, ctx) -> None:
    c, h = records
    with ctx.acting():
        records_consult.save(today=TODAY, uuid=c.uuid, unit_id=c.unit_id, kind="complaint",
                             received_on=c.received_on, channel="来访", content=c.content,
                             minor_name="李龙", minor_id_no="", minor_school="", minor_address="")
        records_cobuild.delete_help(h.uuid)
    trail = " ".join(a.changes for a in AuditLog.select())
    assert _leaks(trail) == [] and "李龙" not in trail
    changed = json.loads(AuditLog.select().where(AuditLog.action == "修改").get().changes)
    assert changed["minor_name"] == ["李某某", "李某"]


def test_xlsx_export_is_masked(records, tmp_path) -> None:
    path = tmp_path / "咨询投诉.xlsx"
    records_consult.export(path, records_consult.rows(today=TODAY))
    cob = tmp_path / "共建.xlsx"
    records_cobuild.export(cob, records_cobuild.rows())
    for file in (path, cob):
        cells = [str(v) for row in load_workbook(file).active.iter_rows(values_only=True)
                 for v in row if v is not None]
        text = " ".join(cells)
        assert "李某某" in text
        assert _leaks(text) == []


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext) not installed")


@needs_poppler
def test_ledger_pdf_is_masked(records, unit, tmp_path) -> None:
    path = tmp_path / "台账.pdf"
    pages = build_ledger(path, unit_id=unit.id, period=PERIOD, today=TODAY,
                         office_name="海安市公安局")
    text = _pdf_text(path)
    flat = "".join(text.split())
    assert pages >= 3
    assert "李某某" in text and "未成年人身份信息已遮蔽" in text
    assert "第1页" not in flat and f"第2页共{pages}页" in flat  # the cover has no number
    assert "目" in text and "咨询投诉" in text
    assert _leaks(text) == []
    assert MinorDataDisclosure.select().count() == 0


def test_disclosure_needs_a_reason_and_is_logged(records, ctx) -> None:
    c, h = records
    with ctx.acting(), pytest.raises(InputRefused, match="理由"):
        privacy.disclose([c], reason="看看")
    assert MinorDataDisclosure.select().count() == 0
    with ctx.acting():
        grant = privacy.disclose([c, h], reason="协助法院核对当事人身份", purpose="导出 Excel")
    logged = privacy.disclosure_log()
    assert {d.entity_uuid for d in logged} == {c.uuid, h.uuid}
    assert {d.actor for d in logged} == {ctx.actor}  # 测试民警 (and the login, on a server)
    assert all(d.reason == "协助法院核对当事人身份" for d in logged)
    assert privacy.audited_disclosures(c.uuid) == 1
    row = records_consult.rows(today=TODAY, disclosure=grant)[0]
    assert (row.minor_name, row.minor_id_no, row.minor_school) == (MINOR, MINOR_ID, SCHOOL)
    assert not row.masked


def test_disclosure_covers_only_the_chosen_records(records, ctx, unit) -> None:
    c, _h = records
    with ctx.acting():
        other = records_consult.save(
            today=TODAY, unit_id=unit.id, kind="consultation", received_on=dt.date(2026, 11, 3),
            channel="电话", content="咨询", minor_name="王小丫")
        grant = privacy.disclose([c], reason="协助法院核对当事人身份")
    names = {r.uuid: r.minor_name for r in records_consult.rows(today=TODAY, disclosure=grant)}
    assert names == {c.uuid: MINOR, other.uuid: "王某某"}


@needs_poppler
def test_disclosed_ledger_shows_the_identity_and_says_so(records, unit, ctx, tmp_path) -> None:
    c, h = records
    with ctx.acting():
        grant = privacy.disclose([c, h], reason="检察院调取台账核对身份", purpose="打印台账")
    path = tmp_path / "台账.pdf"
    build_ledger(path, unit_id=unit.id, period=PERIOD, today=TODAY, office_name="海安市公安局",
                 disclosure=grant)
    text = _pdf_text(path)
    assert MINOR in text and "注意保密" in text
    assert MinorDataDisclosure.select().where(MinorDataDisclosure.purpose == "打印台账").count() == 2
