"""Word boundaries for scripts written without spaces (Thai, Khmer, Lao, Burmese), from ICU.

Qt and ReportLab wrap lines only at spaces or at their own (wrong, for Khmer, Lao and Burmese)
boundaries. ICU's dictionary-based line breaker finds the real word boundaries; the UI inserts
invisible break hints there, and the PDF writer breaks lines between these segments.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import pairwise

from practitioner_toolkit.i18n.icu import line_boundaries

ZERO_WIDTH_SPACE = "\u200b"
_COMPLEX_RANGES = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1000, 0x109F),  # Myanmar
    (0xA9E0, 0xA9FF),  # Myanmar Extended-B
    (0xAA60, 0xAA7F),  # Myanmar Extended-A
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
)


def has_complex_script(text: str) -> bool:
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in _COMPLEX_RANGES)


@lru_cache(maxsize=4096)
def line_segments(text: str, locale: str = "en") -> tuple[str, ...]:
    """``text`` cut at every allowed line break; the pieces join back to ``text``."""
    if not text:
        return ()
    positions = line_boundaries(text, locale)
    return tuple(text[start:end] for start, end in pairwise(positions))


def insert_break_hints(text: str, locale: str = "en") -> str:
    """Insert zero-width spaces at word boundaries inside complex-script runs (display only)."""
    if not has_complex_script(text):
        return text
    pieces = line_segments(unicodedata.normalize("NFC", text), locale)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        out.append(piece)
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        if (
            nxt
            and not piece[-1:].isspace()
            and (has_complex_script(piece) or has_complex_script(nxt))
        ):
            out.append(ZERO_WIDTH_SPACE)
    return "".join(out)


def strip_break_hints(text: str) -> str:
    return text.replace(ZERO_WIDTH_SPACE, "")
