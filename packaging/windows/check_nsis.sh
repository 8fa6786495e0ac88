#!/usr/bin/env bash
# Show that the Windows installer script compiles, on Linux, against a stand-in bundle.
#
#   packaging/windows/check_nsis.sh            (needs makensis: apt-get install nsis)
#
# The real bundle is built by PyInstaller on Windows (see build_windows.md); here a folder of
# the same shape (wqg-desktop.exe, wqg.exe, _internal\ with forms, resources, docs) stands in
# for it, so every File, Section and page of the script is compiled. The stand-in installer is
# written to packaging/build/windows/ and is not an installer to hand out.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$ROOT/packaging/build/windows"
STANDIN="$WORK/stand-in/wqg-desktop"
OUT="$WORK/wqg-desktop-setup-stand-in.exe"

command -v makensis > /dev/null || { echo "缺少 makensis：apt-get install nsis" >&2; exit 1; }
VERSION="$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"

rm -rf "$WORK/stand-in" "$OUT"
mkdir -p "$STANDIN/_internal/docs"
printf 'stand-in for the PyInstaller GUI executable\n' > "$STANDIN/wqg-desktop.exe"
printf 'stand-in for the PyInstaller console executable\n' > "$STANDIN/wqg.exe"
# The data files are real: the installer must carry folders with Chinese file names intact.
cp -r "$ROOT/forms" "$STANDIN/_internal/forms"
mkdir -p "$STANDIN/_internal/resources"
cp -r "$ROOT/resources/calendar" "$ROOT/resources/icons" "$STANDIN/_internal/resources/"
mkdir -p "$STANDIN/_internal/resources/fonts"
cp "$ROOT"/resources/fonts/*.txt "$ROOT/resources/fonts/README.md" "$STANDIN/_internal/resources/fonts/"
cp "$ROOT/docs/manual.md" "$STANDIN/_internal/docs/"
printf '许可证与字体说明\n' > "$STANDIN/_internal/resources/fonts/说明.txt"

makensis -V2 -WX -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSOURCE_DIR="$STANDIN" -DOUT_FILE="$OUT" \
    "$HERE/wqg-desktop.nsi"

[ -s "$OUT" ] || { echo "失败：没有生成安装程序" >&2; exit 1; }
head -c 2 "$OUT" | grep -q MZ || { echo "失败：$OUT 不是 Windows 可执行文件" >&2; exit 1; }
echo "NSIS 脚本编译通过：$OUT（$(du -h "$OUT" | cut -f1)，替身目录，仅用于检查）"
