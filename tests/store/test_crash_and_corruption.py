"""A power cut or a kill mid-interview, and damaged files: clear errors, nothing lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from practitioner_toolkit.store import (
    CorruptWorkspaceError,
    IntervieweeDetails,
    KeyringError,
    SchemaTooNewError,
    StoreError,
    Workspace,
    WorkspaceNotFoundError,
)
from practitioner_toolkit.store.workspace import DATABASE_FILE, KEYRING_FILE
from tests.conftest import FAST_KDF, PASSPHRASE


def _make(folder: Path, cases: int = 50) -> None:
    ws, _ = Workspace.create(
        folder,
        name="Post",
        username="supervisor",
        display_name="S",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
    )
    with ws.bulk():
        for i in range(cases):
            ws.cases.open_case(IntervieweeDetails(alias=f"person {i}" * 20))
    ws.lock()


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_during_a_burst_of_answers_loses_no_committed_answer(
    workspace_dir: Path,
) -> None:
    _make(workspace_dir, cases=0)
    writer = Path(__file__).with_name("crash_writer.py")
    proc = subprocess.Popen(
        [sys.executable, str(writer), str(workspace_dir), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert proc.stdout is not None
    session_id = proc.stdout.readline().split()[1]
    committed = -1
    deadline = time.monotonic() + 60
    while committed < 150 and time.monotonic() < deadline:
        committed = int(proc.stdout.readline())
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Anything printed after our last read was committed too; read what is left.
    for line in proc.stdout:
        committed = max(committed, int(line))
    assert committed >= 150

    ws = Workspace.unlock(workspace_dir, "supervisor", PASSPHRASE)
    answers = ws.cases.get_session(session_id).answers
    for index in range(committed + 1):
        assert answers[f"q{index}"].value == f"answer {index}"
    assert ws.verify_audit_log().ok
    assert ws.check_integrity() == []
    ws.lock()


def _unlock(folder: Path) -> None:
    Workspace.unlock(folder, "supervisor", PASSPHRASE).lock()


@pytest.mark.parametrize("keep_bytes", [0, 100, 4096, 4096 * 3 + 17])
def test_a_truncated_database_gives_a_clear_error(workspace_dir: Path, keep_bytes: int) -> None:
    _make(workspace_dir)
    db = workspace_dir / DATABASE_FILE
    with db.open("r+b") as handle:
        handle.truncate(keep_bytes)
    with pytest.raises(CorruptWorkspaceError) as error:
        _unlock(workspace_dir)
    assert (
        "truncated" in str(error.value)
        or "damaged" in str(error.value)
        or "empty" in str(error.value)
    )


def test_a_database_cut_short_by_whole_pages_is_caught(workspace_dir: Path) -> None:
    _make(workspace_dir)
    db = workspace_dir / DATABASE_FILE
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.truncate(size - 4096 * 4)
    with pytest.raises(CorruptWorkspaceError, match=r"truncated|damaged"):
        _unlock(workspace_dir)


@pytest.mark.parametrize("offset", [0, 20, 4096 + 100, -200])
def test_flipped_bytes_give_a_clear_error_never_wrong_data(
    workspace_dir: Path, offset: int
) -> None:
    _make(workspace_dir)
    db = workspace_dir / DATABASE_FILE
    data = bytearray(db.read_bytes())
    for i in range(8):
        data[offset + i] ^= 0xFF
    db.write_bytes(bytes(data))
    try:
        ws = Workspace.unlock(workspace_dir, "supervisor", PASSPHRASE)
    except CorruptWorkspaceError:
        return
    # Damage in a page not read at unlock must surface on use or in the integrity check.
    with pytest.raises(CorruptWorkspaceError):
        ws.cases.list_cases()
        problems = ws.check_integrity()
        if problems:
            raise CorruptWorkspaceError("integrity check failed")
    ws.lock()


def test_a_deleted_database_is_not_silently_recreated(workspace_dir: Path) -> None:
    _make(workspace_dir)
    (workspace_dir / DATABASE_FILE).unlink()
    with pytest.raises(WorkspaceNotFoundError):
        _unlock(workspace_dir)
    assert not (workspace_dir / DATABASE_FILE).exists()


def test_a_garbage_keyring_is_reported(workspace_dir: Path) -> None:
    _make(workspace_dir)
    (workspace_dir / KEYRING_FILE).write_text("{not json")
    with pytest.raises(KeyringError, match="damaged"):
        _unlock(workspace_dir)


def test_a_database_from_another_workspace_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _make(first, 1)
    _make(second, 1)
    (first / DATABASE_FILE).replace(second / DATABASE_FILE)
    with pytest.raises(StoreError):
        _unlock(second)


def test_a_database_from_a_newer_version_is_refused(workspace_dir: Path) -> None:
    _make(workspace_dir, 1)
    ws = Workspace.unlock(workspace_dir, "supervisor", PASSPHRASE)
    ws._db.execute("PRAGMA user_version = 999")
    ws.lock()
    with pytest.raises(SchemaTooNewError, match="newer version"):
        _unlock(workspace_dir)
