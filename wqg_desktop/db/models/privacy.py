"""The log of deliberate choices to show a minor's identity (DOMAIN, "Sensitive data").

Local to this office: a disclosure is a decision of this office's officer, it never travels in
a package, and it is never edited or deleted by the program.
"""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, TextField

from wqg_desktop.db.models.base import BaseModel, now


class MinorDataDisclosure(BaseModel):
    """One record whose minor's name, ID number, school or address was shown unmasked.

    ``purpose`` says where it was shown (屏幕显示, 打印台账, 导出 Excel); ``reason`` is the
    officer's written reason, required.
    """

    _audited = False  # privacy.disclose() writes its own audit row with the reason

    id = AutoField()
    at = DateTimeField(default=now, index=True)
    actor = CharField(max_length=100)
    entity = CharField(max_length=40)
    entity_uuid = CharField(max_length=36, index=True)
    purpose = CharField(max_length=20)
    reason = TextField()
