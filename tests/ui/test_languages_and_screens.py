"""Live language switching, and every main screen drawn in five languages without cut text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from practitioner_toolkit.i18n import set_language
from practitioner_toolkit.store import Interpreter, IntervieweeDetails
from practitioner_toolkit.ui.screenshots import capture
from tests.conftest import PASSPHRASE
from tests.ui.conftest import settle, unlock


def test_switching_language_retranslates_the_open_window_without_restart(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    page = window.unlock_page
    assert page.unlock_button.text() == "&Unlock"
    page.language.setCurrentIndex(page.language.findData("km"))
    assert page.unlock_button.text() != "&Unlock"
    assert "(&U)" in page.unlock_button.text()  # the shortcut survives translation
    assert window.workspace_menu.title() != "&Workspace"
    assert window.ctx.preferences.language == "km"
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.cases_page.new_button.text() != "&New case"
    # Back to English, live, from the unlocked window.
    window.apply_preferences(type(window.ctx.preferences)(language="en"))
    assert window.cases_page.new_button.text() == "&New case"
    assert page.language.currentData() == "en"  # the lock screen's chooser follows
    set_language("en")


def test_the_guidance_library_opens_with_f1_and_searches_in_khmer(
    qtbot: QtBot, make_window: object, fixture_registry: object
) -> None:
    window = make_window(fixture_registry, language="km")  # type: ignore[operator]
    qtbot.keyClick(window, Qt.Key.Key_F1)
    page = window.guidance_page
    assert page is not None and window.stack.currentWidget() is page
    assert page.tree.topLevelItemCount() >= 7
    card = page.library.get("non-punishment")
    word = card.title["km"].split()[0]
    page.search.setText(word)
    qtbot.waitUntil(lambda: page.current is not None and page.current.id == card.id, timeout=3000)
    assert card.title["km"][:4] in page.reader.toPlainText()
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.unlock_page


@pytest.mark.slow
def test_every_main_screen_renders_in_five_languages_without_cut_text(
    qapp: object, tmp_path: Path
) -> None:
    shooter = capture(tmp_path / "shots", ("en", "km", "my", "th", "lo"))
    assert not shooter.clipped, shooter.clipped
    assert len(shooter.saved) >= 5 * 10
    for path in shooter.saved:
        image = QImage(str(path))
        assert image.width() > 300 and image.height() > 200, path.name
    set_language("en")


def test_the_chosen_text_size_reaches_every_label_and_button_live(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    ws = window.ctx.ws
    case = ws.cases.open_case(IntervieweeDetails())
    active = window.ctx.screenings.start(
        case.id, "mini-screening", "en", "km", Interpreter(True, "km")
    )
    window.show_screening(active)  # question cards: the interviewee's text a little larger
    settle(qtbot, window)
    for size in (16.0, 10.0):
        window.apply_preferences(replace(window.ctx.preferences, font_size=size))
        qtbot.wait(50)  # the font change reaches widgets through the event loop
        widgets = window.findChildren(QLabel) + window.findChildren(QAbstractButton)
        assert len(widgets) > 50
        for widget in widgets:
            font = widget.font()
            name = widget.objectName() or type(widget).__name__
            assert font.pointSizeF() >= size, name
            assert font.families()[:1] == ["Noto Sans"], name
        assert window.unlock_page.title.font().pointSizeF() == size * 1.5
        cards = window.screening_page.findChildren(QLabel, "intervieweeText")
        assert cards and all(c.font().pointSizeF() == pytest.approx(size * 1.15) for c in cards)
