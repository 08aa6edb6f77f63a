"""``ptk training init | reset``: workshops with fictional cases, apart from real data."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from practitioner_toolkit import paths
from practitioner_toolkit.cli.common import CliError, add_workspace_options, read_secret, unlock
from practitioner_toolkit.cli.forms_commands import load_registry
from practitioner_toolkit.store import folder_name_for


def register(commands: Any) -> None:
    training = commands.add_parser("training", help="training workspaces with fictional cases")
    sub = training.add_subparsers(dest="training_command", required=True, metavar="ACTION")
    init = sub.add_parser("init", help="create a training workspace filled with demo cases")
    init.add_argument("--name", default="Training workspace")
    init.add_argument("--user", required=True, help="the trainer's user name")
    init.add_argument("--display-name")
    init.add_argument("--workspace", metavar="PATH", help="folder (default: in the data folder)")
    init.set_defaults(handler=_init)
    reset = sub.add_parser("reset", help="delete all cases and load the demo cases again")
    add_workspace_options(reset)
    reset.set_defaults(handler=_reset)


def _init(args: argparse.Namespace) -> int:
    from practitioner_toolkit.training import create_training_workspace

    folder = (
        Path(args.workspace)
        if args.workspace
        else paths.workspaces_dir() / folder_name_for(f"training-{args.name}")
    )
    passphrase = read_secret(f"New passphrase for {args.user}: ", confirm=True)
    workspace, recovery_code = create_training_workspace(
        folder,
        name=args.name,
        username=args.user,
        display_name=args.display_name or args.user,
        passphrase=passphrase,
        registry=load_registry(),
    )
    cases = workspace.stats().cases
    workspace.lock()
    print(f"Training workspace created in {folder} with {cases} fictional cases.")
    print(f"Recovery code (training only): {recovery_code}")
    return 0


def _reset(args: argparse.Namespace) -> int:
    from practitioner_toolkit.training import reset_training_workspace

    workspace = unlock(args)
    try:
        if not workspace.info.training:
            raise CliError("this is not a training workspace; only training workspaces reset")
        count = reset_training_workspace(workspace, load_registry())
    finally:
        workspace.lock()
    print(f"Training workspace reset: {count} demo cases loaded.")
    return 0
