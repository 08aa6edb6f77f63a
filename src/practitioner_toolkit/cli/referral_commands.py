"""``ptk referral export``: print a case's referral as a PDF, in any of the nine languages."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from practitioner_toolkit.cli.common import (
    PASSPHRASE_ENV,
    CliError,
    add_workspace_options,
    unlock,
)
from practitioner_toolkit.cli.forms_commands import load_registry
from practitioner_toolkit.forms import FormError, FormRegistry
from practitioner_toolkit.i18n import LANGUAGE_CODES
from practitioner_toolkit.referral import ReferralError, ReferralPdfOptions, export_referral_pdf
from practitioner_toolkit.store import Referral, Workspace

PDF_PASSWORD_ENV = "PTK_PDF_PASSWORD"  # noqa: S105 (the name of a variable)


def register(commands: Any) -> None:
    referral = commands.add_parser("referral", help="referral forms")
    sub = referral.add_subparsers(dest="referral_command", required=True, metavar="ACTION")
    export = sub.add_parser("export", help="print a case's referral as a PDF")
    add_workspace_options(export)
    export.add_argument("case", metavar="CASE_REFERENCE", help="the case reference")
    export.add_argument(
        "--lang", choices=LANGUAGE_CODES, required=True, help="the language of the receiving agency"
    )
    export.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    export.add_argument("--referral", metavar="REF", help="which referral, if the case has several")
    export.add_argument("--bilingual", action="store_true", help="add English to every label")
    export.add_argument("--page-size", choices=("A4", "Letter"), default="A4")
    export.add_argument(
        "--password-prompt",
        action="store_true",
        help=f"protect the PDF with a password (asked, or from {PDF_PASSWORD_ENV})",
    )
    export.set_defaults(handler=_export)


def read_pdf_password() -> str:
    """A password for the PDF: never the workspace passphrase, never echoed."""
    password = os.environ.get(PDF_PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise CliError(f"no terminal to ask for the PDF password; set {PDF_PASSWORD_ENV}")
        password = getpass.getpass("Password for the PDF: ")
        if getpass.getpass("Repeat it: ") != password:
            raise CliError("the two entries differ")
    if not password.strip():
        raise CliError("the PDF password cannot be empty")
    if password == os.environ.get(PASSPHRASE_ENV):
        raise CliError("use a PDF password that differs from the workspace passphrase")
    return password


def _pick_referral(workspace: Workspace, case_reference: str, wanted: str | None) -> Referral:
    case = workspace.cases.find_by_reference(case_reference)
    referrals = workspace.referrals.for_case(case.id)
    if not referrals:
        raise CliError(f"case {case.reference} has no referral yet")
    if wanted:
        for referral in referrals:
            if referral.reference.upper() == wanted.strip().upper():
                return referral
        raise CliError(f"case {case.reference} has no referral {wanted.strip()!r}")
    if len(referrals) > 1:
        listed = ", ".join(r.reference for r in referrals)
        raise CliError(
            f"case {case.reference} has several referrals; choose one with --referral ({listed})"
        )
    return referrals[0]


def _registry_for(referral: Referral) -> FormRegistry:
    """The bundled forms, loaded only if the sheet shows a screening (for its title)."""
    if "screening_summary" not in referral.shared_fields or not referral.session_id:
        return FormRegistry()
    try:
        return load_registry()
    except FormError as exc:
        # The paper must still go out: without the forms only the form's title is missing.
        print(
            f"ptk: warning: the bundled forms could not be loaded ({len(exc.problems)} "
            "problem(s)); the screening is named by its form id",
            file=sys.stderr,
        )
        return FormRegistry()


def _export(args: argparse.Namespace) -> int:
    password = read_pdf_password() if args.password_prompt else None
    workspace = unlock(args)
    try:
        referral = _pick_referral(workspace, args.case, args.referral)
        options = ReferralPdfOptions(
            language=args.lang,
            bilingual=args.bilingual,
            page_size=args.page_size,
            password=password,
        )
        try:
            export_referral_pdf(workspace, _registry_for(referral), referral.id, args.out, options)
        except ReferralError as exc:
            raise CliError(exc.translated()) from None
    finally:
        workspace.lock()
    protected = " (password-protected)" if password else ""
    print(f"Referral {referral.reference} saved to {args.out}{protected}")
    return 0
