"""The record kinds behind the tabs of 日常工作台账: what each lists and how it is edited.

Each kind maps the page's filters to a service query and opens the edit dialog with the
service's own ``check`` (validation as the officer types) and ``save`` (one transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wqg_desktop.db.models import (
    Activity,
    CoBuilding,
    CoBuildingHelp,
    Consultation,
    PracticalProject,
    Referral,
    TrainingSession,
    Unit,
    Volunteer,
)
from wqg_desktop.db.models.base import unchanged_since
from wqg_desktop.db.stale import stamp_of
from wqg_desktop.domain import date_rules
from wqg_desktop.domain.levels import Level
from wqg_desktop.domain.statuses import HELP_KINDS, YOUTH_GROUPS, ActivityKind, ReferralKind
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import (
    attachments,
    records_activities,
    records_cobuild,
    records_consult,
    records_contacts,
    records_projects,
    records_training,
    registry,
)
from wqg_desktop.services import records_common as rc
from wqg_desktop.services.privacy import Disclosure
from wqg_desktop.ui.dialogs.record_consultation import RecordConsultationDialog
from wqg_desktop.ui.dialogs.record_fields import Field, RecordFieldsDialog
from wqg_desktop.ui.widgets.combos import UnitChoices

if TYPE_CHECKING:
    from wqg_desktop.ui.pages.records_panel import RecordsListPanel


@dataclass
class Filters:
    today: dt.date
    unit_id: int | None
    period: rc.Period
    disclosure: Disclosure | None = None
    combo: Any = None


def _need(row: Any, what: str) -> Any:
    if row is None:
        raise InputRefused(f"请先在列表中选中{what}。")
    return row


class Kind:
    """Defaults: a list with new, edit, delete and export."""

    title = ""
    entity = ""
    columns: Sequence[rc.ListColumn] = ()
    can_new = can_edit = can_delete = True
    extra_label = ""
    combo_label = ""
    sensitive = False

    def __init__(self, panel_today: Any) -> None:
        self.today = panel_today  # a callable: the page's clock

    def rows(self, f: Filters) -> list[Any]:
        raise NotImplementedError

    def note(self, f: Filters, rows: list[Any]) -> str:
        return ""

    def highlight(self, row: Any) -> bool:
        return bool(getattr(row, "overdue", False))

    def combo_choices(self, f: Filters) -> list[tuple[Any, str]]:
        return []

    def describe(self, row: Any) -> str:
        return f"这条{self.title}记录"

    def new(self, panel: RecordsListPanel) -> None:
        self.edit(panel, None)

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        raise NotImplementedError

    def delete(self, row: Any) -> None:
        raise NotImplementedError

    def extra(self, panel: RecordsListPanel, row: Any) -> None:
        raise NotImplementedError

    def export(self, path: Path, rows: list[Any]) -> int:
        return rc.export_rows(path, self.columns, rows, sheet_title=self.title)

    def sensitive_records(self, rows: list[Any]) -> list[Any]:
        return []

    # a fields dialog over a service's check/save pair
    def fields_dialog(self, panel: RecordsListPanel, title: str, fields: list[Field], check: Any,
                      save: Any, uuid: str | None = None, intro: str = "") -> None:
        today = self.today()
        # the version shown: a save after someone else's is refused, not silently merged
        stamp = stamp_of(self.entity, uuid) if isinstance(uuid, str) else None

        def run_save(values: dict) -> Any:
            with unchanged_since(stamp):
                return (save(today=today, uuid=uuid, **values) if uuid is not False
                        else save(today=today, **values))

        dialog = RecordFieldsDialog(
            panel.page.ctx, title=title, fields=fields, intro=intro, parent=panel,
            check=lambda v: check(today=today, **v), save=run_save)
        panel.opened(dialog)


def _units(initial: Any, label: str = "单位(&U)：", key: str = "unit_id") -> Field:
    # UnitChoices: the dialog's combo finds a unit by any part of its name or pinyin
    return Field(key, label, "combo", UnitChoices(rc.unit_choices()), initial,
                 extra={"blank": "（请选择单位）"})


class ConsultKind(Kind):
    title, entity, columns, sensitive = "咨询投诉", "Consultation", records_consult.COLUMNS, True

    def rows(self, f: Filters) -> list[Any]:
        return records_consult.rows(today=f.today, unit_id=f.unit_id, period=f.period,
                                    disclosure=f.disclosure)

    def note(self, f: Filters, rows: list[Any]) -> str:
        late = [r for r in rows if r.overdue]
        days = records_consult.reply_days()
        text = f"答复时限：受理后 {days} 个工作日（按本办公室工作日历）。"
        return text + (f"逾期未答复 {len(late)} 件，以红色显示。" if late else "")

    def describe(self, row: Any) -> str:
        return f"{rc.fmt_date(row.received_on)}受理的这条{row.kind}"

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        dialog = RecordConsultationDialog(panel.page.ctx, row.uuid if row else None,
                                          unit_id=panel.page.filters().unit_id, parent=panel)
        panel.opened(dialog)

    def delete(self, row: Any) -> None:
        records_consult.delete(row.uuid)

    def sensitive_records(self, rows: list[Any]) -> list[Any]:
        return list(Consultation.select().where(Consultation.uuid.in_([r.uuid for r in rows])))


class ActivityKindTab(Kind):
    title, entity, columns = "活动", "Activity", records_activities.COLUMNS
    extra_label = "添加照片(&A)…"

    def rows(self, f: Filters) -> list[Any]:
        return records_activities.rows(unit_id=f.unit_id, period=f.period)

    def describe(self, row: Any) -> str:
        return f"活动“{row.title}”"

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        a = Activity.get(Activity.uuid == row.uuid) if row else None
        unit_id = panel.page.filters().unit_id
        fields = [
            Field("kind", "类别(&K)：", "combo", ActivityKind.choices(), a.kind if a else None),
            Field("title", "活动名称(&T)：", initial=a.title if a else "", max_length=150),
            Field("start_on", "开始日期(&S)：", "date", initial=a.start_on if a else None),
            Field("end_on", "结束日期(&E)：", "optional_date", initial=a.end_on if a else None,
                  extra={"text": "多日活动"}),
            Field("place", "地点(&P)：", initial=a.place if a else "", max_length=150),
            Field("place_kind", "地点类别(&L)：", "combo",
                  [(k, k) for k in records_activities.PLACE_KINDS], a.place_kind if a else None,
                  extra={"blank": ""}),
            Field("unit_ids", "参与单位(&U)：", "units", rc.unit_choices(),
                  row.unit_ids if row else ([unit_id] if unit_id else [])),
            Field("people_reached", "受众人数(&R)：", "int", initial=a.people_reached if a else 0),
            Field("volunteers", "志愿者人数(&V)：", "int", initial=a.volunteers if a else 0),
            Field("description", "活动情况(&D)：", "multiline", initial=a.description if a else ""),
        ]
        self.fields_dialog(panel, "修改活动" if row else "登记活动", fields,
                           records_activities.check, records_activities.save,
                           row.uuid if row else None)

    def delete(self, row: Any) -> None:
        records_activities.delete(row.uuid)

    def extra(self, panel: RecordsListPanel, row: Any) -> None:
        from wqg_desktop.ui import messages

        _need(row, "一项活动")
        path = messages.open_file(panel, "选择照片或扫描件", attachments.FILE_FILTER)
        if path is None:
            return
        with panel.page.ctx.acting("添加活动照片"):
            records_activities.add_photo(row.uuid, path)
        panel.page.bus.notify("Activity")


class VolunteerKind(Kind):
    title, entity, columns = "志愿者", "Volunteer", records_contacts.VOLUNTEER_COLUMNS

    def rows(self, f: Filters) -> list[Any]:
        return records_contacts.volunteer_rows(today=f.today, unit_id=f.unit_id, period=f.period)

    def describe(self, row: Any) -> str:
        return f"志愿者“{row.name}”"

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        v = Volunteer.get(Volunteer.uuid == row.uuid) if row else None
        fields = [
            _units(v.unit_id if v else panel.page.filters().unit_id),
            Field("name", "姓名(&N)：", initial=v.name if v else "", max_length=50),
            Field("phone", "联系电话(&P)：", initial=v.phone if v else "", max_length=30),
            Field("joined_on", "加入日期(&J)：", "optional_date", initial=v.joined_on if v else None),
            Field("left_on", "退出日期(&L)：", "optional_date", initial=v.left_on if v else None,
                  extra={"text": "已退出"}),
            Field("note", "备注(&R)：", "multiline", initial=v.note if v else ""),
        ]
        self.fields_dialog(panel, "修改志愿者" if row else "登记志愿者", fields,
                           records_contacts.check_volunteer, records_contacts.save_volunteer,
                           row.uuid if row else None)

    def delete(self, row: Any) -> None:
        records_contacts.delete_volunteer(row.uuid)


class TrainingKind(Kind):
    title, entity, columns = "负责人培训", "TrainingSession", records_training.SESSION_COLUMNS
    extra_label = "登记参训(&A)…"

    def rows(self, f: Filters) -> list[Any]:
        return records_training.session_rows(unit_id=f.unit_id, period=f.period)

    def note(self, f: Filters, rows: list[Any]) -> str:
        missing = records_training.untrained_heads(unit_id=f.unit_id)
        if not missing:
            return "创建单位负责人均已参加命名单位组织的培训。"
        lines = [f"{m.unit}：{m.head or '（未登记）'}，{m.reason}" for m in missing]
        return (f"尚未参加命名单位培训的创建单位负责人 {len(missing)} 人：\n"
                + "\n".join(lines[:8]) + ("\n……" if len(lines) > 8 else ""))

    def describe(self, row: Any) -> str:
        return f"{rc.fmt_date(row.on)}的培训“{row.topic}”（连同参训记录）"

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        s = TrainingSession.get(TrainingSession.uuid == row.uuid) if row else None
        fields = [
            Field("on", "培训日期(&D)：", "date", initial=s.on if s else None),
            Field("organiser_level", "举办层级(&L)：", "combo",
                  [(int(lv), lv.label) for lv in Level], s.organiser_level if s else None),
            Field("organiser", "举办单位(&O)：", initial=s.organiser if s else "", max_length=100),
            Field("topic", "培训主题(&T)：", initial=s.topic if s else "", max_length=150),
            Field("place", "地点(&P)：", initial=s.place if s else "", max_length=150),
        ]
        self.fields_dialog(panel, "修改培训" if row else "登记培训", fields,
                           records_training.check_session, records_training.save_session,
                           row.uuid if row else None)

    def delete(self, row: Any) -> None:
        records_training.delete_session(row.uuid)

    def extra(self, panel: RecordsListPanel, row: Any) -> None:
        _need(row, "一次培训")
        fields = [
            _units(panel.page.filters().unit_id),
            Field("head_name", "参训负责人(&H)：", placeholder="不填则按培训当天的负责人记录",
                  max_length=50),
            Field("attended", "出勤(&A)：", "check", initial=True, extra={"text": "参加了培训"}),
        ]
        self.fields_dialog(
            panel, "登记参训", fields,
            lambda today, **v: rc.get_unit(v["unit_id"]),
            lambda today, **v: records_training.record_attendance(
                today=today, session_uuid=row.uuid, **v),
            uuid=False, intro=f"培训：{rc.fmt_date(row.on)} {row.topic}")


class OnlineKind(Kind):
    title, entity, columns = "维权在线", "Unit", records_training.ONLINE_COLUMNS
    can_new = can_delete = False

    def rows(self, f: Filters) -> list[Any]:
        return records_training.online_rows(unit_id=f.unit_id)

    def note(self, f: Filters, rows: list[Any]) -> str:
        bad = [r for r in rows if r.required and not r.online]
        live = sum(1 for r in rows if r.online)
        text = f"已上线“青少年维权在线” {live} 个单位，未上线 {len(rows) - live} 个。"
        return text + (f"要求上线而未上线的创建单位 {len(bad)} 个，以红色显示。" if bad else "")

    def highlight(self, row: Any) -> bool:
        return row.required and not row.online

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        unit = Unit.get_by_id(row.unit_id)
        fields = [
            Field("online", "维权在线(&O)：", "check", initial=unit.online,
                  extra={"text": "已上线“青少年维权在线”"}),
            Field("since", "上线日期(&S)：", "date", initial=unit.online_since),
        ]
        self.fields_dialog(
            panel, f"维权在线：{unit.name}", fields,
            lambda today, **v: rc.unit_day(v["since"], "上线日期", unit, today=today),
            lambda today, **v: records_training.set_online(today=today, unit_id=unit.id, **v),
            uuid=False)


class CoBuildKind(Kind):
    title, entity, columns, sensitive = "百岗千村共建", "CoBuilding", records_cobuild.COLUMNS, True
    extra_label = "登记帮扶(&H)…"

    def rows(self, f: Filters) -> list[Any]:
        return records_cobuild.rows(unit_id=f.unit_id, period=f.period, disclosure=f.disclosure)

    def describe(self, row: Any) -> str:
        if row.help_uuid:
            return f"{rc.fmt_date(row.on)}的这条帮扶记录"
        return f"与{row.village}的共建（连同其帮扶记录）"

    def new(self, panel: RecordsListPanel) -> None:
        self._pairing(panel, None)

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        if row.help_uuid:
            self._help(panel, row.uuid, CoBuildingHelp.get(CoBuildingHelp.uuid == row.help_uuid))
        else:
            self._pairing(panel, CoBuilding.get(CoBuilding.uuid == row.uuid))

    def _pairing(self, panel: RecordsListPanel, cb: CoBuilding | None) -> None:
        fields = [
            _units(cb.unit_id if cb else panel.page.filters().unit_id),
            Field("township", "乡镇（街道）(&T)：", initial=cb.township if cb else "", max_length=60),
            Field("village", "村（社区）(&V)：", initial=cb.village if cb else "", max_length=60),
            Field("started_on", "共建开始(&S)：", "optional_date",
                  initial=cb.started_on if cb else None),
            Field("note", "备注(&R)：", "multiline", initial=cb.note if cb else ""),
        ]
        self.fields_dialog(panel, "修改共建" if cb else "登记共建", fields, records_cobuild.check,
                           records_cobuild.save, cb.uuid if cb else None)

    def _help(self, panel: RecordsListPanel, cb_uuid: str, h: CoBuildingHelp | None) -> None:
        fields = [
            Field("on", "帮扶日期(&D)：", "date", initial=h.on if h else None),
            Field("youth_group", "重点群体(&G)：", "combo", [(g, g) for g in YOUTH_GROUPS],
                  h.youth_group if h else None),
            Field("help_kind", "帮扶方式(&K)：", "combo", [(k, k) for k in HELP_KINDS],
                  h.help_kind if h else None),
            Field("description", "帮扶情况(&S)：", "multiline", initial=h.description if h else ""),
            Field("minor_name", "帮扶对象姓名(&N)：", initial=h.minor_name if h else "",
                  placeholder="敏感信息，不需要时不填", max_length=50),
            Field("minor_id_no", "身份证号(&I)：", initial=h.minor_id_no if h else "",
                  max_length=18),
        ]
        self.fields_dialog(
            panel, "修改帮扶记录" if h else "登记帮扶", fields,
            lambda today, **v: records_cobuild.check_help(today=today, cobuilding_uuid=cb_uuid, **v),
            lambda today, **v: records_cobuild.save_help(
                today=today, uuid=h.uuid if h else None, cobuilding_uuid=cb_uuid, **v),
            uuid=False, intro="帮扶对象的姓名和身份证号在列表、打印和导出中均遮蔽。")

    def extra(self, panel: RecordsListPanel, row: Any) -> None:
        self._help(panel, _need(row, "一项共建").uuid, None)

    def delete(self, row: Any) -> None:
        if row.help_uuid:
            records_cobuild.delete_help(row.help_uuid)
        else:
            records_cobuild.delete(row.uuid)

    def sensitive_records(self, rows: list[Any]) -> list[Any]:
        return records_cobuild.help_records([r.help_uuid for r in rows if r.help_uuid])


class ProjectKind(Kind):
    title, entity, columns = "实事项目", "PracticalProject", records_projects.PROJECT_COLUMNS

    def rows(self, f: Filters) -> list[Any]:
        return records_projects.project_rows(unit_id=f.unit_id, period=f.period)

    def note(self, f: Filters, rows: list[Any]) -> str:
        year = min(f.period.end or f.today, f.today).year
        return "\n".join(records_projects.project_warnings(year)) or f"{year}年各警种均有实事项目。"

    def describe(self, row: Any) -> str:
        return f"实事项目“{row.title}”"

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        p = PracticalProject.get(PracticalProject.uuid == row.uuid) if row else None
        fields = [
            Field("year", "年份(&Y)：", "int", initial=p.year if p else self.today().year,
                  # a year stored before the check stays visible (the service names it)
                  extra={"minimum": min(date_rules.EARLIEST.year, p.year if p else 9999),
                         "maximum": max(self.today().year, p.year if p else 0)}),
            Field("police_type_id", "警种(&P)：", "combo", registry.police_type_choices(),
                  p.police_type_id if p else None),
            Field("title", "项目名称(&T)：", initial=p.title if p else "", max_length=150),
            _units(p.unit_id if p else panel.page.filters().unit_id, "承办单位(&U)："),
            Field("done", "完成情况(&C)：", "check", initial=p.done if p else False,
                  extra={"text": "已完成"}),
            Field("description", "项目内容(&D)：", "multiline", initial=p.description if p else ""),
        ]
        self.fields_dialog(panel, "修改实事项目" if row else "登记实事项目", fields,
                           records_projects.check_project, records_projects.save_project,
                           row.uuid if row else None)

    def delete(self, row: Any) -> None:
        records_projects.delete_project(row.uuid)


class ReferralKindTab(Kind):
    title, entity, columns = "转办交办会办", "Referral", records_projects.REFERRAL_COLUMNS

    def rows(self, f: Filters) -> list[Any]:
        return records_projects.referral_rows(today=f.today, unit_id=f.unit_id, period=f.period)

    def note(self, f: Filters, rows: list[Any]) -> str:
        late = sum(1 for r in rows if r.overdue)
        return f"逾期未办结 {late} 件，以红色显示。" if late else ""

    def describe(self, row: Any) -> str:
        return f"{row.kind}事项“{row.subject}”"

    def edit(self, panel: RecordsListPanel, row: Any) -> None:
        r = Referral.get(Referral.uuid == row.uuid) if row else None
        fields = [
            Field("kind", "类别(&K)：", "combo", ReferralKind.choices(), r.kind if r else None),
            Field("subject", "事项(&S)：", initial=r.subject if r else ""),
            _units(r.to_unit_id if r else panel.page.filters().unit_id, "承办单位(&U)：",
                   "to_unit_id"),
            Field("received_on", "收到日期(&R)：", "date", initial=r.received_on if r else None),
            Field("due_on", "办理期限(&D)：", "optional_date", initial=r.due_on if r else None,
                  extra={"future": True}),
            Field("closed_on", "办结日期(&C)：", "optional_date", initial=r.closed_on if r else None,
                  extra={"text": "已办结"}),
            Field("result", "办理结果(&E)：", "multiline", initial=r.result if r else ""),
        ]
        self.fields_dialog(panel, "修改转办事项" if row else "登记转办交办会办", fields,
                           records_projects.check_referral, records_projects.save_referral,
                           row.uuid if row else None)

    def delete(self, row: Any) -> None:
        records_projects.delete_referral(row.uuid)
