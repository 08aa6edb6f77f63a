"""Import of XLSForm workbooks (ODK, KoboToolbox) into the toolkit's form format.

Organisations that already run a form in ODK or Kobo can bring it in: ``survey``, ``choices``
and ``settings`` sheets, ``label::Language (code)`` columns. Everything that cannot be carried
over is listed in the result (never dropped silently): repeats, calculations, media,
conditions that use functions this toolkit does not evaluate, and so on. The imported form has
no outcome rule (``record_only``); indicators and referrals are added in the YAML afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from practitioner_toolkit.forms import expressions
from practitioner_toolkit.forms.model import FormDefinition
from practitioner_toolkit.i18n.languages import LANGUAGES, SOURCE_LANGUAGE

_TYPES = {
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "text": "text",
    "note": "note",
    "acknowledge": "yes_no",
}
_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
}
_UNSUPPORTED = {
    "calculate",
    "geopoint",
    "geotrace",
    "geoshape",
    "image",
    "audio",
    "video",
    "file",
    "barcode",
    "range",
    "rank",
    "hidden",
    "xml-external",
    "background-audio",
    "time",
    "datetime",
}
_NAMES_TO_CODES = {lang.english_name.lower(): lang.code for lang in LANGUAGES}
_NAMES_TO_CODES.update({lang.native_name.lower(): lang.code for lang in LANGUAGES})
_NAMES_TO_CODES.update(
    {"tagalog": "fil", "bahasa indonesia": "id", "bahasa melayu": "ms", "myanmar": "my"}
)


class XlsFormError(Exception):
    """The workbook cannot be read as an XLSForm at all."""


@dataclass
class XlsFormImport:
    form: FormDefinition
    yaml_text: str
    skipped: list[str] = field(default_factory=list)  # what was not carried over, and where


def _language_of(column: str) -> str | None:
    """'label::Khmer (km)' -> 'km'; 'label::English' -> 'en'; 'label' -> None (default)."""
    if "::" not in column:
        return None
    spec = column.split("::", 1)[1].strip()
    code = re.search(r"\(([A-Za-z-]{2,8})\)\s*$", spec)
    if code:
        return code.group(1).lower()
    return _NAMES_TO_CODES.get(spec.lower(), spec.lower())


def _identifier(name: str) -> str:
    text = re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_")
    if not text or not text[0].isalpha():
        text = f"q_{text}"
    return text[:64]


def _rows(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    result = []
    for number, values in enumerate(rows[1:], start=2):
        row = {h: v for h, v in zip(header, values, strict=False) if h and v not in (None, "")}
        if row:
            row["_row"] = number
            result.append(row)
    return result


class _Texts:
    """Collects per-language texts, filling the source language when a form lacks English."""

    def __init__(self, default_language: str | None) -> None:
        self.languages: set[str] = set()
        self.default = default_language

    def get(self, row: dict[str, Any], key: str) -> dict[str, str] | None:
        texts: dict[str, str] = {}
        for column, value in row.items():
            if column == key or column.startswith(f"{key}::"):
                code = _language_of(column) or self.default or SOURCE_LANGUAGE
                texts[code] = str(value).strip()
        if not texts:
            return None
        self.languages.update(texts)
        return texts


def import_xlsform(path: Path) -> XlsFormImport:
    import openpyxl  # only needed here

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise XlsFormError(f"{path.name} is not an Excel workbook ({type(exc).__name__})") from None
    if "survey" not in workbook.sheetnames:
        raise XlsFormError(f"{path.name} has no 'survey' sheet, so it is not an XLSForm")
    survey = _rows(workbook["survey"])
    choices = _rows(workbook["choices"]) if "choices" in workbook.sheetnames else []
    settings_rows = _rows(workbook["settings"]) if "settings" in workbook.sheetnames else []
    settings = settings_rows[0] if settings_rows else {}
    default_language = _language_of(f"x::{settings.get('default_language', '')}") or None
    texts = _Texts(default_language)
    skipped: list[str] = []

    lists: dict[str, list[dict[str, Any]]] = {}
    for row in choices:
        list_name, value = row.get("list_name"), row.get("name")
        if not list_name or value is None:
            skipped.append(f"choices row {row['_row']}: no list_name or name")
            continue
        label = texts.get(row, "label") or {SOURCE_LANGUAGE: str(value)}
        lists.setdefault(_identifier(str(list_name)), []).append(
            {"value": _identifier(str(value)), "label": label}
        )

    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    depth = 0
    seen: set[str] = set()

    def section_for(row: dict[str, Any]) -> dict[str, Any]:
        nonlocal current
        if current is None:
            current = {"id": "main", "title": {SOURCE_LANGUAGE: "Questions"}, "questions": []}
            sections.append(current)
        return current

    for row in survey:
        where = f"survey row {row['_row']}"
        raw_type = str(row.get("type", "")).strip()
        kind, _, list_name = raw_type.partition(" ")
        structure = raw_type.replace("_", " ").lower()
        name = str(row.get("name", "")).strip()
        if structure.startswith("begin group"):
            depth += 1
            if depth > 1:
                skipped.append(f"{where}: nested group '{name}' flattened into its parent")
                continue
            current = {
                "id": _identifier(name or f"section_{len(sections) + 1}"),
                "title": texts.get(row, "label") or {SOURCE_LANGUAGE: name or "Section"},
                "questions": [],
            }
            relevant = _condition(row.get("relevant"), where, "relevant", skipped)
            if relevant:
                current["relevant"] = relevant
            sections.append(current)
            continue
        if structure.startswith("end group"):
            depth = max(0, depth - 1)
            if depth == 0:
                current = None
            continue
        if structure.startswith(("begin repeat", "end repeat")):
            skipped.append(
                f"{where}: repeat groups are not supported; their questions are kept once"
            )
            continue
        if kind in _METADATA:
            skipped.append(f"{where}: metadata field '{kind}' is recorded by the toolkit itself")
            continue
        if kind in _UNSUPPORTED:
            skipped.append(f"{where}: question type '{kind}' ('{name}') is not supported")
            continue
        question_type = _TYPES.get(kind)
        question: dict[str, Any] = {}
        if kind in ("select_one", "select_multiple"):
            values = {c["value"] for c in lists.get(_identifier(list_name), [])}
            if not values:
                skipped.append(f"{where}: choice list '{list_name}' is missing; question skipped")
                continue
            if kind == "select_one" and values == {"yes", "no"}:
                question_type = "yes_no"
            elif kind == "select_one" and values == {"yes", "no", "unsure"}:
                question_type = "yes_no_unsure"
            else:
                question_type = "single" if kind == "select_one" else "multi"
                question["choices"] = _identifier(list_name)
        if question_type is None:
            skipped.append(f"{where}: unknown question type '{raw_type}'")
            continue
        identifier = _identifier(name)
        if identifier in seen:
            skipped.append(f"{where}: duplicate name '{name}' skipped")
            continue
        seen.add(identifier)
        question = {"id": identifier, "type": question_type, **question}
        question["label"] = texts.get(row, "label") or {SOURCE_LANGUAGE: name}
        hint = texts.get(row, "hint")
        if hint:
            question["hint"] = hint
        required = str(row.get("required", "")).strip().lower()
        if required in ("yes", "true", "true()", "1") and question_type != "note":
            question["required"] = True
        elif required not in ("", "no", "false", "false()", "0"):
            skipped.append(f"{where}: conditional 'required' ({required}) not supported")
        for key in ("relevant", "constraint"):
            condition = _condition(row.get(key), where, key, skipped)
            if condition:
                question[key] = condition
        message = texts.get(row, "constraint_message")
        if message and "constraint" in question:
            question["constraint_message"] = message
        for column in row:
            base = column.split("::", 1)[0]
            if base in (
                "appearance",
                "choice_filter",
                "calculation",
                "default",
                "read_only",
                "repeat_count",
                "media",
                "image",
                "audio",
                "video",
                "trigger",
            ):
                skipped.append(f"{where}: column '{base}' is not supported")
        section_for(row)["questions"].append(question)

    sections = [s for s in sections if s["questions"]]
    if not sections:
        raise XlsFormError(f"{path.name}: no question could be imported")
    languages = sorted(texts.languages | {SOURCE_LANGUAGE})
    unknown = [code for code in languages if code not in {lang.code for lang in LANGUAGES}]
    for code in unknown:
        skipped.append(f"language '{code}' is not one of the toolkit's nine and was left out")
    languages = [code for code in languages if code not in unknown]
    data = {
        "id": re.sub(r"[^a-z0-9-]+", "-", str(settings.get("form_id", path.stem)).lower()).strip(
            "-"
        )
        or "imported-form",
        "version": _version(settings.get("version")),
        "kind": "module",
        "audience": "any",
        "rule": "record_only",
        "title": texts.get(settings, "form_title") or {SOURCE_LANGUAGE: path.stem},
        "sources": [{"id": "xlsform", "citation": f"Imported from the XLSForm {path.name}"}],
        "review_notes": [
            "Imported from an XLSForm: add indicators, Palermo elements and referrals, and "
            "choose an outcome rule, before using it for screening."
        ],
        "translations": {
            code: {"status": "source" if code == SOURCE_LANGUAGE else "unreviewed"}
            for code in languages
        },
        "choice_lists": lists,
        "sections": sections,
    }
    _fill_missing_texts(data, languages, skipped)
    _drop_languages(data, set(unknown))
    form = FormDefinition.model_validate(data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return XlsFormImport(form, text, skipped)


def _condition(value: Any, where: str, key: str, skipped: list[str]) -> str | None:
    if value in (None, ""):
        return None
    source = str(value).strip()
    try:
        expressions.parse(source)
    except expressions.ExpressionError as exc:
        skipped.append(f"{where}: {key} '{source}' cannot be evaluated here ({exc}); left out")
        return None
    return source


def _version(value: Any) -> str:
    digits = re.findall(r"\d+", str(value or ""))
    parts = [*digits, "0", "0", "0"][:3] if digits else ["1", "0", "0"]
    return ".".join(str(int(p)) for p in parts)


def _walk_texts(node: Any) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "title", "hint", "constraint_message") and isinstance(value, dict):
                found.append(value)
            elif key != "translations":
                found.extend(_walk_texts(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_walk_texts(item))
    return found


def _fill_missing_texts(data: dict[str, Any], languages: list[str], skipped: list[str]) -> None:
    """Every text needs every declared language: borrow the English one and say so."""
    missing = 0
    for text in _walk_texts(data):
        source = text.get(SOURCE_LANGUAGE) or next(iter(text.values()))
        text.setdefault(SOURCE_LANGUAGE, source)
        for code in languages:
            if code not in text:
                text[code] = source
                missing += 1
    if missing:
        skipped.append(f"{missing} texts had no translation; the English text was copied in")


def _drop_languages(data: dict[str, Any], codes: set[str]) -> None:
    for text in _walk_texts(data):
        for code in codes:
            text.pop(code, None)
