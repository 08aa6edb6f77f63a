"""The bilingual screening: every question in the officer's and the interviewee's language.

Answers are checked on the GUI thread (pure engine code) and committed on the background lane
the moment they are given; skip logic and progress update after every answer. The page keeps
its own copy of the answers, so the worker thread and the GUI never share a dict.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit.forms import (
    DECLINED,
    FormDefinition,
    Question,
    QuestionType,
    ScreeningRun,
    Section,
    text_in,
)
from practitioner_toolkit.forms.describe import END_EARLY_REASONS
from practitioner_toolkit.forms.session import ActiveScreening, normalise_answer
from practitioner_toolkit.i18n import _, language, load_translations
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.training import Scenario
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.fonts import scale_font
from practitioner_toolkit.ui.widgets import (
    WrapLabel,
    disposing,
    heading,
    mark_as_problem,
    show_error,
)

YES_NO_LABELS = {"yes": N_("Yes"), "no": N_("No"), "unsure": N_("Not sure")}
STOP_ANY_TIME = N_("You may refuse any question and stop at any time.")
_TEXT_SAVE_DELAY_MS = 700


def in_language(message: str, code: str) -> str:
    """A UI message in a language other than the active one (the interviewee's)."""
    return load_translations(code).gettext(message)


class _OptionLabel(WrapLabel):
    """The text of a choice; clicking it clicks its button, as a button's own text would."""

    def __init__(self, text: str, button: QAbstractButton, locale: str) -> None:
        super().__init__(text, locale=locale)
        self._button = button
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setBuddy(button)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._button.isEnabled():
            self._button.click()
        event.accept()


def _option_row(button: QAbstractButton, text: str, locale: str) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
    layout.addWidget(_OptionLabel(text, button, locale), 1)
    return row


class QuestionCard(QFrame):
    """One question: both languages, the interviewer's hint, the answer, 'declined'."""

    answered = Signal(str, object)  # question id, value (None clears)

    def __init__(
        self,
        form: FormDefinition,
        question: Question,
        officer: str,
        interviewee: str,
        value: object,
        carried: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.question = question
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("questionCard")
        self._updating = False
        layout = QVBoxLayout(self)
        marker = " *" if question.required else ""
        self.officer_label = WrapLabel(text_in(question.label, officer) + marker, locale=officer)
        font = self.officer_label.font()
        font.setBold(True)
        self.officer_label.setFont(font)
        layout.addWidget(self.officer_label)
        if interviewee != officer and question.type is not QuestionType.NOTE:
            self.interviewee_label = WrapLabel(
                text_in(question.label, interviewee), locale=interviewee
            )
            scale_font(self.interviewee_label, 1.15)
            self.interviewee_label.setObjectName("intervieweeText")
            layout.addWidget(self.interviewee_label)
        elif question.type is QuestionType.NOTE and interviewee != officer:
            layout.addWidget(WrapLabel(text_in(question.label, interviewee), locale=interviewee))
        if question.hint:
            hint = WrapLabel(
                _("Interviewer: {hint}").format(hint=text_in(question.hint, officer)),
                locale=officer,
            )
            hint.setObjectName("hint")
            italic = hint.font()
            italic.setItalic(True)
            hint.setFont(italic)
            layout.addWidget(hint)
        self.carried_label = QLabel(_("Answered in an earlier screening of this case"))
        self.carried_label.setObjectName("carried")
        self.carried_label.setVisible(carried)
        layout.addWidget(self.carried_label)

        self._buttons: dict[str, QAbstractButton] = {}
        self._group: QButtonGroup | None = None
        self._line: QLineEdit | None = None
        self._text: QPlainTextEdit | None = None
        self._text_timer: QTimer | None = None
        self.declined: QCheckBox | None = None
        accessible = text_in(question.label, officer)
        if question.type is not QuestionType.NOTE:
            self._build_answer(form, question, officer, interviewee, layout, accessible)
            self.declined = QCheckBox(_("Declined to answer"))
            self.declined.setAccessibleName(
                _("Declined to answer: {question}").format(question=accessible)
            )
            self.declined.toggled.connect(self._declined_toggled)
            layout.addWidget(self.declined, 0, Qt.AlignmentFlag.AlignLeft)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        mark_as_problem(self.problem)
        self.problem.hide()
        layout.addWidget(self.problem)
        self.set_value(value)

    # -- building ------------------------------------------------------------------------

    def _build_answer(
        self,
        form: FormDefinition,
        question: Question,
        officer: str,
        interviewee: str,
        layout: QVBoxLayout,
        accessible: str,
    ) -> None:
        kind = question.type
        options: list[tuple[str, str]] = []
        if kind.fixed_values:
            for value in kind.fixed_values:
                officer_text = _(YES_NO_LABELS[value])
                other = in_language(YES_NO_LABELS[value], interviewee)
                options.append(
                    (value, officer_text if other == officer_text else f"{officer_text} — {other}")
                )
        elif kind.has_choices:
            for choice in form.choices_for(question):
                officer_text = text_in(choice.label, officer)
                other = text_in(choice.label, interviewee)
                options.append(
                    (
                        choice.value,
                        officer_text if other == officer_text else f"{officer_text} — {other}",
                    )
                )
        if options:
            # Choice labels can be long sentences in two scripts: they sit in wrapping labels
            # beside the button (a button's own text never wraps and would widen the page).
            wrap = kind.has_choices
            row = QVBoxLayout() if wrap else QHBoxLayout()
            if kind is not QuestionType.MULTI:
                self._group = QButtonGroup(self)
            for value, text in options:
                button: QAbstractButton = (
                    QCheckBox() if kind is QuestionType.MULTI else QRadioButton()
                )
                button.setProperty("optionText", text)
                button.setAccessibleName(f"{accessible}: {text}")
                if self._group is not None:
                    self._group.addButton(button)
                    button.toggled.connect(
                        lambda checked, v=value: self._emit(v) if checked else None
                    )
                else:
                    button.toggled.connect(self._multi_changed)
                self._buttons[value] = button
                if wrap:
                    row.addWidget(_option_row(button, text, interviewee))
                else:
                    button.setText(text)
                    row.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            if isinstance(row, QHBoxLayout):
                row.addStretch(1)
            layout.addLayout(row)
            return
        if kind in (QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.DATE):
            line = QLineEdit()
            line.setAccessibleName(accessible)
            line.setMaximumWidth(220)
            if kind is QuestionType.INTEGER:
                line.setValidator(
                    QRegularExpressionValidator(QRegularExpression(r"^\d{0,4}$"), line)
                )
            elif kind is QuestionType.DECIMAL:
                line.setValidator(
                    QRegularExpressionValidator(
                        QRegularExpression(r"^\d{0,7}([.,]\d{0,3})?$"), line
                    )
                )
            else:
                line.setPlaceholderText(_("YYYY-MM-DD"))
                line.setInputMask("0000-00-00;_")
            line.editingFinished.connect(self._line_finished)
            self._line = line
            layout.addWidget(line)
            return
        editor = QPlainTextEdit()
        editor.setAccessibleName(accessible)
        editor.setTabChangesFocus(True)
        editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 4 + 12)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(_TEXT_SAVE_DELAY_MS)
        self._text_timer.timeout.connect(self._text_finished)
        editor.textChanged.connect(self._text_changed)
        self._text = editor
        layout.addWidget(editor)

    # -- value in and out ----------------------------------------------------------------

    def set_value(self, value: object) -> None:
        self._updating = True
        try:
            declined = value == DECLINED
            if self.declined is not None:
                self.declined.setChecked(declined)
            self._set_inputs_enabled(not declined)
            if declined:
                return
            if self._group is not None:
                self._group.setExclusive(False)
                for key, button in self._buttons.items():
                    button.setChecked(key == value)
                self._group.setExclusive(True)
            elif self._buttons:
                chosen = value if isinstance(value, list) else []
                for key, button in self._buttons.items():
                    button.setChecked(key in chosen)
            elif self._line is not None:
                self._line.setText("" if value is None else str(value))
            elif self._text is not None:
                self._text.setPlainText("" if value is None else str(value))
        finally:
            self._updating = False

    def flush(self) -> None:
        """Save text being typed now (before leaving the page or locking)."""
        if self._text_timer is not None and self._text_timer.isActive():
            self._text_timer.stop()
            self._text_finished()

    def show_problem(self, message: str | None) -> None:
        self.problem.setText(message or "")
        self.problem.setVisible(bool(message))

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for button in self._buttons.values():
            button.setEnabled(enabled)
        for widget in (self._line, self._text):
            if widget is not None:
                widget.setEnabled(enabled)

    def _emit(self, value: object) -> None:
        if not self._updating:
            self.answered.emit(self.question.id, value)

    def _multi_changed(self) -> None:
        chosen = [key for key, button in self._buttons.items() if button.isChecked()]
        self._emit(chosen or None)

    def _line_finished(self) -> None:
        assert self._line is not None
        text = self._line.text().strip().replace("_", "")
        if self.question.type is QuestionType.DATE and text.strip("-") == "":
            text = ""
        self._emit(text or None)

    def _text_changed(self) -> None:
        if not self._updating and self._text_timer is not None:
            self._text_timer.start()

    def _text_finished(self) -> None:
        assert self._text is not None
        self._emit(self._text.toPlainText().strip() or None)

    def _declined_toggled(self, checked: bool) -> None:
        if self._updating:
            return
        self._set_inputs_enabled(not checked)
        if checked:
            self._emit(DECLINED)
        else:
            self.set_value(None)
            self._emit(None)


class SectionView(QScrollArea):
    """One section: its title in both languages, the interviewer hint, questions, notes."""

    def __init__(
        self,
        form: FormDefinition,
        section: Section,
        officer: str,
        interviewee: str,
        answers: dict[str, object],
        carried: set[str],
        note: str,
        on_answer: Callable[[str, object], None],
        on_note: Callable[[str, str], None],
    ) -> None:
        super().__init__()
        self.section = section
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(heading(text_in(section.title, officer), 2))
        if interviewee != officer:
            layout.addWidget(WrapLabel(text_in(section.title, interviewee), locale=interviewee))
        if section.hint:
            hint = WrapLabel(text_in(section.hint, officer), locale=officer)
            hint.setObjectName("hint")
            layout.addWidget(hint)
        self.cards: dict[str, QuestionCard] = {}
        for question in section.questions:
            card = QuestionCard(
                form,
                question,
                officer,
                interviewee,
                answers.get(question.id),
                question.id in carried,
            )
            card.answered.connect(on_answer)
            self.cards[question.id] = card
            layout.addWidget(card)
        self.notes_label = QLabel(_("Notes for this section (officer's language)"))
        self.notes = QPlainTextEdit(note)
        self.notes.setTabChangesFocus(True)
        self.notes.setAccessibleName(_("Notes for this section"))
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 12)
        self.notes_label.setBuddy(self.notes)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(_TEXT_SAVE_DELAY_MS)
        self._note_timer.timeout.connect(lambda: on_note(section.id, self.notes.toPlainText()))
        self.notes.textChanged.connect(self._note_timer.start)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        layout.addStretch(1)
        self.setWidget(body)

    def flush(self) -> None:
        for card in self.cards.values():
            card.flush()
        if self._note_timer.isActive():
            self._note_timer.stop()
            self._note_timer.timeout.emit()


