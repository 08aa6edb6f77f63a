"""Bundled fonts: the app renders every script on a machine with no system fonts."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from practitioner_toolkit import paths

# Order matters: Qt falls back along this list for characters the first family lacks.
FAMILY_CHAIN = [
    "Noto Sans",
    "Noto Sans Thai",
    "Noto Sans Khmer",
    "Noto Sans Lao",
    "Noto Sans Myanmar",
]

_loaded: list[str] = []


def load_bundled_fonts() -> list[str]:
    """Register every TTF in assets/fonts once; returns the families Qt now knows."""
    if _loaded:
        return _loaded
    for path in sorted(paths.fonts_dir().glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise RuntimeError(f"bundled font could not be loaded: {path.name}")
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in _loaded:
                _loaded.append(family)
    missing = set(FAMILY_CHAIN) - set(_loaded)
    if missing:
        raise RuntimeError(f"bundled fonts missing: {', '.join(sorted(missing))}")
    return _loaded


def ui_font(point_size: float) -> QFont:
    font = QFont()
    font.setFamilies(FAMILY_CHAIN)
    font.setPointSizeF(point_size)
    return font


_SCALE = "ptkFontScale"
_BOLD = "ptkFontBold"
_SPACING = "ptkLetterSpacing"


def scale_font(
    widget: QWidget, factor: float, *, bold: bool = False, letter_spacing: float = 0.0
) -> None:
    """Text ``factor`` times the chosen text size, kept so when the size changes.

    A font with an explicit size set on a widget no longer follows the application font, so
    headings would stay small when a user picks larger text; ``rescale_fonts`` re-applies it.
    """
    widget.setProperty(_SCALE, factor)
    widget.setProperty(_BOLD, bold)
    widget.setProperty(_SPACING, letter_spacing)
    _apply_scale(widget)


def rescale_fonts() -> None:
    """After ``QApplication.setFont``: bring every scaled widget to the new size."""
    for widget in QApplication.allWidgets():
        if widget.property(_SCALE) is not None:
            _apply_scale(widget)


def _apply_scale(widget: QWidget) -> None:
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * float(widget.property(_SCALE)))
    font.setBold(bool(widget.property(_BOLD)))
    spacing = float(widget.property(_SPACING) or 0.0)
    if spacing:
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, spacing)
    widget.setFont(font)
