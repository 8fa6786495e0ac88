"""``wqg title …``: record, list and show titles; 复核, 整改复查, 注销 and 撤销."""

from __future__ import annotations

import argparse

from wqg_desktop.app import AppContext
from wqg_desktop.cli.campaign_cmds import acting, common
from wqg_desktop.cli.common import (
    Result,
    add_db_argument,
    add_json_argument,
    existing_db_path,
    parse_day,
    run,
)
from wqg_desktop.db.models import Title, Unit
from wqg_desktop.domain.statuses import RevocationGround
from wqg_desktop.errors import InputRefused
from wqg_desktop.services import titles
from wqg_desktop.services.lookup import by_uuid_prefix


def _title(prefix: str) -> Title:
    return by_uuid_prefix(Title, prefix, what="称号")


def _data(t: Title) -> dict:
    return titles.title_detail(Title.get_by_id(t.id))


def _message(d: dict) -> str:
    return f"{d['unit']}（{d['level']}{d['kind']}，{d['term']}）：{d['status']}；牌匾：{d['plaque']}"


def _add(args: argparse.Namespace) -> Result:
    named_on = parse_day(args.named_on, "命名日期")
    if named_on is None:
        raise InputRefused("请用 --named-on 写明命名日期。")
    with acting(args, "补录称号") as ctx:
        t = titles.record_title(
            unit=by_uuid_prefix(Unit, args.unit, what="基层单位"), level=args.level,
            term=args.term, named_on=named_on, today=ctx.today(),
            naming_bodies=args.naming_body or [], document_no=args.document_no or "",
            certificate_no=args.certificate_no or "", demonstration=args.demonstration,
            note=args.note or "")
        data = _data(t)
    return Result(message=f"已补录称号（{data['uuid']}）：" + _message(data), data=data)


def _list(args: argparse.Namespace) -> Result:
    with AppContext.open(existing_db_path(args), read_only=True):
        unit = by_uuid_prefix(Unit, args.unit, what="基层单位") if args.unit else None
        level = None
        if args.level:
            from wqg_desktop.domain.levels import Level

            level = int(Level.parse(args.level))
        try:
            rows = titles.list_titles(unit=unit, status=args.status, level=level,
                                      mine_only=args.mine)
        except ValueError:
            raise InputRefused(f"无法识别称号状态“{args.status}”：可写 有效、整改中、已取消、已注销、已撤销。"
                               ) from None
        data = [{k: (v.isoformat() if hasattr(v, "isoformat") else v)
                 for k, v in vars(r).items() if k != "id"} for r in rows]
    return Result(data=data)


def _list_text(rows: list[dict]) -> str:
    if not rows:
        return "没有符合条件的称号。\n"
    return "".join(f"{r['uuid'][:8]}  {r['status']:<3} {r['level']:<6} {r['term']}  {r['unit']}"
                   f"  {r['kind']}  {r['certificate_no']}\n" for r in rows)


def _show(args: argparse.Namespace) -> Result:
    with AppContext.open(existing_db_path(args), read_only=True):
        data = _data(_title(args.title))
    return Result(data=data)


def _show_text(d: dict) -> str:
    lines = [_message(d), f"  命名：{d['naming_bodies']} {d['named_on'] or ''} {d['document_no']}"
             f"  证书编号：{d['certificate_no']}"]
    for e in d["history"]:
        lines.append(f"  {e['on']}  {e['kind']}：{e['from'] or '—'} → {e['to']}  {e['actor']}  "
                     f"{e['reason']}")
    return "\n".join(lines) + "\n"


def _passed(args: argparse.Namespace) -> bool:
    return bool(args.passed)


def _rereview(args: argparse.Namespace) -> Result:
    with acting(args, "复核") as ctx:
        t = titles.rereview(title=_title(args.title), passed=_passed(args), today=ctx.today(),
                            regular=not args.irregular, score=args.score, note=args.note or "")
        data = _data(t)
    return Result(message=_message(data), data=data)


def _recheck(args: argparse.Namespace) -> Result:
    with acting(args, "整改期满复查") as ctx:
        t = titles.recheck(title=_title(args.title), passed=_passed(args), today=ctx.today(),
                           note=args.note or "")
        data = _data(t)
    return Result(message=_message(data), data=data)


