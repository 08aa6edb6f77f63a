"""What a referral sheet says, gathered from the store before anything is drawn.

Data minimisation happens here and only here: ``ReferralDocument`` carries the personal
details listed in ``referral.shared_fields`` and nothing else, and a summary of the
screening (outcome, indicator groups, elements, flags) only if ``screening_summary`` is
shared. No answer of the interview is ever copied, sensitive or not: the drawing code cannot
print what it is never given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practitioner_toolkit.forms import FormRegistry, OutcomeResult, text_in
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.referral.errors import ReferralError
from practitioner_toolkit.store import (
    Agency,
    Case,
    NotFoundError,
    Referral,
    StoreError,
    Workspace,
)

SCREENING_SUMMARY = "screening_summary"


@dataclass(frozen=True)
class ReferringParty:
    organisation: str  # the workspace: the post or office that refers
    officer: str | None
    place: str | None  # where the person was identified (the case's post)


@dataclass(frozen=True)
class ReceivingAgency:
    name: str
    kind: str
    area: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    hours: str | None = None


@dataclass(frozen=True)
class PersonDetails:
    """Only the details the person agreed to share; everything else stays None."""

    given_name: str | None = None
    family_name: str | None = None
    alias: str | None = None
    sex: str | None = None
    age: int | None = None
    age_is_estimate: bool = False
    age_uncertain: bool = False
    nationality: str | None = None
    languages: tuple[str, ...] = ()
    interpreter_language: str | None = None  # shared with "languages"

    @property
    def is_empty(self) -> bool:
        return self == PersonDetails()


@dataclass(frozen=True)
class Findings:
    """A summary of the screening outcome: never the questions or the answers."""

    outcome: str
    form_title: dict[str, str]  # per language, from the form definition
    form_version: str
    groups: tuple[str, ...]  # indicator groups found
    elements: tuple[tuple[str, tuple[str, ...]], ...]  # Palermo element kind -> values
    flags: tuple[str, ...]
    complete: bool


@dataclass(frozen=True)
class ConsentRecord:
    given: bool
    given_by: str
    method: str
    recorded_at: str
    statements: tuple[str, ...]
    witness: str | None


@dataclass(frozen=True)
class ReferralDocument:
    reference: str
    case_reference: str
    created_at: str
    urgency: str
    services: tuple[str, ...]
    reason: str | None
    referring: ReferringParty
    receiving: ReceivingAgency
    person: PersonDetails
    consent: ConsentRecord
    summary_shared: bool
    findings: Findings | None  # None: not shared, or no screening outcome recorded
    narrative: str | None  # the officer's brief summary (shared with the findings)
    training: bool


def build_document(
    workspace: Workspace, registry: FormRegistry, referral_id: str
) -> ReferralDocument:
    """Collect the referral and what it may show; raise ``ReferralError`` if it cannot."""
    try:
        referral = workspace.referrals.get(referral_id)
    except NotFoundError:
        raise ReferralError(N_("This referral does not exist or was deleted.")) from None
    try:
        agency = workspace.agencies.get(referral.agency_id)
    except NotFoundError:
        raise ReferralError(
            N_(
                "The receiving agency of this referral is no longer in the service "
                "directory. Add it again, or make a new referral to another agency."
            )
        ) from None
    try:
        case = workspace.cases.get_case(referral.case_id)
    except NotFoundError:
        raise ReferralError(
            N_("The case of this referral does not exist or was deleted.")
        ) from None
    shared = set(referral.shared_fields)
    summary_shared = SCREENING_SUMMARY in shared
    return ReferralDocument(
        reference=referral.reference,
        case_reference=case.reference,
        created_at=referral.created_at,
        urgency=referral.urgency.value,
        services=referral.services,
        reason=referral.reason,
        referring=ReferringParty(
            organisation=workspace.info.name,
            officer=_officer_name(workspace, referral),
            place=case.post,
        ),
        receiving=_receiving(agency),
        person=_person(workspace, case, referral, shared),
        consent=ConsentRecord(
            given=referral.consent.given,
            given_by=referral.consent.given_by,
            method=referral.consent.method.value,
            recorded_at=referral.consent.recorded_at,
            statements=referral.consent.statements,
            witness=referral.consent.witness,
        ),
        summary_shared=summary_shared,
        findings=_findings(workspace, registry, referral) if summary_shared else None,
        narrative=referral.summary if summary_shared else None,
        training=workspace.info.training,
    )


def _officer_name(workspace: Workspace, referral: Referral) -> str | None:
    if not referral.created_by:
        return None
    try:
        return workspace.users.by_id(referral.created_by).display_name
    except StoreError:
        return None


def _receiving(agency: Agency) -> ReceivingAgency:
    if not agency.name.strip():
        raise ReferralError(N_("The receiving agency has no name in the service directory."))
    return ReceivingAgency(
        name=agency.name,
        kind=agency.kind,
        area=agency.area,
        address=agency.address,
        phone=agency.phone,
        email=agency.email,
        hours=agency.hours,
    )


def _person(
    workspace: Workspace, case: Case, referral: Referral, shared: set[str]
) -> PersonDetails:
    details = case.interviewee
    age: int | None = None
    estimate = False
    if "age" in shared:
        if details.birth_year is not None:
            age = dt.date.today().year - details.birth_year
            estimate = True  # a birth year gives the age within a year
        elif details.age_estimate is not None:
            age, estimate = details.age_estimate, True
    interpreter: str | None = None
    if "languages" in shared and referral.session_id:
        try:
            session = workspace.cases.get_session(referral.session_id)
        except StoreError:
            session = None
        if session is not None and session.interpreter.used:
            interpreter = session.interpreter.language or session.interviewee_language
    return PersonDetails(
        given_name=details.given_name if "given_name" in shared else None,
        family_name=details.family_name if "family_name" in shared else None,
        alias=details.alias if "alias" in shared else None,
        sex=details.sex if "sex" in shared else None,
        age=age,
        age_is_estimate=estimate,
        age_uncertain=details.age_uncertain if "age" in shared else False,
        nationality=details.nationality if "nationality" in shared else None,
        languages=details.languages if "languages" in shared else (),
        interpreter_language=interpreter,
    )


def _findings(workspace: Workspace, registry: FormRegistry, referral: Referral) -> Findings | None:
    if not referral.session_id:
        return None
    outcome = workspace.cases.outcome_of(referral.session_id)
    if outcome is None:
        return None
    try:
        result = OutcomeResult.from_json(outcome.detail)
    except (KeyError, TypeError, ValueError):
        raise ReferralError(
            N_("The screening outcome of this referral cannot be read; screen again.")
        ) from None
    try:
        form = registry.get(result.form_id, result.form_version)
        title = dict(form.title)
    except KeyError:
        title = {"en": result.form_id}
    return Findings(
        outcome=result.code,
        form_title=title,
        form_version=result.form_version,
        groups=tuple(g.group for g in result.groups if g.positive),
        elements=tuple((kind, tuple(values)) for kind, values in result.elements.items() if values),
        flags=tuple(result.flags),
        complete=result.complete,
    )


def form_title(findings: Findings, language: str) -> str:
    return text_in(findings.form_title, language)
