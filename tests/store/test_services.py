"""The store's service API as the UI and CLI use it."""

from __future__ import annotations

import pytest

from practitioner_toolkit.store import (
    Agency,
    CaseFilter,
    CaseStatus,
    Consent,
    ConsentMethod,
    Interpreter,
    IntervieweeDetails,
    NotFoundError,
    PermissionDeniedError,
    Role,
    SessionStatus,
    Urgency,
    ValidationError,
    Workspace,
)

CONSENT = Consent(True, "person", ConsentMethod.WRITTEN, "2026-03-01T10:00:00Z", ("purpose",))


def _session(ws: Workspace, post: str = "Poipet") -> tuple[str, str]:
    case = ws.cases.open_case(IntervieweeDetails(), post=post)
    session = ws.cases.start_session(case.id, "adult", "1.0.0", "en", "km", Interpreter(True, "km"))
    return case.id, session.id


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("สมชายใจดี ทำงานบนเรือประมง", "ใจดี"),  # Thai, no spaces
        ("ខ្ញុំធ្វើការនៅកំពង់ផែ", "កំពង់ផែ"),  # Khmer
        ("ငါးဖမ်းလှေပေါ်မှာအလုပ်လုပ်ခဲ့တယ်", "ငါးဖမ်းလှေ"),  # Burmese
        ("ເຮັດວຽກຢູ່ໂຮງງານ", "ໂຮງງານ"),  # Lao
        ("Nguyễn Thị Hương làm việc", "huong"),  # Vietnamese without diacritics
        ("passport kept by the broker", "BROKER"),
    ],
)
def test_full_text_search_finds_words_in_every_script(
    workspace: Workspace, stored: str, query: str
) -> None:
    case_id, session_id = _session(workspace)
    _session(workspace)  # a second case that must not match
    workspace.cases.save_answer(session_id, "story", stored, search_text=stored)
    page = workspace.cases.list_cases(CaseFilter(text=query))
    assert [c.id for c in page.cases] == [case_id]


def test_search_covers_notes_and_case_details_and_treats_operators_literally(
    workspace: Workspace,
) -> None:
    case_id, session_id = _session(workspace)
    workspace.cases.save_note(session_id, "journey", 'crossed at "night" OR NOT day')
    assert workspace.cases.list_cases(CaseFilter(text='"night" OR')).total == 1
    assert workspace.cases.list_cases(CaseFilter(text="NOT day")).total == 1
    ref = workspace.cases.get_case(case_id).reference
    assert workspace.cases.list_cases(CaseFilter(text=ref[:2])).total == 1


def test_case_list_filters_by_status_post_and_date(workspace: Workspace) -> None:
    first, _ = _session(workspace, post="Poipet")
    second, _ = _session(workspace, post="Mae Sot")
    workspace.cases.set_case_status(second, CaseStatus.CLOSED)
    assert [c.id for c in workspace.cases.list_cases().cases] == [first]
    everything = CaseFilter(statuses=())
    assert workspace.cases.list_cases(everything).total == 2
    assert workspace.cases.list_cases(CaseFilter(statuses=(), post="Mae Sot")).cases[0].id == second
    today = workspace.cases.get_case(first).opened_at[:10]
    assert workspace.cases.list_cases(CaseFilter(statuses=(), opened_from=today)).total == 2
    assert workspace.cases.list_cases(CaseFilter(statuses=(), opened_to="2000-01-01")).total == 0
    assert workspace.cases.posts() == ["Mae Sot", "Poipet"]


def test_case_list_pages_and_orders_most_recent_first(workspace: Workspace) -> None:
    ids = [_session(workspace)[0] for _ in range(5)]
    page = workspace.cases.list_cases(CaseFilter(limit=2, offset=1))
    assert page.total == 5
    assert [c.id for c in page.cases] == [ids[3], ids[2]]


