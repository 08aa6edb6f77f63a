"""The one error the export package raises for bad input, with a message fit to show."""

from __future__ import annotations

from practitioner_toolkit.errors import UserFacingError


class ExportError(UserFacingError):
    """An export cannot be made or a file cannot be checked, for a reason the user can fix."""
