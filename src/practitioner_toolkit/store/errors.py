"""Errors raised by the store.

Following the split between known errors and bugs: every ``StoreError`` is a condition a user
can meet (wrong passphrase, damaged file, full disk) and carries a message fit to show them.
Anything else escaping the store is a bug. No message ever contains personal data.
"""

from __future__ import annotations

from practitioner_toolkit.errors import UserFacingError
from practitioner_toolkit.i18n.gettext import N_


class StoreError(UserFacingError):
    """A known, user-explainable problem with a workspace."""


class WorkspaceNotFoundError(StoreError):
    """The workspace folder, its keyring or its database file is missing."""


class WorkspaceExistsError(StoreError):
    """A workspace is being created where one already exists."""


class WrongPassphraseError(StoreError):
    """The passphrase or recovery code does not open any key slot for this user."""


class UnlockThrottledError(StoreError):
    """Too many failed unlock attempts; the caller must wait before trying again."""

    def __init__(self, retry_after_seconds: float) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(
            N_("Too many wrong passphrases. Wait {seconds} seconds before trying again."),
            seconds=int(retry_after_seconds + 0.999),
        )


class UnknownUserError(StoreError):
    """No account with this user name exists in the workspace."""


class CorruptWorkspaceError(StoreError):
    """The database file is damaged, truncated, or not a workspace database."""


class KeyringError(StoreError):
    """The keyring file beside the database is unreadable or malformed."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the application."""


class PermissionDeniedError(StoreError):
    """The signed-in user's role does not allow this action."""


class ValidationError(StoreError):
    """Input rejected before it reaches the database (bad passphrase, empty name ...)."""


class NotFoundError(StoreError):
    """A record asked for by id does not exist (or was deleted)."""


class DiskFullError(StoreError):
    """The disk is full; the last change was not saved."""


class ReadOnlyWorkspaceError(StoreError):
    """The workspace file or its folder cannot be written."""
