"""调查问卷 dialog: a campaign's questionnaire — questions, their kind and options — edited
before any sheet is keyed on it.

Once sheets exist the questionnaire is shown read-only with the reason, and "复制为新版本"
makes the editable copy that new survey rounds use. Opens with ``open()``; ``changed`` after
any edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign, SurveyQuestion, SurveyTemplate
from wqg_desktop.services import surveys
from wqg_desktop.services.office import this_office
from wqg_desktop.ui import messages
from wqg_desktop.ui.dialogs.unsaved import GuardedDialog, widget_state
from wqg_desktop.ui.dialogs.validation import run_action, show_check
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import tidy_table

FORM = "survey_template_dialog"

QUESTION_COLUMNS = [
    Column("no", "题号", align_right=True),
    Column("kind", "类别", fmt=lambda k: surveys.KIND_LABELS.get(k, k)),
    Column("text", "题目"),
    Column("options", "选项", fmt=lambda opts: "／".join(opts)),
]

#: What the officer is told about the options of each kind.
OPTION_HINTS = {
    surveys.AWARENESS: "知晓度题两个选项，第一个表示“知道/是”（计入知晓度），第二个表示“不知道/否”。",
    surveys.SATISFACTION: "满意度题的选项固定为“满意、基本满意、不满意”，以便按统一口径计算满意度。",
    surveys.PROFILE: "基本情况题 2 到 9 个选项（如年龄段、身份）；问卷是匿名的，不问姓名等个人信息。"
                     "题目中含“年龄”的记为年龄段，其余记为身份。",
}


class SurveyTemplateDialog(GuardedDialog):
    changed = Signal()

    def __init__(self, ctx: AppContext, campaign: Campaign, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.campaign = ctx, campaign
        self.ui = load_form(FORM, self)
        self.setWindowTitle("调查问卷")
        self.setMinimumSize(640, 420)
        self.resize(880, 470)
        self.ui.campaign_label.setText(
            f"创建活动：{campaign.name}。录入答卷时每题按一个数字键（选项序号，未答按 0），"
            "所以一旦录入了答卷，问卷即锁定。")
        for kind, label in surveys.KIND_LABELS.items():
            self.ui.kind_combo.addItem(label, kind)
        self.model = RowsModel(QUESTION_COLUMNS, parent=self)
        self.ui.questions_table.setModel(self.model)
        tidy_table(self.ui.questions_table, stretch_column=2, name_width_em=14)
        self.ui.questions_table.verticalHeader().hide()
        self.ui.main_splitter.setSizes([480, 380])
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.template_combo.currentIndexChanged.connect(lambda _i: self._load_questions())
        self.ui.questions_table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._show_question(cur.row()))
        self.ui.version_button.clicked.connect(self.new_version)
        self.ui.new_question_button.clicked.connect(self.start_new_question)
        self.ui.save_question_button.clicked.connect(self.save_question)
        self.ui.delete_question_button.clicked.connect(self.delete_question)
        self.ui.up_button.clicked.connect(lambda: self.move_question(-1))
        self.ui.down_button.clicked.connect(lambda: self.move_question(1))
        self.ui.save_question_button.setDefault(True)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.save_question)
        self.ui.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.ui.text_edit.textChanged.connect(self.validate)
        self.ui.options_edit.textChanged.connect(lambda _t: self.validate())
        self._question_id: int | None = None
        self._editable = False
        self._ensure_template()
        self._load_templates()

    def input_state(self) -> dict:
        # the question being edited; the version box and the list only choose what it shows
        return widget_state(self, within=self.ui.editor_widget)

    # -- loading ---------------------------------------------------------------------------

    def _ensure_template(self) -> None:
        """This office's campaign gets the default questionnaire the first time it is opened."""
        office = this_office()
        if surveys.campaign_templates(self.campaign) or office is None \
                or self.campaign.owner_office_id not in (None, office.id):
            return
        with self.ctx.acting("建立调查问卷"):
            surveys.campaign_template(self.campaign)
        self.changed.emit()

    def template(self) -> SurveyTemplate | None:
        tid = self.ui.template_combo.currentData()
        return SurveyTemplate.get_or_none(SurveyTemplate.id == tid) if tid else None

    def _load_templates(self, select: int | None = None) -> None:
        combo = self.ui.template_combo
        found = surveys.campaign_templates(self.campaign)
        combo.blockSignals(True)
        combo.clear()
        for number, t in enumerate(found, start=1):
            use = surveys.template_use(t)
            newest = "（新建调查批次使用）" if number == len(found) else ""
            combo.addItem(f"{t.name}{newest}：{use.rounds} 个批次，{use.sheets} 份答卷", t.id)
        # the newest version is the one an officer means to look at
        combo.setCurrentIndex(combo.findData(select) if select else len(found) - 1)
        combo.blockSignals(False)
        self._load_questions()

    def _load_questions(self, select: int | None = None) -> None:
        template = self.template()
        questions = surveys.questions_of(template) if template else []
        self.model.set_rows([{"id": q.id, "no": n, "kind": q.kind, "text": q.text,
                              "options": surveys.options_of(q)}
                             for n, q in enumerate(questions, start=1)])
        reason = surveys.lock_reason(template) if template else "该活动属于其他办公室，尚无调查问卷。"
        newest = surveys.campaign_templates(self.campaign)
        if template is not None and reason is None and newest and newest[-1].id != template.id:
            reason = "这是旧版本，新建的调查批次使用最新版本；请在上方选择最新版本修改。"
        self._editable = reason is None
        self.ui.lock_label.setText(reason or "")
        self.ui.lock_label.setVisible(bool(reason))
        self.ui.version_button.setVisible(
            template is not None and not self._editable and bool(newest)
            and newest[-1].id == template.id and surveys.template_use(template).sheets > 0)
        self.ui.editor_widget.setEnabled(self._editable)
        kinds = [q.kind for q in questions]
        self.ui.count_label.setText(
            f"共 {len(questions)} 题：知晓度 {kinds.count(surveys.AWARENESS)} 题，"
            f"满意度 {kinds.count(surveys.SATISFACTION)} 题，基本情况 {kinds.count(surveys.PROFILE)} 题")
        index = next((k for k, q in enumerate(questions) if q.id == select), 0 if questions else -1)
        if index >= 0:
            self.ui.questions_table.selectRow(index)
            self._show_question(index)
        else:
            self.start_new_question()

    def _show_question(self, row: int) -> None:
        if row < 0 or row >= self.model.rowCount():
            return
        q = self.model.row_at(row)
        self._question_id = q["id"]
        self.ui.mode_label.setText(f"第 {q['no']} 题")
        self._set_fields(q["kind"], q["text"], q["options"])

    def _set_fields(self, kind: str, text: str, options: list[str]) -> None:
        self.ui.kind_combo.blockSignals(True)
        self.ui.kind_combo.setCurrentIndex(self.ui.kind_combo.findData(kind))
        self.ui.kind_combo.blockSignals(False)
        self.ui.text_edit.setPlainText(text)
        self.ui.options_edit.setText("、".join(options))
        self._kind_changed(keep_options=True)
        self.mark_clean()

    # -- editing ---------------------------------------------------------------------------

    def _kind_changed(self, *, keep_options: bool = False) -> None:
        kind = self.ui.kind_combo.currentData()
        self.ui.options_hint_label.setText(OPTION_HINTS.get(kind, ""))
        fixed = kind == surveys.SATISFACTION
        if fixed:  # the only options a satisfaction question may have
            self.ui.options_edit.setText("、".join(surveys.SATISFY))
        elif not keep_options and kind == surveys.AWARENESS \
                and len(surveys.split_options(self.ui.options_edit.text())) != 2:
            self.ui.options_edit.setText("、".join(surveys.KNOW))
        self.ui.options_edit.setReadOnly(fixed)
        self.validate()

    def fields(self) -> tuple[str, str, list[str]]:
        return (self.ui.kind_combo.currentData(), self.ui.text_edit.toPlainText(),
                surveys.split_options(self.ui.options_edit.text()))

    def validate(self) -> bool:
        """Check the question as typed; the red line says what to change."""
        if not self._editable:
            self.ui.error_label.setText("")
            return False
        return show_check(lambda: surveys.check_question(*self.fields()),
                          self.ui.error_label, self.ui.save_question_button)

    def start_new_question(self) -> None:
        self._question_id = None
        self.ui.questions_table.clearSelection()
        self.ui.mode_label.setText("新题目（保存后加在末尾）")
        self._set_fields(surveys.SATISFACTION, "", list(surveys.SATISFY))
        if self._editable and self.isVisible():
            self.ui.text_edit.setFocus()

    def _run(self, reason: str, action: Callable[[], object]) -> object | None:
        return run_action(self.ctx, reason, action, self.ui.error_label, self.changed.emit)

    def save_question(self) -> None:
        template = self.template()
        if template is None or not self.validate():
            return
        kind, text, options = self.fields()
        if self._question_id is None:
            saved = self._run("新增问卷题目", lambda: surveys.add_question(
                template=template, kind=kind, text=text, options=options))
        else:
            qid = self._question_id
            saved = self._run("修改问卷题目", lambda: surveys.update_question(
                question=SurveyQuestion.get_by_id(qid), kind=kind, text=text, options=options))
        if saved is not None:
            self._load_questions(select=saved.id)  # type: ignore[attr-defined]

    def delete_question(self) -> None:
        if self._question_id is None:
            return
        question = SurveyQuestion.get_by_id(self._question_id)
        if not messages.confirm(self, f"从问卷中删除第 {self.ui.questions_table.currentIndex().row() + 1} "
                                f"题“{question.text[:20]}”？", yes="删除"):
            return
        if self._run("删除问卷题目", lambda: surveys.remove_question(question=question)):
            self._load_questions()

    def move_question(self, step: int) -> None:
        if self._question_id is None:
            return
        qid = self._question_id
        if self._run("调整问卷题目顺序", lambda: surveys.move_question(
                question=SurveyQuestion.get_by_id(qid), step=step)):
            self._load_questions(select=qid)

    def new_version(self) -> None:
        template = self.template()
        if template is None:
            return
        copy = self._run("复制调查问卷为新版本", lambda: surveys.copy_template(template=template))
        if copy is not None:
            self._load_templates(select=copy.id)  # type: ignore[attr-defined]
