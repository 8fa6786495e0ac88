"""知晓度、满意度调查: questionnaires, survey rounds, fast keyed entry and the rates.

The work is split in three modules — :mod:`survey_templates` (the questionnaires and their
editing), :mod:`survey_entry` (rounds, keyed entry, double entry, printed serials) and
:mod:`survey_rates` (the rates) — and every public name stays importable from here, so callers
keep writing ``surveys.save_sheet(...)``.
"""

from __future__ import annotations

from wqg_desktop.services.survey_entry import (
    DoubleEntryReport,
    RoundRow,
    Shape,
    SheetRow,
    check_answers,
    create_round,
    delete_sheet,
    double_entry_report,
    get_round,
    list_rounds,
    list_sheets,
    mark_printed,
    next_serial,
    save_sheet,
    shape_of,
)
from wqg_desktop.services.survey_rates import (
    Rates,
    UnitRates,
    campaign_rates,
    compute_rates,
    percent,
    unit_rates,
)
from wqg_desktop.services.survey_templates import (
    AGE_BANDS,
    AWARENESS,
    DEFAULT_NAME,
    DEFAULT_QUESTIONS,
    DEFINITIONS,
    GROUPS,
    KIND_LABELS,
    KNOW,
    MAX_QUESTIONS,
    PROFILE,
    SATISFACTION,
    SATISFY,
    YES_NO,
    TemplateUse,
    add_question,
    campaign_template,
    campaign_templates,
    check_question,
    copy_template,
    create_template,
    definitions_text,
    get_template,
    lock_reason,
    move_question,
    options_of,
    questions_of,
    remove_question,
    split_options,
    template_use,
    update_question,
)

__all__ = [
    "AGE_BANDS", "AWARENESS", "DEFAULT_NAME", "DEFAULT_QUESTIONS", "DEFINITIONS", "GROUPS",
    "KIND_LABELS", "KNOW", "MAX_QUESTIONS", "PROFILE", "SATISFACTION", "SATISFY", "YES_NO",
    "DoubleEntryReport", "Rates", "RoundRow", "Shape", "SheetRow", "TemplateUse", "UnitRates",
    "add_question", "campaign_rates", "campaign_template", "campaign_templates", "check_answers",
    "check_question", "compute_rates", "copy_template", "create_round", "create_template",
    "definitions_text", "delete_sheet", "double_entry_report", "get_round", "get_template",
    "list_rounds", "list_sheets", "lock_reason", "mark_printed", "move_question", "next_serial",
    "options_of", "percent", "questions_of", "remove_question", "save_sheet", "shape_of",
    "split_options", "template_use", "unit_rates", "update_question",
]
