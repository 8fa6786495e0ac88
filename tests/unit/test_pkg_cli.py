"""``wqg package|keys|backup|restore|check`` under the command-line contract."""

from __future__ import annotations

import json
import sqlite3

from test_pkg_support import (
    add_units,
    bind,
    copy_db,
)

from wqg_desktop.cli.main import main

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


def _json(capsys, argv: list[str]) -> tuple[int, dict]:
    code = main(argv + ["--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_export_verify_import_with_json(pkg_templates, tmp_path, capsys) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    city = copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(county):
        add_units(2)
    code, out = _json(capsys, ["package", "export", "--db", str(county), "--out", str(tmp_path),
                               "--today", "2026-11-26"])
    assert code == 0 and out["ok"]
    pkg = out["data"]["path"]
    assert pkg.endswith("海安市公安局_2025—2026年度_20261126.wqgpkg")
    code, out = _json(capsys, ["package", "verify", "--db", str(city), pkg])
    assert code == 0 and out["data"]["key_status"] == "new" and out["data"]["totals"]["new"] > 0
    code, out = _json(capsys, ["package", "import", "--db", str(city), pkg])
    assert code == 2 and out["data"]["fingerprint"] in out["message"]  # not trusted yet
    code, out = _json(capsys, ["package", "import", "--db", str(city), pkg, "--yes"])
    assert code == 0 and out["data"]["applied"] and out["data"]["backup"]
    code, out = _json(capsys, ["package", "import", "--db", str(city), pkg, "--yes"])
    assert code == 0 and not out["data"]["applied"]
    con = sqlite3.connect(city)
    assert con.execute("SELECT COUNT(*) FROM unit").fetchone()[0] == 2
    con.close()
    (tmp_path / "junk.wqgpkg").write_bytes(b"junk")
    code, out = _json(capsys, ["package", "import", "--db", str(city), str(tmp_path / "junk.wqgpkg"), "--yes"])
    assert code == 2 and out["data"]["reason"] == "not_package" and "不是上报包" in out["message"]


def test_keys_backup_restore_check(pkg_templates, tmp_path, capsys) -> None:
    city = copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    code, out = _json(capsys, ["keys", "show", "--db", str(city)])
    assert code == 0 and len(out["data"]["fingerprint"].split()) == 6
    code, out = _json(capsys, ["keys", "export", "--db", str(city), "--out", str(tmp_path / "c.key")])
    assert code == 0
    county = copy_db(pkg_templates["b"], tmp_path / "b.sqlite3")
    code, out = _json(capsys, ["keys", "import", "--db", str(county), str(tmp_path / "c.key")])
    assert code == 2 and out["data"]["fingerprint"]
    code, out = _json(capsys, ["keys", "export", "--db", str(city), "--out", str(tmp_path / "id"),
                               "--identity", "--password", "很长的密码口令一二三"])
    assert code == 0
    code, out = _json(capsys, ["backup", "--db", str(city), "--out", str(tmp_path / "b.sqlite3")])
    assert code == 0
    code, out = _json(capsys, ["restore", "--db", str(city), str(tmp_path / "b.sqlite3")])
    assert code == 0 and "恢复前" in out["data"]["backup_before"]
    code, out = _json(capsys, ["check", "--db", str(city)])
    assert code == 0 and out["data"]["quick_check"] == ["ok"]
    code, out = _json(capsys, ["check", "--db", str(tmp_path / "missing.sqlite3")])
    assert code == 2
