"""Standards, inspections, surveys and attachments: the evidence behind a score."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from wqg_desktop.db.models.base import SyncedModel, now
from wqg_desktop.db.models.campaign import Campaign, Candidate, ReReview
from wqg_desktop.db.models.org import LeadingGroupMember, PoliceType, Supervisor, Unit


class Standard(SyncedModel):
    """创建标准: the basic standard (no police type) or one per police type.

    A campaign works on its own copy (``campaign``), frozen once an inspection uses it.
    """

    id = AutoField()
    name = CharField(max_length=100)
    police_type = ForeignKeyField(PoliceType, null=True, backref="standards", on_delete="SET NULL")
    campaign = ForeignKeyField(Campaign, null=True, backref="standards", on_delete="CASCADE")
    frozen = BooleanField(default=False)


class StandardItem(SyncedModel):
    id = AutoField()
    standard = ForeignKeyField(Standard, backref="items", on_delete="CASCADE")
    group_no = CharField(max_length=10, default="")
    text = TextField()
    weight = FloatField(default=1.0)
    scoring_rule = TextField(default="")
    sort_order = IntegerField(default=0)


class Inspection(SyncedModel):
    """检查: an inspection of a unit by the leading group during the creation period."""

    id = AutoField()
    campaign = ForeignKeyField(Campaign, null=True, backref="inspections", on_delete="SET NULL")
    candidate = ForeignKeyField(Candidate, null=True, backref="inspections", on_delete="SET NULL")
    unit = ForeignKeyField(Unit, backref="inspections", on_delete="RESTRICT", index=True)
    on = DateField(index=True)
    announced = BooleanField(default=True)
    findings = TextField(default="")
    problems = TextField(default="")
    rectification = TextField(default="")
    rectification_deadline = DateField(null=True)
    followup = TextField(default="")
    followup_on = DateField(null=True)
    followup_passed = BooleanField(null=True)
    score = FloatField(null=True)


class InspectionInspector(SyncedModel):
    id = AutoField()
    inspection = ForeignKeyField(Inspection, backref="inspectors", on_delete="CASCADE")
    name = CharField(max_length=50)
    member = ForeignKeyField(LeadingGroupMember, null=True, backref="+", on_delete="SET NULL")
    supervisor = ForeignKeyField(Supervisor, null=True, backref="+", on_delete="SET NULL")


class InspectionScore(SyncedModel):
    id = AutoField()
    inspection = ForeignKeyField(Inspection, backref="scores", on_delete="CASCADE")
    item = ForeignKeyField(StandardItem, backref="+", on_delete="RESTRICT")
    score = FloatField(null=True)
    note = TextField(default="")


class SurveyTemplate(SyncedModel):
    """A questionnaire: awareness and satisfaction questions plus the respondent's profile."""

    id = AutoField()
    name = CharField(max_length=100)
    campaign = ForeignKeyField(Campaign, null=True, backref="survey_templates", on_delete="CASCADE")


class SurveyQuestion(SyncedModel):
    """One question; ``kind`` is awareness | satisfaction | profile; options as a JSON list."""

    id = AutoField()
    template = ForeignKeyField(SurveyTemplate, backref="questions", on_delete="CASCADE")
    sort_order = IntegerField()
    kind = CharField(max_length=20)
    text = TextField()
    options = TextField(default="[]")


class SurveyRound(SyncedModel):
    """A survey of one unit's area during a review or re-review."""

    id = AutoField()
    template = ForeignKeyField(SurveyTemplate, backref="rounds", on_delete="RESTRICT")
    unit = ForeignKeyField(Unit, backref="survey_rounds", on_delete="RESTRICT", index=True)
    campaign = ForeignKeyField(Campaign, null=True, backref="survey_rounds", on_delete="SET NULL")
    rereview = ForeignKeyField(ReReview, null=True, backref="survey_rounds", on_delete="SET NULL")
    started_on = DateField(null=True)
    ended_on = DateField(null=True)
    sheets_printed = IntegerField(default=0)


class SurveySheet(SyncedModel):
    """One returned paper questionnaire.

    ``answers`` holds one character per question in template order: the option number
    (1–9) or ``0`` for a blank. Compact, because a campaign holds tens of thousands.
    ``entry`` 2 marks the second keying of a double-entry check.
    """

    id = AutoField()
    round = ForeignKeyField(SurveyRound, backref="sheets", on_delete="CASCADE", index=True)
    serial_no = IntegerField()
    entry = IntegerField(default=1)
    age_band = CharField(max_length=20, default="")
    youth_group = CharField(max_length=40, default="")
    answers = CharField(max_length=60)
    entered_by = CharField(max_length=50, default="")
    entered_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("round", "serial_no", "entry"), True),)


class Attachment(SyncedModel):
    """A photo or scanned document stored in the data folder, named by its SHA-256."""

    id = AutoField()
    entity = CharField(max_length=40, index=True)
    entity_uuid = CharField(max_length=36, index=True)
    filename = CharField(max_length=255)
    sha256 = CharField(max_length=64, index=True)
    size = IntegerField()
    media_type = CharField(max_length=100, default="")
    note = TextField(default="")
