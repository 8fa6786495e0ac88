"""Local state of the package exchange: this office's keys, the keys it knows, the package log.

None of these travel: they are :class:`BaseModel`, not :class:`SyncedModel`.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateTimeField,
    IntegerField,
    TextField,
)

from wqg_desktop.db.models.base import BaseModel, now


class OfficeIdentity(BaseModel):
    """This office's signing (Ed25519) and sealing (X25519) keys and its package counter.

    One row. The private keys are kept wrapped with this installation's secret, which lives in
    the data folder outside the database (exchange/keystore.py), so the database or a backup
    alone carries no usable key; they leave the office only inside a password-protected
    identity file. Rows written before wrapping existed hold them raw until the next package. ``sequence`` is the
    number of the last package made and never goes back, not even after a restore.
    """

    _audited = False  # private keys must never be copied into the audit trail

    id = AutoField()
    office_uuid = CharField(max_length=36, unique=True)
    sign_private = BlobField()
    box_private = BlobField()
    sign_public = CharField(max_length=64)
    box_public = CharField(max_length=64)
    fingerprint = CharField(max_length=64)
    sequence = IntegerField(default=0)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class KnownKey(BaseModel):
    """The public keys of another office, as first seen in a package or a key file.

    ``confirmed`` means an officer compared the fingerprint by telephone (or trusted it on
    import). A different key for the same office is refused until it is replaced on purpose.
    """

    id = AutoField()
    office_uuid = CharField(max_length=36, index=True)
    office_name = CharField(max_length=100, default="")
    level = IntegerField(default=0)
    sign_public = CharField(max_length=64)
    box_public = CharField(max_length=64, default="")
    fingerprint = CharField(max_length=64, index=True)
    first_seen = DateTimeField(default=now)
    confirmed = BooleanField(default=False)
    confirmed_at = DateTimeField(null=True)
    retired = BooleanField(default=False)
    note = TextField(default="")


class PackageLog(BaseModel):
    """Every package made here or taken in: id, office, sequence, hash, counts, result.

    ``uuids`` (sent packages only) is the zlib-compressed JSON list of the record UUIDs the
    package carried, so the next package can list what was deleted since.
    """

    _audited = False  # a log itself; each import writes its own audit row

    id = AutoField()
    direction = CharField(max_length=10, index=True)  # sent | received | refused
    package_id = CharField(max_length=36, index=True)
    kind = CharField(max_length=10, default="up")  # up | down
    office_uuid = CharField(max_length=36, index=True)
    office_name = CharField(max_length=100, default="")
    sequence = IntegerField(default=0)
    sha256 = CharField(max_length=64, default="")
    file_name = CharField(max_length=255, default="")
    counts = TextField(default="{}")
    at = DateTimeField(default=now, index=True)
    result = TextField(default="")
    uuids = BlobField(null=True)
