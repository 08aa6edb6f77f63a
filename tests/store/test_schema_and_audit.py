"""Migrations from every older schema version, and the hash-chained audit log."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

import pytest

from practitioner_toolkit.store import AuditAction, IntervieweeDetails, Workspace
from practitioner_toolkit.store.database import Database
from practitioner_toolkit.store.schema import MIGRATIONS

LATEST = len(MIGRATIONS)


def _seed_v1(db: Database) -> None:
    """Rows as a version-1 application wrote them."""
    db.execute(
        "INSERT INTO cases (id, reference, status, opened_at, alias, _clock, _seq) "
        "VALUES ('c1', 'AB12-2026-00001', 'open', '2026-01-02T03:04:05.000Z', 'Min', "
        '\'{"alias":["000000000001-0000-aa",""]}\', 1)'
    )
    db.execute(
        "INSERT INTO sessions (id, case_id, form_id, form_version, status, started_at, _seq) "
        "VALUES ('s1', 'c1', 'adult', '1.0.0', 'in_progress', '2026-01-02T03:04:05.000Z', 2)"
    )
    db.execute(
        "INSERT INTO answers (session_id, question_id, value, answered_at, _seq) "
        "VALUES ('s1', 'q1', '\"yes\"', '2026-01-02T03:04:06.000Z', 3)"
    )


def _seed_v2(db: Database) -> None:
    """Version 2 (sync): the v1 rows plus device keys, a team, a cursor and a conflict."""
    _seed_v1(db)
    db.execute(
        "INSERT INTO sync_device_keys (slot, device_id, display_name, sign_seed, box_secret, "
        "created_at) VALUES ('self', 'aa', 'Post laptop', zeroblob(32), zeroblob(32), "
        "'2026-01-02T03:04:05.000Z')"
    )
    db.execute(
        "INSERT INTO sync_team (team_id, name, genesis, joined_at) "
        "VALUES ('t1', 'Border team', x'00', '2026-01-02T03:04:05.000Z')"
    )
    db.execute("INSERT INTO sync_cursors (team_id, row_seq) VALUES ('t1', 3)")
    db.execute(
        "INSERT INTO conflicts (id, entity, entity_id, field, kept_value, kept_clock, "
        "lost_value, lost_clock, detected_at, resolved_clock, _sync_seq) VALUES ('k1', 'case', "
        "'c1', 'alias', '\"Min\"', '000000000002-0000-bb', '\"Aye\"', "
        "'000000000001-0000-aa', '2026-01-02T03:04:07.000Z', NULL, 1)"
    )
    db.execute(
        "INSERT INTO sync_exported (bundle_id, team_id, file_name, sha256, seq_from, seq_to, "
        "rows, tombstones, conflicts, bytes, created_at) VALUES ('b1', 't1', 'b1.ptkbundle', "
        "'00', 1, 3, 3, 0, 0, 100, '2026-01-02T03:04:08.000Z')"
    )
    db.execute(
        "INSERT INTO sync_imported (bundle_id, team_id, sender, sha256, bytes, rows, "
        "tombstones, conflicts, fields_applied, conflicts_found, imported_at) VALUES ('b2', "
        "'t1', 'bb', '01', 100, 1, 0, 0, 1, 0, '2026-01-02T03:04:09.000Z')"
    )


def _seed_v3(db: Database) -> None:
    """Version 3 (acknowledgements): recipients of an export, an acknowledgement of it."""
    _seed_v2(db)
    db.execute('UPDATE sync_exported SET recipients = \'["aa", "bb"]\'')
    db.execute("UPDATE sync_imported SET ack_sent = 1")
    db.execute(
        "INSERT INTO sync_acks (bundle_id, device_id, acked_at) "
        "VALUES ('b1', 'bb', '2026-01-02T03:04:10.000Z')"
    )


# One seed per schema version: add an entry whenever a migration is added.
SEEDS: dict[int, Callable[[Database], None]] = {1: _seed_v1, 2: _seed_v2, 3: _seed_v3}


def test_every_migration_has_a_seed() -> None:
    assert sorted(SEEDS) == list(range(1, LATEST + 1))


@pytest.mark.parametrize("start_version", range(1, LATEST + 1))
def test_migrating_from_every_version_keeps_the_data(tmp_path: Path, start_version: int) -> None:
    key = secrets.token_bytes(32)
    path = tmp_path / "old.db"
    db = Database.create(path, key, schema_version=start_version)
    assert db.schema_version == start_version
    with db.transaction():
        SEEDS[start_version](db)
    db.close()

    db = Database(path, key)
    db.migrate()
    assert db.schema_version == LATEST
    assert db.scalar("SELECT alias FROM cases WHERE id = 'c1'") == "Min"
    assert db.scalar("SELECT value FROM answers WHERE session_id = 's1'") == '"yes"'
    if start_version == 2:
        # Bundles from before acknowledgements: recipients unknown (never removed from a
        # folder), and what was taken in is acknowledged with the next bundle.
        assert db.scalar("SELECT recipients FROM sync_exported WHERE bundle_id = 'b1'") is None
        assert db.scalar("SELECT ack_sent FROM sync_imported WHERE bundle_id = 'b2'") == 0
    assert db.query("PRAGMA integrity_check") == [("ok",)]
    db.close()


def test_a_failing_migration_rolls_back_and_leaves_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = secrets.token_bytes(32)
    path = tmp_path / "w.db"
    Database.create(path, key).close()
    broken = [*MIGRATIONS, ["CREATE TABLE later_table (x)", "THIS IS NOT SQL"]]
    monkeypatch.setattr("practitioner_toolkit.store.database.MIGRATIONS", broken)
    db = Database(path, key)
    with pytest.raises(Exception, match="syntax error"):
        db.migrate()
    assert db.schema_version == LATEST
    assert db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'later_table'") == 0
    db.close()


def test_the_audit_log_records_who_did_what_without_personal_data(workspace: Workspace) -> None:
    case = workspace.cases.open_case(IntervieweeDetails(given_name="Dara Sok"))
    workspace.cases.get_case(case.id)
    entries = workspace.audit_entries()
    actions = [e.action for e in reversed(entries)]
    assert actions[:1] == [AuditAction.CREATE_WORKSPACE.value]
    assert AuditAction.CREATE.value in actions and AuditAction.VIEW.value in actions
    assert all(e.user_id == workspace.user.id for e in entries)
    assert all("Dara" not in (e.detail + (e.entity_id or "")) for e in entries)
    assert workspace.verify_audit_log().ok


def test_the_audit_log_refuses_updates_and_deletes(workspace: Workspace) -> None:
    with pytest.raises(Exception, match="append-only"):
        workspace._db.execute("UPDATE audit_log SET action = 'x' WHERE seq = 1")
    with pytest.raises(Exception, match="append-only"):
        workspace._db.execute("DELETE FROM audit_log WHERE seq = 1")


def _tamper(workspace: Workspace, sql: str) -> None:
    db = workspace._db
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute(sql)


def test_verify_pinpoints_an_edited_entry(workspace: Workspace) -> None:
    for _ in range(5):
        workspace.cases.open_case(IntervieweeDetails())
    _tamper(workspace, "UPDATE audit_log SET detail = 'forged' WHERE seq = 4")
    result = workspace.verify_audit_log()
    assert not result.ok
    assert result.first_broken_seq == 4
    assert result.problem == "content was altered"


def test_verify_pinpoints_a_removed_entry(workspace: Workspace) -> None:
    for _ in range(5):
        workspace.cases.open_case(IntervieweeDetails())
    _tamper(workspace, "DELETE FROM audit_log WHERE seq = 3")
    result = workspace.verify_audit_log()
    assert (result.ok, result.first_broken_seq) == (False, 3)
    assert "missing" in (result.problem or "")


def test_verify_pinpoints_a_rewritten_tail(workspace: Workspace) -> None:
    """Recomputing one entry's hash does not help: the next link breaks."""
    from practitioner_toolkit.store.audit import entry_hash

    for _ in range(4):
        workspace.cases.open_case(IntervieweeDetails())
    db = workspace._db
    row = db.query_one("SELECT * FROM audit_log WHERE seq = 2")
    assert row is not None
    seq, at, user_id, _action, entity, entity_id, detail, prev_hash, _ = row
    forged = entry_hash(prev_hash, seq, at, user_id, "delete", entity, entity_id, detail)
    _tamper(workspace, f"UPDATE audit_log SET action = 'delete', hash = '{forged}' WHERE seq = 2")
    result = workspace.verify_audit_log()
    assert (result.ok, result.first_broken_seq) == (False, 3)
