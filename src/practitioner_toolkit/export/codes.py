"""Turning what the toolkit records into the codes HTCDS asks for.

- Nationality is free text in the toolkit ("Myanmar", "Cambodian", "ລາວ"). It becomes an
  ISO 3166-1 alpha-2 code when it is a code already, a country name in English or in one of
  the nine languages (CLDR names via Babel), or a common demonym of the region. Anything
  else (including "stateless" or an ethnic group such as Rohingya) stays unmapped: guessing a
  citizenship would put a wrong fact in a victim's record.
- Languages are codes in the toolkit; HTCDS wants ISO 639-2. The nine languages carry theirs;
  other two-letter codes go through the ISO 639-1 → 639-2 table; three-letter codes pass if
  ISO 639-2 lists them.
- Phone numbers become E.164 (``+`` country code and number, at most 15 digits) when they
  are written internationally, or when a country calling code is given for local numbers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel import Locale

from practitioner_toolkit.export.fieldlist import FieldList
from practitioner_toolkit.i18n.languages import LANGUAGE_CODES, LANGUAGES

# Demonyms and older names met at South-East Asian borders, in lower case.
DEMONYMS: dict[str, str] = {
    "burmese": "MM",
    "myanmar": "MM",
    "myanma": "MM",
    "cambodian": "KH",
    "khmer": "KH",
    "lao": "LA",
    "laotian": "LA",
    "thai": "TH",
    "vietnamese": "VN",
    "viet nam": "VN",
    "indonesian": "ID",
    "malaysian": "MY",
    "filipino": "PH",
    "filipina": "PH",
    "philippine": "PH",
    "singaporean": "SG",
    "bruneian": "BN",
    "timorese": "TL",
    "east timorese": "TL",
    "timor-leste": "TL",
    "chinese": "CN",
    "bangladeshi": "BD",
    "indian": "IN",
    "nepali": "NP",
    "nepalese": "NP",
    "sri lankan": "LK",
    "pakistani": "PK",
    "afghan": "AF",
    "north korean": "KP",
    "south korean": "KR",
    "japanese": "JP",
}
_PARENTHESIS = re.compile(r"\s*\(([^)]*)\)\s*")
_PHONE_JUNK = re.compile(r"[\s().\-/]")
MIN_LOCAL_E164_DIGITS = 8  # shorter results are short codes, not numbers callable from abroad


def normalise_name(text: str) -> str:
    """Case, width and spacing folded, so 'MYANMAR ' and 'myanmar' match."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.replace(".", " ").split())


@cache
def _country_names(fields: FieldList) -> dict[str, str]:
    names: dict[str, str] = {}
    for code in ("en", *LANGUAGE_CODES):
        for territory, name in Locale.parse(code).territories.items():
            if territory not in fields.countries:
                continue  # CLDR regions ("001", "EU") and user-assigned codes
            whole = normalise_name(name)
            names.setdefault(whole, territory)
            inside = _PARENTHESIS.search(name)
            if inside:  # "Myanmar (Burma)": "myanmar" and "burma" both match
                names.setdefault(normalise_name(_PARENTHESIS.sub(" ", name)), territory)
                names.setdefault(normalise_name(inside.group(1)), territory)
    for demonym, territory in DEMONYMS.items():
        names.setdefault(demonym, territory)
    return names


def country_code(fields: FieldList, nationality: str | None) -> str | None:
    """ISO 3166-1 alpha-2 for a recorded nationality, or None if it cannot be matched."""
    if not nationality or not nationality.strip():
        return None
    text = nationality.strip()
    upper = text.upper()
    if len(text) == 2 and upper in fields.countries:
        return upper
    if len(text) == 3 and upper in fields.alpha3_to_alpha2:
        return fields.alpha3_to_alpha2[upper]
    return _country_names(fields).get(normalise_name(text))


_TOOLKIT_639_2 = {lang.code: lang.iso639_2 for lang in LANGUAGES}


def language_code(fields: FieldList, code: str | None) -> str | None:
    """ISO 639-2 for a toolkit language code ('km', 'zh-Hant', 'shn'), or None."""
    if not code or not code.strip():
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    if primary in _TOOLKIT_639_2:
        return _TOOLKIT_639_2[primary]
    if len(primary) == 2:
        return fields.language_alpha2_to_639_2.get(primary)
    if len(primary) == 3 and primary in fields.languages:
        return primary
    return None


def e164_phone(fields: FieldList, phone: str | None, calling_code: str | None) -> str | None:
    """The number in E.164 form, or None when that cannot be done without guessing.

    ``+66 2 123 4567`` and ``0066 2 123 4567`` are international already. A local number
    (``02 123 4567``) needs ``calling_code`` ("66"): its one trunk ``0`` is dropped. Text
    that holds two numbers ends up over 15 digits and is left out rather than cut.
    """
    if not phone or not phone.strip():
        return None
    text = _PHONE_JUNK.sub("", phone.strip())
    if text.startswith("+"):
        candidate = "+" + text[1:]
    elif text.startswith("00"):
        candidate = "+" + text[2:]
    elif calling_code:
        national = text[1:] if text.startswith("0") else text
        candidate = f"+{calling_code}{national}"
        if len(candidate) - 1 < MIN_LOCAL_E164_DIGITS:
            return None
    else:
        return None
    return candidate if candidate[1:].isdigit() and fields.e164.match(candidate) else None
