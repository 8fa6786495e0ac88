"""``wqg package export|verify|import`` and ``wqg keys export|import|show``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from wqg_desktop.app import AppContext
from wqg_desktop.cli.common import (
    Result,
    add_db_argument,
    add_json_argument,
    existing_db_path,
    run,
    today_of,
)
from wqg_desktop.db.models import Office
from wqg_desktop.errors import InputRefused
from wqg_desktop.exchange import keys, merge, package
from wqg_desktop.services.lookup import by_uuid_prefix


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("package", help="制作、校验、导入上报包（.wqgpkg）",
                           description="上报包：制作（上报或向下级下发）、校验、导入汇总。")
    cmds = group.add_subparsers(title="操作", metavar="操作")
    p = cmds.add_parser("export", help="制作上报包（或用 --for 向下级下发决定）",
                        description="制作上报包。未成年人信息用上级的公钥加密（--to 指定上级下发的公钥文件，"
                                    "或用已确认的上级密钥）；没有上级公钥时不随包报送。")
    _common(p)
    p.add_argument("--out", required=True, metavar="文件", help="上报包保存位置（文件或文件夹）")
    p.add_argument("--to", metavar="公钥文件", help="接收单位（上级）下发的公钥文件")
    p.add_argument("--for", dest="for_office", metavar="单位UUID",
                   help="向这个下级单位下发本级关于其基层单位的决定（UUID 或其前几位）")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="以指定日期为“今天”（文件名和报送函日期）")
    p.set_defaults(handler=lambda a: run(a, _export, _text_lines))

    p = cmds.add_parser("verify", help="校验上报包并显示导入后会有的变化（不改动数据库）",
                        description="校验上报包的签名、清单和每个文件，显示发送单位、指纹以及新增、修改、删除的记录数。")
    _common(p)
    p.add_argument("file", metavar="文件", help="上报包文件")
    p.set_defaults(handler=lambda a: run(a, _verify, _text_lines))

    p = cmds.add_parser("import", help="导入上报包（汇总）",
                        description="校验后在一个事务中导入上报包：要么全部导入，要么什么都不改。"
                                    "有变化时先自动备份。")
    _common(p)
    p.add_argument("file", metavar="文件", help="上报包文件")
    p.add_argument("--yes", action="store_true",
                   help="确认导入；发送单位的密钥第一次出现时，表示已电话核对指纹并信任它")
    p.add_argument("--replace-key", action="store_true",
                   help="发送单位丢失了原密钥、用新密钥签名：与 --yes 和 --reason 一起使用，表示已电话核对新指纹，"
                        "停用原密钥、信任新密钥后导入（记入审计日志）")
    p.add_argument("--reason", metavar="原因", help="更换密钥的原因（--replace-key 时必填）")
    p.set_defaults(handler=lambda a: run(a, _import, _text_lines))

    p = cmds.add_parser("copy", help="把上报包复制到 U 盘等位置并读回校验",
                        description="安全复制上报包（先写临时文件、刷新到磁盘、再改名），然后读回整个副本核对 SHA-256。")
    _common(p)
    p.add_argument("file", metavar="文件", help="上报包文件")
    p.add_argument("dir", metavar="文件夹", help="目标文件夹（例如 U 盘）")
    p.set_defaults(handler=lambda a: run(a, _copy, _text_lines))

    group = sub.add_parser("keys", help="本办公室密钥：显示指纹、导出公钥或身份文件、导入",
                           description="本办公室的签名和加密密钥。公钥文件交给下级，用来加密上报的未成年人信息；"
                                       "身份文件（含私钥，用密码保护）用于换电脑后恢复。")
    cmds = group.add_subparsers(title="操作", metavar="操作")
    p = cmds.add_parser("show", help="显示本办公室的密钥指纹和已知单位的密钥")
    _common(p)
    p.set_defaults(handler=lambda a: run(a, _keys_show, _text_lines))
    p = cmds.add_parser("export", help="导出公钥文件（交给下级），或用 --identity 导出身份文件")
    _common(p)
    p.add_argument("--out", required=True, metavar="文件", help="保存位置")
    p.add_argument("--identity", action="store_true", help="导出含私钥的身份文件（需要密码）")
    p.add_argument("--password", metavar="密码", help="身份文件密码（不写时读环境变量 WQG_PASSWORD 或提示输入）")
    p.set_defaults(handler=lambda a: run(a, _keys_export, _text_lines))
    p = cmds.add_parser("new", help="丢失密钥（没有身份文件）时，为本办公室生成新密钥",
                        description="生成新的签名和加密密钥，包序号向前跳过，不会重复。之后上级导入本单位的包时会看到"
                                    "原指纹和新指纹，须电话核对后才接受。有身份文件时请改用 keys import 恢复原密钥。")
    _common(p)
    p.add_argument("--yes", action="store_true", help="确认停用本办公室的原密钥")
    p.set_defaults(handler=lambda a: run(a, _keys_new, _text_lines))
    p = cmds.add_parser("import", help="导入上级的公钥文件，或本办公室的身份文件")
    _common(p)
    p.add_argument("file", metavar="文件")
    p.add_argument("--yes", action="store_true", help="已电话核对指纹，信任这个公钥")
    p.add_argument("--replace", action="store_true", help="该单位更换了密钥：停用旧密钥，信任新的")
    p.add_argument("--password", metavar="密码", help="身份文件密码")
    p.set_defaults(handler=lambda a: run(a, _keys_import, _text_lines))


def _common(p: argparse.ArgumentParser) -> None:
    add_db_argument(p)
    add_json_argument(p)


def _text_lines(data: dict) -> str:
    lines = data.get("lines") if isinstance(data, dict) else None
    return "\n".join(lines) + "\n" if lines else ""


def _export(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    today = today_of(args)
    to_key = keys.read_key_file(Path(args.to)) if args.to else None
    with AppContext.open(path, clock=lambda: today) as ctx, ctx.acting("制作上报包"):
        target = by_uuid_prefix(Office, args.for_office, what="单位") if args.for_office else None  # type: ignore[type-var]
        out = Path(args.out).expanduser()
        if out.is_dir():
            me = ctx.office
            out = out / package.default_file_name(me.name if me else "本单位", today,
                                                   receiver=target.name if target else "")
        result = package.export_package(out=out, today=today, to_key=to_key, for_office=target)
    data = result.as_dict()
    minors = (f"未成年人信息已加密给指纹 {result.sealed_to} 的密钥" if result.sealed_to else
              f"没有接收单位的公钥，{result.minors_blanked} 条记录中的未成年人信息未随包报送")
    data["lines"] = [f"第 {result.sequence} 号包，{sum(result.counts.values())} 条记录，"
                     f"删除标记 {result.deleted} 条，附件 {result.attachments} 个。", minors,
                     f"本办公室密钥指纹：{result.fingerprint}（请接收单位电话核对）",
                     f"SHA-256：{result.sha256}"]
    return Result(message=f"上报包已生成并读回校验：{result.path}", data=data)


def _verify(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    with AppContext.open(path, read_only=True):
        preview = merge.preview_package(Path(args.file))
    data = preview.as_dict()
    data["lines"] = preview.lines()
    if preview.refusal:
        raise InputRefused(f"上报包校验通过，但不能导入：{preview.refusal}", details=data)
    return Result(message="上报包校验通过（签名、清单和每个文件都正确）。", data=data)


def _import(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    with AppContext.open(path) as ctx, ctx.acting("导入上报包"):
        preview = merge.preview_package(Path(args.file))
        if preview.refusal_reason == "key_changed" and args.replace_key:
            if not args.yes:
                raise InputRefused(
                    f"{preview.sender_name} 换了密钥：原来确认的指纹 {preview.previous_fingerprint}，"
                    f"新指纹 {preview.fingerprint}。请与该单位电话核对新指纹，一致后加 --yes 和 --reason 重新执行。",
                    details=preview.as_dict())
            if not (args.reason or "").strip():
                raise InputRefused("请用 --reason 写明更换该单位密钥的原因（例如：该单位电脑损坏，已电话核对新指纹）。")
            result = merge.import_package(Path(args.file), db_path=ctx.db_path,
                                          replace_key_reason=args.reason)
            data = result.as_dict()
            data["lines"] = result.preview.lines() + [
                f"已停用原密钥（{preview.previous_fingerprint}），信任新密钥（{preview.fingerprint}）。"]
            return Result(message="已更换该单位的密钥并导入。", data=data)
        if preview.key_status == "new" and not args.yes:
            raise InputRefused(
                f"{preview.sender_name} 的密钥是第一次见到，指纹：{preview.fingerprint}。请与该单位电话核对"
                "指纹，一致后加 --yes 重新执行以信任并导入。", details=preview.as_dict())
        result = merge.import_package(Path(args.file), trust_new_key=args.yes, db_path=ctx.db_path)
    data = result.as_dict()
    data["lines"] = result.preview.lines() + ([f"导入前的备份：{result.backup}"] if result.backup else [])
    message = "已导入。" if result.applied else "此上报包已经导入过，没有任何改动。"
    return Result(message=message, data=data)


def _copy(args: argparse.Namespace) -> Result:
    from wqg_desktop.exchange.archive import copy_package

    target, sha = copy_package(Path(args.file).expanduser(), Path(args.dir).expanduser())
    return Result(message=f"已复制并读回校验：{target}",
                  data={"file": str(target), "sha256": sha, "lines": [f"SHA-256：{sha}"]})


def _keys_show(args: argparse.Namespace) -> Result:
    from wqg_desktop.db.models import KnownKey

    path = existing_db_path(args)
    with AppContext.open(path, read_only=True) as ctx:
        ident = keys.identity()
        known = [{"office": k.office_name, "office_uuid": k.office_uuid, "fingerprint": k.fingerprint,
                  "confirmed": k.confirmed, "retired": k.retired, "first_seen": k.first_seen}
                 for k in KnownKey.select().order_by(KnownKey.office_name)]
        me = ctx.office
    data = {"office": me.name if me else None,
            "fingerprint": ident.fingerprint if ident else None,
            "sequence": ident.sequence if ident else 0, "known": known}
    data["lines"] = [f"本办公室：{data['office']}",
                     f"密钥指纹：{data['fingerprint'] or '尚未生成（第一次制作上报包时生成）'}",
                     f"已用上报包序号：{data['sequence']}"] + [
        f"  {k['office']}：{k['fingerprint']}（{'已停用' if k['retired'] else '已确认' if k['confirmed'] else '未确认'}）"
        for k in known]
    return Result(data=data)


def _password(args: argparse.Namespace) -> str:
    if args.password:
        return args.password
    if os.environ.get("WQG_PASSWORD"):
        return os.environ["WQG_PASSWORD"]
    if sys.stdin.isatty() and not args.json:
        return getpass.getpass("身份文件密码：")
    raise InputRefused("请用 --password 或环境变量 WQG_PASSWORD 提供身份文件密码。")


def _keys_export(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    out = Path(args.out).expanduser()
    with AppContext.open(path) as ctx, ctx.acting("导出密钥"):
        if args.identity:
            fp = keys.export_identity(out, _password(args))
            message = f"身份文件已导出（用密码保护）：{out}。请与密码分开妥善保管。"
        else:
            fp = keys.write_key_file(out).fingerprint
            message = f"公钥文件已导出：{out}。交给下级时请电话告知指纹。"
    return Result(message=message, data={"file": str(out), "fingerprint": fp,
                                         "lines": [f"密钥指纹：{fp}"]})


def _keys_new(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    if not args.yes:
        raise InputRefused("生成新密钥后，原密钥不再使用，上级须电话核对新指纹。有身份文件时请用 keys import 恢复原密钥；"
                           "确实丢失时加 --yes 重新执行。")
    with AppContext.open(path) as ctx, ctx.acting("生成新密钥"):
        ident = keys.regenerate_identity()
    return Result(message="已生成新密钥。请把新指纹电话告知上级，并尽快导出新的身份文件妥善保管。",
                  data={"fingerprint": ident.fingerprint, "sequence": ident.sequence,
                        "lines": [f"新密钥指纹：{ident.fingerprint}"]})


def _keys_import(args: argparse.Namespace) -> Result:
    path = existing_db_path(args)
    source = Path(args.file).expanduser()
    with AppContext.open(path) as ctx, ctx.acting("导入密钥"):
        if b"wqg-office-identity" in source.read_bytes()[:4096] if source.is_file() else False:
            ident = keys.import_identity(source, _password(args))
            return Result(message="身份文件已导入，本办公室的密钥已恢复。",
                          data={"fingerprint": ident.fingerprint, "sequence": ident.sequence,
                                "lines": [f"密钥指纹：{ident.fingerprint}", f"上报包序号从 {ident.sequence} 之后继续"]})
        key = keys.read_key_file(source)
        if not args.yes:
            raise InputRefused(f"“{key.office_name}”的公钥指纹：{key.fingerprint}。请电话核对，"
                               "一致后加 --yes 重新执行。", details={"fingerprint": key.fingerprint})
        keys.trust_key(office_uuid=key.office_uuid, office_name=key.office_name, level=key.level,
                       sign_public=key.sign_public, box_public=key.box_public, replace=args.replace)
    return Result(message=f"已信任“{key.office_name}”的公钥。",
                  data={"office": key.office_name, "fingerprint": key.fingerprint,
                        "lines": [f"密钥指纹：{key.fingerprint}"]})
