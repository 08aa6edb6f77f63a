"""Guided training scenarios: a fictional person's story and coaching tips per section.

A trainer starts a scenario on a training case; the screening page then shows the role card
(for the person playing the interviewee) and, beside each section, tips on good practice
(victim-centred, do no harm, informed consent). Every text is given in all nine languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from practitioner_toolkit import paths
from practitioner_toolkit.forms import text_in


@dataclass(frozen=True)
class Scenario:
    id: str
    form: str
    title: dict[str, str]
    summary: dict[str, str]
    role_card: dict[str, str]
    tips: dict[str, dict[str, str]] = field(default_factory=dict)  # section id -> text
    expected_outcome: str | None = None
    interviewee_language: str = "en"

    def text(self, which: dict[str, str], language: str) -> str:
        return text_in(which, language)

    def tip(self, section_id: str, language: str) -> str:
        tip = self.tips.get(section_id)
        return text_in(tip, language) if tip else ""


def scenarios_path() -> Path:
    return paths.resource_root() / "assets" / "training" / "scenarios.yaml"


def load_scenarios(path: Path | None = None) -> list[Scenario]:
    text = (path or scenarios_path()).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    return [
        Scenario(
            id=item["id"],
            form=item["form"],
            title=item["title"],
            summary=item["summary"],
            role_card=item["role_card"],
            tips=item.get("tips", {}),
            expected_outcome=item.get("expected_outcome"),
            interviewee_language=item.get("interviewee_language", "en"),
        )
        for item in data["scenarios"]
    ]
