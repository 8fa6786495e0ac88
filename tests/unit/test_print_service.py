"""Choosing documents, issuing certificates once, reprints, drafts, and ``wqg print``."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from wqg_desktop.cli.main import main
from wqg_desktop.db.models import Campaign, Candidate, PrintLog, Title
from wqg_desktop.errors import NotFound, RuleViolation
from wqg_desktop.printing import certificate as cert_doc
from wqg_desktop.services import campaign_review, printing

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils needed")


def name_city_campaign(ctx) -> tuple[Campaign, list[Title], dt.date]:  # type: ignore[no-untyped-def]
    """Review, publicize and name the demo's city campaign (10 of 14 pass, 1 示范单位)."""
    today = ctx.today()
    with ctx.acting("测试"):
        camp = Campaign.get(Campaign.level == 2)
        ids = [c.id for c in camp.candidates.order_by(Candidate.id)]
        campaign_review.review_campaign(campaign=camp, passed=ids[:10], today=today,
                                        demonstration=ids[:1])
        camp = campaign_review.publicize(campaign=camp, today=today)
        day = camp.publicity_end + dt.timedelta(days=3)
        titles = campaign_review.name_campaign(campaign=camp, today=day,
                                               document_no="通团联〔2026〕88号")
    return Campaign.get_by_id(camp.id), titles, day


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_campaign_certificates_issue_once_then_reprint(demo_ctx, tmp_path: Path) -> None:
    camp, titles, _day = name_city_campaign(demo_ctx)
    sel = printing.Selection(campaign=camp.uuid[:8])
    with demo_ctx.acting("打印证书"):
        draft = printing.produce("certificate", out=tmp_path / "d.pdf", selection=sel)
    assert draft.pages == len(titles) == 11  # 10 posts + 1 示范单位
    assert not any(r.final for r in draft.logged)
    assert not printing.was_issued(titles[0].certificate_no)  # a draft issues nothing

    with demo_ctx.acting("打印证书"):
        first = printing.produce("certificate", out=tmp_path / "f.pdf", selection=sel,
                                 final=True, printer="办公室打印机")
    assert [r.reprint for r in first.logged] == [False] * 11
    assert {r.certificate_no for r in first.logged} == {t.certificate_no for t in titles}
    assert all(r.actor == "测试民警" or r.actor for r in first.logged)
    text = pdf_text(tmp_path / "f.pdf")
    assert "草稿" not in text and titles[0].certificate_no in text

    one = printing.Selection(units=[titles[0].unit.uuid[:8]])
    with demo_ctx.acting("补印证书"):
        again = printing.produce("certificate", out=tmp_path / "r.pdf", selection=one,
                                 final=True)
    issued = {t.certificate_no for t in titles}
    # The unit also holds older titles never printed here: those are first issues.
    assert [r.reprint for r in again.logged] == [r.certificate_no in issued for r in again.logged]
    assert any(r.reprint for r in again.logged)
    finals = PrintLog.select().where(PrintLog.final == True,  # noqa: E712
                                     PrintLog.certificate_no == titles[0].certificate_no)
    assert [r.reprint for r in finals.order_by(PrintLog.id)][0] is False
    assert sum(1 for r in finals if not r.reprint) == 1  # issued once


def test_a_number_already_issued_to_another_unit_is_refused(demo_ctx, tmp_path: Path) -> None:
    camp, titles, _ = name_city_campaign(demo_ctx)
    with demo_ctx.acting("打印证书"):
        printing.produce("certificate", out=tmp_path / "f.pdf", final=True,
                         selection=printing.Selection(campaign=camp.uuid))
        other = titles[1]
        other.certificate_no = titles[0].certificate_no  # a typing mistake in the register
        other.save()
        with pytest.raises(RuleViolation, match="一个编号只能发给一个单位|不能再发给"):
            printing.produce("certificate", out=tmp_path / "x.pdf", final=True,
                             selection=printing.Selection(units=[other.unit.uuid]))


def test_default_is_the_latest_naming_of_this_office(demo_ctx, tmp_path: Path) -> None:
    _camp, titles, day = name_city_campaign(demo_ctx)
    chosen = printing.certificate_titles(printing.Selection())
    assert {t.id for t in chosen} == {t.id for t in titles}
    assert all(t.named_on == day for t in chosen)


