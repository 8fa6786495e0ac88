"""The font chain: coverage, refusal of uncovered characters, real PDFs with embedded fonts.

Runs with the bundled fonts only (``WQG_FONTS_ONLY_BUNDLED=1``), so results do not depend on
what the test machine has installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from wqg_desktop.errors import InputRefused
from wqg_desktop.paths import fonts_dir
from wqg_desktop.printing import font_faces, fonts
from wqg_desktop.printing.fonts import FontChain

UNIT = "海安县公安局城北中心派出所"
TITLE = "授予 海安县公安局城北中心派出所 2011—2012年度南通市“青少年维权岗”称号"
RARE = "\U00030000"  # CJK Extension G: in neither bundled font


@pytest.fixture(scope="module", autouse=True)
def bundled_only() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(fonts.ENV_ONLY_BUNDLED, "1")
        yield


@pytest.fixture(scope="module")
def song(bundled_only: None) -> FontChain:
    return fonts.get_chain("song")


@pytest.fixture(scope="module")
def hei(bundled_only: None) -> FontChain:
    return fonts.get_chain("hei")


def _only_in_hei(song: FontChain, hei: FontChain) -> str:
    """A CJK ideograph Micro Hei has and WenKai lacks (compatibility and Ext-A ideographs)."""
    return next(
        chr(c)
        for c in sorted(hei.primary.covered - song.primary.covered)
        if unicodedata.name(chr(c), "").startswith("CJK")
    )


def test_chains_hold_only_bundled_fonts_in_role_order(song: FontChain, hei: FontChain) -> None:
    assert all(face.bundled for face in song.faces + hei.faces)
    assert song.primary.path.name == "LXGWWenKai-Regular.ttf"
    assert hei.primary.path.name == "wqy-microhei.ttc"
    rows = dict(fonts.describe_chain())
    assert set(rows) == set(fonts.ROLES)
    assert rows["song"][0] == str(fonts_dir() / "LXGWWenKai-Regular.ttf")
    assert rows["hei"][0] == str(fonts_dir() / "wqy-microhei.ttc")


def test_chain_is_cached(song: FontChain) -> None:
    assert fonts.get_chain("song") is song


def test_unknown_role_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        fonts.get_chain("songti")


def test_campaign_text_is_fully_covered(song: FontChain) -> None:
    text = UNIT + "“青少年维权岗”〇" + "二〇一二年八月八日（支队）《》、。：；"
    for role in fonts.ROLES:
        assert fonts.missing_chars(text, role) == []


def test_rare_character_is_reported_once(song: FontChain) -> None:
    assert fonts.missing_chars(f"{RARE}派出所{RARE}\U00020000", "song") == [RARE, "\U00020000"]


def test_whitespace_and_controls_are_not_missing(song: FontChain) -> None:
    assert fonts.missing_chars("派出所\u3000\t\n\u200b\ufe00 所", "song") == []


def test_font_for_char_walks_the_chain(song: FontChain, hei: FontChain) -> None:
    assert fonts.font_for_char("岗", "song") == song.primary.name
    assert fonts.font_for_char("岗", "hei") == hei.primary.name
    assert fonts.font_for_char(RARE, "song") is None
    # A character Micro Hei has and WenKai lacks falls back to the second face.
    only_hei = _only_in_hei(song, hei)
    assert fonts.font_for_char(only_hei, "song") == hei.primary.name


def test_runs_split_by_face(song: FontChain, hei: FontChain) -> None:
    only_hei = _only_in_hei(song, hei)
    runs = song.runs(f"城北{only_hei}派出所")
    assert [(face.name, text) for face, text in runs] == [
        (song.primary.name, "城北"),
        (hei.primary.name, only_hei),
        (song.primary.name, "派出所"),
    ]


def test_string_width_is_sum_of_runs(song: FontChain) -> None:
    assert fonts.string_width("", "song", 12) == 0
    one = fonts.string_width("岗", "song", 10)
    assert one > 0
    assert fonts.string_width("岗岗岗", "song", 10) == pytest.approx(3 * one)
    assert fonts.string_width("岗", "song", 20) == pytest.approx(2 * one)


def test_draw_string_makes_a_pdf_with_embedded_chinese_fonts(tmp_path: Path) -> None:
    out = tmp_path / "certificate.pdf"
    canvas = Canvas(str(out), pagesize=A4)
    width, height = A4
    drawn = fonts.draw_string(
        canvas, width / 2, height - 60 * mm, TITLE, "song", 16, anchor="centre"
    )
    assert drawn == pytest.approx(fonts.string_width(TITLE, "song", 16))
    fonts.draw_string(
        canvas, width - 20 * mm, 40 * mm, "二〇一二年八月八日", "song", 14, anchor="right"
    )
    fonts.draw_string(canvas, 20 * mm, 30 * mm, "证书编号：通维〔2012〕001号", "hei", 10)
    canvas.showPage()
    canvas.save()

    data = out.read_bytes()
    assert b"/FontFile2" in data  # TrueType subsets embedded, not referenced
    assert len(re.findall(rb"/BaseFont /[A-Z]{6}\+", data)) >= 2  # subset fonts of both faces

    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(out), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert UNIT in text
        assert "“青少年维权岗”称号" in text
        assert "二〇一二年八月八日" in text


def test_draw_string_refuses_uncovered_characters_before_drawing(tmp_path: Path) -> None:
    out = tmp_path / "refused.pdf"
    canvas = Canvas(str(out), pagesize=A4)
    with pytest.raises(InputRefused) as info:
        fonts.draw_string(canvas, 10, 10, f"城北{RARE}派出所", "song", 12)
    assert "无法打印" in str(info.value)
    assert f"“{RARE}”" in str(info.value)
    assert info.value.details == [RARE]
    canvas.showPage()
    canvas.save()
    assert b"/FontFile2" not in out.read_bytes()  # not even the covered part was drawn


def test_draw_string_rejects_unknown_anchor(tmp_path: Path) -> None:
    canvas = Canvas(str(tmp_path / "x.pdf"))
    with pytest.raises(ValueError):
        fonts.draw_string(canvas, 0, 0, "岗", "song", 12, anchor="middle")  # type: ignore[arg-type]


def test_fit_font_size_long_unit_name() -> None:
    name = "如东县公安局掘港派出所第一警务区" * 3 + "南通市公安局禁毒支队附属"  # 60 chars
    assert len(name) == 60
    max_width = 200 * mm
    size = fonts.fit_font_size(name, "song", max_width, 26, 6)
    assert size is not None
    assert 6 <= size < 26
    assert fonts.string_width(name, "song", size) <= max_width
    assert fonts.string_width(name, "song", size + 0.5) > max_width  # the largest on the grid


def test_fit_font_size_keeps_start_when_it_fits_and_gives_up_below_min() -> None:
    assert fonts.fit_font_size(UNIT, "song", 200 * mm, 20, 8) == 20
    assert fonts.fit_font_size(UNIT, "song", 20 * mm, 20, 8) is None
    assert fonts.fit_font_size("", "song", 10, 20, 8) == 20


def test_wrap_lines_fit_and_keep_text(song: FontChain) -> None:
    max_width = 60 * mm
    lines = fonts.wrap_lines(TITLE, "song", 12, max_width)
    assert len(lines) > 1
    assert all(fonts.string_width(line, "song", 12) <= max_width for line in lines)
    assert "".join(lines).replace(" ", "") == TITLE.replace(" ", "")
    assert any("2011—2012" in line for line in lines)  # the term is never cut


def test_wrap_lines_punctuation_rules(song: FontChain) -> None:
    text = "一二三四五，六七八九十。“甲乙丙丁戊”（己庚辛壬癸）、子丑寅卯辰"
    one = fonts.string_width("一", "song", 10)
    for chars in range(3, 12):
        lines = fonts.wrap_lines(text, "song", 10, chars * one + 0.01)
        assert "".join(lines) == text
        for line in lines:
            assert line[0] not in "，。、；：？！”）》", lines
            assert line[-1] not in "“（《", lines
            assert fonts.string_width(line, "song", 10) <= chars * one + 0.01


def test_wrap_lines_keeps_newlines_and_splits_overlong_words(song: FontChain) -> None:
    assert fonts.wrap_lines("甲\n乙", "song", 10, 100) == ["甲", "乙"]
    long_word = "A" * 40
    lines = fonts.wrap_lines(long_word, "song", 10, 50)
    assert "".join(lines) == long_word and len(lines) > 1
    with pytest.raises(InputRefused):
        fonts.wrap_lines(RARE, "song", 10, 100)


def test_paragraph_markup_escapes_and_tags_runs(hei: FontChain) -> None:
    markup = fonts.paragraph_markup("A<B>&岗\n二", "hei")
    assert markup == (
        f'<font name="{hei.primary.name}">A&lt;B&gt;&amp;岗</font>'
        f'<br/><font name="{hei.primary.name}">二</font>'
    )


def test_chinese_quotes_get_a_full_em_beside_cjk(song: FontChain) -> None:
    em = 10.0
    plain = fonts.string_width("青少年维权岗", "song", em)
    assert fonts.string_width("“青少年维权岗”", "song", em) == pytest.approx(plain + 2 * em)
    # Quotes around Latin text keep the face's own widths.
    natural = sum(song.primary.char_width(ch, em) for ch in "“hi”")
    assert fonts.string_width("“hi”", "song", em) == pytest.approx(natural)
    # The opening quote's glyph sits at the right of its em box, against the text it opens.
    segments, width = song.layout("市“青", em)
    assert [seg.text for seg in segments] == ["市", "“青"]
    assert segments[1].x == pytest.approx(em + em - song.primary.char_width("“", em))
    assert width == pytest.approx(3 * em)


def test_padded_text_carries_actual_text_for_copy_and_search(tmp_path: Path) -> None:
    out = tmp_path / "quotes.pdf"
    canvas = Canvas(str(out), pagesize=A4, pageCompression=0)
    fonts.draw_string(canvas, 50, 700, "南通市“青少年维权岗”称号", "song", 20)
    canvas.showPage()
    canvas.save()
    expected = "南通市“青少年维权岗”称号".encode("utf-16-be").hex().upper()
    assert f"/ActualText <FEFF{expected}>".encode() in out.read_bytes()


def test_unusable_font_file_is_skipped_not_fatal(tmp_path: Path) -> None:
    # Stands in for CFF-flavoured CJK fonts (Noto/Source Han), which reportlab rejects.
    bogus = tmp_path / "NotoSerifCJK-Regular.ttc"
    bogus.write_bytes(b"OTTO" + b"\0" * 64)
    assert font_faces.register(bogus, 0, bundled=False) is None
    assert font_faces.register(bogus, 0, bundled=False) is None  # remembered, not retried


def test_font_and_chinese_modules_do_not_import_qt() -> None:
    code = (
        "import sys, wqg_desktop.printing.fonts, wqg_desktop.domain.chinese; "
        "print(any(m.split('.')[0] == 'PySide6' for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False"
