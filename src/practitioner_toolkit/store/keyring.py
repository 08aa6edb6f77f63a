"""Key slots: the random data key, wrapped once per user and once for the recovery code.

The database is encrypted with a random 256-bit data key that is never derived from a
passphrase. Each user account holds its own copy of that key, wrapped (AES-256-GCM) by a key
derived from the user's passphrase with Argon2id; a recovery code shown once at set-up wraps
another copy. Changing a passphrase rewrites one slot in this small JSON file and never touches
the database. The AEAD's associated data binds every slot to its workspace, slot id, kind and
user name, so slots cannot be swapped between users or workspaces unnoticed.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.atomic import atomic_write_bytes
from practitioner_toolkit.store.errors import (
    KeyringError,
    UnknownUserError,
    WrongPassphraseError,
)

KEYRING_FORMAT = "practitioner-toolkit-keyring"
KEYRING_VERSION = 1
DATA_KEY_BYTES = 32
_AAD_PREFIX = b"practitioner-toolkit keyslot v1"

# Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_BITS = 160


class SlotKind(StrEnum):
    USER = "user"
    RECOVERY = "recovery"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost; stored in each slot so it can be raised later without breaking old slots."""

    time_cost: int = 3
    memory_kib: int = 98_304
    parallelism: int = 1

    @classmethod
    def fast_for_tests(cls) -> KdfParams:
        """Cheap parameters for test suites; never used by the application itself."""
        return cls(time_cost=1, memory_kib=8, parallelism=1)


@dataclass
class KeySlot:
    slot_id: str
    kind: SlotKind
    username: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes

    def associated_data(self, workspace_id: str) -> bytes:
        parts = [workspace_id, self.slot_id, self.kind.value, self.username]
        return b"|".join([_AAD_PREFIX, *(p.encode("utf-8") for p in parts)])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.slot_id,
            "kind": self.kind.value,
            "username": self.username,
            "kdf": {
                "alg": "argon2id",
                "t": self.kdf.time_cost,
                "m": self.kdf.memory_kib,
                "p": self.kdf.parallelism,
                "salt": _b64(self.salt),
            },
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped_key),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> KeySlot:
        kdf = data["kdf"]
        if kdf.get("alg") != "argon2id":
            raise KeyringError(N_("A key slot uses an unsupported key derivation."))
        return cls(
            slot_id=str(data["id"]),
            kind=SlotKind(data["kind"]),
            username=str(data["username"]),
            kdf=KdfParams(int(kdf["t"]), int(kdf["m"]), int(kdf["p"])),
            salt=_unb64(kdf["salt"]),
            nonce=_unb64(data["nonce"]),
            wrapped_key=_unb64(data["wrapped"]),
        )


@dataclass
class Keyring:
    """The plaintext file beside the database: workspace identity and the wrapped key slots."""

    workspace_id: str
    workspace_name: str
    training: bool
    slots: list[KeySlot] = field(default_factory=list)

    # -- reading and writing -------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise KeyringError(
                N_("The workspace keyring cannot be read ({reason})."), reason=exc.strerror
            ) from exc
        try:
            data = json.loads(raw)
            if data.get("format") != KEYRING_FORMAT:
                raise KeyringError(N_("The keyring file is not a Practitioner Toolkit keyring."))
            if int(data.get("version", 0)) > KEYRING_VERSION:
                raise KeyringError(
                    N_("The keyring was written by a newer version of Practitioner Toolkit.")
                )
            return cls(
                workspace_id=str(data["workspace_id"]),
                workspace_name=str(data["workspace_name"]),
                training=bool(data.get("training", False)),
                slots=[KeySlot.from_json(s) for s in data["slots"]],
            )
        except KeyringError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyringError(N_("The workspace keyring file is damaged.")) from exc

    def save(self, path: Path) -> None:
        data = {
            "format": KEYRING_FORMAT,
            "version": KEYRING_VERSION,
            "workspace_id": self.workspace_id,
            "workspace_name": self.workspace_name,
            "training": self.training,
            "slots": [s.to_json() for s in self.slots],
        }
        atomic_write_bytes(path, json.dumps(data, indent=2, sort_keys=True).encode("utf-8"))

    # -- slots ----------------------------------------------------------------------------

    def usernames(self) -> list[str]:
        return sorted(s.username for s in self.slots if s.kind is SlotKind.USER)

    def user_slot(self, username: str) -> KeySlot:
        for slot in self.slots:
            if slot.kind is SlotKind.USER and slot.username == username:
                return slot
        raise UnknownUserError(
            N_("There is no account named {username} in this workspace."), username=username
        )

    def recovery_slot(self) -> KeySlot:
        for slot in self.slots:
            if slot.kind is SlotKind.RECOVERY:
                return slot
        raise KeyringError(N_("This workspace has no recovery key slot."))

    def set_user_slot(
        self, username: str, passphrase: str, data_key: bytes | bytearray, kdf: KdfParams
    ) -> None:
        """Add or replace the user's slot (new slot first, then the old one goes)."""
        new_slot = wrap_data_key(
            self.workspace_id, SlotKind.USER, username, passphrase.encode("utf-8"), data_key, kdf
        )
        self.slots = [
            s for s in self.slots if not (s.kind is SlotKind.USER and s.username == username)
        ]
        self.slots.append(new_slot)

    def remove_user_slot(self, username: str) -> None:
        self.slots = [
            s for s in self.slots if not (s.kind is SlotKind.USER and s.username == username)
        ]

    def set_recovery_slot(
        self, recovery_code: str, data_key: bytes | bytearray, kdf: KdfParams
    ) -> None:
        secret = normalise_recovery_code(recovery_code).encode("ascii")
        new_slot = wrap_data_key(self.workspace_id, SlotKind.RECOVERY, "", secret, data_key, kdf)
        self.slots = [s for s in self.slots if s.kind is not SlotKind.RECOVERY]
        self.slots.append(new_slot)

    def unwrap_for_user(self, username: str, passphrase: str) -> bytearray:
        return unwrap_data_key(
            self.workspace_id, self.user_slot(username), passphrase.encode("utf-8")
        )

    def unwrap_with_recovery_code(self, recovery_code: str) -> bytearray:
        secret = normalise_recovery_code(recovery_code).encode("ascii")
        return unwrap_data_key(self.workspace_id, self.recovery_slot(), secret)