def test_certificate_data_uses_the_name_and_region_of_the_naming_date(demo_ctx) -> None:
    # The demo's 2008 county titles of 海安: the county was 海安县 then, the unit too.
    title = (Title.select().where(Title.level == 1, Title.named_on < dt.date(2018, 1, 1),
                                  Title.unit_name.startswith("海安县")).first())
    data = printing.certificate_data(title)
    assert data.region == "海安县"
    assert data.wording.startswith(f"授予 {title.unit_name} ")
    assert "海安县“青少年维权岗”称号" in data.wording
    assert all("海安市" not in b for b in data.naming_bodies)


def test_units_without_titles_give_a_chinese_refusal(ctx, tmp_path: Path) -> None:
    # the same words serve the window (its 范围 choices) and the command line (its options)
    with pytest.raises(NotFound, match="还没有命名过.*“范围”改为“一个创建活动”或“勾选的单位”.*--units"):
        printing.certificate_titles(printing.Selection())
    with pytest.raises(NotFound, match="“范围”改为“一个创建活动”.*--campaign"):
        printing.produce("publicity-notice", out=tmp_path / "p.pdf", selection=printing.Selection(),
                         final=False, today=dt.date(2026, 11, 26))


def test_layout_and_calibration_are_stored_and_used(demo_ctx, tmp_path: Path) -> None:
    fields = cert_doc.default_fields("A4", True)
    fields["certificate_no"] = cert_doc.FieldSpec(30.0, 180.0, 100.0, 7.0, 11.0, "left")
    with demo_ctx.acting("套打设置"):
        printing.save_layout(fields=fields, paper="A4")
        printing.save_calibration(printer="票据打印机", dx=1.5, dy=-2.0, scale=1.0)
    assert printing.load_fields("A4")["certificate_no"].x == 30.0
    assert printing.calibration_for("票据打印机") == cert_doc.Calibration(1.5, -2.0, 1.0)
    with pytest.raises(Exception, match="超出了纸张"):
        printing.save_layout(fields={**fields, "certificate_no": cert_doc.FieldSpec(290, 5, 50, 5)})


def test_other_kinds_from_the_database(demo_ctx, tmp_path: Path) -> None:
    camp, _titles, _ = name_city_campaign(demo_ctx)
    sel = printing.Selection(campaign=camp.uuid)
    with demo_ctx.acting("打印"):
        for kind in ("plaque", "plaque-proof", "naming-notice", "application-form",
                     "contact-card", "statistics", "alignment"):
            out = printing.produce(kind, out=tmp_path / f"{kind}.pdf", selection=sel)
            assert out.pages >= 1, kind
        notice = printing.produce("naming-notice", out=tmp_path / "n.docx", selection=sel)
    assert notice.path.stat().st_size > 0
    text = "".join(pdf_text(tmp_path / "naming-notice.pdf").split())
    assert "通团联〔2026〕88号" in text and "1、" in text and "12355" in text


def test_cli_print_draft_and_final(demo_template: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, db)
    out = tmp_path / "c.pdf"
    code = main(["print", "certificate", "--db", str(db), "--out", str(out), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["ok"] and data["data"]["final"] is False
    assert data["data"]["pages"] >= 1 and out.stat().st_size > 0
    code = main(["print", "certificate", "--db", str(db), "--out", str(out), "--final",
                 "--json"])
    first = json.loads(capsys.readouterr().out)["data"]["certificates"]
    code = main(["print", "certificate", "--db", str(db), "--out", str(out), "--final",
                 "--json"])
    second = json.loads(capsys.readouterr().out)["data"]["certificates"]
    assert code == 0
    assert [c["reprint"] for c in first] == [False] * len(first)
    assert [c["reprint"] for c in second] == [True] * len(first)
    with pytest.raises(SystemExit) as exit_:
        main(["print", "nonsense", "--db", str(db), "--out", str(out)])
    assert exit_.value.code == 2
    capsys.readouterr()
    code = main(["print", "certificate", "--db", str(db), "--out", str(tmp_path / "x.txt")])
    assert code == 2 and ".pdf" in capsys.readouterr().err


def test_cli_help_lists_kinds_one_per_line(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["print", "--help"])
    out = capsys.readouterr().out
    for kind, label in printing.KINDS.items():
        assert any(line.split() == [kind, label] for line in out.splitlines()), kind
