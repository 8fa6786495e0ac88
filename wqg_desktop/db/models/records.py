"""日常工作台账: the daily work records of the creation period (sections 三 and 四)."""

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

from wqg_desktop.db.models.base import Office, SyncedModel
from wqg_desktop.db.models.org import PoliceType, Unit


class Consultation(SyncedModel):
    """咨询/投诉 from a young person.

    ``minor_*`` fields are sensitive personal data of a minor: stored only when entered,
    masked in every listing, print and export unless showing them is chosen and logged.
    """

    _audit_masked = frozenset({"minor_name", "minor_id_no", "minor_school", "minor_address"})
    _audit_free_text = frozenset({"content", "result"})

    id = AutoField()
    unit = ForeignKeyField(Unit, backref="consultations", on_delete="RESTRICT", index=True)
    kind = CharField(max_length=20)
    received_on = DateField(index=True)
    channel = CharField(max_length=20)
    age_band = CharField(max_length=20, default="")
    youth_group = CharField(max_length=40, default="")
    content = TextField()
    handler = CharField(max_length=50, default="")
    due_on = DateField(null=True, index=True)
    replied_on = DateField(null=True)
    result = TextField(default="")
    satisfaction = CharField(max_length=10, default="")
    minor_name = CharField(max_length=50, default="")
    minor_id_no = CharField(max_length=20, default="")
    minor_school = CharField(max_length=100, default="")
    minor_address = CharField(max_length=200, default="")


class Activity(SyncedModel):
    """专项整治, 专题维权活动, 志愿者活动, 行动月/行动日, 联合治理."""

    id = AutoField()
    kind = CharField(max_length=30, index=True)
    title = CharField(max_length=150)
    start_on = DateField(index=True)
    end_on = DateField(null=True)
    place = CharField(max_length=150, default="")
    place_kind = CharField(max_length=20, default="")  # 学校 | 社区 | 企业 | 其他
    people_reached = IntegerField(default=0)
    volunteers = IntegerField(default=0)
    description = TextField(default="")


class ActivityUnit(SyncedModel):
    id = AutoField()
    activity = ForeignKeyField(Activity, backref="units", on_delete="CASCADE")
    unit = ForeignKeyField(Unit, backref="activities", on_delete="CASCADE", index=True)


class TrainingSession(SyncedModel):
    """负责人培训 organised by a naming body."""

    id = AutoField()
    on = DateField()
    organiser_level = IntegerField()
    organiser = CharField(max_length=100, default="")
    topic = CharField(max_length=150)
    place = CharField(max_length=150, default="")


class TrainingAttendance(SyncedModel):
    id = AutoField()
    session = ForeignKeyField(TrainingSession, backref="attendance", on_delete="CASCADE")
    unit = ForeignKeyField(Unit, backref="trainings", on_delete="CASCADE", index=True)
    head_name = CharField(max_length=50)
    attended = BooleanField(default=True)


class CoBuilding(SyncedModel):
    """百岗千村共建: a unit paired with a village or community of a township/street."""

    id = AutoField()
    unit = ForeignKeyField(Unit, backref="cobuildings", on_delete="CASCADE", index=True)
    township = CharField(max_length=60)
    village = CharField(max_length=60)
    started_on = DateField(null=True)
    note = TextField(default="")


class CoBuildingHelp(SyncedModel):
    """Help given to a young person of a key group; ``minor_*`` are masked like complaints."""

    _audit_masked = frozenset({"minor_name", "minor_id_no"})
    _audit_free_text = frozenset({"description"})

    id = AutoField()
    cobuilding = ForeignKeyField(CoBuilding, backref="helps", on_delete="CASCADE")
    on = DateField()
    youth_group = CharField(max_length=40)
    help_kind = CharField(max_length=20)
    description = TextField(default="")
    minor_name = CharField(max_length=50, default="")
    minor_id_no = CharField(max_length=20, default="")


class PracticalProject(SyncedModel):
    """实事项目: one or two a year per police type."""

    id = AutoField()
    year = IntegerField(index=True)
    police_type = ForeignKeyField(PoliceType, backref="projects", on_delete="RESTRICT")
    unit = ForeignKeyField(Unit, null=True, backref="projects", on_delete="SET NULL")
    title = CharField(max_length=150)
    description = TextField(default="")
    done = BooleanField(default=False)


class Referral(SyncedModel):
    """转办、交办、会办 between offices, tracked to its close."""

    id = AutoField()
    kind = CharField(max_length=20)
    subject = CharField(max_length=200)
    from_office = ForeignKeyField(Office, null=True, backref="+", on_delete="SET NULL")
    to_unit = ForeignKeyField(Unit, null=True, backref="referrals", on_delete="SET NULL")
    to_office_name = CharField(max_length=100, default="")
    received_on = DateField()
    due_on = DateField(null=True, index=True)
    closed_on = DateField(null=True)
    result = TextField(default="")


class ContactPoint(SyncedModel):
    """联系点 a unit set up in a village, community, school or enterprise."""

    id = AutoField()
    unit = ForeignKeyField(Unit, backref="contact_points", on_delete="CASCADE")
    name = CharField(max_length=100)
    place_kind = CharField(max_length=20, default="")
    address = CharField(max_length=200, default="")
    established_on = DateField(null=True)


class ContactCardBatch(SyncedModel):
    """联系卡 handed out: how many, when, where."""

    id = AutoField()
    unit = ForeignKeyField(Unit, backref="contact_cards", on_delete="CASCADE")
    issued_on = DateField()
    count = IntegerField()
    where = CharField(max_length=150, default="")
