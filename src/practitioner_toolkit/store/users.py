"""User accounts: a row in the encrypted database plus a key slot in the keyring file."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.context import StoreContext
from practitioner_toolkit.store.errors import (
    NotFoundError,
    UnknownUserError,
    ValidationError,
)
from practitioner_toolkit.store.keyring import KdfParams, Keyring
from practitioner_toolkit.store.limits import MIN_PASSPHRASE_LENGTH
from practitioner_toolkit.store.models import AuditAction, Role, User
from practitioner_toolkit.store.timeutil import utc_now

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise ValidationError(
            N_(
                "A user name has 2 to 32 characters: lower-case letters a-z, digits, '.', '_' "
                "or '-', starting with a letter or digit."
            )
        )
    return name


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError(
            N_(
                "A passphrase needs at least {count} characters. Several unrelated words are "
                "easy to remember and hard to guess."
            ),
            count=MIN_PASSPHRASE_LENGTH,
        )
    if passphrase.strip() != passphrase:
        raise ValidationError(N_("A passphrase cannot start or end with a space."))


def check_display_name(display_name: str) -> str:
    name = " ".join(display_name.split())
    if not name or len(name) > 80:
        raise ValidationError(N_("A display name has 1 to 80 characters."))
    return name


def _row_to_user(row: tuple[object, ...]) -> User:
    return User(
        id=str(row[0]),
        username=str(row[1]),
        display_name=str(row[2]),
        role=Role(str(row[3])),
        created_at=str(row[4]),
        active=bool(row[5]),
    )


_USER_COLUMNS = "id, username, display_name, role, created_at, active"


class UserDirectory:
    def __init__(
        self,
        ctx: StoreContext,
        keyring_path: Path,
        data_key: Callable[[], bytearray],
        kdf: KdfParams,
    ) -> None:
        self._ctx = ctx
        self._keyring_path = keyring_path
        self._data_key = data_key
        self._kdf = kdf

    def list(self) -> list[User]:
        rows = self._ctx.db.query(f"SELECT {_USER_COLUMNS} FROM users ORDER BY username")
        return [_row_to_user(r) for r in rows]

    def get(self, username: str) -> User:
        row = self._ctx.db.query_one(
            f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", (username,)
        )
        if row is None:
            raise UnknownUserError(
                N_("There is no account named {username} in this workspace."), username=username
            )
        return _row_to_user(row)

    def add(self, username: str, display_name: str, role: Role, passphrase: str) -> User:
        """Create an account (supervisors only); the new user gets their own key slot."""
        self._ctx.require_role(Role.SUPERVISOR)
        username = check_username(username)
        display_name = check_display_name(display_name)
        check_passphrase(passphrase)
        if self._ctx.db.scalar("SELECT 1 FROM users WHERE username = ?", (username,)):
            raise ValidationError(
                N_("An account named {username} already exists."), username=username
            )
        user = User(str(uuid.uuid4()), username, display_name, Role(role), utc_now())
        keyring = Keyring.load(self._keyring_path)
        keyring.set_user_slot(username, passphrase, self._data_key(), self._kdf)
        with self._ctx.db.transaction():
            insert_user(self._ctx, user)
            self._ctx.audit.append(
                self._ctx.actor.id, AuditAction.USER_ADD, "user", user.id, role.value
            )
            # The key slot is written last inside the transaction: if it fails, no account row
            # exists without a way to unlock it.
            keyring.save(self._keyring_path)
        return user

    def change_passphrase(self, username: str, current: str, new: str) -> None:
        """Rewrite one key slot; the database itself is untouched."""
        if username != self._ctx.actor.username:
            self._ctx.require_role(Role.SUPERVISOR)
        check_passphrase(new)
        keyring = Keyring.load(self._keyring_path)
        if username == self._ctx.actor.username:
            keyring.unwrap_for_user(username, current)  # proves the current passphrase
        user = self.get(username)
        if not user.active:  # a new slot would let a deactivated account open the data again
            raise ValidationError(N_("This account is not active in this workspace."))
        keyring.set_user_slot(username, new, self._data_key(), self._kdf)
        keyring.save(self._keyring_path)
        self._ctx.audit.append(self._ctx.actor.id, AuditAction.USER_PASSPHRASE, "user", user.id)

    def deactivate(self, username: str) -> None:
        """Remove the user's key slot; their past work stays attributed to them."""
        self._ctx.require_role(Role.SUPERVISOR)
        if username == self._ctx.actor.username:
            raise ValidationError(N_("You cannot deactivate your own account."))
        # The signed-in supervisor stays active, so a workspace always keeps one.
        user = self.get(username)
        keyring = Keyring.load(self._keyring_path)
        keyring.remove_user_slot(username)
        with self._ctx.db.transaction():
            self._ctx.db.execute("UPDATE users SET active = 0 WHERE id = ?", (user.id,))
            self._ctx.audit.append(self._ctx.actor.id, AuditAction.USER_DEACTIVATE, "user", user.id)
            keyring.save(self._keyring_path)

    def by_id(self, user_id: str) -> User:
        row = self._ctx.db.query_one(f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
        if row is None:
            raise NotFoundError(N_("No such user."))
        return _row_to_user(row)


def insert_user(ctx: StoreContext, user: User) -> None:
    ctx.db.execute(
        f"INSERT INTO users ({_USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
        (user.id, user.username, user.display_name, user.role.value, user.created_at, 1),
    )
