"""Exports of a test workspace: HTCDS conformity, data minimisation, formats, progress, errors."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from practitioner_toolkit.export import (
    ExportError,
    ExportOptions,
    export_records,
    htcds,
    load_field_list,
    validate_htcds_file,
)
from practitioner_toolkit.export.analyst import FLAG_COLUMNS, GROUP_COLUMNS
from practitioner_toolkit.store import SHAREABLE_FIELDS, CaseStatus, Workspace
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.export.conftest import (
    ALIAS,
    FAMILY_NAME,
    FORMULA_POST,
    GIVEN_NAME,
    REASON,
    SUMMARY,
    WITNESS,
    Populated,
    populate,
)

SECRETS = (GIVEN_NAME, FAMILY_NAME, ALIAS, SUMMARY, REASON, WITNESS, "Kyaw", "sensitive free-text")
PERSONAL_HTCDS_FIELDS = (
    "prs_FirstName",
    "prs_SecondName",
    "ptk_Alias",
    "prs_Gender",
    "prs_Citizenship",
    "prs_PrimaryLanguage",
    "prs_SecondaryLanguage",
    "ptk_AgeAtIdentification",
    "ptk_ScreeningSummary",
)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def _export(data: Populated, path: Path, **options: Any) -> Any:
    return export_records(data.workspace, data.registry, path, ExportOptions(**options))


def _json_records(path: Path) -> dict[str, dict[str, Any]]:
    document = json.loads(path.read_text("utf-8"))
    return {r["ptk_CaseReference"]: r for r in document["records"]}


def _file_text(path: Path) -> str:
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as archive:
            return "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    return path.read_text("utf-8-sig")


# -- HTCDS ---------------------------------------------------------------------------------


def test_htcds_json_validates_against_the_field_list_and_maps_the_findings(
    populated: Populated, out_dir: Path
) -> None:
    out = out_dir / "cases.json"
    summary = _export(populated, out, format="htcds-json", decision_org="NGO")
    assert validate_htcds_file(out) == []
    assert (summary.cases, summary.sessions, summary.referrals, summary.rows) == (4, 4, 3, 4)
    document = json.loads(out.read_text("utf-8"))
    assert document["standard"] == "HTCDS" and document["standard_version"] == "2.0"
    assert document["training"] is False
    records = _json_records(out)
    refs = populated.references
    a, b, c, d = (records[refs[k]] for k in "ABCD")

    assert a["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert a["vic_TraffickingStatusDecisionMakingOrg"] == "NGO"
    assert a["cas_Status"] == "FollowUp"
    controls = {k.removeprefix("vic_MethodsOfControl") for k, v in a.items() if v is True}
    assert controls >= {
        "WithholdsDocuments",  # documents_confiscated
        "RestrictsMovement",  # isolation
        "Threats",  # threats_of_violence
        "ExcessiveWorkingHours",  # excessive_hours
        "FalsePromises",  # deceptive recruitment, means: deception
    }
    assert a["vic_MethodsOfControlDebtBondage"] is None  # not found is unknown, never False
    assert a["vic_TypeOfExploitation"] == ["ForcedLabour"]
    assert a["ptk_ScreeningOutcomes"] == ["presumed_victim"]
    [referral] = a["referrals"]
    assert referral["cas_ReferredOrganisation"] == "Safe Harbour NGO"
    assert referral["org_Type"] == "NGO"
    assert referral["org_Phone"] is None  # local number, no calling code given
    assert referral["cas_ReasonForOutgoingReferral"] == "AdditionalServicesRequired"
    assert referral["ptk_ServicesRequested"] == ["shelter", "medical"]
    assert referral["con_Consent"] is True
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", referral["cas_OutgoingReferralDate"])
    assert referral["ptk_ConsentDate"] == "2026-03-01"
    assert referral["ptk_ConsentStatements"] == ["purpose", "data_use", "sharing"]

    # The child: not presumed, status empty (never "not a victim"); no consent recorded.
    assert b["vic_TraffickingStatus"] is None
    assert b["vic_TraffickingStatusDecisionMakingOrg"] is None
    assert b["referrals"][0]["con_Consent"] is False
    assert b["referrals"][0]["org_Phone"] == "+66812345678"
    assert c["ptk_ScreeningOutcomes"] == ["unable_to_complete"] and c["referrals"] == []

    # Closed after a referral; purposes without an HTCDS value go to Other with a note.
    assert d["cas_Status"] == "ClosedReferred"
    assert d["vic_TypeOfExploitation"] == ["ForcedLabour", "Other", "SexualExploitation"]
    assert d["ptk_TypeOfExploitationOther"] == ["forced_criminality"]
    assert d["vic_MethodsOfControlPhysicalAbuse"] is True  # means: use of force
    assert d["referrals"][0]["cas_ReasonForOutgoingReferral"] == "MigrationOrChangeOfLocation"
    assert d["referrals"][0]["org_Type"] is None  # "shelter" has no HTCDS organisation type

    text = out.read_text("utf-8")
    assert "NotAVictimOfTrafficking" not in text and "ActualVictimOfTrafficking" not in text
    for key in PERSONAL_HTCDS_FIELDS:
        assert key not in text


def test_htcds_csv_validates_has_one_row_per_referral_and_no_personal_columns(
    populated: Populated, out_dir: Path
) -> None:
    out = out_dir / "cases.csv"
    summary = _export(populated, out, format="htcds-csv", phone_calling_code="66")
    assert validate_htcds_file(out) == []
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # machine interchange: plain UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert len(rows) == summary.rows == 4  # A, B, D one referral each; C none
    header = set(rows[0])
    assert not header & set(PERSONAL_HTCDS_FIELDS)
    fields = load_field_list()
    assert header <= set(fields.fields)
    by_ref = {r["ptk_CaseReference"]: r for r in rows}
    a = by_ref[populated.references["A"]]
    assert a["org_Phone"] == "+6621234567"  # converted with the calling code
    assert a["vic_MethodsOfControlWithholdsDocuments"] == "TRUE"
    assert a["vic_MethodsOfControlDebtBondage"] == ""
    assert a["ptk_ServicesRequested"] == "shelter;medical"
    assert by_ref[populated.references["D"]]["org_Phone"] == ""  # a short code is not E.164
    assert summary.phones_omitted == 1
    assert "TRUE" in {r["vic_MethodsOfControlExcessiveWorkingHours"] for r in rows}


@pytest.mark.parametrize(
    "export_format", ["htcds-json", "htcds-csv", "analyst-csv", "analyst-xlsx"]
)
def test_no_personal_data_leaves_by_default(
    populated: Populated, out_dir: Path, export_format: str
) -> None:
    suffix = {"htcds-json": ".json", "analyst-xlsx": ".xlsx"}.get(export_format, ".csv")
    out = out_dir / f"export{suffix}"
    summary = _export(populated, out, format=export_format)
    text = _file_text(out)
    for secret in SECRETS:
        assert secret not in text, secret
    assert "Cambodian" not in text and "1999" not in text
    assert summary.personal_fields == ()
    assert summary.withheld_personal == 0
    assert sorted(p.name for p in out_dir.iterdir()) == [out.name]


def test_personal_details_only_when_chosen_and_agreed(populated: Populated, out_dir: Path) -> None:
    out = out_dir / "cases.json"
    summary = _export(populated, out, format="htcds-json", include_personal=SHAREABLE_FIELDS)
    assert validate_htcds_file(out) == []
    records = _json_records(out)
    a, b, c, d = (records[populated.references[k]] for k in "ABCD")
    # A agreed to share these...
    assert a["prs_FirstName"] == GIVEN_NAME
    assert a["prs_Gender"] == "Feminine"
    assert a["prs_Citizenship"] == ["KH"]
    assert (a["prs_PrimaryLanguage"], a["prs_SecondaryLanguage"]) == ("khm", "tha")
    assert isinstance(a["ptk_AgeAtIdentification"], int)
    assert a["referrals"][0]["ptk_ScreeningSummary"] == SUMMARY
    # ...but not these.
    assert a["prs_SecondName"] is None and a["ptk_Alias"] is None
    # The child's referral carried no consent: nothing personal, not even the summary.
    assert all(b[k] is None for k in PERSONAL_HTCDS_FIELDS if k in b)
    assert b["referrals"][0]["ptk_ScreeningSummary"] is None
    # No referral at all: nothing personal.
    assert c["prs_Gender"] is None
    # D shared sex and nationality; the nationality has no country code.
    assert d["prs_Gender"] == "NonConforming"
    assert d["prs_Citizenship"] is None
    assert d["prs_PrimaryLanguage"] is None  # Rohingya has no ISO 639-2 code
    assert summary.unmapped_nationalities == 1 and summary.unmapped_languages == 1
    # Left out for lack of agreement: A's family name and alias; B's five recorded details
    # and summary; C's sex.
    assert summary.withheld_personal == 2 + 6 + 1
    text = out.read_text("utf-8")
    assert FAMILY_NAME not in text and ALIAS not in text and "Kyaw" not in text
    assert REASON not in text and WITNESS not in text
    notes = summary.notes()
    assert notes[0] == "4 cases exported."
    assert any("not agreed to share" in n for n in notes)
    assert any("could not be matched to a country code" in n for n in notes)


def test_htcds_csv_with_personal_columns_still_validates(
    populated: Populated, out_dir: Path
) -> None:
    out = out_dir / "cases.csv"
    _export(populated, out, format="htcds-csv", include_personal=("sex", "nationality", "age"))
    assert validate_htcds_file(out) == []
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert {"prs_Gender", "prs_Citizenship", "ptk_AgeAtIdentification"} <= set(rows[0])
    assert "prs_FirstName" not in rows[0]
    genders = {r["ptk_CaseReference"]: r["prs_Gender"] for r in rows}
    assert genders[populated.references["A"]] == "Feminine"
    assert genders[populated.references["B"]] == ""


def test_filters_select_cases_by_status_and_opening_date(
    populated: Populated, out_dir: Path
) -> None:
    closed = out_dir / "closed.json"
    _export(populated, closed, format="htcds-json", statuses=(CaseStatus.CLOSED,))
    assert list(_json_records(closed)) == [populated.references["D"]]
    none = out_dir / "none.csv"
    summary = _export(populated, none, format="htcds-csv", opened_to="2000-01-01")
    assert summary.cases == 0 and summary.rows == 0
    assert validate_htcds_file(none) == []
    assert len(none.read_text("utf-8").splitlines()) == 1  # the header only
    today = populated.workspace.cases.list_cases().cases[0].opened_at[:10]
    every = out_dir / "today.json"
    assert _export(populated, every, format="htcds-json", opened_from=today).cases == 4


# -- analyst -------------------------------------------------------------------------------


def test_analyst_csv_one_row_per_session_with_bom_and_codes(
    populated: Populated, out_dir: Path
) -> None:
    out = out_dir / "sessions.csv"
    summary = _export(populated, out, format="analyst-csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == summary.rows == 4
    by_ref = {r["case_ref"]: r for r in rows}
    a = by_ref[populated.references["A"]]
    assert a["form_id"] == "mini-screening" and a["form_title"] == "Mini screening"
    assert a["outcome"] == "presumed_victim" and a["interpreter_used"] == "1"
    assert a["delphi_coercion_at_destination"] == "1"
    assert a["delphi_deceptive_recruitment"] == "0"
    assert a["ilo_debt_bondage"] == ""  # this form's rule does not use the ILO-11 groups
    assert a["referral_services"] == "shelter;medical" and a["referral_count"] == "1"
    assert a["elements_purpose"] == "forced_labour"
    c = by_ref[populated.references["C"]]
    assert c["flag_consent_refused"] == "1" and c["referral_count"] == "0"
    assert c["post"] == "'" + FORMULA_POST  # a spreadsheet must not run it
    assert not {"given_name", "sex", "age", "nationality"} & set(rows[0])
    assert set(GROUP_COLUMNS) | set(FLAG_COLUMNS) <= set(rows[0])


def test_analyst_xlsx_opens_with_openpyxl(populated: Populated, out_dir: Path) -> None:
    out = out_dir / "sessions.xlsx"
    summary = _export(populated, out, format="analyst-xlsx", include_personal=("sex", "age"))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["sessions", "about"]
    sheet = book["sessions"]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, body = table[0], table[1:]
    assert len(body) == summary.rows == 4
    assert {"sex", "age", "age_uncertain"} <= set(header)
    by_ref = {row[header.index("case_ref")]: row for row in body}
    a = by_ref[populated.references["A"]]
    assert a[header.index("sex")] == "female"
    assert isinstance(a[header.index("age")], int)
    assert a[header.index("interpreter_used")] == 1
    formula_cell = sheet.cell(
        row=2 + [r[header.index("case_ref")] for r in body].index(populated.references["C"]),
        column=1 + header.index("post"),
    )
    assert formula_cell.value == FORMULA_POST and formula_cell.data_type == "s"
    about = dict(book["about"].iter_rows(min_row=2, values_only=True))
    assert about["cases"] == 4 and about["training"] == 0


# -- progress, atomicity, errors -----------------------------------------------------------


def test_progress_reports_every_case_and_the_writing(populated: Populated, out_dir: Path) -> None:
    calls: list[tuple[int, int]] = []
    export_records(
        populated.workspace,
        populated.registry,
        out_dir / "cases.json",
        ExportOptions(format="htcds-json"),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_cancelling_from_progress_writes_nothing(populated: Populated, out_dir: Path) -> None:
    out = out_dir / "cases.json"
    out.write_text("the previous export")

    def cancel(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_records(
            populated.workspace,
            populated.registry,
            out,
            ExportOptions(format="htcds-json"),
            progress=cancel,
        )
    assert out.read_text() == "the previous export"
    assert sorted(p.name for p in out_dir.iterdir()) == ["cases.json"]


@pytest.mark.parametrize(
    ("options", "path", "expected"),
    [
        ({"format": "pdf"}, "x.pdf", "Unknown export format pdf"),
        ({"format": "htcds-json", "include_personal": ("passport",)}, "x.json", "passport"),
        ({"format": "htcds-json", "statuses": ("open",)}, "x.json", "Unknown case status"),
        ({"format": "htcds-json", "opened_from": "01/03/2026"}, "x.json", "is not a date"),
        (
            {"format": "htcds-json", "opened_from": "2026-03-02", "opened_to": "2026-03-01"},
            "x.json",
            "start date is after",
        ),
        ({"format": "htcds-json", "phone_calling_code": "+66"}, "x.json", "calling code"),
        ({"format": "htcds-json", "decision_org": "Army"}, "x.json", "deciding organisation"),
        ({"format": "analyst-xlsx"}, "x.csv", "saved as a .xlsx file"),
        ({"format": "htcds-csv"}, "missing/x.csv", "does not exist"),
    ],
)
def test_bad_options_give_clear_errors(
    populated: Populated, out_dir: Path, options: dict[str, Any], path: str, expected: str
) -> None:
    with pytest.raises(ExportError) as caught:
        export_records(
            populated.workspace, populated.registry, out_dir / path, ExportOptions(**options)
        )
    assert expected in str(caught.value)
    assert expected in caught.value.translated()  # English is the active language in tests
    assert list(out_dir.iterdir()) == []


def test_a_folder_is_not_a_file_name(populated: Populated, out_dir: Path) -> None:
    folder = out_dir / "out.csv"
    folder.mkdir()
    with pytest.raises(ExportError, match="not a folder"):
        _export(populated, folder, format="analyst-csv")


def test_a_locked_workspace_is_refused(populated: Populated, out_dir: Path) -> None:
    populated.workspace.lock()
    with pytest.raises(ExportError, match="locked"):
        _export(populated, out_dir / "x.json", format="htcds-json")


def test_a_training_workspace_marks_every_record(tmp_path: Path, out_dir: Path) -> None:
    ws, _code = Workspace.create(
        tmp_path / "training",
        name="Training room",
        username="trainer",
        display_name="Trainer",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
        training=True,
    )
    try:
        data = populate(ws)
        out = out_dir / "training.csv"
        summary = _export(data, out, format="htcds-csv")
    finally:
        ws.lock()
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert {r["ptk_TrainingData"] for r in rows} == {"TRUE"}
    assert summary.training and "training workspace" in summary.notes()[-1]


def test_a_mapping_bug_is_caught_before_anything_is_written(
    populated: Populated, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(htcds.GENDER, "female", "Female")  # not an HTCDS value
    for name in ("cases.json", "cases.csv"):
        with pytest.raises(ExportError, match="failed its own HTCDS check"):
            _export(
                populated,
                out_dir / name,
                format=f"htcds-{name[-4:].strip('.')}",
                include_personal=("sex",),
            )
    assert list(out_dir.iterdir()) == []


def test_every_export_is_recorded_in_the_audit_log(populated: Populated, out_dir: Path) -> None:
    _export(populated, out_dir / "cases.json", format="htcds-json")
    entry = populated.workspace.audit_entries(1)[0]
    assert (entry.action, entry.detail) == ("export", "htcds-json cases=4")
    assert populated.workspace.verify_audit_log().ok
