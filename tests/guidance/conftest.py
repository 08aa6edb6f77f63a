"""Fixtures for the guidance tests: the bundled library, and a folder to build broken ones in."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from practitioner_toolkit.guidance import GuidanceLibrary, load_library
from practitioner_toolkit.i18n import LANGUAGE_CODES

CardWriter = Callable[..., Path]


@pytest.fixture(scope="session")
def library() -> GuidanceLibrary:
    return load_library()


def valid_card(card_id: str, **changes: Any) -> dict[str, Any]:
    """A minimal card that passes every check; ``changes`` replace top-level keys."""
    data: dict[str, Any] = {
        "id": card_id,
        "area": "principles",
        "order": 10,
        "title": {code: f"Title {card_id} {code}" for code in LANGUAGE_CODES},
        "summary": {code: f"Summary {code}." for code in LANGUAGE_CODES},
        "body": {
            code: f"Paragraph {code}.\n\n- point one\n- point two\n" for code in LANGUAGE_CODES
        },
        "sources": [{"citation": "A published source", "url": "https://example.org/source"}],
        "related": [],
        "translations": {
            code: ("source" if code == "en" else "unreviewed") for code in LANGUAGE_CODES
        },
    }
    data.update(copy.deepcopy(changes))
    return data


@pytest.fixture
def guidance_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "guidance"
    folder.mkdir()
    return folder


@pytest.fixture
def write_card(guidance_dir: Path) -> CardWriter:
    """Write a card file; pass ``data`` for full control, or keyword changes to a valid card."""

    def write(
        card_id: str,
        data: dict[str, Any] | None = None,
        *,
        file_name: str | None = None,
        **changes: Any,
    ) -> Path:
        content = data if data is not None else valid_card(card_id, **changes)
        path = guidance_dir / (file_name or f"{card_id}.yaml")
        path.write_text(
            yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        return path

    return write
