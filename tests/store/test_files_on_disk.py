"""What a lost laptop would reveal: the real files, read byte by byte."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from practitioner_toolkit.store import (
    Agency,
    Consent,
    ConsentMethod,
    Interpreter,
    IntervieweeDetails,
    RetentionPolicy,
    RetentionReport,
    Urgency,
    Workspace,
)
from practitioner_toolkit.store.workspace import DATABASE_FILE
from tests.conftest import PASSPHRASE
from tests.helpers import all_file_bytes, decrypt_database_pages, decrypt_wal_frames, encodings_of

PERSONAL = [
    "Nguyễn Thị Hương",
    "Somchai Jaidee",
    "သူဇာမြင့်",  # Burmese name
    "សុខ ចាន់ថា",  # Khmer name
    "ທອງດີ ພົມມະ",  # Lao name
    "held on the boat Sea Star 7",
    "ถูกยึดหนังสือเดินทาง",
    "+66812345678",
]


def _fill(ws: Workspace) -> tuple[str, str]:
    case = ws.cases.open_case(
        IntervieweeDetails(given_name=PERSONAL[0], family_name=PERSONAL[1], alias=PERSONAL[2]),
        post="Ranong pier",
    )
    session = ws.cases.start_session(
        case.id, "adult-screening", "1.0.0", "en", "km", Interpreter(True, "km")
    )
    ws.cases.save_answer(session.id, "story", PERSONAL[5], search_text=PERSONAL[5])
    ws.cases.save_answer(session.id, "khmer_name", PERSONAL[3], search_text=PERSONAL[3])
    ws.cases.save_note(session.id, "journey", f"{PERSONAL[4]} {PERSONAL[6]}")
    agency = ws.agencies.save(Agency("", "Shelter", "shelter", ("shelter",), phone=PERSONAL[7]))
    ws.referrals.create(
        case.id,
        agency.id,
        ("shelter",),
        Urgency.URGENT,
        Consent(True, "person", ConsentMethod.WRITTEN, "2026-01-01T00:00:00Z"),
        summary=PERSONAL[5],
    )
    return case.id, session.id


def _assert_absent(folder: Path, strings: list[str]) -> None:
    for path, data in all_file_bytes(folder).items():
        for text in strings:
            for encoded in encodings_of(text):
                assert encoded not in data, f"{text!r} found in {path.name}"


def test_no_personal_string_in_any_file_while_open_or_after_close(workspace: Workspace) -> None:
    _fill(workspace)
    folder = workspace.directory
    assert (folder / (DATABASE_FILE + "-wal")).exists()  # WAL in use while open
    _assert_absent(folder, PERSONAL)
    workspace.lock()
    _assert_absent(folder, PERSONAL)


def test_the_files_do_hold_the_data_once_decrypted(workspace: Workspace) -> None:
    """Guards the test above: the strings are really written, only encrypted."""
    _fill(workspace)
    key = bytes(workspace._data_key)
    folder = workspace.directory
    workspace.lock()
    plain = decrypt_database_pages(folder / DATABASE_FILE, key)
    assert PERSONAL[0].encode() in plain
    assert PERSONAL[5].encode() in plain


def test_deleted_cases_leave_no_trace_in_decrypted_pages(workspace: Workspace) -> None:
    case_id, _ = _fill(workspace)
    key = bytes(workspace._data_key)
    folder = workspace.directory
    workspace.cases.delete_case(case_id)
    plain = decrypt_database_pages(folder / DATABASE_FILE, key) + decrypt_wal_frames(
        folder / (DATABASE_FILE + "-wal"), key
    )
    for text in PERSONAL[:7]:
        assert text.encode() not in plain, f"{text!r} survived deletion"
    assert workspace.cases.list_cases().total == 0


@pytest.mark.parametrize("mode", ["anonymise", "delete"])
def test_retention_removes_old_personal_data_from_the_file(workspace: Workspace, mode: str) -> None:
    _fill(workspace)
    key = bytes(workspace._data_key)
    folder = workspace.directory
    workspace.retention.set_policy(RetentionPolicy(30, mode))
    assert workspace.retention.apply() == RetentionReport(0, 0)  # nothing is old yet
    report = workspace.retention.apply(dt.datetime.now(dt.UTC) + dt.timedelta(days=31))
    assert (report.cases_deleted, report.cases_anonymised) == (
        (1, 0) if mode == "delete" else (0, 1)
    )
    plain = decrypt_database_pages(folder / DATABASE_FILE, key) + decrypt_wal_frames(
        folder / (DATABASE_FILE + "-wal"), key
    )
    for text in PERSONAL[:7]:
        assert text.encode() not in plain, f"{text!r} survived retention ({mode})"
    if mode == "anonymise":
        (summary,) = workspace.cases.list_cases().cases
        case = workspace.cases.get_case(summary.id)
        assert not case.interviewee.has_personal_data
        assert case.reference  # the pseudonymous case stays for statistics


def test_workspace_folder_is_private(workspace: Workspace) -> None:
    import os
    import stat

    if os.name == "nt":
        pytest.skip("POSIX permissions")
    mode = stat.S_IMODE(workspace.directory.stat().st_mode)
    assert mode == 0o700


def test_reopen_after_close_keeps_everything(workspace: Workspace) -> None:
    _, session_id = _fill(workspace)
    folder = workspace.directory
    workspace.lock()
    ws = Workspace.unlock(folder, "supervisor", PASSPHRASE)
    session = ws.cases.get_session(session_id)
    assert session.answers["story"].value == PERSONAL[5]
    assert session.notes["journey"].startswith(PERSONAL[4])
    ws.lock()
