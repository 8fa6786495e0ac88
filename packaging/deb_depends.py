"""The .deb's Depends/Recommends: the system libraries the bundle needs but does not carry.

    python packaging/deb_depends.py packaging/dist/wqg-desktop 2.36

Every ELF file's direct DT_NEEDED names (``objdump -p``), minus the libraries inside the
bundle, mapped to packages with ``dpkg -S`` on the build machine — the real 信创 build runs on
a UOS/Kylin (Debian-family) system, so the names are that system's. Libraries needed only by
the Wayland plugins are Recommends: UOS and Kylin desktops run X11, and an office PC installed
offline must not be refused for a library it never loads. Prints two lines for DEBIAN/control.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: Sonames whose package is not installed on the build machine (nothing to ask dpkg about).
KNOWN = {
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libcups.so.2": "libcups2",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
}
#: Debian 10 (UOS 20) still calls it libgcc1.
ALTERNATIVES = {"libgcc-s1": "libgcc-s1 | libgcc1"}


def _is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def _needed(path: Path) -> list[str]:
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")]


def _package(soname: str) -> str:
    found = subprocess.run(["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True)
    for line in found.stdout.splitlines():
        name = line.split(":", 1)[0].split(",")[0].strip()
        if name:
            return name
    return KNOWN.get(soname, "")


def _optional(user: str) -> bool:
    return any(word in user for word in ("wayland", "Wayland", "WlShell"))


def main(argv: list[str]) -> int:
    bundle, glibc = Path(argv[0]), argv[1]
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and _is_elf(p)]
    inside = {p.name for p in bundle.rglob("*")}
    users: dict[str, list[str]] = {}
    for path in files:
        for soname in _needed(path):
            if soname not in inside:
                users.setdefault(soname, []).append(str(path.relative_to(bundle)))
    depends: dict[str, None] = {f"libc6 (>= {glibc})": None}
    recommends: dict[str, None] = {}
    unknown = []
    for soname, needed_by in sorted(users.items()):
        package = _package(soname)
        if not package:
            unknown.append(soname)
            continue
        if package == "libc6":
            continue
        package = ALTERNATIVES.get(package, package)
        target = recommends if all(_optional(u) for u in needed_by) else depends
        target[package] = None
    for package in list(recommends):
        if package in depends:
            del recommends[package]
    if unknown:
        sys.stderr.write(f"注意：以下系统库找不到所属软件包，未写入依赖：{'、'.join(unknown)}\n")
    sys.stdout.write(f"Depends: {', '.join(depends)}\n")
    if recommends:
        sys.stdout.write(f"Recommends: {', '.join(recommends)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
