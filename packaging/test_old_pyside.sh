#!/usr/bin/env bash
# Run the whole test suite against the oldest supported PySide6 (not part of CI).
#
#   packaging/test_old_pyside.sh              # PySide6 6.8.0.2
#   packaging/test_old_pyside.sh 6.9.3        # any other version
#   packaging/test_old_pyside.sh 6.8.0.2 tests/ui   # extra arguments go to pytest
#
# 信创 desktops (UOS, Kylin: glibc 2.28–2.31) cannot run PySide6 ≥ 6.10, whose Linux wheels need
# glibc 2.34, so the program must keep working on 6.8/6.9. 6.8.0.2 is the default because it
# is also the last release with aarch64 wheels for glibc 2.31 (飞腾/鲲鹏); see README.md here.
# Before 6.12 QtPdf comes from PySide6-Addons (deps.py swaps it in). The checkout is put on the
# path of a second virtual environment (packaging/build/venv-pyside-<版本>) through a .pth
# file: nothing in the checkout or in the main environment changes.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PYSIDE="${1:-6.8.0.2}"
shift || true
PYTHON="${PYTHON:-python3}"
VENV="$HERE/build/venv-pyside-$PYSIDE"

[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$PYTHON" "$HERE/deps.py" --pyside "$PYSIDE" --extra test > "$VENV/requirements.txt"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$VENV/requirements.txt"
SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$ROOT" > "$SITE/wqg-checkout.pth"

echo "== PySide6 $("$VENV/bin/python" -c 'import PySide6; print(PySide6.__version__)')，Qt $("$VENV/bin/python" -c 'from PySide6.QtCore import qVersion; print(qVersion())')"
"$VENV/bin/python" -c 'import PySide6.QtPdf, PySide6.QtPdfWidgets; print("QtPdf：可用（PySide6-Addons）")'
cd "$ROOT"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m wqg_desktop --selftest
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
