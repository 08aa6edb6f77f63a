"""Fictional demo cases for workshops, loaded from ``assets/training/demo_cases.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from practitioner_toolkit import paths
from practitioner_toolkit.forms import FormRegistry
from practitioner_toolkit.forms.session import ActiveScreening, ScreeningService
from practitioner_toolkit.store import (
    Agency,
    CaseFilter,
    CaseStatus,
    Consent,
    ConsentMethod,
    Interpreter,
    IntervieweeDetails,
    KdfParams,
    PermissionDeniedError,
    Urgency,
    ValidationError,
    Workspace,
)
from practitioner_toolkit.store.timeutil import utc_now


@dataclass(frozen=True)
class DemoScreening:
    form: str
    officer_language: str
    interviewee_language: str
    interpreter: str | None
    answers: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)
    finish: bool = True  # False: the session is left paused, to be resumed in the workshop
    expect: str | None = None  # the outcome code the answers must give (checked by tests)


@dataclass(frozen=True)
class DemoReferral:
    agency: str
    services: tuple[str, ...]
    urgency: str
    shared: tuple[str, ...] = ()
    summary: str | None = None
    guardian: bool = False


@dataclass(frozen=True)
class DemoCase:
    key: str
    post: str
    person: IntervieweeDetails
    screenings: tuple[DemoScreening, ...]
    referral: DemoReferral | None = None
    status: str = "open"  # open | referred | closed, applied after the referral


def demo_data_path() -> Path:
    return paths.resource_root() / "assets" / "training" / "demo_cases.yaml"


def load_demo_cases(path: Path | None = None) -> tuple[list[Agency], list[DemoCase]]:
    text = (path or demo_data_path()).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    agencies = [
        Agency(
            id="",
            name=a["name"],
            kind=a["kind"],
            services=tuple(a.get("services", [])),
            languages=tuple(a.get("languages", [])),
            area=a.get("area"),
            address=a.get("address"),
            phone=a.get("phone"),
            email=a.get("email"),
            hours=a.get("hours"),
            notes=a.get("notes"),
            verified_on=a.get("verified_on"),
        )
        for a in data["agencies"]
    ]
    cases = []
    for item in data["cases"]:
        person = item.get("person") or {}
        cases.append(
            DemoCase(
                key=item["key"],
                post=item["post"],
                person=IntervieweeDetails(
                    given_name=person.get("given_name"),
                    family_name=person.get("family_name"),
                    alias=person.get("alias"),
                    sex=person.get("sex"),
                    birth_year=person.get("birth_year"),
                    age_estimate=person.get("age_estimate"),
                    age_uncertain=bool(person.get("age_uncertain", False)),
                    nationality=person.get("nationality"),
                    languages=tuple(person.get("languages", [])),
                ),
                screenings=tuple(
                    DemoScreening(
                        form=s["form"],
                        officer_language=s.get("officer_language", "en"),
                        interviewee_language=s["interviewee_language"],
                        interpreter=s.get("interpreter"),
                        answers=dict(s["answers"]),
                        notes=dict(s.get("notes", {})),
                        finish=bool(s.get("finish", True)),
                        expect=s.get("expect"),
                    )
                    for s in item["screenings"]
                ),
                referral=(
                    DemoReferral(
                        agency=item["referral"]["agency"],
                        services=tuple(item["referral"]["services"]),
                        urgency=item["referral"]["urgency"],
                        shared=tuple(item["referral"].get("shared", [])),
                        summary=item["referral"].get("summary"),
                        guardian=bool(item["referral"].get("guardian", False)),
                    )
                    if item.get("referral")
                    else None
                ),
                status=item.get("status", "open"),
            )
        )
    return agencies, cases


def populate_demo_workspace(workspace: Workspace, registry: FormRegistry) -> int:
    """Fill a training workspace with the demo cases; returns how many cases were added."""
    if not workspace.info.training:
        raise PermissionDeniedError("Demo cases go into training workspaces only.")
    agencies, cases = load_demo_cases()
    service = ScreeningService(workspace, registry)
    with workspace.bulk():
        saved = {a.name: workspace.agencies.save(a) for a in agencies}
        for demo in cases:
            case = workspace.cases.open_case(demo.person, post=demo.post)
            last_session = None
            for screening in demo.screenings:
                interpreter = Interpreter(screening.interpreter is not None, screening.interpreter)
                active = service.start(
                    case.id,
                    screening.form,
                    screening.officer_language,
                    screening.interviewee_language,
                    interpreter,
                    demo.post,
                )
                for question_id, value in screening.answers.items():
                    if question_id in active.answers:
                        continue  # carried over from an earlier tier
                    problem = active.answer(question_id, value)
                    if problem is not None:
                        raise ValidationError(
                            "Demo case {case}: answer to {question} refused: {problem}",
                            case=demo.key,
                            question=question_id,
                            problem=problem.message,
                        )
                for section_id, text in screening.notes.items():
                    active.save_note(section_id, text)
                if screening.finish:
                    active.finish()
                else:
                    _pause_where_left(active, screening)
                last_session = active.session.id
            if demo.referral is not None:
                ref = demo.referral
                consent = _demo_consent(child_safeguarding=ref.guardian)
                workspace.referrals.create(
                    case.id,
                    saved[ref.agency].id,
                    ref.services,
                    Urgency(ref.urgency),
                    consent,
                    session_id=last_session,
                    shared_fields=ref.shared,
                    summary=ref.summary,
                )
            # A new case is open, and a referral makes it referred; apply any other status.
            status = CaseStatus(demo.status)
            if status is not (CaseStatus.REFERRED if demo.referral else CaseStatus.OPEN):
                workspace.cases.set_case_status(case.id, status)
    return len(cases)


def _pause_where_left(active: ActiveScreening, screening: DemoScreening) -> None:
    """Leave an unfinished demo session paused, at the section of its last answer."""
    if screening.answers:
        last_question = list(screening.answers)[-1]
        active.go_to_section(active.form.section_of(last_question).id)
    active.pause()


def _demo_consent(*, child_safeguarding: bool) -> Consent:
    if child_safeguarding:
        method = ConsentMethod.NOT_REQUIRED_CHILD_SAFEGUARDING
        return Consent(False, "social_worker", method, utc_now())
    statements = ("interview", "purpose", "data_use", "withdrawal", "referral", "sharing")
    return Consent(True, "person", ConsentMethod.ORAL_WITNESSED, utc_now(), statements)


def create_training_workspace(
    folder: Path,
    *,
    name: str,
    username: str,
    display_name: str,
    passphrase: str,
    registry: FormRegistry,
    kdf: KdfParams | None = None,
) -> tuple[Workspace, str]:
    workspace, recovery_code = Workspace.create(
        folder,
        name=name,
        username=username,
        display_name=display_name,
        passphrase=passphrase,
        training=True,
        kdf=kdf,
    )
    populate_demo_workspace(workspace, registry)
    return workspace, recovery_code


def reset_training_workspace(workspace: Workspace, registry: FormRegistry) -> int:
    """Delete every case and agency, then load the demo cases again."""
    if not workspace.info.training:
        raise PermissionDeniedError("Only a training workspace can be reset.")
    page = workspace.cases.list_cases(CaseFilter(statuses=(), limit=100_000))
    # Not in one bulk transaction: deleting a case checkpoints the WAL (so nothing deleted
    # lingers in it), and a checkpoint cannot run inside an open transaction.
    for case in page.cases:
        workspace.cases.delete_case(case.id)
    with workspace.bulk():
        for agency in workspace.agencies.list():
            workspace.agencies.delete(agency.id)
    return populate_demo_workspace(workspace, registry)
