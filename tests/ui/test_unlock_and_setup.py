"""First run, unlocking, wrong passphrases, and locking (by hand and when idle)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from practitioner_toolkit.store import IntervieweeDetails, Workspace
from practitioner_toolkit.ui.pages.cases import CasesPage
from practitioner_toolkit.ui.pages.setup import RecoveryCodePage
from practitioner_toolkit.ui.pages.unlock import UnlockPage
from tests.conftest import PASSPHRASE
from tests.ui.conftest import settle, unlock


def _visible_texts(window: object) -> str:
    texts = []
    for widget in window.findChildren(QLabel):  # type: ignore[attr-defined]
        if widget.isVisible():
            texts.append(widget.text())
    for widget in window.findChildren(QLineEdit):  # type: ignore[attr-defined]
        if widget.isVisible():
            texts.append(widget.text())
    return "\n".join(texts)


def test_first_run_creates_a_workspace_and_shows_the_recovery_code_once(
    qtbot: QtBot, make_window: object, fixture_registry: object, isolated_data_dir: Path
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    assert isinstance(window.stack.currentWidget(), UnlockPage)
    qtbot.mouseClick(window.unlock_page.new_button, Qt.MouseButton.LeftButton)
    setup = window.setup_page
    qtbot.keyClicks(setup.name, "Poipet office")
    qtbot.keyClicks(setup.display_name, "Dara Sok")
    qtbot.keyClicks(setup.username, "dara")
    qtbot.keyClicks(setup.passphrase, PASSPHRASE)
    qtbot.keyClicks(setup.repeat, "something else entirely")
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    assert "differ" in setup.status.text()
    setup.repeat.clear()
    qtbot.keyClicks(setup.repeat, PASSPHRASE)
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    page = window.stack.currentWidget()
    assert isinstance(page, RecoveryCodePage)
    code = page.code_label.text()
    assert len(code) == 39
    assert not page.continue_button.isEnabled()
    page.stored.setChecked(True)
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert isinstance(window.stack.currentWidget(), CasesPage)
    assert page.code_label.text() == ""  # gone from the window for good
    window.lock()
    Workspace.recover(
        isolated_data_dir / "workspaces" / "poipet-office", code, "dara", "recovered passphrase"
    ).lock()


def test_wrong_passphrase_says_so_and_keeps_the_window_locked(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    page = window.unlock_page
    assert page.workspace.currentText() == "Mae Sot post"
    qtbot.keyClicks(page.passphrase, "not my passphrase")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert "not correct" in page.status.text()
    assert page.passphrase.text() == ""
    assert window.ctx.workspace is None
    assert isinstance(window.stack.currentWidget(), UnlockPage)


def test_lock_shortcut_hides_everything_immediately(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    window.new_case()
    settle(qtbot, window)
    reference = window.case_page.view.case.reference
    window.case_page.given_name.setText("Secret Name")
    assert reference in _visible_texts(window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.stack.currentWidget(), UnlockPage)
    assert window.ctx.workspace is None
    everything = "\n".join(
        w.text() for w in window.findChildren(QLabel) + window.findChildren(QLineEdit)
    )
    assert reference not in everything
    assert "Secret Name" not in everything
    assert window.windowTitle() == "Practitioner Toolkit"


def test_idle_timeout_locks_the_workspace(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    assert window.ctx.workspace is not None
    window.idle_timer.start(150)
    qtbot.waitUntil(lambda: window.ctx.workspace is None, timeout=3000)
    assert isinstance(window.stack.currentWidget(), UnlockPage)


def test_typing_keeps_the_workspace_open_and_idleness_locks_it(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    search = window.cases_page.search
    window.idle_timer.start(400)
    for _ in range(8):  # 1.2 s of typing, never 400 ms apart
        qtbot.keyClick(search, Qt.Key.Key_A)
        qtbot.wait(150)
    assert window.ctx.workspace is not None
    qtbot.waitUntil(lambda: window.ctx.workspace is None, timeout=3000)
    assert isinstance(window.stack.currentWidget(), UnlockPage)
    # Locked, input starts no lock timer; unlocking again watches input again.
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_A)
    assert not window.idle_timer.isActive()
    window.unlock_page.passphrase.clear()
    unlock(qtbot, window)
    window.idle_timer.start(400)
    for _ in range(4):
        qtbot.keyClick(window.cases_page.search, Qt.Key.Key_B)
        qtbot.wait(150)
    assert window.ctx.workspace is not None


def test_results_of_work_running_when_the_window_locks_never_reach_the_screen(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    ws = window.ctx.ws
    ws.cases.open_case(IntervieweeDetails(alias="Secret Name"), post="Poipet checkpoint")
    cases = window.cases_page
    cases.activate()  # the list and the post filter are being read in the background...
    window.lock()  # ...when the window locks
    qtbot.wait(300)  # their results arrive now
    assert cases.model.cases == []
    assert cases.post.findText("Poipet checkpoint") == -1
    assert isinstance(window.stack.currentWidget(), UnlockPage)


def test_undo_after_a_lock_brings_back_no_typed_name(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    qtbot.keyClicks(window.cases_page.search, "Somchai")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    qtbot.keyClicks(window.case_page.alias, "Secret Name")
    window.lock()
    fields = [window.cases_page.search, window.case_page.alias]
    for field in fields:
        field.undo()
        assert field.text() == ""


def test_a_lock_empties_the_clipboard_only_if_this_app_filled_it(
    qtbot: QtBot,
    make_window: object,
    fixture_registry: object,
    workspace_on_disk: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    clipboard = QApplication.clipboard()
    for owned, expected in ((True, ""), (False, "text from another program")):
        unlock(qtbot, window)
        clipboard.setText("Secret Name" if owned else "text from another program")
        # The offscreen platform never reports ownership; a desktop one does.
        monkeypatch.setattr(QClipboard, "ownsClipboard", lambda _self, o=owned: o)
        window.lock()
        assert clipboard.text() == expected
