"""One case: optional personal details, its screenings, its referrals."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit.forms import OUTCOME_SHORT, FormDefinition, text_in
from practitioner_toolkit.forms.session import ActiveScreening
from practitioner_toolkit.i18n import LANGUAGES, _, current_language
from practitioner_toolkit.i18n.formatting import format_date
from practitioner_toolkit.store import (
    Agency,
    Case,
    CaseStatus,
    Interpreter,
    IntervieweeDetails,
    Referral,
    Role,
    ScreeningSession,
    SessionStatus,
)
from practitioner_toolkit.training import Scenario, load_scenarios
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.pages.cases import status_label
from practitioner_toolkit.ui.widgets import (
    WrapLabel,
    add_rows,
    confirm,
    disposing,
    heading,
    show_error,
    wipe,
)


def session_status_label(status: SessionStatus) -> str:
    return {
        SessionStatus.IN_PROGRESS: _("In progress"),
        SessionStatus.PAUSED: _("Paused"),
        SessionStatus.COMPLETED: _("Completed"),
        SessionStatus.ABANDONED: _("Ended early"),
    }[status]


@dataclass(frozen=True)
class CaseView:
    """Everything the page shows, loaded in one background operation."""

    case: Case
    sessions: list[ScreeningSession]
    outcomes: dict[str, str]
    referrals: list[Referral]
    agencies: dict[str, Agency]


def language_choices(combo: QComboBox, current: str) -> None:
    combo.clear()
    for lang in LANGUAGES:
        combo.addItem(f"{lang.native_name} — {lang.english_name}", lang.code)
    combo.setCurrentIndex(max(0, combo.findData(current)))


class CasePage(QWidget):
    back = Signal()
    screening_started = Signal(object)  # ActiveScreening
    scenario_started = Signal(object, object)  # ActiveScreening, Scenario
    resume_screening = Signal(str)  # session id
    show_outcome = Signal(str)  # session id
    new_referral = Signal(str, object)  # case id, session id or None
    export_referral = Signal(str)  # referral id

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: CaseView | None = None
        self._requested: str | None = None  # the case last asked for
        self.title = heading("")
        self.summary = WrapLabel()
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back.emit)

        self.details_box = QGroupBox()
        self.details_note = WrapLabel()
        self.given_name = QLineEdit()
        self.family_name = QLineEdit()
        self.alias = QLineEdit()
        self.sex = QComboBox()
        self.birth_year = QSpinBox()
        self.birth_year.setRange(0, 2100)
        self.birth_year.setSpecialValueText("—")
        self.age_estimate = QSpinBox()
        self.age_estimate.setRange(-1, 120)
        self.age_estimate.setSpecialValueText("—")
        self.age_uncertain = QCheckBox()
        self.nationality = QLineEdit()
        self.save_details = QPushButton()
        self.save_details.clicked.connect(self._save_details)
        self.detail_fields: tuple[QWidget, ...] = (
            self.given_name,
            self.family_name,
            self.alias,
            self.sex,
            self.birth_year,
            self.age_estimate,
            self.age_uncertain,
            self.nationality,
        )
        self.detail_labels = [QLabel() for _ in self.detail_fields]
        details_form = QFormLayout()
        for label, field in zip(self.detail_labels, self.detail_fields, strict=True):
            label.setBuddy(field)
            details_form.addRow(label, field)
        details_layout = QVBoxLayout(self.details_box)
        details_layout.addWidget(self.details_note)
        details_layout.addLayout(details_form)
        details_layout.addWidget(self.save_details, 0, Qt.AlignmentFlag.AlignRight)
        details_layout.addStretch(1)

        self.sessions_box = QGroupBox()
        self.sessions = QListWidget()
        self.sessions.itemActivated.connect(lambda _item: self._open_session())
        self.sessions.currentRowChanged.connect(self._update_buttons)
        self.start_button = QPushButton()
        self.start_button.clicked.connect(self._start)
        self.continue_button = QPushButton()
        self.continue_button.clicked.connect(self._open_session)
        self.outcome_button = QPushButton()
        self.outcome_button.clicked.connect(self._show_outcome)
        self.scenario_button = QPushButton()
        self.scenario_button.clicked.connect(self._start_scenario)
        session_buttons = QHBoxLayout()
        for button in (
            self.start_button,
            self.scenario_button,
            self.continue_button,
            self.outcome_button,
        ):
            session_buttons.addWidget(button)
        sessions_layout = QVBoxLayout(self.sessions_box)
        sessions_layout.addWidget(self.sessions)
        sessions_layout.addLayout(session_buttons)

        self.referrals_box = QGroupBox()
        self.referrals = QListWidget()
        self.referrals.currentRowChanged.connect(self._update_buttons)
        self.refer_button = QPushButton()
        self.refer_button.clicked.connect(self._refer)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self._export)
        referral_buttons = QHBoxLayout()
        referral_buttons.addWidget(self.refer_button)
        referral_buttons.addWidget(self.export_button)
        referrals_layout = QVBoxLayout(self.referrals_box)
        referrals_layout.addWidget(self.referrals)
        referrals_layout.addLayout(referral_buttons)

        self.close_button = QPushButton()
        self.close_button.clicked.connect(self._toggle_closed)
        self.delete_button = QPushButton()
        self.delete_button.clicked.connect(self._delete)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        top.addWidget(self.delete_button)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.sessions_box, 2)
        left.addWidget(self.referrals_box, 1)
        columns.addLayout(left, 3)
        columns.addWidget(self.details_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(columns, 1)
        self.retranslate_ui()

    # -- text ----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.back_button.setText(_("‹ &Cases"))
        self.details_box.setTitle(_("About the person (optional)"))
        self.details_note.set_text(
            _(
                "Record only what this case needs. The case is known everywhere by its "
                "reference; names are never shown in lists."
            )
        )
        texts = (
            _("&Given name"),
            _("&Family name"),
            _("&Alias"),
            _("Se&x"),
            _("&Year of birth"),
            _("Estimated a&ge"),
            _("Age &uncertain (treat as a child)"),
            _("Nat&ionality"),
        )
        for label, field, text in zip(self.detail_labels, self.detail_fields, texts, strict=True):
            label.setText(text)
            field.setAccessibleName(text.replace("&", ""))
        current_sex = self.sex.currentData()
        self.sex.clear()
        for value, text in (
            (None, "—"),
            ("female", _("Female")),
            ("male", _("Male")),
            ("other", _("Other")),
            ("undisclosed", _("Prefers not to say")),
        ):
            self.sex.addItem(text, value)
        self.sex.setCurrentIndex(max(0, self.sex.findData(current_sex)))
        self.save_details.setText(_("Sa&ve details"))
        self.sessions_box.setTitle(_("Screenings"))
        self.sessions.setAccessibleName(_("Screenings"))
        self.start_button.setText(_("&Start screening…"))
        self.continue_button.setText(_("C&ontinue screening"))
        self.outcome_button.setText(_("View o&utcome"))
        self.scenario_button.setText(_("Guided sc&enario…"))
        self.referrals_box.setTitle(_("Referrals"))
        self.referrals.setAccessibleName(_("Referrals"))
        self.refer_button.setText(_("New &referral…"))
        self.export_button.setText(_("&Export referral PDF…"))
        self.delete_button.setText(_("De&lete case…"))
        if self.view is not None:
            self._render(self.view)

    # -- loading -------------------------------------------------------------------------

    def load(self, case_id: str) -> None:
        self._requested = case_id
        ws = self.ctx.ws

        def work(_progress: object) -> CaseView:
            case = ws.cases.get_case(case_id)
            sessions = ws.cases.sessions_of_case(case_id)
            outcomes = {}
            for session in sessions:
                outcome = ws.cases.outcome_of(session.id)
                if outcome:
                    outcomes[session.id] = outcome.code
            agencies = {a.id: a for a in ws.agencies.list()}
            return CaseView(case, sessions, outcomes, ws.referrals.for_case(case_id), agencies)

        def done(view: CaseView) -> None:
            if view.case.id == self._requested:  # else another case was opened meanwhile
                self._render(view)

        self.ctx.ops.run(work, owner=self, on_done=done, on_error=lambda e: show_error(self, e))

    def _render(self, view: CaseView) -> None:
        self.view = view
        case = view.case
        self.title.setText(_("Case {reference}").format(reference=case.reference))
        parts = [status_label(case.status)]
        if case.post:
            parts.append(case.post)
        parts.append(_("opened {date}").format(date=format_date(case.opened_at)))
        self.summary.set_text(" · ".join(parts))
        person = case.interviewee
        self.given_name.setText(person.given_name or "")
        self.family_name.setText(person.family_name or "")
        self.alias.setText(person.alias or "")
        self.sex.setCurrentIndex(max(0, self.sex.findData(person.sex)))
        self.birth_year.setValue(person.birth_year or 0)
        self.age_estimate.setValue(-1 if person.age_estimate is None else person.age_estimate)
        self.age_uncertain.setChecked(person.age_uncertain)
        self.nationality.setText(person.nationality or "")

        language = current_language()
        self.sessions.clear()
        for session in view.sessions:
            form = self._form_of(session)
            title = text_in(form.title, language) if form else session.form_id
            outcome = view.outcomes.get(session.id)
            parts = [title, format_date(session.started_at), session_status_label(session.status)]
            if outcome in OUTCOME_SHORT:
                parts.append(_(OUTCOME_SHORT[outcome]))
            item = QListWidgetItem(" · ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, session.id)
            self.sessions.addItem(item)
        if view.sessions:
            self.sessions.setCurrentRow(len(view.sessions) - 1)

        self.referrals.clear()
        for referral in view.referrals:
            agency = view.agencies.get(referral.agency_id)
            parts = [
                referral.reference,
                agency.name if agency else "?",
                format_date(referral.created_at),
            ]
            if referral.exported_at:
                parts.append(_("exported"))
            item = QListWidgetItem(" · ".join(parts))
            item.setData(Qt.ItemDataRole.UserRole, referral.id)
            self.referrals.addItem(item)
        if view.referrals:
            self.referrals.setCurrentRow(len(view.referrals) - 1)

        closed = case.status is CaseStatus.CLOSED
        self.close_button.setText(_("Re&open case") if closed else _("Clo&se case"))
        self.delete_button.setVisible(self.ctx.ws.user.role in (Role.SUPERVISOR, Role.TRAINER))
        self.scenario_button.setVisible(self.ctx.ws.info.training)
        self._update_buttons()

    def _form_of(self, session: ScreeningSession) -> FormDefinition | None:
        try:
            return self.ctx.registry.get(session.form_id, session.form_version)
        except KeyError:
            return None

    def _selected_session(self) -> ScreeningSession | None:
        item = self.sessions.currentItem()
        if item is None or self.view is None:
            return None
        session_id = item.data(Qt.ItemDataRole.UserRole)
        return next((s for s in self.view.sessions if s.id == session_id), None)

    def _update_buttons(self) -> None:
        session = self._selected_session()
        open_case = self.view is not None and self.view.case.status is not CaseStatus.CLOSED
        self.start_button.setEnabled(open_case)
        self.scenario_button.setEnabled(open_case)
        self.continue_button.setEnabled(
            session is not None
            and open_case
            and session.status in (SessionStatus.IN_PROGRESS, SessionStatus.PAUSED)
        )
        self.outcome_button.setEnabled(
            session is not None and self.view is not None and session.id in self.view.outcomes
        )
        self.refer_button.setEnabled(open_case)
        self.export_button.setEnabled(self.referrals.currentItem() is not None)

    # -- actions -------------------------------------------------------------------------

    def _typed_details(self) -> IntervieweeDetails | None:
        if self.view is None:
            return None
        return IntervieweeDetails(
            given_name=self.given_name.text() or None,
            family_name=self.family_name.text() or None,
            alias=self.alias.text() or None,
            sex=self.sex.currentData(),
            birth_year=self.birth_year.value() or None,
            age_estimate=None if self.age_estimate.value() < 0 else self.age_estimate.value(),
            age_uncertain=self.age_uncertain.isChecked(),
            nationality=self.nationality.text() or None,
            languages=self.view.case.interviewee.languages,
        )

    def flush(self) -> None:
        """Save details typed but not saved yet (before leaving the page or locking)."""
        details = self._typed_details()
        if details is None or self.view is None or details == self.view.case.interviewee:
            return
        if self.ctx.workspace is None or self.ctx.workspace.is_locked:
            return
        self._save(details)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.flush()  # leaving the page never drops what was typed
        super().hideEvent(event)

    def _save_details(self) -> None:
        details = self._typed_details()
        if details is not None:
            self._save(details)

    def _save(self, details: IntervieweeDetails) -> None:
        assert self.view is not None
        before = self.view
        # Taken as saved at once, so that leaving the page does not save it a second time.
        self.view = replace(before, case=replace(before.case, interviewee=details))
        ws, case_id = self.ctx.ws, before.case.id

        def showing_this_case() -> bool:
            return self._requested == case_id and self.view is not None

        def saved(case: Case) -> None:
            if showing_this_case():
                assert self.view is not None
                self.view = replace(self.view, case=case)

        def failed(exc: Exception) -> None:
            if showing_this_case():
                self.view = before  # not saved: leaving the page tries again
            show_error(self, exc)

        self.ctx.ops.run(
            lambda _p: ws.cases.update_interviewee(case_id, details),
            owner=self,
            on_done=saved,
            on_error=failed,
        )

    def _start(self) -> None:
        if self.view is None:
            return
        with disposing(StartScreeningDialog(self.ctx, self.view.case, self)) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            choice = dialog.choice()
        ws_service = self.ctx.screenings
        case_id = self.view.case.id

        def work(_p: object) -> ActiveScreening:
            return ws_service.start(
                case_id,
                choice.form_id,
                choice.officer_language,
                choice.interviewee_language,
                choice.interpreter,
                choice.post,
            )

        self.ctx.ops.run(
            work,
            owner=self,
            on_done=self.screening_started.emit,
            on_error=lambda e: show_error(self, e),
        )

    def _start_scenario(self) -> None:
        if self.view is None:
            return
        scenarios = [
            s for s in load_scenarios() if s.form in {f for f, _v in self.ctx.registry.forms}
        ]
        with disposing(ScenarioDialog(scenarios, self)) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
                return
            scenario = dialog.chosen
        service, case_id, language = self.ctx.screenings, self.view.case.id, current_language()

        def work(_p: object) -> ActiveScreening:
            return service.start(
                case_id,
                scenario.form,
                language,
                scenario.interviewee_language,
                Interpreter(
                    scenario.interviewee_language != language, scenario.interviewee_language
                ),
            )

        self.ctx.ops.run(
            work,
            owner=self,
            on_done=lambda active: self.scenario_started.emit(active, scenario),
            on_error=lambda e: show_error(self, e),
        )

    def _open_session(self) -> None:
        session = self._selected_session()
        if session is None:
            return
        if session.status in (SessionStatus.IN_PROGRESS, SessionStatus.PAUSED):
            self.resume_screening.emit(session.id)
        elif self.view is not None and session.id in self.view.outcomes:
            self.show_outcome.emit(session.id)

    def _show_outcome(self) -> None:
        session = self._selected_session()
        if session is not None:
            self.show_outcome.emit(session.id)

    def _refer(self) -> None:
        if self.view is None:
            return
        completed = [s for s in self.view.sessions if s.id in self.view.outcomes]
        self.new_referral.emit(self.view.case.id, completed[-1].id if completed else None)

    def _export(self) -> None:
        item = self.referrals.currentItem()
        if item is not None:
            self.export_referral.emit(item.data(Qt.ItemDataRole.UserRole))

    def _toggle_closed(self) -> None:
        if self.view is None:
            return
        closed = self.view.case.status is CaseStatus.CLOSED
        status = CaseStatus.OPEN if closed else CaseStatus.CLOSED
        ws, case_id = self.ctx.ws, self.view.case.id
        self.ctx.ops.run(
            lambda _p: ws.cases.set_case_status(case_id, status),
            owner=self,
            on_done=lambda _c: self.load(case_id),
            on_error=lambda e: show_error(self, e),
        )

    def _delete(self) -> None:
        if self.view is None:
            return
        if not confirm(
            self,
            _("Delete case"),
            _(
                "Delete case {reference} with all its screenings and referrals? This cannot be "
                "undone, and the deletion reaches other devices at the next sync."
            ).format(reference=self.view.case.reference),
        ):
            return
        ws, case_id = self.ctx.ws, self.view.case.id
        self.ctx.ops.run(
            lambda _p: ws.cases.delete_case(case_id),
            owner=self,
            on_done=lambda _r: self.back.emit(),
            on_error=lambda e: show_error(self, e),
        )

    def clear(self) -> None:
        self.view = None
        self._requested = None
        self.title.clear()
        self.summary.set_text("")
        for field in (self.given_name, self.family_name, self.alias, self.nationality):
            wipe(field)
        self.birth_year.setValue(0)
        self.age_estimate.setValue(-1)
        self.age_uncertain.setChecked(False)
        self.sessions.clear()
        self.referrals.clear()


@dataclass(frozen=True)
class ScreeningChoice:
    form_id: str
    officer_language: str
    interviewee_language: str
    interpreter: Interpreter
    post: str | None


class StartScreeningDialog(QDialog):
    """Pick the form and the two languages, and record the interpreter."""

    def __init__(self, ctx: UiContext, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Start screening"))
        language = current_language()
        self.form = QComboBox()
        for definition in ctx.registry.current_forms():
            self.form.addItem(text_in(definition.title, language), definition.id)
        self.form.setAccessibleName(_("Form"))
        self.officer_language = QComboBox()
        language_choices(self.officer_language, language)
        self.officer_language.setAccessibleName(_("Officer's language"))
        self.interviewee_language = QComboBox()
        known = case.interviewee.languages[0] if case.interviewee.languages else language
        language_choices(self.interviewee_language, known)
        self.interviewee_language.setAccessibleName(_("Interviewee's language"))
        self.interpreter = QCheckBox(_("An &interpreter is helping"))
        self.interpreter_language = QComboBox()
        language_choices(self.interpreter_language, known)
        self.interpreter_language.setEnabled(False)
        self.interpreter_language.setAccessibleName(_("Interpreter's language"))
        self.interpreter.toggled.connect(self.interpreter_language.setEnabled)
        # The interpreter usually speaks the interviewee's language: follow it.
        self.interviewee_language.currentIndexChanged.connect(
            lambda index: self.interpreter_language.setCurrentIndex(index)
        )
        self.post = QLineEdit(case.post or "")
        self.post.setAccessibleName(_("Post or place"))
        form = QFormLayout()
        add_rows(
            form,
            (
                (_("&Form"), self.form),
                (_("&Your language"), self.officer_language),
                (_("Interviewee's &language"), self.interviewee_language),
                ("", self.interpreter),
                (_("Interpreter's l&anguage"), self.interpreter_language),
                (_("&Post or place"), self.post),
            ),
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = WrapLabel(
            _(
                "Before you begin: explain who you are, why you are asking, that the person may "
                "refuse any question or stop at any time, and how the answers will be used."
            )
        )
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> ScreeningChoice:
        used = self.interpreter.isChecked()
        return ScreeningChoice(
            form_id=self.form.currentData(),
            officer_language=self.officer_language.currentData(),
            interviewee_language=self.interviewee_language.currentData(),
            interpreter=Interpreter(
                used, self.interpreter_language.currentData() if used else None
            ),
            post=self.post.text().strip() or None,
        )


class ScenarioDialog(QDialog):
    """Choose a guided training scenario; shows each one's summary."""

    def __init__(self, scenarios: list[Scenario], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Guided scenario"))
        self.scenarios = scenarios
        self.chosen: Scenario | None = None
        language = current_language()
        self.list = QListWidget()
        self.list.setAccessibleName(_("Scenarios"))
        for scenario in scenarios:
            self.list.addItem(scenario.text(scenario.title, language))
        self.summary = WrapLabel()
        self.list.currentRowChanged.connect(
            lambda row: self.summary.set_text(
                scenarios[row].text(scenarios[row].summary, language) if row >= 0 else "",
                language,
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        if scenarios:
            self.list.setCurrentRow(0)

    def _accept(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.scenarios):
            self.chosen = self.scenarios[row]
            self.accept()
