"""``wqg-desktop --selftest`` — the smoke test run against every built bundle — run as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", WQG_DATA_DIR=str(tmp_path / "user-data"))
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must go offscreen by itself
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_selftest_passes_and_reports_in_chinese(tmp_path: Path) -> None:
    done = _run("import sys; from wqg_desktop.__main__ import main; "
                "sys.exit(main(['--selftest']))", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert "主窗口：已建立" in out
    assert "证书：已生成 1 页 PDF" in out
    assert out.rstrip().endswith("自检通过。")
    # The real data folder (here the one WQG_DATA_DIR named) is never touched.
    assert not (tmp_path / "user-data" / "wqg.sqlite3").exists()


def test_selftest_fails_with_the_reason_when_a_resource_is_missing(tmp_path: Path) -> None:
    done = _run("import sys, pathlib; from wqg_desktop import paths; "
                f"paths.docs_dir = lambda: pathlib.Path({str(tmp_path / 'nowhere')!r}); "
                "from wqg_desktop.__main__ import main; sys.exit(main(['--selftest']))", tmp_path)
    assert done.returncode == 1
    assert "自检失败：缺少用户手册文件" in done.stdout
    assert "自检通过" not in done.stdout
    # The log with the traceback is kept for whoever built the bundle.
    log_file = Path(done.stdout.rsplit("日志：", 1)[1].strip())
    try:
        assert "Traceback" in log_file.read_text(encoding="utf-8")
    finally:
        shutil.rmtree(log_file.parents[2], ignore_errors=True)  # wqg-selftest-*/data/logs/…
