"""Print the project's requirements for one PySide6 version, one per line (for pip -r).

pyproject.toml asks for PySide6-Pdf, which exists only for PySide6 6.12 and pins that exact
PySide6-Essentials. Older PySide6 — 6.8/6.9, the newest whose x86_64 Linux wheels run on the
glibc 2.28–2.31 of UOS and Kylin — ship QtPdf in PySide6-Addons instead. No environment marker
can tell which glibc a machine has, so the swap is done here, for build and test scripts:

    python packaging/deps.py                      # pyproject's own list
    python packaging/deps.py --pyside 6.8.0.2     # same list, PySide6 pinned, Addons for QtPdf
    python packaging/deps.py --pyside 6.9.3 --extra test
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The first PySide6 with a separate PySide6-Pdf wheel.
PDF_WHEEL_SINCE = (6, 12)


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.\-]+", requirement)
    return match.group(0).lower().replace("_", "-") if match else ""


def requirements(pyside: str | None = None, extras: tuple[str, ...] = ()) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in extras:
        wanted += project["optional-dependencies"][extra]
    if not pyside:
        return wanted
    qt = {"pyside6", "pyside6-essentials", "pyside6-addons", "pyside6-pdf"}
    out = [r for r in wanted if _name(r) not in qt]
    out.append(f"PySide6-Essentials=={pyside}")
    major_minor = tuple(int(p) for p in pyside.split(".")[:2])
    if major_minor >= PDF_WHEEL_SINCE:
        out.append("PySide6-Pdf")  # it pins its own matching PySide6-Essentials
    else:
        out.append(f"PySide6-Addons=={pyside}")  # QtPdf and QtPdfWidgets live here before 6.12
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="按 PySide6 版本列出依赖（每行一个，供 pip -r 使用）")
    parser.add_argument("--pyside", help="PySide6 版本，例如 6.8.0.2；不写则照抄 pyproject.toml")
    parser.add_argument("--extra", action="append", default=[], help="同时列出可选依赖组，例如 test")
    args = parser.parse_args(argv)
    sys.stdout.write("\n".join(requirements(args.pyside, tuple(args.extra))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