class ScreeningPage(QWidget):
    review_outcome = Signal(object)  # ActiveScreening
    leave = Signal(str)  # case id

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.active: ActiveScreening | None = None
        self.answers: dict[str, object] = {}
        self.views: list[SectionView] = []
        self.title = heading("", 2)
        self.languages = QLabel()
        self.banner = WrapLabel()
        self.banner.setObjectName("banner")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.sections = QListWidget()
        self.sections.setWordWrap(True)
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.currentRowChanged.connect(self._show_section)
        self.stack = QStackedWidget()
        self.previous_button = QPushButton()
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button = QPushButton()
        self.next_button.clicked.connect(lambda: self._step(+1))
        self.pause_button = QPushButton()
        self.pause_button.clicked.connect(self._pause)
        self.end_button = QPushButton()
        self.end_button.clicked.connect(self._end_early)
        self.outcome_button = QPushButton()
        self.outcome_button.clicked.connect(self._review)
        self.saving = QLabel()
        ctx.ops.busy_changed.connect(self._busy)
        self.scenario: Scenario | None = None
        self.coach = QGroupBox()
        self.coach.setObjectName("coach")
        self.role_card = WrapLabel()
        self.tip = WrapLabel()
        coach_layout = QVBoxLayout(self.coach)
        self.role_title = QLabel()
        self.tip_title = QLabel()
        for widget in (self.role_title, self.role_card, self.tip_title, self.tip):
            coach_layout.addWidget(widget)
        coach_layout.addStretch(1)
        self.coach.hide()

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.pause_button)
        top.addWidget(self.end_button)
        top.addWidget(self.outcome_button)
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.saving)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.stack, 1)
        centre_layout.addLayout(nav)
        splitter = QSplitter()
        splitter.addWidget(self.sections)
        splitter.addWidget(centre)
        splitter.addWidget(self.coach)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([240, 900, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.languages)
        layout.addWidget(self.banner)
        layout.addWidget(self.progress)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.previous_button.setText(_("‹ &Previous section"))
        self.next_button.setText(_("&Next section ›"))
        self.pause_button.setText(_("P&ause"))
        self.end_button.setText(_("&End early…"))
        self.outcome_button.setText(_("Review &outcome"))
        self.sections.setAccessibleName(_("Sections"))
        self.progress.setAccessibleName(_("Progress"))
        self.coach.setTitle(_("Training scenario"))
        self.role_title.setText(_("Role card (for the person playing the interviewee):"))
        self.tip_title.setText(_("Good practice in this section:"))
        if self.active is not None:
            # Question texts come from the form in the session's languages; only the
            # surrounding interface follows the UI language.
            self._show_header()

    # -- loading -------------------------------------------------------------------------

    def load(self, active: ActiveScreening, scenario: Scenario | None = None) -> None:
        self.clear()
        self.active = active
        self.scenario = scenario
        self.coach.setVisible(scenario is not None)
        self.answers = dict(active.answers)
        session = active.session
        carried = {c.question_id for c in active.carried}
        for section in active.form.sections:
            view = SectionView(
                active.form,
                section,
                session.officer_language,
                session.interviewee_language,
                self.answers,
                carried,
                active.notes.get(section.id, ""),
                self._answer,
                self._note,
            )
            self.views.append(view)
            self.stack.addWidget(view)
            item = QListWidgetItem(text_in(section.title, session.officer_language))
            self.sections.addItem(item)
        self._show_header()
        self._refresh()
        start = 0
        if session.current_section:
            start = next(
                (i for i, s in enumerate(active.form.sections) if s.id == session.current_section),
                0,
            )
        self.sections.setCurrentRow(start)

    def _show_header(self) -> None:
        assert self.active is not None
        session = self.active.session
        officer, interviewee = session.officer_language, session.interviewee_language
        self.title.setText(text_in(self.active.form.title, officer))
        interpreter = (
            _("interpreter: {language}").format(
                language=language(session.interpreter.language).native_name
            )
            if session.interpreter.used and session.interpreter.language
            else _("no interpreter")
        )
        self.languages.setText(
            f"{language(officer).native_name} / {language(interviewee).native_name} · {interpreter}"
        )
        self.banner.set_text(in_language(STOP_ANY_TIME, interviewee), interviewee)

    def clear(self) -> None:
        self.flush()
        self.active = None
        self.scenario = None
        self.coach.hide()
        self.answers = {}
        self.sections.clear()
        for view in self.views:
            self.stack.removeWidget(view)
            view.deleteLater()
        self.views = []

    def flush(self) -> None:
        for view in self.views:
            view.flush()

    # -- answering -----------------------------------------------------------------------

    def _answer(self, question_id: str, value: object) -> None:
        active = self.active
        if active is None:
            return
        question = active.form.question(question_id)
        run = ScreeningRun(active.form, self.answers)
        value = normalise_answer(question, value)  # type: ignore[arg-type]
        problem = run.check_answer(question, value)
        card = self._card(question_id)
        if problem is not None:
            card.show_problem(problem.message)
            return
        card.show_problem(None)
        if value is None:
            self.answers.pop(question_id, None)
        else:
            self.answers[question_id] = value
        self._refresh()

        def saved(store_problem: object) -> None:
            if store_problem is not None:
                card.show_problem(getattr(store_problem, "message", ""))

        def failed(exc: Exception) -> None:
            card.show_problem(_("Not saved. Try again."))
            show_error(self, exc)

        self.ctx.ops.run(
            lambda _p: active.answer(question_id, value),
            owner=self,
            on_done=saved,
            on_error=failed,
        )

    def _note(self, section_id: str, text: str) -> None:
        active = self.active
        if active is None:
            return
        self.ctx.ops.run(
            lambda _p: active.save_note(section_id, text),
            owner=self,
            on_error=lambda exc: show_error(self, exc),
        )

    def _card(self, question_id: str) -> QuestionCard:
        for view in self.views:
            if question_id in view.cards:
                return view.cards[question_id]
        raise KeyError(question_id)

    def _refresh(self) -> None:
        """Apply skip logic and progress after any change."""
        if self.active is None:
            return
        run = ScreeningRun(self.active.form, self.answers)
        for index, view in enumerate(self.views):
            section_visible = run.section_relevant(view.section)
            item = self.sections.item(index)
            item.setHidden(not section_visible)
            questions = run.visible_questions(view.section)
            visible_ids = {q.id for q in questions}
            for question_id, card in view.cards.items():
                card.setVisible(question_id in visible_ids)
            answerable = [q for q in questions if q.type is not QuestionType.NOTE]
            done = sum(1 for q in answerable if q.id in self.answers)
            title = text_in(view.section.title, self.active.session.officer_language)
            mark = "• " if answerable and done == len(answerable) else ""
            item.setText(f"{mark}{title} ({done}/{len(answerable)})")
        progress = run.progress()
        self.progress.setMaximum(max(1, progress.relevant))
        self.progress.setValue(progress.answered)
        self.progress.setFormat(
            _("{answered} of {total} answered").format(
                answered=progress.answered, total=progress.relevant
            )
        )

    # -- navigation ----------------------------------------------------------------------

    def _show_section(self, row: int) -> None:
        if row < 0 or row >= len(self.views) or self.active is None:
            return
        for view in self.views:
            view.flush()
        self.stack.setCurrentIndex(row)
        if self.scenario is not None:
            language = self.active.session.officer_language
            self.role_card.set_text(self.scenario.text(self.scenario.role_card, language), language)
            self.tip.set_text(
                self.scenario.tip(self.views[row].section.id, language)
                or _("No specific tip for this section."),
                language,
            )
        visible_rows = [
            i for i in range(self.sections.count()) if not self.sections.item(i).isHidden()
        ]
        self.previous_button.setEnabled(bool(visible_rows) and row > visible_rows[0])
        self.next_button.setEnabled(bool(visible_rows) and row < visible_rows[-1])
        active, section_id = self.active, self.views[row].section.id
        self.ctx.ops.run(lambda _p: active.go_to_section(section_id), owner=self)

    def _step(self, direction: int) -> None:
        row = self.sections.currentRow() + direction
        while 0 <= row < self.sections.count() and self.sections.item(row).isHidden():
            row += direction
        if 0 <= row < self.sections.count():
            self.sections.setCurrentRow(row)
            self.views[row].setFocus()

    def _review(self) -> None:
        if self.active is not None:
            self.flush()
            self.review_outcome.emit(self.active)

    def _pause(self) -> None:
        active = self.active
        if active is None:
            return
        self.flush()
        case_id = active.session.case_id
        self.ctx.ops.run(
            lambda _p: active.pause(),
            owner=self,
            on_done=lambda _r: self.leave.emit(case_id),
            on_error=lambda exc: show_error(self, exc),
        )

    def _end_early(self) -> None:
        active = self.active
        if active is None:
            return
        with disposing(EndEarlyDialog(self)) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            reason = dialog.reason()
        self.flush()
        self.ctx.ops.run(
            lambda _p: active.end_early(reason),
            owner=self,
            on_done=lambda _o: self.review_outcome.emit(active),
            on_error=lambda exc: show_error(self, exc),
        )

    def _busy(self, busy: bool) -> None:
        self.saving.setText(_("Saving…") if busy else _("All answers saved"))


class EndEarlyDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("End the screening early"))
        self.choice = QComboBox()
        for code, label in END_EARLY_REASONS.items():
            self.choice.addItem(_(label), code)
        self.choice.setAccessibleName(_("Reason"))
        text = WrapLabel(
            _(
                "Everything answered so far stays saved. The outcome will read 'unable to "
                "complete' with this reason."
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        reason_label = QLabel(_("&Reason"))
        reason_label.setBuddy(self.choice)
        layout.addWidget(reason_label)
        layout.addWidget(self.choice)
        layout.addWidget(buttons)
        self.choice.setFocus(Qt.FocusReason.OtherFocusReason)

    def reason(self) -> str:
        return str(self.choice.currentData())
