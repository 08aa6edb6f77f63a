"""Whole-form checks that the model alone cannot make, each tied to a file line and field."""

from __future__ import annotations

from collections.abc import Iterable

from practitioner_toolkit.forms import expressions
from practitioner_toolkit.forms.loader import (
    FieldPath,
    FormError,
    FormProblem,
    LineMap,
    format_path,
)
from practitioner_toolkit.forms.model import Choice, FormDefinition, LocalText, QuestionType
from practitioner_toolkit.forms.rules import RULES
from practitioner_toolkit.forms.vocabulary import FLAGS, SERVICES, element_codes
from practitioner_toolkit.i18n.languages import LANGUAGE_CODES, SOURCE_LANGUAGE


class _Collector:
    def __init__(self, file: str, lines: LineMap) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[FormProblem] = []

    def add(self, path: FieldPath, message: str) -> None:
        self.problems.append(
            FormProblem(self.file, self.lines.line_for(path), format_path(path), message)
        )


def validate_form(form: FormDefinition, lines: LineMap, file: str) -> None:
    """Raise ``FormError`` listing every problem, or return if the form is sound."""
    out = _Collector(file, lines)
    _check_translations(form, out)
    _check_ids_and_choices(form, out)
    _check_expressions(form, out)
    _check_effects(form, out)
    if out.problems:
        raise FormError(out.problems)


def _texts(form: FormDefinition) -> Iterable[tuple[FieldPath, LocalText]]:
    yield ("title",), form.title
    if form.description:
        yield ("description",), form.description
    for name, choices in form.choice_lists.items():
        for c, choice in enumerate(choices):
            yield ("choice_lists", name, c, "label"), choice.label
    for s, section in enumerate(form.sections):
        yield ("sections", s, "title"), section.title
        if section.hint:
            yield ("sections", s, "hint"), section.hint
        for q, question in enumerate(section.questions):
            base: FieldPath = ("sections", s, "questions", q)
            yield (*base, "label"), question.label
            if question.hint:
                yield (*base, "hint"), question.hint
            if question.constraint_message:
                yield (*base, "constraint_message"), question.constraint_message
            if isinstance(question.choices, list):
                for c, choice in enumerate(question.choices):
                    yield (*base, "choices", c, "label"), choice.label


def _check_translations(form: FormDefinition, out: _Collector) -> None:
    for code in form.translations:
        if code not in LANGUAGE_CODES:
            out.add(("translations", code), f"unknown language {code!r}")
    if form.translations.get(SOURCE_LANGUAGE) is None:
        out.add(("translations",), f"the source language {SOURCE_LANGUAGE!r} must be listed")
    elif form.translations[SOURCE_LANGUAGE].status != "source":
        out.add(("translations", SOURCE_LANGUAGE), "English is the source: status must be 'source'")
    declared = set(form.translations)
    for path, text in _texts(form):
        for code in sorted(set(text) - declared):
            out.add((*path, code), f"language {code!r} is not declared under 'translations'")
        for code in sorted(declared - set(text)):
            out.add(path, f"has no {code!r} text, but the form declares that language")


def _check_ids_and_choices(form: FormDefinition, out: _Collector) -> None:
    seen_sections: set[str] = set()
    seen_questions: dict[str, FieldPath] = {}
    for s, section in enumerate(form.sections):
        if section.id in seen_sections:
            out.add(("sections", s, "id"), f"section id {section.id!r} is used twice")
        seen_sections.add(section.id)
        for q, question in enumerate(section.questions):
            path: FieldPath = ("sections", s, "questions", q)
            if question.id in seen_questions:
                out.add((*path, "id"), f"question id {question.id!r} is used twice")
            seen_questions[question.id] = path
            kind = question.type
            if kind.has_choices and question.choices is None:
                out.add((*path, "choices"), f"a {kind.value} question needs choices")
            if not kind.has_choices and question.choices is not None:
                out.add((*path, "choices"), f"a {kind.value} question takes no choices")
            if isinstance(question.choices, str) and question.choices not in form.choice_lists:
                out.add((*path, "choices"), f"no choice list named {question.choices!r}")
            if isinstance(question.choices, list):
                _check_choice_values(question.choices, (*path, "choices"), out)
            allowed = set(kind.fixed_values)
            if (
                kind.has_choices
                and question.choices is not None
                and (not isinstance(question.choices, str) or question.choices in form.choice_lists)
            ):
                allowed = {c.value for c in form.choices_for(question)}
            has_effects = (
                question.indicators or question.elements or question.refer or question.flags
            )
            if has_effects and kind in (QuestionType.NOTE, QuestionType.TEXT, QuestionType.DATE):
                out.add(path, f"a {kind.value} question cannot carry indicators or referrals")
            for w, value in enumerate(question.when if has_effects else []):
                if allowed and value not in allowed:
                    out.add((*path, "when", w), f"{value!r} is not one of this question's answers")
            if question.searchable and kind is not QuestionType.TEXT:
                out.add((*path, "searchable"), "only text questions can be searchable")
            if kind is QuestionType.NOTE and question.required:
                out.add((*path, "required"), "a note cannot be required")
    for name, choices in form.choice_lists.items():
        _check_choice_values(choices, ("choice_lists", name), out)


