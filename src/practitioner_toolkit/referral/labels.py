"""Printed words in the PDF's language, independent of the language of the UI.

A referral is printed in the receiving agency's language (plus English when bilingual)
while the officer's UI may be in another, and exports run on a background thread. The
global ``_`` would use the UI's language and race with it, so every string here is marked
with ``N_`` (extracted like ``_``) and translated through the catalog of the PDF's own
language. Shared vocabularies (services, flags, indicator groups) reuse the message ids of
``forms.vocabulary``, so one translation serves the app and the paper.
"""

from __future__ import annotations

import gettext

from practitioner_toolkit.forms import vocabulary
from practitioner_toolkit.forms.outcome import DISCLAIMER, OUTCOMES
from practitioner_toolkit.forms.vocabulary import (
    DELPHI_DIMENSIONS,
    FLAGS,
    FORCED_LABOUR_INDICATORS,
    PALERMO_ELEMENT_NAMES,
    PALERMO_ELEMENTS,
    SERVICES,
)
from practitioner_toolkit.i18n.catalogs import load_translations
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.i18n.languages import LANGUAGES

# The referral vocabulary lives with the other shared codes (re-exported for this package).
URGENCY = vocabulary.URGENCY
CONSENT_METHODS = vocabulary.CONSENT_METHODS
CONSENT_GIVEN_BY = vocabulary.CONSENT_GIVEN_BY
CONSENT_STATEMENTS = vocabulary.CONSENT_STATEMENTS

AGENCY_KINDS: dict[str, str] = {
    "shelter": N_("Shelter"),
    "medical": N_("Medical care"),
    "legal": N_("Legal aid"),
    "psychosocial": N_("Psychosocial support"),
    "child_protection": N_("Child protection"),
    "labour": N_("Labour office"),
    "immigration": N_("Immigration service"),
    "law_enforcement": N_("Law enforcement"),
    "consular": N_("Embassy or consulate"),
    "repatriation": N_("Repatriation service"),
    "ngo": N_("Non-governmental organisation"),
    "government": N_("Government agency"),
    "other": N_("Other"),
}

SEX: dict[str, str] = {
    "female": N_("Female"),
    "male": N_("Male"),
    "other": N_("Other"),
    "undisclosed": N_("Not disclosed"),
}

# The personal details a referral may carry (store.SHAREABLE_FIELDS), as printed.
PERSON_FIELDS: dict[str, str] = {
    "given_name": N_("Given name"),
    "family_name": N_("Family name"),
    "alias": N_("Also known as"),
    "sex": N_("Sex"),
    "age": N_("Age"),
    "nationality": N_("Nationality"),
    "languages": N_("Languages spoken"),
}

YES = N_("Yes")
NO = N_("No")


class Translator:
    """Translates message ids into one language, without touching the UI's language."""

    def __init__(self, code: str, translations: gettext.NullTranslations | None = None) -> None:
        self.code = code
        self._translations = translations or load_translations(code)

    def __call__(self, message: str) -> str:
        return self._translations.gettext(message)

    def lookup(self, table: dict[str, str], code: str) -> str:
        """The label of a code, or the code itself if the table has none (never fails)."""
        return self(table[code]) if code in table else code

    def service(self, code: str) -> str:
        return self.lookup(SERVICES, code)

    def flag(self, code: str) -> str:
        return self.lookup(FLAGS, code)

    def group(self, code: str) -> str:
        return self.lookup({**DELPHI_DIMENSIONS, **FORCED_LABOUR_INDICATORS}, code)

    def element(self, kind: str, values: list[str]) -> str:
        names = ", ".join(self.lookup(PALERMO_ELEMENTS.get(kind, {}), v) for v in values)
        return f"{self.lookup(PALERMO_ELEMENT_NAMES, kind)}: {names}"

    def headline(self, outcome_code: str) -> str:
        return self.lookup(OUTCOMES, outcome_code)

    def disclaimer(self) -> str:
        return self(DISCLAIMER)

    def language_name(self, code: str) -> str:
        """A language by its own name (how the person would recognise it), then in English."""
        for lang in LANGUAGES:
            if lang.code == code:
                if lang.native_name == lang.english_name:
                    return lang.native_name
                return f"{lang.native_name} ({lang.english_name})"
        return code
