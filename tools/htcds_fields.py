"""Generate ``src/practitioner_toolkit/export/htcds_fields.json``: the HTCDS field list.

    python tools/htcds_fields.py            # write the JSON next to the export package
    python tools/htcds_fields.py --check    # exit 1 if the committed JSON is stale

Why a generated file: the HTCDS definitions live in the team's shared reference folder, which
does not ship with the app, while the export validator needs names, types and enumerations at
run time. The file is built from three sources, each field naming its own:

1. ``htcds-field-definitions.md`` (the HTCDS 2.0 "Field Definitions", CC BY 4.0), parsed:
   the ``MethodsOfControl*`` fields, the trafficking-status labels and the ISIC tier-1
   industry names.
2. ``CURATED`` below: fields the definitions file does not list but the shared
   ``screening-sources.md`` names (§1.3, §1.4, §2.8, §3.1), with value names as in IOM's
   public HTCDS field reference and survey toolkit (UNMigration/HTCDS, CC BY 4.0).
3. ISO code lists from Debian's ``iso-codes`` package (``/usr/share/iso-codes/json``):
   ISO 3166-1 countries and ISO 639-2 languages (with the two-letter ISO 639-1 codes they
   stand for), for format checks and for turning the toolkit's codes into HTCDS ones.

Fields the toolkit adds have the ``ptk_`` prefix and ``"standard": false``: they are never
passed off as HTCDS fields.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "practitioner_toolkit" / "export" / "htcds_fields.json"
REFERENCE_NAME = "htcds-field-definitions.md"
REFERENCE_CANDIDATES = (
    ROOT.parent / "shared" / "reference" / REFERENCE_NAME,
    Path("/work/shared/reference") / REFERENCE_NAME,
)
ISO_CODES = Path("/usr/share/iso-codes/json")
E164 = r"^\+?[1-9]\d{1,14}$"

DEFINITIONS_SOURCE = "HTCDS 2.0 Field Definitions (htcds-field-definitions.md)"
REFERENCE_SOURCE = "HTCDS field reference and survey toolkit (UNMigration/HTCDS, CC BY 4.0)"
EXTENSION_SOURCE = "Practitioner Toolkit extension (not part of HTCDS)"


def _values(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "label": label} for name, label in pairs]


# Fields named in the shared screening-sources.md; value names as in IOM's field reference.
CURATED: list[dict[str, Any]] = [
    {"name": "prs_FirstName", "label": "First Name", "type": "text"},
    {"name": "prs_SecondName", "label": "Second Name", "type": "text"},
    {
        "name": "prs_Gender",
        "label": "Gender",
        "type": "picklist",
        "values": _values(
            ("Feminine", "Feminine"),
            ("Masculine", "Masculine"),
            ("TransgenderFeminine", "Transgender Feminine"),
            ("TransgenderMasculine", "Transgender Masculine"),
            ("NonConforming", "Non-Conforming"),
            ("NonSpecifiedUnknown", "Not Specified/Unknown"),
        ),
    },
    {
        "name": "prs_Citizenship",
        "label": "Citizenship",
        "type": "multipicklist",
        "format": "iso3166-1-alpha2",
    },
    {
        "name": "prs_PrimaryLanguage",
        "label": "Primary Language",
        "type": "picklist",
        "format": "iso639-2",
    },
    {
        "name": "prs_SecondaryLanguage",
        "label": "Secondary Language",
        "type": "picklist",
        "format": "iso639-2",
    },
    {
        "name": "vic_TraffickingStatusDecisionMakingOrg",
        "label": "Trafficking Status Decision Making Organization",
        "type": "picklist",
        "values": _values(
            ("Police", "Police"),
            ("NGO", "NGO"),
            ("CourtOrProsecution", "Court or prosecution"),
            ("NonPoliceGovernmentalOrganization", "Non-police governmental organization"),
            ("Other", "Other"),
        ),
    },
    {
        "name": "vic_TypeOfExploitation",
        "label": "Type of Exploitation",
        "type": "multipicklist",
        "values": _values(
            ("ForcedLabour", "Forced labour"),
            ("SexualExploitation", "Sexual exploitation"),
            ("ChildLabour", "Child labour"),
            ("ForcedMarriage", "Forced marriage"),
            ("Servitude", "Servitude"),
            ("ForcedMilitaryByNonStateActors", "Forced military (by non-state actors)"),
            ("OrganRemoval", "Organ removal"),
            ("ForcedBegging", "Forced begging"),
            ("ForcedAdoption", "Forced adoption"),
            ("Surrogacy", "Surrogacy"),
            ("Other", "Other"),
        ),
    },
    {
        "name": "cas_Status",
        "label": "Status",
        "type": "picklist",
        "values": _values(
            ("Active", "Active"),
            ("FollowUp", "Follow Up"),
            ("Closed", "Closed"),
            ("ClosedReferred", "Closed Referred"),
        ),
    },
    {"name": "cas_ReferredOrganisation", "label": "Referred Organisation", "type": "text"},
    {"name": "cas_OutgoingReferralDate", "label": "Outgoing Referral Date", "type": "date"},
    {
        "name": "cas_ReasonForOutgoingReferral",
        "label": "Reason for Outgoing Referral",
        "type": "picklist",
        "values": _values(
            ("AdditionalServicesRequired", "Additional Services Required"),
            ("MigrationOrChangeOfLocation", "Migration or Change of Location"),
            ("Other", "Other"),
        ),
    },
    {
        "name": "cas_OutgoingReferralDetails",
        "label": "Outgoing Referral Details",
        "type": "longtext",
    },
    {"name": "org_Name", "label": "Organisation Name", "type": "text"},
    {
        "name": "org_Type",
        "label": "Type",
        "type": "picklist",
        "values": _values(
            ("NGO", "NGO"),
            ("LawEnforcement", "Law Enforcement"),
            ("HealthServiceOrganisation", "Health Service Organisation"),
            ("CentralGovernmentOrganisation", "Central Government Organisation"),
            ("LocalGovernmentOrganisation", "Local Government Organisation"),
            ("ImmigrationService", "Immigration Service"),
            ("LegalService", "Legal Service"),
            ("CorporateBusiness", "Corporate Business"),
        ),
    },
    {"name": "org_Phone", "label": "Phone", "type": "text", "format": "e164"},
    {"name": "con_Consent", "label": "Consent", "type": "boolean"},
]

# What the toolkit adds. Code lists hold the toolkit's own stable codes (lower_snake_case).
EXTENSIONS: list[dict[str, Any]] = [
    {"name": "ptk_CaseReference", "label": "Case reference (pseudonymous)", "type": "text"},
    {"name": "ptk_CaseOpenedDate", "label": "Case opened", "type": "date"},
    {"name": "ptk_TrainingData", "label": "Training data, not a real case", "type": "boolean"},
    {"name": "ptk_Alias", "label": "Alias", "type": "text"},
    {"name": "ptk_AgeAtIdentification", "label": "Age when screened", "type": "number"},
    {"name": "ptk_AgeUncertain", "label": "Age uncertain", "type": "boolean"},
    {"name": "ptk_ScreeningOutcomes", "label": "Screening outcome codes", "type": "codes"},
    {
        "name": "ptk_TypeOfExploitationOther",
        "label": "Type of exploitation recorded as Other (toolkit purpose codes)",
        "type": "codes",
    },
    {"name": "ptk_ReferralReference", "label": "Referral reference", "type": "text"},
    {"name": "ptk_ServicesRequested", "label": "Services requested", "type": "codes"},
    {"name": "ptk_Urgency", "label": "Urgency", "type": "codes"},
    {"name": "ptk_ConsentMethod", "label": "How consent was recorded", "type": "codes"},
    {"name": "ptk_ConsentStatements", "label": "Consent statements explained", "type": "codes"},
    {"name": "ptk_ConsentDate", "label": "Consent recorded", "type": "date"},
    {"name": "ptk_ScreeningSummary", "label": "Officer's screening summary", "type": "longtext"},
]


def find_reference(explicit: Path | None) -> Path:
    candidates = (explicit,) if explicit else REFERENCE_CANDIDATES
    for path in candidates:
        if path is not None and path.is_file():
            return path
    raise SystemExit(f"cannot find {REFERENCE_NAME}; pass --reference PATH")


def _table_rows(lines: list[str], heading: str) -> list[tuple[str, str]]:
    """The (first cell, second cell) rows of the first table under ``heading``."""
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == heading)
    except StopIteration:
        raise SystemExit(f"the reference has no section {heading!r}") from None
    rows: list[tuple[str, str]] = []
    in_table = False
    for line in lines[start + 1 :]:
        stripped = line.strip()
        if stripped.startswith("#") and in_table:
            break
        if not stripped.startswith("|"):
            if in_table:
                break
            continue
        in_table = True
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if len(cells) < 2 or set(cells[0]) <= {"-", ":"}:
            continue
        if cells[0] in ("Field Name", "Field Label"):
            continue
        rows.append((cells[0], " ".join(cells[1].split())))
    if not rows:
        raise SystemExit(f"the section {heading!r} has no table rows")
    return rows


def _camel(label: str) -> str:
    """'Possible victim of trafficking' -> 'PossibleVictimOfTrafficking' (HTCDS value names)."""
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", label))


def parse_reference(text: str) -> list[dict[str, Any]]:
    lines = text.splitlines()
    fields: list[dict[str, Any]] = []
    for name, definition in _table_rows(lines, "## Methods Of Control"):
        if not re.fullmatch(r"MethodsOfControl[A-Za-z]+", name):
            raise SystemExit(f"unexpected methods-of-control field {name!r}")
        words = re.findall(r"[A-Z][a-z]*", name.removeprefix("MethodsOfControl"))
        fields.append(
            {
                "name": f"vic_{name}",
                "label": "Methods of control: " + " ".join(words).lower(),
                "type": "boolean",
                "definition": definition,
                "source": DEFINITIONS_SOURCE,
            }
        )
    statuses = _table_rows(lines, "## Trafficking Status")
    fields.append(
        {
            "name": "vic_TraffickingStatus",
            "label": "Trafficking Status",
            "type": "picklist",
            "values": [
                {"name": _camel(label), "label": label, "definition": definition}
                for label, definition in statuses
            ],
            "source": DEFINITIONS_SOURCE,
        }
    )
    industries = _table_rows(lines, "## Labour Industry (TIER 1)")
    fields.append(
        {
            "name": "vic_ForcedLabourIndustry",
            "label": "Forced Labour Industry",
            "type": "multipicklist",
            "values": [
                {"name": name, "label": name.split("_", 1)[1], "definition": definition}
                for name, definition in industries
            ],
            "source": DEFINITIONS_SOURCE + "; ISIC rev. 4",
        }
    )
    return fields


def iso_lists(folder: Path) -> dict[str, Any]:
    try:
        countries = json.loads((folder / "iso_3166-1.json").read_text("utf-8"))["3166-1"]
        languages = json.loads((folder / "iso_639-2.json").read_text("utf-8"))["639-2"]
    except FileNotFoundError:
        raise SystemExit(
            f"ISO code lists not found in {folder}: install Debian's iso-codes package"
        ) from None
    codes_639_2: set[str] = set()
    for entry in languages:
        codes_639_2.add(entry["alpha_3"])
        if "bibliographic" in entry:
            codes_639_2.add(entry["bibliographic"])
    return {
        "iso3166-1-alpha2": sorted(c["alpha_2"] for c in countries),
        "iso3166-1-alpha3": {c["alpha_3"]: c["alpha_2"] for c in countries},
        "iso639-2": sorted(codes_639_2),
        "iso639-1-to-639-2": {e["alpha_2"]: e["alpha_3"] for e in languages if "alpha_2" in e},
    }


def _with_prefix(field: dict[str, Any], source: str, standard: bool) -> dict[str, Any]:
    prefix, _, _rest = field["name"].partition("_")
    entry: dict[str, Any] = {
        "name": field["name"],
        "prefix": prefix + "_",
        "label": field["label"],
        "type": field["type"],
        "standard": standard,
        "source": field.get("source", source),
    }
    for key in ("format", "values", "definition"):
        if key in field:
            entry[key] = field[key]
    return entry


def build(reference: Path, iso_folder: Path) -> dict[str, Any]:
    parsed = parse_reference(reference.read_text("utf-8"))
    fields = [_with_prefix(f, DEFINITIONS_SOURCE, True) for f in parsed]
    fields += [_with_prefix(f, REFERENCE_SOURCE, True) for f in CURATED]
    fields += [_with_prefix(f, EXTENSION_SOURCE, False) for f in EXTENSIONS]
    names = [f["name"] for f in fields]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SystemExit(f"fields defined twice: {duplicates}")
    return {
        "_generated": "by tools/htcds_fields.py; do not edit by hand",
        "standard": "HTCDS",
        "version": "2.0",
        "attribution": (
            "Field names, definitions and value lists: IOM Human Trafficking Case Data "
            "Standard (HTCDS), https://github.com/UNMigration/HTCDS, licensed CC BY 4.0. "
            "No endorsement by IOM is implied."
        ),
        "formats": {
            "e164": E164,
            "date": "YYYY-MM-DD (ISO 8601 calendar date)",
            "boolean_csv": ["TRUE", "FALSE"],
            "multi_value_separator_csv": ";",
            "codes": "lower_snake_case toolkit codes",
        },
        "codes": iso_lists(iso_folder),
        "fields": fields,
    }


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, help=f"path to {REFERENCE_NAME}")
    parser.add_argument("--iso-codes", type=Path, default=ISO_CODES, help="iso-codes json folder")
    parser.add_argument("--check", action="store_true", help="fail if the JSON is stale")
    args = parser.parse_args(argv)
    text = render(build(find_reference(args.reference), args.iso_codes))
    if args.check:
        current = OUTPUT.read_text("utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run python tools/htcds_fields.py")
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} is up to date")
        return 0
    OUTPUT.write_text(text, "utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
