"""Screening forms as data, and the engine that runs them.

- ``FormRegistry.load(folder)``: every bundled form version, validated.
- ``ScreeningRun(form, answers)``: skip logic, answer checks, progress.
- ``evaluate(form, answers)``: the indicative outcome with its reasoning.
- ``ScreeningService``: the same engine wired to an unlocked workspace (used by UI and CLI).
"""

from __future__ import annotations

from collections.abc import Mapping

from practitioner_toolkit.forms.engine import AnswerProblem, Progress, ScreeningRun
from practitioner_toolkit.forms.loader import FormError, FormProblem
from practitioner_toolkit.forms.model import (
    DECLINED,
    Choice,
    FormDefinition,
    FormKind,
    Question,
    QuestionType,
    Section,
    text_in,
)
from practitioner_toolkit.forms.outcome import (
    DISCLAIMER,
    OUTCOME_SHORT,
    OUTCOMES,
    OutcomeResult,
    Reason,
)
from practitioner_toolkit.forms.registry import FormRegistry, load_and_validate
from practitioner_toolkit.forms.rules import evaluate_outcome


def evaluate(form: FormDefinition, answers: Mapping[str, object]) -> OutcomeResult:
    return evaluate_outcome(ScreeningRun(form, answers))


__all__ = [
    "DECLINED",
    "DISCLAIMER",
    "OUTCOMES",
    "OUTCOME_SHORT",
    "AnswerProblem",
    "Choice",
    "FormDefinition",
    "FormError",
    "FormKind",
    "FormProblem",
    "FormRegistry",
    "OutcomeResult",
    "Progress",
    "Question",
    "QuestionType",
    "Reason",
    "ScreeningRun",
    "Section",
    "evaluate",
    "load_and_validate",
    "text_in",
]
