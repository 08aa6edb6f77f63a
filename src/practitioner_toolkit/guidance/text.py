"""The card body markup, and text folding for search.

The markup is deliberately tiny (paragraphs and bullet points) so translators can edit it in a
plain YAML file and every renderer (screen, print, tests) reads it the same way.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

BlockKind = Literal["p", "li"]
Block = tuple[BlockKind, str]

BULLET = "- "
_SPACES = re.compile(r"\s+")
# Invisible characters that keyboards and editors insert into Thai, Khmer, Lao and Burmese
# (zero-width space and joiners, soft hyphen, word joiner, BOM): never part of a word.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# Letters with no canonical decomposition that readers still type without their mark.
_UNMARKED = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"})


def paragraphs_and_bullets(text: str) -> list[Block]:
    """Split a card body into ``("p", text)`` and ``("li", text)`` blocks, in order.

    - A blank line ends a paragraph; lines of one paragraph are joined with a space.
    - A line starting with ``- `` is a bullet point; an indented line right after it
      continues that bullet, an unindented one starts a new paragraph.
    """
    blocks: list[Block] = []
    kind: BlockKind | None = None
    parts: list[str] = []

    def flush() -> None:
        nonlocal kind, parts
        if kind is not None and parts:
            blocks.append((kind, " ".join(parts)))
        kind, parts = None, []

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith(BULLET) or line == "-":
            flush()
            kind, parts = "li", [line[1:].strip()]
        elif kind == "p" or (kind == "li" and raw[:1].isspace()):
            parts.append(line)
        else:
            flush()
            kind, parts = "p", [line]
    flush()
    return [(k, t) for k, t in blocks if t]


def fold(text: str) -> str:
    """``text`` reduced for matching: case, Latin accents and invisible characters ignored.

    Only combining marks that follow a Latin letter are dropped (Vietnamese "Hương" matches
    "huong"). The vowel signs and tone marks of Thai, Khmer, Lao and Burmese are also
    combining marks, but they are part of the spelling there, so they are kept. NFKD makes
    equivalent spellings (precomposed or not, compatibility forms) compare equal.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_INVISIBLE).translate(_UNMARKED))
    kept: list[str] = []
    base_is_latin = False
    for char in decomposed:
        if unicodedata.combining(char):
            if base_is_latin:
                continue
        else:
            base_is_latin = char.isascii() or "LATIN" in unicodedata.name(char, "")
        kept.append(char)
    return _SPACES.sub(" ", "".join(kept).casefold()).strip()


def search_terms(query: str) -> list[str]:
    """The folded words of a query; every one must occur in a card for it to match."""
    return [term for term in fold(query).split(" ") if term]
