"""Typed domain objects the store hands out. Immutable: changes go through the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# What an answer can hold once decoded: yes/no/choice codes and text are str, numbers are
# int/float, multiple choice is a list of codes, dates are ISO strings.
AnswerValue = str | int | float | list[str] | None


class Role(StrEnum):
    SCREENER = "screener"
    SUPERVISOR = "supervisor"
    TRAINER = "trainer"


class CaseStatus(StrEnum):
    OPEN = "open"
    REFERRED = "referred"
    CLOSED = "closed"


class SessionStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class Urgency(StrEnum):
    IMMEDIATE = "immediate"
    URGENT = "urgent"
    ROUTINE = "routine"


class ConsentMethod(StrEnum):
    WRITTEN = "written"
    ORAL_WITNESSED = "oral_witnessed"
    THUMBPRINT = "thumbprint"
    GUARDIAN = "guardian"
    NOT_REQUIRED_CHILD_SAFEGUARDING = "child_safeguarding"


class AuditAction(StrEnum):
    CREATE_WORKSPACE = "create_workspace"
    UNLOCK = "unlock"
    UNLOCK_RECOVERY = "unlock_recovery"
    LOCK = "lock"
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    EXPORT = "export"
    IMPORT = "import"
    SYNC = "sync"
    USER_ADD = "user_add"
    USER_PASSPHRASE = "user_passphrase"  # noqa: S105 (an action name)
    USER_DEACTIVATE = "user_deactivate"
    RETENTION = "retention"
    RESOLVE_CONFLICT = "resolve_conflict"
    SETTINGS = "settings"


@dataclass(frozen=True)
class WorkspaceInfo:
    workspace_id: str
    name: str
    training: bool
    device_id: str
    created_at: str


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: Role
    created_at: str
    active: bool = True


@dataclass(frozen=True)
class IntervieweeDetails:
    """Personal details: all optional. Record only what the case truly needs."""

    given_name: str | None = None
    family_name: str | None = None
    alias: str | None = None
    sex: str | None = None
    birth_year: int | None = None
    age_estimate: int | None = None
    age_uncertain: bool = False
    nationality: str | None = None
    languages: tuple[str, ...] = ()

    @property
    def has_personal_data(self) -> bool:
        return any((self.given_name, self.family_name, self.alias, self.birth_year))


@dataclass(frozen=True)
class Case:
    """One person's case file, known by a pseudonymous reference (never by their name)."""

    id: str
    reference: str
    status: CaseStatus
    post: str | None
    opened_at: str
    opened_by: str | None
    closed_at: str | None
    interviewee: IntervieweeDetails
    updated_at: str | None = None
    latest_outcome: str | None = None


@dataclass(frozen=True)
class CaseSummary:
    """A row of the case list: no personal details beyond the pseudonymous reference."""

    id: str
    reference: str
    status: CaseStatus
    post: str | None
    opened_at: str
    updated_at: str | None
    latest_outcome: str | None


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    statuses: tuple[CaseStatus, ...] = (CaseStatus.OPEN, CaseStatus.REFERRED)
    post: str | None = None
    opened_from: str | None = None  # ISO date, inclusive
    opened_to: str | None = None  # ISO date, inclusive
    limit: int = 200
    offset: int = 0


@dataclass(frozen=True)
class CasePage:
    cases: list[CaseSummary]
    total: int
    more: bool = False  # a search found more matches than it shows (most recent first)


@dataclass(frozen=True)
class Answer:
    question_id: str
    value: AnswerValue
    answered_at: str
    answered_by: str | None


@dataclass(frozen=True)
class Interpreter:
    used: bool
    language: str | None = None


@dataclass(frozen=True)
class ScreeningSession:
    """One run of one form, pinned to the form version it started with."""

    id: str
    case_id: str
    form_id: str
    form_version: str
    officer_language: str
    interviewee_language: str
    interpreter: Interpreter
    post: str | None
    status: SessionStatus
    started_at: str
    started_by: str | None
    finished_at: str | None
    current_section: str | None
    answers: dict[str, Answer] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """The engine's indicative outcome as recorded: decision support, never a determination."""

    session_id: str
    code: str
    detail: dict[str, Any]
    decided_by: str | None
    decided_at: str


@dataclass(frozen=True)
class Agency:
    """An entry of the local service directory."""

    id: str
    name: str
    kind: str
    services: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    area: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    hours: str | None = None
    notes: str | None = None
    verified_on: str | None = None


@dataclass(frozen=True)
class Consent:
    given: bool
    given_by: str  # "person", "guardian", "social_worker" ...
    method: ConsentMethod
    recorded_at: str
    statements: tuple[str, ...] = ()  # codes of the consent statements explained and agreed
    witness: str | None = None


@dataclass(frozen=True)
class Referral:
    id: str
    case_id: str
    session_id: str | None
    agency_id: str
    reference: str
    services: tuple[str, ...]
    urgency: Urgency
    reason: str | None
    consent: Consent
    shared_fields: tuple[str, ...]  # which personal details the person agreed to share
    summary: str | None
    created_at: str
    created_by: str | None
    exported_at: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    user_id: str | None
    action: str
    entity: str | None
    entity_id: str | None
    detail: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    entries_checked: int
    first_broken_seq: int | None = None
    problem: str | None = None


@dataclass(frozen=True)
class Conflict:
    id: str
    entity: str
    entity_id: str
    field: str
    kept_value: Any
    lost_value: Any
    kept_clock: str
    lost_clock: str
    detected_at: str
    resolved_at: str | None = None
    resolution: str | None = None


@dataclass(frozen=True)
class RetentionPolicy:
    max_age_days: int | None  # None: keep until deleted by hand
    mode: str = "anonymise"  # or "delete"


@dataclass(frozen=True)
class RetentionReport:
    cases_deleted: int
    cases_anonymised: int


@dataclass(frozen=True)
class WorkspaceStats:
    cases: int
    open_cases: int
    sessions: int
    answers: int
    referrals: int
    agencies: int
    users: int
    audit_entries: int
    unresolved_conflicts: int
    schema_version: int
    file_bytes: int
