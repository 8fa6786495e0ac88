"""A corpus of broken and hostile packages, built here: each is refused with its own reason,
and the receiving database's file and WAL are byte-for-byte what they were before."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import sqlite3
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from test_pkg_support import (
    TODAY,
    add_units,
    bind,
    copy_db,
    file_digest,
)

from wqg_desktop.db.models import Attachment
from wqg_desktop.exchange import keystore, merge, package
from wqg_desktop.exchange import manifest as mf
from wqg_desktop.exchange.manifest import PackageRefused
from wqg_desktop.services.office import this_office

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)


@pytest.fixture(scope="module")
def base(pkg_templates, tmp_path_factory) -> dict:
    """A sound package from county A (and a second, later one), with the county's signing key."""
    tmp = tmp_path_factory.mktemp("hostile")
    county = copy_db(pkg_templates["a"], tmp / "a.sqlite3")
    with bind(county):
        add_units(3)
        Attachment.create(owner_office=this_office(), entity="Unit", entity_uuid="x", filename="a.txt",
                          sha256="0" * 64, size=1)
        p1 = package.export_package(out=tmp / "p1.wqgpkg", today=TODAY).path
        p2 = package.export_package(out=tmp / "p2.wqgpkg", today=TODAY).path
    con = sqlite3.connect(county)
    office, wrapped = con.execute("SELECT office_uuid, sign_private FROM office_identity").fetchone()
    con.close()
    # kept wrapped at rest (keystore); this installation's secret opens it
    key = keystore.unwrap(wrapped, office_uuid=office, role="sign")
    with zipfile.ZipFile(p1) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    return {"p1": p1, "p2": p2, "members": members, "key": Ed25519PrivateKey.from_private_bytes(key),
            "dir": tmp}


