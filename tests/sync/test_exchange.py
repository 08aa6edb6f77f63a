"""Export, import, conflicts, tombstones, relays and late joiners between real workspaces."""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from pathlib import Path

import pytest

from practitioner_toolkit.store import (
    AuditAction,
    CaseFilter,
    IntervieweeDetails,
    NotFoundError,
    PermissionDeniedError,
    Role,
)
from practitioner_toolkit.sync import (
    DeviceCard,
    NotForThisDeviceError,
    SyncError,
    parse_file_name,
)
from practitioner_toolkit.sync import service as sync_service
from tests.conftest import PASSPHRASE
from tests.sync.conftest import Device, join, make_device, new_session


def _exchange(sender: Device, receiver: Device, out: Path) -> None:
    result = sender.sync.export_bundle(out)
    if result is not None:
        receiver.sync.import_file(result.path)


def _settle(devices: list[Device], out: Path) -> None:
    """Everyone sends to everyone until nothing new is produced."""
    for _ in range(5):
        results = [d.sync.export_bundle(out) for d in devices]
        if all(r is None for r in results):
            return
        for result in results:
            if result is None:
                continue
            for device in devices:
                with contextlib.suppress(NotForThisDeviceError):
                    device.sync.import_file(result.path)
    pytest.fail("no settling")


