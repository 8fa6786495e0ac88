"""The ``wqg`` command line keeps its contract: exit codes 0/2/1, one UTF-8 JSON object, Chinese."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wqg_desktop.cli.main import main
from wqg_desktop.db.connection import open_database
from wqg_desktop.db.models import ALL_MODELS, Office, Region

ROOT = Path(__file__).resolve().parents[2]
INIT = ["init", "--level", "县", "--office", "海安市公安局", "--officer", "王警官"]


def _json(out: str) -> dict:
    lines = out.strip().splitlines()
    assert len(lines) == 1, f"expected one JSON line, got: {out!r}"
    result = json.loads(lines[0])
    assert list(result) == ["ok", "code", "message", "data"]
    return result


def _wqg(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_creates_the_office_database(capsys, db_path: Path) -> None:
    code, out, _ = _wqg(capsys, *INIT, "--db", db_path, "--json")
    assert code == 0
    result = _json(out)
    assert result["ok"] is True and result["code"] == 0
    assert "海安市公安局" in result["message"]
    assert result["data"]["office"] == "海安市公安局"
    assert result["data"]["region"] == "海安市"  # derived from the office name
    assert result["data"]["level"] == 1
    with open_database(db_path, read_only=True):
        office = Office.get()
        assert (office.name, office.level, office.is_self, office.uuid) == (
            "海安市公安局", 1, 1, result["data"]["uuid"])
        assert [r.name for r in Region.select()] == ["海安市"]


def test_init_twice_is_refused(capsys, db_path: Path) -> None:
    assert _wqg(capsys, *INIT, "--db", db_path)[0] == 0
    code, out, err = _wqg(capsys, *INIT, "--db", db_path)
    assert code == 2
    assert "已经设置过" in err and out == ""
    with open_database(db_path, read_only=True):
        assert Office.select().count() == 1


@pytest.mark.parametrize(("args", "words"), [
    (["--level", "镇", "--office", "海安市公安局"], "无法识别层级"),
    (["--level", "国", "--office", "公安部", "--region-name", "全国"], "县级、市级或省级"),
    (["--level", "县", "--office", "海安市公安局", "--region", "32068"], "6 位数字"),
    (["--level", "县", "--office", "某某派出所"], "--region-name"),
])
def test_refused_init_creates_no_file(capsys, db_path: Path, args: list[str], words: str) -> None:
    code, out, _ = _wqg(capsys, "init", "--db", db_path, "--json", *args)
    assert code == 2
    result = _json(out)
    assert result["ok"] is False and result["code"] == 2 and words in result["message"]
    assert list(db_path.parent.iterdir()) == []  # no database, no lock file, no backups folder


@pytest.mark.sqlite_only
def test_init_on_a_database_in_use_fails_with_code_1(capsys, ctx, db_path: Path) -> None:
    code, out, _ = _wqg(capsys, *INIT, "--db", db_path, "--json")
    assert code == 1
    result = _json(out)
    assert result["ok"] is False and "另一个运行中的维权岗程序" in result["message"]


def test_stats_counts_every_record_kind(capsys, db_path: Path) -> None:
    _wqg(capsys, *INIT, "--db", db_path)
    code, out, _ = _wqg(capsys, "stats", "--db", db_path, "--json")
    assert code == 0
    counts = _json(out)["data"]
    assert list(counts) == [m.__name__ for m in ALL_MODELS]
    assert counts["Office"] == 1 and counts["Region"] == 1 and counts["PoliceType"] == 12
    assert counts["Unit"] == 0 and counts["CalendarDay"] > 0 and counts["AuditLog"] > 0

    code, out, _ = _wqg(capsys, "stats", "--db", db_path)
    assert code == 0
    assert "警种" in out and "基层单位" in out
    line = next(x for x in out.splitlines() if x.startswith("警种"))
    assert line.split()[-1] == "12"


def test_stats_on_a_missing_file_is_refused_without_creating_it(capsys, db_path: Path) -> None:
    code, out, _ = _wqg(capsys, "stats", "--db", db_path, "--json")
    assert code == 2
    result = _json(out)
    assert "找不到数据库文件" in result["message"] and "wqg init" in result["message"]
    assert not db_path.exists()


def test_help_is_chinese(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "用法" in out and "init" in out and "stats" in out and "显示帮助并退出" in out
    with pytest.raises(SystemExit):
        main(["init", "--help"])
    assert "本办公室层级" in capsys.readouterr().out


def test_no_command_prints_help_and_exits_2(capsys) -> None:
    assert main([]) == 2
    assert "用法" in capsys.readouterr().out


def test_usage_error_answers_in_json_when_asked(capsys, db_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["init", "--db", str(db_path), "--json"])
    assert exit_.value.code == 2
    result = _json(capsys.readouterr().out)
    assert result["ok"] is False and result["code"] == 2
    assert "缺少必需的参数" in result["message"]

    with pytest.raises(SystemExit) as exit_:
        main(["init", "--db", str(db_path)])
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "用法" in captured.err and "错误" in captured.err
    assert not db_path.exists()


def _run_wqg(*argv: str | Path, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "wqg_desktop.cli.main", *map(str, argv)],
        capture_output=True, cwd=ROOT, env=env, timeout=120, stdin=subprocess.DEVNULL,
    )


def test_real_process_exit_codes_and_utf8_json(db_path: Path) -> None:
    # a console with a legacy code page must still get UTF-8 (the program reconfigures stdout)
    legacy = {"PYTHONIOENCODING": "latin-1"}
    run = _run_wqg(*INIT, "--db", db_path, "--json", env_extra=legacy)
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    assert "海安市公安局".encode() in run.stdout
    assert b"\\u" not in run.stdout
    assert _json(run.stdout.decode("utf-8"))["data"]["office"] == "海安市公安局"

    again = _run_wqg(*INIT, "--db", db_path, "--json", env_extra=legacy)
    assert again.returncode == 2
    assert "已经设置过" in _json(again.stdout.decode("utf-8"))["message"]

    missing = _run_wqg("stats", "--db", db_path.with_name("none.sqlite3"), env_extra=legacy)
    assert missing.returncode == 2 and missing.stdout == b""
    assert "找不到数据库文件" in missing.stderr.decode("utf-8")

    help_ = _run_wqg("--help", env_extra=legacy)
    assert help_.returncode == 0 and "用法".encode() in help_.stdout


# --- wqg demo (only once the demo service exists) ------------------------------------------

def test_demo_builds_the_seed_units_and_refuses_to_overwrite(capsys, db_path: Path) -> None:
    pytest.importorskip("wqg_desktop.services.demo")
    code, out, err = _wqg(capsys, "demo", "--db", db_path, "--today", "2026-11-26", "--json")
    assert code == 0, err
    assert _json(out)["data"]["Unit"] >= 29

    code, out, _ = _wqg(capsys, "stats", "--db", db_path, "--json")
    assert code == 0 and _json(out)["data"]["Unit"] >= 29  # 8 provincial + 21 city units

    before = db_path.read_bytes()
    code, out, _ = _wqg(capsys, "demo", "--db", db_path, "--json")
    assert code == 2 and "--replace" in _json(out)["message"]
    assert db_path.read_bytes() == before

    code, out, _ = _wqg(capsys, "demo", "--db", db_path, "--replace", "--today", "2026-11-26",
                        "--json")
    assert code == 0 and _json(out)["data"]["Unit"] >= 29


def test_demo_refuses_a_bad_date_without_creating_a_file(capsys, db_path: Path) -> None:
    pytest.importorskip("wqg_desktop.services.demo")
    code, out, _ = _wqg(capsys, "demo", "--db", db_path, "--today", "2026-13-40", "--json")
    assert code == 2 and "YYYY-MM-DD" in _json(out)["message"]
    assert not db_path.exists()


def test_every_help_renders_and_a_group_alone_shows_its_own_help(capsys) -> None:
    parser_of = {}

    def walk(parser, path):  # type: ignore[no-untyped-def]
        parser_of[" ".join(path)] = parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*path, name])

    from wqg_desktop.cli.main import build_parser

    walk(build_parser(), [])
    assert len(parser_of) > 30
    for path, parser in parser_of.items():  # a stray % in a help text used to crash --help
        assert "用法" in parser.format_help(), path
    assert "20%差额" in parser_of["campaign"].format_help()  # the review command's help line
    assert main(["units"]) == 2  # a group without its command: that group's help
    out = capsys.readouterr().out
    assert "wqg units" in out and "import" in out and "init" not in out


def test_argument_errors_are_chinese_and_name_the_command(capsys, db_path: Path) -> None:
    assert _wqg(capsys, *INIT, "--db", db_path)[0] == 0
    with pytest.raises(SystemExit) as exit_:
        main(["stats", "--db", str(db_path), "--bogus"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "wqg stats [-h]" in err and "无法识别的参数：--bogus" in err
    with pytest.raises(SystemExit):
        main(["calendar", "add", "--db", str(db_path), "2026-10-01", "--workday", "--holiday", "国庆"])
    err = capsys.readouterr().err
    assert "不能与参数" in err and "not allowed" not in err


def test_bad_paths_are_refused_in_chinese_without_a_traceback(capsys, db_path: Path, tmp_path: Path,
                                                              monkeypatch) -> None:
    assert _wqg(capsys, *INIT, "--db", db_path)[0] == 0
    folder = tmp_path / "文件夹"
    folder.mkdir()
    for argv, words in (
            (["init", "--db", folder, "--level", "县", "--office", "海安市公安局"], "是一个文件夹"),
            (["units", "export", "--db", db_path, tmp_path / "没有" / "x.xlsx"], "不存在"),
            (["backup", "--db", db_path, "--out", db_path], "正在使用的数据库"),
            (["keys", "export", "--db", db_path, "--out", folder], "文件夹")):
        code, out, err = _wqg(capsys, *argv, "--json")
        result = _json(out)
        assert (code, result["code"]) == (2, 2) and words in result["message"], argv
        assert "Traceback" not in err and "Error" not in result["message"]
    victim = tmp_path / "名单.xlsx"
    victim.write_bytes(b"PK\x03\x04 not a database")
    code, out, _ = _wqg(capsys, "backup", "--db", db_path, "--out", victim, "--json")
    assert code == 2 and "不是数据库备份" in _json(out)["message"]
    assert victim.read_bytes() == b"PK\x03\x04 not a database"  # untouched
    # any other file the system will not let the program write: refused in Chinese, exit 2
    from wqg_desktop.exchange import backups

    def denied(_target):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", str(tmp_path / "只读" / "b.sqlite3"))

    monkeypatch.setattr(backups, "manual_backup", denied)
    code, out, err = _wqg(capsys, "backup", "--db", db_path, "--out", tmp_path / "b.sqlite3", "--json")
    result = _json(out)
    assert code == 2 and "没有权限" in result["message"] and "Permission" not in result["message"]
    assert "Traceback" not in err
