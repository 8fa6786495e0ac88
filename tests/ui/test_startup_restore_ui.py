"""A database that fails its integrity check at start: offered the newest sound backup."""

from __future__ import annotations

from wqg_desktop.db.connection import backup_path, backup_to
from wqg_desktop.db.models import Office
from wqg_desktop.ui import startup


def test_a_corrupt_database_is_restored_from_the_newest_sound_backup(ctx, monkeypatch) -> None:
    path = ctx.db_path
    good = backup_to(ctx.opened.db, backup_path(path, "手动"))
    ctx.close()
    bad = backup_path(path, "坏")
    bad.write_bytes(b"not a database at all" * 100)  # newer, but fails its check
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # damage the first page after the header
    path.write_bytes(bytes(data))
    asked: list[str] = []
    monkeypatch.setattr(startup.messages, "confirm",
                        lambda parent, text, **kw: asked.append(text) or True)
    restored = startup.open_context(path)
    assert restored is not None
    try:
        assert good.name in asked[0] and bad.name not in asked[0]
        assert Office.get(Office.is_self == 1).name == "海安市公安局"
        assert path.with_name(path.name + ".damaged").exists()
    finally:
        restored.close()
