"""Line breaking: ICU word boundaries, HarfBuzz widths, one font per run.

ReportLab breaks lines only at spaces, and Thai, Lao, Khmer and Burmese put none between
words; left to itself it overflows or cuts a syllable in two (which also breaks its
shaping). So every text is broken here, at ICU's line-break opportunities
(``i18n.textbreak.line_segments``), measured with the shaped widths of its font runs, and
handed to ReportLab one finished line at a time.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from practitioner_toolkit.i18n.textbreak import line_segments
from practitioner_toolkit.referral.fonts import Face, FontLibrary, split_runs

# Invisible characters that would break ReportLab's shaping (ZWSP) or print as boxes.
_STRIP = dict.fromkeys([0x200B, 0xFEFF, 0x00AD, 0x2028, 0x2029], None)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# Characters a line must not start with when an over-long word is cut by force: they
# attach to what comes before (virama/coeng joiners, Thai and Lao following vowels).
_NO_BREAK_BEFORE = frozenset("\u0e30\u0e32\u0e33\u0e45\u0eb0\u0eb2\u0eb3")
_NO_BREAK_AFTER = frozenset(
    "\u17d2\u1039\u200d\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4"
)


def clean_text(text: str) -> str:
    """NFC, no control or zero-width characters, single spaces, ``\\n`` between paragraphs."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text.translate(_STRIP))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


@dataclass(frozen=True)
class TextStyle:
    size: float
    bold: bool = False
    color: str = "#000000"


@dataclass(frozen=True)
class Run:
    """Part of a line in one font, at ``x`` points from the line's start."""

    face: Face
    text: str
    x: float
    width: float


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    width: float
    ascent: float  # points above the baseline
    descent: float  # points below it
    style: TextStyle

    @property
    def height(self) -> float:
        return self.ascent + self.descent

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


# Widths in em of text pieces, by (first font of the chain, shaped, text): a chain is fixed
# by its first font, so the key is exact.
_WIDTHS: dict[tuple[str, bool, str], float] = {}


class Typesetter:
    """Breaks text into lines for one language (its ICU locale and its font chain)."""

    def __init__(self, library: FontLibrary, language: str, *, shaped: bool = True) -> None:
        self.language = language
        self.shaped = shaped
        self._chains = {bold: library.chain(language, bold) for bold in (False, True)}

    def width(self, text: str, style: TextStyle) -> float:
        """Width in points, summed over the font runs of ``text`` (cached per chain)."""
        chain = self._chains[style.bold]
        key = (chain[0].rl_name, self.shaped, text)
        em = _WIDTHS.get(key)
        if em is None:
            em = sum(run.face.advance(run.text, self.shaped) for run in split_runs(text, chain))
            if len(_WIDTHS) > 100_000:
                _WIDTHS.clear()
            _WIDTHS[key] = em
        return em * style.size

    def line(self, text: str, style: TextStyle) -> Line:
        """One line, exactly as given (no breaking)."""
        chain = self._chains[style.bold]
        runs: list[Run] = []
        x = 0.0
        ascent = descent = 0.0
        for piece in split_runs(text, chain) if text else []:
            width = piece.face.advance(piece.text, self.shaped) * style.size
            runs.append(Run(piece.face, piece.text, x, width))
            x += width
            ascent = max(ascent, piece.face.spec.ascent)
            descent = max(descent, piece.face.spec.descent)
        if not runs:  # an empty line keeps the height of the language's own font
            ascent, descent = chain[0].spec.ascent, chain[0].spec.descent
        return Line(tuple(runs), x, ascent * style.size, descent * style.size, style)

    def lines(self, text: str, style: TextStyle, max_width: float) -> list[Line]:
        """``text`` (already cleaned) broken to fit ``max_width`` points."""
        out: list[Line] = []
        for paragraph in text.split("\n"):
            out.extend(self._paragraph(paragraph, style, max_width))
        return out

    def _paragraph(self, text: str, style: TextStyle, max_width: float) -> list[Line]:
        if not text:
            return [self.line("", style)]
        pieces: list[str] = []
        for segment in line_segments(text, self.language):
            core = segment.rstrip(" ")
            if core and self.width(core, style) > max_width:
                forced = self._force_break(core, style, max_width)
                forced[-1] += segment[len(core) :]
                pieces.extend(forced)
            else:
                pieces.append(segment)
        # Greedy filling; a line's width is the sum of its pieces' (cached) widths, so long
        # texts cost one shaping call per word, not one per word per line length.
        lines: list[Line] = []
        current = ""
        current_width = 0.0  # including the trailing space of the last piece
        for piece in pieces:
            core = piece.rstrip(" ")
            if current and current_width + self.width(core, style) > max_width:
                lines.append(self.line(current.rstrip(" "), style))
                current, current_width = "", 0.0
            current += piece
            current_width += self.width(piece, style)
        if current.strip(" ") or not lines:
            lines.append(self.line(current.rstrip(" "), style))
        return lines

    def _force_break(self, word: str, style: TextStyle, max_width: float) -> list[str]:
        """Cut a word longer than the line between grapheme clusters, never inside one."""
        clusters: list[str] = []
        start = 0
        for i in range(1, len(word) + 1):
            if i == len(word) or _safe_break(word, i):
                clusters.append(word[start:i])
                start = i
        parts: list[str] = []
        current = ""
        current_width = 0.0
        for cluster in clusters:
            width = self.width(cluster, style)
            if current and current_width + width > max_width:
                parts.append(current)
                current, current_width = "", 0.0
            current += cluster
            current_width += width
        parts.append(current)
        return parts


def _safe_break(word: str, i: int) -> bool:
    here, before = word[i], word[i - 1]
    return not (
        unicodedata.category(here) in ("Mn", "Mc", "Me")
        or here in _NO_BREAK_BEFORE
        or before in _NO_BREAK_AFTER
        or here in "\u200c\u200d"
    )
