"""What a guidance card is, and the thematic areas that organise the library.

The areas follow the six thematic areas of the ACWC Regional Guidelines and Procedures to
Address the Needs of Victims of Trafficking in Persons (2018), preceded by the cross-cutting
principles, so officers find a card where the regional framework they were trained on puts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.i18n.languages import SOURCE_LANGUAGE

# Area code -> label. Labels are marked for extraction only; the UI shows them with ``_()``
# so they follow a change of language. Insertion order is the order shown.
AREAS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "principles": N_("Principles"),
        "identification": N_("Victim definition and identification"),
        "protection": N_("Victim protection and support"),
        "victim_witnesses": N_("Special measures for victim-witnesses"),
        "children": N_("Special and additional measures for child victims"),
        "remedies": N_("Access to remedies"),
        "return_reintegration": N_("Return, recovery and reintegration"),
    }
)

# Review state of one language of a card. English is the source every translation follows.
STATUS_SOURCE: Final = "source"
STATUS_UNREVIEWED: Final = "unreviewed"
STATUS_REVIEWED: Final = "reviewed"
TRANSLATION_STATUSES: Final = (STATUS_UNREVIEWED, STATUS_REVIEWED)


@dataclass(frozen=True)
class Source:
    """A published source a card draws on; shown so readers can go back to the original."""

    citation: str
    url: str | None = None


@dataclass(frozen=True)
class GuidanceCard:
    """One card of the library, with its texts in every supported language.

    ``title``, ``summary`` and ``body`` map a language code to text; a loaded card has all
    nine languages, but the ``*_in`` helpers still fall back to English so a caller never
    shows an empty card. ``body`` uses the small markup ``paragraphs_and_bullets`` reads.
    ``translations`` maps each language to ``source``, ``unreviewed`` or ``reviewed``.
    """

    id: str
    area: str
    order: int
    title: dict[str, str]
    summary: dict[str, str]
    body: dict[str, str]
    sources: tuple[Source, ...]
    related: tuple[str, ...]
    review_note: str | None
    translations: dict[str, str]

    def __hash__(self) -> int:  # the texts are dicts (unhashable); the id identifies a card
        return hash(self.id)

    def title_in(self, language: str) -> str:
        return self.title.get(language) or self.title[SOURCE_LANGUAGE]

    def summary_in(self, language: str) -> str:
        return self.summary.get(language) or self.summary[SOURCE_LANGUAGE]

    def body_in(self, language: str) -> str:
        return self.body.get(language) or self.body[SOURCE_LANGUAGE]

    def is_reviewed(self, language: str) -> bool:
        """True for English and for translations a native speaker has checked."""
        return self.translations.get(language) in (STATUS_SOURCE, STATUS_REVIEWED)
