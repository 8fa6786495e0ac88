"""Where things live: checkout, installed wheel and frozen (PyInstaller) layouts.

Only this module knows the layouts; everything else asks it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path

from wqg_desktop import APP_ID

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundle_root() -> Path:
    """Folder that holds ``forms/`` and ``resources/``.

    Frozen builds unpack them next to the executable (``sys._MEIPASS``); a checkout keeps
    them beside the package; an installed wheel ships them inside the package as ``_data``.
    """
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    inside = _PACKAGE_DIR / "_data"
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent


def forms_dir() -> Path:
    return _bundle_root() / "forms"


def resources_dir() -> Path:
    return _bundle_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def form_path(name: str) -> Path:
    return forms_dir() / f"{name}.ui"


def data_dir() -> Path:
    """Per-user data folder (database, backups, logs, attachments).

    ``WQG_DATA_DIR`` overrides it, for tests and for portable installs.
    """
    override = os.environ.get("WQG_DATA_DIR")
    base = Path(override) if override else user_data_path(APP_ID, appauthor=False)
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_db_path() -> Path:
    return data_dir() / "wqg.sqlite3"


def backups_dir(db_path: Path | None = None) -> Path:
    """Backups sit beside the database they protect, so a ``--db`` elsewhere keeps its own."""
    folder = (db_path.parent if db_path else data_dir()) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def logs_dir() -> Path:
    folder = data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def docs_dir() -> Path:
    return _bundle_root() / "docs"
