"""Running a form: skip logic, answer checks, progress, and the indicative outcome.

Pure functions over a form definition and a dict of answers; no storage, no UI. The desktop
app, the CLI (``ptk forms run``) and the tests all go through ``ScreeningRun``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from practitioner_toolkit.forms import expressions
from practitioner_toolkit.forms.model import (
    DECLINED,
    Choice,
    FormDefinition,
    Question,
    QuestionType,
    Section,
    text_in,
)
from practitioner_toolkit.i18n.gettext import _, current_language

AnswerMap = Mapping[str, object]


@dataclass(frozen=True)
class AnswerProblem:
    """Why an answer was refused; ``message`` is already in the officer's language."""

    question_id: str
    message: str


@dataclass(frozen=True)
class Progress:
    answered: int
    relevant: int
    required_missing: int
    sections_done: int
    sections_total: int

    @property
    def fraction(self) -> float:
        return self.answered / self.relevant if self.relevant else 1.0


class ScreeningRun:
    """One form with one set of answers. Cheap to rebuild after every answer."""

    def __init__(
        self, form: FormDefinition, answers: AnswerMap, today: dt.date | None = None
    ) -> None:
        self.form = form
        self.answers = dict(answers)
        self.today = today

    @property
    def _parsed(self) -> dict[str, expressions.Node]:
        return parsed_conditions(self.form)

    # -- skip logic ----------------------------------------------------------------------

    def section_relevant(self, section: Section) -> bool:
        node = self._parsed.get(f"section:{section.id}")
        return node is None or expressions.truthy(
            expressions.evaluate(node, self._visible_answers(), today=self.today)
        )

    def is_relevant(self, question: Question) -> bool:
        section = self.form.section_of(question.id)
        if not self.section_relevant(section):
            return False
        node = self._parsed.get(f"relevant:{question.id}")
        return node is None or expressions.truthy(
            expressions.evaluate(node, self._visible_answers(), today=self.today)
        )

    def visible_questions(self, section: Section) -> list[Question]:
        if not self.section_relevant(section):
            return []
        return [q for q in section.questions if self.is_relevant(q)]

    def relevant_sections(self) -> list[Section]:
        return [s for s in self.form.sections if self.section_relevant(s)]

    def _visible_answers(self) -> dict[str, object]:
        # "declined" reads as unanswered in conditions: it must never trigger skip logic.
        return {k: v for k, v in self.answers.items() if v != DECLINED}

    def effective_answers(self) -> dict[str, object]:
        """Answers to questions that are still relevant (hidden answers do not count)."""
        return {
            q.id: self.answers[q.id]
            for q in self.form.questions()
            if q.id in self.answers and self.answers[q.id] is not None and self.is_relevant(q)
        }

    # -- answers -------------------------------------------------------------------------

    def check_answer(self, question: Question, value: object) -> AnswerProblem | None:
        """None if ``value`` may be saved for ``question``; otherwise why not."""
        if value is None or value == DECLINED:
            return None
        problem = _type_problem(self.form, question, value)
        if problem:
            return AnswerProblem(question.id, problem)
        node = self._parsed.get(f"constraint:{question.id}")
        if node is not None:
            ok = expressions.truthy(
                expressions.evaluate(node, self._visible_answers(), current=value, today=self.today)
            )
            if not ok:
                custom = text_in(question.constraint_message, current_language())
                return AnswerProblem(question.id, custom or _("This answer is not allowed here."))
        return None

    def missing_required(self) -> list[Question]:
        return [
            q
            for s in self.relevant_sections()
            for q in self.visible_questions(s)
            if q.required
            and q.type is not QuestionType.NOTE
            and self.answers.get(q.id) in (None, "", [])
        ]

    def progress(self) -> Progress:
        relevant = [
            q
            for s in self.relevant_sections()
            for q in self.visible_questions(s)
            if q.type is not QuestionType.NOTE
        ]
        answered = [q for q in relevant if self.answers.get(q.id) not in (None, "", [])]
        missing = self.missing_required()
        done = 0
        for section in self.relevant_sections():
            questions = [
                q for q in self.visible_questions(section) if q.type is not QuestionType.NOTE
            ]
            if all(
                self.answers.get(q.id) not in (None, "", []) or not q.required for q in questions
            ):
                done += 1
        return Progress(
            len(answered), len(relevant), len(missing), done, len(self.relevant_sections())
        )

    def triggered(self) -> list[tuple[Question, Choice | None]]:
        """Each (question, choice) whose answer carries effects into the outcome."""
        hits: list[tuple[Question, Choice | None]] = []
        for question_id, value in self.effective_answers().items():
            question = self.form.question(question_id)
            if value == DECLINED:
                continue
            if question.type.has_choices:
                chosen = value if isinstance(value, list) else [value]
                for choice in self.form.choices_for(question):
                    if choice.value in chosen:
                        hits.append((question, choice))
            if _matches_when(question, value):
                hits.append((question, None))
        return hits


def _matches_when(question: Question, value: object) -> bool:
    if not (question.indicators or question.elements or question.refer or question.flags):
        return False
    if isinstance(value, list):
        return any(str(v) in question.when for v in value)
    return str(value) in question.when


def _type_problem(form: FormDefinition, question: Question, value: object) -> str | None:
    kind = question.type
    if kind is QuestionType.NOTE:
        return _("This item is a note and takes no answer.")
    if kind.fixed_values:
        if value not in kind.fixed_values:
            return _("Choose one of the offered answers.")
        return None
    if kind is QuestionType.SINGLE:
        values = {c.value for c in form.choices_for(question)}
        return None if value in values else _("Choose one of the offered answers.")
    if kind is QuestionType.MULTI:
        values = {c.value for c in form.choices_for(question)}
        if not isinstance(value, list) or not all(v in values for v in value):
            return _("Choose among the offered answers.")
        if len(set(value)) != len(value):
            return _("An answer was chosen twice.")
        return None
    if kind is QuestionType.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            return _("Enter a whole number.")
        return None
    if kind is QuestionType.DECIMAL:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return _("Enter a number.")
        return None
    if kind is QuestionType.DATE:
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return _("Enter a date.")
        return None
    if not isinstance(value, str):
        return _("Enter text.")
    return None


_PARSED: dict[int, tuple[FormDefinition, dict[str, expressions.Node]]] = {}


def parsed_conditions(form: FormDefinition) -> dict[str, expressions.Node]:
    """Every condition of a form, parsed once per form object (runs are rebuilt per answer)."""
    cached = _PARSED.get(id(form))
    if cached is not None and cached[0] is form:
        return cached[1]
    parsed: dict[str, expressions.Node] = {}
    for section in form.sections:
        if section.relevant:
            parsed[f"section:{section.id}"] = expressions.parse(section.relevant)
        for q in section.questions:
            if q.relevant:
                parsed[f"relevant:{q.id}"] = expressions.parse(q.relevant)
            if q.constraint:
                parsed[f"constraint:{q.id}"] = expressions.parse(q.constraint)
    _PARSED[id(form)] = (form, parsed)
    return parsed
