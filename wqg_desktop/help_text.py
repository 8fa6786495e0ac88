"""The user manual (docs/manual.md), cut into sections for F1 help."""

from __future__ import annotations

from wqg_desktop import paths

MANUAL = "manual.md"


def manual_text() -> str:
    path = paths.docs_dir() / MANUAL
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return f"# 帮助\n\n找不到用户手册文件：{path}"


def section(title: str) -> str:
    """The ``## title`` section of the manual (with its subsections), or the whole manual."""
    lines = manual_text().splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip() == title
        if inside:
            out.append(line)
    if not out:
        out = lines
    # The manual's full-size screenshots are for reading docs/; in F1 help the officer is
    # looking at the real window already.
    return "\n".join(line for line in out if not line.startswith("!["))
