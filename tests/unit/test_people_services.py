"""Leading group (with 兼) and supervisors; the leading group PDF like attachment 1."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from wqg_desktop.db.models import LeadingGroupMember, Supervisor
from wqg_desktop.errors import InputRefused, RuleViolation
from wqg_desktop.printing.leading_group import area_word, print_leading_group
from wqg_desktop.services import people
from wqg_desktop.services.people import MemberFields, SupervisorFields

TODAY = dt.date(2026, 11, 26)


def _group(ctx) -> dict[str, LeadingGroupMember]:
    with ctx.acting("测试"):
        rows = {
            "a": people.add_member(MemberFields("组长", "周立新", "共青团海安市委副书记", "共青团海安市委")),
            "b": people.add_member(MemberFields("组长", "吴海峰", "海安市公安局党委委员、政治部主任")),
            "c": people.add_member(MemberFields("成员", "顾建", "海安市公安局团委副书记")),
            "d": people.add_member(MemberFields("办公室主任", "顾建", "海安市公安局团委副书记",
                                                concurrent=True)),
        }
    return rows


def test_leading_group_roles_and_concurrent_rule(ctx) -> None:
    rows = _group(ctx)
    assert [(m.role, m.name, m.concurrent) for m in people.list_members()] == [
        ("leader", "周立新", False), ("leader", "吴海峰", False), ("member", "顾建", False),
        ("office_director", "顾建", True)]
    with ctx.acting("测试"):
        with pytest.raises(RuleViolation, match="请先把陈小平以其本职"):
            people.add_member(MemberFields("办公室主任", "陈小平", "团委书记", concurrent=True))
        with pytest.raises(RuleViolation, match="兼任的职务请勾选“兼”"):
            people.add_member(MemberFields("办公室主任", "周立新", "副书记"))
        with pytest.raises(RuleViolation, match="已经是领导小组的组长"):
            people.add_member(MemberFields("组长", "周 立新", "副书记"))
        with pytest.raises(InputRefused, match="没有“副组长”这个职务"):
            people.add_member(MemberFields("副组长", "陈小平", "副书记"))
        with pytest.raises(RuleViolation, match="请先删除兼任的那一行"):
            people.delete_member(rows["c"].id)
        people.delete_member(rows["d"].id)
        people.delete_member(rows["c"].id)
    assert LeadingGroupMember.select().count() == 2


def test_reorder_within_role(ctx) -> None:
    rows = _group(ctx)
    with ctx.acting("测试"):
        people.move_member(rows["b"].id, -1)
        people.move_member(rows["b"].id, -1)  # already first: nothing happens
    assert [m.name for m in people.list_members()][:2] == ["吴海峰", "周立新"]


def test_supervisors_validate_and_expire(ctx) -> None:
    with ctx.acting("测试"):
        s = people.add_supervisor(SupervisorFields(
            "钱美华", "人大代表", "海安市某初级中学", "139 0000 0003", dt.date(2023, 3, 1),
            dt.date(2026, 2, 28)), today=TODAY)
        people.add_supervisor(SupervisorFields("孙国平", "新闻记者", "海安日报社", "0513-88880003",
                                               dt.date(2025, 3, 1), dt.date(2028, 2, 28)), today=TODAY)
        with pytest.raises(InputRefused, match="缺少区号"):
            people.add_supervisor(SupervisorFields("张某", "政协委员", phone="88880000"), today=TODAY)
        with pytest.raises(InputRefused, match="请选择监督员类别"):
            people.add_supervisor(SupervisorFields("张某", "网红"), today=TODAY)
        with pytest.raises(InputRefused, match="应晚于聘任日期"):
            people.add_supervisor(SupervisorFields("张某", "政协委员", appointed_on=dt.date(2025, 1, 1),
                                                   term_end=dt.date(2024, 1, 1)), today=TODAY)
    assert (s.phone, s.category) == ("13900000003", "npc")
    assert [x.name for x in people.expired_supervisors(TODAY)] == ["钱美华"]
    with ctx.acting("测试"):
        people.update_supervisor(s.id, SupervisorFields("钱美华", "人大代表", term_end=dt.date(2029, 2, 28)),
                                 today=TODAY)
    assert people.expired_supervisors(TODAY) == []
    assert Supervisor.select().count() == 2


def test_other_offices_rows_are_refused(demo_ctx) -> None:
    county = LeadingGroupMember.select().first()
    county.owner_office = 2  # pretend another office keeps it
    county.save()
    with demo_ctx.acting("测试"), pytest.raises(RuleViolation, match="其他办公室"):
        people.delete_member(county.id)


def test_area_word() -> None:
    assert [area_word(n) for n in ("南通市", "如东县", "崇川区", "江苏省")] == ["全市", "全县", "全区", "全省"]


def test_leading_group_pdf_like_attachment_1(demo_ctx, tmp_path: Path) -> None:
    path = print_leading_group(tmp_path / "领导小组.pdf", region_name="南通市")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "全市公安系统创建“青少年维权岗”"
    assert lines[1] == "活动领导小组成员名单"
    members = people.list_members()
    first, second = members[0], members[1]
    assert lines[2].replace(" ", "").startswith("组长：" + first.name)
    assert lines[3].replace(" ", "").startswith(second.name) and "组长" not in lines[3]
    director = next(m for m in members if m.role == "office_director")
    assert any(line.replace(" ", "").startswith(f"办公室主任：{director.name}(兼)") for line in lines)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in f for f in fonts)  # every face embedded
