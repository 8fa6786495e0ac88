"""Every document kind renders a PDF that is checked from the outside, with poppler.

Fonts embedded (pdffonts), expected text present (pdftotext), page size and orientation
(pdfinfo), field positions on pre-printed paper within ±0.5 mm (pdftotext -bbox), and a
name with a character no font covers refused before anything is drawn.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from wqg_desktop.domain.chinese import Term
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import (
    application_form,
    commitment_board,
    contact_card,
    plaque,
    statistics,
)
from wqg_desktop.printing import certificate as cert_doc
from wqg_desktop.printing import layout as lay
from wqg_desktop.printing.docx_export import write_docx
from wqg_desktop.printing.naming_notice import naming_document, render_document
from wqg_desktop.printing.publicity_notice import publicity_document

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils needed")

LONG_NAME = ("南通市公安局水警支队长江治安管理大队一中队第二警务区青少年维权服务站"
             "及其下属校园安全工作站联络组织办公室")
BODIES = ("共青团南通市委", "南通市公安局")
UNCOVERED = "\U0002A6D6"  # 𪛖, CJK extension B: in no bundled face


def cert(name: str = "海安县公安局城北中心派出所", *, number: str = "通维权〔2012〕第001号",
         demonstration: bool = False, bodies: tuple[str, ...] = BODIES) -> cert_doc.CertificateData:
    return cert_doc.CertificateData(unit_name=name, term=Term(2011), region="南通市",
                             naming_bodies=bodies, issued_on=dt.date(2012, 8, 8),
                             certificate_no=number, demonstration=demonstration)


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def assert_fonts_embedded(pdf: Path) -> None:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts at all"
    for row in rows:
        cols = row.split()
        # name type encoding emb sub uni id gen: 'yes' in the emb column for every font
        assert cols[-5] == "yes", f"font not embedded: {row}"
        assert "Helvetica" not in row and "Times" not in row, row
    assert b"FontFile2" in pdf.read_bytes()


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def words(pdf: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                          "-"], capture_output=True, text=True, check=True).stdout
    return [(m[4], float(m[0]), float(m[1]), float(m[2]), float(m[3])) for m in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        out)]


def test_full_certificate_has_the_rule_4_wording(tmp_path: Path) -> None:
    pdf = tmp_path / "c.pdf"
    report = cert_doc.render_certificates(pdf, [cert(), cert(demonstration=True, number="")],
                                   draft=False)
    assert report.pages == 2
    assert_fonts_embedded(pdf)
    text = text_of(pdf)
    assert "授予" in text and "海安县公安局城北中心派出所" in text
    assert "2011—2012年度南通市“青少年维权岗”称号" in text
    assert "“青少年维权岗”创建活动示范单位称号" in text
    assert "二〇一二年八月八日" in text and "二O一二" not in text
    assert "共青团南通市委" in text and "南通市公安局" in text
    assert "通维权〔2012〕第001号" in text
    assert "草稿" not in text  # a final certificate carries no draft mark
    w, h = page_sizes(pdf)[0]
    assert (round(w), round(h)) == (842, 595)  # A4 landscape


def test_draft_is_marked_and_a3_is_a3_landscape(tmp_path: Path) -> None:
    pdf = tmp_path / "c.pdf"
    cert_doc.render_certificates(pdf, [cert()], paper="A3", title_text="证书", draft=True)
    assert "草稿" in text_of(pdf)
    w, h = page_sizes(pdf)[0]
    assert (round(w), round(h)) == (1191, 842)


def test_a_sixty_character_name_fits_its_box(tmp_path: Path) -> None:
    name = (LONG_NAME * 2)[:60]
    assert len(name) == 60
    pdf = tmp_path / "c.pdf"
    report = cert_doc.render_certificates(pdf, [cert(name)], draft=False)
    fitted = report.fields[0]["unit_name"]
    w, _h = lay.paper_size("A4", landscape_=True)
    for line, x, _y in fitted.lines:
        width = lay.fonts.string_width(line, "song", fitted.size)
        left = x - width / 2  # centred
        assert lay.mm(12) < left and left + width < w - lay.mm(12)
    assert fitted.size >= lay.FLOOR_SIZE
    joined = "".join(text_of(pdf).split())
    assert name in joined


def test_fit_text_never_leaves_the_box() -> None:
    box = lay.Box(0, 0, lay.mm(80), lay.mm(12))
    fitted = lay.fit_text((LONG_NAME * 2)[:60], box, start=26, minimum=14)
    assert len(fitted.lines) >= 2
    for line, x, y in fitted.lines:
        assert lay.fonts.string_width(line, "song", fitted.size) <= box.w + 1e-6
        assert box.y - 1e-6 <= y - fitted.size * 0.12 and y + fitted.size * 0.88 <= box.top + 1e-6
        assert x == box.x


def test_uncovered_character_is_refused_before_drawing(tmp_path: Path) -> None:
    pdf = tmp_path / "c.pdf"
    bad = f"海安县公安局{UNCOVERED}派出所"
    with pytest.raises(InputRefused) as err:
        cert_doc.render_certificates(pdf, [cert(), cert(bad)])
    assert UNCOVERED in err.value.message and bad in err.value.message
    assert err.value.details == [UNCOVERED]
    assert not pdf.exists() or pdf.stat().st_size == 0  # nothing, not half a batch


@pytest.mark.parametrize("cal", [cert_doc.Calibration(), cert_doc.Calibration(2.5, -1.5, 1.0),
                                 cert_doc.Calibration(0, 0, 1.02)])
def test_overlay_fields_land_within_half_a_millimetre(tmp_path: Path, cal) -> None:
    fields = cert_doc.default_fields("A4", True)
    fields["certificate_no"] = cert_doc.FieldSpec(31.0, 181.0, 100.0, 7.0, 11.0, "left")
    fields["unit_name"] = cert_doc.FieldSpec(40.0, 84.0, 217.0, 15.0, 24.0, "centre")
    pdf = tmp_path / "o.pdf"
    cert_doc.render_certificates(pdf, [cert()], layout="overlay", fields=fields, calibration=cal,
                          draft=False)
    found = {w[0]: w for w in words(pdf)}
    mm = lay.mm(1)
    _name, x0, y0, _x1, _y1 = found["通维权〔2012〕第001号"]
    assert abs(x0 / mm - (31.0 * cal.scale + cal.dx)) <= 0.5
    assert abs(y0 / mm - (181.0 * cal.scale + cal.dy)) <= 0.5
    _name, x0, y0, x1, _y1 = found["海安县公安局城北中心派出所"]
    centre = (40.0 + 217.0 / 2) * cal.scale + cal.dx
    assert abs((x0 + x1) / 2 / mm - centre) <= 0.5
    assert abs(y0 / mm - (84.0 * cal.scale + cal.dy)) <= 0.5
    text = text_of(pdf)
    assert "荣誉证书" not in text and "授予" not in text  # only the variable fields
    assert_fonts_embedded(pdf)


def test_overlay_box_off_the_paper_is_refused(tmp_path: Path) -> None:
    fields = cert_doc.default_fields("A4", True)
    fields["issue_date"] = cert_doc.FieldSpec(250.0, 150.0, 80.0, 8.0)
    with pytest.raises(InputRefused, match="超出了纸张"):
        cert_doc.render_certificates(tmp_path / "x.pdf", [cert()], layout="overlay", fields=fields)


def test_alignment_page_has_rulers_and_field_boxes(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    cert_doc.render_alignment_page(pdf, calibration=cert_doc.Calibration(1, 1, 1.0))
    text = text_of(pdf)
    assert "套打对位测试页" in text and "单位名称" in text and "100" in text
    assert len(page_sizes(pdf)) == 1


def test_plaque_is_real_size_and_proof_is_a4(tmp_path: Path) -> None:
    items = [plaque.PlaqueData("2011—2012年度南通市", BODIES, 2012, 8, (n,))
             for n in ("海安县公安局白甸派出所", "如东县公安局掘港派出所")]
    real, proof = tmp_path / "p.pdf", tmp_path / "q.pdf"
    assert plaque.render_plaques(real, items, width_mm=600, height_mm=400) == 1  # one design
    w, h = page_sizes(real)[0]
    assert abs(w / lay.mm(1) - 600) < 0.1 and abs(h / lay.mm(1) - 400) < 0.1
    assert "青少年维权岗" in text_of(real) and "二〇一二年八月" in text_of(real)
    plaque.render_proof(proof, items, colour="black")
    text = text_of(proof)
    assert "600 毫米" in text and "400 毫米" in text and "制作数量：2 块" in text
    assert "如东县公安局掘港派出所" in text
    assert_fonts_embedded(proof)


def _naming_doc():
    return naming_document(
        issuers=BODIES, document_no="通公发〔2026〕88号", term=Term(2025), region="南通市",
        level_label="全市公安系统", posts=["如东县公安局掘港派出所", "南通市拘留所"],
        demonstrations=["南通市拘留所"], signed_on=dt.date(2026, 12, 20),
        addressees="各县(市)区公安(分)局：")


def test_naming_notice_lists_units_like_the_seed(tmp_path: Path) -> None:
    pdf = tmp_path / "n.pdf"
    assert render_document(pdf, _naming_doc()) >= 3
    text = "".join(text_of(pdf).split())
    for expected in ("通公发〔2026〕88号", "关于命名2025—2026年度南通市“青少年维权岗”的决定",
                     "1、如东县公安局掘港派出所", "2、南通市拘留所", "12355",
                     "二〇二六年十二月二十日", "附件1", "附件2",
                     "2025—2026年度全市公安系统", "创建活动示范单位名单"):
        assert expected in text, expected
    assert_fonts_embedded(pdf)


def test_publicity_notice_has_its_period(tmp_path: Path) -> None:
    doc = publicity_document(issuers=BODIES, document_no="", term=Term(2025), region="南通市",
                             level_label="全市公安系统", units=["南通市拘留所"],
                             start=dt.date(2026, 11, 26), end=dt.date(2026, 12, 4),
                             contact="监督电话 12355")
    pdf = tmp_path / "p.pdf"
    render_document(pdf, doc)
    text = "".join(text_of(pdf).split())
    assert "公示时间：2026年11月26日至2026年12月4日" in text
    assert "1、南通市拘留所" in text and "拟命名单位名单" in text


def test_notice_docx_is_editable_text(tmp_path: Path) -> None:
    from docx import Document

    path = write_docx(tmp_path / "n.docx", _naming_doc())
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert "通公发〔2026〕88号" in paragraphs
    assert any(p.endswith("1、如东县公安局掘港派出所") for p in paragraphs)
    assert "二〇二六年十二月二十日" in paragraphs


def test_commitment_board_contact_cards_and_form(tmp_path: Path) -> None:
    board = commitment_board.BoardData("海安市公安局白甸派出所", "快速出警、优先处置。",
                                       "未成年人被侵害案件", "0513-80000000",
                                       "海安市白甸镇府前路1号", "钱某某")
    pdf = tmp_path / "b.pdf"
    commitment_board.render_boards(pdf, [board])
    text = text_of(pdf)
    assert "服务承诺" in text and "12355" in text and "0513-80000000" in text

    cards = [contact_card.CardData(f"单位{i}", "0513-80000000", "地址", "钱某某")
             for i in range(11)]
    pdf = tmp_path / "k.pdf"
    assert contact_card.render_cards(pdf, cards) == 2  # ten per sheet
    assert len(page_sizes(pdf)) == 2
    origins = contact_card.card_origins(*lay.paper_size("A4"))
    assert len(origins) == 10 and all(0 <= x and x + 90 <= 210 and 0 <= y and y + 54 <= 297
                                      for x, y in origins)

    form = application_form.ApplicationData(
        form_title="2025—2026年度南通市“青少年维权岗”创建单位申报表", unit_name=LONG_NAME,
        region="市直", bureau="南通市公安局", police_type="水警", unit_kind="中队",
        head_name="钱某某", head_post="中队长", head_phone="13900000000",
        hotline="0513-80000000", address="南通市崇川区", online="已上线", volunteers="",
        titles_held="", commitment="快速出警")
    pdf = tmp_path / "f.pdf"
    assert application_form.render_forms(pdf, [form]) == 1
    text = "".join(text_of(pdf).split())
    assert "创建单位申报表" in text and "推荐单位" in text
    assert LONG_NAME[:30] in text and LONG_NAME[-12:] in text  # wrapped in its cell
    assert_fonts_embedded(pdf)


def test_statistics_with_chart(tmp_path: Path) -> None:
    line = statistics.CoverageLine
    data = statistics.StatisticsData(
        office="南通市公安局", as_of=dt.date(2026, 11, 26),
        by_region=[line("海安市", 28, 17, 11, 23, "82.1%"), line("市直", 10, 0, 10, 10, "100.0%")],
        by_police_type=[line("治安", 32, 19, 22, 29, "90.6%")],
        total=line("合计", 38, 17, 21, 33, "86.8%"), titles_by_level=[("市级", 12)])
    pdf = tmp_path / "s.pdf"
    statistics.render_statistics(pdf, data)
    text = text_of(pdf)
    assert "覆盖率" in text and "82.1%" in text and "各县(市、区)覆盖情况" in text
    assert_fonts_embedded(pdf)
