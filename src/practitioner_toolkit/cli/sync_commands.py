"""``ptk sync``, ``ptk devices`` and ``ptk team``: file-based sync from the command line.

Output names devices, bundles and counts only; conflict values (which may be personal) are
shown only to supervisors, by ``ptk sync conflicts``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from practitioner_toolkit.cli.common import CliError, add_workspace_options, unlock
from practitioner_toolkit.store import Workspace
from practitioner_toolkit.sync import (
    TEAM_SUFFIX,
    BundleRejectedError,
    DeviceCard,
    SyncService,
    normalise_fingerprint,
)


def register(commands: Any) -> None:
    sync = commands.add_parser("sync", help="exchange records with the team as bundle files")
    sync_sub = sync.add_subparsers(dest="sync_command", required=True, metavar="ACTION")

    export = sync_sub.add_parser("export", help="write a bundle of the changes not yet sent")
    add_workspace_options(export)
    export.add_argument("--out", required=True, metavar="DIR", help="folder to write it to")
    export.add_argument("--all", action="store_true", help="everything, not only changes")
    export.set_defaults(handler=_sync_export)

    imp = sync_sub.add_parser("import", help="verify and apply bundle files")
    add_workspace_options(imp)
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.set_defaults(handler=_sync_import)

    status = sync_sub.add_parser("status", help="team, devices, pending changes, last bundles")
    add_workspace_options(status)
    status.set_defaults(handler=_sync_status)

    folder = sync_sub.add_parser("folder", help="sync once with a shared folder")
    add_workspace_options(folder)
    folder.add_argument("folder", nargs="?", metavar="DIR", help="default: the remembered one")
    folder.add_argument("--remember", action="store_true", help="remember DIR for next time")
    folder.set_defaults(handler=_sync_folder)

    conflicts = sync_sub.add_parser("conflicts", help="review and resolve conflicts (supervisor)")
    add_workspace_options(conflicts)
    conflicts.add_argument("--all", action="store_true", help="include resolved conflicts")
    conflicts.add_argument("--resolve", metavar="ID", help="the conflict to resolve")
    conflicts.add_argument(
        "--keep",
        choices=["current", "other", "kept"],
        help="current: leave the field; other: restore the losing value; "
        "kept: restore the value that first won",
    )
    conflicts.set_defaults(handler=_sync_conflicts)

    devices = commands.add_parser("devices", help="this device's card and the team's devices")
    dev_sub = devices.add_subparsers(dest="devices_command", required=True, metavar="ACTION")

    card = dev_sub.add_parser("card", help="write this device's card (and a QR code)")
    add_workspace_options(card)
    card.add_argument("--out", required=True, metavar="FILE")
    card.add_argument("--qr", metavar="FILE", help="also as a QR code (.png or .svg)")
    card.add_argument("--name", help="the device name shown to the team")
    card.set_defaults(handler=_devices_card)

    listing = dev_sub.add_parser("list", help="approved and revoked devices of the team")
    add_workspace_options(listing)
    listing.set_defaults(handler=_devices_list)

    approve = dev_sub.add_parser("approve", help="approve a device card (admin device)")
    add_workspace_options(approve)
    approve.add_argument("card", metavar="CARD")
    approve.add_argument("--fingerprint", help="the fingerprint the new device shows")
    approve.add_argument("--admin", action="store_true", help="as an admin device (founder)")
    approve.add_argument(
        "--team-file", metavar="FILE", help="also write the team file the device joins with"
    )
    approve.set_defaults(handler=_devices_approve)

    revoke = dev_sub.add_parser("revoke", help="revoke a device for good (admin device)")
    add_workspace_options(revoke)
    revoke.add_argument("device", metavar="DEVICE_ID")
    revoke.set_defaults(handler=_devices_revoke)

    team = commands.add_parser("team", help="create or join a sync team")
    team_sub = team.add_subparsers(dest="team_command", required=True, metavar="ACTION")

    create = team_sub.add_parser("create", help="found a team on this device (supervisor)")
    add_workspace_options(create)
    create.add_argument("name")
    create.set_defaults(handler=_team_create)

    export_team = team_sub.add_parser("export", help="write the team file for an approved device")
    add_workspace_options(export_team)
    export_team.add_argument("--for", dest="device", required=True, metavar="DEVICE_ID")
    export_team.add_argument("--out", required=True, metavar="FILE")
    export_team.set_defaults(handler=_team_export)

    join = team_sub.add_parser("join", help="join the team of a team file")
    add_workspace_options(join)
    join.add_argument("file", metavar="FILE")
    join.add_argument("--fingerprint", help="the team fingerprint the supervisor shows")
    join.set_defaults(handler=_team_join)


def _confirm_fingerprint(shown: str, given: str | None, what: str) -> None:
    """Make the user compare a fingerprint: the one step cryptography cannot do for them."""
    if given is not None:
        if normalise_fingerprint(given) != shown:
            raise CliError(f"the {what} fingerprint is {shown}, not {given}: stopped")
        return
    if not sys.stdin.isatty():
        raise CliError(f"compare the {what} fingerprint and pass it: --fingerprint {shown}")
    answer = input(
        f"The {what} fingerprint is {shown}. Does the other screen show the same? [y/N] "
    )
    if answer.strip().lower() not in ("y", "yes"):
        raise CliError("fingerprints not confirmed: stopped")


def _run(args: argparse.Namespace, action: Any) -> int:
    workspace = unlock(args)
    try:
        result: int = action(workspace, SyncService(workspace))
        return result
    finally:
        workspace.lock()


def _sync_export(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        result = service.export_bundle(Path(args.out), everything=args.all)
        if result is None:
            print("Nothing new to send.")
            return 0
        kind = "everything" if result.full else "changes"
        print(
            f"Wrote {result.path} ({kind}: {result.rows} records, {result.tombstones} "
            f"deletions, {result.conflicts} conflicts; {result.bytes} bytes; "
            f"for {result.recipients} devices)"
        )
        return 0

    return _run(args, action)


def _sync_import(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        failures = 0
        for name in args.files:
            path = Path(name)
            try:
                result = service.import_file(path)
            except BundleRejectedError as exc:
                failures += 1
                print(f"{path.name}: rejected ({exc.reason}): {exc}")
                continue
            if result.duplicate or result.outcome is None:
                print(f"{path.name}: already imported, nothing changed")
                continue
            outcome = result.outcome
            print(
                f"{path.name}: accepted from device {result.sender}: {outcome.rows} records "
                f"({outcome.fields_applied} fields changed), {outcome.tombstones_applied} "
                f"deletions, {outcome.conflicts_found} new conflicts"
            )
            for warning in result.warnings:
                print(f"  warning: {warning}")
        return 1 if failures else 0

    return _run(args, action)


def _sync_status(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        status = service.status()
        print(f"Device           {status.device_id} ({status.device_name})")
        print(f"Fingerprint      {status.fingerprint}")
        if status.team_id is None:
            print("Team             none (ptk team create NAME, or ptk team join FILE)")
            return 0
        role = "founder" if status.is_founder else "admin" if status.is_admin else "member"
        state = role if status.approved else "NOT APPROVED (revoked or keys changed)"
        print(f"Team             {status.team_name} ({status.team_id})")
        print(f"Team fingerprint {status.team_fingerprint}")
        print(f"This device      {state}")
        print(f"Devices          {status.devices} approved, {status.revoked_devices} revoked")
        if status.pending is not None:
            pending = status.pending
            print(
                f"Not yet sent     {pending.rows} records, {pending.tombstones} deletions, "
                f"{pending.conflicts} conflicts"
            )
        if status.last_export:
            print(f"Last export      {status.last_export.at} ({status.last_export.bundle_id})")
        if status.last_import:
            last = status.last_import
            print(f"Last import      {last.at} from {last.device} ({last.bundle_id})")
        print(f"Imported bundles {status.imported_bundles}")
        print(f"Open conflicts   {status.unresolved_conflicts}")
        print(f"Sync folder      {status.folder or 'none'}")
        return 0

    return _run(args, action)


def _sync_folder(args: argparse.Namespace) -> int:
    def action(ws: Workspace, service: SyncService) -> int:
        folder = args.folder or ws.sync_state.sync_folder()
        if not folder:
            raise CliError("name the folder: ptk sync folder DIR [--remember]")
        if args.remember:
            ws.sync_state.set_sync_folder(str(Path(folder).resolve()))
        report = service.sync_folder(Path(folder))
        if not report.reachable:
            print(f"The folder {folder} is not reachable now; nothing was done.")
            return 1
        if report.exported:
            print(f"sent: {report.exported.path.name} ({report.exported.rows} records)")
        for item in report.files:
            detail = f" ({item.reason}): {item.message}" if item.reason else ""
            print(f"{item.name}: {item.status}{detail}")
        print(f"{report.accepted} accepted, {report.rejected} rejected")
        if report.removed:
            print(f"{report.removed} old bundles of this device removed (every recipient has them)")
        return 1 if report.rejected else 0

    return _run(args, action)


def _sync_conflicts(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        if args.resolve:
            if not args.keep:
                raise CliError("say what to keep: --keep current|other|kept")
            conflict = service.resolve_conflict(args.resolve, args.keep)
            print(f"Resolved {conflict.id}: {conflict.resolution}")
            return 0
        conflicts = service.conflicts(include_resolved=args.all)
        if not conflicts:
            print("No conflicts to review.")
        for c in conflicts:
            state = f"resolved: {c.resolution}" if c.resolved_at else "open"
            print(f"{c.id}  {c.entity} {c.entity_id} field {c.field}  [{state}]")
            print(f"    kept  {c.kept_value!r}  ({c.kept_clock})")
            print(f"    other {c.lost_value!r}  ({c.lost_clock})")
        return 0

    return _run(args, action)


def _devices_card(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        if args.name:
            service.rename_device(args.name)
        card = service.write_card(Path(args.out), Path(args.qr) if args.qr else None)
        print(f"Card of device {card.device_id} ({card.name}) written to {args.out}")
        if args.qr:
            print(f"QR code written to {args.qr}")
        print(f"Fingerprint: {card.fingerprint}  (the supervisor compares it before approving)")
        return 0

    return _run(args, action)


def _devices_list(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        roster = service.roster()
        if roster is None:
            raise CliError("this device is not in a team yet")
        print(f"Team {roster.team_name} ({roster.fingerprint})")
        for entry in roster.active():
            founder = " founder" if entry.device_id == roster.founder.device_id else ""
            print(f"{entry.device_id}  {entry.role:<6}{founder}  {entry.fingerprint}  {entry.name}")
        for device_id, keys in sorted(roster.revoked.items()):
            if device_id not in roster.entries:
                print(f"{device_id}  REVOKED  {keys[0].fingerprint}  {keys[0].name}")
        return 0

    return _run(args, action)


def _devices_approve(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        try:
            card = DeviceCard.from_bytes(Path(args.card).read_bytes())
        except OSError as exc:
            raise CliError(f"cannot read {args.card}: {exc.strerror}") from None
        _confirm_fingerprint(card.fingerprint, args.fingerprint, "device")
        entry = service.approve_device(card, admin=args.admin)
        print(f"Approved device {entry.device_id} ({entry.name}) as {entry.role}")
        if args.team_file:
            Path(args.team_file).write_bytes(service.team_file_for(entry.device_id))
            print(f"Team file for it written to {args.team_file}")
        else:
            print(f"Give it its team file: ptk team export --for {entry.device_id} --out FILE")
        return 0

    return _run(args, action)


def _devices_revoke(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        service.revoke_device(args.device)
        print(f"Revoked device {args.device}; the team learns it from this device's bundles.")
        return 0

    return _run(args, action)


def _team_create(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        roster = service.create_team(args.name)
        print(f"Team {roster.team_name} created ({roster.team_id})")
        print(f"Team fingerprint: {roster.fingerprint}  (devices compare it when joining)")
        return 0

    return _run(args, action)


def _team_export(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        out = Path(args.out)
        if not out.suffix:
            out = out.with_suffix(TEAM_SUFFIX)
        out.write_bytes(service.team_file_for(args.device))
        print(f"Team file for device {args.device} written to {out}")
        return 0

    return _run(args, action)


def _team_join(args: argparse.Namespace) -> int:
    def action(_ws: Workspace, service: SyncService) -> int:
        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
        roster = service.read_team_file(data)
        _confirm_fingerprint(roster.fingerprint, args.fingerprint, "team")
        joined = service.join_team(data, expected_fingerprint=roster.fingerprint)
        print(f"Joined team {joined.team_name} ({len(joined.entries)} devices)")
        return 0

    return _run(args, action)
