"""The leading group list, laid out like attachment 1 of the 2012 notice (A4 portrait).

    全市公安系统创建“青少年维权岗”
        活动领导小组成员名单
    组　　长：王某某　共青团南通市委副书记
              陆某某　南通市公安局党委委员、政治部主任
    成　　员：…
    办公室主任：李某某(兼)　南通市公安局团委副书记

The second 组长 and every further 成员 stand under the first name; a post too long for the
line wraps under the post. The title speaks of the office's own area (全市, 全县, 全区, 全省).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from wqg_desktop.db.models import LeadingGroupMember
from wqg_desktop.domain.statuses import LeadingRole
from wqg_desktop.errors import InputRefused
from wqg_desktop.printing.fonts import (
    draw_string,
    missing_chars,
    primary_font,
    string_width,
    wrap_lines,
)

TITLE_SIZE = 20
BODY_SIZE = 15
LINE = BODY_SIZE * 1.9
LEFT, RIGHT, TOP, BOTTOM = 28 * mm, 26 * mm, 37 * mm, 30 * mm
LABELS = {LeadingRole.LEADER: "组　　长：", LeadingRole.MEMBER: "成　　员：",
          LeadingRole.OFFICE_DIRECTOR: "办公室主任："}
_ORDER = (LeadingRole.LEADER, LeadingRole.MEMBER, LeadingRole.OFFICE_DIRECTOR)


def area_word(region_name: str) -> str:
    """南通市 → 全市, 如东县 → 全县, 崇川区 → 全区, 江苏省 → 全省."""
    last = (region_name or "").strip()[-1:]
    return "全" + (last if last in "省市县区旗" else "市")


def title_lines(region_name: str) -> tuple[str, str]:
    return (f"{area_word(region_name)}公安系统创建“青少年维权岗”", "活动领导小组成员名单")


def _display_name(name: str) -> str:
    """Two-character names are spread to the width of three (张　建), as official lists do."""
    return f"{name[0]}\u3000{name[1]}" if len(name) == 2 else name


def build_leading_group_pdf(path: Path | str, members: Sequence[LeadingGroupMember], *,
                            region_name: str, attachment_label: str = "") -> Path:
    """Write the list to ``path``; refuse in Chinese if a character has no font."""
    path = Path(path)
    heading = title_lines(region_name)
    rows = [(m.role, _display_name(m.name) + ("(兼)" if m.concurrent else ""), m.post)
            for m in members]
    text = "".join(heading) + "".join(r[1] + r[2] for r in rows) + "".join(LABELS.values())
    for role in ("fang", "song"):
        missing = missing_chars(text, role)
        if missing:
            raise InputRefused("以下字符没有可用的字体，无法打印：" + "、".join(missing))
    if not rows:
        raise InputRefused("领导小组还没有成员：请先添加组长、成员和办公室主任。")
    width, height = A4
    # the page's initial font is an embedded face too, so no unembedded Helvetica is listed
    canvas = Canvas(str(path), pagesize=A4, initialFontName=primary_font("fang"))
    canvas.setTitle("".join(heading))
    y = height - TOP
    if attachment_label:
        draw_string(canvas, LEFT, y + 14 * mm, attachment_label, "hei", BODY_SIZE)
    for line in heading:
        draw_string(canvas, width / 2, y, line, "song", TITLE_SIZE, anchor="center")
        y -= TITLE_SIZE * 1.6
    y -= LINE * 0.6
    label_width = max(string_width(label, "fang", BODY_SIZE) for label in LABELS.values())
    name_x = LEFT + label_width
    name_width = max(string_width(r[1], "fang", BODY_SIZE) for r in rows)
    post_x = name_x + max(name_width, string_width("王\u3000某某", "fang", BODY_SIZE)) + BODY_SIZE
    post_width = width - RIGHT - post_x
    for role in _ORDER:
        group = [r for r in rows if r[0] == role]
        for index, (_role, name, post) in enumerate(group):
            lines = wrap_lines(post, "fang", BODY_SIZE, post_width) or [""]
            if y - LINE * (len(lines) - 1) < BOTTOM:
                canvas.showPage()
                y = height - TOP
            if index == 0:
                label = LABELS[LeadingRole(role)]
                # right-aligned so 组长/成员 and 办公室主任 end their colons together
                draw_string(canvas, name_x, y, label, "fang", BODY_SIZE, anchor="right")
            draw_string(canvas, name_x, y, name, "fang", BODY_SIZE)
            for line in lines:
                draw_string(canvas, post_x, y, line, "fang", BODY_SIZE)
                y -= LINE
    canvas.save()
    return path


def print_leading_group(path: Path | str, *, region_name: str) -> Path:
    """The PDF of this office's leading group, members in their stored order."""
    from wqg_desktop.services.people import list_members

    return build_leading_group_pdf(path, list_members(), region_name=region_name)
