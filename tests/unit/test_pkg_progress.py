"""Progress of a preview and an import: every stage in order, by kind of record, to the end;
a refused package never reports writing or the end; 取消 stops before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_pkg_support import TODAY, add_units, bind, copy_db, file_digest

from wqg_desktop.db.models import PackageLog, Unit
from wqg_desktop.exchange import backups, merge, package
from wqg_desktop.exchange.manifest import PackageRefused

#: the shared fixtures (pkg_templates) live in test_pkg_support
pytest_plugins = ("test_pkg_support",)

PREVIEW_STAGES = ["正在校验签名与文件", "正在读取记录", "正在比对本库数据", "预览完成"]
IMPORT_STAGES = ["正在校验签名与文件", "正在读取记录", "正在比对本库数据", "正在备份本库", "正在写入",
                 "正在提交", "导入完成"]
WRITING = ("正在备份本库", "正在写入", "正在提交", "导入完成")


class Calls(list):
    """The ``progress`` calls, as (done, total, text)."""

    def __call__(self, done: int, total: int, text: str) -> None:
        self.append((done, total, text))

    def stages(self) -> list[str]:
        """The stages in the order first reported (the text before "…" or "："), deduplicated."""
        out: list[str] = []
        for _, _, text in self:
            stage = text.split("：")[0].rstrip("…")
            if stage not in out:
                out.append(stage)
        return out


def _in_order(calls: Calls) -> None:
    """The bar never goes back, its total is fixed once the package is opened."""
    done = [d for d, _, _ in calls]
    assert done == sorted(done)
    assert len({t for _, t, _ in calls[1:]}) == 1
    assert all(0 <= d <= t for d, t, _ in calls)


@pytest.fixture
def packages(pkg_templates, tmp_path) -> dict[str, Path]:
    """Two packages of county A (five units, then one more) and a city to take them in."""
    county = copy_db(pkg_templates["a"], tmp_path / "a.sqlite3")
    with bind(county):
        add_units(5)
        p1 = package.export_package(out=tmp_path / "p1.wqgpkg", today=TODAY).path
        add_units(1, seed=1)
        p2 = package.export_package(out=tmp_path / "p2.wqgpkg", today=TODAY).path
    return {"p1": p1, "p2": p2, "city": copy_db(pkg_templates["city"], tmp_path / "city.sqlite3"),
            "b": copy_db(pkg_templates["b"], tmp_path / "b.sqlite3")}


def test_preview_reports_each_stage_and_kind_in_order_to_the_end(packages) -> None:
    calls = Calls()
    with bind(packages["city"]):
        before = file_digest(packages["city"])
        preview = merge.preview_package(packages["p1"], calls)
        assert file_digest(packages["city"]) == before
    assert preview.diffs["Unit"].new == 5
    assert calls.stages() == PREVIEW_STAGES
    _in_order(calls)
    assert calls[0] == (0, 1, "正在校验签名与文件…")
    assert calls[-1][0] == calls[-1][1] and calls[-1][2] == "预览完成"
    assert [c for c in calls if c[0] == c[1]] == [calls[-1]]  # the end, once
    texts = [t for _, _, t in calls]
    for kind in ("基层单位", "咨询投诉", "共建帮扶记录"):  # records of these kinds travel
        assert f"正在读取记录：{kind}" in texts and f"正在比对本库数据：{kind}" in texts
    assert "正在读取记录：称号" not in texts  # none in the package: not announced
    # one call per stage and kind carried (a few dozen), never one per record
    assert len(calls) < 40


def test_import_reports_backup_writing_and_commit_then_the_end(packages) -> None:
    calls = Calls()
    with bind(packages["city"]) as ctx, ctx.acting("汇总"):
        result = merge.import_package(packages["p1"], trust_new_key=True, db_path=ctx.db_path,
                                      progress=calls)
        assert result.applied and Unit.select().count() == 5 and result.backup
    assert calls.stages() == IMPORT_STAGES
    _in_order(calls)
    texts = [t for _, _, t in calls]
    assert "正在写入：基层单位" in texts and "正在写入：咨询投诉" in texts
    assert texts.index("正在提交…") == len(texts) - 2
    assert calls[-1] == (calls[-1][1], calls[-1][1], "导入完成")
    # the same package again: a quick no-op, at its end at once
    again = Calls()
    with bind(packages["city"]) as ctx, ctx.acting("汇总"):
        assert not merge.import_package(packages["p1"], trust_new_key=True, db_path=ctx.db_path,
                                        progress=again).applied
    assert again.stages() == ["正在校验签名与文件", "此包已经导入过，没有改动"]
    assert again[-1][0] == again[-1][1]


def _refused(db: Path, pkg: Path) -> tuple[PackageRefused, Calls]:
    calls = Calls()
    with bind(db) as ctx, ctx.acting("汇总"):
        before, logged = file_digest(db), PackageLog.select().count()
        with pytest.raises(PackageRefused) as refused:
            merge.import_package(pkg, trust_new_key=True, db_path=ctx.db_path, progress=calls)
        assert file_digest(db) == before and PackageLog.select().count() == logged
        assert not backups.list_backups(ctx.db_path)
    assert calls, "the bar was never shown"
    assert not [t for _, _, t in calls if t.startswith(WRITING)], "a refused package reported writing"
    assert all(d < t for d, t, _ in calls), "a refused package reported its end"
    return refused.value, calls


def test_a_refused_package_reports_nothing_written_and_never_its_end(packages, tmp_path) -> None:
    broken = tmp_path / "cut.wqgpkg"
    broken.write_bytes(packages["p1"].read_bytes()[:-30])
    refused, calls = _refused(packages["city"], broken)  # at once: the file is cut short
    assert refused.reason == "truncated" and calls == [(0, 1, "正在校验签名与文件…")]
    refused, calls = _refused(packages["b"], packages["p1"])  # sent to the city, not to county B
    assert refused.reason == "wrong_office"
    assert calls.stages() == ["正在校验签名与文件", "正在读取记录"]
    with bind(packages["city"]) as ctx, ctx.acting("汇总"):
        merge.import_package(packages["p2"], trust_new_key=True, db_path=None)
    refused, calls = _refused(packages["city"], packages["p1"])  # older than the one taken in
    assert refused.reason == "sequence_old"
    assert calls.stages() == PREVIEW_STAGES[:3]


def _cancel_at(stage: str):  # type: ignore[no-untyped-def]
    def progress(done: int, total: int, text: str) -> None:
        if text.startswith(stage):
            raise merge.ImportCancelled()
    return progress


@pytest.mark.parametrize("stage", ["正在读取记录", "正在比对本库数据"])
def test_cancel_while_reading_or_comparing_changes_nothing(packages, stage) -> None:
    city = packages["city"]
    with bind(city) as ctx, ctx.acting("汇总"):
        before = file_digest(city)
        with pytest.raises(merge.ImportCancelled):
            merge.preview_package(packages["p1"], _cancel_at(stage))
        with pytest.raises(merge.ImportCancelled) as cancelled:
            merge.import_package(packages["p1"], trust_new_key=True, db_path=ctx.db_path,
                                 progress=_cancel_at(stage))
        assert file_digest(city) == before and not backups.list_backups(ctx.db_path)
        assert Unit.select().count() == 0
    assert "没有改动" in cancelled.value.message


@pytest.mark.parametrize("stage", ["正在备份本库", "正在写入", "正在提交", "导入完成"])
def test_no_cancel_once_writing_begins(packages, stage) -> None:
    """From the backup on, a cancel is ignored: the import goes through and is committed."""
    with bind(packages["city"]) as ctx, ctx.acting("汇总"):
        result = merge.import_package(packages["p1"], trust_new_key=True, db_path=ctx.db_path,
                                      progress=_cancel_at(stage))
        assert result.applied and Unit.select().count() == 5
        assert PackageLog.select().count() == 1


def test_the_previews_plan_is_written_as_is_unless_the_database_changed(packages) -> None:
    from test_pkg_support import add_units as add_own_units

    with bind(packages["city"]) as ctx, ctx.acting("汇总"):
        prepared = merge.prepare_import(packages["p1"])
        assert prepared.preview.diffs["Unit"].new == 5
        calls = Calls()
        result = merge.import_package(packages["p1"], trust_new_key=True, db_path=None,
                                      progress=calls, prepared=prepared)
        assert result.applied and Unit.select().count() == 5
        # written from the preview: not verified, read or compared again
        assert calls.stages() == ["正在写入", "正在提交", "导入完成"]  # (no backup: no db_path)
        _in_order(calls)
        assert calls[-1][0] == calls[-1][1]
        # the next package previewed, then the database changes before 确认导入: planned again,
        # on what the database holds now (the new local unit keeps its id, nothing collides)
        prepared = merge.prepare_import(packages["p2"])
        add_own_units(1, seed=7)
        again = Calls()
        result = merge.import_package(packages["p2"], trust_new_key=True, db_path=None,
                                      progress=again, prepared=prepared)
        assert again.stages() == [s for s in IMPORT_STAGES if s != "正在备份本库"] and result.applied
        assert Unit.select().count() == 5 + 1 + 1
        # a plan of another file is never written for this one
        stale = merge.prepare_import(packages["p1"])  # already imported: a no-op plan
        other = Calls()
        assert not merge.import_package(packages["p2"], trust_new_key=True, db_path=None,
                                        progress=other, prepared=stale).applied
        assert other.stages()[0] == "正在校验签名与文件"
