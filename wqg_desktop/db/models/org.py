"""The register: regions, bureaus, police types, units and the people around them."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from wqg_desktop.db.models.base import BaseModel, SyncedModel


class Region(SyncedModel):
    """A county/district (县、县级市、区), the 市直 group of a city, a city or a province.

    Renames and merges keep history: the current name is here, earlier ones in
    :class:`RegionName`; a merged region points at the one it went into.
    """

    id = AutoField()
    code = CharField(max_length=12, default="", index=True)
    name = CharField(max_length=50, index=True)
    kind = CharField(max_length=20)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    sort_order = IntegerField(default=0)
    merged_into = ForeignKeyField("self", null=True, backref="merged_from", on_delete="SET NULL")
    merged_on = DateField(null=True)


class RegionName(SyncedModel):
    """A name a region carried from ``valid_from`` until ``valid_to`` (exclusive)."""

    id = AutoField()
    region = ForeignKeyField(Region, backref="names", on_delete="CASCADE")
    name = CharField(max_length=50)
    valid_from = DateField(null=True)
    valid_to = DateField(null=True)
    note = TextField(default="")

    class Meta:
        table_name = "region_name_history"


class Bureau(SyncedModel):
    """A public security bureau or sub-bureau (县公安局, 市公安局XX分局, 市局支队…)."""

    id = AutoField()
    name = CharField(max_length=100, index=True)
    region = ForeignKeyField(Region, null=True, backref="bureaus", on_delete="SET NULL")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")
    merged_into = ForeignKeyField("self", null=True, backref="merged_from", on_delete="SET NULL")
    merged_on = DateField(null=True)


class BureauName(SyncedModel):
    id = AutoField()
    bureau = ForeignKeyField(Bureau, backref="names", on_delete="CASCADE")
    name = CharField(max_length=100)
    valid_from = DateField(null=True)
    valid_to = DateField(null=True)
    note = TextField(default="")

    class Meta:
        table_name = "bureau_name_history"


class PoliceType(SyncedModel):
    """警种. ``core`` marks the seven the campaign covers; a retired type keeps its units."""

    id = AutoField()
    code = CharField(max_length=20, unique=True)
    name = CharField(max_length=30, unique=True)
    core = BooleanField(default=False)
    sort_order = IntegerField(default=100)
    retired_on = DateField(null=True)
    retired_reason = TextField(default="")


class Unit(SyncedModel):
    """A grass-roots unit (科、所、队, 警务区, 中队, 大队…) that can create a post.

    ``name_key`` is the normalised name used to catch look-alike duplicates; ``pinyin`` holds
    the initials for search as you type.
    """

    id = AutoField()
    code = CharField(max_length=40, default="", index=True)
    name = CharField(max_length=120)
    name_key = CharField(max_length=120, index=True)
    pinyin = CharField(max_length=120, default="", index=True)
    region = ForeignKeyField(Region, backref="units", on_delete="RESTRICT", index=True)
    bureau = ForeignKeyField(Bureau, null=True, backref="units", on_delete="SET NULL")
    police_type = ForeignKeyField(PoliceType, backref="units", on_delete="RESTRICT", index=True)
    unit_kind = CharField(max_length=30, default="")
    head_name = CharField(max_length=50, default="")
    head_post = CharField(max_length=50, default="")
    head_phone = CharField(max_length=30, default="")
    rights_hotline = CharField(max_length=30, default="")
    address = CharField(max_length=200, default="")
    online = BooleanField(default=False)
    online_since = DateField(null=True)
    volunteer_team = CharField(max_length=100, default="")
    works_with_youth = BooleanField(default=True)
    youth_work_ended_on = DateField(null=True)
    youth_work_end_reason = TextField(default="")
    status = CharField(max_length=20, default="active", index=True)
    founded_on = DateField(null=True)
    closed_on = DateField(null=True)
    note = TextField(default="")


class UnitName(SyncedModel):
    """A name a unit carried; certificates print the name valid on their date."""

    id = AutoField()
    unit = ForeignKeyField(Unit, backref="names", on_delete="CASCADE")
    name = CharField(max_length=120)
    valid_from = DateField(null=True)
    valid_to = DateField(null=True)
    note = TextField(default="")

    class Meta:
        table_name = "unit_name_history"


class UnitHead(SyncedModel):
    """A head (负责人) of a unit over time; a new head must attend training again."""

    id = AutoField()
    unit = ForeignKeyField(Unit, backref="heads", on_delete="CASCADE")
    name = CharField(max_length=50)
    post = CharField(max_length=50, default="")
    phone = CharField(max_length=30, default="")
    since = DateField(null=True)
    until = DateField(null=True)


class UnitLineage(SyncedModel):
    """A merge or split: ``source`` went (wholly or partly) into ``target`` on ``on``."""

    id = AutoField()
    source = ForeignKeyField(Unit, backref="successors", on_delete="CASCADE")
    target = ForeignKeyField(Unit, backref="predecessors", on_delete="CASCADE")
    kind = CharField(max_length=10)  # merge | split
    on = DateField()
    titles_carried = TextField(default="[]")  # JSON list of title uuids carried over
    note = TextField(default="")


class ServiceCommitment(SyncedModel):
    """服务承诺 of a unit, shown in a prominent place and printed as the commitment board."""

    id = AutoField()
    unit = ForeignKeyField(Unit, backref="commitments", on_delete="CASCADE")
    text = TextField(default="")
    rights_content = TextField(default="")
    hotline = CharField(max_length=30, default="")
    address = CharField(max_length=200, default="")
    responsible_person = CharField(max_length=50, default="")
    published_on = DateField(null=True)


class Volunteer(SyncedModel):
    """A member of a unit's youth rights volunteer team."""

    id = AutoField()
    unit = ForeignKeyField(Unit, backref="volunteers", on_delete="CASCADE")
    name = CharField(max_length=50)
    phone = CharField(max_length=30, default="")
    joined_on = DateField(null=True)
    left_on = DateField(null=True)
    note = TextField(default="")


class NamingBody(SyncedModel):
    """A body that names posts (共青团南通市委, 南通市公安局…); joint naming is common."""

    id = AutoField()
    name = CharField(max_length=100, unique=True)
    level = IntegerField()
    region_name = CharField(max_length=50, default="")


class LeadingGroupMember(SyncedModel):
    """A member of the office's 创建活动领导小组 (one row per role; 兼 marks a second role)."""

    id = AutoField()
    role = CharField(max_length=20)
    name = CharField(max_length=50)
    post = CharField(max_length=100, default="")
    employer = CharField(max_length=100, default="")
    concurrent = BooleanField(default=False)
    sort_order = IntegerField(default=0)


class Supervisor(SyncedModel):
    """监督员: NPC deputies, CPPCC members, officials, journalists, youth workers…"""

    id = AutoField()
    name = CharField(max_length=50)
    category = CharField(max_length=20)
    employer = CharField(max_length=100, default="")
    phone = CharField(max_length=30, default="")
    appointed_on = DateField(null=True)
    term_end = DateField(null=True)
    note = TextField(default="")


class CalendarDay(BaseModel):
    """A day that breaks the Monday–Friday rule: a holiday or a 调休 working weekend day."""

    day = DateField(primary_key=True)
    workday = BooleanField()
    name = CharField(max_length=30, default="")