def test_answers_are_saved_one_by_one_and_reload_with_their_types(workspace: Workspace) -> None:
    _, session_id = _session(workspace)
    workspace.cases.save_answer(session_id, "age", 17)
    workspace.cases.save_answer(session_id, "means", ["deception", "debt"])
    workspace.cases.save_answer(session_id, "docs", "yes")
    workspace.cases.clear_answer(session_id, "docs")
    answers = workspace.cases.get_session(session_id).answers
    assert answers["age"].value == 17
    assert answers["means"].value == ["deception", "debt"]
    assert "docs" not in answers
    assert answers["age"].answered_by == workspace.user.id


def test_a_finished_session_is_read_only_until_reopened(workspace: Workspace) -> None:
    _, session_id = _session(workspace)
    done = workspace.cases.set_session_status(session_id, SessionStatus.COMPLETED)
    assert done.finished_at
    with pytest.raises(ValidationError, match="finished"):
        workspace.cases.save_answer(session_id, "q", "yes")
    workspace.cases.set_session_status(session_id, SessionStatus.IN_PROGRESS)
    workspace.cases.save_answer(session_id, "q", "yes")


def test_sessions_keep_the_form_version_and_languages_they_started_with(
    workspace: Workspace,
) -> None:
    case_id, session_id = _session(workspace)
    session = workspace.cases.get_session(session_id)
    assert (session.form_id, session.form_version) == ("adult", "1.0.0")
    assert (session.officer_language, session.interviewee_language) == ("en", "km")
    assert session.interpreter == Interpreter(True, "km")
    assert [s.id for s in workspace.cases.sessions_of_case(case_id)] == [session_id]


def test_outcome_is_recorded_and_shown_in_the_case_list(workspace: Workspace) -> None:
    _case_id, session_id = _session(workspace)
    workspace.cases.record_outcome(session_id, "presumed_victim", {"dimensions": {"a": True}})
    outcome = workspace.cases.outcome_of(session_id)
    assert outcome is not None and outcome.detail == {"dimensions": {"a": True}}
    assert workspace.cases.list_cases().cases[0].latest_outcome == "presumed_victim"


