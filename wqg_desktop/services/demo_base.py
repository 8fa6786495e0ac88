"""State and small generators shared by the parts of the demo builder.

The builder of :mod:`wqg_desktop.services.demo` is one class assembled from three parts — the
register (:mod:`~wqg_desktop.services.demo_registry`), the campaigns
(:mod:`~wqg_desktop.services.demo_campaigns`) and the work records
(:mod:`~wqg_desktop.services.demo_records`). They share one random generator, so the order in
which the parts run is part of the demo: the same ``today`` and ``seed`` give the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from wqg_desktop.db import models as m
from wqg_desktop.services import demo_data as data

ACTOR = "演示数据"
DAY = dt.timedelta(days=1)

#: What the register remembers of a unit: (county key, flags, police type, town, former name,
#: renamed on).
UnitInfo = tuple[str, set[str], str, str, str | None, dt.date | None]


def shift_months(day: dt.date, months: int) -> dt.date:
    year, month0 = divmod(day.month - 1 + months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(day.year + year, month0 + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def fake_id(first17: str) -> str:
    """An invented identity number: the 17 digits given plus a well-formed check digit."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


class DemoBase:
    """The campaign calendar, what the parts built so far, and the generators they draw from."""

    # Built by the register part.
    officer: str
    city: m.Office
    province: m.Office
    offices: dict[str, m.Office]
    ptypes: dict[str, m.PoliceType]
    regions: dict[str, m.Region]
    bureaus: dict[str, m.Bureau]
    bodies: dict[str, m.NamingBody]
    units: dict[str, m.Unit]
    info: dict[str, UnitInfo]
    # Built by the campaign part.
    members: list[m.LeadingGroupMember]
    supervisors: list[m.Supervisor]
    campaign: m.Campaign
    candidates: list[m.Candidate]
    county_campaign: m.Campaign
    county_candidates: list[m.Candidate]

    def __init__(self, today: dt.date, rng: random.Random) -> None:
        self.today, self.rng = today, rng
        self.used_names: set[str] = set(data.FORBIDDEN_NAMES)
        self.used_phones: set[str] = set(data.FORBIDDEN_PHONES)
        self.cert_counter: dict[tuple[str, int], int] = {}
        self.doc_numbers: dict[tuple[str, dt.date], str] = {}
        # The campaign calendar, all relative to today; terms start in odd years.
        self.term = today.year - 1 if today.year % 2 == 0 else today.year - 2
        self.creation_start = shift_months(today, -20)
        self.creation_end = today - 5 * DAY
        self.app_start = self.creation_start - 60 * DAY
        self.app_end = self.creation_start - 15 * DAY
        # The latest county titles, named before the city campaign's application window.
        self.recent_named = min(dt.date(self.term - 1, 12, 18), self.app_start - 20 * DAY)
        self.head_changed_on = max(dt.date(today.year, 1, 1), today - 40 * DAY)
        self.training_on = today - 90 * DAY

    # -- small generators ------------------------------------------------------------------

    def person(self) -> str:
        while True:
            name = self.rng.choice(data.SURNAMES) + self.rng.choice(data.GIVEN)
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _phone(self, make) -> str:
        while True:
            phone = make()
            if phone not in self.used_phones and phone[-8:] not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def mobile(self) -> str:
        head = self.rng.choice(("139", "139", "138", "137", "135", "158", "189"))
        return self._phone(lambda: head + f"{self.rng.randrange(10**8):08d}")

    def landline(self) -> str:
        return self._phone(lambda: f"0513-8{self.rng.randrange(10**7):07d}")

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        return start + self.rng.randrange(max(1, (end - start).days + 1)) * DAY

    def address(self, county: str, town: str) -> str:
        n = self.rng.randint(1, 399)
        if county == "shizhi":
            return f"南通市崇川区{self.rng.choice(data.SHIZHI_STREETS)}{n}号"
        region, streets = data.COUNTIES[county][0], data.COUNTIES[county][7]
        prefix = "南通市" if region.endswith("区") and not region.startswith("南通") else ""
        if town.endswith("镇") or town == "老坝港":
            return f"{prefix}{region}{town}{self.rng.choice(('人民路', '建设路', '府前路'))}{n}号"
        return f"{prefix}{region}{self.rng.choice(streets)}{n}号"

    def _document_no(self, prefix: str, day: dt.date) -> str:
        key = (prefix, day)
        if key not in self.doc_numbers:
            self.doc_numbers[key] = f"{prefix}〔{day.year}〕{self.rng.randint(5, 60)}号"
        return self.doc_numbers[key]

    def _certificate_no(self, prefix: str, year: int) -> str:
        n = self.cert_counter[(prefix, year)] = self.cert_counter.get((prefix, year), 0) + 1
        return f"{prefix}〔{year}〕第{n:03d}号"

    @staticmethod
    def _insert_batch(model: Any, rows: list[dict], summary: dict, entity_id: str) -> None:
        """Bulk insert (defaults such as ``uuid`` apply per row) with one audit row."""
        for chunk in range(0, len(rows), 200):
            model.insert_many(rows[chunk:chunk + 200]).execute()
        m.audit("批量新增", model.__name__, summary, entity_id=entity_id)
