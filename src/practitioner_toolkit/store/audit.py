"""An append-only, hash-chained log of who did what.

Each entry's hash covers its content and the previous entry's hash, so removing, reordering or
editing any entry breaks every link after it; ``verify`` names the first broken one. Triggers in
the schema refuse UPDATE and DELETE on the table. Entries hold ids and action names only, never
personal data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from practitioner_toolkit.store.database import Database
from practitioner_toolkit.store.models import AuditAction, AuditEntry, AuditVerification
from practitioner_toolkit.store.timeutil import utc_now

GENESIS_HASH = "0" * 64
_COLUMNS = "seq, at, user_id, action, entity, entity_id, detail, prev_hash, hash"


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    user_id: str | None,
    action: str,
    entity: str | None,
    entity_id: str | None,
    detail: str,
) -> str:
    payload = json.dumps(
        [prev_hash, seq, at, user_id, action, entity, entity_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditLog:
    def __init__(self, db: Database) -> None:
        self._db = db
        last = db.query_one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        self._last_seq, self._last_hash = (
            (int(last[0]), str(last[1])) if last else (0, GENESIS_HASH)
        )

    def append(
        self,
        user_id: str | None,
        action: AuditAction,
        entity: str | None = None,
        entity_id: str | None = None,
        detail: str = "",
    ) -> None:
        with self._db.transaction():
            seq = self._last_seq + 1
            at = utc_now()
            digest = entry_hash(
                self._last_hash, seq, at, user_id, action.value, entity, entity_id, detail
            )
            self._db.execute(
                f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    seq,
                    at,
                    user_id,
                    action.value,
                    entity,
                    entity_id,
                    detail,
                    self._last_hash,
                    digest,
                ),
            )
            previous = (self._last_seq, self._last_hash)
            self._last_seq, self._last_hash = seq, digest

            def restore() -> None:
                self._last_seq, self._last_hash = previous

            self._db.on_rollback(restore)

    def entries(self, limit: int = 200, before_seq: int | None = None) -> list[AuditEntry]:
        bound = before_seq if before_seq is not None else self._last_seq + 1
        rows = self._db.query(
            f"SELECT {_COLUMNS} FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?",
            (bound, limit),
        )
        return [AuditEntry(*row) for row in rows]

    def verify(self) -> AuditVerification:
        """Walk the whole chain; report the first entry whose link or content does not match."""
        expected_prev = GENESIS_HASH
        expected_seq = 1
        checked = 0
        for entry in self._iterate_all():
            if entry.seq != expected_seq:
                return AuditVerification(
                    False, checked, expected_seq, f"entry {expected_seq} is missing"
                )
            if entry.prev_hash != expected_prev:
                return AuditVerification(
                    False, checked, entry.seq, "does not link to the entry before it"
                )
            recomputed = entry_hash(
                entry.prev_hash,
                entry.seq,
                entry.at,
                entry.user_id,
                entry.action,
                entry.entity,
                entry.entity_id,
                entry.detail,
            )
            if recomputed != entry.hash:
                return AuditVerification(False, checked, entry.seq, "content was altered")
            expected_prev = entry.hash
            expected_seq += 1
            checked += 1
        return AuditVerification(True, checked)

    def _iterate_all(self, chunk: int = 5000) -> Iterator[AuditEntry]:
        last = 0
        while True:
            rows = self._db.query(
                f"SELECT {_COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, chunk),
            )
            if not rows:
                return
            for row in rows:
                yield AuditEntry(*row)
            last = int(rows[-1][0])
