"""Finding workspaces before any is unlocked: names and users from their keyring files.

Kept light (no database code) because the unlock screen needs it before anything else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from practitioner_toolkit.store.errors import KeyringError
from practitioner_toolkit.store.keyring import Keyring

DATABASE_FILE = "workspace.db"
KEYRING_FILE = "keyring.json"


@dataclass(frozen=True)
class WorkspaceHandle:
    """What can be known about a workspace before unlocking it (nothing personal)."""

    directory: Path
    name: str
    training: bool
    usernames: tuple[str, ...]


def list_workspaces(root: Path) -> list[WorkspaceHandle]:
    handles: list[WorkspaceHandle] = []
    if not root.is_dir():
        return handles
    for child in sorted(root.iterdir()):
        keyring_path = child / KEYRING_FILE
        if not keyring_path.is_file():
            continue
        try:
            keyring = Keyring.load(keyring_path)
        except KeyringError:
            continue
        handles.append(
            WorkspaceHandle(
                child, keyring.workspace_name, keyring.training, tuple(keyring.usernames())
            )
        )
    return handles


def folder_name_for(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40]
    if slug:
        return slug
    import secrets  # rarely needed; kept out of the unlock window's imports

    return f"workspace-{secrets.token_hex(4)}"
