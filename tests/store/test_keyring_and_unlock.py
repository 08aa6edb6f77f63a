"""Unlocking: passphrases, recovery code, back-off, and what each operation touches on disk."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from practitioner_toolkit.store import (
    IntervieweeDetails,
    KdfParams,
    Role,
    UnknownUserError,
    UnlockThrottledError,
    ValidationError,
    Workspace,
    WorkspaceExistsError,
    WorkspaceNotFoundError,
    WrongPassphraseError,
    list_workspaces,
    normalise_recovery_code,
)
from practitioner_toolkit.store.keyring import Keyring, new_recovery_code
from practitioner_toolkit.store.workspace import DATABASE_FILE, KEYRING_FILE
from tests.conftest import FAST_KDF, PASSPHRASE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _create(folder: Path) -> str:
    ws, code = Workspace.create(
        folder,
        name="Mae Sot post",
        username="supervisor",
        display_name="Supervisor",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
    )
    ws.lock()
    return code


def test_unlock_with_the_right_passphrase_opens_the_workspace(workspace_dir: Path) -> None:
    _create(workspace_dir)
    ws = Workspace.unlock(workspace_dir, "Supervisor ", PASSPHRASE)
    assert ws.user.role is Role.SUPERVISOR
    assert ws.info.name == "Mae Sot post"
    ws.lock()
    assert ws.is_locked


def test_wrong_passphrase_is_a_clear_error_and_leaves_the_database_untouched(
    workspace_dir: Path,
) -> None:
    _create(workspace_dir)
    before = _digest(workspace_dir / DATABASE_FILE)
    with pytest.raises(WrongPassphraseError, match="passphrase is not correct"):
        Workspace.unlock(workspace_dir, "supervisor", "not the passphrase at all")
    assert _digest(workspace_dir / DATABASE_FILE) == before
    assert not (workspace_dir / (DATABASE_FILE + "-wal")).exists()


def test_repeated_failures_make_the_user_wait_longer_each_time(workspace_dir: Path) -> None:
    _create(workspace_dir)
    for _ in range(3):
        with pytest.raises(WrongPassphraseError):
            Workspace.unlock(workspace_dir, "supervisor", "wrong passphrase!!")
    with pytest.raises(UnlockThrottledError) as first:
        Workspace.unlock(workspace_dir, "supervisor", PASSPHRASE)
    state_path = workspace_dir / "unlock-state.json"
    state = json.loads(state_path.read_text())
    state["last_failure"] -= 10_000  # pretend the wait is over
    state_path.write_text(json.dumps(state))
    with pytest.raises(WrongPassphraseError):
        Workspace.unlock(workspace_dir, "supervisor", "wrong passphrase again")
    with pytest.raises(UnlockThrottledError) as second:
        Workspace.unlock(workspace_dir, "supervisor", PASSPHRASE)
    assert second.value.retry_after_seconds > first.value.retry_after_seconds
    assert "Wait" in str(second.value)


def test_success_resets_the_back_off(workspace_dir: Path) -> None:
    _create(workspace_dir)
    with pytest.raises(WrongPassphraseError):
        Workspace.unlock(workspace_dir, "supervisor", "wrong passphrase!!")
    Workspace.unlock(workspace_dir, "supervisor", PASSPHRASE).lock()
    assert not (workspace_dir / "unlock-state.json").exists()


def test_unknown_user_and_missing_workspace_are_named(tmp_path: Path, workspace_dir: Path) -> None:
    _create(workspace_dir)
    with pytest.raises(UnknownUserError, match="nobody"):
        Workspace.unlock(workspace_dir, "nobody", PASSPHRASE)
    with pytest.raises(WorkspaceNotFoundError):
        Workspace.unlock(tmp_path / "elsewhere", "supervisor", PASSPHRASE)


def test_creating_over_an_existing_workspace_is_refused(workspace_dir: Path) -> None:
    _create(workspace_dir)
    with pytest.raises(WorkspaceExistsError):
        _create(workspace_dir)


@pytest.mark.parametrize(
    ("username", "passphrase", "message"),
    [
        ("x", PASSPHRASE, "user name"),
        ("ok-name", "short", "at least 10"),
        ("ok-name", " padded passphrase ", "space"),
        ("Has Space", PASSPHRASE, "user name"),
    ],
)
def test_bad_set_up_input_is_rejected_with_a_reason(
    workspace_dir: Path, username: str, passphrase: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Workspace.create(
            workspace_dir,
            name="Post",
            username=username,
            display_name="Name",
            passphrase=passphrase,
            kdf=FAST_KDF,
        )
    assert not (workspace_dir / KEYRING_FILE).exists()


def test_changing_a_passphrase_rewrites_the_keyring_only(workspace_dir: Path) -> None:
    _create(workspace_dir)
    data_key = Keyring.load(workspace_dir / KEYRING_FILE).unwrap_for_user("supervisor", PASSPHRASE)
    salt_before = (workspace_dir / DATABASE_FILE).read_bytes()[:16]
    ws = Workspace.unlock(workspace_dir, "supervisor", PASSPHRASE, kdf=FAST_KDF)
    keyring_before = _digest(workspace_dir / KEYRING_FILE)
    ws.users.change_passphrase("supervisor", PASSPHRASE, "a brand new passphrase")
    assert _digest(workspace_dir / KEYRING_FILE) != keyring_before
    ws.lock()
    with pytest.raises(WrongPassphraseError):
        Workspace.unlock(workspace_dir, "supervisor", PASSPHRASE)
    Workspace.unlock(workspace_dir, "supervisor", "a brand new passphrase").lock()
    # Same data key and same file salt: the database was never re-encrypted.
    keyring = Keyring.load(workspace_dir / KEYRING_FILE)
    assert keyring.unwrap_for_user("supervisor", "a brand new passphrase") == data_key
    assert (workspace_dir / DATABASE_FILE).read_bytes()[:16] == salt_before
    assert [s.username for s in keyring.slots if s.kind.value == "user"] == ["supervisor"]


def test_recovery_code_resets_a_forgotten_passphrase(workspace_dir: Path) -> None:
    code = _create(workspace_dir)
    typed = code.lower().replace("-", " ")
    ws = Workspace.recover(workspace_dir, typed, "supervisor", "my new long passphrase")
    ws.lock()
    Workspace.unlock(workspace_dir, "supervisor", "my new long passphrase").lock()
    with pytest.raises(WrongPassphraseError, match="recovery code"):
        Workspace.recover(workspace_dir, new_recovery_code(), "supervisor", "another passphrase")


def test_recovery_codes_tolerate_how_people_type_them() -> None:
    code = new_recovery_code()
    assert len(code) == 39 and code.count("-") == 7
    assert normalise_recovery_code(code.lower()) == code.replace("-", "")
    with pytest.raises(WrongPassphraseError, match="32 letters"):
        normalise_recovery_code("ABCD-EFGH")


def test_a_new_user_gets_their_own_slot_and_can_unlock(workspace: Workspace) -> None:
    workspace.users.add("officer.kim", "Kim Sokha", Role.SCREENER, "officer passphrase 1")
    folder = workspace.directory
    workspace.lock()
    ws = Workspace.unlock(folder, "officer.kim", "officer passphrase 1")
    assert ws.user.role is Role.SCREENER
    ws.cases.open_case(IntervieweeDetails())
    with pytest.raises(Exception, match="supervisor"):
        ws.users.add("other", "Other", Role.SCREENER, "some passphrase 12")
    ws.lock()
    assert [h.usernames for h in list_workspaces(folder.parent)] == [("officer.kim", "supervisor")]


def test_a_deactivated_user_can_no_longer_unlock(workspace: Workspace) -> None:
    workspace.users.add("officer", "Officer", Role.SCREENER, "officer passphrase 1")
    workspace.users.deactivate("officer")
    with pytest.raises(ValidationError, match="your own account"):
        workspace.users.deactivate("supervisor")
    with pytest.raises(ValidationError, match="not active"):  # no way back in through a reset
        workspace.users.change_passphrase("officer", "", "a fresh passphrase")
    assert "officer" not in Keyring.load(workspace.directory / KEYRING_FILE).usernames()
    folder = workspace.directory
    workspace.lock()
    with pytest.raises(UnknownUserError):
        Workspace.unlock(folder, "officer", "officer passphrase 1")


def test_default_kdf_costs_enough_to_slow_guessing() -> None:
    params = KdfParams()
    assert params.memory_kib >= 64 * 1024
    assert params.time_cost >= 3
