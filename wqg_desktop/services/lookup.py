"""Naming records on the command line: by UUID or by any unique prefix of it."""

from __future__ import annotations

from typing import TypeVar

from wqg_desktop.db.models import SyncedModel
from wqg_desktop.errors import NotFound

M = TypeVar("M", bound=SyncedModel)


def by_uuid_prefix(model: type[M], prefix: str, *, what: str = "记录") -> M:
    """The one record whose UUID starts with ``prefix`` (at least 4 characters)."""
    prefix = (prefix or "").strip().lower()
    if len(prefix) < 4:
        raise NotFound(f"请至少输入 UUID 的前 4 位来指定{what}。")
    found = list(model.select().where(model.uuid.startswith(prefix)).limit(2))
    if not found:
        raise NotFound(f"没有 UUID 以“{prefix}”开头的{what}。")
    if len(found) > 1:
        raise NotFound(f"UUID 前缀“{prefix}”对应多条{what}，请多输入几位。")
    return found[0]
