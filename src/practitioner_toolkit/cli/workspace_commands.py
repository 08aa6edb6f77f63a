"""``ptk init``, ``unlock-check``, ``users``, ``audit verify``, ``stats``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from practitioner_toolkit import paths
from practitioner_toolkit.cli.common import (
    CliError,
    add_workspace_options,
    read_secret,
    unlock,
    workspace_folder,
)
from practitioner_toolkit.store import Role, Workspace, folder_name_for


def register(commands: Any) -> None:
    init = commands.add_parser("init", help="create a workspace and its first supervisor")
    init.add_argument("--name", required=True, help="workspace name, e.g. the post or office")
    init.add_argument("--user", required=True, help="the supervisor's user name")
    init.add_argument("--display-name", help="the supervisor's full name (default: user name)")
    init.add_argument("--workspace", metavar="PATH", help="folder (default: in the data folder)")
    init.set_defaults(handler=_init)

    check = commands.add_parser("unlock-check", help="check that a passphrase opens the workspace")
    add_workspace_options(check)
    check.add_argument("--full", action="store_true", help="also verify every page (slow)")
    check.set_defaults(handler=_unlock_check)

    users = commands.add_parser("users", help="manage user accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = users_sub.add_parser("add", help="add an account (supervisors only)")
    add_workspace_options(add)
    add.add_argument("username")
    add.add_argument("--display-name", required=True)
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.SCREENER.value)
    add.set_defaults(handler=_users_add)
    passwd = users_sub.add_parser("passwd", help="change a passphrase")
    add_workspace_options(passwd)
    passwd.add_argument("username", nargs="?", help="whose passphrase (default: your own)")
    passwd.set_defaults(handler=_users_passwd)
    listing = users_sub.add_parser("list", help="list accounts")
    add_workspace_options(listing)
    listing.set_defaults(handler=_users_list)

    audit = commands.add_parser("audit", help="the audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = audit_sub.add_parser("verify", help="check the hash chain of the audit log")
    add_workspace_options(verify)
    verify.set_defaults(handler=_audit_verify)

    selfcheck = commands.add_parser(
        "self-check", help="run a throw-away workspace, form and PDF end to end"
    )
    selfcheck.add_argument("--lang", default="km", help="language of the test PDF")
    selfcheck.set_defaults(handler=_self_check)

    stats = commands.add_parser("stats", help="counts and sizes (no personal data)")
    add_workspace_options(stats)
    stats.set_defaults(handler=_stats)


def _init(args: argparse.Namespace) -> int:
    folder = (
        paths.workspaces_dir() / folder_name_for(args.name)
        if not args.workspace
        else Path(args.workspace)
    )
    passphrase = read_secret(f"New passphrase for {args.user}: ", confirm=True)
    workspace, recovery_code = Workspace.create(
        folder,
        name=args.name,
        username=args.user,
        display_name=args.display_name or args.user,
        passphrase=passphrase,
    )
    workspace.lock()
    print(f"Workspace created in {folder}")
    print()
    print("RECOVERY CODE (shown once; print it or write it down and keep it locked away):")
    print(f"    {recovery_code}")
    print("Without this code or a passphrase, the data cannot be recovered by anyone.")
    return 0


def _unlock_check(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    workspace = unlock(args)
    elapsed = time.perf_counter() - started
    try:
        problems = workspace.check_integrity() if args.full else []
        print(f"Unlocked {workspace.info.name!r} as {workspace.user.username} in {elapsed:.2f} s")
        if problems:
            for problem in problems:
                print(f"integrity: {problem}")
            return 1
        if args.full:
            print("Every page checked: the file is intact.")
    finally:
        workspace.lock()
    return 0


def _users_add(args: argparse.Namespace) -> int:
    workspace = unlock(args)
    try:
        passphrase = read_secret(f"New passphrase for {args.username}: ", confirm=True)
        user = workspace.users.add(args.username, args.display_name, Role(args.role), passphrase)
        print(f"Added {user.username} ({user.role.value})")
    finally:
        workspace.lock()
    return 0


def _users_passwd(args: argparse.Namespace) -> int:
    workspace = unlock(args)
    try:
        target = args.username or workspace.user.username
        current = ""
        if target == workspace.user.username:
            current = read_secret("Current passphrase: ")
        new = read_secret(f"New passphrase for {target}: ", confirm=True)
        if new == current:
            raise CliError("the new passphrase is the same as the current one")
        workspace.users.change_passphrase(target, current, new)
        print(f"Passphrase changed for {target}")
    finally:
        workspace.lock()
    return 0


def _users_list(args: argparse.Namespace) -> int:
    workspace = unlock(args)
    try:
        for user in workspace.users.list():
            state = "" if user.active else " (deactivated)"
            print(f"{user.username:<24} {user.role.value:<11} {user.display_name}{state}")
    finally:
        workspace.lock()
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    workspace = unlock(args)
    try:
        result = workspace.verify_audit_log()
    finally:
        workspace.lock()
    if result.ok:
        print(f"Audit log intact: {result.entries_checked} entries, every link verified.")
        return 0
    print(
        f"Audit log BROKEN at entry {result.first_broken_seq}: {result.problem} "
        f"({result.entries_checked} entries before it are intact)."
    )
    return 1


def _stats(args: argparse.Namespace) -> int:
    workspace = unlock(args)
    try:
        stats = workspace.stats()
        info = workspace.info
    finally:
        workspace.lock()
    print(f"Workspace        {info.name}{' (training)' if info.training else ''}")
    print(f"Folder           {workspace_folder(args)}")
    print(f"Schema version   {stats.schema_version}")
    for label, value in (
        ("Cases", stats.cases),
        ("Open cases", stats.open_cases),
        ("Sessions", stats.sessions),
        ("Answers", stats.answers),
        ("Referrals", stats.referrals),
        ("Agencies", stats.agencies),
        ("Active users", stats.users),
        ("Audit entries", stats.audit_entries),
        ("Open conflicts", stats.unresolved_conflicts),
    ):
        print(f"{label:<16} {value}")
    print(f"File size        {stats.file_bytes / 1_048_576:.1f} MiB")
    return 0


def _self_check(args: argparse.Namespace) -> int:
    from practitioner_toolkit.selfcheck import run_self_check

    for line in run_self_check(args.lang).lines():
        print(line)
    print("Self-check passed.")
    return 0