@pytest.mark.parametrize(
    ("details", "message"),
    [
        (IntervieweeDetails(birth_year=1800), "year of birth"),
        (IntervieweeDetails(age_estimate=200), "estimated age"),
        (IntervieweeDetails(sex="unknown-value"), "Sex must be"),
        (IntervieweeDetails(given_name="x" * 300), "longer than"),
        (IntervieweeDetails(languages=("Khmer language",)), "language codes"),
    ],
)
def test_bad_interviewee_details_are_refused(
    workspace: Workspace, details: IntervieweeDetails, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        workspace.cases.open_case(details)


def test_referral_needs_an_agency_services_and_consent(workspace: Workspace) -> None:
    case_id, session_id = _session(workspace)
    agency = workspace.agencies.save(Agency("", "Hope Shelter", "shelter", ("shelter",)))
    with pytest.raises(ValidationError, match="receiving agency"):
        workspace.referrals.create(case_id, "missing", ("shelter",), Urgency.URGENT, CONSENT)
    with pytest.raises(ValidationError, match="at least one service"):
        workspace.referrals.create(case_id, agency.id, (), Urgency.URGENT, CONSENT)
    no_consent = Consent(False, "person", ConsentMethod.WRITTEN, "2026-03-01T10:00:00Z")
    with pytest.raises(ValidationError, match="consent"):
        workspace.referrals.create(case_id, agency.id, ("shelter",), Urgency.URGENT, no_consent)
    with pytest.raises(ValidationError, match="cannot be shared"):
        workspace.referrals.create(
            case_id, agency.id, ("shelter",), Urgency.URGENT, CONSENT, shared_fields=("passport",)
        )
    referral = workspace.referrals.create(
        case_id,
        agency.id,
        ("shelter", "medical"),
        Urgency.IMMEDIATE,
        CONSENT,
        session_id=session_id,
        shared_fields=("age",),
    )
    assert referral.reference.startswith("REF-")
    assert workspace.cases.get_case(case_id).status is CaseStatus.REFERRED
    workspace.referrals.mark_exported(referral.id)
    assert workspace.referrals.for_case(case_id)[0].exported_at


def test_a_child_safeguarding_referral_needs_no_consent_but_shares_nothing(
    workspace: Workspace,
) -> None:
    case_id, _ = _session(workspace)
    agency = workspace.agencies.save(Agency("", "Child Protection", "child_protection"))
    safeguarding = Consent(
        False, "social_worker", ConsentMethod.NOT_REQUIRED_CHILD_SAFEGUARDING, "2026-03-01"
    )
    workspace.referrals.create(case_id, agency.id, ("shelter",), Urgency.IMMEDIATE, safeguarding)
    with pytest.raises(ValidationError, match="personal details"):
        workspace.referrals.create(
            case_id,
            agency.id,
            ("shelter",),
            Urgency.IMMEDIATE,
            safeguarding,
            shared_fields=("given_name",),
        )


@pytest.mark.parametrize(
    ("agency", "message"),
    [
        (Agency("", "  ", "shelter"), "needs a name"),
        (Agency("", "A", "spaceship"), "Unknown kind"),
        (Agency("", "A", "shelter", email="not-an-email"), "e-mail"),
        (Agency("", "A", "shelter", phone="call me maybe"), "phone"),
    ],
)
def test_bad_agencies_are_refused(workspace: Workspace, agency: Agency, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        workspace.agencies.save(agency)


def test_a_screener_cannot_delete_cases_or_edit_the_directory(workspace: Workspace) -> None:
    workspace.users.add("officer", "Officer", Role.SCREENER, "officer passphrase 1")
    case_id, _ = _session(workspace)
    folder = workspace.directory
    workspace.lock()
    officer = Workspace.unlock(folder, "officer", "officer passphrase 1")
    with pytest.raises(PermissionDeniedError):
        officer.cases.delete_case(case_id)
    with pytest.raises(PermissionDeniedError):
        officer.agencies.save(Agency("", "X", "shelter"))
    officer.lock()


def test_deleted_records_are_gone_and_cannot_be_written_again(workspace: Workspace) -> None:
    case_id, session_id = _session(workspace)
    workspace.cases.delete_case(case_id)
    with pytest.raises(NotFoundError):
        workspace.cases.get_case(case_id)
    with pytest.raises(NotFoundError):
        workspace.cases.save_answer(session_id, "q", "yes")
    assert workspace.stats().sessions == 0


def test_a_whole_screening_can_be_recorded_at_once(workspace: Workspace) -> None:
    case = workspace.cases.open_case(IntervieweeDetails())
    session_id = workspace.cases.record_screening(
        case.id,
        "adult",
        "1.0.0",
        "th",
        "my",
        Interpreter(True, "my"),
        {"q1": "yes", "q2": ["a", "b"], "age": 31, "story": "ทำงานบนเรือประมง"},
        search_texts={"story": "ทำงานบนเรือประมง"},
        notes={"journey": "crossed at night"},
    )
    session = workspace.cases.get_session(session_id)
    assert session.status is SessionStatus.COMPLETED
    assert session.answers["q2"].value == ["a", "b"]
    assert session.answers["age"].value == 31
    assert session.notes == {"journey": "crossed at night"}
    assert workspace.cases.list_cases(CaseFilter(text="เรือประมง")).total == 1
    assert workspace.cases.list_cases(CaseFilter(text="at night")).total == 1
    assert workspace.verify_audit_log().ok


def test_a_very_common_search_word_shows_the_most_recent_matches_only(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("practitioner_toolkit.store.cases.SEARCH_MATCH_LIMIT", 3)
    ids = []
    for _ in range(5):
        case_id, session_id = _session(workspace)
        workspace.cases.save_answer(session_id, "story", "broker", search_text="broker")
        ids.append(case_id)
    page = workspace.cases.list_cases(CaseFilter(text="broker"))
    assert (page.total, page.more) == (3, True)
    assert {c.id for c in page.cases} == set(ids[2:])
    _case_id, session_id = _session(workspace, post="Mae Sot")
    workspace.cases.save_note(session_id, "journey", "crossed the river at night")
    rare = workspace.cases.list_cases(CaseFilter(text="river"))
    assert (rare.total, rare.more) == (1, False)
