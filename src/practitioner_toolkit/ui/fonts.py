"""Bundled fonts: the app renders every script on a machine with no system fonts."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

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
