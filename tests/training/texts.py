"""Checks shared by the demo-case and scenario tests: languages, scripts and drawable text."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from practitioner_toolkit import paths

LANGUAGES = ("en", "th", "km", "lo", "my", "vi", "id", "ms", "fil")

# The script each language is written in, as a range of code points its texts must use.
SCRIPTS = {
    "th": (0x0E00, 0x0E7F),
    "lo": (0x0E80, 0x0EFF),
    "km": (0x1780, 0x17FF),
    "my": (0x1000, 0x109F),
}

# Symbols the bundled fonts do not draw reliably: arrows, dingbats (check marks), emoji.
_FORBIDDEN_RANGES = (
    (0x2190, 0x21FF, "arrow"),
    (0x2700, 0x27BF, "dingbat"),
    (0x2600, 0x26FF, "symbol"),
    (0x1F000, 0x1FAFF, "emoji"),
    (0xFE0F, 0xFE0F, "emoji variation selector"),
)


def text_problems(text: str, language: str | None = None) -> list[str]:
    """Problems with one text: empty, not NFC, forbidden symbols, wrong script, Zawgyi."""
    problems: list[str] = []
    if not text.strip():
        return ["empty"]
    if unicodedata.normalize("NFC", text) != text:
        problems.append("not NFC")
    for char in text:
        for low, high, what in _FORBIDDEN_RANGES:
            if low <= ord(char) <= high:
                problems.append(f"{what} U+{ord(char):04X}")
    if language in SCRIPTS:
        low, high = SCRIPTS[language]
        if not any(low <= ord(char) <= high for char in text):
            problems.append(f"no {language} script")
    elif language in LANGUAGES and any(0x0E00 <= ord(char) <= 0x17FF for char in text):
        problems.append(f"{language} text in another script")
    if language == "my":
        problems.extend(zawgyi_signs(text))
    return problems


def zawgyi_signs(text: str) -> list[str]:
    """Signs that Burmese text is Zawgyi-encoded rather than Unicode.

    In Unicode the vowel sign E (U+1031) follows its consonant; Zawgyi types it first, so it
    starts a word. Zawgyi also puts stacked and medial forms in U+105A-U+109F, which Unicode
    reserves for other languages of Myanmar.
    """
    signs = []
    for i, char in enumerate(text):
        if char == "\u1031" and (i == 0 or not "\u1000" <= text[i - 1] <= "\u109f"):
            signs.append(f"Zawgyi-style vowel E at {i}")
        if "\u105a" <= char <= "\u109f":
            signs.append(f"Zawgyi code point U+{ord(char):04X} at {i}")
    return signs


def undrawable(texts: Iterable[str]) -> set[str]:
    """Characters that no bundled font draws (needs a QApplication)."""
    from PySide6.QtGui import QRawFont

    fonts = [QRawFont(str(p), 12) for p in sorted(paths.fonts_dir().glob("*-Regular.ttf"))]
    missing: set[str] = set()
    seen: set[str] = set()
    for text in texts:
        for char in text:
            if char in seen or char in "\n\t\u200b\u200c\u200d":
                continue
            seen.add(char)
            if not any(font.supportsCharacter(ord(char)) for font in fonts):
                missing.add(char)
    return missing
