"""创建活动: the campaigns, their candidates with each step's history, and the lifecycle actions.

Every action calls the lifecycle services (the rules live there, not here); the buttons only
open the dialog that asks for what a step needs, and refusals come back in Chinese.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.db.models import Campaign, Candidate, Objection
from wqg_desktop.domain import lifecycle
from wqg_desktop.domain.chinese import format_date
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import (
    calendar,
    campaign_actions,
    campaign_review,
    campaigns,
    campaigns_view,
    settings,
)
from wqg_desktop.ui import messages
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.dialogs.campaign_apply_dialog import CampaignApplyDialog
from wqg_desktop.ui.dialogs.campaign_create_dialog import CampaignCreateDialog
from wqg_desktop.ui.dialogs.campaign_edit_dialog import CampaignEditDialog
from wqg_desktop.ui.dialogs.campaign_step_dialog import CampaignStepDialog
from wqg_desktop.ui.dialogs.candidate_score_dialog import CandidateScoreDialog
from wqg_desktop.ui.dialogs.review_dialog import ReviewDialog
from wqg_desktop.ui.dialogs.title_actions_dialog import TitleActionsDialog
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import (
    READ_ONLY_TIP,
    Page,
    allow,
    opens_row,
    tidy_table,
    writable_only,
)

FORM = "campaigns_page"


def _date(d: object) -> str:
    return format_date(d) if d else ""  # type: ignore[arg-type]


CAMPAIGN_COLUMNS = [
    Column("name", "活动名称"),
    Column("level", "层级"),
    Column("term", "年度"),
    Column("stage", "阶段"),
    Column("office", "主办单位"),
    Column("creation_end", "创建期结束", fmt=_date),
    Column("naming_planned", "计划命名", fmt=_date),
    Column("candidates", "创建单位数", align_right=True),
]
CANDIDATE_COLUMNS = [
    Column("unit", "单位名称"),
    Column("status", "状态"),
    Column("inspections", "检查次数", align_right=True),
    Column("score", "得分", fmt=lambda s: "" if s is None else f"{s:.1f}", align_right=True),
]
HISTORY_COLUMNS = [Column("on", "日期"), Column("from", "原状态"), Column("to", "新状态"),
                   Column("actor", "经办"), Column("reason", "理由")]


class CampaignsPage(Page):
    TITLE = "创建活动"
    HELP = "创建活动"
    WATCHES = ("Campaign", "Candidate", "Inspection", "Title")

    def __init__(self, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.ui = load_form(FORM, self)
        self.campaigns = RowsModel(CAMPAIGN_COLUMNS, parent=self)
        self.candidates = RowsModel(CANDIDATE_COLUMNS, parent=self)
        self.history = RowsModel(HISTORY_COLUMNS, parent=self)
        self.ui.campaigns_table.setModel(self.campaigns)
        self.ui.candidates_table.setModel(self.candidates)
        self.ui.history_table.setModel(self.history)
        tidy_table(self.ui.campaigns_table, stretch_column=0)
        # half-width tables: a narrower name column leaves the numbers in view at 150%
        tidy_table(self.ui.candidates_table, stretch_column=0, name_width_em=10)
        tidy_table(self.ui.history_table, stretch_column=4, name_width_em=8)
        # the candidates get the room: the campaign list is short, a campaign has many units
        self.ui.splitter.setStretchFactor(0, 1)
        self.ui.splitter.setStretchFactor(1, 3)
        self.ui.splitter.setSizes([110, 330])
        self.ui.campaigns_table.setMinimumHeight(60)
        self.ui.candidates_table.setMinimumHeight(80)
        self.ui.history_table.setMinimumHeight(80)
        self.ui.campaigns_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_candidates(current.row()))
        self.ui.candidates_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_history(current.row()))
        self.dialog: QWidget | None = None  # the open dialog (tests reach it here)
        ui = self.ui
        ui.new_button.clicked.connect(self.new_campaign)
        ui.edit_button.clicked.connect(self.edit_campaign)
        ui.accept_button.clicked.connect(self.accept_recommendation)
        ui.return_button.clicked.connect(self.return_candidate)
        ui.withdraw_button.clicked.connect(self.withdraw)
        ui.score_button.clicked.connect(self.score)
        ui.apply_button.clicked.connect(self.apply_units)
        ui.start_button.clicked.connect(self.start_creation)
        ui.review_button.clicked.connect(self.review)
        ui.publicize_button.clicked.connect(self.publicize)
        ui.object_button.clicked.connect(self.raise_objection)
        ui.resolve_button.clicked.connect(self.resolve_objection)
        ui.name_button.clicked.connect(self.name)
        ui.titles_button.clicked.connect(self.title_actions)
        # Enter (or a double-click) on a row does what its main button does, when it may
        opens_row(ui.campaigns_table, ui.edit_button.click)
        opens_row(ui.candidates_table, ui.score_button.click)
        #: step → button, enabled from :func:`campaign_actions.step_refusals`
        self.step_buttons = {
            "apply": ui.apply_button, "start": ui.start_button, "review": ui.review_button,
            "publicize": ui.publicize_button, "name": ui.name_button,
            "accept": ui.accept_button, "return": ui.return_button,
            "withdraw": ui.withdraw_button, "object": ui.object_button,
            "resolve": ui.resolve_button,
        }
        writable_only((ui.new_button, ui.titles_button), self.writable)
        self._update_buttons()

    # -- reading --------------------------------------------------------------------------------

    def load(self, keep: str = "") -> None:
        keep = keep or (self._campaign_row().uuid if self._campaign_row() else "")
        self.campaigns.set_rows(campaigns_view.list_campaigns())
        if self.campaigns.rowCount():
            index = next((i for i in range(self.campaigns.rowCount())
                          if self.campaigns.row_at(i).uuid == keep), 0)
            self.ui.campaigns_table.selectRow(index)
            self._show_candidates(index)
        else:
            self.candidates.set_rows([])
            self.history.set_rows([])
            self.ui.candidates_label.setText("还没有创建活动。点“新建活动”开始。")
            self.ui.decision_label.setText("")
        self._update_buttons()

    def _campaign_row(self):  # type: ignore[no-untyped-def]
        row = self.ui.campaigns_table.currentIndex().row()
        if 0 <= row < self.campaigns.rowCount():
            return self.campaigns.row_at(row)
        return None

    def campaign(self) -> Campaign | None:
        row = self._campaign_row()
        return Campaign.get_by_id(row.id) if row else None

    def candidate(self) -> Candidate | None:
        row = self.ui.candidates_table.currentIndex().row()
        if 0 <= row < self.candidates.rowCount():
            return Candidate.get_by_id(self.candidates.row_at(row).id)
        return None

    def _show_candidates(self, row: int) -> None:
        if row < 0 or row >= self.campaigns.rowCount():
            return
        campaign = self.campaigns.row_at(row)
        rows = campaigns_view.list_candidates(campaign.id, today=self.ctx.today())
        self.candidates.set_rows(rows)
        self.history.set_rows([])
        text = f"{campaign.name}：创建单位 {len(rows)} 个（{campaign.stage}）"
        full = Campaign.get_by_id(campaign.id)
        if full.publicity_end:
            text += f"；公示 {_date(full.publicity_start)} 至 {_date(full.publicity_end)}"
        self.ui.candidates_label.setText(text)
        lines = []
        for d in campaigns_view.decision_rows(full):
            line = (f"审核（{d['decided_on']}）：参评 {d['reviewed']} 个，达标 {d['passed']} 个，"
                    f"按差额比例至多 {d['max_pass']} 个。{d['convention_text']}")
            if d["override"]:
                line += f"。突破差额比例，理由：{d['override_reason']}"
            lines.append(line)
        self.ui.decision_label.setText("\n".join(lines))
        self.ui.decision_label.setVisible(bool(lines))
        if rows:
            self.ui.candidates_table.selectRow(0)
            self._show_history(0)
        self._update_buttons()

    def _show_history(self, row: int) -> None:
        if 0 <= row < self.candidates.rowCount():
            cand = Candidate.get_by_id(self.candidates.row_at(row).id)
            self.history.set_rows(campaigns_view.candidate_history(cand))
        self._update_buttons()

    def _update_buttons(self) -> None:
        """Each step's button is enabled only when the engine allows the step for the selected
        campaign and candidate; a disabled one says why in its tooltip."""
        if not hasattr(self, "step_buttons"):
            return  # a selection signal during construction
        campaign = self.campaign()
        ui = self.ui
        if not self.writable:
            for button in (*self.step_buttons.values(), ui.edit_button):
                allow(button, READ_ONLY_TIP)
        else:
            refusals = campaign_actions.step_refusals(campaign, self.candidate(), self.ctx.today())
            for key, button in self.step_buttons.items():
                allow(button, refusals[key])
            allow(ui.edit_button, None if campaign else campaign_actions.NO_CAMPAIGN)
        allow(ui.score_button, None if self.candidate() else campaign_actions.NO_CANDIDATE)

    # -- acting ---------------------------------------------------------------------------------

    def _changed(self, *entities: str) -> None:
        keep = self._campaign_row().uuid if self._campaign_row() else ""
        for entity in entities:
            self.bus.notify(entity)
        self.load(keep)

    def _open(self, dialog, signal, *entities: str) -> None:  # type: ignore[no-untyped-def]
        self.dialog = dialog
        signal.connect(lambda *_a: self._changed(*entities))
        dialog.open()

    def _need_campaign(self) -> Campaign | None:
        campaign = self.campaign()
        if campaign is None:
            messages.info(self, "请先在上方选择一个创建活动。")
        return campaign

    def _need_candidate(self) -> Candidate | None:
        cand = self.candidate()
        if cand is None:
            messages.info(self, "请先在下方选择一个创建单位。")
        return cand

    def _run(self, reason: str, action) -> bool:  # type: ignore[no-untyped-def]
        try:
            with self.ctx.acting(reason):
                result = action()
        except InputRefused as exc:
            messages.warn(self, exc.message)
            return False
        if isinstance(result, str):
            messages.info(self, result)
        return True

    def new_campaign(self) -> None:
        dialog = CampaignCreateDialog(self.ctx, self)
        self._open(dialog, dialog.created, "Campaign")

    def edit_campaign(self) -> None:
        campaign = self._need_campaign()
        if campaign is not None:
            dialog = CampaignEditDialog(self.ctx, campaign.id, self)
            self._open(dialog, dialog.saved, "Campaign")

    def _candidate_step(self, doing: str, question: str, action,  # type: ignore[no-untyped-def]
                        *, ask: str = "") -> None:
        """Confirm (after asking the reason when ``ask`` says what for), then run ``action``."""
        cand = self._need_candidate()
        if cand is None:
            return
        reason = ""
        if ask:
            answer = messages.ask_text(self, ask.format(unit=cand.unit.name), doing)
            if answer is None:
                return
            reason = answer.strip()
            if not reason:
                messages.warn(self, f"{doing}须写明理由，没有办理。")
                return
        text = question.format(unit=cand.unit.name)
        if reason:
            text += f"\n理由：{reason}"
        if not messages.confirm(self, text, doing):
            return
        if self._run(doing, lambda: action(candidate=cand, today=self.ctx.today(),
                                            reason=reason)):
            self._changed("Candidate")

    def accept_recommendation(self) -> None:
        cand = self.candidate()
        sender = cand.recommended_by.name if cand is not None and cand.recommended_by_id else "下级"
        self._candidate_step("受理推荐", f"受理{sender}推荐的{{unit}}，列为本活动的申报单位？",
                             campaigns.accept_candidate)

    def return_candidate(self) -> None:
        self._candidate_step("退回", "退回{unit}的推荐（申报）？退回后本次活动不能再申报该单位。",
                             campaigns.return_candidate,
                             ask="退回{unit}的理由（报送单位会看到）：")

    def withdraw(self) -> None:
        self._candidate_step("退出创建", "{unit}退出本次创建？退出后不能再参加本次活动的审核和命名。",
                             campaigns.withdraw_candidate, ask="{unit}退出创建的原因：")

    def score(self) -> None:
        cand = self._need_candidate()
        if cand is not None:
            dialog = CandidateScoreDialog(self.ctx, cand.id, self)
            self._open(dialog, dialog.saved, "Candidate")

    def apply_units(self) -> None:
        campaign = self._need_campaign()
        if campaign is not None:
            dialog = CampaignApplyDialog(self.ctx, campaign.id, self)
            self._open(dialog, dialog.applied, "Candidate")

    def start_creation(self) -> None:
        campaign = self._need_campaign()
        if campaign is None or not messages.confirm(
                self, f"“{campaign.name}”进入创建期？已受理的申报单位成为创建单位。"):
            return
        if self._run("进入创建期", lambda: campaigns.start_creation(
                campaign=campaign, today=self.ctx.today())):
            self._changed("Campaign", "Candidate")

    def review(self) -> None:
        campaign = self._need_campaign()
        if campaign is None:
            return
        if not campaign_review.ranking(campaign):
            messages.info(self, "没有待审核的创建单位：只有“创建中”或“审核”的单位才能审核。")
            return
        dialog = ReviewDialog(self.ctx, campaign.id, self)
        self._open(dialog, dialog.reviewed, "Campaign", "Candidate")

    def publicize(self) -> None:
        campaign = self._need_campaign()
        if campaign is None:
            return
        days = settings.get("publicity_working_days")
        today = self.ctx.today()
        end = lifecycle.publicity_end(today, int(days), calendar.exceptions())
        question = (f"从今天起公示全部达标单位（{days} 个工作日，按本办公室的工作日历，"
                    f"至 {_date(end)}）？")
        warning = calendar.coverage_warning(today, end)
        if warning:  # holidays of a year not entered yet are counted as working days
            question += "\n\n注意：" + warning
        if not messages.confirm(self, question):
            return

        def act() -> str:
            c = campaign_review.publicize(campaign=campaign, today=self.ctx.today())
            return f"已公示：{_date(c.publicity_start)} 至 {_date(c.publicity_end)}。"

        if self._run("公示", act):
            self._changed("Campaign", "Candidate")

    def raise_objection(self) -> None:
        cand = self._need_candidate()
        if cand is None:
            return
        dialog = CampaignStepDialog(
            self.ctx, "object", f"受理公示期间对 {cand.unit.name} 的异议；该单位将处于“异议处理中”。",
            lambda content, by, _f: campaign_review.raise_objection(
                candidate=cand, today=self.ctx.today(), content=content, raised_by=by), parent=self)
        self._open(dialog, dialog.done, "Candidate")

    def resolve_objection(self) -> None:
        cand = self._need_candidate()
        if cand is None:
            return
        pending = campaign_review.open_objections(cand)
        if not pending:
            messages.info(self, f"{cand.unit.name}没有待处理的异议。")
            return
        objection: Objection = pending[0]
        dialog = CampaignStepDialog(
            self.ctx, "resolve", f"异议（{_date(objection.received_on)}）：{objection.content}",
            lambda note, _s, upheld: campaign_review.resolve_objection(
                objection=objection, upheld=upheld, today=self.ctx.today(), note=note),
            parent=self)
        self._open(dialog, dialog.done, "Candidate")

    def name(self) -> None:
        campaign = self._need_campaign()
        if campaign is None:
            return
        granted: list = []

        def act(doc: str, _second: str, _flag: bool) -> None:
            granted[:] = campaign_review.name_campaign(campaign=campaign, today=self.ctx.today(),
                                                       document_no=doc)

        dialog = CampaignStepDialog(
            self.ctx, "name", f"命名“{campaign.name}”中公示期满、没有异议的单位，授予称号并编排证书编号。",
            act, first=campaign.document_no, parent=self)
        self._open(dialog, dialog.done, "Candidate", "Title")
        # after the page has refreshed: where the certificates are, and their numbers
        dialog.done.connect(lambda: messages.info(self, campaign_review.naming_summary(granted)))

    def title_actions(self) -> None:
        dialog = TitleActionsDialog(self.ctx, self)
        self._open(dialog, dialog.changed, "Title")
