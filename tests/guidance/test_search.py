"""Search in every language: substrings (no word spaces in th, km, lo, my), accents, fallback."""

from __future__ import annotations

import unicodedata

import pytest

from practitioner_toolkit.guidance import GuidanceLibrary, fold
from practitioner_toolkit.i18n import LANGUAGE_CODES

# A word of the card's title in each language, typed as an officer would.
INTERPRETER = {
    "en": "interpreter",
    "th": "ล่าม",
    "km": "អ្នកបកប្រែ",
    "lo": "ນາຍພາສາ",
    "my": "စကားပြန်",
    "vi": "phiên dịch",
    "id": "juru bahasa",
    "ms": "jurubahasa",
    "fil": "interpreter",
}
NON_PUNISHMENT = {
    "en": "punishment",
    "th": "ไม่ลงโทษ",
    "km": "មិនដាក់ទោស",
    "lo": "ບໍ່ລົງໂທດ",
    "my": "အပြစ်ပေး",
    "vi": "trừng phạt",
    "id": "menghukum",
    "ms": "menghukum",
    "fil": "pagpaparusa",
}


def _ids(library: GuidanceLibrary, text: str, language: str) -> list[str]:
    return [card.id for card in library.search(text, language)]


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_a_title_word_finds_its_card_first(library: GuidanceLibrary, code: str) -> None:
    assert _ids(library, INTERPRETER[code], code)[0] == "interpreter-selection"
    assert _ids(library, NON_PUNISHMENT[code], code)[0] == "non-punishment"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_title_finds_its_own_card_first(library: GuidanceLibrary, code: str) -> None:
    for card in library:
        assert _ids(library, card.title[code], code)[0] == card.id, f"{card.id} ({code})"


def test_part_of_a_word_matches_in_scripts_without_spaces(library: GuidanceLibrary) -> None:
    assert "informed-consent" in _ids(library, "ยินยอม", "th")  # inside ความยินยอม
    assert "informed-consent" in _ids(library, "យល់ព្រម", "km")  # inside ការយល់ព្រម
    assert "informed-consent" in _ids(library, "ຍິນຍອມ", "lo")  # inside ການຍິນຍອມ
    assert "informed-consent" in _ids(library, "သဘောတူ", "my")  # inside သဘောတူညီချက်


def test_case_accents_and_decomposed_input_are_ignored(library: GuidanceLibrary) -> None:
    assert _ids(library, "INTERPRETER", "en")[0] == "interpreter-selection"
    assert _ids(library, "hoi huong", "vi")[0] == "safe-return"  # Hồi hương
    decomposed = unicodedata.normalize("NFD", "Hồi hương")
    assert _ids(library, decomposed, "vi")[0] == "safe-return"
    assert _ids(library, "dong y", "vi") == _ids(library, "đồng ý", "vi")


def test_invisible_characters_in_a_query_are_ignored(library: GuidanceLibrary) -> None:
    assert _ids(library, "ล่\u200bาม", "th") == _ids(library, "ล่าม", "th")


def test_english_is_a_fallback_in_every_language(library: GuidanceLibrary) -> None:
    for code in LANGUAGE_CODES:
        assert "interpreter-selection" in _ids(library, "interpreter", code)
    assert _ids(library, "interpreter", "xx")[0] == "interpreter-selection"  # unknown language


def test_every_word_must_match(library: GuidanceLibrary) -> None:
    both = _ids(library, "child interpreter", "en")
    assert both
    for card_id in both:
        card = library.get(card_id)
        text = fold(" ".join((card.title["en"], card.summary["en"], card.body["en"])))
        assert "child" in text and "interpreter" in text
    assert _ids(library, "interpreter zzzzqqq", "en") == []


def test_empty_and_blank_queries_find_nothing(library: GuidanceLibrary) -> None:
    assert library.search("", "en") == []
    assert library.search("   \u200b ", "th") == []


def test_fold_keeps_the_spelling_of_complex_scripts() -> None:
    assert fold("Hương ĐỒNG") == "huong dong"
    assert fold("ล่าม") != fold("ลาม")  # the tone mark is part of the Thai word
    assert fold("ការ") != fold("ករ")  # so is the Khmer vowel sign
