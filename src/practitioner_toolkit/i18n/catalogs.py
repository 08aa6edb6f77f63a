"""Loading the UI catalogs: ``translations/<lang>/LC_MESSAGES/messages.po``.

The ``.po`` files are read directly with Babel and compiled in memory, so a fresh checkout
works without a compile step and a stale ``.mo`` can never shadow an edited catalog. Entries
marked fuzzy are translations nobody has reviewed yet: they are used (an unreviewed
translation beats English for someone who does not read English) and reported by
``ptk i18n status``.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from practitioner_toolkit import paths
from practitioner_toolkit.i18n import gettext as active
from practitioner_toolkit.i18n.languages import SOURCE_LANGUAGE, language

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

DOMAIN = "messages"


def catalog_path(code: str, root: Path | None = None) -> Path:
    return (root or paths.translations_dir()) / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path(root: Path | None = None) -> Path:
    return (root or paths.translations_dir()) / f"{DOMAIN}.pot"


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    from babel.messages.pofile import read_po  # Babel loads only when a catalog is needed

    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@cache
def load_translations(code: str) -> gettext.NullTranslations:
    """The compiled catalog for ``code`` (fuzzy entries included), or English."""
    language(code)  # unknown codes are a programming error
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = catalog_path(code)
    if not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo

    catalog = read_catalog(path, code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=True)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(code: str) -> None:
    """Make ``code`` the language of every string translated from now on."""
    active.install(load_translations(code), code)
