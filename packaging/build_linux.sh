#!/usr/bin/env bash
# Build the Linux bundle of 维权岗 and its .deb, and prove the bundle works.
#
#   packaging/build_linux.sh                 # everything: venv bundle check deb
#   packaging/build_linux.sh check deb       # only some stages (the others' output is reused)
#   PYSIDE6_VERSION=6.8.0.2 packaging/build_linux.sh   # 信创 build: see packaging/README.md
#                               (own venv and output: packaging/{build,dist}/pyside-6.8.0.2/)
#
# Stages:
#   venv    build environment packaging/build/venv: the project (not editable) + PyInstaller
#   bundle  PyInstaller onedir bundle packaging/dist/wqg-desktop/ (wqg-desktop and wqg)
#   check   self-test of the built bundle (offscreen), the command line, size, highest GLIBC
#   deb     packaging/dist/wqg-desktop_<版本>_<架构>.deb, then its own copy is self-tested
#
# Environment: PYTHON (default python3, must be 3.11+), PYSIDE6_VERSION (pin PySide6; before
# 6.12 QtPdf comes from PySide6-Addons), DEB_MAINTAINER.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="$HERE/build"
DIST="$HERE/dist"
VENV="$BUILD/venv"
if [ -n "${PYSIDE6_VERSION:-}" ]; then
    # A pinned build keeps its own environment and output beside the default one.
    BUILD="$HERE/build/pyside-$PYSIDE6_VERSION"
    DIST="$HERE/dist/pyside-$PYSIDE6_VERSION"
    VENV="$BUILD/venv"
fi
BUNDLE="$DIST/wqg-desktop"
PYTHON="${PYTHON:-python3}"
PYINSTALLER_SPEC="pyinstaller>=6.10,<7"

