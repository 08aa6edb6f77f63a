"""Dates and numbers for display, in the reader's locale (Babel / CLDR).

Storage stays ISO 8601 and plain numbers; only what people read is localised. Dates are shown
in the Gregorian calendar everywhere: the Buddhist era differs between countries, so it is not
applied silently.
"""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from practitioner_toolkit.i18n.gettext import current_language

_BABEL_LOCALES = {"fil": "fil", "my": "my", "km": "km", "lo": "lo"}


def _locale(code: str | None) -> Locale:
    return Locale.parse(_BABEL_LOCALES.get(code or current_language(), code or current_language()))


def _parse(value: str | dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.date | dt.datetime):
        return value
    text = value.replace("Z", "+00:00")
    if "T" in text:
        return dt.datetime.fromisoformat(text)
    return dt.date.fromisoformat(text)


def format_date(value: str | dt.date | dt.datetime, code: str | None = None) -> str:
    parsed = _parse(value)
    if isinstance(parsed, dt.datetime):
        parsed = parsed.astimezone().date() if parsed.tzinfo else parsed.date()
    return babel_dates.format_date(parsed, format="medium", locale=_locale(code))


def format_datetime(value: str | dt.datetime, code: str | None = None) -> str:
    parsed = _parse(value)
    if not isinstance(parsed, dt.datetime):
        return format_date(parsed, code)
    local = parsed.astimezone() if parsed.tzinfo else parsed
    return babel_dates.format_datetime(local, format="medium", locale=_locale(code))


def format_number(value: float | int, code: str | None = None) -> str:
    return babel_numbers.format_decimal(value, locale=_locale(code))
