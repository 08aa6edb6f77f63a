"""An import is one transaction: stopped half-way, by an error or a kill, it leaves nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from practitioner_toolkit.store import Workspace
from practitioner_toolkit.sync import ExportResult
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.sync.conftest import Device, new_session

ANSWERS = 2_500  # more than one chunk (2,000 rows) of the bulk import


def _big_bundle(device: Device, out: Path) -> ExportResult:
    with device.ws.bulk():
        _, session_id = new_session(device)
        for index in range(ANSWERS):
            device.ws.cases.save_answer(session_id, f"q{index}", f"answer {index}")
    return device.export(out)


def _state(ws: Workspace) -> tuple[object, ...]:
    return (
        ws.sync_state.canonical_snapshot(),
        ws.sync_state.imported_count(),
        ws.sync_state.unresolved_conflict_count(),
        ws.stats().answers,
    )


def test_an_error_half_way_through_an_import_leaves_the_store_as_before(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    result = _big_bundle(a, tmp_path)
    before = _state(b.ws)
    audit_before = b.ws.audit_entries(10_000)
    seen: list[int] = []

    def fail_after_first_chunk(done: int, total: int) -> None:
        seen.append(done)
        if done > ANSWERS // 2:  # the first chunk of answers is written
            raise RuntimeError("the power went off")

    with pytest.raises(RuntimeError, match="power"):
        b.sync.import_file(result.path, progress=fail_after_first_chunk)
    assert 0 < seen[-1] < ANSWERS  # records had been written inside the transaction
    assert _state(b.ws) == before
    assert b.ws.audit_entries(10_000) == audit_before

    retry = b.sync.import_file(result.path)
    assert retry.outcome is not None and retry.outcome.rows == ANSWERS + 2
    assert b.ws.stats().answers == ANSWERS
    b.reopen()
    assert b.ws.verify_audit_log().ok
    assert b.ws.check_integrity() == []


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_kill_half_way_through_an_import_leaves_the_store_as_before(
    team: list[Device], tmp_path: Path
) -> None:
    a, b, _ = team
    result = _big_bundle(a, tmp_path)
    before = _state(b.ws)
    audit_before = b.ws.audit_entries(10_000)
    b.ws.lock()

    worker = Path(__file__).with_name("import_worker.py")
    proc = subprocess.Popen(
        [sys.executable, str(worker), str(b.folder), PASSPHRASE, str(result.path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("applying"), line
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert "finished" not in proc.stdout.read()

    ws = Workspace.unlock(b.folder, "supervisor", PASSPHRASE, kdf=FAST_KDF)
    try:
        assert _state(ws) == before
        entries = ws.audit_entries(10_000)
        # New: our lock, the child's unlock (committed before the import began), our unlock.
        assert entries[3:] == audit_before
        assert [e.action for e in entries[:3]] == ["unlock", "unlock", "lock"]
        assert ws.verify_audit_log().ok
        assert ws.check_integrity() == []
    finally:
        ws.lock()
    b.reopen()
    retry = b.sync.import_file(result.path)
    assert retry.outcome is not None and b.ws.stats().answers == ANSWERS
