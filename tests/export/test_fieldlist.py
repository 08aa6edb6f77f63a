"""The HTCDS field list, its generator, the validator, and the code conversions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from practitioner_toolkit.export import ExportError, htcds, load_field_list, validate_htcds_file
from practitioner_toolkit.export.codes import country_code, e164_phone, language_code
from practitioner_toolkit.forms.vocabulary import PALERMO_ELEMENTS

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tools" / "htcds_fields.py"
REFERENCE_CANDIDATES = (
    ROOT.parent / "shared" / "reference" / "htcds-field-definitions.md",
    Path("/work/shared/reference/htcds-field-definitions.md"),
)
ISO_CODES = Path("/usr/share/iso-codes/json/iso_3166-1.json")


def test_field_list_is_fresh_against_the_shared_reference() -> None:
    reference = next((p for p in REFERENCE_CANDIDATES if p.is_file()), None)
    if reference is None or not ISO_CODES.is_file():
        pytest.skip("the shared HTCDS reference or Debian's iso-codes is not on this machine")
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check", "--reference", str(reference)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_field_list_names_prefixes_types_and_enumerations() -> None:
    fields = load_field_list()
    assert fields.version == "2.0" and "CC BY 4.0" in fields.attribution
    controls = htcds.control_fields(fields)
    assert len(controls) == 17 and "vic_MethodsOfControlWithholdsDocuments" in controls
    for spec in fields.fields.values():
        assert spec.prefix in ("prs_", "vic_", "cas_", "org_", "con_", "ptk_"), spec.name
        assert spec.name.startswith(spec.prefix)
        assert spec.standard == (spec.prefix != "ptk_")
        assert spec.type in (
            "boolean",
            "picklist",
            "multipicklist",
            "text",
            "longtext",
            "date",
            "number",
            "codes",
        )
    status = fields.spec("vic_TraffickingStatus").values
    assert status == (
        "PossibleVictimOfTrafficking",
        "ActualVictimOfTrafficking",
        "NotAVictimOfTrafficking",
    )
    assert fields.spec("org_Phone").format == "e164"
    assert fields.spec("prs_Citizenship").format == "iso3166-1-alpha2"
    assert fields.spec("prs_PrimaryLanguage").format == "iso639-2"
    assert {"KH", "MM", "LA", "TH", "VN"} <= fields.countries and len(fields.countries) == 249
    assert {"khm", "mya", "bur", "lao", "tha", "vie", "ind", "msa", "fil"} <= fields.languages


def test_every_mapping_target_is_in_the_field_list() -> None:
    fields = load_field_list()
    targets = (
        set(htcds.INDICATOR_CONTROL.values())
        | set(htcds.GROUP_CONTROL.values())
        | set(htcds.MEANS_CONTROL.values())
    )
    for control in targets:
        assert htcds.CONTROL_PREFIX + control in fields.fields, control
    exploitation = fields.spec("vic_TypeOfExploitation").values
    assert set(htcds.PURPOSE_EXPLOITATION.values()) | {htcds.OTHER_EXPLOITATION} <= set(
        exploitation
    )
    assert set(htcds.PURPOSE_EXPLOITATION) <= set(PALERMO_ELEMENTS["purpose"])
    assert set(htcds.GENDER.values()) <= set(fields.spec("prs_Gender").values)
    assert set(htcds.ORGANISATION_TYPE.values()) <= set(fields.spec("org_Type").values)
    assert set(htcds.CASE_STATUS.values()) <= set(fields.spec("cas_Status").values)
    assert htcds.POSSIBLE_VICTIM in fields.spec("vic_TraffickingStatus").values
    used = set(
        htcds.case_columns(
            fields, ("given_name", "family_name", "alias", "sex", "age", "nationality", "languages")
        )
    )
    used |= set(htcds.referral_columns(("screening_summary",)))
    assert used <= set(fields.fields)


def test_validator_reports_each_kind_of_csv_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ptk_CaseReference,prs_Gender,prs_Citizenship,prs_PrimaryLanguage,org_Phone,"
        "cas_OutgoingReferralDate,con_Consent,vic_TypeOfExploitation,ptk_AgeAtIdentification,"
        "nickname,prs_Gender\n"
        "R1,Female,KHM,km,0812345678,26/03/2026,yes,ForcedLabour;Forced criminality,twenty,x,\n"
        "R2,Feminine,KH,khm,+66812345678,2026-02-30,TRUE,ForcedLabour,20,,\n"
        "R3,short\n",
        "utf-8",
    )
    problems = validate_htcds_file(bad)
    found = {(p.row, p.field) for p in problems}
    assert (None, "nickname") in found and (None, "prs_Gender") in found  # unknown, twice
    for field in (
        "prs_Gender",
        "prs_Citizenship",
        "prs_PrimaryLanguage",
        "org_Phone",
        "cas_OutgoingReferralDate",
        "con_Consent",
        "vic_TypeOfExploitation",
        "ptk_AgeAtIdentification",
    ):
        assert (1, field) in found, field
    assert (2, "cas_OutgoingReferralDate") in found  # 30 February
    assert {f for r, f in found if r == 2} == {"cas_OutgoingReferralDate"}
    assert (3, "*") in found
    text = "\n".join(p.describe() for p in problems)
    assert "record 1: org_Phone: not a phone number in international E.164 form" in text
    assert "“Female” is not one of the values HTCDS lists" in text
    assert "“KHM” is not an ISO 3166-1 two-letter country code" in text


def test_validator_reports_json_problems_in_nested_referrals(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "records": [
                    {
                        "ptk_CaseReference": "R1",
                        "vic_MethodsOfControlThreats": "TRUE",
                        "prs_Citizenship": "KH",
                        "vic_TraffickingStatus": "Presumed victim",
                        "referrals": [{"org_Phone": "+0123", "con_Consent": True}],
                    },
                    {"ptk_CaseReference": "R2", "prs_Citizenship": ["KH"], "referrals": []},
                ]
            }
        ),
        "utf-8",
    )
    problems = validate_htcds_file(bad)
    assert {(p.row, p.referral, p.field) for p in problems} == {
        (1, None, "vic_MethodsOfControlThreats"),
        (1, None, "prs_Citizenship"),
        (1, None, "vic_TraffickingStatus"),
        (1, 1, "org_Phone"),
    }
    assert "record 1, referral 1: org_Phone" in problems[-1].describe()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("x.txt", "", "Only .csv and .json"),
        ("x.csv", "", "no header row"),
        ("x.json", "{not json", "not valid JSON"),
        ("x.json", '{"cases": []}', "needs a list of records"),
    ],
)
def test_validator_refuses_what_is_not_an_export(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ExportError, match=expected):
        validate_htcds_file(path)
    with pytest.raises(ExportError, match="could not be read"):
        validate_htcds_file(tmp_path / "missing.csv")


@pytest.mark.parametrize(
    ("recorded", "code"),
    [
        ("Cambodian", "KH"),
        ("cambodia", "KH"),
        ("KH", "KH"),
        ("khm", "KH"),
        ("Myanmar (Burma)", "MM"),
        ("Burma", "MM"),
        ("  BURMESE ", "MM"),
        ("เมียนมา", "MM"),  # Thai
        ("ກຳປູເຈຍ", "KH"),  # Lao
        ("Lào", "LA"),  # Vietnamese
        ("Viet Nam", "VN"),
        ("Filipina", "PH"),
        ("Rohingya", None),
        ("stateless", None),
        ("", None),
        (None, None),
    ],
)
def test_nationality_to_iso_3166(recorded: str | None, code: str | None) -> None:
    assert country_code(load_field_list(), recorded) == code


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("km", "khm"),
        ("my", "mya"),
        ("ms", "msa"),
        ("fil", "fil"),
        ("zh-Hant", "zho"),
        ("ne", "nep"),
        ("shn", "shn"),  # Shan is in ISO 639-2
        ("rhg", None),  # Rohingya is ISO 639-3 only
        ("xx", None),
        ("", None),
    ],
)
def test_language_to_iso_639_2(language: str, code: str | None) -> None:
    assert language_code(load_field_list(), language) == code


@pytest.mark.parametrize(
    ("phone", "calling_code", "expected"),
    [
        ("+66 81 234 5678", None, "+66812345678"),
        ("0066 (2) 123-4567", None, "+6621234567"),
        ("02 123 4567", None, None),
        ("02 123 4567", "66", "+6621234567"),
        ("(1300)", "66", None),  # a hotline short code cannot be dialled from abroad
        ("02-123-4567 / 081-234-5678", "66", None),  # two numbers: left out, not cut
        ("+0 123 456", None, None),
        (None, "66", None),
    ],
)
def test_phone_to_e164(phone: str | None, calling_code: str | None, expected: str | None) -> None:
    result = e164_phone(load_field_list(), phone, calling_code)
    assert result == expected
    if result is not None:
        assert load_field_list().e164.match(result)
