"""``ptk``: headless commands for set-up, checks, forms, referrals and sync.

Each command module registers its sub-commands; ``main`` parses, runs, and turns known errors
into a one-line message and a non-zero exit status (never a traceback for a user's mistake).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from practitioner_toolkit import __version__
from practitioner_toolkit.cli import (
    export_commands,
    forms_commands,
    i18n_commands,
    referral_commands,
    sync_commands,
    training_commands,
    workspace_commands,
)
from practitioner_toolkit.cli.common import CliError
from practitioner_toolkit.forms import FormError
from practitioner_toolkit.logs import disable_core_dumps
from practitioner_toolkit.store import StoreError

COMMAND_MODULES = [
    workspace_commands,
    forms_commands,
    i18n_commands,
    referral_commands,
    sync_commands,
    export_commands,
    training_commands,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ptk",
        description="Practitioner Toolkit: headless commands.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    disable_core_dumps()
    try:
        result: int = args.handler(args)
        return result
    except (CliError, StoreError) as exc:
        print(f"ptk: {exc}", file=sys.stderr)
        return 2
    except FormError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("ptk: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
