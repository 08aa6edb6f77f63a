"""The base of every error a user may see: a translatable message with its parameters.

``message`` is an English message id (marked with ``N_`` so it is extracted for translation)
with ``{name}`` fields filled from ``params``. ``str()`` gives English (logs, bug reports);
``translated()`` gives the active language (the screen). Messages name fields and options,
never values from a case, so they are safe to show anywhere.
"""

from __future__ import annotations

from practitioner_toolkit.i18n.gettext import _


class UserFacingError(Exception):
    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message.format(**params) if params else message)

    def translated(self) -> str:
        text = _(self.message)
        return text.format(**self.params) if self.params else text
