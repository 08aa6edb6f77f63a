"""Every write to a record that travels between devices goes through the journal.

The journal stamps each written field with a hybrid-logical-clock timestamp and the timestamp
it replaced (its *base*), bumps the row's local change counter (``_seq``) so sync can find what
changed since the last bundle, records deletions as tombstones, and keeps the full-text index
of each touched case up to date once per transaction. Sync applies remote rows through the same
object (``apply_remote_row``), so local and remote writes obey the same rules.

Conflict rule: for each field the higher clock wins (timestamps embed the device id, so ties
cannot happen); an incoming value whose base is not the value we hold was written concurrently
(unless both come from one device, whose later write saw its earlier one, except after that
device was restored from a backup), and the losing value is kept in ``conflicts`` for a
supervisor to review. Deletion wins over
any edit: a tombstoned record never comes back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from practitioner_toolkit.store.clock import HybridLogicalClock, parse_hlc
from practitioner_toolkit.store.database import Database
from practitioner_toolkit.store.timeutil import utc_now


@dataclass(frozen=True)
class EntitySpec:
    """How one kind of synced record maps onto its table."""

    name: str
    table: str
    key: tuple[str, ...]
    fields: tuple[str, ...]
    parent: str | None = None  # entity whose tombstone removes this record too
    parent_field: str | None = None  # column holding the parent's id

    def entity_id(self, key_values: tuple[str, ...]) -> str:
        return "/".join(key_values)

    def key_values(self, entity_id: str) -> tuple[str, ...]:
        parts = tuple(entity_id.split("/", len(self.key) - 1))
        if len(parts) != len(self.key) or not all(parts):
            raise ValueError(f"bad {self.name} id")
        return parts


ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        EntitySpec(
            "case",
            "cases",
            ("id",),
            (
                "reference",
                "status",
                "post",
                "opened_at",
                "opened_by",
                "closed_at",
                "given_name",
                "family_name",
                "alias",
                "sex",
                "birth_year",
                "age_estimate",
                "age_uncertain",
                "nationality",
                "languages",
            ),
        ),
        EntitySpec(
            "session",
            "sessions",
            ("id",),
            (
                "case_id",
                "form_id",
                "form_version",
                "officer_language",
                "interviewee_language",
                "interpreter_used",
                "interpreter_language",
                "post",
                "status",
                "started_at",
                "started_by",
                "finished_at",
                "current_section",
            ),
            parent="case",
            parent_field="case_id",
        ),
        EntitySpec(
            "answer",
            "answers",
            ("session_id", "question_id"),
            ("value", "search_text", "answered_at", "answered_by"),
            parent="session",
            parent_field="session_id",
        ),
        EntitySpec(
            "note",
            "notes",
            ("session_id", "section_id"),
            ("text", "updated_at", "updated_by"),
            parent="session",
            parent_field="session_id",
        ),
        EntitySpec(
            "outcome",
            "outcomes",
            ("session_id",),
            ("code", "detail", "decided_by", "decided_at"),
            parent="session",
            parent_field="session_id",
        ),
        EntitySpec(
            "agency",
            "agencies",
            ("id",),
            (
                "name",
                "kind",
                "services",
                "languages",
                "area",
                "address",
                "phone",
                "email",
                "hours",
                "notes",
                "verified_on",
            ),
        ),
        EntitySpec(
            "referral",
            "referrals",
            ("id",),
            (
                "case_id",
                "session_id",
                "agency_id",
                "reference",
                "services",
                "urgency",
                "reason",
                "consent",
                "shared_fields",
                "summary",
                "created_at",
                "created_by",
                "exported_at",
            ),
            parent="case",
            parent_field="case_id",
        ),
    )
}

# Children removed with a parent, in the order they are purged.
_CHILDREN: dict[str, list[EntitySpec]] = {}
for _spec in ENTITIES.values():
    if _spec.parent:
        _CHILDREN.setdefault(_spec.parent, []).append(_spec)

FieldValue = str | int | float | None
_CHUNK = 2000  # rows per bulk step; also the most ids bound into one IN (...) query
_BULK_REINDEX = 50  # from this many touched cases, the search index is rebuilt in bulk
_quote = json.encoder.encode_basestring_ascii  # what json.dumps uses, in C


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _clock_json(clocks: Mapping[str, FieldClock]) -> str:
    """``_clock`` as ``_upsert`` writes it (the same text as its ``json.dumps``), but faster."""
    parts = (f"{_quoted(f)}:{_quoted_clock(c.hlc, c.base)}" for f, c in sorted(clocks.items()))
    return "{" + ",".join(parts) + "}"


@lru_cache(maxsize=512)
def _quoted(name: str) -> str:
    return _quote(name)


@lru_cache(maxsize=4096)
def _quoted_clock(hlc: str, base: str) -> str:
    # The fields of a record written at once share one clock: most rows hit this cache.
    return f"[{_quote(hlc)},{_quote(base)}]"


def _lineage(spec: EntitySpec) -> set[str]:
    """The entity kind and its ancestors: a tombstone on any of them covers a record."""
    names = {spec.name}
    while spec.parent is not None:
        spec = ENTITIES[spec.parent]
        names.add(spec.name)
    return names


@dataclass(frozen=True)
class FieldClock:
    hlc: str
    base: str  # the clock of the value this one replaced ("" when it replaced nothing)


@dataclass(frozen=True)
class RowState:
    """A record's synced fields with their clocks: the unit sync exports and imports."""

    entity: str
    entity_id: str
    values: dict[str, FieldValue]
    clocks: dict[str, FieldClock]