# Randomness and the crypto libraries are imported where they are used: the unlock window
# reads only the users of each keyring, and appears sooner on an old laptop without them.


def new_data_key() -> bytearray:
    import secrets

    return bytearray(secrets.token_bytes(DATA_KEY_BYTES))


def derive_wrapping_key(secret: bytes, salt: bytes, kdf: KdfParams) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def wrap_data_key(
    workspace_id: str,
    kind: SlotKind,
    username: str,
    secret: bytes,
    data_key: bytes | bytearray,
    kdf: KdfParams,
) -> KeySlot:
    import secrets
    import uuid

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    slot = KeySlot(
        slot_id=str(uuid.uuid4()),
        kind=kind,
        username=username,
        kdf=kdf,
        salt=secrets.token_bytes(16),
        nonce=secrets.token_bytes(12),
        wrapped_key=b"",
    )
    kek = derive_wrapping_key(secret, slot.salt, kdf)
    slot.wrapped_key = AESGCM(kek).encrypt(
        slot.nonce, bytes(data_key), slot.associated_data(workspace_id)
    )
    return slot


def unwrap_data_key(workspace_id: str, slot: KeySlot, secret: bytes) -> bytearray:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kek = derive_wrapping_key(secret, slot.salt, slot.kdf)
    try:
        plain = AESGCM(kek).decrypt(
            slot.nonce, slot.wrapped_key, slot.associated_data(workspace_id)
        )
    except InvalidTag:
        if slot.kind is SlotKind.RECOVERY:
            raise WrongPassphraseError(N_("The recovery code is not correct.")) from None
        raise WrongPassphraseError(N_("The passphrase is not correct.")) from None
    if len(plain) != DATA_KEY_BYTES:
        raise KeyringError(N_("A key slot holds a key of the wrong size."))
    return bytearray(plain)


def new_recovery_code() -> str:
    """160 random bits as eight groups of four Crockford base32 characters."""
    import secrets

    value = secrets.randbits(_RECOVERY_BITS)
    chars = []
    for _ in range(_RECOVERY_BITS // 5):
        chars.append(_RECOVERY_ALPHABET[value & 31])
        value >>= 5
    code = "".join(reversed(chars))
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_recovery_code(code: str) -> str:
    """Accept the code as people type it: any case, spaces or dashes, O for 0, I or L for 1."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != _RECOVERY_BITS // 5 or any(c not in _RECOVERY_ALPHABET for c in cleaned):
        raise WrongPassphraseError(
            N_("A recovery code has 32 letters and digits, in eight groups of four.")
        )
    return cleaned


def wipe(buffer: bytearray) -> None:
    """Overwrite a key buffer in place; Python copies cannot all be reached, this one can."""
    for i in range(len(buffer)):
        buffer[i] = 0


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