def _deregister(args: argparse.Namespace) -> Result:
    with acting(args, "注销称号") as ctx:
        t = titles.deregister(title=_title(args.title), today=ctx.today(),
                              reason=args.reason or "", mark_unit=args.mark_unit)
        data = _data(t)
    return Result(message=_message(data), data=data)


def _revoke(args: argparse.Namespace) -> Result:
    with acting(args, "撤销称号") as ctx:
        t = titles.revoke(title=_title(args.title), today=ctx.today(), ground=args.ground,
                          finding=args.finding or "", evidence=args.evidence or "")
        data = _data(t)
    return Result(message=_message(data), data=data)


def _pass_fail(p: argparse.ArgumentParser, what: str) -> None:
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--pass", dest="passed", action="store_true", help=f"{what}合格")
    group.add_argument("--fail", dest="failed", action="store_true", help=f"{what}不合格")


def register(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("title", help="称号：补录、查询、复核、整改复查、注销、撤销",
                         description="称号的登记与变更。只有命名单位才能复核、注销或撤销它命名的称号。")
    cmds = top.add_subparsers(title="操作", metavar="操作", parser_class=type(top))
    top.set_defaults(handler=lambda a: (top.print_help(), 2)[1])

    p = cmds.add_parser("add", help="补录本级以前命名的称号")
    p.add_argument("unit", metavar="单位UUID")
    p.add_argument("--level", required=True, metavar="县|市|省")
    p.add_argument("--term", required=True, metavar="年度")
    p.add_argument("--named-on", required=True, metavar="YYYY-MM-DD", help="命名日期")
    p.add_argument("--naming-body", action="append", metavar="名称", help="命名单位（可重复）")
    p.add_argument("--document-no", metavar="文号")
    p.add_argument("--certificate-no", metavar="编号")
    p.add_argument("--demonstration", action="store_true", help="创建活动示范单位称号")
    p.add_argument("--note", metavar="说明")
    common(p, _add)

    p = cmds.add_parser("list", help="列出称号（只读）")
    p.add_argument("--unit", metavar="单位UUID")
    p.add_argument("--status", metavar="状态", help="有效、整改中、已取消、已注销、已撤销")
    p.add_argument("--level", metavar="县|市|省")
    p.add_argument("--mine", action="store_true", help="只列本办公室命名的称号")
    add_db_argument(p)
    add_json_argument(p)
    p.set_defaults(handler=lambda a: run(a, _list, _list_text))

    p = cmds.add_parser("show", help="显示一个称号及其全部变更（只读）")
    p.add_argument("title", metavar="称号UUID")
    add_db_argument(p)
    add_json_argument(p)
    p.set_defaults(handler=lambda a: run(a, _show, _show_text))

    p = cmds.add_parser("rereview", help="复核：合格保留称号；不合格进入一年整改期")
    p.add_argument("title", metavar="称号UUID")
    _pass_fail(p, "复核")
    p.add_argument("--irregular", action="store_true", help="不定期复核")
    p.add_argument("--score", type=float, metavar="得分")
    p.add_argument("--note", metavar="说明")
    common(p, _rereview)

    p = cmds.add_parser("recheck", help="整改期满复查：合格恢复有效；不合格取消称号并摘牌")
    p.add_argument("title", metavar="称号UUID")
    _pass_fail(p, "复查")
    p.add_argument("--note", metavar="说明")
    common(p, _recheck)

    p = cmds.add_parser("deregister", help="注销：单位工作性质改变，不再涉及青少年工作")
    p.add_argument("title", metavar="称号UUID")
    p.add_argument("--reason", metavar="原因")
    p.add_argument("--mark-unit", action="store_true", help="同时在名册中标明该单位不再从事青少年工作")
    common(p, _deregister)

    p = cmds.add_parser("revoke", help="撤销：经查属实的违纪违法等情形，摘牌收回")
    p.add_argument("title", metavar="称号UUID")
    p.add_argument("--ground", required=True, metavar="理由",
                   help="；".join(f"{g.value}＝{g.label}" for g in RevocationGround))
    p.add_argument("--finding", metavar="经查属实的事实")
    p.add_argument("--evidence", metavar="证据材料")
    common(p, _revoke)
