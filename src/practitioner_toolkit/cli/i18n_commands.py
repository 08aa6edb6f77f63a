"""``ptk i18n status``: how complete and how reviewed every language is."""

from __future__ import annotations

import argparse
from typing import Any

from practitioner_toolkit import paths
from practitioner_toolkit.i18n.status import language_status


def register(commands: Any) -> None:
    i18n = commands.add_parser("i18n", help="translations")
    sub = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    status = sub.add_parser("status", help="per language: translated and reviewed, UI and forms")
    status.add_argument("--strict", action="store_true", help="fail unless all are 100% translated")
    status.set_defaults(handler=_status)


def _status(args: argparse.Namespace) -> int:
    rows = language_status(paths.translations_dir(), paths.forms_dir())
    print(
        f"{'lang':<5} {'UI translated':>14} {'UI reviewed':>12} {'forms translated':>17} "
        f"{'forms reviewed':>15}"
    )
    incomplete = False
    for row in rows:
        print(
            f"{row.code:<5} {row.ui_translated:>13.0%} {row.ui_reviewed:>12.0%} "
            f"{row.forms_translated:>16.0%} {row.forms_reviewed:>15.0%}"
        )
        incomplete |= row.ui_translated < 1 or row.forms_translated < 1
    print()
    print("Reviewed: checked by a native speaker. Unreviewed translations are used, and marked")
    print("fuzzy in the catalogs and 'unreviewed' in the form files until someone checks them.")
    return 1 if args.strict and incomplete else 0