def test_a_bundle_carries_records_and_a_second_import_changes_nothing(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    case_id, session_id = new_session(a)
    a.ws.cases.save_answer(session_id, "documents_taken", "yes")
    a.ws.cases.save_note(session_id, "journey", "crossed at night")
    result = a.export(tmp_path)
    parsed = parse_file_name(result.path.name)
    assert parsed is not None and parsed.sender == a.id and parsed.bundle_id == result.bundle_id

    first = b.sync.import_file(result.path)
    assert not first.duplicate and first.outcome is not None
    assert first.outcome.rows == 4 and first.outcome.conflicts_found == 0
    assert b.ws.cases.get_session(session_id).answers["documents_taken"].value == "yes"
    assert b.ws.cases.get_case(case_id).interviewee.alias == "Min"
    assert b.ws.cases.list_cases(CaseFilter(text="night")).total == 1  # search index rebuilt

    before = b.ws.sync_state.canonical_snapshot()
    audit_before = len(b.ws.audit_entries(10_000))
    second = b.sync.import_file(result.path)
    assert second.duplicate
    assert b.ws.sync_state.canonical_snapshot() == before
    assert len(b.ws.audit_entries(10_000)) == audit_before
    assert b.sync.export_bundle(tmp_path / "b") is not None  # b relays what it received
    assert a.sync.export_bundle(tmp_path) is None  # nothing new on a


def test_importing_a_bundle_with_ones_own_changes_changes_nothing(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    new_session(a)
    _exchange(a, b, tmp_path / "1")
    relay = b.export(tmp_path / "2")  # holds a's own rows
    own = a.export(tmp_path / "3", everything=True)
    before = a.ws.sync_state.canonical_snapshot()
    for path in (relay.path, own.path):
        outcome = a.sync.import_file(path).outcome
        assert outcome is not None and outcome.fields_applied == 0
    assert a.ws.sync_state.canonical_snapshot() == before


def test_concurrent_edits_keep_the_latest_and_record_the_same_conflict_on_both_sides(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    _, session_id = new_session(a)
    _exchange(a, b, tmp_path / "1")
    a.ws.cases.save_answer(session_id, "q", "no")
    time.sleep(0.005)
    b.ws.cases.save_answer(session_id, "q", "yes")  # later clock: wins everywhere
    from_a, from_b = a.export(tmp_path / "2"), b.export(tmp_path / "3")
    a.sync.import_file(from_b.path)
    b.sync.import_file(from_a.path)

    for device in (a, b):
        assert device.ws.cases.get_session(session_id).answers["q"].value == "yes"
    conflicts_a = {c.id: c for c in a.ws.sync_state.list_conflicts() if c.field == "value"}
    conflicts_b = {c.id: c for c in b.sync.conflicts() if c.field == "value"}
    assert conflicts_a.keys() == conflicts_b.keys() and len(conflicts_a) == 1
    (conflict,) = conflicts_a.values()
    assert (conflict.kept_value, conflict.lost_value) == ('"yes"', '"no"')
    assert a.ws.sync_state.canonical_snapshot() == b.ws.sync_state.canonical_snapshot()

    # The supervisor on a restores the losing value: a new write that travels, and the
    # resolution travels with it.
    resolved = a.sync.resolve_conflict(conflict.id, "other")
    assert resolved.resolution == "other" and resolved.resolved_at
    assert a.ws.cases.get_session(session_id).answers["q"].value == "no"
    _exchange(a, b, tmp_path / "4")
    assert b.ws.cases.get_session(session_id).answers["q"].value == "no"
    on_b = {c.id: c for c in b.ws.sync_state.list_conflicts(include_resolved=True)}
    assert on_b[conflict.id].resolution == "other"
    assert conflict.id not in {c.id for c in b.ws.sync_state.list_conflicts()}
    assert a.ws.sync_state.canonical_snapshot() == b.ws.sync_state.canonical_snapshot()
    actions = [e.action for e in a.ws.audit_entries()]
    assert AuditAction.RESOLVE_CONFLICT.value in actions


def test_an_answer_lost_when_a_device_is_restored_from_a_backup_is_kept_as_a_conflict(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, c = team
    _, session_id = new_session(a)
    _settle(team, tmp_path / "0")
    a.ws.lock()
    backup = tmp_path / "backup-of-a"
    shutil.copytree(a.folder, backup)
    a.reopen()
    a.ws.cases.save_answer(session_id, "q", "no")  # reaches b...
    _exchange(a, b, tmp_path / "1")
    a.ws.lock()  # ...then a's disk fails and a is restored from the backup
    shutil.rmtree(a.folder)
    shutil.copytree(backup, a.folder)
    a.reopen()
    time.sleep(0.005)
    a.ws.cases.save_answer(session_id, "q", "yes")  # written without having seen "no"
    _exchange(a, b, tmp_path / "2")

    assert b.ws.cases.get_session(session_id).answers["q"].value == "yes"
    (conflict,) = [x for x in b.ws.sync_state.list_conflicts() if x.field == "value"]
    assert (conflict.kept_value, conflict.lost_value) == ('"yes"', '"no"')
    _settle(team, tmp_path / "3")  # a hears of its lost answer, c of everything
    on_b = {x.id for x in b.ws.sync_state.list_conflicts()}
    for device in (a, c):
        assert device.ws.cases.get_session(session_id).answers["q"].value == "yes"
        assert {x.id for x in device.ws.sync_state.list_conflicts()} == on_b
    assert a.ws.sync_state.canonical_snapshot() == b.ws.sync_state.canonical_snapshot()
    assert c.ws.sync_state.canonical_snapshot() == b.ws.sync_state.canonical_snapshot()


def test_a_conflict_found_on_one_device_reaches_a_third(team: list[Device], tmp_path: Path) -> None:
    a, b, c = team
    _, session_id = new_session(a)
    _settle(team, tmp_path / "0")
    a.ws.cases.save_answer(session_id, "q", "no")
    b.ws.cases.save_answer(session_id, "q", "yes")
    from_a = a.export(tmp_path / "1")
    b.sync.import_file(from_a.path)  # the clash is found on b only
    assert b.ws.sync_state.unresolved_conflict_count() > 0
    relay = b.export(tmp_path / "2")
    c.sync.import_file(relay.path)  # c never sees a's bundle
    assert {x.id for x in c.ws.sync_state.list_conflicts()} == {
        x.id for x in b.ws.sync_state.list_conflicts()
    }


def test_resolving_is_for_supervisors(team: list[Device]) -> None:
    a = team[0]
    a.ws.users.add("screener1", "Screener", Role.SCREENER, PASSPHRASE)
    a.ws.lock()  # one open workspace per folder at a time
    screener = type(a.ws).unlock(a.folder, "screener1", PASSPHRASE)
    try:
        with pytest.raises(PermissionDeniedError):
            screener.sync_state.list_conflicts()
        with pytest.raises(PermissionDeniedError):
            screener.sync_state.resolve_conflict("x", "current")
    finally:
        screener.lock()
        a.reopen()
    with pytest.raises(NotFoundError):
        a.ws.sync_state.resolve_conflict("no-such-conflict", "current")


def test_a_deletion_wins_over_a_concurrent_edit_everywhere(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, c = team
    case_id, session_id = new_session(a)
    _settle(team, tmp_path / "0")
    a.ws.cases.delete_case(case_id)  # while b, offline, keeps working on it
    b.ws.cases.save_answer(session_id, "q", "edited later")
    b.ws.cases.update_interviewee(case_id, IntervieweeDetails(alias="Aye"))
    _settle(team, tmp_path / "1")
    for device in team:
        with pytest.raises(NotFoundError):
            device.ws.cases.get_case(case_id)
        with pytest.raises(NotFoundError):
            device.ws.cases.get_session(session_id)
        snapshot = device.ws.sync_state.canonical_snapshot()
        assert ("case", case_id) in snapshot.tombstones
        assert not any(session_id in key for key in snapshot.rows["answer"])
    assert a.ws.sync_state.canonical_snapshot() == c.ws.sync_state.canonical_snapshot()
    assert b.ws.sync_state.canonical_snapshot() == c.ws.sync_state.canonical_snapshot()


def test_records_relay_through_a_third_device(team: list[Device], tmp_path: Path) -> None:
    a, b, c = team
    case_id, session_id = new_session(a)
    a.ws.cases.save_answer(session_id, "q", "from a")
    _exchange(a, b, tmp_path / "1")  # the USB stick goes a -> b
    _exchange(b, c, tmp_path / "2")  # and later b -> c; c never sees a's file
    assert c.ws.cases.get_session(session_id).answers["q"].value == "from a"
    assert c.ws.cases.get_case(case_id).reference == a.ws.cases.get_case(case_id).reference


def test_bundles_in_any_order_with_duplicates_end_the_same(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, c = team
    _, session_id = new_session(a)
    paths = []
    for value in ("one", "two", "three"):
        a.ws.cases.save_answer(session_id, "q", value)
        paths.append(a.export(tmp_path / value).path)
    for path in reversed(paths):
        b.sync.import_file(path)
    for path in [paths[1], paths[0], paths[1], paths[2], paths[0]]:
        c.sync.import_file(path)
    assert b.ws.cases.get_session(session_id).answers["q"].value == "three"
    assert b.ws.sync_state.canonical_snapshot() == c.ws.sync_state.canonical_snapshot()
    assert b.ws.sync_state.unresolved_conflict_count() == 0  # one writer: no conflicts


def test_a_device_that_joins_later_gets_the_whole_history(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    _, session_id = new_session(a)
    _exchange(a, b, tmp_path / "1")
    d = make_device(tmp_path / "d", "d")
    try:
        join(a, d)
        old = a.sync.export_bundle(tmp_path / "old")  # carries everything: d is new
        assert old is not None and old.full
        d.sync.import_file(old.path)
        assert d.ws.cases.get_session(session_id).form_id == "adult"
        # b learns about d from a's bundle, then sends d everything it holds too.
        b.sync.import_file(old.path)
        from_b = b.export(tmp_path / "b")
        assert from_b.full
        d.sync.import_file(from_b.path)
        assert d.ws.sync_state.canonical_snapshot() == a.ws.sync_state.canonical_snapshot()
    finally:
        d.ws.lock()


def test_an_approval_travels_inside_the_newcomers_own_bundle(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    d = make_device(tmp_path / "d", "d")
    try:
        join(a, d)  # b has not heard of d yet
        new_session(d)
        result = d.export(tmp_path / "d-out")
        outcome = b.sync.import_file(result.path).outcome
        assert outcome is not None and outcome.rows == 2
        roster = b.sync.roster()
        assert roster is not None and roster.get(d.id) is not None
    finally:
        d.ws.lock()


def test_a_revoked_admins_approvals_stop_counting(team: list[Device], tmp_path: Path) -> None:
    a, b, _ = team
    a.sync.approve_device(DeviceCard.from_bytes(b.sync.card_bytes()), admin=True)
    _exchange(a, b, tmp_path / "1")
    d = make_device(tmp_path / "d", "d")
    try:
        b.sync.approve_device(DeviceCard.from_bytes(d.sync.card_bytes()))
        _exchange(b, a, tmp_path / "2")
        roster = a.sync.roster()
        assert roster is not None and roster.get(d.id) is not None
        a.sync.revoke_device(b.id)
        roster = a.sync.roster()
        assert roster is not None
        assert roster.get(b.id) is None and roster.get(d.id) is None
        with pytest.raises(SyncError, match="founding device"):
            a.sync.revoke_device(a.id)
    finally:
        d.ws.lock()


def test_only_admin_devices_approve_and_only_supervisors_found_teams(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, c = team
    with pytest.raises(SyncError, match="admin device"):
        b.sync.approve_device(DeviceCard.from_bytes(c.sync.card_bytes()))
    with pytest.raises(SyncError, match="itself"):
        a.sync.approve_device(DeviceCard.from_bytes(a.sync.card_bytes()))
    lone = make_device(tmp_path / "lone", "lone")
    lone.ws.users.add("screener1", "Screener", Role.SCREENER, PASSPHRASE)
    lone.ws.lock()
    screener = type(lone.ws).unlock(lone.folder, "screener1", PASSPHRASE)
    try:
        from practitioner_toolkit.sync import SyncService

        with pytest.raises(PermissionDeniedError):
            SyncService(screener).create_team("Mine")
    finally:
        screener.lock()


def test_joining_checks_the_team_fingerprint_and_the_recipient(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    d = make_device(tmp_path / "d", "d")
    e = make_device(tmp_path / "e", "e")
    try:
        card = DeviceCard.from_bytes(d.sync.card_bytes())
        a.sync.approve_device(card)
        team_file = a.sync.team_file_for(d.id)
        with pytest.raises(SyncError, match="another device"):
            e.sync.join_team(team_file)
        with pytest.raises(SyncError, match="fingerprint"):
            d.sync.join_team(team_file, expected_fingerprint="AAAA-BBBB-CCCC-DDDD-EEEE")
        assert d.ws.sync_state.team() is None
        roster = d.sync.join_team(team_file, expected_fingerprint=b.sync.status().team_fingerprint)
        assert roster.get(d.id) is not None
        with pytest.raises(SyncError, match="not approved"):
            a.sync.team_file_for(e.id)
    finally:
        d.ws.lock()
        e.ws.lock()


def test_a_revoked_device_cannot_send_and_gets_nothing_new(
    team: list[Device], tmp_path: Path
) -> None:
    a, _, c = team
    a.sync.revoke_device(c.id)
    new_session(a)
    result = a.export(tmp_path / "1")
    assert result.recipients == 2
    with pytest.raises(NotForThisDeviceError):
        c.sync.import_file(result.path)
    with pytest.raises(SyncError, match="revoked for good"):
        a.sync.approve_device(DeviceCard.from_bytes(c.sync.card_bytes()))


def test_folder_sync_sends_takes_and_skips_what_it_should(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    folder = tmp_path / "shared"
    folder.mkdir()
    case_id, _ = new_session(a)
    stages: list[str] = []
    report_a = a.sync.sync_folder(folder, lambda stage, done, total: stages.append(stage))
    assert report_a.reachable and report_a.exported is not None
    assert "export" in stages and "import" in stages

    # Files a sync tool or a copy in progress leaves behind are not bundles to import.
    sent = report_a.exported.path
    (folder / f".{sent.name}.1234.tmp").write_bytes(b"partial")
    conflict_copy = sent.name.replace(".ptkbundle", ".sync-conflict-20260101-000000-ABC.ptkbundle")
    (folder / conflict_copy).write_bytes(sent.read_bytes())
    (folder / "notes.txt").write_text("hello")

    report_b = b.sync.sync_folder(folder)
    assert [f.status for f in report_b.files] == ["accepted"]
    assert b.ws.cases.get_case(case_id).reference
    again = b.sync.sync_folder(folder)
    assert again.files == ()  # already imported: not even opened

    # A bundle still being copied is reported incomplete and taken once it is whole.
    new_session(a)
    late = a.export(tmp_path / "elsewhere")
    data = late.path.read_bytes()
    target = folder / late.path.name
    target.write_bytes(data[: len(data) // 2])
    half = b.sync.sync_folder(folder)
    assert [(f.name, f.status) for f in half.files if f.name == target.name] == [
        (target.name, "incomplete")
    ]
    target.write_bytes(data)
    whole = b.sync.sync_folder(folder)
    assert any(f.name == target.name and f.status == "accepted" for f in whole.files)

    missing = b.sync.sync_folder(tmp_path / "stick-not-plugged-in")
    assert not missing.reachable and missing.files == ()


def test_a_timed_folder_sync_reads_no_file_it_has_dealt_with(
    team: list[Device], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, _ = team
    folder = tmp_path / "shared"
    folder.mkdir()
    new_session(a)
    a.sync.sync_folder(folder)
    (folder / "damaged.ptkbundle").write_bytes(b"not a bundle at all")
    first = b.sync.sync_folder(folder)
    assert sorted(f.status for f in first.files) == ["accepted", "rejected"]
    b.sync.sync_folder(folder)  # b's own relay bundle appears in the folder
    reads: list[str] = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: reads.append(p.name) or real_read(p))
    later = b.sync.sync_folder(folder)  # as the timer does, a minute later
    assert reads == []  # a's bundle, b's own and the damaged file: none opened again
    assert [(f.status, f.repeated) for f in later.files] == [("rejected", True)]


def _folder_rounds(devices: list[Device], folder: Path, rounds: int = 3) -> None:
    for _ in range(rounds):
        for device in devices:
            device.sync.sync_folder(folder)


def test_a_bundle_every_recipient_has_taken_in_leaves_the_folder(
    team: list[Device], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_service, "KEEP_DAYS", 0)  # no grace period, to see it happen
    a, b, c = team
    folder = tmp_path / "shared"
    folder.mkdir()
    case_id, _ = new_session(a)
    sent = a.sync.sync_folder(folder).exported
    assert sent is not None
    _folder_rounds([a, b], folder)  # b takes it in and acknowledges it; c is away
    assert (folder / sent.path.name).exists()  # c has not got it yet: it stays
    _folder_rounds([c, a, b], folder)
    assert not (folder / sent.path.name).exists()  # everyone holds it: a removed it
    for device in (b, c):
        assert device.ws.cases.get_case(case_id).reference
    _settle(team, tmp_path / "check")
    snapshots = {d.name: d.ws.sync_state.canonical_snapshot() for d in team}
    assert snapshots["a"] == snapshots["b"] == snapshots["c"]
    # Every file left is one that some recipient has not acknowledged yet, or one of the last
    # bundles, whose acknowledgements have not come back.
    remaining = {p.name for p in folder.iterdir()}
    assert len(remaining) < 3 * 4


def test_bundles_stay_in_the_folder_for_the_grace_period_and_for_missing_devices(
    team: list[Device], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = team
    folder = tmp_path / "shared"
    folder.mkdir()
    new_session(a)
    sent = a.sync.sync_folder(folder).exported
    assert sent is not None
    _folder_rounds([a, b, c], folder)
    assert (folder / sent.path.name).exists()  # fully received, but only minutes old
    monkeypatch.setattr(sync_service, "KEEP_DAYS", 0)
    new_session(a)
    later = a.sync.sync_folder(folder).exported
    assert later is not None
    a.sync.revoke_device(c.id)  # c is revoked: nobody waits for it any more
    _folder_rounds([a, b], folder)
    assert not (folder / sent.path.name).exists()
    assert not (folder / later.path.name).exists()


def test_folder_sync_runs_in_a_worker_while_the_user_keeps_typing(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    folder = tmp_path / "shared"
    folder.mkdir()
    _, session_id = new_session(a)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(5):
                a.sync.sync_folder(folder)
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    for index in range(30):
        a.ws.cases.save_answer(session_id, f"q{index}", "yes")
    thread.join(30)
    assert not errors
    a.sync.sync_folder(folder)
    b.sync.sync_folder(folder)
    assert len(b.ws.cases.get_session(session_id).answers) == 30


def test_a_sender_with_a_fast_clock_is_accepted_with_a_warning(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    ahead = 20 * 60 * 1000
    a.ws._ctx.journal.clock._wall_ms = lambda: time.time_ns() // 1_000_000 + ahead
    new_session(a)
    result = b.sync.import_file(a.export(tmp_path).path)
    assert result.outcome is not None and result.outcome.rows == 2
    assert result.warnings and "ahead" in result.warnings[0]


def test_cards_are_files_and_qr_codes_and_damage_is_noticed(
    team: list[Device], tmp_path: Path
) -> None:
    a = team[0]
    card = a.sync.write_card(tmp_path / "a.ptkcard", tmp_path / "a.png")
    a.sync.write_card(tmp_path / "b.ptkcard", tmp_path / "a.svg")
    assert (tmp_path / "a.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (tmp_path / "a.svg").read_bytes()
    loaded = DeviceCard.from_bytes((tmp_path / "a.ptkcard").read_bytes())
    assert loaded == card and len(card.fingerprint) == 24
    damaged = (tmp_path / "a.ptkcard").read_bytes().replace(card.name.encode(), b"Evil")
    with pytest.raises(SyncError, match="altered"):
        DeviceCard.from_bytes(damaged)
    with pytest.raises(SyncError, match="not a readable"):
        DeviceCard.from_bytes(b"hello")


def test_nothing_personal_travels_in_the_clear_or_lands_in_the_audit_log(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    case = a.ws.cases.open_case(IntervieweeDetails(given_name="Somchai", alias="Nyein Nyein"))
    result = a.export(tmp_path)
    data = result.path.read_bytes()
    for secret in (b"Somchai", b"Nyein", case.id.encode(), a.ws.info.name.encode()):
        assert secret not in data
    b.sync.import_file(result.path)
    for device in (a, b):
        for entry in device.ws.audit_entries(10_000):
            assert "Somchai" not in entry.detail and "Nyein" not in entry.detail


def test_export_without_a_team_says_what_to_do(tmp_path: Path) -> None:
    lone = make_device(tmp_path / "lone", "lone")
    try:
        with pytest.raises(SyncError, match="not in a sync team"):
            lone.sync.export_bundle(tmp_path / "out")
        status = lone.sync.status()
        assert status.team_id is None and len(status.fingerprint) == 24
    finally:
        lone.ws.lock()


def test_state_survives_locking_and_unlocking(team: list[Device], tmp_path: Path) -> None:
    a, b, _ = team
    new_session(a)
    first = a.export(tmp_path / "1")
    identity = a.sync.identity()
    a.reopen()
    assert a.sync.identity().sign_key == identity.sign_key
    assert a.sync.export_bundle(tmp_path / "2") is None  # the cursor was kept
    b.sync.import_file(first.path)
    b.reopen()
    assert b.sync.import_file(first.path).duplicate
