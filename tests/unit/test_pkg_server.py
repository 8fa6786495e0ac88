"""A package merges into a server database exactly as into a file: same records, same owners,
minors' data unsealed the same way, and the same package twice changes nothing."""

from __future__ import annotations

from pathlib import Path

from officers import at_once
from test_pkg_support import TODAY, add_units, bind, copy_db, logical_dump

from wqg_desktop.app import AppContext
from wqg_desktop.db.location import ServerAddress
from wqg_desktop.db.migrate import migrate_database
from wqg_desktop.exchange import merge, package

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


def _county_package(pkg_templates, tmp_path: Path, units: int) -> Path:  # type: ignore[no-untyped-def]
    """A package of county A (``units`` new units, minors' data included) for the city."""
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county) as ctx, ctx.acting("录入"):
        add_units(units)
        return package.export_package(out=tmp_path / "a.wqgpkg", today=TODAY).path


def test_a_package_merges_into_a_server_as_into_a_file(pkg_templates, server_url: str,
                                                       tmp_path: Path) -> None:
    pkg = _county_package(pkg_templates, tmp_path, 6)
    file_city = copy_db(pkg_templates["city"], tmp_path / "city.sqlite3")
    server = ServerAddress.parse(server_url)
    migrate_database(file_city, server)  # the same city, moved to a server before the merge
    with bind(file_city) as ctx, ctx.acting("汇总"):
        on_file = merge.import_package(pkg, trust_new_key=True, db_path=ctx.db_path)
    with AppContext.open(server_url) as ctx, ctx.acting("汇总"):
        on_server = merge.import_package(pkg, trust_new_key=True, db_path=ctx.db_path)
        again = merge.import_package(pkg, trust_new_key=True, db_path=ctx.db_path)
    assert on_file.applied and on_server.applied and not again.applied
    back = tmp_path / "back.sqlite3"
    migrate_database(server, back)
    assert logical_dump(back) == logical_dump(file_city)


def test_two_officers_importing_the_same_package_at_once(pkg_templates, server_url: str,
                                                         tmp_path: Path) -> None:
    from wqg_desktop.db.models import Unit

    pkg = _county_package(pkg_templates, tmp_path, 4)
    migrate_database(copy_db(pkg_templates["city"], tmp_path / "city.sqlite3"),
                     ServerAddress.parse(server_url))
    with AppContext.open(server_url):
        results, errors = at_once(2, lambda _n, _r: merge.import_package(pkg, trust_new_key=True))
        assert errors == []
        assert sorted(r.applied for r in results) == [False, True]  # one merged, one saw it done
        assert Unit.select().where(Unit.name.contains("派出所")).count() >= 4
