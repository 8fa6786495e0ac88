"""Blank numbered questionnaires (知晓度、满意度调查问卷): one A4 page per copy.

Every page carries its serial number and the unit surveyed, so each returned sheet is keyed
under its own number and a missing or doubled one shows up at entry. The questionnaire is
anonymous: it never asks for a name.

Copies differ only in their serial number. The rest of the page (title, questions, boxes,
footer) is laid out and drawn once, into a PDF form XObject that every page shows; a copy
then costs its two serial lines. 2,000 copies take about a second instead of half a minute,
and the file is a fraction of the size (bench/bench_questionnaires.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from wqg_desktop.errors import InputRefused
from wqg_desktop.printing import fonts
from wqg_desktop.printing import layout as lay

TITLE = "“青少年维权岗”知晓度、满意度调查问卷"
INTRO = ("亲爱的同学、青年朋友：为了解本单位维护青少年权益的工作，请根据实际情况在所选答案前的"
         "方框内打“√”，每题只选一项。本问卷不记名，不填写姓名，感谢您的支持！")
FOOT = "调查日期：______年____月____日　　　调查人：____________　　　录入：____________"


@dataclass(frozen=True)
class QuestionnaireData:
    unit_name: str
    questions: list[tuple[str, list[str]]]  # (text, options) in order
    first_serial: int = 1
    copies: int = 1
    survey_title: str = TITLE


def serial_text(serial: int) -> str:
    return f"No. {serial:05d}"


#: ``progress(done, total, text)`` while copies are drawn; returning ``False`` stops the build.
Progress = Callable[[int, int, str], bool | None]
#: the static part of every page, drawn once
_FORM = "questionnaire_page"
#: copies between two progress reports (a report costs the caller a repaint)
_REPORT_EVERY = 25


def build_questionnaires(target: str | Path | IO[bytes], data: QuestionnaireData, *,
                         progress: Progress | None = None) -> int:
    """Write ``data.copies`` numbered questionnaires; return the number of pages.

    ``progress`` is told how many copies are drawn; when it returns ``False`` the build
    stops before anything is written and 0 is returned (a file already at ``target`` is
    left as it was).
    """
    if not data.questions:
        raise InputRefused("问卷中没有题目，无法打印。")
    if not 1 <= data.copies <= 2000:
        raise InputRefused("一次可打印 1 到 2000 份问卷。")
    texts = [("单位名称", data.unit_name)] + [(f"第{i + 1}题", q + "".join(o))
                                           for i, (q, o) in enumerate(data.questions)]
    lay.ensure_printable(texts)
    width, height = lay.paper_size("A4")
    canvas = lay.new_canvas(target, (width, height), title=data.survey_title,
                            subject=data.unit_name)
    canvas.beginForm(_FORM)
    _static_part(canvas, data, width, height)
    canvas.endForm()
    # Writing the file (fonts, 2,000 page objects) takes about as long as drawing the copies.
    total = 2 * data.copies
    for k in range(data.copies):
        if progress is not None and k % _REPORT_EVERY == 0 and progress(
                k, total, f"正在生成第 {k + 1} / {data.copies} 份问卷……") is False:
            return 0
        canvas.doForm(_FORM)
        _serial_part(canvas, data, data.first_serial + k, width, height)
        canvas.showPage()
    if progress is not None and progress(data.copies, total, "正在写入 PDF 文件……") is False:
        return 0
    canvas.save()
    return data.copies


def _serial_part(canvas, data: QuestionnaireData, serial: int,  # type: ignore[no-untyped-def]
                 width: float, height: float) -> None:
    """What differs between copies: the serial at the top right and in the foot line."""
    fonts.draw_string(canvas, width - lay.mm(20), height - lay.mm(16),
                      f"序号：{serial_text(serial)}", "hei", 11, anchor="right")
    fonts.draw_string(canvas, width / 2, lay.mm(12), f"{data.unit_name}　{serial_text(serial)}",
                      "song", 8, anchor="centre")


def _static_part(canvas, data: QuestionnaireData, width: float,  # type: ignore[no-untyped-def]
                 height: float) -> None:
    """Everything of a page but its serial number."""
    left, right = lay.mm(20), width - lay.mm(20)
    y = height - lay.mm(16) - lay.mm(12)
    size = fonts.fit_font_size(data.survey_title, "hei", right - left, 17, 11) or 11
    fonts.draw_string(canvas, width / 2, y, data.survey_title, "hei", size, anchor="centre")
    y -= lay.mm(9)
    unit_line = f"调查单位：{data.unit_name}"
    unit_size = fonts.fit_font_size(unit_line, "song", right - left, 12, 8) or 8
    fonts.draw_string(canvas, left, y, unit_line, "song", unit_size)
    y -= lay.mm(8)
    for line in fonts.wrap_lines(INTRO, "song", 10.5, right - left):
        fonts.draw_string(canvas, left, y, line, "song", 10.5)
        y -= 10.5 * lay.LEADING
    y -= lay.mm(3)
    q_size = 11.0
    for no, (text, options) in enumerate(data.questions, start=1):
        for i, line in enumerate(fonts.wrap_lines(f"{no}. {text}", "song", q_size,
                                                  right - left)):
            fonts.draw_string(canvas, left + (lay.mm(4) if i else 0), y, line, "song", q_size)
            y -= q_size * lay.LEADING
        x = left + lay.mm(6)
        for digit, option in enumerate(options, start=1):
            label = f"□ {digit} {option}"
            w = fonts.string_width(label, "song", q_size) + lay.mm(8)
            if x + w > right:
                x = left + lay.mm(6)
                y -= q_size * lay.LEADING
            fonts.draw_string(canvas, x, y, label, "song", q_size)
            x += w
        y -= q_size * lay.LEADING + lay.mm(2.2)
    fonts.draw_string(canvas, left, lay.mm(22), FOOT, "song", 10)


def questionnaire_for_round(round_id: int, copies: int, first_serial: int) -> QuestionnaireData:
    """The data of a survey round's questionnaire (its unit and questions)."""
    from wqg_desktop.services import surveys

    rnd = surveys.get_round(round_id)
    shape = surveys.shape_of(rnd.template_id)
    return QuestionnaireData(rnd.unit.name, [(t, list(o)) for t, o in zip(shape.texts,
                                                                          shape.options,
                                                                          strict=True)],
                             first_serial=first_serial, copies=copies)
