"""The guidance library: short, sourced practice cards, readable offline in nine languages.

Cards are YAML files in ``assets/guidance/`` (format: ``assets/guidance/README.md``), grouped by
the six thematic areas of the ACWC Regional Guidelines (2018) plus the cross-cutting principles.

- ``load_library(folder=None)``: every card, validated; ``GuidanceError`` lists what is wrong.
- ``GuidanceLibrary.cards_in(area)``, ``.get(id)``, ``.search(text, language)``.
- ``AREAS``: area code -> label marked with ``N_`` (show it with ``_()``).
- ``paragraphs_and_bullets(body)``: the body as ``("p", text)`` / ``("li", text)`` blocks.
"""

from __future__ import annotations

from practitioner_toolkit.guidance.library import GuidanceLibrary, default_folder, load_library
from practitioner_toolkit.guidance.loader import (
    GuidanceError,
    GuidanceProblem,
    load_card_file,
    parse_card,
)
from practitioner_toolkit.guidance.model import (
    AREAS,
    STATUS_REVIEWED,
    STATUS_SOURCE,
    STATUS_UNREVIEWED,
    GuidanceCard,
    Source,
)
from practitioner_toolkit.guidance.text import Block, fold, paragraphs_and_bullets

__all__ = [
    "AREAS",
    "STATUS_REVIEWED",
    "STATUS_SOURCE",
    "STATUS_UNREVIEWED",
    "Block",
    "GuidanceCard",
    "GuidanceError",
    "GuidanceLibrary",
    "GuidanceProblem",
    "Source",
    "default_folder",
    "fold",
    "load_card_file",
    "load_library",
    "paragraphs_and_bullets",
    "parse_card",
]
