"""The screening-form format, as typed models (pydantic), following XLSForm's concepts.

A form file is YAML; ``screening_forms/README.md`` documents it for form authors. Structural
rules live here (types, required keys, no unknown keys); rules that need the whole form
(references between questions, translations, vocabularies) live in ``validation``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
FormId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,63}$")]
Version = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+\.\d+$")]
LocalText = dict[str, Annotated[str, StringConstraints(min_length=1)]]

# Answers every question accepts besides its own values.
DECLINED = "declined"


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    YES_NO_UNSURE = "yes_no_unsure"
    SINGLE = "single"
    MULTI = "multi"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TEXT = "text"
    NOTE = "note"

    @property
    def has_choices(self) -> bool:
        return self in (QuestionType.SINGLE, QuestionType.MULTI)

    @property
    def fixed_values(self) -> tuple[str, ...]:
        if self is QuestionType.YES_NO:
            return ("yes", "no")
        if self is QuestionType.YES_NO_UNSURE:
            return ("yes", "no", "unsure")
        return ()


class Strength(StrEnum):
    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"


class FormKind(StrEnum):
    OBSERVATION = "observation"
    QUICK_SCREEN = "quick_screen"
    SCREENING = "screening"
    MODULE = "module"
    NEEDS_ASSESSMENT = "needs_assessment"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorLink(_Strict):
    """Answering a question (or picking a choice) this way shows this indicator."""

    id: Identifier
    group: Identifier  # a Delphi dimension or one of the ILO forced-labour indicators
    strength: Strength = Strength.MEDIUM
    weight_check: bool = False  # weight recalled, to confirm against the primary source


class Effects(_Strict):
    """What an answer contributes to the outcome."""

    indicators: list[IndicatorLink] = Field(default_factory=list)
    elements: list[str] = Field(default_factory=list)  # Palermo elements, "act:recruitment"
    refer: list[str] = Field(default_factory=list)  # service codes
    flags: list[str] = Field(default_factory=list)


class Choice(Effects):
    value: Identifier
    label: LocalText


class Question(Effects):
    id: Identifier
    type: QuestionType
    label: LocalText
    hint: LocalText | None = None
    required: bool = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: LocalText | None = None
    choices: list[Choice] | Identifier | None = None  # inline, or the name of a choice list
    when: list[str] = Field(default_factory=lambda: ["yes"])  # answers that trigger effects
    key: bool = False  # a key question of a quick screen: "yes" recommends full screening
    searchable: bool = False  # free text indexed for case search
    sensitive: bool = False  # never copied into a referral summary by default
    carry_from: list[str] = Field(default_factory=list)  # "form-id.question_id" to prefill from


class Section(_Strict):
    id: Identifier
    title: LocalText
    hint: LocalText | None = None
    relevant: str | None = None
    questions: list[Question] = Field(min_length=1)


class Source(_Strict):
    id: Identifier
    citation: str
    url: str | None = None
    note: str | None = None


class TranslationState(_Strict):
    status: Literal["source", "unreviewed", "reviewed"]
    reviewer: str | None = None
    date: str | None = None


class FormDefinition(_Strict):
    id: FormId
    version: Version
    kind: FormKind
    audience: Literal["adult", "child", "any"]
    rule: str
    title: LocalText
    description: LocalText | None = None
    sources: list[Source] = Field(min_length=1)
    review_notes: list[str] = Field(default_factory=list)
    translations: dict[str, TranslationState]
    next_form: FormId | None = None  # offered when the outcome recommends further screening
    choice_lists: dict[Identifier, list[Choice]] = Field(default_factory=dict)
    sections: list[Section] = Field(min_length=1)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    @property
    def languages(self) -> list[str]:
        return list(self.translations)

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    @cached_property
    def _index(self) -> dict[str, tuple[Question, Section]]:
        # Built once per form: the engine looks questions up after every answer.
        return {q.id: (q, s) for s in self.sections for q in s.questions}

    def question(self, question_id: str) -> Question:
        return self._index[question_id][0]

    def section_of(self, question_id: str) -> Section:
        return self._index[question_id][1]

    def choices_for(self, question: Question) -> list[Choice]:
        if isinstance(question.choices, str):
            return self.choice_lists[question.choices]
        return list(question.choices or [])


def text_in(text: LocalText | None, language: str, fallback: str = "en") -> str:
    """A form text in ``language``, or in the fallback language if it has none."""
    if not text:
        return ""
    return text.get(language) or text.get(fallback) or next(iter(text.values()))
