"""``wqg campaign …`` and ``wqg title …``: the same engine, exit codes 0/2, JSON, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_lifecycle_support import make_unit

from wqg_desktop.app import AppContext
from wqg_desktop.cli.main import main
from wqg_desktop.db.models import Candidate, Title, acting_as


def _wqg(capsys, *argv) -> tuple[int, dict]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1, out
    return code, json.loads(out[0])


@pytest.fixture
def county_db(capsys, db_path: Path) -> tuple[Path, list[str]]:
    """A county office database made with ``wqg init``, with three units in its register."""
    assert main(["init", "--db", str(db_path), "--level", "县", "--office", "海安市公安局",
                 "--officer", "王警官"]) == 0
    capsys.readouterr()
    with AppContext.open(db_path), acting_as("测试"):
        units = [make_unit(f"海安市公安局测试{n}派出所").uuid for n in range(3)]
    return db_path, units


def test_campaign_from_creation_to_naming(capsys, county_db) -> None:
    db, units = county_db
    code, res = _wqg(capsys, "campaign", "create", "--db", db, "--json", "--level", "县",
                     "--term", "2025-2026", "--creation-start", "2025-01-01",
                     "--creation-end", "2026-10-31", "--naming-body", "共青团海安市委",
                     "--naming-body", "海安市公安局", "--today", "2024-11-01")
    assert (code, res["ok"]) == (0, True)
    camp = res["data"]["uuid"][:8]
    code, res = _wqg(capsys, "campaign", "apply", camp, *[u[:8] for u in units], "--db", db,
                     "--json", "--today", "2024-11-20")
    assert code == 0 and [c["status"] for c in res["data"]] == ["applied"] * 3
    cands = [c["uuid"][:8] for c in res["data"]]
    assert _wqg(capsys, "campaign", "start", camp, "--db", db, "--json")[0] == 0
    for cand, score in zip(cands, (92, 88, 75), strict=True):
        assert _wqg(capsys, "campaign", "score", cand, str(score), "--db", db, "--json")[0] == 0

    # 3 reviewed → at most 2 may pass: a refusal, exit code 2, JSON with the Chinese reason
    code, res = _wqg(capsys, "campaign", "review", camp, *sum((["--pass", c] for c in cands), []),
                     "--db", db, "--json", "--today", "2026-11-02")
    assert (code, res["ok"], res["code"]) == (2, False, 2)
    assert "超过差额比例允许的 2 个" in res["message"] and "选举口径" in res["message"]
    code, res = _wqg(capsys, "campaign", "review", camp, "--pass", cands[0], "--pass", cands[1],
                     "--demonstration", cands[0], "--db", db, "--json", "--today", "2026-11-02")
    assert code == 0 and (res["data"]["passed"], res["data"]["max_pass"]) == (2, 2)

    code, res = _wqg(capsys, "campaign", "publicize", camp, "--db", db, "--json",
                     "--today", "2026-11-30")
    assert code == 0 and res["data"]["publicity_end"] == "2026-12-08"
    code, res = _wqg(capsys, "campaign", "object", cands[1], "--content", "反映服务态度差",
                     "--db", db, "--json", "--today", "2026-12-01")
    assert code == 0
    objection = res["data"]["objection"][:8]
    code, res = _wqg(capsys, "campaign", "name", camp, "--db", db, "--json", "--today", "2026-12-09")
    assert code == 2 and "未处理的异议" in res["message"]
    code, res = _wqg(capsys, "campaign", "resolve", objection, "--dismissed", "--note", "与事实不符",
                     "--db", db, "--json", "--today", "2026-12-03")
    assert code == 0 and res["data"]["status"] == "publicizing"
    code, res = _wqg(capsys, "campaign", "name", camp, "--document-no", "海团联〔2026〕9号",
                     "--db", db, "--json", "--today", "2026-12-09")
    assert code == 0 and len(res["data"]) == 3  # two posts and one 示范单位

    code, res = _wqg(capsys, "campaign", "show", camp, "--db", db, "--json")
    assert code == 0 and res["data"]["stage"] == "已结束"
    assert [c["status"] for c in res["data"]["candidates"]].count("命名") == 2

    code, res = _wqg(capsys, "title", "list", "--db", db, "--json", "--status", "有效")
    assert code == 0 and len(res["data"]) == 3
    title = res["data"][0]["uuid"][:8]
    code, res = _wqg(capsys, "title", "rereview", title, "--fail", "--db", db, "--json",
                     "--today", "2027-12-01")
    assert code == 0 and res["data"]["status"] == "整改中"
    code, res = _wqg(capsys, "title", "recheck", title, "--fail", "--db", db, "--json",
                     "--today", "2028-12-01")
    assert code == 0 and (res["data"]["status"], res["data"]["plaque"]) == ("已取消", "已摘牌")
    code, res = _wqg(capsys, "title", "show", title, "--db", db, "--json")
    assert [h["to"] for h in res["data"]["history"]] == ["有效", "整改中", "已取消"]


def test_refusals_change_nothing(capsys, county_db) -> None:
    db, units = county_db
    code, res = _wqg(capsys, "campaign", "create", "--db", db, "--json", "--level", "县",
                     "--term", "2025", "--naming-body", "海安市公安局")
    camp = res["data"]["uuid"][:8]
    # the second unit is named twice: the whole command is refused, the first is not kept
    code, res = _wqg(capsys, "campaign", "apply", camp, units[0][:8], units[0][:8], "--db", db,
                     "--json")
    assert (code, res["ok"]) == (2, False) and "重复申报" in res["message"]
    with AppContext.open(db, read_only=True):
        assert Candidate.select().count() == 0


def test_title_refusals(capsys, county_db) -> None:
    db, units = county_db
    code, res = _wqg(capsys, "title", "add", units[0][:8], "--level", "县", "--term", "2021",
                     "--named-on", "2022-12-01", "--naming-body", "海安市公安局", "--db", db, "--json")
    assert code == 0
    title = res["data"]["uuid"][:8]
    code, res = _wqg(capsys, "title", "revoke", title, "--ground", "fraud", "--db", db, "--json")
    assert code == 2 and "经查属实" in res["message"]
    code, res = _wqg(capsys, "title", "deregister", title, "--db", db, "--json")
    assert code == 2 and "--mark-unit" in res["message"]
    code, res = _wqg(capsys, "title", "deregister", title, "--mark-unit", "--db", db, "--json")
    assert code == 0 and res["data"]["plaque"] == "留作纪念（不得公开悬挂）"
    code, res = _wqg(capsys, "title", "show", "zzzz", "--db", db, "--json")
    assert code == 2 and "没有 UUID" in res["message"]
    code, res = _wqg(capsys, "title", "list", "--status", "过期", "--db", db, "--json")
    assert code == 2 and "无法识别称号状态" in res["message"]
    with AppContext.open(db, read_only=True):
        assert Title.get().status == "deregistered"


def test_bad_date_is_refused(capsys, county_db) -> None:
    db, _ = county_db
    code, res = _wqg(capsys, "campaign", "create", "--db", db, "--json", "--level", "县",
                     "--term", "2025", "--naming-body", "海安市公安局", "--today", "26/11/2026")
    assert code == 2 and "YYYY-MM-DD" in res["message"]


def test_text_output_and_help(capsys, county_db) -> None:
    db, _ = county_db
    assert main(["campaign", "list", "--db", str(db)]) == 0
    assert "还没有创建活动" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["campaign", "review", "--help"])
    assert exit_info.value.code == 0
    assert "差额" in capsys.readouterr().out


def test_campaign_edit(capsys, county_db) -> None:
    db, units = county_db
    code, res = _wqg(capsys, "campaign", "create", "--db", db, "--json", "--level", "县",
                     "--term", "2025", "--creation-start", "2025-01-01", "--creation-end",
                     "2026-12-31", "--naming-body", "海安市公安局", "--today", "2024-11-01")
    camp = res["data"]["uuid"][:8]
    code, res = _wqg(capsys, "campaign", "edit", camp, "--db", db, "--json", "--quota", "3",
                     "--naming-body", "共青团海安市委", "--naming-body", "海安市公安局",
                     "--review-planned", "2027-01-08", "--require-online", "是")
    assert code == 0, res
    assert res["data"]["changed"] == ["分配名额", "是否要求已上线“青少年维权在线”", "计划审核日期",
                                      "命名单位"]
    # the checks of creation: a refusal changes nothing
    code, res = _wqg(capsys, "campaign", "edit", camp, "--db", db, "--json",
                     "--creation-end", "2024-12-01")
    assert code == 2 and "早于创建期开始日期" in res["message"]
    code, res = _wqg(capsys, "campaign", "edit", camp, "--db", db, "--json",
                     "--review-planned", "无", "--quota", "0")
    assert code == 0 and res["data"]["changed"] == ["分配名额", "计划审核日期"]
    assert main(["campaign", "apply", camp, units[0][:8], "--db", str(db)]) == 2  # not online
    capsys.readouterr()
    code, res = _wqg(capsys, "campaign", "show", camp, "--db", db, "--json")
    assert res["data"]["naming_bodies"] == ["共青团海安市委", "海安市公安局"]
    assert (res["data"]["quota"], res["data"]["review_planned"]) == (None, None)
    assert res["data"]["require_online"] is True
