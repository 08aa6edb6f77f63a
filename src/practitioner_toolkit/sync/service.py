"""SyncService: device identity, team membership, export, import and folder sync.

One service per unlocked workspace. Every method may run on a background thread (the store
serialises database access; the service serialises its own exports and imports), and none
touches the UI: ``sync_folder`` reports progress through a plain callback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store import (
    BundleRecord,
    Conflict,
    DeviceKeys,
    ImportOutcome,
    IncomingBundle,
    PendingCounts,
    TeamRecord,
    Workspace,
    parse_hlc,
)
from practitioner_toolkit.store.atomic import atomic_write_bytes
from practitioner_toolkit.sync import crypto
from practitioner_toolkit.sync.bundle import (
    SUFFIX,
    BundleContent,
    decode_payload,
    encode_payload,
    file_name,
    hlc_range,
    open_envelope,
    parse_file_name,
    read_header,
    seal_bundle,
)
from practitioner_toolkit.sync.cards import DeviceCard
from practitioner_toolkit.sync.errors import (
    BadSignatureError,
    BundleRejectedError,
    MalformedBundleError,
    NotForThisDeviceError,
    RevokedDeviceError,
    SyncError,
    TruncatedError,
    UnknownDeviceError,
    WrongTeamError,
)
from practitioner_toolkit.sync.roster import (
    Roster,
    RosterEntry,
    evaluate,
    make_statement,
    statement_id,
)

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; stages: "export", "import" (files), "apply" (records)."""

TEAM_MAGIC = b"\x89PTKT\r\n\x1a"
TEAM_FORMAT_VERSION = 1
TEAM_SUFFIX = ".ptkteam"
CARD_SUFFIX = ".ptkcard"
MAX_TEAM_FILE_BYTES = 1 << 20
CLOCK_AHEAD_WARNING_MS = 5 * 60 * 1000
_TEAM_PREFIX = struct.Struct(">8sH")


@dataclass(frozen=True)
class DeviceIdentity:
    """This device's keys (secret halves included: never log or display this object)."""

    device_id: str
    name: str
    sign_seed: bytes = field(repr=False)
    box_secret: bytes = field(repr=False)
    sign_key: bytes
    box_key: bytes

    @property
    def card(self) -> DeviceCard:
        return DeviceCard(self.device_id, self.name, self.sign_key, self.box_key)

    @property
    def fingerprint(self) -> str:
        return crypto.fingerprint(self.sign_key, self.box_key)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bundle_id: str
    rows: int
    tombstones: int
    conflicts: int
    bytes: int
    full: bool
    recipients: int
    seq_from: int
    seq_to: int


@dataclass(frozen=True)
class ImportResult:
    name: str
    bundle_id: str
    sender: str
    duplicate: bool
    outcome: ImportOutcome | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileResult:
    """What happened to one file of a sync folder."""

    name: str
    status: str  # accepted, duplicate, rejected, incomplete, not-for-this-device, unreadable
    reason: str | None = None
    message: str | None = None
    rows: int = 0
    conflicts: int = 0
    warnings: tuple[str, ...] = ()
    repeated: bool = False  # the same refusal as at an earlier sync of this session


@dataclass(frozen=True)
class SyncReport:
    folder: Path
    reachable: bool
    exported: ExportResult | None = None
    files: tuple[FileResult, ...] = ()
    error: str | None = None
    removed: int = 0  # own bundles every recipient holds, deleted from the folder

    @property
    def accepted(self) -> int:
        return sum(1 for f in self.files if f.status == "accepted")

    @property
    def rejected(self) -> int:
        return sum(1 for f in self.files if f.status == "rejected")


@dataclass(frozen=True)
class SyncStatus:
    device_id: str
    device_name: str
    fingerprint: str
    team_id: str | None
    team_name: str | None
    team_fingerprint: str | None
    approved: bool
    is_admin: bool
    is_founder: bool
    devices: int
    revoked_devices: int
    pending: PendingCounts | None
    last_export: BundleRecord | None
    last_import: BundleRecord | None
    imported_bundles: int
    unresolved_conflicts: int
    folder: str | None


