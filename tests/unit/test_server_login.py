"""The remembered database server (server.json): address in clear, password only sealed."""

from __future__ import annotations

import base64
import json
import logging
import os
from pathlib import Path

import pytest

from wqg_desktop import paths
from wqg_desktop.db import server_login
from wqg_desktop.db.location import ServerAddress
from wqg_desktop.exchange import keystore

PASSWORD = "Mi-mA_2026!密码"
ADDRESS = ServerAddress.parse("postgresql://zhangsan@192.168.1.10:5433/wqg")


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own data folder: its own server.json and installation secret."""
    folder = tmp_path / "data"
    monkeypatch.setenv("WQG_DATA_DIR", str(folder))
    return folder


def _stored() -> dict:
    return json.loads(server_login.settings_path().read_text(encoding="utf-8"))


def test_nothing_remembered_means_the_local_file() -> None:
    assert server_login.load() is None
    assert server_login.default_target() == paths.default_db_path()


def test_round_trip_with_the_password() -> None:
    path = server_login.remember(ADDRESS, password=PASSWORD)
    assert path == paths.data_dir() / "server.json"
    got = server_login.load()
    assert got is not None and got.has_password
    assert got.address == ADDRESS  # user, host, port, database
    assert got.address.password == PASSWORD
    assert got.display == "postgresql://zhangsan@192.168.1.10:5433/wqg"
    target = server_login.default_target()
    assert isinstance(target, ServerAddress) and target.password == PASSWORD


def test_the_file_never_holds_the_password_in_clear() -> None:
    # given both ways, in the address and as the password: neither reaches the file
    server_login.remember(ADDRESS.with_password("in-the-address"), password=PASSWORD)
    data = server_login.settings_path().read_bytes()
    for secret in (PASSWORD, "in-the-address"):
        for form in (secret.encode("utf-8"), secret.encode("unicode_escape"),
                     base64.b64encode(secret.encode("utf-8"))):
            assert form not in data
    stored = _stored()
    assert stored["address"] == ADDRESS.display
    sealed = base64.b64decode(stored["password"])
    assert keystore.is_wrapped(sealed)
    if os.name == "posix":
        assert server_login.settings_path().stat().st_mode & 0o077 == 0


def test_without_remembering_no_password_is_stored() -> None:
    server_login.remember(ADDRESS, password=PASSWORD)
    server_login.remember(ADDRESS)  # “记住密码” unticked
    assert "password" not in _stored()
    got = server_login.load()
    assert got is not None and not got.has_password and got.address == ADDRESS


def test_keep_remembered_only_for_the_same_address_and_account() -> None:
    server_login.remember(ADDRESS, password=PASSWORD)
    server_login.remember(ADDRESS, keep_remembered=True)
    assert server_login.load().address.password == PASSWORD
    other = ServerAddress.parse("postgresql://lisi@192.168.1.10:5433/wqg")
    server_login.remember(other, keep_remembered=True)
    got = server_login.load()
    assert got.address == other and not got.has_password


def test_remember_opened_follows_the_tick() -> None:
    server_login.remember_opened(ADDRESS, password=PASSWORD, remember_password=True)
    assert server_login.load().address.password == PASSWORD
    server_login.remember_opened(ADDRESS)  # opened again without a dialog: password stays
    assert server_login.load().address.password == PASSWORD
    server_login.remember_opened(ADDRESS, password="typed", remember_password=False)
    assert not server_login.load().has_password


@pytest.mark.parametrize("content", ["not json at all {", "[1, 2]", '{"version": 99, "address": "x"}',
                                     '{"version": 1, "address": "/home/zhang/wqg.sqlite3"}',
                                     '{"version": 1}'])
def test_a_file_that_does_not_read_back_is_ignored_with_a_warning(content, caplog) -> None:
    server_login.settings_path().write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="wqg_desktop.db.server_login"):
        assert server_login.load() is None
    assert any("已忽略" in r.getMessage() for r in caplog.records)
    assert server_login.default_target() == paths.default_db_path()


def _rewrite(**changes: object) -> None:
    data = _stored()
    data.update(changes)
    server_login.settings_path().write_text(json.dumps(data), encoding="utf-8")


def test_a_tampered_password_is_ignored_with_a_warning(caplog) -> None:
    server_login.remember(ADDRESS, password=PASSWORD)
    sealed = bytearray(base64.b64decode(_stored()["password"]))
    sealed[-1] ^= 0x01
    _rewrite(password=base64.b64encode(bytes(sealed)).decode())
    with caplog.at_level(logging.WARNING, logger="wqg_desktop.db.server_login"):
        got = server_login.load()
    # the address still names the server; the password is asked for again
    assert got is not None and got.address == ADDRESS and not got.has_password
    assert any("解不开" in r.getMessage() for r in caplog.records)


def test_a_sealed_password_does_not_follow_an_edited_address(caplog) -> None:
    server_login.remember(ADDRESS, password=PASSWORD)
    _rewrite(address="postgresql://zhangsan@10.0.0.66/wqg")
    with caplog.at_level(logging.WARNING, logger="wqg_desktop.db.server_login"):
        got = server_login.load()
    assert got is not None and got.address.host == "10.0.0.66" and not got.has_password
    assert caplog.records


def test_an_unsealed_value_is_never_taken_as_the_password(caplog) -> None:
    # keystore.unwrap passes 32 unsealed bytes through (old office keys): not here
    server_login.remember(ADDRESS, password=PASSWORD)
    _rewrite(password=base64.b64encode(b"x" * 32).decode())
    with caplog.at_level(logging.WARNING, logger="wqg_desktop.db.server_login"):
        got = server_login.load()
    assert got is not None and not got.has_password
    assert caplog.records


def test_a_copy_on_another_pc_does_not_give_the_password_back(caplog) -> None:
    server_login.remember(ADDRESS, password=PASSWORD)
    keystore.secret_path().unlink()  # another installation: another (or no) secret
    with caplog.at_level(logging.WARNING, logger="wqg_desktop.db.server_login"):
        got = server_login.load()
    assert got is not None and not got.has_password


def test_an_address_with_a_password_in_the_file_is_read_without_it() -> None:
    server_login.remember(ADDRESS)
    _rewrite(address="postgresql://zhangsan:oops@192.168.1.10:5433/wqg")
    got = server_login.load()
    assert got is not None and got.address.password is None


def test_forget() -> None:
    server_login.remember(ADDRESS, password=PASSWORD)
    assert server_login.forget() is True
    assert not server_login.settings_path().exists()
    assert server_login.load() is None
    assert server_login.default_target() == paths.default_db_path()
    assert server_login.forget() is False
