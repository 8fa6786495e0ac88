"""Campaigns, candidates, titles and plaques: what the lifecycle engine moves along."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from wqg_desktop.db.models.base import Office, SyncedModel
from wqg_desktop.db.models.org import NamingBody, Unit


class Campaign(SyncedModel):
    """创建活动: one level × one term, run by ``owner_office``.

    The dates are the campaign's own; the term is a label and is never checked against them.
    """

    id = AutoField()
    level = IntegerField(index=True)
    term_start = IntegerField(index=True)
    name = CharField(max_length=150)
    stage = CharField(max_length=20, default="preparing", index=True)
    application_start = DateField(null=True)
    application_end = DateField(null=True)
    creation_start = DateField(null=True)
    creation_end = DateField(null=True)
    review_planned = DateField(null=True)
    publicity_start = DateField(null=True)
    publicity_end = DateField(null=True)
    naming_planned = DateField(null=True)
    naming_date = DateField(null=True)
    document_no = CharField(max_length=50, default="")
    quota = IntegerField(null=True)  # default for each sending office, from the upper level
    require_online = BooleanField(default=False)
    min_inspections = IntegerField(default=1)
    note = TextField(default="")


class CampaignNamingBody(SyncedModel):
    id = AutoField()
    campaign = ForeignKeyField(Campaign, backref="naming_bodies", on_delete="CASCADE")
    naming_body = ForeignKeyField(NamingBody, backref="+", on_delete="RESTRICT")
    sort_order = IntegerField(default=0)


class CampaignQuota(SyncedModel):
    """分配名额: the most units ``office`` may recommend to this campaign."""

    id = AutoField()
    campaign = ForeignKeyField(Campaign, backref="quotas", on_delete="CASCADE")
    office = ForeignKeyField(Office, backref="+", on_delete="CASCADE")
    quota = IntegerField()


class Candidate(SyncedModel):
    """创建单位: a unit in a campaign, from 推荐/申报 to 命名 (or not)."""

    id = AutoField()
    campaign = ForeignKeyField(Campaign, backref="candidates", on_delete="CASCADE", index=True)
    unit = ForeignKeyField(Unit, backref="candidacies", on_delete="RESTRICT", index=True)
    status = CharField(max_length=20, default="applied", index=True)
    recommended_by = ForeignKeyField(Office, null=True, backref="+", on_delete="SET NULL")
    applied_on = DateField(null=True)
    manual_score = FloatField(null=True)  # stands in until the assessment computes one
    review_note = TextField(default="")
    returned_reason = TextField(default="")
    withdrawn_reason = TextField(default="")
    demonstration = BooleanField(default=False)

    class Meta:
        indexes = ((("campaign", "unit"), True),)


class CandidateEvent(SyncedModel):
    """One transition of a candidate: from, to, when, by whom, why."""

    id = AutoField()
    candidate = ForeignKeyField(Candidate, backref="events", on_delete="CASCADE")
    from_status = CharField(max_length=20, default="")
    to_status = CharField(max_length=20)
    on = DateField()
    actor = CharField(max_length=100, default="")
    reason = TextField(default="")


class ReviewDecision(SyncedModel):
    """The 审核 of a campaign with its 20% differential and any explicit override."""

    id = AutoField()
    campaign = ForeignKeyField(Campaign, backref="review_decisions", on_delete="CASCADE")
    decided_on = DateField()
    reviewed = IntegerField()
    passed = IntegerField()
    convention = CharField(max_length=20)  # election | fail20
    max_pass = IntegerField()
    override = BooleanField(default=False)
    override_reason = TextField(default="")
    actor = CharField(max_length=100, default="")


class Objection(SyncedModel):
    """异议 raised during publicity against a candidate."""

    id = AutoField()
    candidate = ForeignKeyField(Candidate, backref="objections", on_delete="CASCADE")
    received_on = DateField()
    raised_by = CharField(max_length=100, default="")
    content = TextField()
    resolution = CharField(max_length=20, default="")  # "" open | dismissed | upheld
    resolved_on = DateField(null=True)
    resolution_note = TextField(default="")


class Title(SyncedModel):
    """称号 held by a unit at a level, named in a term. Lasts until something ends it.

    ``owner_office`` is the naming office: only it ends the title. ``unit_name`` keeps the
    name as it was on the naming date.
    """

    id = AutoField()
    unit = ForeignKeyField(Unit, backref="titles", on_delete="RESTRICT", index=True)
    level = IntegerField(index=True)
    term_start = IntegerField()
    kind = CharField(max_length=20, default="post")
    status = CharField(max_length=20, default="valid", index=True)
    status_changed_on = DateField(null=True)
    unit_name = CharField(max_length=120, default="")
    named_on = DateField(null=True)
    document_no = CharField(max_length=50, default="")
    certificate_no = CharField(max_length=50, default="", index=True)
    naming_bodies_text = CharField(max_length=200, default="")
    campaign = ForeignKeyField(Campaign, null=True, backref="titles", on_delete="SET NULL")
    candidate = ForeignKeyField(Candidate, null=True, backref="titles", on_delete="SET NULL")
    rectification_deadline = DateField(null=True)
    next_rereview_due = DateField(null=True)
    note = TextField(default="")


class TitleNamingBody(SyncedModel):
    id = AutoField()
    title = ForeignKeyField(Title, backref="naming_bodies", on_delete="CASCADE")
    naming_body = ForeignKeyField(NamingBody, backref="+", on_delete="RESTRICT")
    sort_order = IntegerField(default=0)


class TitleEvent(SyncedModel):
    """A step in a title's life: named, re-reviewed, rectified, cancelled, deregistered, revoked."""

    id = AutoField()
    title = ForeignKeyField(Title, backref="events", on_delete="CASCADE")
    kind = CharField(max_length=30)
    on = DateField()
    actor = CharField(max_length=100, default="")
    reason = TextField(default="")
    ground = CharField(max_length=30, default="")  # revocation ground
    finding = TextField(default="")  # 经查属实: what was verified, with its evidence
    evidence = TextField(default="")
    from_status = CharField(max_length=20, default="")
    to_status = CharField(max_length=20, default="")


class Plaque(SyncedModel):
    """The plaque that goes with a title, and its fate."""

    id = AutoField()
    title = ForeignKeyField(Title, backref="plaques", on_delete="CASCADE", unique=True)
    state = CharField(max_length=20, default="not_made")
    issued_on = DateField(null=True)
    state_changed_on = DateField(null=True)
    note = TextField(default="")


class ReReview(SyncedModel):
    """复核 of a titled unit, regular or irregular, and the re-check after rectification."""

    id = AutoField()
    title = ForeignKeyField(Title, backref="rereviews", on_delete="CASCADE")
    regular = BooleanField(default=True)
    on = DateField()
    passed = BooleanField(null=True)
    score = FloatField(null=True)
    rectification_deadline = DateField(null=True)
    recheck_on = DateField(null=True)
    recheck_passed = BooleanField(null=True)
    note = TextField(default="")
