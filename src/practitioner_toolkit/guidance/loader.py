"""Reading card files: YAML to ``GuidanceCard``, with errors that name the file, line and field.

A broken card must never reach an officer as a half-translated or empty page, so every rule is
checked when the library loads and every problem found is reported at once, the way the form
loader does (and with its YAML reader, which refuses duplicate keys and remembers lines).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from practitioner_toolkit.forms.loader import FieldPath, FormError, LineMap, format_path, read_yaml
from practitioner_toolkit.guidance.model import (
    AREAS,
    STATUS_SOURCE,
    TRANSLATION_STATUSES,
    GuidanceCard,
    Source,
)
from practitioner_toolkit.i18n.gettext import N_, _
from practitioner_toolkit.i18n.languages import LANGUAGE_CODES, SOURCE_LANGUAGE

CARD_ID: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_KEYS: Final = (
    "id",
    "area",
    "order",
    "title",
    "summary",
    "body",
    "sources",
    "translations",
)
OPTIONAL_KEYS: Final = ("related", "review_note")
TEXT_KEYS: Final = ("title", "summary", "body")
SOURCE_KEYS: Final = ("citation", "url")
_WRONG_BULLET: Final = re.compile(r"^\s*(?:[*•‣◦·]\s|\d+[.)]\s)")


# Shown above the details when a broken library reaches the screen. The details stay in
# English: they name YAML fields for whoever maintains the cards, and an officer cannot act
# on them, so translating every validation message would cost translators for no reader.
DAMAGED: Final = N_(
    "The guidance library is damaged and cannot be shown. Report this to whoever installed "
    "the app, with these details:"
)


@dataclass(frozen=True)
class GuidanceProblem:
    """One thing wrong with one card file, in English, with ``{name}`` fields from ``params``."""

    file: str
    line: int | None
    field: str
    message: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        text = self.message.format(**self.params) if self.params else self.message
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {text}" if self.field else f"{where}: {text}"


class GuidanceError(Exception):
    """The library cannot be used as bundled; ``problems`` lists every problem found.

    ``str()`` gives the problems in English (for logs and card authors); ``translated()``
    puts a sentence in the user's language above them, for showing in the app.
    """

    def __init__(self, problems: Sequence[GuidanceProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def translated(self) -> str:
        return f"{_(DAMAGED)}\n{self}"


class _Collector:
    def __init__(self, file: str, lines: LineMap) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[GuidanceProblem] = []

    def add(self, path: FieldPath, message: str, **params: object) -> None:
        self.problems.append(
            GuidanceProblem(
                self.file, self.lines.line_for(path), format_path(path), message, params
            )
        )


def _check_text(value: object, path: FieldPath, out: _Collector, *, single_line: bool) -> bool:
    if not isinstance(value, str):
        out.add(path, "must be text in double quotes")
        return False
    if not value.strip():
        out.add(path, "is empty")
        return False
    if unicodedata.normalize("NFC", value) != value:
        out.add(path, "is not in Unicode NFC form; save the file normalised to NFC")
        return False
    if single_line and "\n" in value.strip():
        out.add(path, "must be a single line")
        return False
    return True


def _local_text(data: Mapping[str, Any], key: str, out: _Collector) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict):
        out.add((key,), "must give the text in each language (en, th, km, ...)")
        return {}
    texts: dict[str, str] = {}
    for code, text in value.items():
        if code not in LANGUAGE_CODES:
            out.add((key, str(code)), "unknown language '{language}'", language=code)
        elif _check_text(text, (key, code), out, single_line=key == "title"):
            texts[code] = text.strip() if key != "body" else text.rstrip()
            if key == "body":
                _check_markup(text, (key, code), out)
    for code in LANGUAGE_CODES:
        if code not in value:
            out.add(
                (key, code),
                "missing: every card needs this text in all nine languages",
            )
    return texts


def _check_markup(body: str, path: FieldPath, out: _Collector) -> None:
    for number, line in enumerate(body.splitlines(), start=1):
        if _WRONG_BULLET.match(line):
            out.add(
                path,
                "line {number} of the text: start bullet points with '- ' (hyphen, space)",
                number=number,
            )


def _sources(data: Mapping[str, Any], out: _Collector) -> tuple[Source, ...]:
    value = data.get("sources")
    if not isinstance(value, list) or not value:
        out.add(("sources",), "list at least one source, each with a citation")
        return ()
    sources: list[Source] = []
    for index, item in enumerate(value):
        path: FieldPath = ("sources", index)
        if not isinstance(item, dict):
            out.add(path, "must be a mapping with 'citation' and optionally 'url'")
            continue
        for key in item:
            if key not in SOURCE_KEYS:
                out.add((*path, str(key)), "unknown key (check its spelling)")
        citation, url = item.get("citation"), item.get("url")
        ok = _check_text(citation, (*path, "citation"), out, single_line=True)
        if url is not None and not (
            isinstance(url, str) and url.startswith(("https://", "http://"))
        ):
            out.add((*path, "url"), "must be a web address starting with https://")
            ok = False
        if ok and isinstance(citation, str):
            sources.append(Source(citation.strip(), url))
    return tuple(sources)


def _related(data: Mapping[str, Any], card_id: object, out: _Collector) -> tuple[str, ...]:
    value = data.get("related", [])
    if value is None:
        return ()
    if not isinstance(value, list):
        out.add(("related",), "must be a list of card ids")
        return ()
    related: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not CARD_ID.match(item):
            out.add(("related", index), "must be a card id")
        elif item == card_id:
            out.add(("related", index), "a card cannot refer to itself")
        elif item in related:
            out.add(("related", index), "'{id}' is listed twice", id=item)
        else:
            related.append(item)
    return tuple(related)


def _translations(data: Mapping[str, Any], out: _Collector) -> dict[str, str]:
    value = data.get("translations")
    if not isinstance(value, dict):
        out.add(("translations",), "must give the review state of each language")
        return {}
    statuses: dict[str, str] = {}
    for code, status in value.items():
        path: FieldPath = ("translations", str(code))
        if code not in LANGUAGE_CODES:
            out.add(path, "unknown language '{language}'", language=code)
        elif code == SOURCE_LANGUAGE and status != STATUS_SOURCE:
            out.add(path, "English is the source text: its status must be 'source'")
        elif code != SOURCE_LANGUAGE and status not in TRANSLATION_STATUSES:
            out.add(path, "must be 'unreviewed' or 'reviewed'")
        else:
            statuses[code] = str(status)
    for code in LANGUAGE_CODES:
        if code not in value:
            out.add(("translations", code), "missing: give its review state")
    return statuses


def card_from_data(data: object, lines: LineMap, file: str) -> GuidanceCard:
    """Validate parsed YAML against every rule of the format that one file can check."""
    out = _Collector(file, lines)
    if not isinstance(data, dict):
        out.add((), "a card file must be a mapping of keys")
        raise GuidanceError(out.problems)
    for key in data:
        if key not in REQUIRED_KEYS and key not in OPTIONAL_KEYS:
            out.add((str(key),), "unknown key (check its spelling)")
    for key in REQUIRED_KEYS:
        if key not in data:
            out.add((key,), "missing: every card needs this key")
    card_id = data.get("id")
    if "id" in data and (not isinstance(card_id, str) or not CARD_ID.match(card_id)):
        out.add(("id",), "must be lower-case letters and digits separated by '-'")
    area = data.get("area")
    if "area" in data and area not in AREAS:
        out.add(
            ("area",),
            "unknown area '{area}'; use one of: {areas}",
            area=area,
            areas=", ".join(AREAS),
        )
    order = data.get("order")
    if "order" in data and (not isinstance(order, int) or isinstance(order, bool)):
        out.add(("order",), "must be a whole number")
    texts = {key: _local_text(data, key, out) for key in TEXT_KEYS if key in data}
    sources = _sources(data, out) if "sources" in data else ()
    related = _related(data, card_id, out)
    review_note = data.get("review_note")
    if review_note is not None:
        _check_text(review_note, ("review_note",), out, single_line=False)
    translations = _translations(data, out) if "translations" in data else {}
    if out.problems:
        raise GuidanceError(out.problems)
    return GuidanceCard(
        id=str(card_id),
        area=str(area),
        order=order if isinstance(order, int) else 0,
        title=texts["title"],
        summary=texts["summary"],
        body=texts["body"],
        sources=sources,
        related=related,
        review_note=review_note.strip() if isinstance(review_note, str) else None,
        translations=translations,
    )


def file_name_problem(
    card: GuidanceCard, path: Path, file: str, lines: LineMap
) -> GuidanceProblem | None:
    """The id must equal the file name, so a card is found, and linked to, by its file."""
    if card.id == path.stem:
        return None
    return GuidanceProblem(
        file,
        lines.line_for(("id",)),
        "id",
        "the id '{id}' does not match the file name '{name}'",
        {"id": card.id, "name": path.name},
    )


def parse_card(text: str, file: str) -> tuple[GuidanceCard, LineMap]:
    """One card from YAML text, with the line of every key (for errors found later)."""
    try:
        data, lines = read_yaml(text, file)
    except FormError as exc:
        raise GuidanceError(
            [GuidanceProblem(p.file, p.line, p.field, p.message) for p in exc.problems]
        ) from None
    return card_from_data(data, lines, file), lines


def read_card_file(path: Path, display_name: str | None = None) -> tuple[GuidanceCard, LineMap]:
    """One card file, checked on its own except for its file name and ``related`` links."""
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise GuidanceError(
            [GuidanceProblem(name, None, "", "the file is not UTF-8 text")]
        ) from None
    except OSError as exc:
        problem = GuidanceProblem(
            name, None, "", "cannot be read: {reason}", {"reason": exc.strerror or exc}
        )
        raise GuidanceError([problem]) from None
    return parse_card(text, name)


def load_card_file(path: Path, display_name: str | None = None) -> GuidanceCard:
    """One card file with every check but ``related`` links (which need the whole library)."""
    card, lines = read_card_file(path, display_name)
    problem = file_name_problem(card, path, display_name or str(path), lines)
    if problem:
        raise GuidanceError([problem])
    return card
