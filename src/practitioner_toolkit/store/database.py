"""The SQLCipher connection: opening with a raw key, pragmas, migrations and transactions.

All SQL in the application lives in the ``store`` package. This module owns the one
connection a workspace has, serialises access to it with a lock (the UI runs store work on a
background thread), and turns SQLite's exceptions into the store's known errors.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.errors import (
    CorruptWorkspaceError,
    DiskFullError,
    ReadOnlyWorkspaceError,
    SchemaTooNewError,
    StoreError,
    WorkspaceNotFoundError,
)
from practitioner_toolkit.store.schema import MIGRATIONS

SqlParams = Sequence[Any] | dict[str, Any]

_DRIVER_ERRORS: tuple[type[Exception], ...] = (sqlcipher.Error,)

_CORRUPTION_MARKERS = (
    "file is not a database",
    "malformed",
    "hmac check failed",
    "disk i/o error",
    "database corrupt",
)


def translate_error(exc: Exception) -> StoreError | None:
    """Map a driver exception to a known store error, or None if it is a bug."""
    message = str(exc).lower()
    if any(marker in message for marker in _CORRUPTION_MARKERS):
        return CorruptWorkspaceError(
            N_(
                "The workspace file is damaged or incomplete and cannot be read safely. "
                "Nothing was changed. Restore it from a backup or re-import its sync bundles."
            )
        )
    if "readonly database" in message or "read-only" in message:
        return ReadOnlyWorkspaceError(
            N_(
                "The workspace cannot be written: the disk or folder is read-only, or the file "
                "was damaged. The last change was not saved."
            )
        )
    if "database or disk is full" in message:
        return DiskFullError(N_("The disk is full. The last change was not saved."))
    return None


class Database:
    """One connection to one workspace file.

    ``encrypted=False`` opens a plain SQLite file with the identical schema; it exists only so
    benchmarks and the secure-deletion tests can compare against or inspect unencrypted pages.
    """

    def __init__(self, path: Path, key: bytes | bytearray | None, *, encrypted: bool = True):
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._on_commit: list[Callable[[], None]] = []
        self._before_commit: list[Callable[[], None]] = []
        self._on_rollback: list[Callable[[], None]] = []
        if not path.exists():
            raise WorkspaceNotFoundError(N_("The workspace database file is missing."))
        if path.stat().st_size == 0:
            raise CorruptWorkspaceError(
                N_("The workspace database file is empty; it was truncated or never written.")
            )
        self._conn = self._connect(path, key, encrypted=encrypted)
        self._check_not_truncated()

    @classmethod
    def create(
        cls,
        path: Path,
        key: bytes | bytearray | None,
        *,
        encrypted: bool = True,
        schema_version: int | None = None,
    ) -> Database:
        """Create a new database file at the latest schema (or an older one, for tests)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _raw_connect(path, key, encrypted=encrypted)
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchall()
            conn.execute("CREATE TABLE _bootstrap(x)")
            conn.execute("DROP TABLE _bootstrap")
        finally:
            conn.close()
        db = cls(path, key, encrypted=encrypted)
        db.migrate(schema_version)
        return db

    # -- connection ---------------------------------------------------------------------

    @staticmethod
    def _connect(path: Path, key: bytes | bytearray | None, *, encrypted: bool) -> Any:
        try:
            conn = _raw_connect(path, key, encrypted=encrypted)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise CorruptWorkspaceError(
                    N_("The workspace file cannot use write-ahead logging.")
                )
            # FULL: every commit reaches the disk, so a power cut loses at most the answer
            # being typed. Costs one fsync per answer, which an interview can afford.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.execute("PRAGMA busy_timeout = 5000")
        except _DRIVER_ERRORS as exc:
            known = translate_error(exc)
            if known is not None:
                raise known from None
            raise
        return conn

    def _check_not_truncated(self) -> None:
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return  # pages may legitimately live in the WAL until the next checkpoint
        page_count = self.scalar("PRAGMA page_count")
        page_size = self.scalar("PRAGMA page_size")
        if int(page_count) * int(page_size) > self.path.stat().st_size:
            self.close()
            raise CorruptWorkspaceError(
                N_(
                    "The workspace database file is shorter than it should be; it was truncated. "
                    "Nothing was changed. Restore it from a backup or re-import its sync bundles."
                )
            )

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            with suppress(*_DRIVER_ERRORS):  # a damaged file must still be closable
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    # -- statements ----------------------------------------------------------------------

    def execute(self, sql: str, params: SqlParams = ()) -> Any:
        with self._lock:
            return self._guarded(lambda: self._connection().execute(sql, params))

    def executemany(self, sql: str, rows: Sequence[SqlParams]) -> None:
        with self._lock:
            self._guarded(lambda: self._connection().executemany(sql, rows))

    def query(self, sql: str, params: SqlParams = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._guarded(lambda: self._connection().execute(sql, params).fetchall()))

    def query_one(self, sql: str, params: SqlParams = ()) -> tuple[Any, ...] | None:
        with self._lock:
            row = self._guarded(lambda: self._connection().execute(sql, params).fetchone())
            return tuple(row) if row is not None else None

    def scalar(self, sql: str, params: SqlParams = ()) -> Any:
        row = self.query_one(sql, params)
        return None if row is None else row[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested uses join the outermost one.

        ``before_commit`` callbacks run inside the outermost transaction just before COMMIT,
        ``after_commit`` ones once it has committed, ``on_rollback`` ones if it is rolled back.
        """
        with self._lock:
            outermost = self._depth == 0
            if outermost:
                self._guarded(lambda: self._connection().execute("BEGIN IMMEDIATE"))
            self._depth += 1
            try:
                yield
                if outermost:
                    while self._before_commit:
                        self._before_commit.pop(0)()
            except BaseException:
                self._depth -= 1
                if outermost:
                    self._rollback()
                raise
            self._depth -= 1
            if outermost:
                try:
                    self._guarded(lambda: self._connection().execute("COMMIT"))
                except BaseException:
                    self._rollback()
                    raise
                callbacks, self._on_commit = self._on_commit, []
                self._on_rollback.clear()
                for callback in callbacks:
                    callback()

    def _rollback(self) -> None:
        self._before_commit.clear()
        self._on_commit.clear()
        callbacks, self._on_rollback = self._on_rollback, []
        if self._conn is not None:
            # SQLite may already have rolled back by itself (disk full, corruption).
            with suppress(*_DRIVER_ERRORS):
                self._conn.execute("ROLLBACK")
        for callback in reversed(callbacks):
            callback()

    def before_commit(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` inside the current transaction, just before it commits (once)."""
        if self._depth == 0:
            raise RuntimeError("before_commit needs an open transaction")
        if callback not in self._before_commit:
            self._before_commit.append(callback)

    def after_commit(self, callback: Callable[[], None]) -> None:
        if self._depth == 0:
            callback()
        else:
            self._on_commit.append(callback)

    def on_rollback(self, callback: Callable[[], None]) -> None:
        if self._depth > 0:
            self._on_rollback.append(callback)

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file and truncate it (after deletions)."""
        self.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- schema --------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.scalar("PRAGMA user_version"))

    def migrate(self, target: int | None = None) -> None:
        """Apply forward-only migrations, each in its own transaction."""
        latest = len(MIGRATIONS)
        target = latest if target is None else target
        current = self.schema_version
        if current > latest:
            raise SchemaTooNewError(
                N_(
                    "This workspace was saved by a newer version of Practitioner Toolkit. "
                    "Update the application to open it."
                )
            )
        for version in range(current + 1, target + 1):
            with self.transaction():
                for statement in MIGRATIONS[version - 1]:
                    self.execute(statement)
                self.execute(f"PRAGMA user_version = {version:d}")

    # -- internals -----------------------------------------------------------------------

    def _connection(self) -> Any:
        if self._conn is None:
            raise StoreError(N_("The workspace is locked."))
        return self._conn

    @staticmethod
    def _guarded(action: Callable[[], Any]) -> Any:
        try:
            return action()
        except _DRIVER_ERRORS as exc:
            known = translate_error(exc)
            if known is not None:
                raise known from None
            raise


def _raw_connect(path: Path, key: bytes | bytearray | None, *, encrypted: bool) -> Any:
    conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    if not encrypted:
        return conn  # the same SQLite build, without a key: plain pages on disk
    if key is None or len(key) != 32:
        conn.close()
        raise ValueError("an encrypted workspace needs a 32-byte data key")
    # A raw key (x'..') bypasses SQLCipher's own PBKDF2: the key is already random.
    conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
    conn.execute("PRAGMA cipher_log_level = NONE")
    # Memory scrubbing stays off: measured here it made writes about 4x and searches 5x slower
    # (it applies to every allocation in the process), too much for old laptops. The key is
    # wiped on lock, the app locks when idle, and the UI disables core dumps instead.
    conn.execute("PRAGMA cipher_memory_security = OFF")
    return conn
