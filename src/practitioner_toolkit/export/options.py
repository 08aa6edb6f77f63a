"""What an export is asked to do, what it reports back, and the checks on the request."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from practitioner_toolkit.export.errors import ExportError
from practitioner_toolkit.export.fieldlist import load_field_list
from practitioner_toolkit.i18n.gettext import N_, _, ngettext
from practitioner_toolkit.store import SHAREABLE_FIELDS, CaseStatus

ExportFormat = Literal["htcds-csv", "htcds-json", "analyst-csv", "analyst-xlsx"]
FORMATS: tuple[str, ...] = get_args(ExportFormat)
SUFFIXES: dict[str, str] = {
    "htcds-csv": ".csv",
    "htcds-json": ".json",
    "analyst-csv": ".csv",
    "analyst-xlsx": ".xlsx",
}
# For a format picker; translate with ``_`` where shown.
FORMAT_LABELS: dict[str, str] = {
    "htcds-csv": N_("HTCDS 2.0 case data (CSV)"),
    "htcds-json": N_("HTCDS 2.0 case data (JSON)"),
    "analyst-csv": N_("Screening sessions for analysis (CSV)"),
    "analyst-xlsx": N_("Screening sessions for analysis (Excel)"),
}
DECISION_ORG_FIELD = "vic_TraffickingStatusDecisionMakingOrg"
_CALLING_CODE = re.compile(r"^[1-9]\d{0,2}$")


@dataclass(frozen=True)
class ExportOptions:
    """One export.

    ``include_personal`` lists personal details (from ``SHAREABLE_FIELDS``) to add; by
    default there are none and a case is known only by its pseudonymous reference. Even when
    chosen, a detail is written only for people who agreed to share it on a referral, as on
    the referral sheet. ``statuses`` (empty: all) and ``opened_from``/``opened_to`` (ISO
    dates, inclusive) select cases by status and by the day they were opened.
    ``phone_calling_code`` ("66") turns local agency numbers into E.164; without it only
    numbers already written internationally are kept. ``decision_org`` is the HTCDS kind
    of organisation that screens (e.g. "NGO"); without it that field stays empty.
    """

    format: ExportFormat
    include_personal: tuple[str, ...] = ()
    statuses: tuple[CaseStatus, ...] = ()
    opened_from: str | None = None
    opened_to: str | None = None
    phone_calling_code: str | None = None
    decision_org: str | None = None


@dataclass(frozen=True)
class ExportSummary:
    """What was written, and what was left out and why (counts only, never values)."""

    path: Path
    format: str
    cases: int
    sessions: int
    referrals: int
    rows: int
    personal_fields: tuple[str, ...]
    withheld_personal: int
    unmapped_nationalities: int
    unmapped_languages: int
    phones_omitted: int
    unreadable_outcomes: int
    missing_agencies: int
    training: bool

    def notes(self) -> list[str]:
        """Sentences for the person who exported, in the active language."""
        notes = [
            ngettext("{count} case exported.", "{count} cases exported.", self.cases).format(
                count=self.cases
            )
        ]
        # Literal ngettext calls, so that the catalog extraction sees each plural pair.
        if n := self.withheld_personal:
            notes.append(
                ngettext(
                    "{count} chosen personal detail was left out because the person had not "
                    "agreed to share it on a referral.",
                    "{count} chosen personal details were left out because the people had not "
                    "agreed to share them on a referral.",
                    n,
                ).format(count=n)
            )
        if n := self.unmapped_nationalities:
            notes.append(
                ngettext(
                    "{count} nationality could not be matched to a country code and is empty.",
                    "{count} nationalities could not be matched to a country code and are empty.",
                    n,
                ).format(count=n)
            )
        if n := self.unmapped_languages:
            notes.append(
                ngettext(
                    "{count} language has no ISO 639-2 code and was left out.",
                    "{count} languages have no ISO 639-2 code and were left out.",
                    n,
                ).format(count=n)
            )
        if n := self.phones_omitted:
            notes.append(
                ngettext(
                    "{count} agency phone number could not be written in international form "
                    "and was left out. Give the country calling code to convert local numbers.",
                    "{count} agency phone numbers could not be written in international form "
                    "and were left out. Give the country calling code to convert local numbers.",
                    n,
                ).format(count=n)
            )
        if n := self.unreadable_outcomes:
            notes.append(
                ngettext(
                    "{count} screening outcome could not be read and was left out.",
                    "{count} screening outcomes could not be read and were left out.",
                    n,
                ).format(count=n)
            )
        if n := self.missing_agencies:
            notes.append(
                ngettext(
                    "{count} referral names an agency that is no longer in the directory.",
                    "{count} referrals name an agency that is no longer in the directory.",
                    n,
                ).format(count=n)
            )
        if self.training:
            notes.append(_("This is a training workspace: every record is marked as training."))
        return notes


def check_request(out_path: Path, options: ExportOptions) -> None:
    """Everything that can be checked without a workspace: call before asking to unlock."""
    check_options(options)
    check_target(out_path, options.format)


def check_options(options: ExportOptions) -> None:
    """Reject a request that cannot be right, before anything is read or written."""
    if options.format not in FORMATS:
        raise ExportError(
            N_("Unknown export format {format}; choose one of: {known}."),
            format=str(options.format),
            known=", ".join(FORMATS),
        )
    unknown = sorted(set(options.include_personal) - set(SHAREABLE_FIELDS))
    if unknown:
        raise ExportError(
            N_("These personal details cannot be exported: {fields}. Choose from: {known}."),
            fields=", ".join(unknown),
            known=", ".join(SHAREABLE_FIELDS),
        )
    for status in options.statuses:
        if not isinstance(status, CaseStatus):
            raise ExportError(
                N_("Unknown case status {status}; choose from: {known}."),
                status=str(status),
                known=", ".join(s.value for s in CaseStatus),
            )
    start = _date(options.opened_from)
    end = _date(options.opened_to)
    if start and end and start > end:
        raise ExportError(N_("The start date is after the end date."))
    code = options.phone_calling_code
    if code is not None and not _CALLING_CODE.match(code):
        raise ExportError(
            N_("A country calling code is one to three digits without + or 0 first, e.g. 66.")
        )
    allowed = load_field_list().spec(DECISION_ORG_FIELD).values
    if options.decision_org is not None and options.decision_org not in allowed:
        raise ExportError(
            N_("Unknown kind of deciding organisation {value}; choose from: {known}."),
            value=options.decision_org,
            known=", ".join(allowed),
        )


def check_target(out_path: Path, export_format: str) -> None:
    suffix = SUFFIXES[export_format]
    if out_path.is_dir():
        raise ExportError(N_("Choose a file name for the export, not a folder."))
    if not out_path.parent.is_dir():
        raise ExportError(N_("The folder {folder} does not exist."), folder=str(out_path.parent))
    if out_path.suffix.lower() != suffix:
        raise ExportError(
            N_("A {format} export is saved as a {suffix} file."),
            format=export_format,
            suffix=suffix,
        )


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ExportError(
            N_("{value} is not a date; write dates as YYYY-MM-DD."), value=text
        ) from None