def _check_choice_values(choices: list[Choice], path: FieldPath, out: _Collector) -> None:
    seen: set[str] = set()
    if not choices:
        out.add(path, "a choice list needs at least one choice")
    for c, choice in enumerate(choices):
        if choice.value in seen:
            out.add((*path, c, "value"), f"choice {choice.value!r} appears twice")
        if choice.value == "declined":
            out.add((*path, c, "value"), "'declined' is reserved: every question offers it")
        seen.add(choice.value)


def _check_expressions(form: FormDefinition, out: _Collector) -> None:
    known = {q.id for q in form.questions()}
    for s, section in enumerate(form.sections):
        items: list[tuple[FieldPath, str | None, bool]] = [
            (("sections", s, "relevant"), section.relevant, False)
        ]
        for q, question in enumerate(section.questions):
            base: FieldPath = ("sections", s, "questions", q)
            items.append(((*base, "relevant"), question.relevant, False))
            items.append(((*base, "constraint"), question.constraint, True))
            if question.constraint_message and not question.constraint:
                out.add((*base, "constraint_message"), "a constraint message needs a constraint")
        for path, source, current_allowed in items:
            if source is None:
                continue
            try:
                node = expressions.parse(source)
            except expressions.ExpressionError as exc:
                out.add(path, f"cannot be read: {exc}")
                continue
            for name in sorted(expressions.references(node) - known):
                out.add(path, f"refers to ${{{name}}}, which is not a question of this form")
            if expressions.uses_current(node) and not current_allowed:
                out.add(path, "'.' (this answer) can only be used in a constraint")


def _check_effects(form: FormDefinition, out: _Collector) -> None:
    rule = RULES.get(form.rule)
    if rule is None:
        out.add(("rule",), f"unknown rule {form.rule!r}; known: {', '.join(sorted(RULES))}")
    elements = element_codes()
    seen_indicators: dict[str, tuple[str, str]] = {}

    def check(effects_path: FieldPath, effects: Choice | object) -> None:
        for i, link in enumerate(getattr(effects, "indicators", [])):
            if rule is not None and link.group not in rule.groups:
                out.add(
                    (*effects_path, "indicators", i, "group"),
                    f"{link.group!r} is not an indicator group of rule {form.rule!r}",
                )
            previous = seen_indicators.get(link.id)
            if previous and previous != (link.group, link.strength.value):
                out.add(
                    (*effects_path, "indicators", i),
                    f"indicator {link.id!r} is used elsewhere with another group or strength",
                )
            seen_indicators[link.id] = (link.group, link.strength.value)
        for i, element in enumerate(getattr(effects, "elements", [])):
            if element not in elements:
                out.add((*effects_path, "elements", i), f"unknown Palermo element {element!r}")
            elif rule is not None and not rule.uses_elements:
                out.add((*effects_path, "elements", i), f"rule {form.rule!r} does not use elements")
        for i, code in enumerate(getattr(effects, "refer", [])):
            if code not in SERVICES:
                out.add((*effects_path, "refer", i), f"unknown service {code!r}")
        for i, flag in enumerate(getattr(effects, "flags", [])):
            if flag not in FLAGS:
                out.add((*effects_path, "flags", i), f"unknown flag {flag!r}")

    for name, choices in form.choice_lists.items():
        for c, choice in enumerate(choices):
            check(("choice_lists", name, c), choice)
    for s, section in enumerate(form.sections):
        for q, question in enumerate(section.questions):
            base: FieldPath = ("sections", s, "questions", q)
            check(base, question)
            if isinstance(question.choices, list):
                for c, choice in enumerate(question.choices):
                    check((*base, "choices", c), choice)
