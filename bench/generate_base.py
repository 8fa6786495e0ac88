"""What the parts of the generated-database builder share: constants, tables, the base builder.

:class:`Table` buffers the rows of one model and binds them with ``executemany``;
:class:`BuilderBase` holds the random sources and the small generators (people, phone
numbers, days) every part uses. See :mod:`bench.generate_records`.
"""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import AutoField, DateField, DateTimeField

from wqg_desktop.db import models as m
from wqg_desktop.services import demo_data as data

DAY = dt.timedelta(days=1)
#: created_at/updated_at of every generated row (fixed, so files are reproducible).
STAMP = dt.datetime(2026, 11, 1, 9, 0, 0)
PAST_TERMS = (2013, 2015, 2017, 2019, 2021, 2023)
CURRENT_TERM = 2025
FLUSH_EVERY = 20_000
FIRE_REASON = "2018年消防部队改制，消防救援队伍转隶应急管理部门，不再隶属公安机关"


class Table:
    """Buffered rows of one model, bound with ``executemany`` on the model's own columns."""

    def __init__(self, model: type[m.BaseModel], uuid_rng) -> None:  # type: ignore[no-untyped-def]
        self.model, self.uuid_rng = model, uuid_rng
        fields = model._meta.sorted_fields
        self.getter = operator.itemgetter(*[f.name for f in fields])
        # Missing values take the column's constant default (callables such as uuid4 are
        # never used: everything is passed in, so files are reproducible).
        self.base = {f.name: None if callable(f.default) else f.default for f in fields}
        # Stored as peewee stores them: ISO dates and "YYYY-MM-DD HH:MM:SS" (str() of both).
        self.dated = [i for i, f in enumerate(fields) if isinstance(f, DateField | DateTimeField)]
        cols = ", ".join(f'"{f.column_name}"' for f in fields)
        marks = ", ".join("?" for _ in fields)
        self.sql = f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES ({marks})'
        self.synced = issubclass(model, m.SyncedModel)
        assert isinstance(model._meta.primary_key, AutoField)
        top = model.select(model._meta.primary_key).order_by(model._meta.primary_key.desc()).scalar()
        self.next_id = (top or 0) + 1
        self.rows: list[dict[str, Any]] = []
        self.count = 0

    def add(self, **values: Any) -> int:
        ident = values["id"] = self.next_id
        self.next_id += 1
        if self.synced:
            values.setdefault("uuid", str(uuid.UUID(int=self.uuid_rng.getrandbits(128), version=4)))
            values.setdefault("created_at", STAMP)
            values.setdefault("updated_at", STAMP)
        self.rows.append(values)
        if len(self.rows) >= FLUSH_EVERY:
            self.flush()
        return ident

    def flush(self) -> None:
        if not self.rows:
            return
        base, getter, dated = self.base, self.getter, self.dated
        params = []
        for row in self.rows:
            values = list(getter({**base, **row}))
            for i in dated:
                if values[i] is not None:
                    values[i] = str(values[i])
            params.append(values)
        m.database.cursor().executemany(self.sql, params)
        self.count += len(self.rows)
        self.rows = []


@dataclass
class UnitInfo:
    id: int
    name: str
    place: Any  # bench.generate.Place
    ptype: str
    youth: bool
    town: str
    head: str
    hotline: str
    address: str
    county_title: tuple[int, str] | None = None  # (term, status)
    city_title: tuple[int, str] | None = None
    province_title: tuple[int, str] | None = None


class BuilderBase:
    """The random sources, the tables and the small generators every part of the build uses."""

    def __init__(self, *, office: m.Office, places: list, today: dt.date, rng, uuid_rng,
                 say: Callable[[str], None]) -> None:
        self.office, self.places, self.today, self.rng, self.say = office, places, today, rng, say
        self.tables: dict[str, Table] = {}
        self.uuid_rng = uuid_rng
        self.ptypes = {p.name: p.id for p in m.PoliceType.select()}
        self.holidays = {d.day: d.workday for d in m.CalendarDay.select()}
        self.units: list[UnitInfo] = []
        self.counters: dict[tuple, int] = {}

    def t(self, model: type[m.BaseModel]) -> Table:
        name = model.__name__
        if name not in self.tables:
            self.tables[name] = Table(model, self.uuid_rng)
        return self.tables[name]

    # -- small generators ------------------------------------------------------------------

    def person(self) -> str:
        while True:
            name = self.rng.choice(data.SURNAMES) + self.rng.choice(data.GIVEN)
            if name not in data.FORBIDDEN_NAMES:
                return name

    def mobile(self) -> str:
        return self.rng.choice(("139", "138", "137", "135", "158", "189")) + \
            f"{self.rng.randrange(10**8):08d}"

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + self.rng.randrange(max(1, (end - start).days + 1)) * DAY

    def seq(self, *key: Any) -> int:
        n = self.counters[key] = self.counters.get(key, 0) + 1
        return n
