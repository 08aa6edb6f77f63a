"""What an export may say about a case, gathered from the store before anything is written.

Data minimisation happens here and only here, with the referral sheet's rules:

- A case is known by its pseudonymous reference. Its screening findings (outcome codes,
  indicator groups, Palermo elements, flags) are exported, as codes, because they are what an
  HTCDS record or an analysis is for.
- A personal detail (``SHAREABLE_FIELDS``) is carried only if the exporter chose it AND the
  person agreed to share it on one of the case's referrals (consent given, detail listed in
  the referral's ``shared_fields``). A child safeguarding referral without consent carries
  none, as the store already enforces for the referral itself.
- The officer's referral summary (``screening_summary``) is carried per referral, on the same
  two conditions for that referral.
- No answer, section note, referral reason, witness name or user name is ever copied: the
  writers cannot put in a file what they are never given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from practitioner_toolkit.export.options import ExportOptions
from practitioner_toolkit.forms import OutcomeResult
from practitioner_toolkit.store import (
    Agency,
    Case,
    CaseFilter,
    CaseStatus,
    NotFoundError,
    Referral,
    ScreeningSession,
    Workspace,
)

SCREENING_SUMMARY = "screening_summary"
PAGE_SIZE = 500


@dataclass(frozen=True)
class PersonalDetails:
    """Only the chosen and agreed details; everything else stays None or empty.

    ``age`` is the age in the year the case was opened when a birth year is recorded,
    otherwise the officer's estimate.
    """

    given_name: str | None = None
    family_name: str | None = None
    alias: str | None = None
    sex: str | None = None
    age: int | None = None
    age_uncertain: bool | None = None
    nationality: str | None = None
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionFacts:
    id: str
    number: int  # 1 for the case's first screening
    form_id: str
    form_version: str
    status: str
    post: str | None
    started_at: str
    finished_at: str | None
    officer_language: str
    interviewee_language: str
    interpreter_used: bool
    interpreter_language: str | None
    outcome: OutcomeResult | None


@dataclass(frozen=True)
class AgencyFacts:
    name: str
    kind: str
    phone: str | None


@dataclass(frozen=True)
class ReferralFacts:
    reference: str
    session_id: str | None
    created_at: str
    services: tuple[str, ...]
    urgency: str
    consent_given: bool
    consent_method: str
    consent_statements: tuple[str, ...]
    consent_recorded_at: str
    agency: AgencyFacts | None  # None: the agency was removed from the directory
    summary: str | None  # only when chosen and agreed for this referral


@dataclass(frozen=True)
class CaseFacts:
    reference: str
    status: CaseStatus
    post: str | None
    opened_at: str
    closed_at: str | None
    person: PersonalDetails
    sessions: tuple[SessionFacts, ...]
    referrals: tuple[ReferralFacts, ...]


@dataclass
class Tally:
    """What was left out, counted while collecting (never which values)."""

    sessions: int = 0
    referrals: int = 0
    withheld_personal: int = 0
    unreadable_outcomes: int = 0
    missing_agencies: int = 0


def case_ids(workspace: Workspace, options: ExportOptions) -> list[str]:
    """The ids of the cases to export, oldest first, read page by page."""
    opened: dict[str, tuple[str, str]] = {}
    offset = 0
    while True:
        page = workspace.cases.list_cases(
            CaseFilter(
                statuses=options.statuses,
                opened_from=options.opened_from,
                opened_to=options.opened_to,
                limit=PAGE_SIZE,
                offset=offset,
            )
        )
        for summary in page.cases:
            opened.setdefault(summary.id, (summary.opened_at, summary.reference))
        offset += len(page.cases)
        if not page.cases or offset >= page.total:
            break
    return sorted(opened, key=opened.__getitem__)


def collect_case(
    workspace: Workspace,
    case_id: str,
    options: ExportOptions,
    tally: Tally,
    agencies: dict[str, Agency | None],
) -> CaseFacts:
    """One case, minimised. ``agencies`` caches the directory across cases."""
    case = workspace.cases.get_case(case_id)  # recorded in the audit log as a view
    referrals = workspace.referrals.for_case(case_id)
    chosen = set(options.include_personal)
    agreed: set[str] = set()
    for referral in referrals:
        if referral.consent.given:
            agreed.update(referral.shared_fields)
    tally.withheld_personal += sum(
        1 for name in (chosen - {SCREENING_SUMMARY}) - agreed if _recorded(case, name)
    )
    sessions = tuple(
        _session(workspace, session, number, tally)
        for number, session in enumerate(workspace.cases.sessions_of_case(case_id), 1)
    )
    tally.sessions += len(sessions)
    facts = tuple(_referral(workspace, r, chosen, agencies, tally) for r in referrals)
    tally.referrals += len(facts)
    return CaseFacts(
        reference=case.reference,
        status=case.status,
        post=case.post,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        person=_person(case, chosen & agreed),
        sessions=sessions,
        referrals=facts,
    )


def _person(case: Case, allowed: set[str]) -> PersonalDetails:
    details = case.interviewee
    age: int | None = None
    if "age" in allowed:
        if details.birth_year is not None:
            opened_year = _year(case.opened_at) or dt.date.today().year
            age = opened_year - details.birth_year
        else:
            age = details.age_estimate
    return PersonalDetails(
        given_name=details.given_name if "given_name" in allowed else None,
        family_name=details.family_name if "family_name" in allowed else None,
        alias=details.alias if "alias" in allowed else None,
        sex=details.sex if "sex" in allowed else None,
        age=age,
        age_uncertain=details.age_uncertain if "age" in allowed else None,
        nationality=details.nationality if "nationality" in allowed else None,
        languages=details.languages if "languages" in allowed else (),
    )


def _recorded(case: Case, name: str) -> bool:
    """Whether the case holds a value for a shareable detail (only those can be withheld)."""
    details = case.interviewee
    if name == "age":
        return details.birth_year is not None or details.age_estimate is not None
    value: object = getattr(details, name, None)
    return bool(value)


def _session(
    workspace: Workspace, session: ScreeningSession, number: int, tally: Tally
) -> SessionFacts:
    outcome: OutcomeResult | None = None
    stored = workspace.cases.outcome_of(session.id)
    if stored is not None:
        outcome = _read_outcome(stored.detail)
        if outcome is None:
            tally.unreadable_outcomes += 1
    return SessionFacts(
        id=session.id,
        number=number,
        form_id=session.form_id,
        form_version=session.form_version,
        status=session.status.value,
        post=session.post,
        started_at=session.started_at,
        finished_at=session.finished_at,
        officer_language=session.officer_language,
        interviewee_language=session.interviewee_language,
        interpreter_used=session.interpreter.used,
        interpreter_language=session.interpreter.language,
        outcome=outcome,
    )


def _read_outcome(detail: dict[str, Any]) -> OutcomeResult | None:
    try:
        return OutcomeResult.from_json(detail)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _referral(
    workspace: Workspace,
    referral: Referral,
    chosen: set[str],
    agencies: dict[str, Agency | None],
    tally: Tally,
) -> ReferralFacts:
    if referral.agency_id not in agencies:
        try:
            agencies[referral.agency_id] = workspace.agencies.get(referral.agency_id)
        except NotFoundError:
            agencies[referral.agency_id] = None
    agency = agencies[referral.agency_id]
    if agency is None:
        tally.missing_agencies += 1
    summary_allowed = (
        SCREENING_SUMMARY in chosen
        and referral.consent.given
        and SCREENING_SUMMARY in referral.shared_fields
    )
    if SCREENING_SUMMARY in chosen and not summary_allowed and referral.summary:
        tally.withheld_personal += 1
    consent = referral.consent
    return ReferralFacts(
        reference=referral.reference,
        session_id=referral.session_id,
        created_at=referral.created_at,
        services=referral.services,
        urgency=referral.urgency.value,
        consent_given=consent.given,
        consent_method=consent.method.value,
        consent_statements=consent.statements,
        consent_recorded_at=consent.recorded_at,
        agency=AgencyFacts(agency.name, agency.kind, agency.phone) if agency else None,
        summary=referral.summary if summary_allowed else None,
    )


def _year(timestamp: str) -> int | None:
    try:
        return int(timestamp[:4])
    except ValueError:
        return None
