"""The bundled Noto fonts: registration with ReportLab, coverage, runs and shaped widths.

A PDF has no font fallback of its own: every character must be drawn with a font that has
it. Noto Sans Thai, Lao and Myanmar lack Latin punctuation and digits, so text is cut into
runs of one font each (script font first, then Noto Sans, then the other script fonts).
Widths come from HarfBuzz with the same features ReportLab shapes with, so a line measured
here is the line ReportLab draws.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from practitioner_toolkit import paths
from practitioner_toolkit.i18n.languages import language

# The features ReportLab's shapeFragWord applies; measuring with the same ones keeps widths equal.
HB_FEATURES: dict[str, bool] = {"kern": True, "liga": True, "dlig": True}

# Characters HarfBuzz handles without a glyph of their own (joiners, variation selectors).
_IGNORABLE = frozenset({0x200C, 0x200D, 0x2060, *range(0xFE00, 0xFE10)})
_T = TypeVar("_T")
_MARK_CATEGORIES = frozenset({"Mn", "Mc", "Me"})
# Characters that belong to no script: they stay in the font of the text around them.
_NEUTRAL_CATEGORIES = frozenset(
    {"Zs", "Po", "Ps", "Pe", "Pd", "Pi", "Pf", "Pc", "Nd", "Sm", "Sc", "Sk", "So"}
)


@dataclass(frozen=True)
class FontSpec:
    """One bundled family. ``ascent``/``descent`` (in em) are measured from the deepest real
    stacks (Khmer coeng clusters, Burmese medials, Thai tone marks), not the fonts' own
    line metrics, which are either too tight (Khmer) or far too loose (Myanmar)."""

    key: str
    family: str
    stem: str
    ascent: float
    descent: float


FONT_SPECS: tuple[FontSpec, ...] = (
    FontSpec("latin", "Noto Sans", "NotoSans", 0.95, 0.27),
    FontSpec("thai", "Noto Sans Thai", "NotoSansThai", 1.05, 0.30),
    FontSpec("lao", "Noto Sans Lao", "NotoSansLao", 0.98, 0.32),
    FontSpec("khmer", "Noto Sans Khmer", "NotoSansKhmer", 1.06, 0.42),
    FontSpec("myanmar", "Noto Sans Myanmar", "NotoSansMyanmar", 1.05, 0.50),
)
_BY_FAMILY = {spec.family: spec for spec in FONT_SPECS}


@dataclass
class Face:
    """One font file: its ReportLab name, what it covers, and a HarfBuzz font for widths."""

    spec: FontSpec
    bold: bool
    path: Path
    rl_name: str
    coverage: frozenset[int]
    hb_font: hb.Font
    upem: int
    _shaped: dict[str, tuple[float, bool]] = field(default_factory=dict)
    _unshaped: dict[str, float] = field(default_factory=dict)

    def covers(self, codepoint: int) -> bool:
        return codepoint in self.coverage or codepoint in _IGNORABLE

    def needs_shaping(self, text: str) -> bool:
        """False for Latin text without combining marks: every glyph is the character's own,
        so HarfBuzz would add only kerning. Drawing such runs unshaped (as ReportLab does by
        default) keeps their glyphs and halves the time spent on an English label; Thai,
        Lao, Khmer, Burmese and any combining sequence are always shaped."""
        if self.spec.key != "latin":
            return True
        return any(unicodedata.category(ch) in _MARK_CATEGORIES for ch in text)

    def advance(self, text: str, shaped: bool = True) -> float:
        """Width of ``text`` in em, as it will be drawn (times the font size for points)."""
        if shaped and self.needs_shaping(text):
            return self.shape(text)[0]
        width = self._unshaped.get(text)
        if width is None:
            width = pdfmetrics.stringWidth(text, self.rl_name, 1000) / 1000
            _bounded(self._unshaped)[text] = width
        return width

    def plain(self, text: str) -> bool:
        """True if shaping draws exactly one nominal glyph per character, in order.

        Anything else (Khmer subscripts, reordered vowels, mark positioning variants,
        ligatures such as "ffi") has no faithful Unicode in the PDF's font map, so the
        drawing code attaches the text as written.
        """
        return self.shape(text)[1]

    def shape(self, text: str) -> tuple[float, bool]:
        cached = self._shaped.get(text)
        if cached is not None:
            return cached
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(self.hb_font, buf, HB_FEATURES)
        infos = buf.glyph_infos
        width = sum(pos.x_advance for pos in buf.glyph_positions) / self.upem
        plain = len(infos) == len(text) and all(
            info.cluster == i and info.codepoint == self.hb_font.get_nominal_glyph(ord(ch))
            for i, (info, ch) in enumerate(zip(infos, text, strict=True))
        )
        result = (width, plain)
        _bounded(self._shaped)[text] = result
        return result


def _bounded(cache: dict[str, _T]) -> dict[str, _T]:
    """The cache, emptied first if it has grown large (long texts are seen once)."""
    if len(cache) > 50_000:
        cache.clear()
    return cache


@dataclass(frozen=True)
class FontRun:
    face: Face
    text: str


class FontLibrary:
    """Every bundled face, loaded once per process and registered with ReportLab."""

    def __init__(self, folder: Path) -> None:
        self.faces: dict[tuple[str, bool], Face] = {}
        for spec in FONT_SPECS:
            for bold in (False, True):
                path = folder / f"{spec.stem}-{'Bold' if bold else 'Regular'}.ttf"
                rl_name = f"PTK-{spec.stem}-{'Bold' if bold else 'Regular'}"
                font = TTFont(rl_name, str(path), shapable=True)
                pdfmetrics.registerFont(font)
                # Copied now: ReportLab's shaper later adds private-use entries to its map.
                coverage = frozenset(
                    cp for cp in font.face.charToGlyph if cp >= 0x20 and cp not in (0xFFFF,)
                )
                hb_face = hb.Face(hb.Blob.from_file_path(str(path)))
                self.faces[(spec.key, bold)] = Face(
                    spec, bold, path, rl_name, coverage, hb.Font(hb_face), hb_face.upem
                )

    def chain(self, language_code: str, bold: bool = False) -> tuple[Face, ...]:
        """The fallback order for a language: its own script's font first."""
        primary = _BY_FAMILY[language(language_code).font_family].key
        keys = [primary] + [s.key for s in FONT_SPECS if s.key != primary]
        return tuple(self.faces[(key, bold)] for key in keys)

    def unsupported(self, text: str) -> list[str]:
        """The distinct characters of ``text`` that no bundled font can draw, in order."""
        faces = [self.faces[(s.key, False)] for s in FONT_SPECS]
        missing: dict[str, None] = {}
        for ch in text:
            if ch != "\n" and not any(face.covers(ord(ch)) for face in faces):
                missing[ch] = None
        return list(missing)


