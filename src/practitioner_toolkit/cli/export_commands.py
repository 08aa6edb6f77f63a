"""``ptk export`` (HTCDS 2.0 or analyst tables) and ``ptk export-check`` (check HTCDS files)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from practitioner_toolkit.cli.common import CliError, add_workspace_options, unlock
from practitioner_toolkit.cli.forms_commands import load_registry
from practitioner_toolkit.export import (
    FORMATS,
    ExportError,
    ExportFormat,
    ExportOptions,
    check_request,
    export_records,
    validate_htcds_file,
)
from practitioner_toolkit.forms import FormError, FormRegistry
from practitioner_toolkit.i18n.gettext import N_, _, ngettext
from practitioner_toolkit.store import SHAREABLE_FIELDS, CaseStatus


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="export cases as HTCDS 2.0 (CSV/JSON) or as a table for analysts (CSV/XLSX)",
        description=(
            "By default no personal detail is exported: each case is its pseudonymous "
            "reference and its coded screening findings. Details named with --include are "
            "added only for people who agreed to share them on a referral."
        ),
    )
    add_workspace_options(export)
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument(
        "--include",
        default="",
        metavar="DETAILS",
        help=f"comma-separated personal details to add: {','.join(SHAREABLE_FIELDS)}",
    )
    export.add_argument(
        "--status",
        default="",
        metavar="STATUSES",
        help="comma-separated case statuses (default: all): "
        + ",".join(s.value for s in CaseStatus),
    )
    export.add_argument(
        "--from", dest="opened_from", metavar="YYYY-MM-DD", help="cases opened on or after"
    )
    export.add_argument(
        "--to", dest="opened_to", metavar="YYYY-MM-DD", help="cases opened on or before"
    )
    export.add_argument(
        "--phone-country-code",
        metavar="CODE",
        help="country calling code for local agency phone numbers, e.g. 66",
    )
    export.add_argument(
        "--decision-org",
        metavar="KIND",
        help="HTCDS kind of the screening organisation for the trafficking status "
        "(Police, NGO, CourtOrProsecution, NonPoliceGovernmentalOrganization, Other)",
    )
    export.set_defaults(handler=_export)

    check = commands.add_parser(
        "export-check", help="check an HTCDS CSV or JSON file against the HTCDS field list"
    )
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=_check)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _statuses(text: str) -> tuple[CaseStatus, ...]:
    statuses: list[CaseStatus] = []
    for value in _split(text):
        try:
            statuses.append(CaseStatus(value))
        except ValueError:
            message = N_("Unknown case status {status}; choose from: {known}.")
            known = ", ".join(s.value for s in CaseStatus)
            raise CliError(_(message).format(status=value, known=known)) from None
    return tuple(statuses)


def _registry() -> FormRegistry:
    try:
        return load_registry()
    except FormError as exc:
        # The export still works without the forms: only the form titles are missing.
        message = N_("warning: the bundled forms could not be loaded ({count} problems)")
        print(f"ptk: {_(message).format(count=len(exc.problems))}", file=sys.stderr)
        return FormRegistry()


def _export(args: argparse.Namespace) -> int:
    export_format: ExportFormat = args.format
    options = ExportOptions(
        format=export_format,
        include_personal=_split(args.include),
        statuses=_statuses(args.status),
        opened_from=args.opened_from,
        opened_to=args.opened_to,
        phone_calling_code=args.phone_country_code,
        decision_org=args.decision_org,
    )
    try:
        check_request(args.out, options)
    except ExportError as exc:
        raise CliError(exc.translated()) from None
    registry = _registry()
    workspace = unlock(args)
    try:
        summary = export_records(workspace, registry, args.out, options)
    except ExportError as exc:
        raise CliError(exc.translated()) from None
    finally:
        workspace.lock()
    for note in summary.notes():
        print(note)
    print(_("Export saved to {path}").format(path=summary.path))
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        problems = validate_htcds_file(args.file)
    except ExportError as exc:
        raise CliError(exc.translated()) from None
    for problem in problems:
        print(problem.describe())
    if problems:
        count = len(problems)
        found = ngettext("{count} problem found.", "{count} problems found.", count)
        print(found.format(count=count), file=sys.stderr)
        return 1
    print(_("{file} follows the HTCDS field list.").format(file=args.file))
    return 0
