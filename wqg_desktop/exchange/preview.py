"""What importing a package would change: the preview shown before anything changes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wqg_desktop.exchange import keys
from wqg_desktop.services.stats import LABELS


@dataclass
class KindDiff:
    new: int = 0
    changed: int = 0
    gone: int = 0
    unchanged: int = 0
    #: records of the package that this office keeps for another office (not overwritten)
    kept: int = 0


@dataclass
class ImportPreview:
    """What a package would change, computed without changing anything."""

    path: str
    sha256: str
    package_id: str
    kind: str
    sender_uuid: str
    sender_name: str
    sender_level: int
    fingerprint: str
    key_status: str
    sequence: int
    last_sequence: int
    period: str
    created_at: str
    counts: dict[str, int]
    diffs: dict[str, KindDiff]
    deletion_markers: int
    deregister_titles: int
    minors: str
    already_imported: bool
    #: the fingerprint confirmed before, when the package's differs (key_status "changed")
    previous_fingerprint: str = ""
    refusal: str = ""
    refusal_reason: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(d.new + d.changed + d.gone for d in self.diffs.values()) + self.deregister_titles

    def totals(self) -> dict[str, int]:
        out = {"new": 0, "changed": 0, "gone": 0, "unchanged": 0, "kept": 0}
        for d in self.diffs.values():
            for key in out:
                out[key] += getattr(d, key)
        return out

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["diffs"] = {k: v.__dict__ for k, v in self.diffs.items()}
        data["totals"] = self.totals()
        data["changes"] = self.changes
        data["key_status_label"] = keys.KEY_STATUS_LABELS.get(self.key_status, self.key_status)
        return data

    def lines(self) -> list[str]:
        """The preview in Chinese, for the command line and the confirmation box."""
        t = self.totals()
        out = [f"发送单位：{self.sender_name}（{'下发' if self.kind == 'down' else '上报'}，"
               f"第 {self.sequence} 号，{self.period}，生成于 {self.created_at}）",
               f"密钥指纹：{self.fingerprint}（{keys.KEY_STATUS_LABELS.get(self.key_status, '')}）"
               + (f"；原来确认的指纹：{self.previous_fingerprint}" if self.previous_fingerprint else ""),
               f"新增 {t['new']} 条，修改 {t['changed']} 条，删除 {t['gone']} 条，"
               f"未变 {t['unchanged']} 条" + (f"，本库已有其他单位的 {t['kept']} 条不覆盖" if t["kept"] else "")]
        for kind, d in self.diffs.items():
            if d.new or d.changed or d.gone:
                out.append(f"  {LABELS.get(kind, kind)}：新增 {d.new}，修改 {d.changed}，删除 {d.gone}")
        if self.deregister_titles:
            out.append(f"本级称号随单位工作性质改变而注销：{self.deregister_titles} 个")
        out += self.warnings
        if self.already_imported:
            out.append("此上报包已经导入过，再次导入不会改变任何数据。")
        if self.refusal:
            out.append(f"不能导入：{self.refusal}")
        return out
