"""The four levels of the campaign, lowest first (县(市、区)级 → 市级 → 省级 → 全国)."""

from __future__ import annotations

from enum import IntEnum

from wqg_desktop.errors import InputRefused


class Level(IntEnum):
    """Ordered: ``Level.COUNTY < Level.CITY``. The value is what the database stores."""

    COUNTY = 1
    CITY = 2
    PROVINCE = 3
    NATIONAL = 4

    @property
    def label(self) -> str:
        """The level as a campaign speaks of it: 县(市、区)级, 市级, 省级, 全国."""
        return _LABELS[self]

    @property
    def short(self) -> str:
        """One character for compact lists and the command line: 县, 市, 省, 国."""
        return _SHORT[self]

    def below(self) -> Level | None:
        return Level(self - 1) if self > Level.COUNTY else None

    def above(self) -> Level | None:
        return Level(self + 1) if self < Level.NATIONAL else None

    @classmethod
    def parse(cls, text: str | int | Level) -> Level:
        """Accept 县/县级/县(市、区)级/county/1 and the like; refuse anything else in Chinese."""
        if isinstance(text, Level):
            return text
        if isinstance(text, int):
            try:
                return cls(text)
            except ValueError:
                raise InputRefused(f"没有第 {text} 级；层级只能是 1（县级）到 4（全国）。") from None
        key = str(text).strip().lower()
        for level, names in _ALIASES.items():
            if key in names:
                return level
        raise InputRefused(
            f"无法识别层级“{text}”：请填写 县、市、省 或 全国（也可写 县级、市级、省级）。"
        )


_LABELS = {
    Level.COUNTY: "县(市、区)级",
    Level.CITY: "市级",
    Level.PROVINCE: "省级",
    Level.NATIONAL: "全国",
}
_SHORT = {Level.COUNTY: "县", Level.CITY: "市", Level.PROVINCE: "省", Level.NATIONAL: "国"}
_ALIASES = {
    Level.COUNTY: {"1", "县", "县级", "县(市、区)级", "县（市、区）级", "区", "county"},
    Level.CITY: {"2", "市", "市级", "city"},
    Level.PROVINCE: {"3", "省", "省级", "province"},
    Level.NATIONAL: {"4", "国", "全国", "国家级", "national"},
}

#: Levels at which an office (an installation of the program) can sit.
OFFICE_LEVELS = (Level.COUNTY, Level.CITY, Level.PROVINCE)
