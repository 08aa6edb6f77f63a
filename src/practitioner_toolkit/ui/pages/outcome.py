"""The outcome panel: decision support with its reasoning, never a determination."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit.forms import DISCLAIMER, FormDefinition, OutcomeResult, text_in
from practitioner_toolkit.forms.describe import (
    element_label,
    flag_label,
    group_label,
    indicator_text,
    reason_text,
    service_label,
    strength_label,
)
from practitioner_toolkit.forms.session import ActiveScreening
from practitioner_toolkit.forms.vocabulary import PALERMO_ELEMENT_NAMES
from practitioner_toolkit.i18n import _, current_language, language
from practitioner_toolkit.i18n.formatting import format_datetime
from practitioner_toolkit.store import Outcome, ScreeningSession, SessionStatus
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.fonts import scale_font
from practitioner_toolkit.ui.widgets import WrapLabel, heading, show_error


class OutcomePage(QWidget):
    back_to_questions = Signal(object)  # ActiveScreening
    back_to_case = Signal(str)  # case id
    refer = Signal(str, str)  # case id, session id
    next_form = Signal(str, str)  # case id, form id

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.active: ActiveScreening | None = None
        self.result: OutcomeResult | None = None
        self.form: FormDefinition | None = None
        self.case_id = ""
        self.session_id = ""
        self.recorded: Outcome | None = None

        self.title = heading("")
        self.disclaimer = WrapLabel()
        self.disclaimer.setObjectName("disclaimer")
        self.disclaimer.setFrameShape(QFrame.Shape.StyledPanel)
        self.headline = WrapLabel()
        scale_font(self.headline, 1.3, bold=True)
        self.flags = WrapLabel()
        self.flags.setObjectName("flags")
        self.decided = QLabel()
        self.context = WrapLabel()
        self.session: ScreeningSession | None = None
        self.reasons_title = QLabel()
        self.reasons = QListWidget()
        self.indicators_title = QLabel()
        self.indicators = QTableWidget(0, 3)
        self.indicators.verticalHeader().hide()
        header = self.indicators.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.indicators.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.indicators.setWordWrap(True)
        self.elements = WrapLabel()
        self.referrals_title = QLabel()
        self.referrals = QListWidget()
        self.weight_note = WrapLabel()

        self.questions_button = QPushButton()
        self.questions_button.clicked.connect(self._questions)
        self.finish_button = QPushButton()
        self.finish_button.clicked.connect(self._finish)
        self.refer_button = QPushButton()
        self.refer_button.clicked.connect(lambda: self.refer.emit(self.case_id, self.session_id))
        self.next_button = QPushButton()
        self.next_button.clicked.connect(self._next_form)
        self.case_button = QPushButton()
        self.case_button.clicked.connect(lambda: self.back_to_case.emit(self.case_id))

        body = QWidget()
        layout = QVBoxLayout(body)
        for widget in (
            self.title,
            self.disclaimer,
            self.headline,
            self.flags,
            self.decided,
            self.context,
            self.reasons_title,
            self.reasons,
            self.indicators_title,
            self.indicators,
            self.elements,
            self.weight_note,
            self.referrals_title,
            self.referrals,
        ):
            layout.addWidget(widget)
        for label, buddy in (
            (self.reasons_title, self.reasons),
            (self.indicators_title, self.indicators),
            (self.referrals_title, self.referrals),
        ):
            label.setBuddy(buddy)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.case_button)
        buttons.addWidget(self.questions_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.finish_button)
        buttons.addWidget(self.refer_button)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Indicative outcome"))
        self.disclaimer.set_text(_(DISCLAIMER))
        self.reasons_title.setText(_("&Reasoning"))
        self.indicators_title.setText(_("&Indicators found"))
        self.referrals_title.setText(_("Recommended &referrals"))
        self.indicators.setHorizontalHeaderLabels([_("Answer"), _("Indicator"), _("Strength")])
        self.questions_button.setText(_("‹ Back to &questions"))
        self.finish_button.setText(_("&Finish screening"))
        self.refer_button.setText(_("Make a &referral…"))
        self.case_button.setText(_("‹ &Case"))
        self.reasons.setAccessibleName(_("Reasoning"))
        self.indicators.setAccessibleName(_("Indicators found"))
        self.referrals.setAccessibleName(_("Recommended referrals"))
        if self.result is not None and self.form is not None:
            self._render()

    # -- showing -------------------------------------------------------------------------

    def show_live(self, active: ActiveScreening) -> None:
        """The outcome of an open session, recomputed from its current answers."""
        self.active = active
        self.form = active.form
        self.case_id = active.session.case_id
        self.session_id = active.session.id
        self.session = active.session
        self.recorded = None
        self.result = None
        ws = self.ctx.ws

        def work(_p: object) -> tuple[OutcomeResult, Outcome | None]:
            recorded = ws.cases.outcome_of(active.session.id)
            if recorded is not None and not active.editable:
                return OutcomeResult.from_json(recorded.detail), recorded
            return active.outcome(), recorded if not active.editable else None

        self.ctx.ops.run(
            work, owner=self, on_done=self._loaded, on_error=lambda e: show_error(self, e)
        )

    def show_recorded(self, session_id: str) -> None:
        """The outcome as recorded when a session was finished."""
        ws, registry = self.ctx.ws, self.ctx.registry
        self.active = None

        def work(_p: object) -> tuple[FormDefinition, ScreeningSession, Outcome | None]:
            session = ws.cases.get_session(session_id)
            form = registry.get(session.form_id, session.form_version)
            return form, session, ws.cases.outcome_of(session_id)

        def done(loaded: tuple[FormDefinition, ScreeningSession, Outcome | None]) -> None:
            self.form, self.session, recorded = loaded
            self.case_id = self.session.case_id
            self.session_id = session_id
            if recorded is None:
                return
            self._loaded((OutcomeResult.from_json(recorded.detail), recorded))

        self.ctx.ops.run(work, owner=self, on_done=done, on_error=lambda e: show_error(self, e))

    def _loaded(self, loaded: tuple[OutcomeResult, Outcome | None]) -> None:
        self.result, self.recorded = loaded
        self._render()

    def _render(self) -> None:
        assert self.result is not None and self.form is not None
        result, form, language = self.result, self.form, current_language()
        self.headline.set_text(result.headline)
        flags = [f"! {flag_label(flag)}" for flag in result.flags]
        self.flags.set_text("\n".join(flags))
        self.flags.setVisible(bool(flags))
        if self.recorded is not None:
            users = {u.id: u.display_name for u in self.ctx.ws.users.list()}
            self.decided.setText(
                _("Recorded by {name} on {when}").format(
                    name=users.get(self.recorded.decided_by or "", "?"),
                    when=format_datetime(self.recorded.decided_at),
                )
            )
        else:
            self.decided.setText(_("Not yet recorded: finish the screening to record it."))
        self.context.set_text(self._context_text())
        self.reasons.clear()
        for reason in result.reasons:
            self.reasons.addItem(reason_text(reason))
        self.indicators.setRowCount(len(result.indicators))
        for row, hit in enumerate(result.indicators):
            mark = " *" if hit.weight_check else ""
            cells = (
                indicator_text(form, hit, language),
                group_label(hit.group),
                strength_label(hit.strength) + mark,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.indicators.setItem(row, column, item)
        self.indicators.resizeRowsToContents()
        self.indicators_title.setVisible(bool(result.indicators))
        self.indicators.setVisible(bool(result.indicators))
        element_lines = [
            f"{_(PALERMO_ELEMENT_NAMES[kind])}: "
            + (", ".join(element_label(kind, v) for v in values) if values else "—")
            for kind, values in result.elements.items()
        ]
        self.elements.set_text("\n".join(element_lines))
        self.elements.setVisible(any(result.elements.values()))
        self.weight_note.set_text(
            _("* The weight of this indicator is still to be confirmed against its source.")
        )
        self.weight_note.setVisible(any(h.weight_check for h in result.indicators))
        self.referrals.clear()
        for code in result.referrals:
            self.referrals.addItem(service_label(code))
        editable = self.active is not None and self.active.editable
        self.questions_button.setVisible(editable)
        self.finish_button.setVisible(editable)
        self.refer_button.setVisible(not editable and result.code != "no_indicators_found")
        next_id = self._next_form_id()
        self.next_button.setVisible(not editable and next_id is not None)
        if next_id is not None:
            title = text_in(self.ctx.registry.latest(next_id).title, language)
            self.next_button.setText(_("Continue with: {form}").format(form=title))
        self.title.setText(
            _("Indicative outcome: {form}").format(form=text_in(form.title, language))
        )

    def _context_text(self) -> str:
        """Languages, interpreter and consent: always shown beside the outcome."""
        session = self.session
        if session is None or self.form is None:
            return ""
        answers = (
            self.active.answers
            if self.active is not None
            else {q: a.value for q, a in session.answers.items()}
        )
        consent_questions = [q for q in self.form.questions() if "consent_refused" in q.flags]
        given = [answers.get(q.id) for q in consent_questions]
        if not consent_questions or all(v is None for v in given):
            consent = _("consent not recorded")
        elif all(v == "yes" for v in given if v is not None):
            consent = _("consent given")
        else:
            consent = _("consent refused or withdrawn")
        officer = language(session.officer_language).native_name
        interviewee = language(session.interviewee_language).native_name
        interpreter = (
            _("interpreter: {language}").format(
                language=language(session.interpreter.language).native_name
            )
            if session.interpreter.used and session.interpreter.language
            else _("no interpreter")
        )
        return f"{officer} / {interviewee} · {interpreter} · {consent}"

    def _next_form_id(self) -> str | None:
        if self.form is None or self.result is None:
            return None
        if self.result.code != "further_screening" or not self.form.next_form:
            return None
        child_form_installed = any(fid == "child-screening" for fid, _v in self.ctx.registry.forms)
        if "possible_child" in self.result.flags and child_form_installed:
            return "child-screening"
        return self.form.next_form

    # -- actions -------------------------------------------------------------------------

    def _questions(self) -> None:
        if self.active is not None:
            self.back_to_questions.emit(self.active)

    def _finish(self) -> None:
        active = self.active
        if active is None:
            return

        def done(outcome: Outcome) -> None:
            self.recorded = outcome
            self._render()

        self.ctx.ops.run(
            lambda _p: active.finish(),
            owner=self,
            on_done=done,
            on_error=lambda e: show_error(self, e),
        )

    def _next_form(self) -> None:
        form_id = self._next_form_id()
        if form_id:
            self.next_form.emit(self.case_id, form_id)

    def clear(self) -> None:
        self.active = None
        self.session = None
        self.context.set_text("")
        self.result = None
        self.form = None
        self.reasons.clear()
        self.indicators.setRowCount(0)
        self.referrals.clear()
        self.headline.set_text("")

    @property
    def finished(self) -> bool:
        return self.active is None or self.active.session.status is SessionStatus.COMPLETED
