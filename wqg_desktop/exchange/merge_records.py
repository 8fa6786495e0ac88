"""Working out what a package changes among the records, a column at a time (part of merge.py).

A county package holds ~50k records; a city takes in ten of them, a province a hundred
counties' worth. The records arrive by column (:class:`reader.KindRecords`), and every step
here works on whole columns or sets of UUIDs with C-level built-ins (set, map, zip,
itemgetter) rather than record by record; the rules are those of merge.py's docstring.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from wqg_desktop.db.dialect import IdReserver, placeholders
from wqg_desktop.db.models import Office, SyncedModel, Title, Unit, database
from wqg_desktop.domain.statuses import TitleStatus
from wqg_desktop.exchange import codec, keys
from wqg_desktop.exchange.manifest import PackageRefused
from wqg_desktop.exchange.preview import KindDiff
from wqg_desktop.exchange.reader import KindRecords, KindStep

if TYPE_CHECKING:
    from wqg_desktop.exchange.merge import _Plan

_LIVE = (TitleStatus.VALID, TitleStatus.RECTIFYING)


def _pick(column: list[Any], positions: Sequence[int], everything: bool) -> list[Any]:
    """The values of ``column`` at ``positions`` (the column itself when that is all of it)."""
    if everything:
        return column
    if len(positions) == 1:
        return [column[positions[0]]]
    return list(itemgetter(*positions)(column)) if positions else []


def _unseal(model: type[SyncedModel], records: KindRecords, opener: keys.Opener) -> None:
    """Put each sealed record's minors' data (and unmasked free text) into its columns."""
    sealable = codec.sealed_fields(model)
    position = {name: k for k, name in enumerate(records.names)}
    uids = records.column("uuid")
    columns = records.columns
    open_one = opener.open
    for i, text in records.sealed.items():
        values = open_one(uids[i], text)
        if values is None or not values.keys() <= sealable:
            raise PackageRefused("bad_record", f"{model.__name__} {uids[i]} 的加密内容无法解开")
        for name, value in values.items():
            if name in position:
                columns[position[name]][i] = value


def plan_records(plan: _Plan, me: Office, scope: set[str], office_ids: dict[str, int],
                 opener: keys.Opener | None, progress: KindStep | None = None) -> None:
    """Fill ``plan`` with the inserts, updates and deletions of the package's records
    (``progress``: before each kind, in both passes: matching, then building the rows)."""
    contents, m, preview = plan.contents, plan.opened.manifest, plan.preview
    scope_ids = sorted(office_ids[u] for u in scope)
    models = codec.synced_models()
    # uuid → local id, filled as needed: the sender's rows here, the package's records found
    # elsewhere in this database, the new ones, and any other record a reference names
    uuid_to_id: dict[type, dict[str, int]] = {model: {} for model in models}
    uuid_to_id[Office] = office_ids
    where_scope = f'"owner_office_id" IN ({placeholders(database, len(scope_ids))})'
    work: list[tuple[type[SyncedModel], KindRecords, KindDiff, list[int], list[int], list[tuple]]] = []
    foreign_kept = 0
    gone_uuids: set[str] = set()
    for model in models:
        records = contents.kinds.get(model)
        if records is None:
            records = KindRecords(["uuid", "owner"], [[], []])
        if progress is not None:
            progress(model.__name__, len(records))
        uids, owners = records.column("uuid"), records.column("owner")
        count = len(uids)
        uuid_pos = 1 + [f.name for f in codec.fields_of(model)].index("uuid")
        local = {row[uuid_pos]: row for row in codec.select_raw(model, where_scope, scope_ids)}
        ids = uuid_to_id[model]
        ids.update((u, row[0]) for u, row in local.items())
        refs = records.refs
        if refs:
            ref_set = set(refs)
            own = [i for i in range(count) if i not in ref_set]
            own_uids = [uids[i] for i in own]
            own_owners = [owners[i] for i in own]
        else:
            own, own_uids, own_owners = range(count), uids, owners
        found = codec.lookup_ids(model, [u for u in uids if u not in local] if local else uids)
        ids.update((u, rid) for u, (rid, _) in found.items())
        new_ids = IdReserver(database, model._meta.table_name)
        diff = KindDiff()
        inserts: list[int] = []  # positions of the records to insert: references, then new ones
        for i in refs:
            uid = uids[i]
            if owners[i] in scope:
                raise PackageRefused("bad_record", f"{model.__name__} {uid} 标为引用却属于发送单位")
            if uid not in ids:
                if owners[i] == me.uuid:
                    raise PackageRefused("conflict", f"包中引用了本办公室已删除的记录 {uid}")
                ids[uid] = new_ids.take(1)[0]
                inserts.append(i)
        if not set(own_owners) <= scope:
            uid = next(u for u, o in zip(own_uids, own_owners, strict=True) if o not in scope)
            raise PackageRefused("bad_record", f"{model.__name__} {uid} 不属于发送单位或其下级")
        incoming = set(own_uids)
        if records.sealed and opener is not None:
            _unseal(model, records, opener)
        if local or found:
            # changed or not: compared below, as SQLite holds them
            candidates = [i for i in own if uids[i] in local]
            # this office, or another office, keeps these: never overwritten
            kept = [u for u in own_uids if u not in local and u in found]
            new = [i for i in own if uids[i] not in local and uids[i] not in found]
        else:  # the usual first package of an office: every record is new
            candidates, kept, new = [], [], list(own)
        diff.kept = len(kept)
        foreign_kept += sum(1 for u in kept if found[u][1] not in (None, me.id))
        diff.new = len(new)
        ids.update(zip(_pick(uids, new, len(new) == count), new_ids.take(len(new)), strict=True))
        inserts += new
        gone = [row[0] for uid, row in local.items() if uid not in incoming]
        gone_uuids.update(uid for uid in local if uid not in incoming)
        diff.gone = len(gone)
        if gone:
            plan.deletes[model] = gone
        if count or gone:
            preview.diffs[model.__name__] = diff
        work.append((model, records, diff, inserts, candidates, [local[uids[i]] for i in candidates]))
    if foreign_kept:
        preview.warnings.append(f"包中有 {foreign_kept} 条记录在本库中属于其他单位，未覆盖。")
    # references resolved only now: every new record has its id
    for model, records, diff, inserts, candidates, old_rows in work:
        chosen = inserts + candidates
        if not chosen:
            continue
        if progress is not None:
            progress(model.__name__, len(chosen))
        everything = len(chosen) == len(records) and chosen == list(range(len(chosen)))
        uids = _pick(records.column("uuid"), chosen, everything)
        ids = uuid_to_id[model]
        columns = [_db_column(model, f, uids, _pick(values, chosen, everything), uuid_to_id, gone_uuids)
                   for f, values in zip(codec.fields_of(model), records.columns, strict=True)]
        n = len(inserts)
        id_column = [ids[u] for u in uids[:n]] + [old[0] for old in old_rows]
        rows = list(zip(id_column, *columns, strict=True))
        if inserts:
            plan.inserts[model] = rows[:n] if candidates else rows
        updates = []
        for old, row in zip(old_rows, rows[n:], strict=True):
            # compared as SQLite holds them: the same values mean the same record
            if old == row:
                diff.unchanged += 1
            else:
                diff.changed += 1
                updates.append((*row[1:], row[0]))
        if updates:
            plan.updates[model] = updates
    units = contents.kinds.get(Unit)
    if m.kind == "up" and units is not None:
        refs = set(units.refs)
        uids = units.column("uuid")
        ended = [uuid_to_id[Unit][uids[i]] for i, youth in enumerate(units.column("works_with_youth"))
                 if youth is False and i not in refs]
        if ended:
            live = (Title.select(Title.unit).where(Title.unit.in_(ended), Title.owner_office == me.id,
                                                   Title.status.in_(_LIVE)).tuples())
            found_units = [u for (u,) in live]
            plan.deregister_units = sorted(set(found_units))
            preview.deregister_titles = len(found_units)


def _db_column(model: type[SyncedModel], f: Any, uids: list[str], values: list[Any],
               uuid_to_id: dict[type, dict[str, int]], gone_uuids: set[str]) -> list[Any]:
    target = codec.fk_target(f)
    if target is None:
        return codec.db_column(f, values, None)
    known = uuid_to_id.get(target)
    if known is None:
        return [None] * len(values)  # a reference to a kind that does not travel
    named = set(values)
    with_none = None in named
    named.discard(None)
    wanted = named - known.keys()
    if wanted:  # records of this database the package names but does not carry
        known.update((u, rid) for u, (rid, _) in codec.lookup_ids(target, wanted).items())
    if (wanted - known.keys()) or (gone_uuids and not gone_uuids.isdisjoint(named)):
        for uid, v in zip(uids, values, strict=True):
            if v is not None and (v not in known or v in gone_uuids):
                raise PackageRefused("bad_record", f"{model.__name__} {uid} 引用了不存在的记录 {v}")
    if not with_none:
        return list(map(known.__getitem__, values))
    return [None if v is None else known[v] for v in values]
