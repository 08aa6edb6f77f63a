"""The whole path as an officer walks it: unlock, new case, a bilingual screening in
Khmer and English, the outcome, a referral with its PDF, lock, unlock, find the case."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFileDialog,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from practitioner_toolkit.store import Workspace
from practitioner_toolkit.store.workspace import DATABASE_FILE
from practitioner_toolkit.ui.pages.case_detail import CasePage, StartScreeningDialog
from practitioner_toolkit.ui.pages.cases import CasesPage
from practitioner_toolkit.ui.pages.outcome import OutcomePage
from practitioner_toolkit.ui.pages.referral import ExportDialog, ReferralDialog
from practitioner_toolkit.ui.pages.screening import ScreeningPage
from practitioner_toolkit.ui.pages.unlock import UnlockPage
from tests.ui.conftest import settle, type_text, unlock, when_modal

KHMER_STORY = "ខ្ញុំត្រូវបានគេយកលិខិតឆ្លងដែននៅកំពង់ផែ"


def _radio(card: QWidget, value_label: str) -> QRadioButton:
    for radio in card.findChildren(QRadioButton):
        if str(radio.property("optionText")).startswith(value_label):
            return radio
    raise AssertionError(f"no option {value_label!r}")


def test_an_officer_screens_refers_locks_and_finds_the_case_again(
    qtbot: QtBot,
    make_window: object,
    fixture_registry: object,
    workspace_on_disk: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(fixture_registry)  # type: ignore[operator]
    unlock(qtbot, window)
    assert isinstance(window.stack.currentWidget(), CasesPage)

    # A new case, opened with the keyboard shortcut.
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert isinstance(window.stack.currentWidget(), CasePage)
    reference = window.case_page.view.case.reference

    # Start the screening: English for the officer, Khmer for the interviewee.
    def choose_languages(dialog: QWidget) -> None:
        assert isinstance(dialog, StartScreeningDialog)
        dialog.officer_language.setCurrentIndex(dialog.officer_language.findData("en"))
        dialog.interviewee_language.setCurrentIndex(dialog.interviewee_language.findData("km"))
        dialog.interpreter.setChecked(True)
        dialog.accept()

    when_modal(choose_languages)
    qtbot.mouseClick(window.case_page.start_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    page = window.stack.currentWidget()
    assert isinstance(page, ScreeningPage)
    # Each question in both languages.
    consent_card = page._card("consent")
    assert consent_card.officer_label.text().startswith("Do you agree to talk with me?")
    assert consent_card.interviewee_label.accessibleName() == "តើអ្នកយល់ព្រមនិយាយជាមួយខ្ញុំទេ?"
    # Skip logic: the work section appears only once consent is given.
    assert page.sections.item(1).isHidden()
    qtbot.mouseClick(_radio(consent_card, "Yes"), Qt.MouseButton.LeftButton)
    assert not page.sections.item(1).isHidden()
    page.sections.setCurrentRow(1)
    for question, option in (("deceived", "Yes"), ("hours", "Yes"), ("documents", "Yes")):
        qtbot.mouseClick(_radio(page._card(question), option), Qt.MouseButton.LeftButton)
    recruiter = page._card("who_recruited")
    qtbot.mouseClick(_radio(recruiter, "A recruitment agent"), Qt.MouseButton.LeftButton)
    # "Declined to answer" is always possible.
    declined = page._card("threats").findChild(QCheckBox)
    qtbot.mouseClick(declined, Qt.MouseButton.LeftButton)
    # The free-text story appeared (skip logic) and takes Khmer text from an input method.
    story = page._card("story")
    assert story.isVisibleTo(page)
    type_text(story.findChild(QPlainTextEdit), KHMER_STORY)
    page.flush()
    settle(qtbot, window)
    assert page.progress.format() == "7 of 8 answered"  # all but the optional age

    # Every answer is already in the database, before the screening is finished.
    session_id = page.active.session.id
    stored = window.ctx.ws.cases.get_session(session_id).answers
    assert stored["documents"].value == "yes"
    assert stored["threats"].value == "declined"
    assert stored["story"].value == KHMER_STORY

    # The outcome: decision support with its reasoning.
    qtbot.mouseClick(page.outcome_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    outcome = window.stack.currentWidget()
    assert isinstance(outcome, OutcomePage)
    assert "presumed victim" in outcome.headline.text()
    assert "not a legal determination" in outcome.disclaimer.text()
    assert outcome.reasons.count() >= 3
    assert outcome.indicators.rowCount() >= 3
    assert "interpreter: ខ្មែរ" in outcome.context.text()
    assert "consent given" in outcome.context.text()
    qtbot.mouseClick(outcome.finish_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "Recorded by Somchai Jaidee" in outcome.decided.text()

    # A referral to the shelter, with consent, and its PDF.
    pdf = tmp_path / "referral.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(pdf), "PDF (*.pdf)"))
    )

    def fill_referral(dialog: QWidget) -> None:
        assert isinstance(dialog, ReferralDialog)
        assert dialog.agency.currentText() == "Hope Shelter"
        dialog.consent_given.setChecked(True)
        when_modal(export_in_khmer)
        dialog._accept()

    def export_in_khmer(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        dialog.language.setCurrentIndex(dialog.language.findData("km"))
        dialog._accept()

    when_modal(fill_referral)
    qtbot.mouseClick(outcome.refer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(pdf.exists, timeout=20_000)
    settle(qtbot, window)
    assert pdf.read_bytes().startswith(b"%PDF")
    referrals = window.ctx.ws.referrals.for_case(window.case_page.view.case.id)
    assert len(referrals) == 1 and referrals[0].exported_at

    # Lock: nothing of the case is left on screen; the file holds no plain text.
    window.lock()
    assert isinstance(window.stack.currentWidget(), UnlockPage)
    database = (workspace_on_disk.directory / DATABASE_FILE).read_bytes()
    assert KHMER_STORY.encode() not in database
    # The dialogs used on the way (languages, referral, export) are gone, not kept hidden
    # with what was typed into them.
    qtbot.wait(50)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert window.findChildren(QDialog) == []

    # Unlock and find the case again by a Khmer word from the story.
    unlock(qtbot, window)
    cases = window.cases_page
    type_text(cases.search, "លិខិតឆ្លងដែន")
    qtbot.waitUntil(lambda: [c.reference for c in cases.model.cases] == [reference], timeout=5000)
    cases.table.setCurrentIndex(cases.model.index(0, 0))
    qtbot.keyClick(cases.table, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.case_page.view.case.reference == reference
    assert window.case_page.referrals.count() == 1
