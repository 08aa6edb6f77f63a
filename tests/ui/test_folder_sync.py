"""The sync folder kept in step while the window is unlocked, without blocking anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from practitioner_toolkit.store import AuditAction, CaseFilter, IntervieweeDetails
from practitioner_toolkit.ui import folder_sync
from tests.sync.conftest import Device, join, make_device, new_session
from tests.ui.conftest import settle, unlock


def _team_on_a_stick(data_dir: Path, tmp_path: Path) -> tuple[Device, Path, str]:
    """The office (the window's workspace) and a border post, and on the stick a bundle
    from the border post with one case."""
    shared = tmp_path / "usb-stick"
    shared.mkdir()
    office = make_device(data_dir / "workspaces" / "office", "Office")
    post = make_device(tmp_path / "border-post", "Border post")
    office.sync.create_team("Border team")
    join(office, post)
    office.ws.sync_state.set_sync_folder(str(shared))
    office.ws.lock()
    case_id, _ = new_session(post)
    post.sync.sync_folder(shared)
    return post, shared, case_id


def test_an_unlocked_window_takes_in_other_devices_bundles_from_the_folder(
    qtbot: QtBot,
    make_window: object,
    fixture_registry: object,
    isolated_data_dir: Path,
    tmp_path: Path,
) -> None:
    post, shared, case_id = _team_on_a_stick(isolated_data_dir, tmp_path)

    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    syncer = window.folder_sync
    assert syncer.timer.isActive() and syncer.first.isActive()  # soon, then timed
    with qtbot.waitSignal(syncer.finished, timeout=20_000) as signal:
        syncer.run_now()
    summary, data_arrived = signal.args
    assert data_arrived and "1 bundles taken in" in summary
    assert window.statusBar().currentMessage() == summary
    qtbot.waitUntil(lambda: [c.id for c in window.cases_page.model.cases] == [case_id])

    # The next run passes on what came in (for devices that only meet this one), and says
    # that a damaged file on the stick could not be used...
    (shared / "damaged.ptkbundle").write_bytes(b"not a bundle at all")
    with qtbot.waitSignal(syncer.finished, timeout=20_000) as signal:
        syncer.run_now()
    assert signal.args[0].startswith("Sync folder: 1 files could not be used")

    # ...and then there is nothing new: nothing said (the damaged file was reported once),
    # nothing written to the audit log.
    def sync_entries() -> int:
        entries = window.ctx.ws.audit_entries(10_000)
        return sum(1 for e in entries if e.action == AuditAction.SYNC.value)

    settle(qtbot, window)
    before = sync_entries()
    with qtbot.waitSignal(syncer.finished, timeout=20_000) as signal:
        syncer.run_now()
    assert signal.args == ["", False]
    assert sync_entries() == before

    # The stick is pulled out: quietly nothing.
    window.ctx.ws.sync_state.set_sync_folder(str(tmp_path / "not-plugged-in"))
    with qtbot.waitSignal(syncer.finished, timeout=20_000) as signal:
        syncer.run_now()
    assert signal.args == ["", False]
    assert window.ctx.ws.cases.list_cases(CaseFilter()).total == 1

    window.lock()
    assert not syncer.timer.isActive() and not syncer.first.isActive()
    post.ws.lock()


def test_without_a_sync_folder_the_timer_does_nothing(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    with qtbot.waitSignal(window.folder_sync.finished, timeout=20_000) as signal:
        window.folder_sync.run_now()
    assert signal.args == ["", False]
    assert window.statusBar().currentMessage() == ""


def test_the_folder_is_synced_when_it_appears_and_every_five_minutes_while_it_stays(
    qtbot: QtBot,
    make_window: object,
    fixture_registry: object,
    isolated_data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    post, shared, _ = _team_on_a_stick(isolated_data_dir, tmp_path)
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    syncer = window.folder_sync

    def check() -> list[object]:
        with qtbot.waitSignal(syncer.finished, timeout=20_000) as signal:
            syncer.check()
        return list(signal.args)

    assert check()[1] is True  # reachable, never synced: synced
    window.ctx.ws.cases.open_case(IntervieweeDetails())  # news to send...
    files = sorted(shared.iterdir())
    assert check() == ["", False]  # ...but the folder was synced moments ago
    assert sorted(shared.iterdir()) == files
    shared.rename(tmp_path / "in-a-pocket")  # the stick is pulled out...
    assert check() == ["", False]
    (tmp_path / "in-a-pocket").rename(shared)  # ...and plugged in again: synced at once
    assert "changes sent" in str(check()[0])
    assert len(list(shared.iterdir())) > len(files)
    window.ctx.ws.cases.open_case(IntervieweeDetails())
    monkeypatch.setattr(folder_sync, "SYNC_EVERY_S", 0.0)  # five minutes later
    assert "changes sent" in str(check()[0])
    post.ws.lock()
