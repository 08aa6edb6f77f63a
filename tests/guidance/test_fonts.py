"""Every character of every card can be drawn with the fonts the app bundles."""

from __future__ import annotations

import pytest

from practitioner_toolkit import paths
from practitioner_toolkit.guidance import GuidanceLibrary
from practitioner_toolkit.i18n import LANGUAGE_CODES

IGNORED = set("\n\t\u200b\u200c\u200d")


@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_every_character_is_in_a_bundled_font(
    qapp: object, library: GuidanceLibrary, weight: str
) -> None:
    from PySide6.QtGui import QRawFont

    files = sorted(paths.fonts_dir().glob(f"*-{weight}.ttf"))
    assert files
    fonts = [QRawFont(str(p), 12) for p in files]
    missing: dict[str, str] = {}
    for card in library:
        for code in LANGUAGE_CODES:
            for text in (card.title[code], card.summary[code], card.body[code]):
                for char in set(text) - IGNORED - set(missing):
                    if not any(font.supportsCharacter(ord(char)) for font in fonts):
                        missing[char] = f"{card.id} ({code})"
    assert not missing, f"no bundled {weight} font draws: " + ", ".join(
        f"U+{ord(c):04X} in {where}" for c, where in sorted(missing.items())
    )
