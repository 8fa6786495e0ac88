"""Counts of every record kind (``wqg stats``, the home page, package manifests)."""

from __future__ import annotations

from wqg_desktop.db.models import ALL_MODELS

#: Chinese names of the record kinds, for people reading the counts.
LABELS: dict[str, str] = {
    "Office": "办公室", "Setting": "设置", "AuditLog": "操作日志",
    "Region": "县(市、区)及分组", "RegionName": "地区历史名称", "Bureau": "公安局/分局",
    "BureauName": "公安局历史名称", "PoliceType": "警种", "Unit": "基层单位",
    "UnitName": "单位历史名称", "UnitHead": "单位负责人记录", "UnitLineage": "单位合并拆分",
    "ServiceCommitment": "服务承诺", "Volunteer": "志愿者", "NamingBody": "命名单位",
    "LeadingGroupMember": "领导小组成员", "Supervisor": "监督员", "CalendarDay": "工作日历例外",
    "Campaign": "创建活动", "CampaignNamingBody": "活动命名单位", "CampaignQuota": "分配名额",
    "Candidate": "创建单位", "CandidateEvent": "创建单位状态变更", "ReviewDecision": "审核决定",
    "Objection": "异议", "Title": "称号", "TitleNamingBody": "称号命名单位",
    "TitleEvent": "称号变更", "Plaque": "牌匾", "ReReview": "复核",
    "Standard": "创建标准", "StandardItem": "标准条目", "Inspection": "检查记录",
    "InspectionInspector": "检查人员", "InspectionScore": "检查评分",
    "SurveyTemplate": "问卷模板", "SurveyQuestion": "问卷题目", "SurveyRound": "调查批次",
    "SurveySheet": "调查问卷", "Attachment": "附件", "Consultation": "咨询投诉",
    "Activity": "活动", "ActivityUnit": "活动参与单位", "TrainingSession": "培训",
    "TrainingAttendance": "培训参加记录", "CoBuilding": "百岗千村共建",
    "CoBuildingHelp": "共建帮扶记录", "PracticalProject": "实事项目", "Referral": "转办交办会办",
    "ContactPoint": "联系点", "ContactCardBatch": "联系卡发放",
    "MinorDataDisclosure": "未成年人信息显示记录",
    "OfficeIdentity": "本办公室密钥", "KnownKey": "已知单位密钥", "PackageLog": "上报包登记",
    "PrintLayout": "套打版式", "PrinterCalibration": "打印机校准", "PrintLog": "打印登记",
}


def record_counts() -> dict[str, int]:
    """Number of rows of every record kind, keyed by model name, in schema order."""
    return {model.__name__: model.select().count() for model in ALL_MODELS}
