"""Why sync refused something, as typed errors with messages fit to show a user.

Every refused bundle raises a ``BundleRejectedError`` subclass whose ``reason`` is a short stable
code (for reports, the audit log and tests) and whose message says what happened and what to
do. Messages never quote bundle contents: they name devices by id at most.
"""

from __future__ import annotations

from typing import ClassVar

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store import StoreError


class SyncError(StoreError):
    """A sync problem the user can act on (no team yet, a bad card or team file ...)."""


class BundleRejectedError(SyncError):
    """A bundle file was refused before anything was written."""

    reason: ClassVar[str] = "rejected"
    default_message: ClassVar[str] = N_("The bundle was refused.")

    def __init__(self, message: str | None = None, **params: object) -> None:
        super().__init__(message or self.default_message, **params)


class NotABundleError(BundleRejectedError):
    reason = "not-a-bundle"
    default_message = N_("This file is not a Practitioner Toolkit sync bundle.")


class NewerFormatError(BundleRejectedError):
    reason = "newer-format"
    default_message = N_(
        "This bundle was made by a newer version of Practitioner Toolkit. Update the "
        "application on this device, then import it again."
    )


class TruncatedError(BundleRejectedError):
    reason = "truncated"
    default_message = N_(
        "This bundle is incomplete: the file was cut short, or it is still being copied. "
        "Copy it again from the sending device."
    )


class TamperedError(BundleRejectedError):
    reason = "tampered"
    default_message = N_(
        "This bundle was altered or damaged after it was made; none of it was used. "
        "Ask the sending device for a new one."
    )


class WrongTeamError(BundleRejectedError):
    reason = "wrong-team"
    default_message = N_("This bundle belongs to another team; none of it was used.")


class NotForThisDeviceError(BundleRejectedError):
    reason = "not-for-this-device"
    default_message = N_(
        "This bundle was not encrypted for this device (it was made before this device "
        "joined the team, or by a device that does not know it yet). Its records will arrive "
        "in later bundles."
    )


class UnknownDeviceError(BundleRejectedError):
    reason = "unknown-device"
    default_message = N_(
        "This bundle comes from device {device}, which is not approved in this team. "
        "A supervisor must approve its device card first."
    )


class RevokedDeviceError(BundleRejectedError):
    reason = "revoked-device"
    default_message = N_(
        "This bundle comes from device {device}, which a supervisor revoked; none of it was used."
    )


class BadSignatureError(BundleRejectedError):
    reason = "bad-signature"
    default_message = N_(
        "The signature of this bundle does not match the key of device {device}: it was "
        "forged or altered. None of it was used."
    )


class MalformedBundleError(BundleRejectedError):
    reason = "malformed"
    default_message = N_(
        "This bundle is correctly signed but its content is not valid; none of it was used. "
        "The sending device may run a faulty version."
    )


REJECTIONS: tuple[type[BundleRejectedError], ...] = (
    NotABundleError,
    NewerFormatError,
    TruncatedError,
    TamperedError,
    WrongTeamError,
    NotForThisDeviceError,
    UnknownDeviceError,
    RevokedDeviceError,
    BadSignatureError,
    MalformedBundleError,
)
