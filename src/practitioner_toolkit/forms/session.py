"""Screening sessions: the forms engine wired to an unlocked workspace.

The UI and the CLI both drive screenings through ``ScreeningService``. Every answer is
checked by the engine, then committed by the store before the call returns. A session always
re-opens with the form version it started with.
"""

from __future__ import annotations

from dataclasses import dataclass

from practitioner_toolkit.forms.engine import AnswerProblem, Progress, ScreeningRun
from practitioner_toolkit.forms.model import DECLINED, FormDefinition, Question, QuestionType
from practitioner_toolkit.forms.outcome import OutcomeResult, Reason
from practitioner_toolkit.forms.registry import FormRegistry
from practitioner_toolkit.forms.rules import evaluate_outcome
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store import (
    AnswerValue,
    Interpreter,
    Outcome,
    ScreeningSession,
    SessionStatus,
    ValidationError,
    Workspace,
)


@dataclass(frozen=True)
class CarriedAnswer:
    question_id: str
    source_form: str
    source_session: str


class ActiveScreening:
    """One open session: answers go straight to the store as they are given."""

    def __init__(self, workspace: Workspace, form: FormDefinition, session: ScreeningSession):
        self._workspace = workspace
        self.form = form
        self.session = session
        self.answers: dict[str, object] = {q: a.value for q, a in session.answers.items()}
        self.notes: dict[str, str] = dict(session.notes)
        self.carried: list[CarriedAnswer] = []

    @property
    def run(self) -> ScreeningRun:
        return ScreeningRun(self.form, self.answers)

    @property
    def editable(self) -> bool:
        return self.session.status in (SessionStatus.IN_PROGRESS, SessionStatus.PAUSED)

    def answer(self, question_id: str, value: AnswerValue) -> AnswerProblem | None:
        """Check and commit one answer; a problem is returned (and nothing saved) if refused."""
        question = self.form.question(question_id)
        value = normalise_answer(question, value)
        problem = self.run.check_answer(question, value)
        if problem is not None:
            return problem
        if value in ("", []):
            value = None
        search_text = value if question.searchable and isinstance(value, str) else None
        if search_text == DECLINED:
            search_text = None
        self._workspace.cases.save_answer(self.session.id, question_id, value, search_text)
        if value is None:
            self.answers.pop(question_id, None)
        else:
            self.answers[question_id] = value
        return None

    def decline(self, question_id: str) -> None:
        self.answer(question_id, DECLINED)

    def clear(self, question_id: str) -> None:
        self.answer(question_id, None)

    def save_note(self, section_id: str, text: str) -> None:
        self._workspace.cases.save_note(self.session.id, section_id, text)
        self.notes[section_id] = text.strip()

    def go_to_section(self, section_id: str) -> None:
        self._workspace.cases.set_current_section(self.session.id, section_id)

    def progress(self) -> Progress:
        return self.run.progress()

    def outcome(self) -> OutcomeResult:
        return evaluate_outcome(self.run)

    def finish(self) -> Outcome:
        """Record the indicative outcome and close the session."""
        result = self.outcome()
        outcome = self._workspace.cases.record_outcome(
            self.session.id, result.code, result.to_json()
        )
        self.session = self._workspace.cases.set_session_status(
            self.session.id, SessionStatus.COMPLETED
        )
        return outcome

    def end_early(self, reason_code: str) -> Outcome:
        """Close the session as 'unable to complete', keeping everything answered so far."""
        result = self.outcome()
        ended = OutcomeResult(
            **{
                **result.__dict__,
                "code": "unable_to_complete",
                "reasons": [
                    Reason(N_("The screening was ended early: {reason}."), {"reason": reason_code}),
                    *result.reasons,
                ],
            }
        )
        outcome = self._workspace.cases.record_outcome(self.session.id, ended.code, ended.to_json())
        self.session = self._workspace.cases.set_session_status(
            self.session.id, SessionStatus.ABANDONED
        )
        return outcome

    def pause(self) -> None:
        self.session = self._workspace.cases.set_session_status(
            self.session.id, SessionStatus.PAUSED
        )

    def reopen(self) -> None:
        self.session = self._workspace.cases.set_session_status(
            self.session.id, SessionStatus.IN_PROGRESS
        )


class ScreeningService:
    def __init__(self, workspace: Workspace, registry: FormRegistry) -> None:
        self._workspace = workspace
        self.registry = registry

    def start(
        self,
        case_id: str,
        form_id: str,
        officer_language: str,
        interviewee_language: str,
        interpreter: Interpreter,
        post: str | None = None,
    ) -> ActiveScreening:
        form = self.registry.latest(form_id)
        if officer_language not in form.translations:
            raise ValidationError("This form is not available in the officer's language.")
        if interviewee_language not in form.translations:
            raise ValidationError("This form is not available in the interviewee's language.")
        session = self._workspace.cases.start_session(
            case_id,
            form.id,
            form.version,
            officer_language,
            interviewee_language,
            interpreter,
            post,
        )
        active = ActiveScreening(self._workspace, form, session)
        active.carried = self._carry_over(active)
        return active

    def resume(self, session_id: str) -> ActiveScreening:
        session = self._workspace.cases.get_session(session_id)
        form = self.registry.get(session.form_id, session.form_version)
        active = ActiveScreening(self._workspace, form, session)
        if session.status is SessionStatus.PAUSED:
            active.reopen()
        return active

    def stored_outcome(self, session_id: str) -> OutcomeResult | None:
        outcome = self._workspace.cases.outcome_of(session_id)
        return OutcomeResult.from_json(outcome.detail) if outcome else None

    def _carry_over(self, active: ActiveScreening) -> list[CarriedAnswer]:
        """Answers given in an earlier tier are copied, never asked twice."""
        wanted = [q for q in active.form.questions() if q.carry_from]
        if not wanted:
            return []
        earlier = [
            s
            for s in self._workspace.cases.sessions_of_case(active.session.case_id)
            if s.id != active.session.id
        ]
        carried: list[CarriedAnswer] = []
        with self._workspace.bulk():
            for question in wanted:
                for reference in question.carry_from:
                    source_form, _, source_question = reference.partition(".")
                    for session in reversed(earlier):
                        answer = session.answers.get(source_question)
                        if session.form_id != source_form or answer is None:
                            continue
                        if active.answer(question.id, answer.value) is None:
                            carried.append(CarriedAnswer(question.id, source_form, session.id))
                        break
                    if question.id in active.answers:
                        break
        return carried


def normalise_answer(question: Question, value: AnswerValue) -> AnswerValue:
    """Accept what widgets produce: text for numbers, floats that are whole numbers."""
    if value is None or value == DECLINED:
        return value
    if question.type is QuestionType.INTEGER and isinstance(value, str):
        text = value.strip()
        try:
            return int(text)  # int() accepts Thai, Khmer, Lao and Burmese digits too
        except ValueError:
            return value
    if question.type is QuestionType.INTEGER and isinstance(value, float) and value.is_integer():
        return int(value)
    if question.type is QuestionType.DECIMAL and isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return value
    if question.type is QuestionType.TEXT and isinstance(value, str):
        return value.strip()
    return value
