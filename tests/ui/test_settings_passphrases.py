"""Passphrases from the settings: one's own (with the current one) and, for a supervisor, a
new one for a user who forgot theirs. Only a key slot changes; the data stays readable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from practitioner_toolkit.store import Role, Workspace, WrongPassphraseError
from practitioner_toolkit.ui.pages.settings import PassphraseTab, SettingsDialog, UsersTab
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.ui.conftest import settle, unlock

NEW = "a brand new passphrase"


def _settings(window: object) -> SettingsDialog:
    dialog = SettingsDialog(window.ctx, window)  # type: ignore[attr-defined]
    dialog.show()
    return dialog


def test_a_user_changes_their_own_passphrase_after_proving_the_current_one(
    qtbot: QtBot,
    make_window: object,
    fixture_registry: object,
    workspace_on_disk: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    tab = _settings(window).findChild(PassphraseTab)
    assert tab is not None
    errors: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: errors.append(text))
    )
    # Wrong current passphrase: refused, nothing changes.
    qtbot.keyClicks(tab.current, "not my passphrase")
    qtbot.keyClicks(tab.new, NEW)
    qtbot.keyClicks(tab.repeat, NEW)
    qtbot.mouseClick(tab.change_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert errors == ["The passphrase is not correct."]
    # The two new ones differ: said at once, nothing sent.
    qtbot.keyClicks(tab.current, PASSPHRASE)
    qtbot.keyClicks(tab.new, NEW)
    qtbot.keyClicks(tab.repeat, NEW + "!")
    qtbot.keyClick(tab.repeat, Qt.Key.Key_Return)
    assert tab.status.text() == "The two passphrases differ."
    # Right: changed, and every field is empty again.
    qtbot.keyClicks(tab.current, PASSPHRASE)
    qtbot.keyClicks(tab.new, NEW)
    qtbot.keyClicks(tab.repeat, NEW)
    qtbot.keyClick(tab.repeat, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "changed" in tab.status.text()
    assert [tab.current.text(), tab.new.text(), tab.repeat.text()] == ["", "", ""]
    window.lock()
    folder = workspace_on_disk.directory
    with pytest.raises(WrongPassphraseError):
        Workspace.unlock(folder, "somchai", PASSPHRASE, kdf=FAST_KDF)
    Workspace.unlock(folder, "somchai", NEW, kdf=FAST_KDF).lock()


def test_a_supervisor_sets_a_new_passphrase_for_a_user_who_forgot_theirs(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: Workspace
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    window.ctx.ws.users.add("dara", "Dara Sok", Role.SCREENER, "forgotten passphrase")
    users = _settings(window).findChild(UsersTab)
    assert users is not None
    settle(qtbot, window)
    rows = {
        users.users.item(i).data(Qt.ItemDataRole.UserRole): i for i in range(users.users.count())
    }
    users.users.setCurrentRow(rows["somchai"])
    assert not users.reset_button.isEnabled()  # one's own: in "My passphrase"
    users.users.setCurrentRow(rows["dara"])
    assert users.reset_button.isEnabled()
    qtbot.keyClicks(users.passphrase, NEW)
    qtbot.mouseClick(users.reset_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert users.status.text() == "New passphrase set for dara."
    assert users.passphrase.text() == ""
    window.lock()
    Workspace.unlock(workspace_on_disk.directory, "dara", NEW, kdf=FAST_KDF).lock()
