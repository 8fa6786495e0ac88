"""Lines drawn from caches (laid_text): a repeated line is the same text in the PDF, never
another document's glyph codes, and a certificate batch reads right on every page.

Checked from the outside with poppler's pdftotext, page by page.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from wqg_desktop.domain.chinese import Term
from wqg_desktop.printing import certificate as cert_doc
from wqg_desktop.printing import layout as lay

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils needed")

HONOUR = "2011—2012年度南通市“青少年维权岗”称号"  # padded quotes: drawn with ActualText


def page_text(pdf: Path, page: int) -> str:
    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf),
                          "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def test_a_line_repeated_at_its_place_reads_the_same_on_each_page(tmp_path: Path) -> None:
    pdf = tmp_path / "repeat.pdf"
    canvas = lay.new_canvas(pdf, lay.paper_size("A4"))
    lay.draw_text(canvas, 300, 500, HONOUR, "song", 20, anchor="centre")
    canvas.showPage()
    lay.draw_text(canvas, 60, 700, "一二三四五六七八九十", "hei", 12)  # new glyphs in between
    width = lay.draw_text(canvas, 300, 500, HONOUR, "song", 20, anchor="centre")
    canvas.showPage()
    canvas.save()
    assert isinstance(canvas, lay.ChainCanvas) and len(canvas.drawn_lines) == 2
    assert width == pytest.approx(lay.text_width(HONOUR, "song", 20))
    assert page_text(pdf, 1) == HONOUR
    assert page_text(pdf, 2) == "一二三四五六七八九十" + HONOUR


def test_a_repeated_padded_line_keeps_its_actual_text(tmp_path: Path) -> None:
    pdf = tmp_path / "padded.pdf"
    canvas = lay.new_canvas(pdf, lay.paper_size("A4"))
    canvas.setPageCompression(0)
    for _ in range(2):
        lay.draw_text(canvas, 300, 500, HONOUR, "song", 20, anchor="centre")
        canvas.showPage()
    canvas.save()
    actual = HONOUR.encode("utf-16-be").hex().upper()
    assert pdf.read_bytes().count(f"/ActualText <FEFF{actual}>".encode()) == 2


def test_lines_are_never_repeated_into_another_document(tmp_path: Path) -> None:
    # The glyph codes of a line belong to its document's font subset: in a second document
    # where other characters came first, the same codes would spell other characters.
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    canvas = lay.new_canvas(first, lay.paper_size("A4"))
    lay.draw_text(canvas, 100, 500, "海安县公安局", "song", 20)
    canvas.showPage()
    canvas.save()
    canvas = lay.new_canvas(second, lay.paper_size("A4"))
    lay.draw_text(canvas, 100, 700, "一二三四五六", "song", 20)
    lay.draw_text(canvas, 100, 500, "海安县公安局", "song", 20)
    canvas.showPage()
    canvas.save()
    assert page_text(first, 1) == "海安县公安局"
    assert page_text(second, 1) == "一二三四五六海安县公安局"


def test_a_fit_is_worked_out_once_until_the_caches_are_cleared() -> None:
    box = lay.Box(0, 0, lay.mm(80), lay.mm(12))
    fitted = lay.fit_text("南通市公安局水警支队长江治安管理大队一中队", box, start=26, minimum=14)
    assert lay.fit_text("南通市公安局水警支队长江治安管理大队一中队", box, start=26,
                        minimum=14) is fitted
    lay.clear_caches()
    again = lay.fit_text("南通市公安局水警支队长江治安管理大队一中队", box, start=26, minimum=14)
    assert again is not fitted and again == fitted


def _cert(name: str, number: str, bodies: tuple[str, ...]) -> cert_doc.CertificateData:
    return cert_doc.CertificateData(unit_name=name, term=Term(2011), region="南通市",
                                    naming_bodies=bodies, issued_on=dt.date(2012, 8, 8),
                                    certificate_no=number)


@pytest.mark.parametrize("draft", [False, True])
def test_every_page_of_a_batch_reads_its_own_certificate(tmp_path: Path, draft: bool) -> None:
    two, three = ("共青团南通市委", "南通市公安局"), ("共青团南通市委", "南通市公安局", "南通市教育局")
    items = [_cert("海安县公安局城北中心派出所", "通维权〔2012〕第001号", two),
             _cert("如皋市公安局刑警大队", "通维权〔2012〕第002号", three),
             _cert("“青少年”维权岗测试单位", "通维权〔2012〕第003号", two),
             _cert("启东市公安局交巡警大队", "通维权〔2012〕第004号", three)]
    pdf = tmp_path / "batch.pdf"
    report = cert_doc.render_certificates(pdf, items, draft=draft)
    assert report.pages == 4
    for page, item in enumerate(items, 1):
        text = page_text(pdf, page)
        assert text.count("荣誉证书") == 1 and text.count("授予") == 1
        assert item.unit_name in text and item.certificate_no in text and HONOUR in text
        assert all(body in text for body in item.naming_bodies)
        assert ("南通市教育局" in text) == (len(item.naming_bodies) == 3)
        assert "二〇一二年八月八日" in text
        assert ("草稿" in text) == draft
    # Pages with the same number of bodies put them in the same boxes; three bodies move them.
    fields = report.fields
    assert fields[0]["naming_body_1"] == fields[2]["naming_body_1"]
    assert fields[1]["naming_body_1"] == fields[3]["naming_body_1"]
    assert fields[0]["naming_body_1"].lines[0][1] != fields[1]["naming_body_1"].lines[0][1]
