"""Stored codes of every state the records can be in, with their Chinese labels.

The database stores the short English code; screens, prints and messages show the label.
Transitions between them are the lifecycle engine's business, not this module's.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return self._labels()[self]  # type: ignore[index]

    @classmethod
    def _labels(cls) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def from_label(cls, text: str) -> _Labelled:
        for member in cls:
            if text in (member.value, member.label):
                return member
        raise ValueError(text)


class TitleStatus(_Labelled):
    VALID = "valid"
    RECTIFYING = "rectifying"
    CANCELLED = "cancelled"  # 已取消: failed the re-check after rectification, plaque removed
    DEREGISTERED = "deregistered"  # 已注销: work no longer concerns youth
    REVOKED = "revoked"  # 已撤销: misconduct, plaque taken back

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.VALID: "有效",
            cls.RECTIFYING: "整改中",
            cls.CANCELLED: "已取消",
            cls.DEREGISTERED: "已注销",
            cls.REVOKED: "已撤销",
        }


class TitleKind(_Labelled):
    POST = "post"  # “青少年维权岗”
    DEMONSTRATION = "demonstration"  # “青少年维权岗”创建活动示范单位

    @classmethod
    def _labels(cls) -> dict:
        return {cls.POST: "青少年维权岗", cls.DEMONSTRATION: "创建活动示范单位"}


class PlaqueState(_Labelled):
    NOT_MADE = "not_made"
    ISSUED = "issued"
    SOUVENIR = "souvenir"  # kept after deregistration, not to be hung in public
    REMOVED = "removed"  # 摘牌 after a failed re-check
    RECLAIMED = "reclaimed"  # taken back by the naming body after revocation

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.NOT_MADE: "未制作",
            cls.ISSUED: "已授牌",
            cls.SOUVENIR: "留作纪念（不得公开悬挂）",
            cls.REMOVED: "已摘牌",
            cls.RECLAIMED: "已摘牌收回",
        }


class CandidateStatus(_Labelled):
    RECOMMENDED = "recommended"
    APPLIED = "applied"
    CREATING = "creating"
    REVIEWING = "reviewing"
    PASSED = "passed"
    FAILED = "failed"
    PUBLICIZING = "publicizing"
    OBJECTION = "objection"
    NAMED = "named"
    NOT_NAMED = "not_named"
    WITHDRAWN = "withdrawn"
    RETURNED = "returned"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.RECOMMENDED: "推荐",
            cls.APPLIED: "申报",
            cls.CREATING: "创建中",
            cls.REVIEWING: "审核",
            cls.PASSED: "达标",
            cls.FAILED: "未达标",
            cls.PUBLICIZING: "公示",
            cls.OBJECTION: "异议处理中",
            cls.NAMED: "命名",
            cls.NOT_NAMED: "不予命名",
            cls.WITHDRAWN: "已退出",
            cls.RETURNED: "已退回",
        }


class CampaignStage(_Labelled):
    PREPARING = "preparing"
    APPLICATION = "application"
    CREATION = "creation"
    REVIEW = "review"
    PUBLICITY = "publicity"
    NAMING = "naming"
    CLOSED = "closed"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.PREPARING: "筹备",
            cls.APPLICATION: "申报",
            cls.CREATION: "创建期",
            cls.REVIEW: "审核",
            cls.PUBLICITY: "公示",
            cls.NAMING: "命名",
            cls.CLOSED: "已结束",
        }


class UnitStatus(_Labelled):
    ACTIVE = "active"
    MERGED = "merged"
    SPLIT = "split"
    DISSOLVED = "dissolved"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.ACTIVE: "在册", cls.MERGED: "已合并", cls.SPLIT: "已拆分", cls.DISSOLVED: "已撤销建制"}


class RegionKind(_Labelled):
    COUNTY = "county"  # 县、县级市、区
    CITY_DIRECT = "city_direct"  # 市直: units directly under the city bureau
    CITY = "city"
    PROVINCE = "province"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.COUNTY: "县(市、区)", cls.CITY_DIRECT: "市直", cls.CITY: "市", cls.PROVINCE: "省"}


class LeadingRole(_Labelled):
    LEADER = "leader"
    MEMBER = "member"
    OFFICE_DIRECTOR = "office_director"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.LEADER: "组长", cls.MEMBER: "成员", cls.OFFICE_DIRECTOR: "办公室主任"}


class SupervisorCategory(_Labelled):
    NPC = "npc"
    CPPCC = "cppcc"
    OFFICIAL = "official"
    JOURNALIST = "journalist"
    YOUTH_WORKER = "youth_worker"
    PUBLIC_FIGURE = "public_figure"
    SERVED = "served"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.NPC: "人大代表",
            cls.CPPCC: "政协委员",
            cls.OFFICIAL: "相关部门负责同志",
            cls.JOURNALIST: "新闻记者",
            cls.YOUTH_WORKER: "青少年工作者",
            cls.PUBLIC_FIGURE: "社会知名人士",
            cls.SERVED: "服务对象",
        }


class TitleEventKind(_Labelled):
    NAMED = "named"
    RECORDED = "recorded"  # entered by hand: a title held from before the program
    REREVIEW_PASSED = "rereview_passed"
    REREVIEW_FAILED = "rereview_failed"
    RECHECK_PASSED = "recheck_passed"
    RECHECK_FAILED = "recheck_failed"
    DEREGISTERED = "deregistered"
    REVOKED = "revoked"
    PLAQUE = "plaque"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.NAMED: "命名",
            cls.RECORDED: "补录历年称号",
            cls.REREVIEW_PASSED: "复核合格",
            cls.REREVIEW_FAILED: "复核不合格，进入整改期",
            cls.RECHECK_PASSED: "整改期满考核合格",
            cls.RECHECK_FAILED: "整改期满考核不合格，取消称号并摘牌",
            cls.DEREGISTERED: "注销",
            cls.REVOKED: "撤销",
            cls.PLAQUE: "牌匾变更",
        }


class RevocationGround(_Labelled):
    LAW = "law"
    HEAD_CRIMINAL = "head_criminal"
    MAJOR_ERROR = "major_error"
    FRAUD = "fraud"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.LAW: "有违反国家法律法规现象",
            cls.HEAD_CRIMINAL: "主要负责人受刑事处罚",
            cls.MAJOR_ERROR: "发生严重影响行业(系统)形象的重大工作失误",
            cls.FRAUD: "在创建命名过程中弄虚作假",
        }


class ConsultKind(_Labelled):
    CONSULTATION = "consultation"
    COMPLAINT = "complaint"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.CONSULTATION: "咨询", cls.COMPLAINT: "投诉"}


class ActivityKind(_Labelled):
    SPECIAL_CAMPAIGN = "special_campaign"
    THEMED = "themed"
    VOLUNTEER = "volunteer"
    ACTION_MONTH = "action_month"
    ACTION_DAY = "action_day"
    JOINT = "joint"

    @classmethod
    def _labels(cls) -> dict:
        return {
            cls.SPECIAL_CAMPAIGN: "专项整治",
            cls.THEMED: "专题维权活动",
            cls.VOLUNTEER: "志愿者宣传服务活动",
            cls.ACTION_MONTH: "青少年维权岗行动月",
            cls.ACTION_DAY: "青少年维权岗行动日",
            cls.JOINT: "联合治理",
        }


class ReferralKind(_Labelled):
    TRANSFER = "transfer"
    ASSIGN = "assign"
    JOINT = "joint"

    @classmethod
    def _labels(cls) -> dict:
        return {cls.TRANSFER: "转办", cls.ASSIGN: "交办", cls.JOINT: "会办"}


#: The key youth groups of section 四.12 of the notice.
YOUTH_GROUPS = (
    "闲散青少年",
    "有不良行为或严重不良行为的青少年",
    "流浪乞讨青少年",
    "服刑在教人员未成年子女",
    "新生代农民工",
    "进城务工人员未成年子女（农村留守儿童）",
    "进城务工人员未成年子女（城市外来未成年人）",
)

#: The kinds of help of section 四.12.
HELP_KINDS = ("解疑释惑", "心理疏导", "法律援助", "困难帮扶", "感化挽救", "纠偏帮教")

#: Channels by which a consultation or complaint reaches a unit.
CONSULT_CHANNELS = ("电话", "来访", "12355 转来", "青少年维权在线", "信件")

#: The single supervision hotline of the campaign.
SUPERVISION_HOTLINE = "12355"
