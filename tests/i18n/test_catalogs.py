"""The UI catalogs: complete, consistent with the code, and drawable with the bundled fonts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from practitioner_toolkit import paths
from practitioner_toolkit.i18n import LANGUAGE_CODES, _, set_language
from practitioner_toolkit.i18n.catalogs import catalog_path, read_catalog

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code in LANGUAGE_CODES if code != "en"]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _catalog(code: str) -> Catalog:
    return read_catalog(catalog_path(code), code)


def _pairs(message: Message) -> list[tuple[str, str]]:
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return [(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(strings)]


def test_template_is_fresh_and_plural_headers_come_from_cldr() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n_catalogs.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code: str) -> None:
    missing = [m.id for m in _catalog(code) if m.id and not all(s for _i, s in _pairs(m))]
    assert not missing, f"{code}: {len(missing)} untranslated, e.g. {missing[:3]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_and_mnemonics_survive_translation(code: str) -> None:
    for message in _catalog(code):
        if not message.id:
            continue
        for source, translated in _pairs(message):
            if not translated:
                continue
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translated)), (
                f"{code}: placeholders differ in {source!r}"
            )
            mnemonics = len(re.findall(r"&(?!&)\S", translated))
            assert mnemonics == (1 if re.search(r"&(?!&)\S", source) else 0), (
                f"{code}: {source!r} needs exactly as many '&' shortcuts as the source"
            )


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_character_is_in_a_bundled_font(qapp: object, code: str) -> None:
    from PySide6.QtGui import QRawFont

    fonts = [QRawFont(str(p), 12) for p in sorted(paths.fonts_dir().glob("*-Regular.ttf"))]
    missing: set[str] = set()
    for message in _catalog(code):
        for _source, translated in _pairs(message):
            for char in translated or "":
                if char in "\n\t\u200b\u200c\u200d" or char in missing:
                    continue
                if not any(font.supportsCharacter(ord(char)) for font in fonts):
                    missing.add(char)
    assert not missing, f"{code}: no bundled font draws {sorted(missing)}"


def test_switching_language_changes_what_underscore_returns() -> None:
    try:
        set_language("km")
        assert _("Cases") != "Cases"
        set_language("en")
        assert _("Cases") == "Cases"
    finally:
        set_language("en")
