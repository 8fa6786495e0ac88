"""Areas whose screens come with later issues: an honest empty state, never fake data.

Each says what the area will do and shows how many records of its kinds the database
already holds (demo data and merged packages arrive before the screens do).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from wqg_desktop.app import AppContext
from wqg_desktop.services import stats
from wqg_desktop.ui.bus import Bus
from wqg_desktop.ui.forms import load_form
from wqg_desktop.ui.models.rows import Column, RowsModel
from wqg_desktop.ui.pages.base import Page, tidy_table

FORM = "area_page"


@dataclass(frozen=True)
class Area:
    title: str
    help: str
    text: str
    kinds: tuple[str, ...]


AREAS = [
    Area("检查记录", "检查记录",
         "领导小组在两年创建期内对创建单位的不定期检查：对照创建标准逐项评分、发现的问题、"
         "整改要求与期限、跟踪复查，以及检查计划。", ("Standard", "StandardItem", "Inspection",
                                                 "InspectionScore", "Attachment")),
    Area("满意度调查", "满意度调查",
         "审核、复核中的青少年知晓度、满意度调查：打印带编号的纸质问卷，键盘快速录入，"
         "按单位计算知晓率、满意率。",
         ("SurveyTemplate", "SurveyQuestion", "SurveyRound", "SurveySheet")),
    Area("日常工作台账", "日常工作台账",
         "咨询投诉（未成年人信息默认遮蔽）、专项整治与专题维权活动、志愿者、负责人培训、"
         "百岗千村共建、行动月与行动日、实事项目、转办交办会办、联系点与联系卡。",
         ("Consultation", "Activity", "Volunteer", "TrainingSession", "TrainingAttendance",
          "CoBuilding", "CoBuildingHelp", "PracticalProject", "Referral", "ContactPoint",
          "ContactCardBatch", "ServiceCommitment")),
    Area("证书与牌匾打印", "证书与牌匾打印",
         "命名证书（含套打）、示范单位证书、牌匾样稿、命名与公示文件、承诺公示牌、联系卡、"
         "申报表、检查记录表、空白问卷与调查报告。", ("Title", "Plaque")),
    Area("上报与汇总", "上报与汇总",
         "生成带签名的上报包，导入并汇总下级上报包，下发命名与复核决定，自动备份与恢复。",
         ("Office",)),
]

COUNT_COLUMNS = [Column("label", "记录类别"), Column("count", "已有数量", align_right=True)]


class AreaPage(Page):
    def __init__(self, area: Area, ctx: AppContext, bus: Bus, parent: QWidget | None = None) -> None:
        super().__init__(ctx, bus, parent)
        self.area = area
        self.TITLE = area.title
        self.HELP = area.help
        self.ui = load_form(FORM, self)
        self.ui.title_label.setText(area.title)
        self.ui.body_label.setText(
            f"<p>{area.text}</p><p style='color:#555'>本版本尚未提供此处的录入和查看界面，"
            "将在后续版本中提供。下表是数据库中已有的相关记录（来自演示数据或汇总的上报包）。</p>"
        )
        self.model = RowsModel(COUNT_COLUMNS, parent=self)
        self.ui.counts_table.setModel(self.model)
        tidy_table(self.ui.counts_table, stretch_column=0)

    def load(self) -> None:
        counts = stats.record_counts()
        self.model.set_rows([{"label": stats.LABELS[k], "count": counts[k]} for k in self.area.kinds])
