"""Every released package format version stays readable (fixture packages under
tests/fixtures/packages/), and the specification names every part of the format."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from test_pkg_support import bind, copy_db

from wqg_desktop.db.models import Consultation, Unit
from wqg_desktop.exchange import manifest as mf
from wqg_desktop.exchange import merge

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "packages").glob("format_v*.wqgpkg"))

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


def test_one_fixture_per_supported_format_version() -> None:
    versions = {int(p.stem.removeprefix("format_v")) for p in FIXTURES}
    assert versions == set(mf.SUPPORTED_FORMAT_VERSIONS)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_package_is_read_and_merged(fixture, pkg_templates, tmp_path) -> None:
    city = copy_db(pkg_templates["city"], tmp_path / "city.sqlite3")
    with bind(city) as ctx:
        preview = merge.preview_package(fixture)
        assert preview.sender_name == "海安市公安局" and preview.deletion_markers == 4  # a unit and its three records
        assert preview.minors == "not_for_us"  # sealed to the fixture's own throw-away city key
        result = merge.import_package(fixture, trust_new_key=True, db_path=ctx.db_path)
        assert result.applied
        assert Unit.select().count() == 3
        assert {c.minor_name for c in Consultation.select()} == {""}


def test_specification_names_every_member_and_reason() -> None:
    spec = (ROOT / "docs" / "package-format.md").read_text(encoding="utf-8")
    for name in (mf.MANIFEST, mf.SIGNATURE, mf.OFFICES, mf.DELETED, mf.SUMMARY, mf.COVER,
                 "data/", "attachments/", "_ref", "_sealed", *mf.REASONS):
        assert name in spec, name
    with zipfile.ZipFile(FIXTURES[-1]) as zf:
        manifest = json.loads(zf.read(mf.MANIFEST))
    for key in manifest:
        assert f"`{key}`" in spec, key