def _zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def craft(base: dict, path: Path, *, edit_manifest: Callable[[dict], None] | None = None,
          files: dict[str, bytes | None] | None = None, rehash: bool = True, resign: bool = True,
          extra: list[tuple[str | zipfile.ZipInfo, bytes]] = (), key=None) -> Path:
    """Rebuild the base package with changes, re-hashed and re-signed unless told otherwise."""
    members = dict(base["members"])
    manifest = json.loads(members[mf.MANIFEST])
    for name, data in (files or {}).items():
        if data is None:
            members.pop(name, None)
            if rehash:
                manifest["files"].pop(name, None)
        else:
            members[name] = data
            if rehash:
                manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    if edit_manifest:
        edit_manifest(manifest)
    if edit_manifest or rehash and files:
        members[mf.MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    if resign:
        members[mf.SIGNATURE] = base64.b64encode((key or base["key"]).sign(members[mf.MANIFEST]))
    return _zip(path, list(members.items()) + list(extra))


def _data(base: dict, kind: str) -> bytes:
    return base["members"][f"data/{kind}.jsonl"]


def _edit_first_line(base: dict, kind: str, change: Callable[[dict], None]) -> bytes:
    lines = _data(base, kind).split(b"\n")
    rec = json.loads(lines[0])
    change(rec)
    lines[0] = json.dumps(rec, ensure_ascii=False).encode("utf-8")
    return b"\n".join(lines)


def _symlink() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("data/Link.jsonl")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _corpus(base: dict, tmp: Path) -> list[tuple[str, str, Callable[[], Path]]]:
    p1 = base["p1"].read_bytes()
    m = base["members"]

    def raw(name: str, data: bytes) -> Callable[[], Path]:
        def build() -> Path:
            (tmp / name).write_bytes(data)
            return tmp / name
        return build

    def c(name: str, **kw) -> Callable[[], Path]:
        return lambda: craft(base, tmp / name, **kw)

    def manifest_set(**changes) -> Callable[[dict], None]:
        return lambda man: man.update(changes)

    unit_uuid = json.loads(_data(base, "Unit").split(b"\n")[0])["uuid"]
    other_key = Ed25519PrivateKey.generate()
    return [
        ("random bytes", "not_package", raw("r.wqgpkg", random.Random(1).randbytes(5000))),
        ("empty file", "not_package", raw("e.wqgpkg", b"")),
        ("text file", "not_package", raw("t.wqgpkg", "这不是上报包".encode())),
        ("zip without manifest", "not_package", lambda: _zip(tmp / "z.wqgpkg", [("a.txt", b"x")])),
        ("first half", "truncated", raw("h.wqgpkg", p1[: len(p1) // 2])),
        ("end cut off", "truncated", raw("c.wqgpkg", p1[:-30])),
        ("manifest edited, old signature", "signature",
         c("s1.wqgpkg", edit_manifest=manifest_set(period="2099—2100年度"), resign=False)),
        ("signature of other bytes", "signature",
         c("s2.wqgpkg", files={mf.SIGNATURE: base64.b64encode(base["key"].sign(b"other"))},
           rehash=False, resign=False)),
        ("signature not base64", "signature",
         c("s3.wqgpkg", files={mf.SIGNATURE: b"!!!"}, rehash=False, resign=False)),
        ("signed by another key", "signature",
         c("s4.wqgpkg", edit_manifest=manifest_set(period="x"), key=other_key)),
        ("signature file missing", "missing_file",
         lambda: _zip(tmp / "m0.wqgpkg", [(n, d) for n, d in m.items() if n != mf.SIGNATURE])),
        ("data file missing", "missing_file", c("m1.wqgpkg", files={"data/Unit.jsonl": None},
                                                 rehash=False, resign=False)),
        ("file added", "extra_file", c("x1.wqgpkg", extra=[("notes.txt", b"hello")])),
        ("file twice", "extra_file", c("x2.wqgpkg", extra=[("data/Unit.jsonl", _data(base, "Unit"))])),
        ("data changed, manifest not", "manifest",
         c("h1.wqgpkg", files={"data/Unit.jsonl": _data(base, "Unit").replace(b"0", b"1", 1)},
           rehash=False, resign=False)),
        ("count wrong", "manifest", c("h2.wqgpkg", edit_manifest=lambda man: man["counts"].update(Unit=99))),
        ("kind count without file", "manifest",
         c("h3.wqgpkg", edit_manifest=lambda man: man["counts"].update(Volunteer=2))),
        ("sender level differs", "manifest",
         c("h4.wqgpkg", edit_manifest=lambda man: man["sender"].update(level=2))),
        ("newer format", "format_new", c("f1.wqgpkg", edit_manifest=manifest_set(format_version=2))),
        ("newer schema", "schema_new", c("f2.wqgpkg", edit_manifest=manifest_set(schema_version=999))),
        ("zip-slip", "unsafe_path", c("u1.wqgpkg", extra=[("../../evil.txt", b"x")])),
        ("absolute path", "unsafe_path", c("u2.wqgpkg", extra=[("/etc/evil", b"x")])),
        ("drive letter", "unsafe_path", c("u3.wqgpkg", extra=[("C:/evil", b"x")])),
        ("backslash", "unsafe_path", c("u4.wqgpkg", extra=[("data\\..\\evil", b"x")])),
        ("manifest lists ../", "unsafe_path",
         c("u5.wqgpkg", edit_manifest=lambda man: man["files"].update(
             {"../x": {"sha256": "0" * 64, "size": 1}}))),
        ("symlink", "link", c("l1.wqgpkg", extra=[(_symlink(), b"/etc/passwd")])),
        ("manifest bomb", "bomb", lambda: _zip(tmp / "b1.wqgpkg", [
            (mf.MANIFEST, b"{" + b" " * (mf.MAX_MANIFEST_BYTES + 10) + b"}"), (mf.SIGNATURE, m[mf.SIGNATURE])])),
        ("signature bomb", "bomb", lambda: _zip(tmp / "b2.wqgpkg", [
            (mf.MANIFEST, m[mf.MANIFEST]), (mf.SIGNATURE, b"A" * 5_000_000)])),
        ("absurd count", "too_large", c("a1.wqgpkg", edit_manifest=lambda man: man["counts"].update(Unit=10**12))),
        ("absurd size", "too_large", c("a2.wqgpkg", edit_manifest=lambda man: man["files"]["data/Unit.jsonl"].update(
            size=10**13))),
        ("line not JSON", "bad_json", c("j1.wqgpkg", files={"data/Unit.jsonl": b"{not json\n"})),
        ("last line unfinished", "bad_json", c("j2.wqgpkg", files={"data/Unit.jsonl": _data(base, "Unit")[:-1]})),
        ("line is a list", "bad_json", c("j3.wqgpkg", files={"offices.jsonl": b"[1, 2]\n"})),
        ("manifest not JSON", "bad_json", lambda: _signed_manifest(
            base, tmp / "j4.wqgpkg", b'{"sender": {"sign_public": "' + _pub(base).encode() + b'"}, oops')),
        ("GBK text", "bad_encoding", c("g1.wqgpkg", files={"data/Unit.jsonl": _data(base, "Unit").replace(
            "公安局".encode(), "公安局".encode("gbk"), 1)})),
        ("manifest GBK", "bad_encoding", lambda: _signed_manifest(
            base, tmp / "g2.wqgpkg", m[mf.MANIFEST].replace("南通".encode(), "南通".encode("gbk"), 1)
            if "南通".encode() in m[mf.MANIFEST] else m[mf.MANIFEST].replace(
                "海安".encode(), "海安".encode("gbk"), 1))),
        ("unknown field", "bad_record", c("r1.wqgpkg", files={"data/Unit.jsonl": _edit_first_line(
            base, "Unit", lambda r: r.update(secret_flag=1))})),
        ("wrong type", "bad_record", c("r2.wqgpkg", files={"data/Unit.jsonl": _edit_first_line(
            base, "Unit", lambda r: r.update(online="是"))})),
        ("bad date", "bad_record", c("r3.wqgpkg", files={"data/Unit.jsonl": _edit_first_line(
            base, "Unit", lambda r: r.update(founded_on="2026-02-30"))})),
        ("duplicate uuid", "bad_record", c("r4.wqgpkg", files={"data/Unit.jsonl": _edit_first_line(
            base, "Unit", lambda r: None) + _data(base, "Unit").split(b"\n")[0] + b"\n"},
            edit_manifest=lambda man: man["counts"].update(Unit=man["counts"]["Unit"] + 1))),
        ("owner unknown", "bad_record", c("r5.wqgpkg", files={"data/Unit.jsonl": _edit_first_line(
            base, "Unit", lambda r: r.update(owner="00000000-0000-4000-8000-000000000000"))})),
        ("owner is the receiver", "bad_record", c("r6.wqgpkg", files={"data/Unit.jsonl": _edit_first_line(
            base, "Unit", lambda r: r.update(owner=_receiver(base)))})),
        ("dangling reference", "bad_record", c("r7.wqgpkg", files={"data/Consultation.jsonl": _edit_first_line(
            base, "Consultation", lambda r: r.update(unit="00000000-0000-4000-8000-000000000001"))})),
        ("deleted and present", "bad_record", c("r8.wqgpkg", files={
            "deleted.jsonl": json.dumps({"uuid": unit_uuid}).encode() + b"\n"},
            edit_manifest=manifest_set(deleted=1))),
        ("bad uuid", "bad_record", c("r9.wqgpkg", files={"data/Unit.jsonl": _edit_first_line(
            base, "Unit", lambda r: r.update(uuid="../../etc"))})),
        ("NUL in text", "bad_record", c("r10.wqgpkg", files={"data/Unit.jsonl": _edit_first_line(
            base, "Unit", lambda r: r.update(name="a\x00b"))})),
        ("not for this office", "wrong_office", c("w1.wqgpkg", edit_manifest=lambda man: man["receiver"].update(
            uuid="00000000-0000-4000-8000-000000000002", name="苏州市公安局"))),
        ("city listed below the county", "wrong_office", c("w2.wqgpkg", files={"offices.jsonl": _offices_with_city_below(base)})),
        ("sequence reused", "sequence_reused", None),
        ("older after newer", "sequence_old", None),
        ("changed key", "key_changed", None),
        ("unknown key, not trusted", "key_unknown", None),
    ]


def _pub(base: dict) -> str:
    return json.loads(base["members"][mf.MANIFEST])["sender"]["sign_public"]


def _receiver(base: dict) -> str:
    return json.loads(base["members"][mf.MANIFEST])["receiver"]["uuid"]


def _offices_with_city_below(base: dict) -> bytes:
    lines = [json.loads(x) for x in base["members"][mf.OFFICES].split(b"\n") if x]
    sender = json.loads(base["members"][mf.MANIFEST])["sender"]["uuid"]
    for rec in lines:
        if rec["uuid"] == _receiver(base):
            rec["parent"] = sender
        elif rec["uuid"] == sender:
            rec["parent"] = None
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in lines)


def _signed_manifest(base: dict, path: Path, manifest: bytes) -> Path:
    members = dict(base["members"])
    members[mf.MANIFEST] = manifest
    members[mf.SIGNATURE] = base64.b64encode(base["key"].sign(manifest))
    return _zip(path, list(members.items()))


CASE_NAMES = [  # kept in step with _corpus (checked by test_corpus_is_large_and_named)
    "random bytes", "empty file", "text file", "zip without manifest", "first half", "end cut off",
    "manifest edited, old signature", "signature of other bytes", "signature not base64",
    "signed by another key", "signature file missing", "data file missing", "file added",
    "file twice", "data changed, manifest not", "count wrong", "kind count without file",
    "sender level differs", "newer format", "newer schema", "zip-slip", "absolute path",
    "drive letter", "backslash", "manifest lists ../", "symlink", "manifest bomb", "signature bomb",
    "absurd count", "absurd size", "line not JSON", "last line unfinished", "line is a list",
    "manifest not JSON", "GBK text", "manifest GBK", "unknown field", "wrong type", "bad date",
    "duplicate uuid", "owner unknown", "owner is the receiver", "dangling reference",
    "deleted and present", "bad uuid", "NUL in text", "not for this office",
    "city listed below the county", "sequence reused", "older after newer", "changed key",
    "unknown key, not trusted",
]


def test_corpus_is_large_and_named(base, tmp_path) -> None:
    names = [c[0] for c in _corpus(base, tmp_path)]
    assert names == CASE_NAMES and len(names) >= 40


def _attempt(db: Path, pkg: Path, *, trust: bool = True) -> PackageRefused:
    with bind(db) as ctx, ctx.acting("汇总"):
        before = file_digest(db)
        with pytest.raises(PackageRefused) as refused:
            merge.import_package(pkg, trust_new_key=trust, db_path=ctx.db_path)
        assert file_digest(db) == before, "a refused package changed the database"
    return refused.value


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_package_is_refused_with_its_reason(base, pkg_templates, tmp_path, name) -> None:
    case = next(c for c in _corpus(base, tmp_path) if c[0] == name)
    _, reason, build = case
    city = copy_db(pkg_templates["city"], tmp_path / "city.sqlite3")
    if build is None:
        _special(name, base, city, tmp_path, reason)
        return
    refused = _attempt(city, build())
    assert refused.reason == reason, refused.message
    assert "本库未作任何改动" in refused.message


def _special(name: str, base: dict, city: Path, tmp: Path, reason: str) -> None:
    def ok(pkg: Path) -> None:
        with bind(city) as ctx:
            assert merge.import_package(pkg, trust_new_key=True, db_path=ctx.db_path).applied

    if name == "unknown key, not trusted":
        refused = _attempt(city, base["p1"], trust=False)
        assert base["p1"].exists() and "电话核对" in refused.message
    elif name == "older after newer":
        ok(base["p2"])
        refused = _attempt(city, base["p1"])
    elif name == "sequence reused":
        ok(base["p1"])
        refused = _attempt(city, craft(base, tmp / "same-seq.wqgpkg", edit_manifest=lambda man: man.update(
            package_id="11111111-2222-4333-8444-555555555555")))
    else:  # changed key: same office, a new key after the old one was trusted
        ok(base["p1"])
        other = Ed25519PrivateKey.generate()
        from cryptography.hazmat.primitives import serialization

        pub = base64.b64encode(other.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()

        def swap(man: dict) -> None:
            man["sender"]["sign_public"] = pub
            man["sender"].pop("fingerprint")
            man["sequence"] += 5
            man["package_id"] = "11111111-2222-4333-8444-666666666666"

        refused = _attempt(city, craft(base, tmp / "new-key.wqgpkg", edit_manifest=swap, key=other))
    assert refused.reason == reason, refused.message


def test_random_byte_flips_are_detected(base, pkg_templates, tmp_path) -> None:
    city = copy_db(pkg_templates["city"], tmp_path / "city.sqlite3")
    data = base["p1"].read_bytes()
    rng = random.Random(20261126)
    with bind(city) as ctx:
        before = file_digest(city)
        for i in range(30):
            flipped = bytearray(data)
            pos = rng.randrange(len(flipped))
            flipped[pos] ^= 1 << rng.randrange(8)
            path = tmp_path / f"flip{i}.wqgpkg"
            path.write_bytes(bytes(flipped))
            try:
                merge.import_package(path, trust_new_key=True, db_path=ctx.db_path)
            except PackageRefused as exc:
                assert exc.reason in mf.REASONS
            else:
                # only bytes no reader looks at (zip comment, timestamps, unused header
                # fields) may change without a refusal; the content imported is then the same
                if _matters(data, bytes(flipped)):
                    raise AssertionError(f"flip at {pos} of {len(flipped)} went unnoticed")
            assert file_digest(city) == before or _imported_sound(city)


def _matters(original: bytes, flipped: bytes) -> bool:
    """Whether a flip touched a member's content (rather than zip bookkeeping)."""
    with zipfile.ZipFile(__import__("io").BytesIO(original)) as a:
        try:
            with zipfile.ZipFile(__import__("io").BytesIO(flipped)) as b:
                return any(a.read(n) != b.read(n) for n in a.namelist())
        except Exception:
            return True


def _imported_sound(city: Path) -> bool:
    con = sqlite3.connect(city)
    try:
        return con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        con.close()
