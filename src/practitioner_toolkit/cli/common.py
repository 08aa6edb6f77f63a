"""What the command modules share: finding the workspace and asking for secrets."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from practitioner_toolkit import paths
from practitioner_toolkit.store import Workspace, list_workspaces

PASSPHRASE_ENV = "PTK_PASSPHRASE"  # noqa: S105 (the name of a variable)


class CliError(Exception):
    """A mistake in how a command was called, explained in one line."""


def add_workspace_options(parser: argparse.ArgumentParser, *, user: bool = True) -> None:
    parser.add_argument(
        "--workspace",
        metavar="PATH",
        help="workspace folder (default: the only workspace in the data folder)",
    )
    if user:
        parser.add_argument("--user", metavar="NAME", help="user name to unlock with")


def workspace_folder(args: argparse.Namespace) -> Path:
    if args.workspace:
        return Path(args.workspace)
    handles = list_workspaces(paths.workspaces_dir())
    if not handles:
        raise CliError("no workspace yet: create one with 'ptk init'")
    if len(handles) > 1:
        names = ", ".join(str(h.directory) for h in handles)
        raise CliError(f"several workspaces exist; choose one with --workspace ({names})")
    return handles[0].directory


def read_secret(prompt: str, *, confirm: bool = False) -> str:
    """From PTK_PASSPHRASE (scripts, CI) or asked at the terminal without echo."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env is not None:
        return from_env
    if not sys.stdin.isatty():
        raise CliError(f"no terminal to ask for the passphrase; set {PASSPHRASE_ENV}")
    secret = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat it: ") != secret:
        raise CliError("the two entries differ")
    return secret


def unlock(args: argparse.Namespace) -> Workspace:
    folder = workspace_folder(args)
    username = args.user
    if not username:
        handles = [h for h in list_workspaces(folder.parent) if h.directory == folder]
        users = handles[0].usernames if handles else ()
        if len(users) != 1:
            raise CliError("choose the user to unlock with: --user NAME")
        username = users[0]
    return Workspace.unlock(folder, username, read_secret(f"Passphrase for {username}: "))
