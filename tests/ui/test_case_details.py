"""Personal details typed on a case page are never lost: leaving the page or locking saves."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from practitioner_toolkit.store import IntervieweeDetails
from practitioner_toolkit.ui.pages.cases import CasesPage
from tests.ui.conftest import settle, unlock


def _new_case(qtbot: QtBot, window: object) -> str:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # type: ignore[arg-type]
    settle(qtbot, window)  # type: ignore[arg-type]
    return str(window.case_page.view.case.id)  # type: ignore[attr-defined]


def test_details_typed_then_left_are_saved(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    case_id = _new_case(qtbot, window)
    qtbot.keyClicks(window.case_page.alias, "Min")
    qtbot.mouseClick(window.case_page.back_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert isinstance(window.stack.currentWidget(), CasesPage)
    assert window.ctx.ws.cases.get_case(case_id).interviewee.alias == "Min"
    audit = [e for e in window.ctx.ws.audit_entries() if e.detail == "interviewee"]
    assert len(audit) == 1
    window.show_case(case_id)
    settle(qtbot, window)
    assert window.case_page.alias.text() == "Min"
    qtbot.mouseClick(window.case_page.back_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    # Nothing new typed: leaving again writes nothing.
    assert [e for e in window.ctx.ws.audit_entries() if e.detail == "interviewee"] == audit


def test_details_typed_when_the_window_locks_are_saved(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    case_id = _new_case(qtbot, window)
    qtbot.keyClicks(window.case_page.given_name, "Nang")
    window.lock()
    unlock(qtbot, window)
    assert window.ctx.ws.cases.get_case(case_id).interviewee.given_name == "Nang"


def test_a_save_finishing_after_another_case_was_opened_does_not_bring_the_first_back(
    qtbot: QtBot, make_window: object, fixture_registry: object, workspace_on_disk: object
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    other = window.ctx.ws.cases.open_case(IntervieweeDetails(alias="Other"))
    first = _new_case(qtbot, window)
    qtbot.keyClicks(window.case_page.alias, "First")
    window.show_cases()  # leaves the page: the save is queued...
    window.show_case(other.id)  # ...and the other case is opened before it finishes
    settle(qtbot, window)
    assert window.case_page.view.case.id == other.id
    assert window.case_page.alias.text() == "Other"
    assert window.ctx.ws.cases.get_case(first).interviewee.alias == "First"