@dataclass(frozen=True)
class Tombstone:
    entity: str
    entity_id: str
    hlc: str


@dataclass
class ApplyStats:
    fields_applied: int = 0
    fields_ignored: int = 0
    conflicts: int = 0
    tombstones_applied: int = 0


class Journal:
    def __init__(self, db: Database, clock: HybridLogicalClock) -> None:
        self._db = db
        self.clock = clock
        self._seq = int(db.scalar("SELECT value FROM meta WHERE key = 'seq'") or 0)
        self._dirty_cases: set[str] = set()
        self._session_case: dict[str, str] = {}
        self._alive: set[tuple[str, str]] = set()  # parents seen to exist (so not deleted)

    # -- local writes --------------------------------------------------------------------

    def write(self, entity: str, entity_id: str, values: Mapping[str, FieldValue]) -> bool:
        """Set fields of a record (creating it if needed). Returns False if nothing changed."""
        spec = ENTITIES[entity]
        unknown = set(values) - set(spec.fields)
        if unknown:
            raise ValueError(f"{entity} has no fields {sorted(unknown)}")
        with self._db.transaction():
            current, clocks = self._read_row(spec, entity_id, list(values))
            # A tombstone removes its row (and its children's), so only a record that does not
            # exist yet can have been deleted.
            if current is None and self._is_tombstoned(spec, entity_id, values):
                raise LookupError(f"{entity} was deleted")
            changed = {f: v for f, v in values.items() if current is None or current.get(f) != v}
            if not changed:
                return False
            stamp = self.clock.now()
            for name in changed:
                old = clocks.get(name)
                clocks[name] = FieldClock(stamp, old.hlc if old else "")
            self._upsert(spec, entity_id, changed, clocks)
            self._mark_case_dirty(spec, entity_id, {**(current or {}), **changed})
            return True

    def insert_new(self, entity: str, rows: Sequence[tuple[str, Mapping[str, FieldValue]]]) -> None:
        """Create many records that are new by construction (fresh random ids) at once.

        One statement for the batch instead of a read and a write per record; used when a
        whole screening is recorded in one go. An id that already exists is a bug and fails.
        """
        if not rows:
            return
        spec = ENTITIES[entity]
        names = list(rows[0][1])
        if set(names) - set(spec.fields) or any(list(values) != names for _i, values in rows):
            raise ValueError(f"{entity} rows must all set the same known fields")
        with self._db.transaction():
            payload = []
            # Every field of a new row shares one stamp: fill it into a prepared JSON shape.
            shape = json.dumps(
                {name: ["\u0000", ""] for name in sorted(names)}, separators=(",", ":")
            )
            for entity_id, values in rows:
                clock_json = shape.replace("\\u0000", self.clock.now())
                payload.append(
                    (
                        *spec.key_values(entity_id),
                        *(values[n] for n in names),
                        clock_json,
                        self._next_seq(),
                    )
                )
            columns = [*spec.key, *names, "_clock", "_seq"]
            self._db.executemany(
                f"INSERT INTO {spec.table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                payload,
            )
            for entity_id, values in rows:
                self._mark_case_dirty(spec, entity_id, values)

    def delete(self, entity: str, entity_id: str) -> None:
        """Remove a record and its children for good, leaving a tombstone that syncs."""
        if entity not in ENTITIES:
            raise ValueError(f"unknown entity {entity!r}")
        with self._db.transaction():
            self._apply_tombstone(Tombstone(entity, entity_id, self.clock.now()), local=True)

    # -- sync-facing ---------------------------------------------------------------------

    @property
    def last_seq(self) -> int:
        return self._seq

    def rows_changed_since(self, seq: int) -> Iterator[RowState]:
        """Every synced row whose local change counter is above ``seq``, all entities."""
        for spec in ENTITIES.values():
            columns = ", ".join([*spec.key, *spec.fields, "_clock"])
            rows = self._db.query(
                f"SELECT {columns} FROM {spec.table} WHERE _seq > ? ORDER BY _seq", (seq,)
            )
            for row in rows:
                key_values = tuple(str(v) for v in row[: len(spec.key)])
                raw_clocks = json.loads(row[-1])
                field_values = dict(zip(spec.fields, row[len(spec.key) : -1], strict=True))
                clocks = {f: FieldClock(*c) for f, c in raw_clocks.items()}
                yield RowState(
                    spec.name,
                    spec.entity_id(key_values),
                    {f: field_values[f] for f in clocks},
                    clocks,
                )

    def tombstones_since(self, seq: int) -> list[Tombstone]:
        rows = self._db.query(
            "SELECT entity, entity_id, hlc FROM tombstones WHERE _seq > ? ORDER BY _seq", (seq,)
        )
        return [Tombstone(*row) for row in rows]

    def apply_remote_row(self, row: RowState, stats: ApplyStats) -> None:
        """Merge one remote row state field by field (call inside a transaction)."""
        spec = ENTITIES[row.entity]
        if set(row.values) - set(spec.fields) or set(row.clocks) != set(row.values):
            raise ValueError(f"malformed {row.entity} row")
        if self._is_tombstoned(spec, row.entity_id, row.values):
            stats.fields_ignored += len(row.values)
            return
        current, clocks = self._read_row(spec, row.entity_id, list(row.values))
        changed: dict[str, FieldValue] = {}
        for name, incoming in row.clocks.items():
            self.clock.observe(incoming.hlc)
            local = clocks.get(name)
            remote_value = row.values[name]
            if local is not None and local.hlc == incoming.hlc:
                stats.fields_ignored += 1
                continue
            local_value = current.get(name) if current else None
            incoming_wins = local is None or incoming.hlc > local.hlc
            if local is not None and local_value != remote_value:
                # Sequential if the winning write had seen the losing one. A device's field
                # clocks only move forward, so its own later write has seen its earlier one
                # (its bundles arriving out of order are no conflict) and was based on that
                # clock or a later one; a base older than its own earlier write means the
                # device lost that write (restored from a backup), and the loss is recorded.
                winner_base, loser_hlc = (
                    (incoming.base, local.hlc) if incoming_wins else (local.base, incoming.hlc)
                )
                same_device = parse_hlc(incoming.hlc)[2] == parse_hlc(local.hlc)[2]
                sequential = winner_base == loser_hlc or (same_device and winner_base > loser_hlc)
                if not sequential:
                    winner = (
                        (incoming.hlc, remote_value) if incoming_wins else (local.hlc, local_value)
                    )
                    loser = (
                        (local.hlc, local_value) if incoming_wins else (incoming.hlc, remote_value)
                    )
                    self._record_conflict(row.entity, row.entity_id, name, winner, loser)
                    stats.conflicts += 1
            if incoming_wins:
                changed[name] = remote_value
                clocks[name] = incoming
                stats.fields_applied += 1
            else:
                stats.fields_ignored += 1
        if changed:
            self._upsert(spec, row.entity_id, changed, clocks)
            self._mark_case_dirty(spec, row.entity_id, {**(current or {}), **changed})

    def apply_remote_rows(
        self,
        rows: Sequence[RowState],
        stats: ApplyStats,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Merge many remote rows (call inside a transaction): a fast path for sync imports.

        The result is that of ``apply_remote_row`` for each row, entity kinds in ``ENTITIES``
        order (parents before children). Rows this device has never held and that no tombstone
        covers cannot merge with anything, so they are inserted in bulk; the others take the
        field-by-field path. ``progress(done, total)`` is called between chunks.
        """
        by_entity: dict[str, list[RowState]] = {}
        for row in rows:
            by_entity.setdefault(row.entity, []).append(row)
        unknown = set(by_entity) - set(ENTITIES)
        if unknown:
            raise ValueError(f"unknown entities {sorted(unknown)}")
        total, done = len(rows), 0
        # Kinds with at least one tombstone: the others need no deletion look-ups at all.
        deleted = {
            name
            for name in ENTITIES
            if self._db.query_one("SELECT 1 FROM tombstones WHERE entity = ? LIMIT 1", (name,))
        }
        for spec in ENTITIES.values():
            batch = by_entity.get(spec.name, [])
            for start in range(0, len(batch), _CHUNK):
                chunk = batch[start : start + _CHUNK]
                self._apply_chunk(spec, chunk, stats, deleted)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)

    def row_state(self, entity: str, entity_id: str) -> RowState | None:
        """One record's synced fields with their clocks, or None if this device lacks it."""
        spec = ENTITIES[entity]
        current, clocks = self._read_row(spec, entity_id, list(spec.fields))
        if current is None:
            return None
        return RowState(entity, entity_id, {f: current[f] for f in clocks}, clocks)

    def apply_remote_tombstone(self, tombstone: Tombstone, stats: ApplyStats) -> None:
        if tombstone.entity not in ENTITIES:
            raise ValueError("unknown entity in tombstone")
        self.clock.observe(tombstone.hlc)
        if self._apply_tombstone(tombstone, local=False):
            stats.tombstones_applied += 1

    # -- internals -----------------------------------------------------------------------

    def _apply_chunk(
        self, spec: EntitySpec, chunk: list[RowState], stats: ApplyStats, deleted: set[str]
    ) -> None:
        ids = [row.entity_id for row in chunk]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {spec.name} rows")
        existing = self._existing_ids(spec, ids)
        fresh = [row for row in chunk if row.entity_id not in existing]
        for row in fresh:
            if set(row.values) - set(spec.fields) or set(row.clocks) != set(row.values):
                raise ValueError(f"malformed {row.entity} row")
        dead = self._tombstoned_fresh(spec, fresh) if _lineage(spec) & deleted else set()
        inserts: list[RowState] = []
        for row in chunk:
            if row.entity_id in existing:
                self.apply_remote_row(row, stats)
            elif row.entity_id in dead:
                stats.fields_ignored += len(row.values)
            else:
                inserts.append(row)
        if not inserts:
            return
        latest = max((c.hlc for row in inserts for c in row.clocks.values()), default=None)
        if latest is not None:
            self.clock.observe(latest)
        first_seq = self._seq + 1
        self._seq += len(inserts)
        self._db.before_commit(self._flush_seq)
        columns = [*spec.key, *spec.fields, "_clock", "_seq"]
        params = []
        for offset, row in enumerate(inserts):
            params.append(
                (
                    *spec.key_values(row.entity_id),
                    *(row.values.get(f) for f in spec.fields),
                    _clock_json(row.clocks),
                    first_seq + offset,
                )
            )
            stats.fields_applied += len(row.values)
        self._db.executemany(
            f"INSERT INTO {spec.table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            params,
        )
        self._mark_cases_dirty(spec, inserts)

    def _existing_ids(self, spec: EntitySpec, ids: list[str]) -> set[str]:
        """Which of these records this device holds (one query per chunk of ids)."""
        lead = spec.key[0]
        leads = sorted({spec.key_values(i)[0] for i in ids})
        found: set[str] = set()
        for values in _chunks(leads):
            rows = self._db.query(
                f"SELECT {', '.join(spec.key)} FROM {spec.table} "
                f"WHERE {lead} IN ({', '.join('?' for _ in values)})",
                values,
            )
            found.update(spec.entity_id(tuple(str(v) for v in row)) for row in rows)
        return found & set(ids)

    def _tombstone_ids(self, entity: str, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for values in _chunks(sorted(set(ids))):
            rows = self._db.query(
                "SELECT entity_id FROM tombstones WHERE entity = ? "
                f"AND entity_id IN ({', '.join('?' for _ in values)})",
                (entity, *values),
            )
            found.update(str(r[0]) for r in rows)
        return found

    def _tombstoned_fresh(self, spec: EntitySpec, rows: list[RowState]) -> set[str]:
        """``_is_tombstoned`` for rows absent here, answered for a whole chunk at once."""
        dead = self._tombstone_ids(spec.name, (row.entity_id for row in rows))
        if spec.parent is None or spec.parent_field is None:
            return dead
        parents: dict[str, str] = {}
        for row in rows:
            if row.entity_id in dead:
                continue
            if spec.parent_field in spec.key:
                parent_id = spec.key_values(row.entity_id)[spec.key.index(spec.parent_field)]
            elif row.values.get(spec.parent_field):
                parent_id = str(row.values[spec.parent_field])
            else:
                continue  # the record is absent here, so no stored parent either
            parents[row.entity_id] = parent_id
        dead_parents = self._tombstoned_stored(ENTITIES[spec.parent], set(parents.values()))
        return dead | {i for i, p in parents.items() if p in dead_parents}

    def _tombstoned_stored(self, spec: EntitySpec, ids: set[str]) -> set[str]:
        """``_is_tombstoned(spec, id, {})`` for many ids: parents are looked up in the table."""
        if not ids:
            return set()
        dead = self._tombstone_ids(spec.name, ids)
        if spec.parent is None or spec.parent_field is None:
            return dead
        alive = sorted(ids - dead)
        parents: dict[str, str] = {}
        if spec.parent_field in spec.key:
            index = spec.key.index(spec.parent_field)
            parents = {i: spec.key_values(i)[index] for i in alive}
        elif len(spec.key) == 1:
            for values in _chunks(alive):
                rows = self._db.query(
                    f"SELECT {spec.key[0]}, {spec.parent_field} FROM {spec.table} "
                    f"WHERE {spec.key[0]} IN ({', '.join('?' for _ in values)})",
                    values,
                )
                parents.update({str(r[0]): str(r[1]) for r in rows if r[1] is not None})
        else:  # no such entity today; keep the exact per-row rule
            return dead | {i for i in alive if self._is_tombstoned(spec, i, {})}
        dead_parents = self._tombstoned_stored(ENTITIES[spec.parent], set(parents.values()))
        return dead | {i for i, p in parents.items() if p in dead_parents}

    def _read_row(
        self, spec: EntitySpec, entity_id: str, names: list[str]
    ) -> tuple[dict[str, FieldValue] | None, dict[str, FieldClock]]:
        key_values = spec.key_values(entity_id)
        where = " AND ".join(f"{k} = ?" for k in spec.key)
        columns = ", ".join([*names, "_clock"]) if names else "_clock"
        row = self._db.query_one(f"SELECT {columns} FROM {spec.table} WHERE {where}", key_values)
        if row is None:
            return None, {}
        clocks = {f: FieldClock(*c) for f, c in json.loads(row[-1]).items()}
        return dict(zip(names, row[:-1], strict=True)), clocks

    def _upsert(
        self,
        spec: EntitySpec,
        entity_id: str,
        values: Mapping[str, FieldValue],
        clocks: Mapping[str, FieldClock],
    ) -> None:
        key_values = spec.key_values(entity_id)
        names = list(values)
        clock_json = json.dumps(
            {f: [c.hlc, c.base] for f, c in sorted(clocks.items())}, separators=(",", ":")
        )
        seq = self._next_seq()
        columns = [*spec.key, *names, "_clock", "_seq"]
        placeholders = ", ".join("?" for _ in columns)
        updates = ", ".join(f"{c} = excluded.{c}" for c in [*names, "_clock", "_seq"])
        self._db.execute(
            f"INSERT INTO {spec.table} ({', '.join(columns)}) VALUES ({placeholders}) "
            f"ON CONFLICT ({', '.join(spec.key)}) DO UPDATE SET {updates}",
            (*key_values, *(values[n] for n in names), clock_json, seq),
        )

    def _next_seq(self) -> int:
        self._seq += 1
        self._db.before_commit(self._flush_seq)
        return self._seq

    def _flush_seq(self) -> None:
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES ('seq', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(self._seq),),
        )

    def _is_tombstoned(
        self, spec: EntitySpec, entity_id: str, values: Mapping[str, FieldValue]
    ) -> bool:
        if self._db.query_one(
            "SELECT 1 FROM tombstones WHERE entity = ? AND entity_id = ?", (spec.name, entity_id)
        ):
            return True
        if spec.parent is None or spec.parent_field is None:
            return False
        parent_id = self._parent_id(spec, entity_id, values)
        if parent_id is None:
            return False
        parent = ENTITIES[spec.parent]
        if (parent.name, parent_id) in self._alive:
            return False
        if self._row_exists(parent, parent_id):
            self._alive.add((parent.name, parent_id))
            return False
        return self._is_tombstoned(parent, parent_id, {})

    def _row_exists(self, spec: EntitySpec, entity_id: str) -> bool:
        where = " AND ".join(f"{k} = ?" for k in spec.key)
        return (
            self._db.query_one(
                f"SELECT 1 FROM {spec.table} WHERE {where}", spec.key_values(entity_id)
            )
            is not None
        )

    def _parent_id(
        self, spec: EntitySpec, entity_id: str, values: Mapping[str, FieldValue]
    ) -> str | None:
        assert spec.parent_field is not None
        if spec.parent_field in spec.key:
            return spec.key_values(entity_id)[spec.key.index(spec.parent_field)]
        if values.get(spec.parent_field):
            return str(values[spec.parent_field])
        key_values = spec.key_values(entity_id)
        where = " AND ".join(f"{k} = ?" for k in spec.key)
        value = self._db.scalar(
            f"SELECT {spec.parent_field} FROM {spec.table} WHERE {where}", key_values
        )
        return None if value is None else str(value)

    def _apply_tombstone(self, tombstone: Tombstone, *, local: bool) -> bool:
        spec = ENTITIES[tombstone.entity]
        self._alive.clear()
        existing = self._db.query_one(
            "SELECT hlc FROM tombstones WHERE entity = ? AND entity_id = ?",
            (tombstone.entity, tombstone.entity_id),
        )
        if existing is not None:
            return False
        self._db.execute(
            "INSERT INTO tombstones (entity, entity_id, hlc, _seq) VALUES (?, ?, ?, ?)",
            (tombstone.entity, tombstone.entity_id, tombstone.hlc, self._next_seq()),
        )
        self._purge(spec, tombstone.entity_id)
        return True

    def _purge(self, spec: EntitySpec, entity_id: str) -> None:
        """Delete the row and, recursively, its children; children get tombstones too."""
        key_values = spec.key_values(entity_id)
        if spec.name == "case":
            num = self._db.scalar("SELECT num FROM cases WHERE id = ?", key_values)
            if num is not None:
                self._db.execute("DELETE FROM case_search WHERE rowid = ?", (num,))
            self._dirty_cases.discard(entity_id)
        for child in _CHILDREN.get(spec.name, []):
            assert child.parent_field is not None
            child_rows = self._db.query(
                f"SELECT {', '.join(child.key)} FROM {child.table} WHERE {child.parent_field} = ?",
                (entity_id,),
            )
            for child_key in child_rows:
                child_id = child.entity_id(tuple(str(v) for v in child_key))
                if _CHILDREN.get(child.name):
                    self._db.execute(
                        "INSERT OR IGNORE INTO tombstones (entity, entity_id, hlc, _seq) "
                        "VALUES (?, ?, ?, ?)",
                        (child.name, child_id, self.clock.now(), self._next_seq()),
                    )
                self._purge(child, child_id)
        where = " AND ".join(f"{k} = ?" for k in spec.key)
        self._db.execute(f"DELETE FROM {spec.table} WHERE {where}", key_values)
        # Values kept for conflict review are data too: they go with the record.
        self._db.execute(
            "DELETE FROM conflicts WHERE entity = ? AND entity_id = ?", (spec.name, entity_id)
        )
        if spec.name == "session":
            self._session_case.pop(entity_id, None)

    def _record_conflict(
        self,
        entity: str,
        entity_id: str,
        field: str,
        winner: tuple[str, FieldValue],
        loser: tuple[str, FieldValue],
    ) -> None:
        # The id depends only on the clash itself, so every device records the same row.
        digest = hashlib.sha256(
            "|".join([entity, entity_id, field, winner[0], loser[0]]).encode("utf-8")
        ).hexdigest()[:32]
        self._db.execute(
            "INSERT OR IGNORE INTO conflicts (id, entity, entity_id, field, kept_value, "
            "kept_clock, lost_value, lost_clock, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                digest,
                entity,
                entity_id,
                field,
                json.dumps(winner[1]),
                winner[0],
                json.dumps(loser[1]),
                loser[0],
                utc_now(),
            ),
        )

    # -- search index --------------------------------------------------------------------

    def _mark_case_dirty(
        self, spec: EntitySpec, entity_id: str, values: Mapping[str, FieldValue]
    ) -> None:
        case_id: str | None
        if spec.name == "case":
            case_id = entity_id
        elif spec.name in ("session", "referral"):
            case_id = str(values["case_id"]) if values.get("case_id") else None
            if spec.name == "session" and case_id:
                self._session_case[entity_id] = case_id
        elif spec.parent == "session":
            session_id = spec.key_values(entity_id)[0]
            case_id = self._case_of_session(session_id)
        else:
            return
        if case_id:
            self._dirty_cases.add(case_id)
            self._db.before_commit(self._reindex_dirty_cases)

    def _mark_cases_dirty(self, spec: EntitySpec, rows: list[RowState]) -> None:
        """``_mark_case_dirty`` for many new rows of one kind."""
        if spec.name not in ("case", "session", "referral") and spec.parent != "session":
            return
        for row in rows:
            if spec.name == "case":
                self._dirty_cases.add(row.entity_id)
            elif spec.name in ("session", "referral"):
                case_id = row.values.get("case_id")
                if case_id:
                    self._dirty_cases.add(str(case_id))
                    if spec.name == "session":
                        self._session_case[row.entity_id] = str(case_id)
            else:
                found = self._case_of_session(row.entity_id.split("/", 1)[0])
                if found:
                    self._dirty_cases.add(found)
        if self._dirty_cases:
            self._db.before_commit(self._reindex_dirty_cases)

    def _case_of_session(self, session_id: str) -> str | None:
        cached = self._session_case.get(session_id)
        if cached:
            return cached
        value = self._db.scalar("SELECT case_id FROM sessions WHERE id = ?", (session_id,))
        if value is not None:
            self._session_case[session_id] = str(value)
            return str(value)
        return None

    def _reindex_dirty_cases(self) -> None:
        dirty, self._dirty_cases = self._dirty_cases, set()
        now = utc_now()
        if len(dirty) >= _BULK_REINDEX:  # a sync import or a bulk job: a few queries per chunk
            for case_ids in _chunks(sorted(dirty)):
                self._reindex_cases(case_ids, now)
            return
        for case_id in sorted(dirty):
            self._reindex_case(case_id, now)

    def _reindex_cases(self, case_ids: list[str], now: str) -> None:
        """``_reindex_case`` for many cases at once, with the same documents and outcomes."""
        marks = ", ".join("?" for _ in case_ids)
        cases = {
            str(row[0]): row[1:]
            for row in self._db.query(
                "SELECT id, num, reference, post, given_name, family_name, alias, nationality "
                f"FROM cases WHERE id IN ({marks})",
                case_ids,
            )
        }
        texts: dict[str, list[str]] = {case_id: [] for case_id in cases}
        for sql in (
            "SELECT s.case_id, n.text FROM notes n JOIN sessions s ON s.id = n.session_id "
            f"WHERE s.case_id IN ({marks}) AND n.text IS NOT NULL "
            "ORDER BY s.case_id, s.id, n.section_id",
            "SELECT s.case_id, a.search_text FROM answers a JOIN sessions s "
            f"ON s.id = a.session_id WHERE s.case_id IN ({marks}) AND a.search_text IS NOT NULL "
            "ORDER BY s.case_id, s.id, a.question_id",
        ):
            for case_id, text in self._db.query(sql, case_ids):
                if case_id in texts:
                    texts[case_id].append(str(text))
        latest: dict[str, tuple[bool, str, FieldValue]] = {}
        for case_id, code, decided_at in self._db.query(
            "SELECT s.case_id, o.code, o.decided_at FROM outcomes o JOIN sessions s "
            f"ON s.id = o.session_id WHERE s.case_id IN ({marks})",
            case_ids,
        ):
            rank = (decided_at is not None, str(decided_at or ""), code)  # NULLs sort last
            if case_id not in latest or rank[:2] > latest[case_id][:2]:
                latest[case_id] = rank
        nums = [(row[0],) for row in cases.values()]
        bodies = []
        for case_id, (num, *case_texts) in cases.items():
            body = [str(t) for t in case_texts if t] + texts[case_id]
            bodies.append((num, "\n".join(body)))
        self._db.executemany("DELETE FROM case_search WHERE rowid = ?", nums)
        self._db.executemany("INSERT INTO case_search (rowid, body) VALUES (?, ?)", bodies)
        self._db.executemany(
            "UPDATE cases SET updated_at = ?, latest_outcome = ? WHERE num = ?",
            [
                (now, latest[case_id][2] if case_id in latest else None, row[0])
                for case_id, row in cases.items()
            ],
        )

    def _reindex_case(self, case_id: str, now: str) -> None:
        row = self._db.query_one(
            "SELECT num, reference, post, given_name, family_name, alias, nationality "
            "FROM cases WHERE id = ?",
            (case_id,),
        )
        if row is None:
            return  # the case row has not arrived yet (sync) or was deleted
        num, *case_texts = row
        texts = [str(t) for t in case_texts if t]
        texts += [
            str(r[0])
            for r in self._db.query(
                "SELECT n.text FROM notes n JOIN sessions s ON s.id = n.session_id "
                "WHERE s.case_id = ? AND n.text IS NOT NULL",
                (case_id,),
            )
        ]
        texts += [
            str(r[0])
            for r in self._db.query(
                "SELECT a.search_text FROM answers a JOIN sessions s ON s.id = a.session_id "
                "WHERE s.case_id = ? AND a.search_text IS NOT NULL",
                (case_id,),
            )
        ]
        latest = self._db.scalar(
            "SELECT o.code FROM outcomes o JOIN sessions s ON s.id = o.session_id "
            "WHERE s.case_id = ? ORDER BY o.decided_at DESC LIMIT 1",
            (case_id,),
        )
        self._db.execute("DELETE FROM case_search WHERE rowid = ?", (num,))
        self._db.execute(
            "INSERT INTO case_search (rowid, body) VALUES (?, ?)", (num, "\n".join(texts))
        )
        # updated_at and latest_outcome are local, derived columns: not journaled.
        self._db.execute(
            "UPDATE cases SET updated_at = ?, latest_outcome = ? WHERE num = ?",
            (now, latest, num),
        )
