"""Languages, UI translations (gettext via Babel), locale formatting and word breaking.

- ``_``, ``N_``, ``ngettext``, ``pgettext``: translate with the active catalog.
- ``set_language(code)``: switch the active catalog (the UI then retranslates itself).
- ``LANGUAGES``: the nine supported languages and the font each needs.
- ``format_date``, ``format_datetime``, ``format_number``: locale-aware display.
- ``break_opportunities``, ``insert_break_hints``: ICU word boundaries for Thai, Khmer, Lao
  and Burmese, which are written without spaces.
"""

from practitioner_toolkit.i18n.catalogs import load_translations, set_language
from practitioner_toolkit.i18n.gettext import N_, _, current_language, ngettext, pgettext
from practitioner_toolkit.i18n.languages import (
    LANGUAGE_CODES,
    LANGUAGES,
    SOURCE_LANGUAGE,
    Language,
    is_supported,
    language,
)

__all__ = [
    "LANGUAGES",
    "LANGUAGE_CODES",
    "N_",
    "SOURCE_LANGUAGE",
    "Language",
    "_",
    "current_language",
    "is_supported",
    "language",
    "load_translations",
    "ngettext",
    "pgettext",
    "set_language",
]
