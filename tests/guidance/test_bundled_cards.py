"""The cards that ship with the app: complete, in the right scripts, sourced and linked."""

from __future__ import annotations

import re
import unicodedata

import pytest

from practitioner_toolkit.guidance import (
    AREAS,
    STATUS_SOURCE,
    STATUS_UNREVIEWED,
    GuidanceCard,
    GuidanceLibrary,
    default_folder,
    paragraphs_and_bullets,
)
from practitioner_toolkit.i18n import LANGUAGE_CODES

TRANSLATED = [code for code in LANGUAGE_CODES if code != "en"]
PRINCIPLES = [
    "do-no-harm",
    "informed-consent",
    "confidentiality",
    "best-interests-of-the-child",
    "non-punishment",
    "interpreter-selection",
]
# A letter of the language's own script must appear in every text of these languages.
SCRIPTS = {
    "th": re.compile("[\u0e01-\u0e5b]"),
    "km": re.compile("[\u1780-\u17ff]"),
    "lo": re.compile("[\u0e81-\u0edf]"),
    "my": re.compile("[\u1000-\u109f]"),
}
TEXT_FIELDS = ("title", "summary", "body")


def _texts(card: GuidanceCard, code: str) -> dict[str, str]:
    return {name: getattr(card, name)[code] for name in TEXT_FIELDS}


def test_the_library_has_a_card_file_per_card(library: GuidanceLibrary) -> None:
    files = sorted(path.stem for path in default_folder().glob("*.yaml"))
    assert files == sorted(card.id for card in library)
    assert 16 <= len(library) <= 30


@pytest.mark.parametrize("area", list(AREAS))
def test_every_area_has_cards_in_display_order(library: GuidanceLibrary, area: str) -> None:
    cards = library.cards_in(area)
    assert cards, f"no guidance card in area {area!r}"
    assert [c.order for c in cards] == sorted(c.order for c in cards)


@pytest.mark.parametrize("card_id", PRINCIPLES)
def test_the_required_principles_cards_exist(library: GuidanceLibrary, card_id: str) -> None:
    assert library.get(card_id).area == "principles"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_card_is_complete_in_every_language(library: GuidanceLibrary, code: str) -> None:
    for card in library:
        for name, text in _texts(card, code).items():
            assert text.strip(), f"{card.id}.{name}.{code} is empty"
            assert unicodedata.is_normalized("NFC", text), f"{card.id}.{name}.{code} is not NFC"
        assert "\n" not in card.title[code]
        assert paragraphs_and_bullets(card.body[code]), f"{card.id}.body.{code} has no blocks"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_are_not_english_copies(library: GuidanceLibrary, code: str) -> None:
    for card in library:
        assert card.body[code] != card.body["en"], f"{card.id}.body.{code} is the English text"
        assert card.summary[code] != card.summary["en"], f"{card.id}.summary.{code} is English"


@pytest.mark.parametrize("code", TRANSLATED)
def test_bodies_keep_the_shape_of_the_english_source(library: GuidanceLibrary, code: str) -> None:
    """Same number of bullet points as English: a dropped or merged point is a lost instruction."""
    for card in library:
        english = [kind for kind, _ in paragraphs_and_bullets(card.body["en"])].count("li")
        translated = [kind for kind, _ in paragraphs_and_bullets(card.body[code])].count("li")
        assert translated == english, f"{card.id}.body.{code}: {translated} bullets, en {english}"


@pytest.mark.parametrize("code", list(SCRIPTS))
def test_texts_are_written_in_the_languages_script(library: GuidanceLibrary, code: str) -> None:
    for card in library:
        for name, text in _texts(card, code).items():
            assert SCRIPTS[code].search(text), f"{card.id}.{name}.{code} has no {code} letters"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_no_letters_of_another_complex_script(library: GuidanceLibrary, code: str) -> None:
    """Thai and Lao look alike to a tired translator; a stray letter renders as nonsense."""
    others = {other: pattern for other, pattern in SCRIPTS.items() if other != code}
    for card in library:
        for name, text in _texts(card, code).items():
            for other, pattern in others.items():
                assert not pattern.search(text), f"{card.id}.{name}.{code} has {other} letters"


def test_burmese_is_unicode_not_zawgyi(library: GuidanceLibrary) -> None:
    """Zawgyi stores the vowel sign E (U+1031) before its consonant and uses U+1060-U+109F."""
    consonant_or_medial = re.compile("[\u1000-\u102a\u103b-\u103e\u103f\u1050-\u1055]")
    for card in library:
        for name, text in _texts(card, "my").items():
            for index, char in enumerate(text):
                where = f"{card.id}.{name}.my at {index}"
                assert not "\u1060" <= char <= "\u109f", f"{where}: Zawgyi-range {char!r}"
                if char == "\u1031":
                    previous = text[index - 1] if index else ""
                    assert consonant_or_medial.match(previous), f"{where}: U+1031 before consonant"


def test_vietnamese_uses_precomposed_letters(library: GuidanceLibrary) -> None:
    for card in library:
        for name, text in _texts(card, "vi").items():
            assert not any(unicodedata.combining(c) for c in text), f"{card.id}.{name}.vi is NFD"


def test_review_state_sources_and_links(library: GuidanceLibrary) -> None:
    for card in library:
        assert card.translations["en"] == STATUS_SOURCE
        assert all(card.translations[code] == STATUS_UNREVIEWED for code in TRANSLATED), card.id
        assert card.sources, f"{card.id} cites no source"
        assert all(s.url is None or s.url.startswith(("https://", "http://")) for s in card.sources)
        for target in card.related:
            assert library.get(target).id == target


def test_recalled_facts_carry_a_review_note(library: GuidanceLibrary) -> None:
    """Cards built on recalled sources say so; the research digest marks these [RECALLED]."""
    recalled = ["do-no-harm", "non-punishment", "trafficking-definition", "access-to-remedies"]
    for card_id in recalled:
        note = library.get(card_id).review_note or ""
        assert "recalled" in note.lower(), f"{card_id} needs a review note on recalled facts"


def test_lookups(library: GuidanceLibrary) -> None:
    card = library.get("do-no-harm")
    assert "do-no-harm" in library
    assert card.title_in("km") == card.title["km"]
    assert card.title_in("xx") == card.title["en"]
    assert card.is_reviewed("en") and not card.is_reviewed("km")
    assert len({card, library.get("do-no-harm")}) == 1
    with pytest.raises(KeyError):
        library.get("no-such-card")
    with pytest.raises(KeyError):
        library.cards_in("no_such_area")
