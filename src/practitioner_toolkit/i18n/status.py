"""Per-language completeness: UI catalogs (.po) and form texts (YAML)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from practitioner_toolkit.i18n.catalogs import catalog_path, read_catalog, template_path
from practitioner_toolkit.i18n.languages import LANGUAGE_CODES, SOURCE_LANGUAGE


@dataclass(frozen=True)
class LanguageStatus:
    code: str
    ui_translated: float
    ui_reviewed: float
    forms_translated: float
    forms_reviewed: float


def _ui_counts(translations_dir: Path, code: str) -> tuple[float, float]:
    template = read_catalog(template_path(translations_dir))
    ids = [(m.id, m.context) for m in template if m.id]
    if code == SOURCE_LANGUAGE or not ids:
        return 1.0, 1.0
    path = catalog_path(code, translations_dir)
    if not path.exists():
        return 0.0, 0.0
    catalog = read_catalog(path, code)
    translated = reviewed = 0
    for msgid, context in ids:
        message = catalog.get(msgid, context=context)
        if message is None:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            translated += 1
            if not message.fuzzy:
                reviewed += 1
    return translated / len(ids), reviewed / len(ids)


def _texts(node: object) -> list[dict[str, object]]:
    """Every per-language text mapping in a form file (mappings keyed by 'en')."""
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        if "en" in node and all(isinstance(v, str) for v in node.values()):
            found.append(node)
        else:
            for key, value in node.items():
                if key != "translations":
                    found.extend(_texts(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_texts(item))
    return found


def _form_counts(forms_dir: Path, code: str) -> tuple[float, float]:
    total = translated = reviewed = 0
    for path in sorted(forms_dir.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        status = (data.get("translations") or {}).get(code) or {}
        is_reviewed = status.get("status") in ("reviewed", "source")
        for text in _texts(data):
            total += 1
            if text.get(code):
                translated += 1
                reviewed += 1 if is_reviewed else 0
    if total == 0:
        return 1.0, 1.0
    return translated / total, reviewed / total


def language_status(translations_dir: Path, forms_dir: Path) -> list[LanguageStatus]:
    rows = []
    for code in LANGUAGE_CODES:
        ui_t, ui_r = _ui_counts(translations_dir, code)
        f_t, f_r = _form_counts(forms_dir, code)
        rows.append(LanguageStatus(code, ui_t, ui_r, f_t, f_r))
    return rows
