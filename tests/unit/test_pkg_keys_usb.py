"""A lost key replaced after a telephone check, private keys wrapped at rest, copying a
package to a USB stick, and the order of backups taken in the same second."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from test_pkg_support import TODAY, add_units, bind, copy_db

from wqg_desktop.cli.main import main
from wqg_desktop.db.models import AuditLog, KnownKey, OfficeIdentity, Unit
from wqg_desktop.errors import InputRefused
from wqg_desktop.exchange import archive, backups, keys, keystore, merge, package
from wqg_desktop.exchange.manifest import PackageRefused

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


@pytest.fixture
def lost_key(pkg_templates, tmp_path) -> dict[str, Path]:
    """County A sent package 1 (taken in by the city), then lost its key and made package 2
    with a new one."""
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    city = copy_db(pkg_templates["city"], tmp_path / "c.sqlite3")
    with bind(county):
        add_units(2)
        p1 = package.export_package(out=tmp_path / "p1.wqgpkg", today=TODAY).path
    with bind(city) as ctx, ctx.acting("汇总"):
        merge.import_package(p1, trust_new_key=True)
    with bind(county) as ctx, ctx.acting("换电脑"):
        old_fp = keys.identity().fingerprint
        keys.regenerate_identity()
        add_units(1, seed=1)
        p2 = package.export_package(out=tmp_path / "p2.wqgpkg", today=TODAY).path
    return {"county": county, "city": city, "p1": p1, "p2": p2, "old_fp": old_fp}


def test_lost_key_is_replaced_only_after_the_phone_check_and_a_reason(lost_key) -> None:
    with bind(lost_key["city"]) as ctx, ctx.acting("汇总"):
        preview = merge.preview_package(lost_key["p2"])
        assert preview.key_status == "changed" and preview.refusal_reason == "key_changed"
        assert preview.previous_fingerprint == lost_key["old_fp"] != preview.fingerprint
        assert lost_key["old_fp"] in preview.refusal and preview.fingerprint in preview.refusal
        with pytest.raises(PackageRefused) as refused:
            merge.import_package(lost_key["p2"], trust_new_key=True)
        assert refused.value.reason == "key_changed"
        with pytest.raises(InputRefused, match="原因"):
            merge.import_package(lost_key["p2"], replace_key_reason="  换 ")
        assert Unit.select().count() == 2
        result = merge.import_package(lost_key["p2"], replace_key_reason="该单位硬盘损坏，已电话核对新指纹")
        assert result.applied and Unit.select().count() == 3
        rows = {k.fingerprint: k for k in KnownKey.select().where(KnownKey.office_uuid == preview.sender_uuid)}
        assert rows[lost_key["old_fp"]].retired and not rows[preview.fingerprint].retired
        assert "硬盘损坏" in rows[preview.fingerprint].note
        logged = AuditLog.get(AuditLog.action == "更换单位密钥")
        changes = json.loads(logged.changes)
        assert changes["原指纹"] == lost_key["old_fp"] and changes["新指纹"] == preview.fingerprint
        # from now on the new key is the known one; the old package stays older
        assert merge.preview_package(lost_key["p2"]).key_status == "known"
        with pytest.raises(PackageRefused) as refused:
            merge.import_package(lost_key["p1"], replace_key_reason="再换回去试试看")
        assert refused.value.reason == "sequence_old"


def test_the_sequence_rule_still_holds_when_replacing_a_key(lost_key, tmp_path) -> None:
    with bind(lost_key["county"]):
        # a new key on a PC whose counter went back: package 1 again, with other content
        OfficeIdentity.update(sequence=0).execute()
        p3 = package.export_package(out=tmp_path / "p3.wqgpkg", today=TODAY).path
    with bind(lost_key["city"]) as ctx, ctx.acting("汇总"):
        with pytest.raises(PackageRefused) as refused:
            merge.import_package(p3, replace_key_reason="该单位硬盘损坏，已电话核对新指纹")
        assert refused.value.reason == "sequence_reused"
        assert KnownKey.select().where(KnownKey.retired == True).count() == 0  # noqa: E712


def _cli(capsys, argv: list[str]) -> tuple[int, dict]:
    code = main(argv + ["--json"])
    return code, json.loads(capsys.readouterr().out)


def test_cli_replace_key_needs_yes_and_reason(lost_key, capsys) -> None:
    city, p2 = str(lost_key["city"]), str(lost_key["p2"])
    code, out = _cli(capsys, ["package", "import", "--db", city, p2, "--yes"])
    assert code == 2 and out["data"]["reason"] == "key_changed"
    code, out = _cli(capsys, ["package", "import", "--db", city, p2, "--replace-key"])
    assert code == 2 and lost_key["old_fp"] in out["message"]
    code, out = _cli(capsys, ["package", "import", "--db", city, p2, "--replace-key", "--yes"])
    assert code == 2 and "--reason" in out["message"]
    code, out = _cli(capsys, ["package", "import", "--db", city, p2, "--replace-key", "--yes",
                              "--reason", "该单位电脑损坏，已电话核对"])
    assert code == 0 and out["data"]["applied"]
    with bind(lost_key["city"]):
        assert Unit.select().count() == 3


def test_private_keys_are_wrapped_and_a_backup_alone_cannot_sign(pkg_templates, tmp_path,
                                                                 monkeypatch) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county):
        ident = keys.identity()
        sign_raw, _ = keys.private_keys(ident)
        fp = ident.fingerprint
        keys.export_identity(tmp_path / "id.wqgid", "一个好密码123")
    con = sqlite3.connect(county)
    stored = con.execute("SELECT sign_private, box_private FROM office_identity").fetchone()
    con.close()
    assert all(bytes(v).startswith(keystore.PREFIX) for v in stored)
    assert sign_raw not in bytes(stored[0])
    # the same database on a PC without this installation's secret (a backup carried away)
    monkeypatch.setattr(keystore, "secret_path", lambda: tmp_path / "other-pc" / "installation.secret")
    with bind(county):
        with pytest.raises(InputRefused, match="身份文件"):
            keys.sign(b"x")
        before = keys.identity().sequence
        with pytest.raises(InputRefused, match="身份文件"):
            package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY)
        assert keys.identity().sequence == before  # refused before a number was spent
        # recovery: the identity file and its password
        restored = keys.import_identity(tmp_path / "id.wqgid", "一个好密码123")
        assert restored.fingerprint == fp
        assert package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY).fingerprint == fp
    assert (tmp_path / "other-pc" / "installation.secret").is_file()


def test_keys_stored_raw_by_an_older_version_keep_working_and_get_wrapped(pkg_templates,
                                                                          tmp_path) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    raw = Ed25519PrivateKey.generate()
    with bind(county):
        ident = keys.identity()
        sign_raw = keys._private_raw(raw)
        _, box_raw = keys.private_keys(ident)
        pub = keys.b64(keys._public_raw(raw))
        OfficeIdentity.update(sign_private=sign_raw, box_private=box_raw, sign_public=pub,
                              fingerprint=keys.fingerprint(pub, ident.box_public)).execute()
        assert keys.verify_signature(pub, keys.sign(b"data"), b"data")  # raw: still usable
        result = package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY)
        assert result.fingerprint == keys.fingerprint(pub, ident.box_public)
        stored = keys.identity()
        assert keystore.is_wrapped(bytes(stored.sign_private))
        assert keys.private_keys(stored)[0] == sign_raw


def test_copy_to_a_usb_folder_is_read_back(pkg_templates, tmp_path, monkeypatch, capsys) -> None:
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county):
        pkg = package.export_package(out=tmp_path / "p.wqgpkg", today=TODAY).path
    usb = tmp_path / "usb"
    usb.mkdir()
    target, sha = archive.copy_package(pkg, usb)
    assert target == usb / pkg.name and target.read_bytes() == pkg.read_bytes()
    assert sha == archive.sha256_file(pkg)
    with pytest.raises(InputRefused, match="就是上报包所在"):
        archive.copy_package(pkg, tmp_path)
    with pytest.raises(InputRefused, match="不存在"):
        archive.copy_package(pkg, tmp_path / "no-usb")
    real = archive.sha256_file
    # the stick hands back other bytes than were written
    monkeypatch.setattr(archive, "sha256_file", lambda p: "0" * 64 if Path(p).parent == usb else real(p))
    with pytest.raises(InputRefused, match="读回校验不一致"):
        archive.copy_package(pkg, usb)
    monkeypatch.setattr(archive, "sha256_file", real)
    code, out = _cli(capsys, ["package", "copy", str(pkg), str(usb)])
    assert code == 0 and out["data"]["sha256"] == sha
    code, out = _cli(capsys, ["package", "copy", str(pkg), str(tmp_path / "missing")])
    assert code == 2 and "不存在" in out["message"]


def test_backups_taken_in_the_same_second_list_in_the_order_they_were_made(tmp_path) -> None:
    db = tmp_path / "wqg.sqlite3"
    folder = tmp_path / "backups"
    folder.mkdir()
    stamp = "20261126-093000"
    # written in this order within one second; names sort the other way round
    made = [folder / f"wqg_{stamp}_恢复前.sqlite3", folder / f"wqg_{stamp}_导入前.sqlite3",
            folder / f"wqg_{stamp}_导入前_2.sqlite3", folder / f"wqg_{stamp}_自动.sqlite3"]
    base = int(dt.datetime(2026, 11, 26, 9, 30).timestamp() * 1e9)
    for n, path in enumerate(made):
        path.write_bytes(b"")
        os.utime(path, ns=(base + n * 1000, base + n * 1000))
    listed = [b.path for b in backups.list_backups(db, counts=False)]
    assert listed == list(reversed(made))
    # a folder whose clock cannot tell them apart (same mtime): the n-th of a label still counts
    for path in made:
        os.utime(path, ns=(base, base))
    listed = [b.path.name for b in backups.list_backups(db, counts=False)]
    assert listed.index(made[2].name) < listed.index(made[1].name)
    assert listed == [b.path.name for b in backups.list_backups(db, counts=False)]  # stable


def test_a_keyring_holds_one_wrapping_per_pc(tmp_path, monkeypatch) -> None:
    raw, office = bytes(range(32)), "office-uuid"

    def on_pc(name: str) -> None:
        monkeypatch.setattr(keystore, "secret_path", lambda: tmp_path / name / "installation.secret")

    on_pc("a")
    stored = keystore.wrap(raw, office_uuid=office, role="sign")
    for name in ("b", "c"):
        on_pc(name)
        with pytest.raises(InputRefused, match="身份文件"):
            keystore.unwrap(stored, office_uuid=office, role="sign")
        stored = keystore.add_wrapping(stored, raw, office_uuid=office, role="sign")
    on_pc("b")  # b again: its older wrapping is replaced, not kept beside the new one
    stored = keystore.add_wrapping(stored, raw, office_uuid=office, role="sign")
    assert stored.startswith(keystore.RING_PREFIX) and stored.count(keystore.PREFIX) == 3
    for name in ("a", "b", "c"):
        on_pc(name)
        assert keystore.unwrap(stored, office_uuid=office, role="sign") == raw
        # bound to its office and role, like a single wrapping
        with pytest.raises(InputRefused):
            keystore.unwrap(stored, office_uuid=office, role="box")
    on_pc("d")
    with pytest.raises(InputRefused, match="身份文件"):
        keystore.unwrap(stored, office_uuid=office, role="sign")
    for cut in (stored[:-1], stored + b"x", stored[:len(keystore.RING_PREFIX)]):
        on_pc("a")
        with pytest.raises(InputRefused, match="已损坏"):
            keystore.unwrap(cut, office_uuid=office, role="sign")
    for n in range(keystore.MAX_WRAPPINGS + 3):  # a ring keeps the newest PCs only
        on_pc(f"many{n}")
        stored = keystore.add_wrapping(stored, raw, office_uuid=office, role="sign")
    assert stored.count(keystore.PREFIX) == keystore.MAX_WRAPPINGS
    assert keystore.unwrap(stored, office_uuid=office, role="sign") == raw
    on_pc("a")
    with pytest.raises(InputRefused):
        keystore.unwrap(stored, office_uuid=office, role="sign")
