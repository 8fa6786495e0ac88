"""The four campaign levels: order, labels and what a person may type."""

from __future__ import annotations

import pytest

from wqg_desktop.domain.levels import OFFICE_LEVELS, Level
from wqg_desktop.errors import InputRefused


def test_order_and_neighbours() -> None:
    assert Level.COUNTY < Level.CITY < Level.PROVINCE < Level.NATIONAL
    assert [int(level) for level in Level] == [1, 2, 3, 4]
    assert Level.COUNTY.below() is None and Level.NATIONAL.above() is None
    assert Level.CITY.below() is Level.COUNTY and Level.CITY.above() is Level.PROVINCE
    assert OFFICE_LEVELS == (Level.COUNTY, Level.CITY, Level.PROVINCE)


def test_labels() -> None:
    assert [level.label for level in Level] == ["县(市、区)级", "市级", "省级", "全国"]
    assert [level.short for level in Level] == ["县", "市", "省", "国"]


@pytest.mark.parametrize(("text", "level"), [
    ("县", Level.COUNTY), ("县级", Level.COUNTY), ("县(市、区)级", Level.COUNTY),
    ("县（市、区）级", Level.COUNTY), (" county ", Level.COUNTY), ("1", Level.COUNTY),
    ("市", Level.CITY), ("市级", Level.CITY), ("CITY", Level.CITY), (2, Level.CITY),
    ("省级", Level.PROVINCE), ("province", Level.PROVINCE), (3, Level.PROVINCE),
    ("全国", Level.NATIONAL), ("国家级", Level.NATIONAL), (4, Level.NATIONAL),
    (Level.CITY, Level.CITY),
])
def test_parse_accepts_what_people_type(text, level) -> None:
    assert Level.parse(text) is level


@pytest.mark.parametrize("text", ["镇", "", "乡级", "5", "county level"])
def test_parse_refuses_other_words_in_chinese(text) -> None:
    with pytest.raises(InputRefused, match="无法识别层级") as err:
        Level.parse(text)
    assert err.value.exit_code == 2


@pytest.mark.parametrize("number", [0, 5, -1])
def test_parse_refuses_other_numbers(number) -> None:
    with pytest.raises(InputRefused, match=f"没有第 {number} 级"):
        Level.parse(number)
