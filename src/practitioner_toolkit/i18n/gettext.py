"""The active UI translation and the gettext functions every module imports.

``_`` and friends read the current catalog at call time, so switching language takes effect
for every string drawn afterwards. ``N_`` marks a string for extraction without translating it
(for tables built at import time; translate with ``_`` where shown).
"""

from __future__ import annotations

import gettext as _gettext

_active: _gettext.NullTranslations = _gettext.NullTranslations()
_active_code = "en"


def install(translations: _gettext.NullTranslations, code: str) -> None:
    global _active, _active_code
    _active = translations
    _active_code = code


def current_language() -> str:
    return _active_code


def _(message: str) -> str:
    return _active.gettext(message)


def N_(message: str) -> str:  # noqa: N802 (the conventional gettext name)
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _active.pgettext(context, message)


def translations() -> _gettext.NullTranslations:
    return _active


__all__ = ["N_", "_", "current_language", "install", "ngettext", "pgettext", "translations"]
