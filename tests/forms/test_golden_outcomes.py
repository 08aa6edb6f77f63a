"""Golden tests: every rule path of every bundled form, from answer files.

Each ``golden/<form-id>/*.json`` holds::

    {"description": "...", "answers": {...},
     "expect": {"code": "...", "referrals_include": [...], "referrals_exclude": [...],
                "flags_include": [...], "groups_positive": [...], "groups_negative": [...],
                "elements": {"act": [...]}, "urgency": "..."}}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from practitioner_toolkit import paths
from practitioner_toolkit.forms import FormRegistry, ScreeningRun, evaluate

GOLDEN = Path(__file__).parent / "golden"
REGISTRY = FormRegistry.load(paths.forms_dir())
CASES = sorted(GOLDEN.glob("*/*.json"))


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_every_bundled_form_has_golden_cases_for_each_outcome_it_can_reach() -> None:
    by_form: dict[str, set[str]] = {}
    for path in CASES:
        data = json.loads(path.read_text(encoding="utf-8"))
        by_form.setdefault(path.parent.name, set()).add(data["expect"]["code"])
    for form in REGISTRY.current_forms():
        codes = by_form.get(form.id, set())
        assert len(codes) >= 3, f"{form.id} has golden cases for only {sorted(codes)}"


@pytest.mark.parametrize("path", CASES, ids=_case_id)
def test_golden_case(path: Path) -> None:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    form = REGISTRY.latest(path.parent.name)
    answers = data["answers"]
    run = ScreeningRun(form, answers)
    for question_id, value in answers.items():
        question = form.question(question_id)  # KeyError names a stale golden file
        problem = run.check_answer(question, value)
        assert problem is None, f"{question_id}: {problem}"
    result = evaluate(form, answers)
    expect = data["expect"]
    assert result.code == expect["code"], data["description"]
    for code in expect.get("referrals_include", []):
        assert code in result.referrals, f"{code} not recommended"
    for code in expect.get("referrals_exclude", []):
        assert code not in result.referrals, f"{code} recommended"
    for flag in expect.get("flags_include", []):
        assert flag in result.flags, f"flag {flag} missing"
    positive = {g.group for g in result.groups if g.positive}
    for group in expect.get("groups_positive", []):
        assert group in positive, f"{group} should be positive"
    for group in expect.get("groups_negative", []):
        assert group not in positive, f"{group} should not be positive"
    for kind, values in expect.get("elements", {}).items():
        assert sorted(result.elements[kind]) == sorted(values)
    if "urgency" in expect:
        assert result.urgency == expect["urgency"]
