"""The whole library: cards by area, look-up by id, and search in the reader's language.

Search is a plain substring match on folded text, not a word index: Thai, Khmer, Lao and
Burmese are written without spaces between words, so any part of a word must be findable.
With about twenty cards a linear scan is instant; the folded texts are computed once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from practitioner_toolkit import paths
from practitioner_toolkit.forms.loader import LineMap
from practitioner_toolkit.guidance.loader import (
    GuidanceError,
    GuidanceProblem,
    file_name_problem,
    read_card_file,
)
from practitioner_toolkit.guidance.model import AREAS, GuidanceCard
from practitioner_toolkit.guidance.text import fold, search_terms
from practitioner_toolkit.i18n.languages import SOURCE_LANGUAGE, is_supported


class _Folded(NamedTuple):
    title: str
    summary: str
    body: str


class GuidanceLibrary:
    """Validated cards in display order: by area (as in ``AREAS``), then ``order``, then id."""

    def __init__(self, cards: list[GuidanceCard]) -> None:
        area_rank = {area: rank for rank, area in enumerate(AREAS)}
        self._cards = tuple(sorted(cards, key=lambda c: (area_rank[c.area], c.order, c.id)))
        self._by_id = {card.id: card for card in self._cards}
        self._folded: dict[tuple[str, str], _Folded] = {}

    def __len__(self) -> int:
        return len(self._cards)

    def __iter__(self) -> Iterator[GuidanceCard]:
        return iter(self._cards)

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._by_id

    @property
    def cards(self) -> tuple[GuidanceCard, ...]:
        return self._cards

    def cards_in(self, area: str) -> list[GuidanceCard]:
        """The cards of one area in display order; an unknown area code is a programming error."""
        if area not in AREAS:
            raise KeyError(f"unknown guidance area {area!r}")
        return [card for card in self._cards if card.area == area]

    def get(self, card_id: str) -> GuidanceCard:
        """The card with this id; ``KeyError`` if there is none (links are checked on load)."""
        return self._by_id[card_id]

    def _texts(self, card: GuidanceCard, language: str) -> _Folded:
        key = (card.id, language)
        if key not in self._folded:
            self._folded[key] = _Folded(
                fold(card.title_in(language)),
                fold(card.summary_in(language)),
                fold(card.body_in(language)),
            )
        return self._folded[key]

    def search(self, text: str, language: str) -> list[GuidanceCard]:
        """Cards containing every word of ``text``, best first; ``[]`` for an empty query.

        Each word may be found in the card's ``language`` text or, as a fallback for
        officers who know the English term, in its English text. Matching ignores case and
        Latin accents and works inside words. Cards with the query in their title come
        first, then by how many words hit the title, then the summary.
        """
        terms = search_terms(text)
        if not terms:
            return []
        phrase = " ".join(terms)
        languages = [language] if is_supported(language) else []
        if SOURCE_LANGUAGE not in languages:
            languages.append(SOURCE_LANGUAGE)
        ranked: list[tuple[tuple[int, int, int, int, int], GuidanceCard]] = []
        for position, card in enumerate(self._cards):
            versions = [self._texts(card, code) for code in languages]
            if not all(any(_in(term, v) for v in versions) for term in terms):
                continue
            rank = (
                0 if any(phrase in v.title for v in versions) else 1,
                -sum(any(t in v.title for v in versions) for t in terms),
                -sum(any(t in v.summary for v in versions) for t in terms),
                -sum(_in(t, versions[0]) for t in terms),  # found in the reader's language
                position,
            )
            ranked.append((rank, card))
        ranked.sort(key=lambda pair: pair[0])
        return [card for _rank, card in ranked]


def _in(term: str, texts: _Folded) -> bool:
    return term in texts.title or term in texts.summary or term in texts.body


def default_folder() -> Path:
    return paths.resource_root() / "assets" / "guidance"


def load_library(folder: Path | None = None) -> GuidanceLibrary:
    """Load and check every ``*.yaml`` card in ``folder``; all problems are reported at once."""
    folder = folder or default_folder()
    if not folder.is_dir():
        raise GuidanceError(
            [GuidanceProblem(str(folder), None, "", "the guidance folder does not exist")]
        )
    cards: list[GuidanceCard] = []
    problems: list[GuidanceProblem] = []
    files: dict[str, tuple[str, LineMap]] = {}
    for path in sorted(folder.glob("*.yaml")):
        display = f"{folder.name}/{path.name}"
        try:
            card, lines = read_card_file(path, display)
        except GuidanceError as exc:
            problems.extend(exc.problems)
            continue
        misnamed = file_name_problem(card, path, display, lines)
        if misnamed:
            problems.append(misnamed)
        if card.id in files:
            problems.append(
                GuidanceProblem(
                    display,
                    lines.line_for(("id",)),
                    "id",
                    "the id '{id}' is already used by {other}",
                    {"id": card.id, "other": files[card.id][0]},
                )
            )
            continue
        files[card.id] = (display, lines)
        cards.append(card)
    if not files and not problems:
        problems.append(
            GuidanceProblem(str(folder), None, "", "the folder holds no guidance cards")
        )
    problems.extend(_link_problems(cards, files))
    if problems:
        raise GuidanceError(problems)
    return GuidanceLibrary(cards)


def _link_problems(
    cards: list[GuidanceCard], files: dict[str, tuple[str, LineMap]]
) -> list[GuidanceProblem]:
    """``related`` must name cards of this library (a broken link would crash the reader)."""
    problems: list[GuidanceProblem] = []
    for card in cards:
        display, lines = files[card.id]
        for index, target in enumerate(card.related):
            if target not in files:
                problems.append(
                    GuidanceProblem(
                        display,
                        lines.line_for(("related", index)),
                        f"related[{index}]",
                        "refers to '{id}', which is not a card in this library",
                        {"id": target},
                    )
                )
    return problems