KEEP_DAYS = 14  # own bundles stay in a sync folder at least this long


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write_atomically(path: Path, data: bytes) -> None:
    """Readers of a shared folder see either no file or the complete one: the temporary name
    does not end in ``.ptkbundle``, so a reader never picks it up."""
    atomic_write_bytes(path, data)


def is_bundle_candidate(name: str) -> bool:
    """Names a sync folder may hold that are worth opening: complete bundles only.

    Skipped: temporary and hidden files (ours and those of sync tools), and the copies that
    Syncthing, Nextcloud or cloud drives make when they see two versions of one file.
    """
    lowered = name.lower()
    return (
        lowered.endswith(SUFFIX)
        and not name.startswith((".", "~"))
        and ".sync-conflict-" not in lowered
        and "conflicted copy" not in lowered
        and "(conflict" not in lowered
    )


class SyncService:
    def __init__(self, workspace: Workspace) -> None:
        self._state = workspace.sync_state
        self._workspace_name = workspace.info.name
        self._lock = threading.RLock()
        self._seen_rejections: dict[tuple[str, int, int, str], FileResult] = {}
        # Names of folder files this device holds all of (its own, or imported whole): bundle
        # files never change under one name, so a folder sync does not look at them again.
        self._settled: set[str] = set()

    # -- identity ------------------------------------------------------------------------

    def identity(self) -> DeviceIdentity:
        """This device's keys, generated and stored in the encrypted workspace on first use."""
        keys = self._state.device_keys()
        if keys is None:
            keys = self._state.save_device_keys(
                DeviceKeys(
                    self._state.device_id,
                    self._workspace_name,
                    crypto.new_secret(),
                    crypto.new_secret(),
                    _utc_now(),
                )
            )
        return DeviceIdentity(
            keys.device_id,
            keys.display_name,
            keys.sign_seed,
            keys.box_secret,
            crypto.sign_public_key(keys.sign_seed),
            crypto.box_public_key(keys.box_secret),
        )

    def rename_device(self, name: str) -> DeviceIdentity:
        """The name on this device's card (re-approve the card for the team to see it)."""
        self.identity()
        self._state.set_device_name(name)
        return self.identity()

    def card_bytes(self) -> bytes:
        ident = self.identity()
        return ident.card.to_bytes(ident.sign_seed)

    def write_card(self, path: Path, qr: Path | None = None) -> DeviceCard:
        ident = self.identity()
        write_atomically(path, ident.card.to_bytes(ident.sign_seed))
        if qr is not None:
            ident.card.write_qr(qr, ident.sign_seed)
        return ident.card

    # -- team ----------------------------------------------------------------------------

    def roster(self) -> Roster | None:
        team = self._state.team()
        if team is None:
            return None
        return evaluate(team.genesis, [body for _, body in self._state.roster_statements()])

    def _require_roster(self) -> tuple[TeamRecord, Roster]:
        team = self._state.team()
        roster = self.roster()
        if team is None or roster is None:
            raise SyncError(
                N_(
                    "This device is not in a sync team yet: a supervisor creates one, or the "
                    "device joins one with a team file."
                )
            )
        return team, roster

    def create_team(self, name: str) -> Roster:
        """Found a team with this device as its first admin (supervisors only)."""
        cleaned = " ".join(name.split())
        if not cleaned or len(cleaned) > 80:
            raise SyncError(N_("A team name has 1 to 80 characters."))
        if self._state.team() is not None:
            raise SyncError(N_("This workspace already belongs to a team."))
        ident = self.identity()
        team_id = str(uuid.uuid4())
        _, genesis = make_statement(
            ident.sign_seed,
            {
                "kind": "genesis",
                "team": team_id,
                "name": cleaned,
                "by": ident.device_id,
                "at": self._state.clock_now(),
                "card": ident.card.fields(),
                "role": "admin",
            },
        )
        self._state.create_team(team_id, cleaned, genesis)
        roster = self.roster()
        assert roster is not None
        return roster

    def _require_admin(self, roster: Roster, ident: DeviceIdentity) -> None:
        entry = roster.get(ident.device_id)
        if entry is None or not entry.is_admin or entry.sign_key != ident.sign_key:
            raise SyncError(
                N_(
                    "Only an admin device of the team (the founding supervisor's device, or "
                    "one it made an admin) can approve or revoke devices."
                )
            )

    def approve_device(self, card: DeviceCard, *, admin: bool = False) -> RosterEntry:
        """Sign an approval of a device card; it reaches the team in this device's bundles."""
        _, roster = self._require_roster()
        ident = self.identity()
        self._require_admin(roster, ident)
        if admin and ident.device_id != roster.founder.device_id:
            raise SyncError(N_("Only the team's founding device can approve admin devices."))
        if card.device_id == ident.device_id:
            raise SyncError(N_("A device cannot approve itself."))
        if any(k.fingerprint == card.fingerprint for k in roster.revoked_keys(card.device_id)):
            raise SyncError(
                N_(
                    "This device's keys were revoked for good and cannot be approved again. "
                    "To bring the laptop back, set it up as a new workspace (a new device)."
                )
            )
        statement, body = make_statement(
            ident.sign_seed,
            {
                "kind": "approve",
                "team": roster.team_id,
                "by": ident.device_id,
                "at": self._state.clock_now(),
                "card": card.fields(),
                "role": "admin" if admin else "member",
            },
        )
        self._state.record_roster_change(statement, body, "device-approve", card.device_id)
        updated = self.roster()
        assert updated is not None
        entry = updated.get(card.device_id)
        assert entry is not None
        return entry

    def revoke_device(self, device_id: str) -> None:
        """Revoke a device's current keys for good: its bundles are refused from now on."""
        _, roster = self._require_roster()
        ident = self.identity()
        self._require_admin(roster, ident)
        entry = roster.get(device_id)
        if entry is None:
            raise SyncError(N_("No approved device has the id {device}."), device=device_id)
        if device_id == roster.founder.device_id:
            raise SyncError(
                N_(
                    "The founding device cannot be revoked. If it is lost, create a new team "
                    "and approve the other devices again."
                )
            )
        if device_id == ident.device_id:
            raise SyncError(N_("A device cannot revoke itself."))
        if entry.is_admin and ident.device_id != roster.founder.device_id:
            raise SyncError(N_("Only the team's founding device can revoke an admin device."))
        statement, body = make_statement(
            ident.sign_seed,
            {
                "kind": "revoke",
                "team": roster.team_id,
                "by": ident.device_id,
                "at": self._state.clock_now(),
                "device": device_id,
                "key": entry.fingerprint,
            },
        )
        self._state.record_roster_change(statement, body, "device-revoke", device_id)

    def team_file_for(self, device_id: str) -> bytes:
        """The file an approved device imports to join: readable by that device only."""
        team, roster = self._require_roster()
        entry = roster.get(device_id)
        if entry is None:
            raise SyncError(
                N_("Device {device} is not approved in this team; approve its card first."),
                device=device_id,
            )
        document = {
            "format": "ptk-team",
            "team": team.team_id,
            "name": team.name,
            "genesis": crypto.b64(team.genesis),
            "statements": [
                crypto.b64(body)
                for sid, body in self._state.roster_statements()
                if sid in roster.accepted
            ],
            "issued_by": self._state.device_id,
            "issued_at": _utc_now(),
            "for": device_id,
        }
        plain = json.dumps(document, separators=(",", ":")).encode("utf-8")
        return _TEAM_PREFIX.pack(TEAM_MAGIC, TEAM_FORMAT_VERSION) + crypto.seal(
            entry.box_key, plain
        )

    def read_team_file(self, data: bytes) -> Roster:
        """Open and check a team file meant for this device (nothing is stored)."""
        return self._open_team_file(data)[1]

    def join_team(self, data: bytes, *, expected_fingerprint: str | None = None) -> Roster:
        """Join the team of a team file, after the user compared the team fingerprint."""
        document, roster = self._open_team_file(data)
        if expected_fingerprint is not None and (
            crypto.normalise_fingerprint(expected_fingerprint) != roster.fingerprint
        ):
            raise SyncError(
                N_(
                    "The team's fingerprint is not the one you were given: do not join. The "
                    "file may not come from your supervisor."
                )
            )
        genesis = crypto.unb64(document["genesis"])
        statements = [crypto.unb64(s) for s in document["statements"]]
        self._state.join_team(
            roster.team_id,
            roster.team_name,
            genesis,
            [(statement_id(b), b) for b in statements if statement_id(b) in roster.accepted],
        )
        joined = self.roster()
        assert joined is not None
        return joined

    def _open_team_file(self, data: bytes) -> tuple[dict[str, Any], Roster]:
        if len(data) > MAX_TEAM_FILE_BYTES or len(data) < _TEAM_PREFIX.size:
            raise SyncError(N_("This file is not a team file."))
        magic, version = _TEAM_PREFIX.unpack_from(data)
        if magic != TEAM_MAGIC:
            raise SyncError(N_("This file is not a team file."))
        if version > TEAM_FORMAT_VERSION:
            raise SyncError(
                N_("This team file was made by a newer version of Practitioner Toolkit.")
            )
        ident = self.identity()
        try:
            plain = crypto.unseal(ident.box_secret, data[_TEAM_PREFIX.size :])
        except crypto.CryptoFailureError:
            raise SyncError(
                N_("This team file was made for another device, or it was damaged.")
            ) from None
        try:
            document = json.loads(plain.decode("utf-8"))
            if not isinstance(document, dict) or document.get("format") != "ptk-team":
                raise ValueError("format")
            if document.get("for") != ident.device_id:
                raise ValueError("recipient")
            roster = evaluate(
                crypto.unb64(document["genesis"]),
                [crypto.unb64(s) for s in document["statements"]],
            )
            if roster.team_id != document.get("team"):
                raise ValueError("team")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise SyncError(N_("This team file is damaged.")) from None
        entry = roster.get(ident.device_id)
        if entry is None or (entry.sign_key, entry.box_key) != (ident.sign_key, ident.box_key):
            raise SyncError(
                N_(
                    "This team file does not approve this device's current keys. Give the "
                    "supervisor a fresh device card."
                )
            )
        return document, roster

    # -- export --------------------------------------------------------------------------

    def export_bundle(self, out_dir: Path, *, everything: bool = False) -> ExportResult | None:
        """Write a bundle of the changes the team has not had from this device (or of
        everything); None when there is nothing new to send.

        A device approved since the last bundle has missed everything before it, so the
        next bundle then carries everything.
        """
        with self._lock:
            team, roster = self._require_roster()
            ident = self.identity()
            me = roster.get(ident.device_id)
            if me is None or me.sign_key != ident.sign_key:
                raise SyncError(
                    N_(
                        "This device is not (or no longer) approved in its team, so it "
                        "cannot send bundles."
                    )
                )
            cursor = self._state.cursor()
            recipients = roster.active()
            recipient_ids = {e.device_id for e in recipients}
            newcomers = recipient_ids - cursor.covered_devices
            full = everything or bool(newcomers)
            changes = self._state.pending_changes(everything=full)
            digest = roster.digest()
            if changes.is_empty and digest == cursor.roster_digest and not newcomers:
                return None
            bundle_id = uuid.uuid4().hex
            acks = self._state.unsent_acks()  # they ride along; they never make a bundle alone
            hlc_min, hlc_max = hlc_range(changes.rows, changes.tombstones)
            payload = encode_payload(
                BundleContent(
                    bundle_id=bundle_id,
                    team_id=team.team_id,
                    sender=ident.device_id,
                    created_at=_utc_now(),
                    sender_clock=self._state.clock_now(),
                    seq_from=changes.row_seq_from,
                    seq_to=changes.row_seq_to,
                    full=full,
                    hlc_min=hlc_min,
                    hlc_max=hlc_max,
                    rows=changes.rows,
                    tombstones=changes.tombstones,
                    conflicts=changes.conflicts,
                    acks=tuple(acks),
                )
            )
            data = seal_bundle(
                bundle_id=bundle_id,
                team_id=team.team_id,
                sender=ident.device_id,
                sign_seed=ident.sign_seed,
                roster=[
                    body for sid, body in self._state.roster_statements() if sid in roster.accepted
                ],
                payload=payload,
                recipients=[e.box_key for e in recipients],
            )
            name = file_name(ident.device_id, changes.row_seq_from, changes.row_seq_to, bundle_id)
            path = out_dir / name
            out_dir.mkdir(parents=True, exist_ok=True)
            write_atomically(path, data)
            self._state.record_export(
                changes,
                bundle_id=bundle_id,
                file_name=name,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                roster_digest=digest,
                recipients=recipient_ids,
                acks=acks,
            )
            return ExportResult(
                path,
                bundle_id,
                len(changes.rows),
                len(changes.tombstones),
                len(changes.conflicts),
                len(data),
                full,
                len(recipients),
                changes.row_seq_from,
                changes.row_seq_to,
            )

    # -- import --------------------------------------------------------------------------

    def import_file(
        self, path: Path, progress: Callable[[int, int], None] | None = None
    ) -> ImportResult:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SyncError(
                N_("The file {name} cannot be read ({problem})."),
                name=path.name,
                problem=exc.strerror or type(exc).__name__,
            ) from None
        return self.import_bytes(data, name=path.name, progress=progress)

    def import_bytes(
        self,
        data: bytes,
        *,
        name: str = "",
        progress: Callable[[int, int], None] | None = None,
        audit_rejection: bool = True,
    ) -> ImportResult:
        """Verify, decrypt and apply one bundle: all of it in one transaction, or nothing.

        Raises a ``BundleRejectedError`` subclass naming the reason; a refused bundle is noted in
        the audit log (its hash and the reason, nothing else).
        """
        with self._lock:
            sha = hashlib.sha256(data).hexdigest()
            try:
                return self._import(data, sha, name, progress)
            except BundleRejectedError as exc:
                if audit_rejection:
                    self._state.record_rejection(sha, exc.reason)
                raise

    def _import(
        self,
        data: bytes,
        sha: str,
        name: str,
        progress: Callable[[int, int], None] | None,
    ) -> ImportResult:
        header = read_header(data)
        team, _ = self._require_roster()
        if header.team_id != team.team_id:
            raise WrongTeamError()
        ident = self.identity()
        envelope = open_envelope(header, ident.box_secret)
        known = [body for _, body in self._state.roster_statements()]
        roster = evaluate(team.genesis, known + envelope.roster)
        entry = roster.get(envelope.sender)
        if entry is None or not envelope.signed_by(entry.sign_key):
            if roster.revoked_keys(envelope.sender) and (
                entry is None
                or any(
                    k.sign_key and envelope.signed_by(k.sign_key)
                    for k in roster.revoked_keys(envelope.sender)
                )
            ):
                raise RevokedDeviceError(device=envelope.sender)
            if entry is None:
                raise UnknownDeviceError(device=envelope.sender)
            raise BadSignatureError(device=envelope.sender)
        if self._state.is_imported(envelope.bundle_id):
            return ImportResult(name, envelope.bundle_id, envelope.sender, True, None)
        content = decode_payload(envelope.payload)
        if (content.bundle_id, content.team_id, content.sender) != (
            envelope.bundle_id,
            envelope.team_id,
            envelope.sender,
        ):
            raise MalformedBundleError()
        statements = [
            (sid, body)
            for sid, body in ((statement_id(b), b) for b in envelope.roster)
            if sid in roster.accepted
        ]
        outcome = self._state.apply_bundle(
            IncomingBundle(
                bundle_id=content.bundle_id,
                team_id=content.team_id,
                sender=content.sender,
                sha256=sha,
                size=len(data),
                rows=content.rows,
                tombstones=content.tombstones,
                conflicts=content.conflicts,
                roster=statements,
                acks=content.acks,
            ),
            progress,
        )
        return ImportResult(
            name,
            content.bundle_id,
            content.sender,
            outcome.duplicate,
            outcome,
            _clock_warnings(content),
        )

    # -- folder --------------------------------------------------------------------------

    def sync_folder(self, folder: Path, progress: Progress | None = None) -> SyncReport:
        """Send this device's changes to a shared folder and take in everyone else's.

        Safe to call repeatedly (from a timer, in a worker thread): a folder that is not
        there (USB stick out, network down) gives ``reachable=False`` and changes nothing.
        Files still being copied are reported as incomplete and tried again next time.
        """

        with self._lock:  # one folder sync at a time per workspace (timer and button)
            return self._sync_folder(folder, progress)

    def _sync_folder(self, folder: Path, progress: Progress | None) -> SyncReport:
        def report(stage: str, done: int, total: int) -> None:
            if progress is not None:
                progress(stage, done, total)

        if not folder.is_dir():
            return SyncReport(folder, reachable=False)
        report("export", 0, 1)
        try:
            exported = self.export_bundle(folder)
        except OSError as exc:
            return SyncReport(folder, reachable=False, error=exc.strerror or type(exc).__name__)
        report("export", 1, 1)
        candidates = list(self._candidates(folder))
        results: list[FileResult] = []
        for index, path in enumerate(candidates):
            report("import", index, len(candidates))
            results.append(
                self._import_from_folder(path, lambda done, total: report("apply", done, total))
            )
        report("import", len(candidates), len(candidates))
        removed = self._remove_received_bundles(folder)
        outcome = SyncReport(folder, True, exported, tuple(results), removed=removed)
        if exported is not None or any(not r.repeated for r in results):
            # Audited when something happened: a timed sync finding nothing new writes nothing.
            self._state.record_folder_sync(1 if exported else 0, outcome.accepted, outcome.rejected)
        return outcome

    def _remove_received_bundles(self, folder: Path) -> int:
        """Delete this device's own bundles that every active recipient has acknowledged and
        that are older than ``KEEP_DAYS`` (a device restored from a backup can still find
        recent ones). Anything else stays: an unknown recipient, or a bundle made before
        acknowledgements existed."""
        roster = self.roster()
        if roster is None:
            return 0
        cutoff = (
            (dt.datetime.now(dt.UTC) - dt.timedelta(days=KEEP_DAYS))
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z")
        )
        try:
            present = {entry.name for entry in os.scandir(folder)}
        except OSError:
            return 0
        names = present & self._state.fully_received_exports(
            {e.device_id for e in roster.active()}, created_before=cutoff
        )
        removed = 0
        for name in sorted(names):
            parsed = parse_file_name(name)
            if parsed is None or parsed.sender != self._state.device_id:
                continue
            try:
                (folder / name).unlink()
            except FileNotFoundError:
                continue  # removed earlier, or never written to this folder
            except OSError:
                continue  # read-only stick, file in use: next time
            self._settled.discard(name)
            removed += 1
        return removed

    def _candidates(self, folder: Path) -> Iterator[Path]:
        own = self._state.device_id
        entries: list[tuple[int, str, Path]] = []
        try:
            listing = list(os.scandir(folder))
        except OSError:
            return
        for entry in listing:
            if entry.name in self._settled or not is_bundle_candidate(entry.name):
                continue
            parsed = parse_file_name(entry.name)
            if parsed is not None and parsed.sender == own:
                self._settled.add(entry.name)
                continue  # our own bundle: we hold all of it already
            try:
                stat = entry.stat()
            except OSError:
                continue
            if not entry.is_file():
                continue
            if parsed is not None and self._state.imported_size(parsed.bundle_id) == stat.st_size:
                self._settled.add(entry.name)
                continue
            entries.append((stat.st_mtime_ns, entry.name, Path(entry.path)))
        for _, _, path in sorted(entries):
            yield path

    def _import_from_folder(self, path: Path, progress: Callable[[int, int], None]) -> FileResult:
        try:
            stat = path.stat()
        except OSError as exc:
            return FileResult(path.name, "unreadable", message=exc.strerror)
        roster = self.roster()
        memo_key = (path.name, stat.st_size, stat.st_mtime_ns, roster.digest() if roster else "")
        seen = self._seen_rejections.get(memo_key)
        if seen is not None:  # refused before and unchanged: not read again
            return replace(seen, repeated=True)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return FileResult(path.name, "unreadable", message=exc.strerror)
        try:
            result = self.import_bytes(
                data, name=path.name, progress=progress, audit_rejection=False
            )
        except TruncatedError as exc:
            return FileResult(path.name, "incomplete", exc.reason, str(exc))
        except NotForThisDeviceError as exc:
            skipped = FileResult(path.name, "not-for-this-device", exc.reason, str(exc))
            self._seen_rejections[memo_key] = skipped
            return skipped
        except BundleRejectedError as exc:
            self._state.record_rejection(hashlib.sha256(data).hexdigest(), exc.reason)
            rejected = FileResult(path.name, "rejected", exc.reason, str(exc))
            self._seen_rejections[memo_key] = rejected
            return rejected
        if result.duplicate or result.outcome is None:
            return FileResult(path.name, "duplicate")
        return FileResult(
            path.name,
            "accepted",
            rows=result.outcome.rows,
            conflicts=result.outcome.conflicts_found,
            warnings=result.warnings,
        )

    # -- conflicts -----------------------------------------------------------------------

    def conflicts(self, *, include_resolved: bool = False) -> list[Conflict]:
        """Conflicts for review, the same on every device once bundles went round
        (supervisors only: the values may be personal)."""
        return self._state.list_conflicts(include_resolved=include_resolved)

    def resolve_conflict(self, conflict_id: str, keep: str) -> Conflict:
        """``current`` keeps the field, ``other`` restores the losing value, ``kept`` restores
        the value that first won; the choice travels to the team (supervisors only)."""
        return self._state.resolve_conflict(conflict_id, keep)

    # -- status --------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        ident = self.identity()
        team = self._state.team()
        roster = self.roster()
        entry = roster.get(ident.device_id) if roster else None
        approved = entry is not None and entry.sign_key == ident.sign_key
        exports = self._state.recent_exports(1) if team else []
        imports = self._state.recent_imports(1) if team else []
        return SyncStatus(
            device_id=ident.device_id,
            device_name=ident.name,
            fingerprint=ident.fingerprint,
            team_id=team.team_id if team else None,
            team_name=team.name if team else None,
            team_fingerprint=roster.fingerprint if roster else None,
            approved=approved,
            is_admin=approved and entry is not None and entry.is_admin,
            is_founder=roster is not None and roster.founder.device_id == ident.device_id,
            devices=len(roster.entries) if roster else 0,
            revoked_devices=sum(1 for d in roster.revoked if d not in roster.entries)
            if roster
            else 0,
            pending=self._state.pending_counts() if team and approved else None,
            last_export=exports[0] if exports else None,
            last_import=imports[0] if imports else None,
            imported_bundles=self._state.imported_count(),
            unresolved_conflicts=self._state.unresolved_conflict_count(),
            folder=self._state.sync_folder(),
        )


def _clock_warnings(content: BundleContent) -> tuple[str, ...]:
    """Warn (never refuse) when the sender's clock runs ahead: its edits would win too often."""
    sender_ms = parse_hlc(content.sender_clock)[0]
    ahead = sender_ms - time.time_ns() // 1_000_000
    if ahead > CLOCK_AHEAD_WARNING_MS:
        minutes = ahead // 60_000
        return (
            N_(
                "The clock of device {device} was about {minutes} minutes ahead of this one; "
                "check the date and time on both."
            ).format(device=content.sender, minutes=minutes),
        )
    return ()
