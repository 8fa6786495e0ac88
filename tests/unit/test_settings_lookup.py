"""Office settings with defaults, and naming records by a UUID prefix."""

from __future__ import annotations

import pytest

from wqg_desktop.db.models import AuditLog, PoliceType, Region, Setting
from wqg_desktop.errors import NotFound
from wqg_desktop.services import lookup, settings

# --- settings ------------------------------------------------------------------------------


def test_defaults_before_anything_is_stored(empty_ctx) -> None:
    assert Setting.select().count() == 0
    assert settings.get("publicity_working_days") == 7
    assert settings.get("differential_convention") == "election"
    assert settings.get("complaint_reply_working_days") == 5
    assert settings.get("no_such_setting") is None
    everything = settings.all_settings()
    assert set(everything) == set(settings.DEFAULTS)
    assert everything["complaint_reply_working_days"] == 5
    assert all(label for _, label in settings.DEFAULTS.values())


def test_put_then_get_round_trips_json_values(empty_ctx) -> None:
    settings.put("publicity_working_days", 10)
    settings.put("officer_name", "王警官")
    settings.put("assessment_weights", {"inspection": 50})
    assert settings.get("publicity_working_days") == 10
    assert settings.get("officer_name") == "王警官"
    assert settings.get("assessment_weights") == {"inspection": 50}
    # stored as readable UTF-8 JSON
    assert Setting.get(Setting.key == "officer_name").value == '"王警官"'
    assert settings.all_settings()["publicity_working_days"] == 10
    assert settings.all_settings()["rereview_years"] == 2  # untouched default


def test_put_changes_are_audited_once(empty_ctx) -> None:
    settings.put("due_soon_days", 14)
    settings.put("due_soon_days", 21)
    before = AuditLog.select().count()
    settings.put("due_soon_days", 21)  # same value: nothing to record
    assert AuditLog.select().count() == before
    rows = list(AuditLog.select().where(AuditLog.entity_id == "due_soon_days").order_by(AuditLog.id))
    assert [r.action for r in rows] == ["新增", "修改"]
    assert '"14"' in rows[1].changes and '"21"' in rows[1].changes


def test_setup_stored_the_officer(ctx) -> None:
    assert settings.get("officer_name") == "测试民警"
    assert ctx.officer == "测试民警"


# --- lookup by UUID prefix -----------------------------------------------------------------

@pytest.fixture
def twins(ctx) -> tuple[Region, Region]:
    first = Region.create(uuid="abcd1234-0000-4000-8000-000000000001", name="甲区", kind="county")
    second = Region.create(uuid="abcd5678-0000-4000-8000-000000000002", name="乙区", kind="county")
    return first, second


@pytest.mark.parametrize("prefix", ["", "  ", "abc", "ab-"])
def test_prefix_too_short(twins, prefix: str) -> None:
    with pytest.raises(NotFound, match="至少输入 UUID 的前 4 位"):
        lookup.by_uuid_prefix(Region, prefix, what="地区")


def test_prefix_matching_nothing(twins) -> None:
    with pytest.raises(NotFound, match="没有 UUID 以“ffff9999”开头的地区"):
        lookup.by_uuid_prefix(Region, "ffff9999", what="地区")


def test_prefix_matching_two(twins) -> None:
    with pytest.raises(NotFound, match="对应多条地区，请多输入几位"):
        lookup.by_uuid_prefix(Region, "abcd", what="地区")


def test_prefix_matching_one(twins) -> None:
    first, second = twins
    assert lookup.by_uuid_prefix(Region, "abcd1", what="地区") == first
    assert lookup.by_uuid_prefix(Region, " ABCD5678 ") == second  # trimmed, any case
    assert lookup.by_uuid_prefix(Region, second.uuid) == second  # the whole UUID works too
    police = PoliceType.get(PoliceType.code == "zhian")
    assert lookup.by_uuid_prefix(PoliceType, police.uuid[:8]) == police


def test_like_wildcards_are_literal(twins) -> None:
    """``_`` and ``%`` in what a person types are not SQL wildcards."""
    for prefix in ("____", "%%%%", "abcd%"):
        with pytest.raises(NotFound, match="没有 UUID"):
            lookup.by_uuid_prefix(Region, prefix)


def test_not_found_is_refused_input(twins) -> None:
    with pytest.raises(NotFound) as err:
        lookup.by_uuid_prefix(Region, "0000")
    assert err.value.exit_code == 2
