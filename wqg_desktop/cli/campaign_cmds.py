"""``wqg campaign …``: the lifecycle engine of 创建活动 on the command line.

Every sub-command takes ``--db``, ``--json`` and ``--today YYYY-MM-DD`` (the date to act on);
a rule that refuses exits with code 2 and its Chinese reason, and changes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from wqg_desktop.app import AppContext
from wqg_desktop.cli.common import (
    Result,
    add_db_argument,
    add_json_argument,
    existing_db_path,
    parse_day,
    run,
    today_of,
)
from wqg_desktop.db.models import Campaign, Candidate, Objection, Unit, database
from wqg_desktop.domain import lifecycle
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import campaign_edit, campaign_review, campaigns, campaigns_view
from wqg_desktop.services.lookup import by_uuid_prefix

# -- shared with title_cmds -------------------------------------------------------------------


@contextlib.contextmanager
def acting(args: argparse.Namespace, reason: str) -> Iterator[AppContext]:
    """Open the database on ``--today``; one command = one transaction, all or nothing."""
    today = today_of(args)
    with AppContext.open(existing_db_path(args), clock=lambda: today, create=False) as ctx, \
            ctx.acting(reason), database.atomic():
        yield ctx


def common(p: argparse.ArgumentParser, handler: Callable[[argparse.Namespace], Result],
           text: Callable[[Any], str] | None = None) -> None:
    add_db_argument(p)
    add_json_argument(p)
    p.add_argument("--today", metavar="YYYY-MM-DD", help="以指定日期为“今天”办理（默认今天）")
    p.set_defaults(handler=lambda a: run(a, handler, text))


def _campaign(prefix: str) -> Campaign:
    return by_uuid_prefix(Campaign, prefix, what="创建活动")


def _candidate(prefix: str) -> Candidate:
    return by_uuid_prefix(Candidate, prefix, what="创建单位")


def _unit(prefix: str) -> Unit:
    return by_uuid_prefix(Unit, prefix, what="基层单位")


def _cand_data(c: Candidate) -> dict:
    return {"uuid": c.uuid, "unit": c.unit.name, "status": c.status,
            "status_label": lifecycle.C(c.status).label}


# -- the commands -------------------------------------------------------------------------------


def _office_quotas(items: list[str] | None) -> dict[str, int]:
    quotas: dict[str, int] = {}
    for item in items or []:
        name, sep, value = item.rpartition("=")
        if not sep or not value.strip().isdigit():
            raise InputRefused(f"--office-quota“{item}”应写成 办公室名称=名额，例如 海安市公安局=3。")
        quotas[name.strip()] = int(value)
    return quotas


_DATE_OPTIONS = (("application-start", "申报开始"), ("application-end", "申报截止"),
                 ("creation-start", "创建期开始"), ("creation-end", "创建期结束"),
                 ("review-planned", "计划审核"), ("naming-planned", "计划命名"))


def _edit(args: argparse.Namespace) -> Result:
    """Only the options given change; a date given as “无” is cleared."""
    changes: dict[str, Any] = {}
    for opt, what in _DATE_OPTIONS:
        value = getattr(args, opt.replace("-", "_"))
        if value is not None:
            changes[opt.replace("-", "_")] = (None if value.strip() in ("无", "none", "")
                                              else parse_day(value, f"{what}日期"))
    for key in ("name", "document_no", "note", "quota", "min_inspections"):
        if getattr(args, key) is not None:
            changes[key] = getattr(args, key)
    if args.naming_body:
        changes["naming_bodies"] = args.naming_body
    if args.office_quota is not None:
        changes["office_quotas"] = _office_quotas(args.office_quota)
    if args.require_online is not None:
        changes["require_online"] = args.require_online == "是"
    with acting(args, "修改活动") as ctx:
        done = campaign_edit.update_campaign(campaign=_campaign(args.campaign), today=ctx.today(),
                                             **changes)
        data = {"uuid": done.campaign.uuid, "changed": done.changed, "warnings": done.warnings}
    message = ("已修改：" + "、".join(done.changed)) if done.changed else "没有需要修改的内容。"
    if done.warnings:
        message += "\n注意：" + "；".join(done.warnings)
    return Result(message=message, data=data)


def _create(args: argparse.Namespace) -> Result:
    quotas = _office_quotas(args.office_quota)
    with acting(args, "新建创建活动") as ctx:
        made = campaigns.create_campaign(
            level=args.level, term=args.term, today=ctx.today(), name=args.name or "",
            application_start=parse_day(args.application_start, "申报开始日期"),
            application_end=parse_day(args.application_end, "申报截止日期"),
            creation_start=parse_day(args.creation_start, "创建期开始日期"),
            creation_end=parse_day(args.creation_end, "创建期结束日期"),
            review_planned=parse_day(args.review_planned, "计划审核日期"),
            naming_planned=parse_day(args.naming_planned, "计划命名日期"),
            quota=args.quota, office_quotas=quotas, naming_bodies=args.naming_body or [],
            require_online=args.require_online, min_inspections=args.min_inspections,
            document_no=args.document_no or "", note=args.note or "")
        c = made.campaign
        data = {"uuid": c.uuid, "name": c.name, "warnings": made.warnings}
    message = f"已新建创建活动：{c.name}（{c.uuid}）"
    if made.warnings:
        message += "\n注意：" + "；".join(made.warnings)
    return Result(message=message, data=data)


def _list(args: argparse.Namespace) -> Result:
    with AppContext.open(existing_db_path(args), read_only=True):
        rows = campaigns_view.list_campaigns()
        data = [{"uuid": r.uuid, "name": r.name, "level": r.level, "term": r.term,
                 "stage": r.stage, "office": r.office, "candidates": r.candidates} for r in rows]
    return Result(data=data)


def _list_text(rows: list[dict]) -> str:
    if not rows:
        return "还没有创建活动。\n"
    return "".join(f"{r['uuid'][:8]}  {r['stage']:<4} {r['candidates']:>3} 个单位  {r['name']}"
                   f"（{r['office']}）\n" for r in rows)


def _show(args: argparse.Namespace) -> Result:
    with AppContext.open(existing_db_path(args), read_only=True):
        campaign = _campaign(args.campaign)
        data = campaigns_view.campaign_detail(campaign)
        data["ranking"] = [vars(r) for r in campaign_review.ranking(campaign)]
        data["convention_text"] = lifecycle.convention_text(campaign_review.convention())
    return Result(data=data)


def _show_text(d: dict) -> str:
    lines = [f"{d['name']}", f"  {d['level']} {d['term']}  阶段：{d['stage']}  主办：{d['office']}",
             f"  命名单位：{'、'.join(d['naming_bodies'])}"]
    for dec in d["decisions"]:
        lines.append(f"  审核 {dec['decided_on']}：参评 {dec['reviewed']}，达标 {dec['passed']}，"
                     f"至多 {dec['max_pass']}（{dec['convention_text']}）"
                     + (f"；突破差额比例，理由：{dec['override_reason']}" if dec["override"] else ""))
    for c in d["candidates"]:
        score = "" if c["score"] is None else f"  得分 {c['score']:.1f}"
        lines.append(f"  {c['uuid'][:8]}  {c['status']:<5} {c['unit']}{score}")
    return "\n".join(lines) + "\n"


def _each_unit(args: argparse.Namespace, action: Callable[..., Candidate], reason: str) -> Result:
    with acting(args, reason) as ctx:
        campaign = _campaign(args.campaign)
        done = [_cand_data(action(campaign=campaign, unit=_unit(u), today=ctx.today(),
                                  reason=args.reason or ""))
                for u in args.units]
    return Result(message=f"{reason} {len(done)} 个单位。", data=done)


def _apply(args: argparse.Namespace) -> Result:
    return _each_unit(args, campaigns.apply_unit, "申报")


def _recommend(args: argparse.Namespace) -> Result:
    return _each_unit(args, campaigns.recommend_unit, "推荐申报")


def _one(args: argparse.Namespace, reason: str, step: Callable[..., Candidate],
         **extra: Any) -> Result:
    with acting(args, reason) as ctx:
        cand = step(candidate=_candidate(args.candidate), today=ctx.today(), **extra)
        data = _cand_data(cand)
    return Result(message=f"{data['unit']}：{data['status_label']}", data=data)


def _start(args: argparse.Namespace) -> Result:
    with acting(args, "进入创建期") as ctx:
        n = campaigns.start_creation(campaign=_campaign(args.campaign), today=ctx.today())
    return Result(message=f"已进入创建期：{n} 个创建单位。", data={"creating": n})


def _score(args: argparse.Namespace) -> Result:
    with acting(args, "录入得分"):
        cand = campaign_review.set_score(candidate=_candidate(args.candidate), score=args.score)
        data = {**_cand_data(cand), "score": cand.manual_score}
    return Result(message=f"{data['unit']}：得分 {args.score}", data=data)


def _review(args: argparse.Namespace) -> Result:
    with acting(args, "审核") as ctx:
        campaign = _campaign(args.campaign)
        passed = [_candidate(p).id for p in args.passed or []]
        demo = [_candidate(p).id for p in args.demonstration or []]
        d = campaign_review.review_campaign(
            campaign=campaign, passed=passed, today=ctx.today(),
            override_reason=args.override_reason or "", early_reason=args.early_reason or "",
            demonstration=demo)
        data = campaigns_view.decision_rows(campaign)[-1] | {"uuid": d.uuid}
    return Result(message=f"审核完成：参评 {d.reviewed} 个，达标 {d.passed} 个，至多 {d.max_pass} 个"
                          f"（{data['convention_text']}）", data=data)


def _publicize(args: argparse.Namespace) -> Result:
    with acting(args, "公示") as ctx:
        c = campaign_review.publicize(campaign=_campaign(args.campaign), today=ctx.today(),
                                      start=parse_day(args.start, "公示开始日期"),
                                      working_days=args.days)
        data = {"publicity_start": c.publicity_start.isoformat(),
                "publicity_end": c.publicity_end.isoformat()}
    return Result(message=f"公示 {data['publicity_start']} 至 {data['publicity_end']}", data=data)


def _object(args: argparse.Namespace) -> Result:
    with acting(args, "受理异议") as ctx:
        o = campaign_review.raise_objection(candidate=_candidate(args.candidate),
                                            today=ctx.today(), content=args.content,
                                            raised_by=args.by or "")
        data = {**_cand_data(o.candidate), "objection": o.uuid}
    return Result(message=f"已受理异议（{o.uuid}）：{data['unit']} 异议处理中", data=data)


def _resolve(args: argparse.Namespace) -> Result:
    with acting(args, "处理异议") as ctx:
        o = campaign_review.resolve_objection(
            objection=by_uuid_prefix(Objection, args.objection, what="异议"),
            upheld=args.upheld, today=ctx.today(), note=args.note)
        data = {**_cand_data(Candidate.get_by_id(o.candidate_id)), "objection": o.uuid,
                "resolution": o.resolution}
    return Result(message=f"{data['unit']}：{data['status_label']}", data=data)


def _name(args: argparse.Namespace) -> Result:
    with acting(args, "命名") as ctx:
        titles = campaign_review.name_campaign(
            campaign=_campaign(args.campaign), today=ctx.today(),
            naming_date=parse_day(args.date, "命名日期"), document_no=args.document_no or "")
        data = [{"uuid": t.uuid, "unit_name": t.unit_name, "kind": t.kind,
                 "certificate_no": t.certificate_no} for t in titles]
        message = campaign_review.naming_summary(titles)
    return Result(message=message, data=data)


def register(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("campaign", help="创建活动：新建、修改、申报、审核、公示、命名",
                         description="创建活动的全过程：新建、修改、申报/推荐、受理/退回、退出、进入创建期、"
                                     "审核（20%差额）、公示与异议、命名。")
    cmds = top.add_subparsers(title="操作", metavar="操作", parser_class=type(top))
    top.set_defaults(handler=lambda a: (top.print_help(), 2)[1])

    p = cmds.add_parser("create", help="新建本级创建活动")
    p.add_argument("--level", required=True, metavar="县|市|省", help="活动层级（须为本办公室层级）")
    p.add_argument("--term", required=True, metavar="年度", help="年度，如 2025—2026年度 或 2025")
    p.add_argument("--name", metavar="名称", help="活动名称（不填则自动生成）")
    for opt, what in _DATE_OPTIONS:
        p.add_argument(f"--{opt}", metavar="YYYY-MM-DD", help=f"{what}日期")
    p.add_argument("--quota", type=int, metavar="N", help="每个报送单位的默认分配名额")
    p.add_argument("--office-quota", action="append", metavar="办公室=N",
                   help="某报送单位的分配名额（可重复）")
    p.add_argument("--naming-body", action="append", metavar="名称",
                   help="命名单位（可重复，联合命名时按顺序写）")
    p.add_argument("--require-online", action="store_true", help="要求创建单位已上线青少年维权在线")
    p.add_argument("--min-inspections", type=int, default=1, metavar="N", help="创建期内最少检查次数")
    p.add_argument("--document-no", metavar="文号", help="活动的发文字号")
    p.add_argument("--note", metavar="说明")
    common(p, _create)

    p = cmds.add_parser("edit", help="修改活动：日期、名额、命名单位等（已办理的环节不能再改）",
                        description="只修改给出的选项；与新建时同样检查。申报结束后不能再改申报日期和名额，"
                                    "审核后不能再改创建期和检查次数，命名后只能改说明。")
    p.add_argument("campaign", metavar="活动UUID")
    p.add_argument("--name", metavar="名称", help="活动名称")
    for opt, what in _DATE_OPTIONS:
        p.add_argument(f"--{opt}", metavar="YYYY-MM-DD", help=f"{what}日期（写“无”表示未定）")
    p.add_argument("--quota", type=int, metavar="N", help="每个报送单位的默认分配名额（0＝不限）")
    p.add_argument("--office-quota", action="append", metavar="办公室=N",
                   help="某报送单位的分配名额（可重复；给出时替换原有的全部分办公室名额）")
    p.add_argument("--naming-body", action="append", metavar="名称",
                   help="命名单位（可重复；给出时替换原有的命名单位）")
    p.add_argument("--require-online", choices=("是", "否"), help="是否要求创建单位已上线青少年维权在线")
    p.add_argument("--min-inspections", type=int, metavar="N", help="创建期内最少检查次数")
    p.add_argument("--document-no", metavar="文号", help="活动的发文字号")
    p.add_argument("--note", metavar="说明")
    common(p, _edit)

    p = cmds.add_parser("list", help="列出创建活动（只读）")
    add_db_argument(p)
    add_json_argument(p)
    p.set_defaults(handler=lambda a: run(a, _list, _list_text))

    p = cmds.add_parser("show", help="显示一个活动的全部情况（只读）")
    p.add_argument("campaign", metavar="活动UUID")
    add_db_argument(p)
    add_json_argument(p)
    p.set_defaults(handler=lambda a: run(a, _show, _show_text))

    for name, helptext, fn in (("apply", "申报：把本辖区单位列入本级活动", _apply),
                               ("recommend", "推荐申报：向上级活动推荐本辖区单位", _recommend)):
        p = cmds.add_parser(name, help=helptext)
        p.add_argument("campaign", metavar="活动UUID")
        p.add_argument("units", nargs="+", metavar="单位UUID")
        p.add_argument("--reason", metavar="说明")
        common(p, fn)

    p = cmds.add_parser("accept", help="受理下级推荐")
    p.add_argument("candidate", metavar="创建单位UUID")
    common(p, lambda a: _one(a, "受理推荐", campaigns.accept_candidate))
    for name, helptext, fn in (("return", "退回推荐或申报（须写理由）", campaigns.return_candidate),
                               ("withdraw", "退出创建（须写原因）", campaigns.withdraw_candidate)):
        p = cmds.add_parser(name, help=helptext)
        p.add_argument("candidate", metavar="创建单位UUID")
        p.add_argument("--reason", required=True, metavar="理由")
        common(p, lambda a, fn=fn, n=helptext[:4]: _one(a, n, fn, reason=a.reason))

    p = cmds.add_parser("start", help="进入创建期（已受理的申报成为创建单位）")
    p.add_argument("campaign", metavar="活动UUID")
    common(p, _start)

    p = cmds.add_parser("score", help="手工录入创建单位得分（考核模块计算前暂用）")
    p.add_argument("candidate", metavar="创建单位UUID")
    p.add_argument("score", type=float, metavar="得分")
    common(p, _score)

    p = cmds.add_parser("review", help="审核：一次确定全部参评单位达标或未达标（20%%差额）")
    p.add_argument("campaign", metavar="活动UUID")
    p.add_argument("--pass", dest="passed", action="append", metavar="创建单位UUID",
                   help="达标的单位（可重复）；未列出的参评单位为未达标")
    p.add_argument("--demonstration", action="append", metavar="创建单位UUID", help="示范单位（可重复）")
    p.add_argument("--override-reason", metavar="理由", help="突破差额比例的理由")
    p.add_argument("--early-reason", metavar="理由", help="创建期未满提前审核的理由")
    common(p, _review)

    p = cmds.add_parser("publicize", help="公示全部达标单位")
    p.add_argument("campaign", metavar="活动UUID")
    p.add_argument("--start", metavar="YYYY-MM-DD", help="公示开始日期（默认今天）")
    p.add_argument("--days", type=int, metavar="N", help="公示工作日数（默认按设置，7 个工作日）")
    common(p, _publicize)

    p = cmds.add_parser("object", help="受理公示期间的异议")
    p.add_argument("candidate", metavar="创建单位UUID")
    p.add_argument("--content", required=True, metavar="内容")
    p.add_argument("--by", metavar="反映人")
    common(p, _object)

    p = cmds.add_parser("resolve", help="处理异议：成立（不予命名）或不成立")
    p.add_argument("objection", metavar="异议UUID")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--upheld", action="store_true", help="异议成立，不予命名")
    group.add_argument("--dismissed", action="store_true", help="异议不成立，可以命名")
    p.add_argument("--note", required=True, metavar="处理意见")
    common(p, _resolve)

    p = cmds.add_parser("name", help="命名：公示期满后授予称号")
    p.add_argument("campaign", metavar="活动UUID")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="命名日期（默认今天）")
    p.add_argument("--document-no", metavar="文号", help="命名文件的发文字号")
    common(p, _name)
