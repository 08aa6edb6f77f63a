"""Maintain the UI translation catalogs with Babel.

    python tools/i18n_catalogs.py extract   # write translations/messages.pot from the code
    python tools/i18n_catalogs.py update    # extract, then merge into every language's .po
    python tools/i18n_catalogs.py check     # fail if the .pot is stale or a catalog is broken

New or changed messages arrive in each ``.po`` untranslated; translators fill them in and mark
them fuzzy until a native speaker has reviewed them. Plural-Forms headers come from CLDR
(``babel.plural.to_gettext``), not from the legacy table ``pybabel init`` uses.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po
from babel.plural import to_gettext

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "practitioner_toolkit"
TRANSLATIONS = ROOT / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
LANGUAGES = ("th", "km", "lo", "my", "vi", "id", "ms", "fil")
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "NP_": ((1, "c"), 2),
}


def extract() -> Catalog:
    catalog = Catalog(project="Practitioner Toolkit", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(SOURCE),
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        location = (str((SOURCE / filename).relative_to(ROOT)), lineno)
        catalog.add(message, locations=[location], auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True)
    return buffer.getvalue()


def _msgids(catalog: Catalog) -> set[tuple[str | None, object]]:
    return {(m.context, m.id) for m in catalog if m.id}


def write_template(catalog: Catalog) -> None:
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(_po_bytes(catalog))


def plural_forms(code: str) -> str:
    return to_gettext(Locale.parse(code).plural_form).strip().rstrip(";") + ";"


def _with_plural_forms(po_text: str, code: str) -> str:
    """Replace Babel's Plural-Forms header (and its wrapped continuation lines) by CLDR's."""
    out: list[str] = []
    lines = po_text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.startswith('"Plural-Forms:'):
            out.append(line)
            continue
        out.append(f'"Plural-Forms: {plural_forms(code)}\\n"')
        # A wrapped header value continues on lines that do not start a new "Key: ".
        while (
            index < len(lines)
            and lines[index].startswith('"')
            and not re.match(r'^"[A-Za-z-]+: ', lines[index])
        ):
            index += 1
    return "\n".join(out)


def update(template: Catalog) -> None:
    for code in LANGUAGES:
        path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code)
        else:
            catalog = Catalog(locale=code, project="Practitioner Toolkit", fuzzy=False)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_with_plural_forms(_po_bytes(catalog).decode("utf-8"), code), "utf-8")


def check() -> int:
    fresh = extract()
    with TEMPLATE.open("rb") as handle:
        committed = read_po(handle)
    missing = _msgids(fresh) - _msgids(committed)
    stale = _msgids(committed) - _msgids(fresh)
    status = 0
    if missing or stale:
        print(f"messages.pot is stale: {len(missing)} new, {len(stale)} removed messages;")
        print("run: python tools/i18n_catalogs.py update")
        status = 1
    for code in LANGUAGES:
        path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        if catalog.plural_forms.rstrip(";") != plural_forms(code).rstrip(";"):
            print(f"{code}: wrong Plural-Forms header {catalog.plural_forms!r}")
            status = 1
    return status


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "update"
    if command == "extract":
        write_template(extract())
        return 0
    if command == "update":
        template = extract()
        write_template(template)
        update(template)
        return 0
    if command == "check":
        return check()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
