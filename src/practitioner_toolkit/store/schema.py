"""Numbered, forward-only schema migrations (``PRAGMA user_version`` holds the number).

Each entry is applied in its own transaction. Never edit a released migration: append a new
one. Tables that sync between devices (see ``journal.ENTITIES``) keep every non-key column
nullable, because a field may arrive from another device before the rest of its row, and carry
``_clock`` (per-field hybrid logical clock, JSON) and ``_seq`` (local change counter).
"""

from __future__ import annotations

_SYNC_COLUMNS = "_clock TEXT NOT NULL DEFAULT '{}', _seq INTEGER NOT NULL DEFAULT 0"

_V1_CORE = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    """CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('screener', 'supervisor', 'trainer')),
        created_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    f"""CREATE TABLE cases (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        reference TEXT,
        status TEXT,
        post TEXT,
        opened_at TEXT,
        opened_by TEXT,
        closed_at TEXT,
        given_name TEXT,
        family_name TEXT,
        alias TEXT,
        sex TEXT,
        birth_year INTEGER,
        age_estimate INTEGER,
        age_uncertain INTEGER,
        nationality TEXT,
        languages TEXT,
        updated_at TEXT,
        latest_outcome TEXT,
        {_SYNC_COLUMNS}
    )""",
    "CREATE INDEX cases_by_status ON cases (status, updated_at)",
    "CREATE INDEX cases_by_updated ON cases (updated_at)",
    "CREATE INDEX cases_by_seq ON cases (_seq)",
    f"""CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        case_id TEXT,
        form_id TEXT,
        form_version TEXT,
        officer_language TEXT,
        interviewee_language TEXT,
        interpreter_used INTEGER,
        interpreter_language TEXT,
        post TEXT,
        status TEXT,
        started_at TEXT,
        started_by TEXT,
        finished_at TEXT,
        current_section TEXT,
        {_SYNC_COLUMNS}
    )""",
    "CREATE INDEX sessions_by_case ON sessions (case_id)",
    "CREATE INDEX sessions_by_seq ON sessions (_seq)",
    f"""CREATE TABLE answers (
        session_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        value TEXT,
        search_text TEXT,
        answered_at TEXT,
        answered_by TEXT,
        {_SYNC_COLUMNS},
        PRIMARY KEY (session_id, question_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX answers_by_seq ON answers (_seq)",
    f"""CREATE TABLE notes (
        session_id TEXT NOT NULL,
        section_id TEXT NOT NULL,
        text TEXT,
        updated_at TEXT,
        updated_by TEXT,
        {_SYNC_COLUMNS},
        PRIMARY KEY (session_id, section_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX notes_by_seq ON notes (_seq)",
    f"""CREATE TABLE outcomes (
        session_id TEXT PRIMARY KEY,
        code TEXT,
        detail TEXT,
        decided_by TEXT,
        decided_at TEXT,
        {_SYNC_COLUMNS}
    )""",
    "CREATE INDEX outcomes_by_seq ON outcomes (_seq)",
    f"""CREATE TABLE agencies (
        id TEXT PRIMARY KEY,
        name TEXT,
        kind TEXT,
        services TEXT,
        languages TEXT,
        area TEXT,
        address TEXT,
        phone TEXT,
        email TEXT,
        hours TEXT,
        notes TEXT,
        verified_on TEXT,
        {_SYNC_COLUMNS}
    )""",
    "CREATE INDEX agencies_by_seq ON agencies (_seq)",
    f"""CREATE TABLE referrals (
        id TEXT PRIMARY KEY,
        case_id TEXT,
        session_id TEXT,
        agency_id TEXT,
        reference TEXT,
        services TEXT,
        urgency TEXT,
        reason TEXT,
        consent TEXT,
        shared_fields TEXT,
        summary TEXT,
        created_at TEXT,
        created_by TEXT,
        exported_at TEXT,
        {_SYNC_COLUMNS}
    )""",
    "CREATE INDEX referrals_by_case ON referrals (case_id)",
    "CREATE INDEX referrals_by_seq ON referrals (_seq)",
    """CREATE TABLE tombstones (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        hlc TEXT NOT NULL,
        _seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (entity, entity_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX tombstones_by_seq ON tombstones (_seq)",
    """CREATE TABLE conflicts (
        id TEXT PRIMARY KEY,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        field TEXT NOT NULL,
        kept_value TEXT,
        kept_clock TEXT NOT NULL,
        lost_value TEXT,
        lost_clock TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT,
        resolution TEXT
    )""",
    """CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id TEXT,
        action TEXT NOT NULL,
        entity TEXT,
        entity_id TEXT,
        detail TEXT NOT NULL DEFAULT '',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    # Trigram tokens find substrings in scripts written without spaces (Thai, Lao, Khmer,
    # Burmese) and accent-insensitively in Vietnamese. One document per case, rowid = cases.num.
    """CREATE VIRTUAL TABLE case_search USING fts5(
        body, tokenize = 'trigram remove_diacritics 1'
    )""",
    "INSERT INTO case_search (case_search, rank) VALUES ('secure-delete', 1)",
]

# Version 2: file-based sync (see ``store.sync_state`` and the ``sync`` package). Conflicts
# travel between devices too, so a supervisor anywhere sees every clash and its resolution:
# they get their own change counter (``_sync_seq``) and a clock for the resolution.
_V2_SYNC = [
    "ALTER TABLE conflicts ADD COLUMN resolved_clock TEXT",
    "ALTER TABLE conflicts ADD COLUMN _sync_seq INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX conflicts_by_sync_seq ON conflicts (_sync_seq)",
    "CREATE INDEX conflicts_by_entity ON conflicts (entity, entity_id)",
    # This installation's signing and encryption keys: one row, secret, never exported.
    """CREATE TABLE sync_device_keys (
        slot TEXT PRIMARY KEY CHECK (slot = 'self'),
        device_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        sign_seed BLOB NOT NULL,
        box_secret BLOB NOT NULL,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    # The team this workspace syncs with; ``genesis`` is the founder's signed statement.
    """CREATE TABLE sync_team (
        team_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        genesis BLOB NOT NULL,
        joined_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    # Signed roster statements (approvals, revocations), kept verbatim so they can be relayed.
    """CREATE TABLE sync_roster (
        statement_id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL,
        body BLOB NOT NULL,
        added_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE sync_cursors (
        team_id TEXT PRIMARY KEY,
        row_seq INTEGER NOT NULL DEFAULT 0,
        conflict_seq INTEGER NOT NULL DEFAULT 0,
        roster_digest TEXT NOT NULL DEFAULT '',
        covered_devices TEXT NOT NULL DEFAULT '[]',
        updated_at TEXT
    ) WITHOUT ROWID""",
    """CREATE TABLE sync_exported (
        bundle_id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        seq_from INTEGER NOT NULL,
        seq_to INTEGER NOT NULL,
        rows INTEGER NOT NULL,
        tombstones INTEGER NOT NULL,
        conflicts INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        created_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE sync_imported (
        bundle_id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        rows INTEGER NOT NULL,
        tombstones INTEGER NOT NULL,
        conflicts INTEGER NOT NULL,
        fields_applied INTEGER NOT NULL,
        conflicts_found INTEGER NOT NULL,
        imported_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX sync_imported_by_sha ON sync_imported (sha256)",
]

# Acknowledgements: a bundle carries the ids of the bundles its sender has taken in since its
# previous one, so a device can remove its own old bundles from a shared folder once every
# recipient holds them.
_V3_ACKS = [
    "ALTER TABLE sync_imported ADD COLUMN ack_sent INTEGER NOT NULL DEFAULT 0",
    # The devices a bundle was sealed for (JSON list); NULL for bundles from before v3, which
    # are therefore never removed.
    "ALTER TABLE sync_exported ADD COLUMN recipients TEXT",
    """CREATE TABLE sync_acks (
        bundle_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        acked_at TEXT NOT NULL,
        PRIMARY KEY (bundle_id, device_id)
    ) WITHOUT ROWID""",
]

MIGRATIONS: list[list[str]] = [_V1_CORE, _V2_SYNC, _V3_ACKS]
