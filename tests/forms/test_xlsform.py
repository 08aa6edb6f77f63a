"""An XLSForm workbook, as ODK or Kobo would use it, imports and runs; what cannot be carried
over is listed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from practitioner_toolkit.cli import main
from practitioner_toolkit.forms import ScreeningRun, evaluate, load_and_validate
from practitioner_toolkit.forms.xlsform import XlsFormError, import_xlsform

SURVEY = [
    [
        "type",
        "name",
        "label::English (en)",
        "label::Khmer (km)",
        "hint::English (en)",
        "required",
        "relevant",
        "constraint",
        "constraint_message::English (en)",
        "appearance",
    ],
    ["start", "start", None, None, None, None, None, None, None, None],
    ["begin_group", "consent_group", "Consent", "ការយល់ព្រម", None, None, None, None, None, None],
    [
        "select_one yes_no",
        "consent",
        "Do you agree to talk?",
        "តើអ្នកយល់ព្រមនិយាយទេ?",
        "Explain the purpose first.",
        "yes",
        None,
        None,
        None,
        None,
    ],
    ["end_group", None, None, None, None, None, None, None, None, None],
    ["begin group", "work", "Work", "ការងារ", None, None, "${consent} = 'yes'", None, None, None],
    [
        "integer",
        "age",
        "How old are you?",
        "តើអ្នកអាយុប៉ុន្មាន?",
        None,
        None,
        None,
        ". >= 0 and . <= 120",
        "Between 0 and 120",
        None,
    ],
    [
        "select_multiple sectors",
        "sector",
        "Where did you work?",
        "តើអ្នកធ្វើការនៅឯណា?",
        None,
        None,
        None,
        None,
        None,
        "minimal",
    ],
    [
        "text",
        "story",
        "What happened?",
        None,
        None,
        None,
        "selected(${sector}, 'fishing')",
        None,
        None,
        None,
    ],
    ["calculate", "score", None, None, None, None, None, None, None, None],
    ["begin_repeat", "children", "Children", None, None, None, None, None, None, None],
    ["end_repeat", None, None, None, None, None, None, None, None, None],
    [
        "date",
        "arrived",
        "When did you arrive?",
        "តើអ្នកមកដល់ពេលណា?",
        None,
        None,
        "jr:choice-name(${sector}, '${sector}') != ''",
        None,
        None,
        None,
    ],
    ["end group", None, None, None, None, None, None, None, None, None],
]
CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Khmer (km)"],
    ["yes_no", "yes", "Yes", "បាទ/ចាស"],
    ["yes_no", "no", "No", "ទេ"],
    ["sectors", "fishing", "Fishing", "នេសាទ"],
    ["sectors", "factory", "Factory", "រោងចក្រ"],
]
SETTINGS = [["form_title", "form_id", "version"], ["Border intake (Kobo)", "border_intake", "2"]]


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    for title, rows in (("survey", SURVEY), ("choices", CHOICES), ("settings", SETTINGS)):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    del book["Sheet"]
    path = tmp_path / "border_intake.xlsx"
    book.save(path)
    return path


def test_an_xlsform_imports_validates_and_runs(workbook: Path, tmp_path: Path) -> None:
    result = import_xlsform(workbook)
    form = result.form
    assert (form.id, form.version) == ("border-intake", "2.0.0")
    assert [s.id for s in form.sections] == ["consent_group", "work"]
    assert form.question("consent").type.value == "yes_no"
    assert form.question("sector").type.value == "multi"
    assert form.question("age").constraint == ". >= 0 and . <= 120"
    assert form.question("consent").label["km"] == "តើអ្នកយល់ព្រមនិយាយទេ?"
    path = tmp_path / "border-intake" / "2.0.0.yaml"
    path.parent.mkdir()
    path.write_text(result.yaml_text, encoding="utf-8")
    loaded = load_and_validate(path)
    answers = {"consent": "yes", "age": 30, "sector": ["fishing"], "story": "kept on a boat"}
    run = ScreeningRun(loaded, answers)
    assert run.is_relevant(loaded.question("story"))
    assert run.check_answer(loaded.question("age"), 130) is not None
    assert evaluate(loaded, answers).code == "recorded"


def test_what_cannot_be_imported_is_listed(workbook: Path) -> None:
    skipped = "\n".join(import_xlsform(workbook).skipped)
    assert "metadata field 'start'" in skipped
    assert "question type 'calculate'" in skipped
    assert "repeat groups are not supported" in skipped
    assert "column 'appearance'" in skipped
    assert "jr:choice-name" in skipped  # a condition using a function we do not evaluate
    assert "English text was copied in" in skipped  # the story has no Khmer label


def test_the_cli_writes_the_form_and_reports(
    workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "forms" / "border-intake" / "2.0.0.yaml"
    assert main(["forms", "import-xlsform", str(workbook), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Imported border-intake 2.0.0: 5 questions" in printed
    assert "Not carried over" in printed
    assert main(["forms", "validate", str(out)]) == 0


def test_a_file_that_is_not_an_xlsform_is_refused(tmp_path: Path) -> None:
    not_excel = tmp_path / "notes.xlsx"
    not_excel.write_text("hello")
    with pytest.raises(XlsFormError, match="not an Excel workbook"):
        import_xlsform(not_excel)
    book = openpyxl.Workbook()
    book.save(tmp_path / "empty.xlsx")
    with pytest.raises(XlsFormError, match="no 'survey' sheet"):
        import_xlsform(tmp_path / "empty.xlsx")
