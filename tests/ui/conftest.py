"""Fixtures for driving the real window with pytest-qt.

Every test gets a fresh data folder, the fixture form registry (or the bundled one), a fast
key-derivation setting and a window that is locked and drained of background work at the end.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from practitioner_toolkit import paths
from practitioner_toolkit.forms import FormRegistry
from practitioner_toolkit.i18n import set_language
from practitioner_toolkit.store import Agency, Workspace
from practitioner_toolkit.ui.context import AppSignals, UiContext
from practitioner_toolkit.ui.fonts import load_bundled_fonts
from practitioner_toolkit.ui.main_window import MainWindow
from practitioner_toolkit.ui.operations import Operations
from practitioner_toolkit.ui.preferences import Preferences
from tests.conftest import FAST_KDF, PASSPHRASE

MINI = Path(__file__).parents[1] / "forms" / "fixtures" / "mini.yaml"


@pytest.fixture
def fixture_registry(tmp_path: Path) -> FormRegistry:
    folder = tmp_path / "forms" / "mini-screening"
    folder.mkdir(parents=True)
    shutil.copy(MINI, folder / "1.0.0.yaml")
    return FormRegistry.load(tmp_path / "forms")


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def make(registry: FormRegistry | None = None, language: str = "en") -> MainWindow:
        load_bundled_fonts()
        ctx = UiContext(
            ops=Operations(),
            forms=registry or FormRegistry.load(paths.forms_dir()),
            preferences=Preferences(language=language),
            signals=AppSignals(),
            kdf=FAST_KDF,
        )
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        window.raise_()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.lock()
        window.ctx.ops.wait_idle()
    set_language("en")


@pytest.fixture
def workspace_on_disk(isolated_data_dir: Path) -> Workspace:
    """An existing workspace with one agency in its directory, locked."""
    ws, _code = Workspace.create(
        isolated_data_dir / "workspaces" / "mae-sot",
        name="Mae Sot post",
        username="somchai",
        display_name="Somchai Jaidee",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
    )
    ws.agencies.save(
        Agency(
            "",
            "Hope Shelter",
            "shelter",
            ("shelter", "medical"),
            ("km", "th"),
            phone="+66 2 123 4567",
        )
    )
    ws.lock()
    return ws


def unlock(qtbot: QtBot, window: MainWindow) -> None:
    """Type the passphrase and press Return, as a person would, then let the list load."""
    qtbot.keyClicks(window.unlock_page.passphrase, PASSPHRASE)
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    settle(qtbot, window)


def settle(qtbot: QtBot, window: MainWindow, timeout: float = 10.0) -> None:
    """Let queued background work finish and its callbacks run."""
    deadline = time.monotonic() + timeout
    while True:
        window.ctx.ops.wait_idle()
        qtbot.wait(20)
        if not window.ctx.ops.busy or time.monotonic() > deadline:
            break
    assert not window.ctx.ops.busy, "background work did not finish"


def type_text(widget: QWidget, text: str) -> None:
    """Commit text the way an input method does (QTest cannot type non-ASCII)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def when_modal(action: Callable[[QWidget], None], timeout_ms: int = 5000) -> None:
    """Run ``action`` on the next modal dialog as soon as it is shown (dialogs use exec())."""
    waited = [0]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and widget.isVisible():
            action(widget)
            return
        waited[0] += 20
        if waited[0] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
