"""The fictional demo cases: valid answers, the declared outcomes, and a real training workspace."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from practitioner_toolkit.forms import OUTCOMES, FormRegistry, ScreeningRun, evaluate
from practitioner_toolkit.forms.model import FormDefinition
from practitioner_toolkit.forms.vocabulary import SERVICES
from practitioner_toolkit.store import (
    AGENCY_KINDS,
    SHAREABLE_FIELDS,
    CaseFilter,
    CaseStatus,
    ConsentMethod,
    IntervieweeDetails,
    PermissionDeniedError,
    SessionStatus,
    Urgency,
    Workspace,
)
from practitioner_toolkit.store.agencies import validate_agency
from practitioner_toolkit.store.cases import SEX_VALUES
from practitioner_toolkit.training import (
    load_demo_cases,
    populate_demo_workspace,
    reset_training_workspace,
)
from practitioner_toolkit.training.demo import DemoCase, DemoScreening
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.training.texts import LANGUAGES, SCRIPTS, text_problems, undrawable

AGENCIES, CASES = load_demo_cases()
CASE_KEYS = [c.key for c in CASES]
ALL_FORMS = {
    "observation",
    "quick-screen",
    "adult-screening",
    "child-screening",
    "immediate-needs",
    "fishing-forced-labour",
    "scam-compound",
    "domestic-work",
}
SCREENING_OUTCOMES = {
    "presumed_victim",
    "further_screening",
    "other_protection_needs",
    "no_indicators_found",
    "unable_to_complete",
    "immediate_needs",
}
# Words from the stories, one per script, that case search must find (trigram index).
SEARCH_WORDS = {
    "ပွဲစား": "mae-sot-garment-worker",  # Burmese: broker
    "ភោជនីយដ្ឋាន": "poipet-young-person",  # Khmer: restaurant
    "ไต้ก๋ง": "ranong-fishing-crew",  # Thai: boat captain
    "ຜູ້ໃຫ້ຄຳປຶກສາ": "vientiane-shelter-arrival",  # Lao: counsellor
    "tien ao": "moc-bai-scam-compound",  # Vietnamese without tone marks: crypto
}


def _case(key: str) -> DemoCase:
    return next(c for c in CASES if c.key == key)


def _answers_with_carry_over(
    registry: FormRegistry, case: DemoCase
) -> Iterator[tuple[DemoScreening, FormDefinition, dict[str, Any], set[str]]]:
    """Each screening with the answers it ends up with, as the screening service builds them.

    A later tier copies answers named by ``carry_from`` from the newest earlier screening of
    the source form; those are yielded as the carried set. The caller adds the screening's own
    answers to the yielded dict, and later tiers carry from the result.
    """
    earlier: list[tuple[str, dict[str, Any]]] = []
    for screening in case.screenings:
        form = registry.latest(screening.form)
        answers: dict[str, Any] = {}
        for question in form.questions():
            for reference in question.carry_from:
                source_form, _, source_question = reference.partition(".")
                for form_id, given in reversed(earlier):
                    if form_id == source_form and source_question in given:
                        answers[question.id] = given[source_question]
                        break
                if question.id in answers:
                    break
        carried = set(answers)
        yield screening, form, answers, carried
        earlier.append((screening.form, answers))


# -- the data file ---------------------------------------------------------------------------


def test_demo_data_has_the_expected_shape() -> None:
    assert 6 <= len(AGENCIES) <= 10
    assert 10 <= len(CASES) <= 14
    assert len(set(CASE_KEYS)) == len(CASE_KEYS), "case keys must be unique"
    assert len({a.name for a in AGENCIES}) == len(AGENCIES), "agency names must be unique"


def test_agencies_are_valid_directory_entries() -> None:
    for agency in AGENCIES:
        validate_agency(agency)  # kind, phone and e-mail formats
        assert agency.kind in AGENCY_KINDS
        assert agency.services and set(agency.services) <= set(SERVICES), agency.name
        assert agency.languages and set(agency.languages) <= set(LANGUAGES), agency.name
        assert agency.address and agency.phone and agency.email, agency.name
        assert agency.email.endswith(".example.org"), "e-mail domains must be reserved ones"
        assert "fictional" in (agency.notes or "").lower(), f"{agency.name}: say it is fictional"
    kinds = {a.kind for a in AGENCIES}
    assert {"shelter", "medical", "legal", "psychosocial", "child_protection"} <= kinds
    assert {"labour", "repatriation", "consular"} <= kinds
    countries = {(a.area or "").rsplit(", ", 1)[-1] for a in AGENCIES}
    assert countries >= {"Thailand", "Cambodia", "Lao PDR", "Myanmar", "Malaysia", "Viet Nam"}


def test_people_are_minimal_and_plausible() -> None:
    named = [c.key for c in CASES if c.person.given_name or c.person.family_name]
    assert len(named) <= 3, "most people are known by an alias only (data minimisation)"
    for case in CASES:
        person = case.person
        assert person.sex in SEX_VALUES, case.key
        assert person.nationality, case.key
        assert person.languages and set(person.languages) <= set(LANGUAGES), case.key
        assert person.alias or person.given_name, case.key
        assert (person.age_estimate is None) != (person.birth_year is None), case.key
        assert case.status in {s.value for s in CaseStatus}, case.key
        for screening in case.screenings:
            assert screening.interviewee_language in person.languages, case.key
            assert screening.officer_language in LANGUAGES, case.key
            assert screening.interpreter in (None, screening.interviewee_language), case.key


def test_cases_cover_the_workshop_needs() -> None:
    forms = Counter(s.form for c in CASES for s in c.screenings)
    assert set(forms) == ALL_FORMS, "every bundled form is used at least once"
    assert {s.expect for c in CASES for s in c.screenings} >= SCREENING_OUTCOMES
    assert len({c.person.nationality for c in CASES}) >= 7
    spoken = {s.interviewee_language for c in CASES for s in c.screenings}
    assert spoken >= {"my", "km", "lo", "vi", "id", "fil", "th"}
    chains = [
        c
        for c in CASES
        if [s.form for s in c.screenings] == ["observation", "quick-screen", "adult-screening"]
    ]
    assert len(chains) >= 2, "two observation -> quick screen -> adult screening chains"
    ages = [c.person.age_estimate for c in CASES if c.person.age_estimate is not None]
    assert any(age < 18 for age in ages) and any(age >= 18 for age in ages)
    assert any(c.person.age_uncertain for c in CASES)
    assert sum(1 for c in CASES for s in c.screenings if not s.finish) == 1, "one paused"
    assert sum(1 for c in CASES if c.status == "closed") >= 1


def test_referrals_are_consistent() -> None:
    agencies = {a.name: a for a in AGENCIES}
    referred = [c for c in CASES if c.referral is not None]
    assert len(referred) >= 4
    assert any(c.referral.guardian for c in referred if c.referral)
    for case in referred:
        ref = case.referral
        assert ref is not None
        agency = agencies[ref.agency]
        assert ref.services and set(ref.services) <= set(agency.services), case.key
        assert ref.urgency in {u.value for u in Urgency}, case.key
        assert set(ref.shared) <= set(SHAREABLE_FIELDS), case.key
        assert set(case.person.languages) & set(agency.languages), f"{case.key}: no language"
        assert ref.summary, case.key
        assert case.status in ("referred", "closed"), f"{case.key}: a referral refers the case"
        if ref.guardian:
            assert not ref.shared, f"{case.key}: no personal details without consent"
            age = case.person.age_estimate
            assert age is not None and age < 18, f"{case.key}: safeguarding is for children"
    sharing = [c.key for c in referred if c.referral and c.referral.shared]
    assert len(sharing) < len(referred) / 2, "most referrals share no personal details"


@pytest.mark.parametrize("key", CASE_KEYS)
def test_answers_are_valid_and_give_the_declared_outcome(registry: FormRegistry, key: str) -> None:
    case = _case(key)
    for screening, form, answers, carried in _answers_with_carry_over(registry, case):
        where = f"{key} / {screening.form}"
        repeated = carried & set(screening.answers)
        assert not repeated, f"{where}: already carried over, do not repeat {sorted(repeated)}"
        for question_id, value in screening.answers.items():
            question = form.question(question_id)  # KeyError: not a question of the form
            problem = ScreeningRun(form, answers).check_answer(question, value)
            assert problem is None, f"{where}: {question_id}={value!r}: {problem}"
            answers[question_id] = value
        run = ScreeningRun(form, answers)
        hidden = set(answers) - set(run.effective_answers()) - carried
        assert not hidden, f"{where}: answers to questions that are not shown: {sorted(hidden)}"
        section_ids = {s.id for s in form.sections}
        assert set(screening.notes) <= section_ids, f"{where}: notes for unknown sections"
        result = evaluate(form, answers)
        assert screening.expect in OUTCOMES, where
        assert result.code == screening.expect, f"{where}: gives {result.code}"
        if screening.finish and result.code != "unable_to_complete":
            assert not result.missing_required, f"{where}: unanswered {result.missing_required}"


def test_texts_are_clean() -> None:
    for language, text in _demo_texts():
        assert not text_problems(text, language), (text[:40], text_problems(text, language))
    # The stories are written in several scripts, so search demos work in each of them.
    assert {language for language, _text in _demo_texts()} >= {"my", "km", "th", "lo"}
    assert any("ầ" in text or "ả" in text for _language, text in _demo_texts())  # Vietnamese


def test_every_character_is_in_a_bundled_font(qapp: object) -> None:
    missing = undrawable(text for _language, text in _demo_texts())
    assert not missing, f"no bundled font draws {sorted(missing)}"


def _demo_texts() -> Iterator[tuple[str | None, str]]:
    """Every free text of the demo data, with the language its script shows (if not Latin)."""
    texts: list[str] = []
    for agency in AGENCIES:
        texts += [agency.name, agency.area or "", agency.address or "", agency.hours or ""]
        texts.append(agency.notes or "")
    for case in CASES:
        texts += [case.post, case.person.alias or "", case.person.given_name or ""]
        texts.append(case.person.family_name or "")
        for screening in case.screenings:
            texts += [v for v in screening.answers.values() if isinstance(v, str) and len(v) > 12]
            texts += screening.notes.values()
        if case.referral:
            texts.append(case.referral.summary or "")
    for text in texts:
        if text:
            yield _script_of(text), text


def _script_of(text: str) -> str | None:
    for language, (low, high) in SCRIPTS.items():
        if any(low <= ord(char) <= high for char in text):
            return language
    return None


# -- a real training workspace ---------------------------------------------------------------


def _new_workspace(folder: Path, *, training: bool) -> Workspace:
    workspace, _code = Workspace.create(
        folder,
        name="Training: demo" if training else "Real post",
        username="trainer",
        display_name="Trainer",
        passphrase=PASSPHRASE,
        training=training,
        kdf=FAST_KDF,
    )
    return workspace


@pytest.fixture(scope="module")
def populated(
    registry: FormRegistry, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    workspace = _new_workspace(tmp_path_factory.mktemp("training") / "ws", training=True)
    assert populate_demo_workspace(workspace, registry) == len(CASES)
    yield workspace
    workspace.lock()


def _cases_in_yaml_order(workspace: Workspace) -> list[tuple[DemoCase, str]]:
    """Demo cases with their workspace case ids (references are numbered in creation order)."""
    page = workspace.cases.list_cases(CaseFilter(statuses=(), limit=1000))
    ordered = sorted(page.cases, key=lambda c: c.reference)
    assert len(ordered) == len(CASES)
    return [(demo, summary.id) for demo, summary in zip(CASES, ordered, strict=True)]


def test_populating_a_training_workspace(populated: Workspace) -> None:
    stats = populated.stats()
    assert stats.cases == len(CASES)
    assert stats.agencies == len(AGENCIES)
    assert stats.sessions == sum(len(c.screenings) for c in CASES)
    assert stats.referrals == sum(1 for c in CASES if c.referral)
    statuses = Counter(
        c.status.value
        for c in populated.cases.list_cases(CaseFilter(statuses=(), limit=1000)).cases
    )
    assert statuses == Counter(c.status for c in CASES)
    assert statuses["closed"] >= 1


def test_populated_sessions_match_the_data(populated: Workspace) -> None:
    paused = 0
    for demo, case_id in _cases_in_yaml_order(populated):
        case = populated.cases.get_case(case_id)
        assert case.post == demo.post
        assert case.interviewee == demo.person, demo.key
        sessions = {s.form_id: s for s in populated.cases.sessions_of_case(case_id)}
        assert set(sessions) == {s.form for s in demo.screenings}, demo.key
        for screening in demo.screenings:
            session = sessions[screening.form]
            assert session.interpreter.language == screening.interpreter, demo.key
            assert set(session.notes) == set(screening.notes), demo.key
            outcome = populated.cases.outcome_of(session.id)
            if screening.finish:
                assert session.status is SessionStatus.COMPLETED, demo.key
                assert outcome is not None and outcome.code == screening.expect, demo.key
            else:
                paused += 1
                assert session.status is SessionStatus.PAUSED, demo.key
                assert outcome is None, demo.key
                assert session.current_section is not None, demo.key
    assert paused == 1


def test_populated_referrals(populated: Workspace) -> None:
    agencies = {a.id: a for a in populated.agencies.list()}
    for demo, case_id in _cases_in_yaml_order(populated):
        referrals = populated.referrals.for_case(case_id)
        if demo.referral is None:
            assert referrals == [], demo.key
            continue
        (referral,) = referrals
        assert agencies[referral.agency_id].name == demo.referral.agency
        assert referral.services == demo.referral.services
        assert referral.shared_fields == demo.referral.shared
        assert referral.session_id is not None
        if demo.referral.guardian:
            assert referral.consent.method is ConsentMethod.NOT_REQUIRED_CHILD_SAFEGUARDING
        else:
            assert referral.consent.given, demo.key


@pytest.mark.parametrize("word", sorted(SEARCH_WORDS))
def test_stories_are_found_by_search_in_their_script(populated: Workspace, word: str) -> None:
    ids = {demo.key: case_id for demo, case_id in _cases_in_yaml_order(populated)}
    page = populated.cases.list_cases(CaseFilter(text=word, statuses=()))
    assert [c.id for c in page.cases] == [ids[SEARCH_WORDS[word]]]


def test_a_real_workspace_is_refused(registry: FormRegistry, workspace: Workspace) -> None:
    assert not workspace.info.training
    with pytest.raises(PermissionDeniedError):
        populate_demo_workspace(workspace, registry)
    with pytest.raises(PermissionDeniedError):
        reset_training_workspace(workspace, registry)
    stats = workspace.stats()
    assert (stats.cases, stats.agencies, stats.referrals) == (0, 0, 0)


def test_reset_restores_the_starting_state(registry: FormRegistry, tmp_path: Path) -> None:
    workspace = _new_workspace(tmp_path / "ws", training=True)
    try:
        # Reset on an empty training workspace simply loads the demo cases.
        assert reset_training_workspace(workspace, registry) == len(CASES)
        before = _snapshot(workspace)

        # A workshop: a new case, an edited one, a removed agency.
        extra = workspace.cases.open_case(IntervieweeDetails(alias="Trainee case"), post="Desk")
        first = workspace.cases.list_cases(CaseFilter(statuses=(), limit=1)).cases[0]
        workspace.cases.update_interviewee(first.id, IntervieweeDetails(alias="Edited alias"))
        workspace.agencies.delete(workspace.agencies.list()[0].id)
        assert _snapshot(workspace) != before

        assert reset_training_workspace(workspace, registry) == len(CASES)
        assert _snapshot(workspace) == before
        references = {
            c.reference for c in workspace.cases.list_cases(CaseFilter(statuses=())).cases
        }
        assert extra.reference not in references
    finally:
        workspace.lock()


def _snapshot(workspace: Workspace) -> tuple[object, ...]:
    """What a trainer sees, independent of generated ids, references and times."""
    stats = workspace.stats()
    page = workspace.cases.list_cases(CaseFilter(statuses=(), limit=1000))
    people = sorted(
        (
            c.post or "",
            c.status.value,
            c.latest_outcome or "",
            repr(workspace.cases.get_case(c.id).interviewee),
        )
        for c in page.cases
    )
    agencies = sorted(a.name for a in workspace.agencies.list())
    return (stats.cases, stats.sessions, stats.answers, stats.referrals, people, agencies)