STAGES=("$@")
[ ${#STAGES[@]} -eq 0 ] && STAGES=(venv bundle check deb)
want() { local s; for s in "${STAGES[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }
say() { printf '\n== %s\n' "$*"; }
fail() { printf '失败：%s\n' "$*" >&2; exit 1; }

VERSION="$("$PYTHON" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
ARCH="$(dpkg --print-architecture 2>/dev/null || uname -m)"
mkdir -p "$BUILD" "$DIST"

if want venv; then
    say "构建环境 $VENV（$("$PYTHON" --version)）"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    if [ -n "${PYSIDE6_VERSION:-}" ]; then
        # pyproject's PySide6-Pdf exists only for 6.12: install the swapped list, then the
        # project itself without its own dependency list.
        "$PYTHON" "$HERE/deps.py" --pyside "$PYSIDE6_VERSION" > "$BUILD/requirements.txt"
        "$VENV/bin/pip" install --quiet -r "$BUILD/requirements.txt" "$PYINSTALLER_SPEC"
        "$VENV/bin/pip" install --quiet --no-deps --force-reinstall "$ROOT"
    else
        "$VENV/bin/pip" install --quiet --force-reinstall --no-deps "$ROOT"
        "$VENV/bin/pip" install --quiet "$ROOT" "$PYINSTALLER_SPEC"
    fi
    "$VENV/bin/pip" list 2>/dev/null | grep -i -E '^(pyside6|shiboken6|pyinstaller|wqg-desktop)' || true
fi

if want bundle; then
    say "PyInstaller 打包 → $BUNDLE"
    [ -x "$VENV/bin/pyinstaller" ] || fail "没有构建环境：先运行 $0 venv"
    rm -rf "$BUNDLE"
    (cd "$ROOT" && "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
        --distpath "$DIST" --workpath "$BUILD/pyi" "$HERE/wqg-desktop.spec")
fi

selftest() {  # $1 = folder holding wqg-desktop and wqg
    local dir="$1" tmp
    tmp="$(mktemp -d)"
    # No display and no user data folder: the self-test makes its own temporary database.
    QT_QPA_PLATFORM=offscreen WQG_DATA_DIR="$tmp/data" "$dir/wqg-desktop" --selftest \
        || { rm -rf "$tmp"; fail "打包程序自检未通过（$dir）"; }
    if command -v xvfb-run > /dev/null; then
        # The X11 (xcb) platform plugin is what an office desktop loads: try it on a virtual
        # screen too, so a missing xcb library shows here rather than on the officer's PC.
        echo "-- 在虚拟 X 屏幕（Xvfb，xcb 平台）上再自检一次"
        QT_QPA_PLATFORM=xcb WQG_DATA_DIR="$tmp/data" xvfb-run -a "$dir/wqg-desktop" --selftest \
            | grep -E '^(Qt：|自检)' || { rm -rf "$tmp"; fail "xcb 平台自检未通过（$dir）"; }
    fi
    WQG_DATA_DIR="$tmp/data" "$dir/wqg" init --db "$tmp/命令行.sqlite3" --level 县 \
        --office 海安市公安局 --officer 自检 --json > "$tmp/init.json" \
        || { cat "$tmp/init.json"; rm -rf "$tmp"; fail "命令行 wqg init 失败（$dir）"; }
    WQG_DATA_DIR="$tmp/data" "$dir/wqg" stats --db "$tmp/命令行.sqlite3" > /dev/null \
        || { rm -rf "$tmp"; fail "命令行 wqg stats 失败（$dir）"; }
    echo "命令行 wqg：init、stats 正常"
    rm -rf "$tmp"
}

max_glibc() {  # highest GLIBC_x.y symbol version needed by any ELF file below $1
    local f v
    while IFS= read -r -d '' f; do
        [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
        v="$(objdump -T "$f" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -1 || true)"
        if [ -n "$v" ]; then printf '%s\t%s\n' "${v#GLIBC_}" "${f#"$1"/}"; fi
    done < <(find "$1" -type f -print0) | sort -V -k1,1
}

if want check; then
    [ -x "$BUNDLE/wqg-desktop" ] || fail "没有打包结果：先运行 $0 bundle"
    say "自检（离屏）"
    selftest "$BUNDLE"
    say "大小"
    du -sh "$BUNDLE" | sed 's/\t/  /'
    echo "最大的文件："
    # awk, not head: head closing the pipe early would fail the script under pipefail.
    find "$BUNDLE" -type f -printf '%s\t%P\n' | sort -rn \
        | awk -F'\t' 'NR <= 8 {printf "  %6.1f MB  %s\n", $1/1048576, $2}'
    say "所需最高 glibc 版本（objdump -T，逐个检查每个 ELF 文件）"
    max_glibc "$BUNDLE" > "$BUILD/glibc.txt"
    echo "需要最高版本的文件："
    tail -5 "$BUILD/glibc.txt" | sed 's/^/  GLIBC_/'
    GLIBC_MAX="$(tail -1 "$BUILD/glibc.txt" | cut -f1)"
    echo "本打包需要 glibc >= $GLIBC_MAX（本机 $(ldd --version | sed -n '1s/.* //p')）"
    echo "$GLIBC_MAX" > "$BUILD/glibc_max"
fi

if want deb; then
    [ -x "$BUNDLE/wqg-desktop" ] || fail "没有打包结果：先运行 $0 bundle"
    [ -s "$BUILD/glibc_max" ] || fail "先运行 $0 check（.deb 的 libc6 依赖取自它）"
    GLIBC_MAX="$(cat "$BUILD/glibc_max")"
    PKG="$BUILD/deb/wqg-desktop_${VERSION}_${ARCH}"
    DEB="$DIST/wqg-desktop_${VERSION}_${ARCH}.deb"
    say ".deb → $DEB"
    rm -rf "$PKG"
    mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications"
    cp -a "$BUNDLE" "$PKG/opt/wqg-desktop"
    ln -s /opt/wqg-desktop/wqg-desktop "$PKG/usr/bin/wqg-desktop"
    ln -s /opt/wqg-desktop/wqg "$PKG/usr/bin/wqg"
    for size in 16 32 48 64 128 256; do
        mkdir -p "$PKG/usr/share/icons/hicolor/${size}x${size}/apps"
        cp "$ROOT/resources/icons/wqg-desktop-$size.png" \
            "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/wqg-desktop.png"
    done
    mkdir -p "$PKG/usr/share/icons/hicolor/scalable/apps"
    cp "$ROOT/resources/icons/wqg-desktop.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/"
    cat > "$PKG/usr/share/applications/wqg-desktop.desktop" <<EOF
[Desktop Entry]
Type=Application
Version=1.0
Name=维权岗
Name[zh_CN]=维权岗
GenericName=青少年维权岗创建活动管理
GenericName[zh_CN]=青少年维权岗创建活动管理
Comment=公安机关“青少年维权岗”创建活动管理：单位名册、创建活动、称号、工作台账、证书打印
Comment[zh_CN]=公安机关“青少年维权岗”创建活动管理：单位名册、创建活动、称号、工作台账、证书打印
Exec=/opt/wqg-desktop/wqg-desktop
TryExec=/opt/wqg-desktop/wqg-desktop
Icon=wqg-desktop
Terminal=false
Categories=Office;
Keywords=维权岗;青少年;维权;证书;公安;
StartupWMClass=wqg-desktop
EOF
    if command -v desktop-file-validate > /dev/null; then
        desktop-file-validate "$PKG/usr/share/applications/wqg-desktop.desktop"
    fi
    # The system libraries the bundle does not carry (libc, OpenGL, the print service, the
    # xcb parts the build machine lacked), as this build machine's packages name them.
    "$PYTHON" "$HERE/deb_depends.py" "$BUNDLE" "$GLIBC_MAX" > "$BUILD/depends.txt"
    cat > "$PKG/DEBIAN/control" <<EOF
Package: wqg-desktop
Version: $VERSION
Section: misc
Priority: optional
Architecture: $ARCH
Maintainer: ${DEB_MAINTAINER:-维权岗开发组 <wqg-desktop@localhost>}
Installed-Size: $(du -sk "$PKG" | cut -f1)
$(cat "$BUILD/depends.txt")
Description: 维权岗——青少年维权岗创建活动管理
 公安机关县(市、区)、市、省三级“青少年维权岗”创建活动领导小组办公室使用的单机程序：
 基层单位名册、创建活动与称号、工作台账、命名证书和牌匾样稿打印、上报包。
 程序装在 /opt/wqg-desktop；每个用户的数据在 ~/.local/share/wqg-desktop，卸载时保留。
EOF
    # Uninstalling never touches the users' data folders (~/.local/share/wqg-desktop): no
    # maintainer scripts at all; the desktop and icon caches are refreshed by dpkg triggers.
    dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" > /dev/null
    dpkg-deb --info "$DEB" | sed -n '/Package:/,/Description:/p'
    echo "大小：$(du -h "$DEB" | cut -f1)"
    say "从 .deb 解出的程序再自检一次"
    rm -rf "$BUILD/deb-unpacked"
    dpkg-deb -x "$DEB" "$BUILD/deb-unpacked"
    selftest "$BUILD/deb-unpacked/opt/wqg-desktop"
fi
say "完成"
