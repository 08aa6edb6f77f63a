"""The one error the referral package raises for bad input, with a message fit to show."""

from __future__ import annotations

from practitioner_toolkit.errors import UserFacingError


class ReferralError(UserFacingError):
    """A referral or checklist cannot be printed, for a reason the user can fix."""
