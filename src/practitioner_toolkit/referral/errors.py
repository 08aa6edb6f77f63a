"""The one error the referral package raises for bad input, with a message fit to show."""

from __future__ import annotations

from practitioner_toolkit.i18n.gettext import _


class ReferralError(Exception):
    """A referral or checklist cannot be printed, for a reason the user can fix.

    Like ``StoreError``: ``message`` is an English message id (marked with ``N_``) with
    ``{name}`` fields filled from ``params``; ``str()`` gives English, ``translated()`` the
    user's language. Messages never contain personal data: they name fields, not values.
    """

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message.format(**params) if params else message)

    def translated(self) -> str:
        text = _(self.message)
        return text.format(**self.params) if self.params else text
