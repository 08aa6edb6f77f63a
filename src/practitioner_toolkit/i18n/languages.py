"""The nine languages of the toolkit, and what rendering each needs."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1 (fil: ISO 639-2, Filipino has no two-letter code)
    english_name: str
    native_name: str
    script: str  # ISO 15924
    font_family: str  # bundled font that covers the script
    complex_script: bool  # needs shaping and dictionary line breaking
    iso639_2: str


SOURCE_LANGUAGE = "en"

LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", "Latn", "Noto Sans", False, "eng"),
    Language("th", "Thai", "ไทย", "Thai", "Noto Sans Thai", True, "tha"),
    Language("km", "Khmer", "ខ្មែរ", "Khmr", "Noto Sans Khmer", True, "khm"),
    Language("lo", "Lao", "ລາວ", "Laoo", "Noto Sans Lao", True, "lao"),
    Language("my", "Burmese", "မြန်မာ", "Mymr", "Noto Sans Myanmar", True, "mya"),
    Language("vi", "Vietnamese", "Tiếng Việt", "Latn", "Noto Sans", False, "vie"),
    Language("id", "Indonesian", "Bahasa Indonesia", "Latn", "Noto Sans", False, "ind"),
    Language("ms", "Malay", "Bahasa Melayu", "Latn", "Noto Sans", False, "msa"),
    Language("fil", "Filipino", "Filipino", "Latn", "Noto Sans", False, "fil"),
)

LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
_BY_CODE = {lang.code: lang for lang in LANGUAGES}


def language(code: str) -> Language:
    try:
        return _BY_CODE[code]
    except KeyError:
        known = ", ".join(LANGUAGE_CODES)
        raise ValueError(f"Unknown language {code!r}; use one of: {known}") from None


def is_supported(code: str) -> bool:
    return code in _BY_CODE
