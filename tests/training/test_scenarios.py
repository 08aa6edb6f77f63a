"""Guided scenarios: they match their forms and every text is there in the nine languages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml

from practitioner_toolkit.forms import OUTCOMES, FormRegistry
from practitioner_toolkit.training import Scenario, load_demo_cases, load_scenarios
from practitioner_toolkit.training.scenarios import scenarios_path
from tests.training.texts import LANGUAGES, text_problems, undrawable

SCENARIOS = load_scenarios()
IDS = [s.id for s in SCENARIOS]


def _texts(scenario: Scenario) -> Iterator[tuple[str, dict[str, str]]]:
    yield "title", scenario.title
    yield "summary", scenario.summary
    yield "role_card", scenario.role_card
    for section_id, tip in scenario.tips.items():
        yield f"tips.{section_id}", tip


def test_scenarios_load() -> None:
    assert 3 <= len(SCENARIOS) <= 4
    assert len(set(IDS)) == len(IDS), "scenario ids must be unique"


def test_the_file_says_which_translations_are_reviewed() -> None:
    data = yaml.safe_load(scenarios_path().read_text(encoding="utf-8"))
    states = {code: state["status"] for code, state in data["translations"].items()}
    assert set(states) == set(LANGUAGES)
    assert states["en"] == "source"
    assert all(
        status in ("unreviewed", "reviewed") for code, status in states.items() if code != "en"
    )


@pytest.mark.parametrize("scenario_id", IDS)
def test_scenario_matches_its_form(registry: FormRegistry, scenario_id: str) -> None:
    scenario = next(s for s in SCENARIOS if s.id == scenario_id)
    form = registry.latest(scenario.form)  # KeyError: no such bundled form
    assert scenario.expected_outcome in OUTCOMES
    assert scenario.interviewee_language in form.translations
    section_ids = [s.id for s in form.sections]
    unknown = set(scenario.tips) - set(section_ids)
    assert not unknown, f"tips for sections the form does not have: {sorted(unknown)}"
    missing = [s for s in section_ids if s not in scenario.tips]
    assert not missing, f"every section needs a coaching tip; missing {missing}"


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_text_is_in_the_nine_languages(scenario_id: str) -> None:
    scenario = next(s for s in SCENARIOS if s.id == scenario_id)
    for name, text in _texts(scenario):
        assert set(text) == set(LANGUAGES), f"{name}: languages {sorted(text)}"
        for language, value in text.items():
            assert isinstance(value, str), f"{name}.{language}"
            problems = text_problems(value, language)
            assert not problems, f"{name}.{language}: {problems}"
            if language != "en":
                assert value != text["en"], f"{name}.{language} is not translated"
        assert scenario.text(text, "km") == text["km"]


def test_tips_are_looked_up_by_section(registry: FormRegistry) -> None:
    for scenario in SCENARIOS:
        first = registry.latest(scenario.form).sections[0].id
        assert scenario.tip(first, "th") == scenario.tips[first]["th"]
        assert scenario.tip("no_such_section", "th") == ""


def test_every_character_is_in_a_bundled_font(qapp: object) -> None:
    texts = (value for s in SCENARIOS for _name, text in _texts(s) for value in text.values())
    missing = undrawable(texts)
    assert not missing, f"no bundled font draws {sorted(missing)}"


def test_every_scenario_has_a_worked_example_among_the_demo_cases() -> None:
    """Trainers compare a trainee's screening with a demo case of the same story."""
    _agencies, cases = load_demo_cases()
    examples = {
        (s.form, s.interviewee_language, s.expect) for case in cases for s in case.screenings
    }
    for scenario in SCENARIOS:
        key = (scenario.form, scenario.interviewee_language, scenario.expected_outcome)
        assert key in examples, f"{scenario.id}: no demo case shows {key}"
