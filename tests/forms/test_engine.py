"""The engine on the fixture form: skip logic, answer checks, progress, outcome rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from practitioner_toolkit.forms import DECLINED, ScreeningRun, evaluate, load_and_validate
from practitioner_toolkit.forms.expressions import ExpressionError, parse
from practitioner_toolkit.forms.expressions import evaluate as eval_expr
from practitioner_toolkit.forms.rules import dimension_positive

FORM = load_and_validate(Path(__file__).parent / "fixtures" / "mini.yaml")


@pytest.mark.parametrize(
    ("expression", "answers", "expected"),
    [
        ("${age} < 18", {"age": 17}, True),
        ("${age} < 18", {"age": 18}, False),
        ("${age} < 18", {}, False),  # unanswered is empty, not zero
        ("${a} = 'yes' and ${b} != 'no'", {"a": "yes"}, True),
        ("selected(${m}, 'debt') or count-selected(${m}) > 2", {"m": ["debt"]}, True),
        ("not(selected(${m}, 'debt'))", {"m": ["x"]}, True),
        ("if(${a} = 'yes', 1, 2) = 2", {"a": "no"}, True),
        ("string-length(${t}) >= 3", {"t": "abc"}, True),
        ("coalesce(${t}, 'x') = 'x'", {}, True),
        ("(1 + 2) * 3 = 9 and 7 mod 4 = 3 and 9 div 3 = 3", {}, True),
        ("-${n} < 0", {"n": 2}, True),
    ],
)
def test_conditions(expression: str, answers: dict[str, object], expected: bool) -> None:
    assert bool(eval_expr(parse(expression), answers)) is expected


@pytest.mark.parametrize(
    "expression", ["", "${a} =", "foo(1)", "selected(${a})", "'open", "(1", "__import__('os')"]
)
def test_bad_conditions_are_refused_by_the_parser(expression: str) -> None:
    with pytest.raises(ExpressionError):
        parse(expression)


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "positive"),
    [
        (2, 0, 0, True),
        (1, 1, 0, True),
        (1, 0, 1, True),
        (0, 3, 0, True),
        (0, 2, 1, True),
        (1, 0, 0, False),
        (0, 2, 0, False),
        (0, 1, 5, False),
        (0, 0, 9, False),
    ],
)
def test_the_delphi_dimension_rule(strong: int, medium: int, weak: int, positive: bool) -> None:
    assert dimension_positive(strong, medium, weak) is positive


def test_skip_logic_hides_sections_and_questions() -> None:
    run = ScreeningRun(FORM, {"consent": "no"})
    assert [s.id for s in run.relevant_sections()] == ["start"]
    run = ScreeningRun(FORM, {"consent": "yes"})
    story = FORM.question("story")
    assert not run.is_relevant(story)
    assert ScreeningRun(FORM, {"consent": "yes", "deceived": "yes"}).is_relevant(story)


def test_declined_never_triggers_skip_logic_or_effects() -> None:
    run = ScreeningRun(FORM, {"consent": "yes", "deceived": DECLINED})
    assert not run.is_relevant(FORM.question("story"))
    result = evaluate(FORM, {"consent": "yes", "deceived": DECLINED, "hours": DECLINED})
    assert result.indicators == []


def test_answers_to_hidden_questions_do_not_count() -> None:
    answers = {"consent": "no", "hours": "yes", "documents": "yes"}
    result = evaluate(FORM, answers)
    assert result.code == "unable_to_complete"
    assert result.indicators == []


@pytest.mark.parametrize(
    ("question", "value", "ok"),
    [
        ("consent", "yes", True),
        ("consent", "unsure", False),
        ("deceived", "unsure", True),
        ("age", 34, True),
        ("age", 150, False),
        ("age", "34", False),
        ("who_recruited", "agent", True),
        ("who_recruited", "stranger", False),
        ("story", "text", True),
        ("age", DECLINED, True),
    ],
)
def test_answers_are_checked_against_type_and_constraint(
    question: str, value: object, ok: bool
) -> None:
    run = ScreeningRun(FORM, {"consent": "yes", "deceived": "yes"})
    assert (run.check_answer(FORM.question(question), value) is None) is ok


def test_constraint_message_is_in_the_active_language() -> None:
    run = ScreeningRun(FORM, {})
    problem = run.check_answer(FORM.question("age"), 130)
    assert problem is not None and problem.message == "Age is between 0 and 120."


def test_progress_counts_only_relevant_questions() -> None:
    progress = ScreeningRun(FORM, {"consent": "no"}).progress()
    assert (progress.answered, progress.relevant, progress.required_missing) == (1, 2, 0)
    progress = ScreeningRun(FORM, {"consent": "yes", "deceived": "yes"}).progress()
    assert progress.relevant == 8  # the free-text story is shown once "deceived" is yes
    assert progress.answered == 2


def test_outcome_paths_of_the_adult_rule() -> None:
    full = {"consent": "yes", "who_recruited": "agent", "deceived": "yes", "hours": "yes"}
    assert evaluate(FORM, full).code == "presumed_victim"
    # Indicators in several dimensions, none of them positive on its own: below threshold.
    scattered = {"consent": "yes", "threats": "yes", "deceived": "yes"}
    assert evaluate(FORM, scattered).code == "further_screening"
    assert evaluate(FORM, {"consent": "yes", "threats": "yes"}).code == "further_screening"
    assert evaluate(FORM, {"consent": "yes"}).code == "no_indicators_found"
    assert evaluate(FORM, {"consent": "no"}).code == "unable_to_complete"


def test_outcome_round_trips_through_json() -> None:
    from practitioner_toolkit.forms import OutcomeResult

    result = evaluate(FORM, {"consent": "yes", "who_recruited": "agent", "deceived": "yes"})
    assert OutcomeResult.from_json(result.to_json()) == result
