"""A minor named in free text is masked wherever the record goes.

Regression: only the ``minor_*`` fields were masked or sealed; a complaint's content and
result and a help record's description were copied out as typed — into the lists, the
ledger PDF, the Excel export, the home page's due list and the upward package. Every output
path is scanned here for the invented minor's name, given name and ID number.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_pkg_support import TODAY, bind, copy_db

from wqg_desktop.db.models import CoBuildingHelp, Consultation, KnownKey, PoliceType, Region
from wqg_desktop.exchange import merge, package
from wqg_desktop.services import deadlines, privacy, units
from wqg_desktop.services import records_cobuild as rcb
from wqg_desktop.services import records_common as rc
from wqg_desktop.services import records_consult as rcq

pytest_plugins = ("test_pkg_support",)

NAME, GIVEN, ID_NO = "王小虎", "小虎", "320621201301011234"
MASKED = "王某某"
CONTENT = f"{NAME}（13岁）在网吧被殴打，{GIVEN}称身份证号{ID_NO}，要求处理"
RESULT = f"{NAME}的家长表示满意，{GIVEN}已返校"
HELP = f"{NAME}辍学在家，民警上门对{GIVEN}进行心理疏导"
SECRETS = (NAME, GIVEN, ID_NO)


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def add_records(today: dt.date = TODAY) -> tuple[Consultation, CoBuildingHelp]:
    """A unit with an unanswered complaint and an answered one, and a help record; each names
    the minor in its free text as officers write it. Runs inside ``acting``."""
    region = Region.get(Region.kind == "county")
    pt = PoliceType.get(PoliceType.name == "治安")
    unit = units.create_unit(units.UnitFields(name=f"{region.name}公安局城北中心派出所",
                                              region_id=region.id, police_type_id=pt.id), today=today)
    open_one = rcq.save(today=today, unit_id=unit.id, kind="complaint",
                        received_on=today - dt.timedelta(days=3), channel="电话", content=CONTENT,
                        minor_name=NAME, minor_id_no=ID_NO)
    rcq.save(today=today, unit_id=unit.id, kind="consultation",
             received_on=today - dt.timedelta(days=10), channel="来访", content=CONTENT,
             replied_on=today - dt.timedelta(days=8), result=RESULT, minor_name=NAME,
             minor_id_no=ID_NO)
    pair = rcb.save(today=today, unit_id=unit.id, township="城北街道", village="城北社区")
    help_record = rcb.save_help(today=today, cobuilding_uuid=pair.uuid, on=today,
                                youth_group="闲散青少年", help_kind="心理疏导", description=HELP,
                                minor_name=NAME, minor_id_no=ID_NO)
    return open_one, help_record


# ---------------------------------------------------------------------------------------------
# The masking itself
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kw", "expected"), [
    (CONTENT, {"name": NAME, "id_no": ID_NO},
     "王某某（13岁）在网吧被殴打，某某称身份证号（身份证号已隐去），要求处理"),
    ("欧阳小明和小明", {"name": "欧阳小明"}, "欧阳某某和某某"),
    ("阿依古丽·买买提说买买提", {"name": "阿依古丽·买买提"}, "阿某某说某某"),
    ("张三说张", {"name": "张三"}, "张某说张"),  # a one-character given name is left alone
    ("号码32062120130101123x", {"id_no": "32062120130101123X"}, "号码（身份证号已隐去）"),
    ("就读于城北小学", {"school": "城北小学"}, "就读于某学校"),
    ("无关的内容", {"name": NAME}, "无关的内容"),
    ("王小虎", {}, "王小虎"),  # nothing entered: nothing known to mask
])
def test_mask_free_text(text: str, kw: dict, expected: str) -> None:
    assert privacy.mask_free_text(text, **kw) == expected
    # masking twice changes nothing
    assert privacy.mask_free_text(expected, **kw) == expected


# ---------------------------------------------------------------------------------------------
# Lists, exports, the ledger and the due list
# ---------------------------------------------------------------------------------------------


def test_lists_mask_free_text_unless_disclosed(ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.acting("登记"):
        _open, help_record = add_records()
    consult = rcq.rows(today=TODAY)
    cobuild = [r for r in rcb.rows() if r.help_uuid]
    assert len(consult) == 2 and len(cobuild) == 1
    for row in consult:
        assert not leaks(row.content + row.result + row.minor_name)
        assert row.content.startswith(MASKED)
    assert any(r.result.startswith(MASKED) for r in consult)
    assert not leaks(cobuild[0].description) and MASKED in cobuild[0].description
    # the officer's logged choice shows them as typed
    with ctx.acting("核对"):
        shown = privacy.disclose(rcb.help_records([help_record.uuid]), reason="协助法院核对当事人身份")
    row = next(r for r in rcb.rows(disclosure=shown) if r.help_uuid)
    assert row.description == HELP


def test_excel_exports_carry_no_minor(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with ctx.acting("登记"):
        add_records()
    rcq.export(tmp_path / "c.xlsx", rcq.rows(today=TODAY))
    rcb.export(tmp_path / "b.xlsx", rcb.rows())
    for name in ("c.xlsx", "b.xlsx"):
        book = openpyxl.load_workbook(tmp_path / name, read_only=True)
        cells = " ".join(str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
        book.close()
        assert not leaks(cells), name
        assert MASKED in cells, name


def test_ledger_pdf_carries_no_minor(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils needed")
    from wqg_desktop.printing.ledger import build_ledger

    with ctx.acting("登记"):
        record, _help = add_records()
    build_ledger(tmp_path / "l.pdf", unit_id=record.unit_id, period=rc.Period(), today=TODAY)
    text = "".join(subprocess.run(["pdftotext", str(tmp_path / "l.pdf"), "-"], capture_output=True,
                                  text=True, check=True).stdout.split())
    assert not leaks(text)
    assert MASKED in text


def test_due_list_subject_carries_no_minor(ctx) -> None:  # type: ignore[no-untyped-def]
    with ctx.acting("登记"):
        record, _help = add_records()
    items = [i for i in deadlines.due_items(TODAY) if i.entity_uuid == record.uuid]
    assert len(items) == 1
    assert not leaks(items[0].subject)
    assert f"：{MASKED}（13岁）" in items[0].subject


# ---------------------------------------------------------------------------------------------
# The upward package
# ---------------------------------------------------------------------------------------------


def _package_text(pkg: Path) -> dict[str, str]:
    with zipfile.ZipFile(pkg) as zf:  # zipfile inflates the record files
        return {n: zf.read(n).decode("utf-8", "replace") for n in zf.namelist()}


def test_package_sends_free_text_masked_and_the_city_restores_it(pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    city = copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(county) as ctx, ctx.acting("登记"):
        add_records()
        result = package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY)
    assert result.sealed_to
    files = _package_text(tmp_path / "p.wqgpkg")
    for name, text in files.items():
        assert not leaks(text), name
    assert MASKED in files["data/Consultation.jsonl"]
    assert MASKED in files["data/CoBuildingHelp.jsonl"]
    # the city holds the key: it gets the records as the county typed them
    with bind(city) as ctx, ctx.acting("汇总"):
        merge.import_package(tmp_path / "p.wqgpkg", trust_new_key=True, db_path=ctx.db_path)
    with bind(city):
        assert sorted(c.content for c in Consultation.select()) == [CONTENT, CONTENT]
        assert {c.result for c in Consultation.select()} == {"", RESULT}
        assert CoBuildingHelp.get().description == HELP
        assert CoBuildingHelp.get().minor_name == NAME
        # and its own lists mask them again
        assert not any(leaks(r.content + r.result) for r in rcq.rows(today=TODAY))


def test_package_without_a_key_sends_only_the_masked_text(pkg_templates, tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county) as ctx, ctx.acting("登记"):
        KnownKey.update(retired=True).execute()
        add_records()
        result = package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY)
    assert result.sealed_to is None and result.minors_blanked == 3
    files = _package_text(tmp_path / "p.wqgpkg")
    for name, text in files.items():
        assert not leaks(text), name
        assert "_sealed" not in text, name
    assert MASKED in files["data/Consultation.jsonl"]


def test_the_audit_trail_masks_the_minor_in_free_text(ctx) -> None:
    from wqg_desktop.db.models import AuditLog, Consultation, Unit
    from wqg_desktop.services import reference

    region = reference.ensure_region("海安市", "county")
    unit = Unit.create(name="海安市公安局城东派出所", name_key="x", region=region,
                       police_type=reference.police_type("治安"), owner_office=ctx.office)
    record = Consultation.create(unit=unit, kind="complaint", received_on=dt.date(2026, 11, 2),
                                 channel="电话", content="学生王小虎（13岁）在网吧被殴打",
                                 minor_name="王小虎", owner_office=ctx.office)
    record.result = "已联系王小虎的家长"
    record.save()
    trail = "\n".join(a.changes for a in AuditLog.select().where(AuditLog.entity == "Consultation"))
    assert "王小虎" not in trail and "小虎" not in trail
    assert "王某某" in trail
