"""Local printing state: field positions on pre-printed paper, printer calibration, print log.

All three stay in this office (BaseModel, not synced): a layout and a calibration belong to
the paper and the printers on this desk, and the print log records what this office issued.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    FloatField,
    IntegerField,
    TextField,
)

from wqg_desktop.db.models.base import BaseModel, now


class PrintLayout(BaseModel):
    """Where the variable fields go on one kind of pre-printed paper (套打).

    ``fields`` is JSON: ``{field: {"x": mm, "y": mm, "w": mm, "h": mm, "size": pt,
    "align": "left|centre|right", "enabled": bool}}`` with x/y the top-left corner of the
    field's box measured from the paper's top-left corner. ``background`` is a scanned image
    of the blank paper, shown in the preview only and never printed.
    """

    id = AutoField()
    name = CharField(max_length=60, unique=True)
    kind = CharField(max_length=30, default="certificate")
    paper = CharField(max_length=10, default="A4")
    landscape = BooleanField(default=True)
    fields = TextField(default="{}")
    background = CharField(max_length=500, default="")
    updated_at = DateTimeField(default=now)


class PrinterCalibration(BaseModel):
    """A printer's offsets (mm, right and down) and scale for pre-printed paper."""

    id = AutoField()
    printer = CharField(max_length=200, unique=True)
    dx_mm = FloatField(default=0.0)
    dy_mm = FloatField(default=0.0)
    scale = FloatField(default=1.0)
    updated_at = DateTimeField(default=now)


class PrintLog(BaseModel):
    """One issued or drafted document: which certificate number went to whom, when, by whom.

    ``final`` rows are issues (a print to a printer or a 定稿 PDF); a certificate number is
    issued once, every later final print of it is a ``reprint``. Drafts are logged too, so
    the officer can see what was previewed, but they never count as issuing.
    """

    _audited = False  # the log is itself the record; auditing it would double every row

    id = AutoField()
    at = DateTimeField(default=now, index=True)
    actor = CharField(max_length=100, default="")
    kind = CharField(max_length=30, index=True)
    title_uuid = CharField(max_length=36, default="", index=True)
    certificate_no = CharField(max_length=50, default="", index=True)
    unit_name = CharField(max_length=120, default="")
    document_title = CharField(max_length=200, default="")
    copies = IntegerField(default=1)
    reprint = BooleanField(default=False)
    final = BooleanField(default=False)
    target = CharField(max_length=300, default="")  # printer name or file path
    layout = CharField(max_length=20, default="full")
    note = TextField(default="")
