"""Questionnaires, inspection sheets and the survey report: expected text, embedded fonts."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_assess_services import full_scores, make_campaign, make_unit
from wqg_desktop.db.models import LeadingGroupMember
from wqg_desktop.printing import inspection_sheet, questionnaire, survey_report
from wqg_desktop.services import inspections, surveys
from wqg_desktop.services.office import this_office

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def assert_fonts_embedded(pdf: Path) -> None:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                         text=True).stdout.splitlines()[2:]
    assert out
    for line in out:
        assert line.split()[-5] == "yes", line  # the "emb" column
        assert "Helvetica" not in line, line


@pytest.fixture
def data(ctx):
    with ctx.acting("测试"):
        unit = make_unit("海安市公安局城东派出所")
        campaign = make_campaign([unit])
        rnd = surveys.create_round(unit=unit, campaign=campaign, started_on=dt.date(2026, 11, 2))
        for serial, answers in ((1, "111111111100"), (2, "221133330000")):
            surveys.save_sheet(round_id=rnd.id, serial_no=serial, answers=answers)
        LeadingGroupMember.create(owner_office=this_office(), role="leader", name="周一鸣")
        _s, items = inspections.checklist(campaign, unit)
        saved = inspections.save_inspection(
            unit=unit, campaign=campaign, on=dt.date(2026, 5, 6), inspectors=["周一鸣"],
            scores=full_scores(items), problems="台账不全", rectification="补全台账",
            rectification_deadline=dt.date(2026, 6, 6))
    return ctx, unit, campaign, rnd, saved.inspection


def test_numbered_questionnaires(data, tmp_path: Path) -> None:
    _ctx, _unit, _c, rnd, _i = data
    pdf = tmp_path / "q.pdf"
    pages = questionnaire.build_questionnaires(
        pdf, questionnaire.questionnaire_for_round(rnd.id, 3, 41))
    text = text_of(pdf)
    assert pages == 3 and text.count("\f") >= 3
    for serial in ("No. 00041", "No. 00042", "No. 00043"):
        assert serial in text
    assert text.count("海安市公安局城东派出所") >= 3
    assert "12355" in text and "基本满意" in text and "姓名" in text  # "不填写姓名"
    assert_fonts_embedded(pdf)


def test_inspection_sheets_blank_and_filled(data, tmp_path: Path) -> None:
    _ctx, unit, campaign, _r, insp = data
    pdf = tmp_path / "s.pdf"
    inspection_sheet.build_inspection_sheets(pdf, [
        inspection_sheet.blank_sheet(campaign.id, unit.id),
        inspection_sheet.filled_sheet(insp.id)])
    text = text_of(pdf)
    assert text.count("创建单位检查记录表") == 2
    assert "二.5(4)" in text and "周一鸣" in text and "补全台账" in text and "2026年6月6日" in text
    assert "100" in text
    assert_fonts_embedded(pdf)


def test_survey_report(data, tmp_path: Path) -> None:
    _ctx, _unit, campaign, _r, _i = data
    pdf = tmp_path / "r.pdf"
    survey_report.build_survey_report(pdf, survey_report.report_for_campaign(
        campaign.id, dt.date(2026, 11, 26)))
    text = text_of(pdf)
    # awareness (4 + 2) / 8 = 75.0%, satisfaction (6 + 0) / 10 = 60.0%
    assert "75.0%" in text and "60.0%" in text
    assert "满意度＝" in text and "样本不足" in text
    assert_fonts_embedded(pdf)


def _blank(copies: int, first: int = 1) -> questionnaire.QuestionnaireData:
    return questionnaire.QuestionnaireData(
        "海安市公安局城东派出所", [(q, list(o)) for _k, q, o in surveys.DEFAULT_QUESTIONS],
        first_serial=first, copies=copies)


def test_questionnaire_copies_differ_only_in_their_serial(tmp_path: Path) -> None:
    pdf = tmp_path / "q.pdf"
    assert questionnaire.build_questionnaires(pdf, _blank(3, first=7)) == 3
    # the unchanging part of the page is drawn once and shown on every page
    assert pdf.read_bytes().count(b"/Subtype /Form") == 1
    pages = text_of(pdf).split("\f")[:3]
    for k, page in enumerate(pages):
        serial = f"No. {7 + k:05d}"
        assert page.count(serial) == 2  # at the top right and in the foot line
        assert page.replace(serial, "No. #") == pages[0].replace("No. 00007", "No. #")
    assert "12355" in pages[2] and "调查日期" in pages[2] and "您的身份" in pages[2]


def test_questionnaire_progress_and_cancel(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    pdf = tmp_path / "q.pdf"
    questionnaire.build_questionnaires(pdf, _blank(60),
                                       progress=lambda d, t, text: calls.append((d, t, text)))
    assert [c[:2] for c in calls] == [(0, 120), (25, 120), (50, 120), (60, 120)]
    assert calls[1][2] == "正在生成第 26 / 60 份问卷……" and calls[-1][2] == "正在写入 PDF 文件……"
    # stopped half way: nothing is written, an earlier file at the target stays as it was
    pdf.write_bytes(b"earlier")
    assert questionnaire.build_questionnaires(pdf, _blank(60),
                                              progress=lambda d, _t, _x: d < 25) == 0
    assert pdf.read_bytes() == b"earlier"
