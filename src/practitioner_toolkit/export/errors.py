"""The one error the export package raises for bad input, with a message fit to show."""

from __future__ import annotations

from practitioner_toolkit.i18n.gettext import _


class ExportError(Exception):
    """An export cannot be made or a file cannot be checked, for a reason the user can fix.

    Like ``StoreError`` and ``ReferralError``: ``message`` is an English message id (marked
    with ``N_``) with ``{name}`` fields filled from ``params``; ``str()`` gives English,
    ``translated()`` the active language. Messages name fields and options, never values from
    a case, so they are safe to show, log or put in a bug report.
    """

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message.format(**params) if params else message)

    def translated(self) -> str:
        text = _(self.message)
        return text.format(**self.params) if self.params else text
