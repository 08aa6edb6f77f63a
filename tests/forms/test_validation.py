"""`ptk forms validate`: precise messages (file, line, field) for each kind of broken form."""

from __future__ import annotations

from pathlib import Path

import pytest

from practitioner_toolkit.cli import main
from practitioner_toolkit.forms import FormError, load_and_validate

MINI = Path(__file__).parent / "fixtures" / "mini.yaml"


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = MINI.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not found"
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line_of(path: Path, snippet: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if snippet in line:
            return number
    raise AssertionError(snippet)


def test_the_fixture_itself_is_valid() -> None:
    form = load_and_validate(MINI)
    assert form.id == "mini-screening"


BROKEN = [
    # (what is broken, old text, new text, expected field, expected message, line snippet)
    (
        "unknown key",
        "        required: true\n",
        "        requird: true\n",
        "sections[0].questions[0].requird",
        "unknown key",
        "requird: true",
    ),
    (
        "bad question type",
        "type: yes_no_unsure",
        "type: maybe",
        "sections[1].questions[1].type",
        "Input should be",
        "type: maybe",
    ),
    (
        "reference to a question that does not exist",
        "relevant: \"${deceived} = 'yes'\"",
        "relevant: \"${decieved} = 'yes'\"",
        "sections[1].questions[5].relevant",
        "${decieved}, which is not a question",
        "${decieved}",
    ),
    (
        "unparseable condition",
        'constraint: ". >= 0 and . <= 120"',
        'constraint: ". >= 0 and and . <= 120"',
        "sections[0].questions[1].constraint",
        "cannot be read",
        "and and",
    ),
    (
        "current value outside a constraint",
        "relevant: \"${consent} = 'yes'\"",
        "relevant: \". = 'yes'\"",
        "sections[1].relevant",
        "only be used in a constraint",
        "relevant: \". = 'yes'\"",
    ),
    (
        "duplicate question id",
        "id: hours",
        "id: threats  # the second one",
        "sections[1].questions[3].id",
        "used twice",
        "id: threats  # the second one",
    ),
    (
        "missing translation",
        '        label: {en: "Were you threatened?", km: "តើអ្នកត្រូវបានគំរាមទេ?"}',
        '        label: {en: "Were you threatened?"}',
        "sections[1].questions[2].label",
        "has no 'km' text",
        'label: {en: "Were you threatened?"}',
    ),
    (
        "indicator group foreign to the rule",
        "group: coercive_recruitment",
        "group: debt_bondage",
        "sections[1].questions[2].indicators[0].group",
        "not an indicator group of rule",
        "group: debt_bondage",
    ),
    (
        "unknown Palermo element",
        '"means:deception"',
        '"means:trickery"',
        "sections[1].questions[1].elements[0]",
        "unknown Palermo element",
        "means:trickery",
    ),
    (
        "unknown service",
        "refer: [legal]",
        "refer: [lawyer]",
        "sections[1].questions[4].refer[0]",
        "unknown service",
        "refer: [lawyer]",
    ),
    (
        "choice list that does not exist",
        "choices: recruiters",
        "choices: recruiter",
        "sections[1].questions[0].choices",
        "no choice list named",
        "choices: recruiter",
    ),
    (
        "unknown rule",
        "rule: palermo_ilo_adult",
        "rule: points_score",
        "rule",
        "unknown rule",
        "rule: points_score",
    ),
    (
        "bad version",
        "version: 1.0.0",
        "version: one",
        "version",
        "String should match pattern",
        "version: one",
    ),
    (
        "declined used as a choice value",
        "value: friend",
        "value: declined",
        "choice_lists.recruiters[1].value",
        "reserved",
        "value: declined",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "field", "message", "snippet"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_each_kind_of_broken_form_is_named_precisely(
    tmp_path: Path, old: str, new: str, field: str, message: str, snippet: str
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(FormError) as error:
        load_and_validate(path)
    problems = [p for p in error.value.problems if p.field == field]
    assert problems, f"no problem for {field}: {error.value}"
    assert message in problems[0].message
    assert problems[0].line == _line_of(path, snippet)
    assert problems[0].file == str(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("id: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("id: x\nid: y\n", "appears twice"),
    ],
)
def test_files_that_are_not_forms_at_all(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormError, match=message):
        load_and_validate(path)


def test_the_cli_prints_file_line_field_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _broken(tmp_path, "refer: [legal]", "refer: [lawyer]")
    assert main(["forms", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    line = _line_of(path, "refer: [lawyer]")
    assert f"{path}:{line}: sections[1].questions[4].refer[0]: unknown service" in err
    assert main(["forms", "validate", str(MINI)]) == 0
