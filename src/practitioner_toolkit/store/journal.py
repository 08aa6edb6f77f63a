"""Every write to a record that travels between devices goes through the journal.

The journal stamps each written field with a hybrid-logical-clock timestamp and the timestamp
it replaced (its *base*), bumps the row's local change counter (``_seq``) so sync can find what
changed since the last bundle, records deletions as tombstones, and keeps the full-text index
of each touched case up to date once per transaction. Sync applies remote rows through the same
object (``apply_remote_row``), so local and remote writes obey the same rules.

Conflict rule: for each field the higher clock wins (timestamps embed the device id, so ties
cannot happen); an incoming value whose base is not the value we hold was written concurrently,
and the losing value is kept in ``conflicts`` for a supervisor to review. Deletion wins over
any edit: a tombstoned record never comes back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from practitioner_toolkit.store.clock import HybridLogicalClock
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

    # -- local writes --------------------------------------------------------------------

    def write(self, entity: str, entity_id: str, values: Mapping[str, FieldValue]) -> bool:
        """Set fields of a record (creating it if needed). Returns False if nothing changed."""
        spec = ENTITIES[entity]
        unknown = set(values) - set(spec.fields)
        if unknown:
            raise ValueError(f"{entity} has no fields {sorted(unknown)}")
        with self._db.transaction():
            if self._is_tombstoned(spec, entity_id, values):
                raise LookupError(f"{entity} was deleted")
            current, clocks = self._read_row(spec, entity_id, list(values))
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
                # Sequential unless neither side had seen the other's value.
                sequential = (
                    incoming.base == local.hlc if incoming_wins else local.base == incoming.hlc
                )
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

    def apply_remote_tombstone(self, tombstone: Tombstone, stats: ApplyStats) -> None:
        if tombstone.entity not in ENTITIES:
            raise ValueError("unknown entity in tombstone")
        self.clock.observe(tombstone.hlc)
        if self._apply_tombstone(tombstone, local=False):
            stats.tombstones_applied += 1

    # -- internals -----------------------------------------------------------------------

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
        return self._is_tombstoned(ENTITIES[spec.parent], parent_id, {})

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
        for case_id in sorted(dirty):
            self._reindex_case(case_id, now)

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
