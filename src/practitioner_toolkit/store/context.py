"""What every store service shares once a workspace is unlocked: one object, passed in."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.audit import AuditLog
from practitioner_toolkit.store.database import Database
from practitioner_toolkit.store.errors import PermissionDeniedError
from practitioner_toolkit.store.journal import Journal
from practitioner_toolkit.store.models import Role, User, WorkspaceInfo


@dataclass
class StoreContext:
    db: Database
    journal: Journal
    audit: AuditLog
    info: WorkspaceInfo
    actor: User

    def require_role(self, *roles: Role) -> None:
        if self.actor.role not in roles:
            allowed = " or ".join(r.value for r in roles)
            raise PermissionDeniedError(N_("Only a {roles} can do this."), roles=allowed)

    def get_meta(self, key: str) -> str | None:
        value = self.db.scalar("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def next_counter(self, name: str) -> int:
        """A per-device counter for human-readable references (call inside a transaction)."""
        key = f"counter:{name}"
        value = int(self.get_meta(key) or 0) + 1
        self.set_meta(key, str(value))
        return value

    @property
    def device_code(self) -> str:
        """Four characters identifying this device inside references (not secret)."""
        return self.info.device_id[:4].upper()


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def load_json(text: str | None, default: Any = None) -> Any:
    if text is None:
        return default
    return json.loads(text)
