"""AppContext: the open database, this office, settings and the clock — built once, passed down.

Qt-free, so the command line, the tests and the GUI all build the same context.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wqg_desktop.db.connection import OpenDatabase, open_database
from wqg_desktop.db.location import ServerAddress
from wqg_desktop.db.models import Office, acting_as
from wqg_desktop.db.models.base import VersionStamp, unchanged_since
from wqg_desktop.domain.levels import Level
from wqg_desktop.services import calendar as calendar_service
from wqg_desktop.services import office as office_service
from wqg_desktop.services import settings


@dataclass
class AppContext:
    opened: OpenDatabase
    #: "today" is injected so tests (and ``--today``) can move time.
    clock: Callable[[], dt.date] = field(default=dt.date.today)

    @classmethod
    def open(cls, path: Path | str | ServerAddress, *, read_only: bool = False, create: bool = True,
             clock: Callable[[], dt.date] | None = None) -> AppContext:
        opened = open_database(path, read_only=read_only, create=create)
        if not read_only and office_service.this_office() is not None:
            # a newer release's holiday schedules reach offices set up before it (cheap: no
            # write unless the shipped file has a year this database has not had)
            calendar_service.seed_new_shipped_years()
        return cls(opened=opened, clock=clock or dt.date.today)

    @property
    def db_path(self) -> Path:
        """The database file; for a server, the name its local backups are made under."""
        return self.opened.path

    @property
    def location(self) -> str:
        """Where the data is, as ``--db`` takes it (a server's address without the password)."""
        return self.opened.location

    @property
    def on_server(self) -> bool:
        return self.opened.server is not None

    def today(self) -> dt.date:
        return self.clock()

    @property
    def office(self) -> Office | None:
        """This installation's office (``None`` until first-start setup)."""
        return office_service.this_office()

    @property
    def level(self) -> Level | None:
        office = self.office
        return Level(office.level) if office else None

    @property
    def officer(self) -> str:
        return settings.get("officer_name") or ""

    @contextlib.contextmanager
    def acting(self, reason: str | None = None, *,
               unchanged: VersionStamp | None = None) -> Iterator[None]:
        """Name the officer (and reason) in the audit trail for the changes inside the block;
        with ``unchanged``, refuse to save that record if someone else saved it after the
        stamp was taken (a form's save on a shared server)."""
        with acting_as(self.actor, reason), unchanged_since(unchanged):
            yield

    @property
    def actor(self) -> str:
        """Who the audit trail names: the officer; on a server, with the login account."""
        name = self.officer or "经办人"
        account = self.opened.account
        return f"{name}（{account}）" if account and account != name else name

    def close(self) -> None:
        self.opened.close()

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
