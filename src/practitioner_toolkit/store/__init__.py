"""The encrypted workspace and its service API (no SQL outside this package).

Typical use::

    workspace, recovery_code = Workspace.create(folder, name=..., username=..., ...)
    workspace = Workspace.unlock(folder, "somchai", passphrase)
    case = workspace.cases.open_case(IntervieweeDetails(), post="Mae Sot")
    session = workspace.cases.start_session(case.id, "adult-screening", "1.0.0", "th", "my", ...)
    workspace.cases.save_answer(session.id, "documents_taken", "yes")
    workspace.lock()

Importing this package is cheap: each name is loaded from its module on first use (PEP 562),
so the unlock screen can appear before the database code has been imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "AGENCY_KINDS": "agencies",
    "Agency": "models",
    "Answer": "models",
    "AnswerValue": "models",
    "AuditAction": "models",
    "AuditEntry": "models",
    "AuditVerification": "models",
    "BundleRecord": "sync_state",
    "Case": "models",
    "CaseFilter": "models",
    "CasePage": "models",
    "CaseStatus": "models",
    "CaseSummary": "models",
    "ChangeSet": "sync_state",
    "Conflict": "models",
    "ConflictState": "sync_state",
    "Consent": "models",
    "ConsentMethod": "models",
    "CorruptWorkspaceError": "errors",
    "DeviceKeys": "sync_state",
    "DiskFullError": "errors",
    "ENTITIES": "journal",
    "EntitySpec": "journal",
    "ExportCursor": "sync_state",
    "FieldClock": "journal",
    "FieldValue": "journal",
    "ImportOutcome": "sync_state",
    "IncomingBundle": "sync_state",
    "Interpreter": "models",
    "IntervieweeDetails": "models",
    "KdfParams": "keyring",
    "KeyringError": "errors",
    "MIN_PASSPHRASE_LENGTH": "limits",
    "NotFoundError": "errors",
    "Outcome": "models",
    "PendingCounts": "sync_state",
    "PermissionDeniedError": "errors",
    "ReadOnlyWorkspaceError": "errors",
    "Referral": "models",
    "RetentionPolicy": "models",
    "RetentionReport": "models",
    "Role": "models",
    "RowState": "journal",
    "SHAREABLE_FIELDS": "referrals",
    "SchemaTooNewError": "errors",
    "ScreeningSession": "models",
    "SessionStatus": "models",
    "StoreError": "errors",
    "SyncSnapshot": "sync_state",
    "SyncState": "sync_state",
    "TeamRecord": "sync_state",
    "Tombstone": "journal",
    "UnknownUserError": "errors",
    "UnlockThrottledError": "errors",
    "Urgency": "models",
    "User": "models",
    "ValidationError": "errors",
    "Workspace": "workspace",
    "WorkspaceExistsError": "errors",
    "WorkspaceHandle": "locator",
    "WorkspaceInfo": "models",
    "WorkspaceNotFoundError": "errors",
    "WorkspaceStats": "models",
    "WrongPassphraseError": "errors",
    "folder_name_for": "locator",
    "list_workspaces": "locator",
    "normalise_recovery_code": "keyring",
    "parse_hlc": "clock",
}

if TYPE_CHECKING:
    from practitioner_toolkit.store.agencies import (
        AGENCY_KINDS,
    )
    from practitioner_toolkit.store.clock import (
        parse_hlc,
    )
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
    from practitioner_toolkit.store.journal import (
        ENTITIES,
        EntitySpec,
        FieldClock,
        FieldValue,
        RowState,
        Tombstone,
    )
    from practitioner_toolkit.store.keyring import (
        KdfParams,
        normalise_recovery_code,
    )
    from practitioner_toolkit.store.limits import (
        MIN_PASSPHRASE_LENGTH,
    )
    from practitioner_toolkit.store.locator import (
        WorkspaceHandle,
        folder_name_for,
        list_workspaces,
    )
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
    from practitioner_toolkit.store.referrals import (
        SHAREABLE_FIELDS,
    )
    from practitioner_toolkit.store.sync_state import (
        BundleRecord,
        ChangeSet,
        ConflictState,
        DeviceKeys,
        ExportCursor,
        ImportOutcome,
        IncomingBundle,
        PendingCounts,
        SyncSnapshot,
        SyncState,
        TeamRecord,
    )
    from practitioner_toolkit.store.workspace import (
        Workspace,
    )


def __getattr__(name: str) -> Any:
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module_name}"), name)
    globals()[name] = value
    return value


__all__ = [
    "AGENCY_KINDS",
    "ENTITIES",
    "MIN_PASSPHRASE_LENGTH",
    "SHAREABLE_FIELDS",
    "Agency",
    "Answer",
    "AnswerValue",
    "AuditAction",
    "AuditEntry",
    "AuditVerification",
    "BundleRecord",
    "Case",
    "CaseFilter",
    "CasePage",
    "CaseStatus",
    "CaseSummary",
    "ChangeSet",
    "Conflict",
    "ConflictState",
    "Consent",
    "ConsentMethod",
    "CorruptWorkspaceError",
    "DeviceKeys",
    "DiskFullError",
    "EntitySpec",
    "ExportCursor",
    "FieldClock",
    "FieldValue",
    "ImportOutcome",
    "IncomingBundle",
    "Interpreter",
    "IntervieweeDetails",
    "KdfParams",
    "KeyringError",
    "NotFoundError",
    "Outcome",
    "PendingCounts",
    "PermissionDeniedError",
    "ReadOnlyWorkspaceError",
    "Referral",
    "RetentionPolicy",
    "RetentionReport",
    "Role",
    "RowState",
    "SchemaTooNewError",
    "ScreeningSession",
    "SessionStatus",
    "StoreError",
    "SyncSnapshot",
    "SyncState",
    "TeamRecord",
    "Tombstone",
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
    "parse_hlc",
]
