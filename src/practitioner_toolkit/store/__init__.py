"""The encrypted workspace and its service API (no SQL outside this package).

Typical use::

    workspace, recovery_code = Workspace.create(folder, name=..., username=..., ...)
    workspace = Workspace.unlock(folder, "somchai", passphrase)
    case = workspace.cases.open_case(IntervieweeDetails(), post="Mae Sot")
    session = workspace.cases.start_session(case.id, "adult-screening", "1.0.0", "th", "my", ...)
    workspace.cases.save_answer(session.id, "documents_taken", "yes")
    workspace.lock()
"""

from practitioner_toolkit.store.agencies import AGENCY_KINDS
from practitioner_toolkit.store.errors import (
    CorruptWorkspaceError,
    DiskFullError,
    KeyringError,
    NotFoundError,
    PermissionDeniedError,
    ReadOnlyWorkspaceError,
    SchemaTooNewError,
    StoreError,
    UnknownUserError,
    UnlockThrottledError,
    ValidationError,
    WorkspaceExistsError,
    WorkspaceNotFoundError,
    WrongPassphraseError,
)
from practitioner_toolkit.store.keyring import KdfParams, normalise_recovery_code
from practitioner_toolkit.store.models import (
    Agency,
    Answer,
    AnswerValue,
    AuditAction,
    AuditEntry,
    AuditVerification,
    Case,
    CaseFilter,
    CasePage,
    CaseStatus,
    CaseSummary,
    Conflict,
    Consent,
    ConsentMethod,
    Interpreter,
    IntervieweeDetails,
    Outcome,
    Referral,
    RetentionPolicy,
    RetentionReport,
    Role,
    ScreeningSession,
    SessionStatus,
    Urgency,
    User,
    WorkspaceInfo,
    WorkspaceStats,
)
from practitioner_toolkit.store.referrals import SHAREABLE_FIELDS
from practitioner_toolkit.store.users import MIN_PASSPHRASE_LENGTH
from practitioner_toolkit.store.workspace import (
    Workspace,
    WorkspaceHandle,
    folder_name_for,
    list_workspaces,
)

__all__ = [
    "AGENCY_KINDS",
    "MIN_PASSPHRASE_LENGTH",
    "SHAREABLE_FIELDS",
    "Agency",
    "Answer",
    "AnswerValue",
    "AuditAction",
    "AuditEntry",
    "AuditVerification",
    "Case",
    "CaseFilter",
    "CasePage",
    "CaseStatus",
    "CaseSummary",
    "Conflict",
    "Consent",
    "ConsentMethod",
    "CorruptWorkspaceError",
    "DiskFullError",
    "Interpreter",
    "IntervieweeDetails",
    "KdfParams",
    "KeyringError",
    "NotFoundError",
    "Outcome",
    "PermissionDeniedError",
    "ReadOnlyWorkspaceError",
    "Referral",
    "RetentionPolicy",
    "RetentionReport",
    "Role",
    "SchemaTooNewError",
    "ScreeningSession",
    "SessionStatus",
    "StoreError",
    "UnknownUserError",
    "UnlockThrottledError",
    "Urgency",
    "User",
    "ValidationError",
    "Workspace",
    "WorkspaceExistsError",
    "WorkspaceHandle",
    "WorkspaceInfo",
    "WorkspaceNotFoundError",
    "WorkspaceStats",
    "WrongPassphraseError",
    "folder_name_for",
    "list_workspaces",
    "normalise_recovery_code",
]
