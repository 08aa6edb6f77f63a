"""Creating, unlocking and locking a workspace: the entry point of the store's service API.

A workspace is a folder holding ``workspace.db`` (SQLCipher 4, opened with a raw random key)
and ``keyring.json`` (that key, wrapped per user and for the recovery code). Unlocking derives a
wrapping key with Argon2id, unwraps the data key and opens the database; a wrong passphrase is
caught by the AEAD before the database file is even opened.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import time
import uuid
from contextlib import AbstractContextManager
from pathlib import Path

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.agencies import ServiceDirectory
from practitioner_toolkit.store.atomic import atomic_write_bytes
from practitioner_toolkit.store.audit import AuditLog
from practitioner_toolkit.store.cases import CaseBook
from practitioner_toolkit.store.clock import HybridLogicalClock
from practitioner_toolkit.store.context import StoreContext
from practitioner_toolkit.store.database import Database
from practitioner_toolkit.store.errors import (
    KeyringError,
    StoreError,
    UnlockThrottledError,
    ValidationError,
    WorkspaceExistsError,
    WorkspaceNotFoundError,
    WrongPassphraseError,
)
from practitioner_toolkit.store.journal import Journal
from practitioner_toolkit.store.keyring import (
    KdfParams,
    Keyring,
    new_data_key,
    new_recovery_code,
    wipe,
)
from practitioner_toolkit.store.locator import (
    DATABASE_FILE,
    KEYRING_FILE,
)
from practitioner_toolkit.store.models import (
    AuditAction,
    AuditEntry,
    AuditVerification,
    Role,
    User,
    WorkspaceInfo,
    WorkspaceStats,
)
from practitioner_toolkit.store.referrals import ReferralBook
from practitioner_toolkit.store.retention import Retention
from practitioner_toolkit.store.sync_state import SyncState
from practitioner_toolkit.store.timeutil import utc_now
from practitioner_toolkit.store.users import (
    UserDirectory,
    check_display_name,
    check_passphrase,
    check_username,
    insert_user,
)

_log = logging.getLogger(__name__)

UNLOCK_STATE_FILE = "unlock-state.json"
FREE_ATTEMPTS = 3
MAX_BACKOFF_SECONDS = 300.0


class _Throttle:
    """Growing back-off after repeated wrong passphrases, remembered across restarts."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def _read(self) -> tuple[int, float]:
        try:
            data = json.loads(self._path.read_text("utf-8"))
            return int(data["failures"]), float(data["last_failure"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0, 0.0

    def check(self) -> None:
        failures, last = self._read()
        wait = self.delay_for(failures) - (time.time() - last)
        if wait > 0:
            raise UnlockThrottledError(wait)

    @staticmethod
    def delay_for(failures: int) -> float:
        if failures < FREE_ATTEMPTS:
            return 0.0
        return min(MAX_BACKOFF_SECONDS, 2.0 ** (failures - FREE_ATTEMPTS + 1))

    def failed(self) -> None:
        failures, _ = self._read()
        payload = {"failures": failures + 1, "last_failure": time.time()}
        atomic_write_bytes(self._path, json.dumps(payload).encode("utf-8"))

    def succeeded(self) -> None:
        if self._path.exists():
            self._path.unlink()


class Workspace:
    """An unlocked workspace. Every read and write of case data goes through its services."""

    def __init__(
        self,
        directory: Path,
        db: Database,
        data_key: bytearray,
        actor: User,
        kdf: KdfParams,
    ) -> None:
        self.directory = directory
        self._db = db
        self._data_key = data_key
        device_id = _read_meta(db, "device_id")
        self.info = WorkspaceInfo(
            workspace_id=_read_meta(db, "workspace_id"),
            name=_read_meta(db, "name"),
            training=_read_meta(db, "training") == "1",
            device_id=device_id,
            created_at=_read_meta(db, "created_at"),
        )
        journal = Journal(db, HybridLogicalClock(device_id))
        self._ctx = StoreContext(db, journal, AuditLog(db), self.info, actor)
        self.cases = CaseBook(self._ctx)
        self.agencies = ServiceDirectory(self._ctx)
        self.referrals = ReferralBook(self._ctx)
        self.retention = Retention(self._ctx)
        self.users = UserDirectory(self._ctx, directory / KEYRING_FILE, self._key, kdf)
        self.sync_state = SyncState(self._ctx)

    # -- lifecycle -----------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        directory: Path,
        *,
        name: str,
        username: str,
        display_name: str,
        passphrase: str,
        training: bool = False,
        kdf: KdfParams | None = None,
    ) -> tuple[Workspace, str]:
        """Create a workspace with its first supervisor; returns it and the recovery code.

        The recovery code is shown to the supervisor once and never stored in the clear.
        """
        kdf = kdf or KdfParams()
        name = " ".join(name.split())
        if not name or len(name) > 80:
            raise ValidationError(N_("A workspace name has 1 to 80 characters."))
        username = check_username(username)
        display_name = check_display_name(display_name)
        check_passphrase(passphrase)
        if (directory / KEYRING_FILE).exists() or (directory / DATABASE_FILE).exists():
            raise WorkspaceExistsError(
                N_("A workspace already exists in {folder}."), folder=str(directory)
            )
        directory.mkdir(parents=True, exist_ok=True)
        _restrict_permissions(directory)
        data_key = new_data_key()
        recovery_code = new_recovery_code()
        workspace_id = str(uuid.uuid4())
        keyring = Keyring(workspace_id, name, training)
        keyring.set_user_slot(username, passphrase, data_key, kdf)
        keyring.set_recovery_slot(recovery_code, data_key, kdf)
        db = Database.create(directory / DATABASE_FILE, data_key)
        user = User(str(uuid.uuid4()), username, display_name, Role.SUPERVISOR, utc_now())
        with db.transaction():
            for key, value in (
                ("workspace_id", workspace_id),
                ("name", name),
                ("training", "1" if training else "0"),
                ("device_id", secrets.token_hex(8)),
                ("created_at", utc_now()),
            ):
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
        workspace = cls(directory, db, data_key, user, kdf)
        with db.transaction():
            insert_user(workspace._ctx, user)
            workspace._ctx.audit.append(
                user.id, AuditAction.CREATE_WORKSPACE, "workspace", workspace_id
            )
        # The keyring is written last: until it exists, the folder is not a workspace.
        keyring.save(directory / KEYRING_FILE)
        return workspace, recovery_code

    @classmethod
    def unlock(
        cls, directory: Path, username: str, passphrase: str, *, kdf: KdfParams | None = None
    ) -> Workspace:
        keyring = _load_keyring(directory)
        throttle = _Throttle(directory / UNLOCK_STATE_FILE)
        throttle.check()
        try:
            data_key = keyring.unwrap_for_user(username.strip().lower(), passphrase)
        except WrongPassphraseError:
            throttle.failed()
            raise
        throttle.succeeded()
        return cls._open(
            directory, keyring, data_key, username.strip().lower(), AuditAction.UNLOCK, kdf
        )

    @classmethod
    def recover(
        cls,
        directory: Path,
        recovery_code: str,
        username: str,
        new_passphrase: str,
        *,
        kdf: KdfParams | None = None,
    ) -> Workspace:
        """Unlock with the recovery code and give ``username`` a new passphrase."""
        check_passphrase(new_passphrase)
        keyring = _load_keyring(directory)
        throttle = _Throttle(directory / UNLOCK_STATE_FILE)
        throttle.check()
        username = username.strip().lower()
        keyring.user_slot(username)  # unknown user: say so before spending the KDF
        try:
            data_key = keyring.unwrap_with_recovery_code(recovery_code)
        except WrongPassphraseError:
            throttle.failed()
            raise
        throttle.succeeded()
        keyring.set_user_slot(username, new_passphrase, data_key, kdf or KdfParams())
        keyring.save(directory / KEYRING_FILE)
        return cls._open(directory, keyring, data_key, username, AuditAction.UNLOCK_RECOVERY, kdf)

    @classmethod
    def _open(
        cls,
        directory: Path,
        keyring: Keyring,
        data_key: bytearray,
        username: str,
        action: AuditAction,
        kdf: KdfParams | None,
    ) -> Workspace:
        try:
            db = Database(directory / DATABASE_FILE, data_key)
            db.migrate()
            if _read_meta(db, "workspace_id") != keyring.workspace_id:
                db.close()
                raise KeyringError(
                    N_("The keyring and the database belong to different workspaces.")
                )
            row = db.query_one(
                "SELECT id, username, display_name, role, created_at, active FROM users "
                "WHERE username = ?",
                (username,),
            )
        except BaseException:
            wipe(data_key)
            raise
        if row is None or not row[5]:
            db.close()
            wipe(data_key)
            raise WrongPassphraseError(N_("This account is not active in this workspace."))
        user = User(row[0], row[1], row[2], Role(row[3]), row[4], bool(row[5]))
        workspace = cls(directory, db, data_key, user, kdf or KdfParams())
        workspace._ctx.audit.append(user.id, action)
        return workspace

    def lock(self) -> None:
        """Close the database and forget the key. The object is unusable afterwards."""
        if not self._db.is_open:
            return
        try:
            self._ctx.audit.append(self._ctx.actor.id, AuditAction.LOCK)
        except StoreError:
            # Locking must always succeed; a damaged or read-only file only loses this entry.
            _log.warning("could not record the lock in the audit log")
        finally:
            self._db.close()
            wipe(self._data_key)

    @property
    def is_locked(self) -> bool:
        return not self._db.is_open

    @property
    def user(self) -> User:
        return self._ctx.actor

    # -- whole-workspace services --------------------------------------------------------

    def verify_audit_log(self) -> AuditVerification:
        return self._ctx.audit.verify()

    def audit_entries(self, limit: int = 200) -> list[AuditEntry]:
        return self._ctx.audit.entries(limit)

    def record_export(self, kind: str, cases: int) -> None:
        """Note in the audit log that records left the workspace (kind and count only)."""
        self._ctx.audit.append(
            self._ctx.actor.id,
            AuditAction.EXPORT,
            "workspace",
            self.info.workspace_id,
            f"{kind} cases={cases}",
        )

    def stats(self) -> WorkspaceStats:
        db = self._db

        def count(sql: str) -> int:
            return int(db.scalar(sql) or 0)

        return WorkspaceStats(
            cases=count("SELECT count(*) FROM cases WHERE reference IS NOT NULL"),
            open_cases=count("SELECT count(*) FROM cases WHERE status IN ('open', 'referred')"),
            sessions=count("SELECT count(*) FROM sessions"),
            answers=count("SELECT count(*) FROM answers WHERE value IS NOT NULL"),
            referrals=count("SELECT count(*) FROM referrals WHERE reference IS NOT NULL"),
            agencies=count("SELECT count(*) FROM agencies WHERE name IS NOT NULL"),
            users=count("SELECT count(*) FROM users WHERE active = 1"),
            audit_entries=count("SELECT count(*) FROM audit_log"),
            unresolved_conflicts=count("SELECT count(*) FROM conflicts WHERE resolved_at IS NULL"),
            schema_version=db.schema_version,
            file_bytes=sum(
                p.stat().st_size
                for p in self.directory.iterdir()
                if p.name.startswith(DATABASE_FILE)
            ),
        )

    def check_integrity(self) -> list[str]:
        """Full page-by-page check (slow on big files): an empty list means healthy."""
        problems = [str(r[0]) for r in self._db.query("PRAGMA cipher_integrity_check")]
        result = [str(r[0]) for r in self._db.query("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.extend(result)
        return problems

    def bulk(self) -> AbstractContextManager[None]:
        """Group many writes into one transaction (imports, benchmarks, demo data)."""
        return self._db.transaction()

    def _key(self) -> bytearray:
        return self._data_key


def _load_keyring(directory: Path) -> Keyring:
    path = directory / KEYRING_FILE
    if not path.exists():
        raise WorkspaceNotFoundError(N_("No workspace found in {folder}."), folder=str(directory))
    return Keyring.load(path)


def _read_meta(db: Database, key: str) -> str:
    value = db.scalar("SELECT value FROM meta WHERE key = ?", (key,))
    if value is None:
        raise KeyringError(N_("The workspace database is missing its identity record."))
    return str(value)


def _restrict_permissions(directory: Path) -> None:
    if os.name != "nt":
        directory.chmod(0o700)