def split_runs(text: str, chain: tuple[Face, ...]) -> list[FontRun]:
    """Cut ``text`` into runs of one font each.

    Marks stay with their base character and neutral characters (spaces, punctuation,
    digits) with the text around them, so no shaping cluster is ever split between fonts.
    """
    runs: list[FontRun] = []
    current: Face | None = None
    start = 0
    for i, ch in enumerate(text):
        cp = ord(ch)
        category = unicodedata.category(ch)
        face: Face | None = None
        if current is not None and (
            cp in _IGNORABLE
            or (
                (category in _MARK_CATEGORIES or category in _NEUTRAL_CATEGORIES)
                and current.covers(cp)
            )
        ):
            face = current
        else:
            face = next((f for f in chain if f.covers(cp)), None)
            if face is None:
                raise UnsupportedCharactersError([ch])
        if face is not current:
            if current is not None and i > start:
                runs.append(FontRun(current, text[start:i]))
            current = face
            start = i
    if current is not None and start < len(text):
        runs.append(FontRun(current, text[start:]))
    return runs


class UnsupportedCharactersError(Exception):
    """Raised by layout when no bundled font has a character (callers name the field)."""

    def __init__(self, characters: list[str]) -> None:
        self.characters = characters
        super().__init__(", ".join(f"U+{ord(c):04X}" for c in characters))


_LOCK = threading.Lock()
_LIBRARY: FontLibrary | None = None


def font_library() -> FontLibrary:
    """The process-wide library (loading the fonts takes a few tens of milliseconds)."""
    global _LIBRARY
    with _LOCK:
        if _LIBRARY is None:
            _LIBRARY = FontLibrary(paths.fonts_dir())
        return _LIBRARY
