"""Chinese formatting: dates, terms, title wording, masking, name keys (no Qt, no fonts)."""

from __future__ import annotations

from datetime import date

import pytest

from wqg_desktop.domain.chinese import (
    Term,
    chinese_date,
    chinese_digits,
    chinese_numeral,
    format_date,
    iso_to_chinese_date,
    mask_id_number,
    mask_person_name,
    normalize_name_key,
    parse_term,
    title_wording,
)
from wqg_desktop.errors import InputRefused

# --- numerals and dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "零"),
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (30, "三十"),
        (31, "三十一"),
        (99, "九十九"),
    ],
)
def test_chinese_numeral(n: int, expected: str) -> None:
    assert chinese_numeral(n) == expected


@pytest.mark.parametrize("n", [-1, 100])
def test_chinese_numeral_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        chinese_numeral(n)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2012, 8, 8), "二〇一二年八月八日"),
        (date(2020, 10, 31), "二〇二〇年十月三十一日"),
        (date(2021, 1, 1), "二〇二一年一月一日"),
        (date(2000, 12, 20), "二〇〇〇年十二月二十日"),
        (date(2019, 11, 10), "二〇一九年十一月十日"),
    ],
)
def test_chinese_date(d: date, expected: str) -> None:
    assert chinese_date(d) == expected


def test_chinese_date_uses_ideographic_zero_never_letter_o() -> None:
    text = chinese_date(date(2012, 8, 8))
    assert "\u3007" in text
    assert "O" not in text and "o" not in text and "0" not in text


def test_chinese_digits() -> None:
    assert chinese_digits(2012) == "二〇一二"
    assert chinese_digits(0) == "〇"


def test_format_date_has_no_padding() -> None:
    assert format_date(date(2012, 8, 8)) == "2012年8月8日"
    assert format_date(date(2020, 10, 31)) == "2020年10月31日"


def test_iso_to_chinese_date() -> None:
    assert iso_to_chinese_date("2012-08-08") == "二〇一二年八月八日"
    assert iso_to_chinese_date("２０１２-０８-０８") == "二〇一二年八月八日"
    with pytest.raises(InputRefused, match="无法识别日期"):
        iso_to_chinese_date("2012年8月8日")


# --- terms -------------------------------------------------------------------------------


def test_term_label_and_short() -> None:
    term = Term(2011)
    assert term.end == 2012
    assert term.label == "2011\u20142012年度"
    assert term.short == "2011\u20142012"
    assert str(term) == term.label
    assert term.next() == Term(2013)
    assert sorted([Term(2013), Term(2011)]) == [Term(2011), Term(2013)]


@pytest.mark.parametrize(
    "text",
    [
        "2025",
        "2025-2026",
        "2025—2026",
        "2025－2026",
        "2025–2026",
        "2025~2026",
        "2025～2026",
        "2025至2026",
        "2025年度",
        "2025年",
        "2025-2026年度",
        "2025—2026年度",
        "2025至2026年",
        "2025年—2026年度",
        " 2025 - 2026 年度 ",
        "２０２５",
        "２０２５－２０２６年度",
        "２０２５\u3000—\u3000２０２６",
    ],
)
def test_parse_term_accepted_forms(text: str) -> None:
    assert parse_term(text) == Term(2025)


def test_parse_term_passes_terms_and_ints_through() -> None:
    assert parse_term(Term(2011)) == Term(2011)
    assert parse_term(2011) == Term(2011)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-2027", "2026"),
        ("2025—2025", "2026"),
        ("2026-2025", "2027"),
        ("1989", "超出范围"),
        ("2100", "超出范围"),
        ("2100-2101", "超出范围"),
        ("", "无法识别"),
        ("年度", "无法识别"),
        ("二〇一一—二〇一二年度", "无法识别"),
        ("2011-12", "无法识别"),
        ("20112012", "无法识别"),
        ("2011—2012年度 第一批", "无法识别"),
        ("abcd", "无法识别"),
    ],
)
def test_parse_term_refusals(text: str, message: str) -> None:
    with pytest.raises(InputRefused, match=message):
        parse_term(text)


def test_term_constructor_refuses_out_of_range() -> None:
    with pytest.raises(InputRefused):
        Term(1989)
    assert Term(1990).start == 1990
    assert Term(2099).end == 2100


# --- title wording (DOMAIN rule 4) -------------------------------------------------------


def test_title_wording_domain_example() -> None:
    assert (
        title_wording("海安县公安局城北中心派出所", Term(2011), "南通市")
        == "授予 海安县公安局城北中心派出所 2011—2012年度南通市“青少年维权岗”称号"
    )


def test_title_wording_demonstration_and_parsed_term() -> None:
    assert (
        title_wording(" 南通市拘留所 ", "2011-2012年度", "南通市", demonstration=True)
        == "授予 南通市拘留所 2011—2012年度南通市“青少年维权岗”创建活动示范单位称号"
    )


def test_title_wording_refuses_missing_parts() -> None:
    with pytest.raises(InputRefused, match="单位名称"):
        title_wording("  ", Term(2011), "南通市")
    with pytest.raises(InputRefused, match="地区"):
        title_wording("南通市拘留所", Term(2011), "")


# --- masking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张某"),
        ("张小明", "张某某"),
        ("欧阳小明", "欧阳某某"),
        ("欧阳明", "欧阳某"),
        ("诸葛亮", "诸葛某"),
        ("司马相如", "司马某某"),
        ("张 小明", "张某某"),
        ("张", "张某"),
        ("阿依古丽·买买提", "阿某某"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_person_name(name: str, masked: str) -> None:
    assert mask_person_name(name) == masked


def test_mask_person_name_is_idempotent() -> None:
    for name in ["张三", "张小明", "欧阳小明"]:
        once = mask_person_name(name)
        assert mask_person_name(once) == once


def test_mask_id_number_removes_it() -> None:
    assert mask_id_number("32062119900101001X") == ""
    assert mask_id_number(None) == ""


# --- name keys ---------------------------------------------------------------------------


def test_normalize_name_key_variants_meet() -> None:
    variants = [
        "南通市公安局禁毒处（支队）",
        "南通市公安局禁毒处(支队)",
        " 南通市 公安局禁毒处(支队)",
        "南通市\u3000公安局禁毒处【支队】",
        "南通市公安局禁毒处 ( 支队 )\n",
        "南通市公安局\u200b禁毒处（支队）",
    ]
    keys = {normalize_name_key(v) for v in variants}
    assert keys == {"南通市公安局禁毒处(支队)"}


def test_normalize_name_key_folds_width_case_and_dashes() -> None:
    assert normalize_name_key("１１０指挥中心") == normalize_name_key("110指挥中心")
    assert normalize_name_key("ＡＢＣ大队") == normalize_name_key("abc大队")
    assert normalize_name_key("一—二") == normalize_name_key("一-二")


def test_normalize_name_key_keeps_different_names_apart() -> None:
    assert normalize_name_key("南通市公安局禁毒处(支队)") != normalize_name_key(
        "南通市公安局禁毒支队"
    )
    assert normalize_name_key("如东县公安局掘港派出所第一警务区") != normalize_name_key(
        "如东县公安局掘港派出所第二警务区"
    )
