"""Per-device display preferences, readable before unlocking (so nothing personal in them).

Language, text size, idle lock delay and the last workspace folder: the unlock screen needs
them before any key exists. Stored as JSON beside the workspaces, written atomically.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from practitioner_toolkit import paths
from practitioner_toolkit.i18n import is_supported
from practitioner_toolkit.store.atomic import atomic_write_bytes

FONT_SIZES = (10.0, 12.0, 14.0, 16.0)
IDLE_LOCK_CHOICES = (1, 2, 5, 10, 15, 30)


@dataclass(frozen=True)
class Preferences:
    language: str = "en"
    font_size: float = 12.0
    idle_lock_minutes: int = 5
    last_workspace: str | None = None

    @classmethod
    def path(cls) -> Path:
        return paths.user_data_dir() / "preferences.json"

    @classmethod
    def load(cls) -> Preferences:
        try:
            data = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        prefs = cls()
        if isinstance(data.get("language"), str) and is_supported(data["language"]):
            prefs = replace(prefs, language=data["language"])
        if data.get("font_size") in FONT_SIZES:
            prefs = replace(prefs, font_size=float(data["font_size"]))
        if data.get("idle_lock_minutes") in IDLE_LOCK_CHOICES:
            prefs = replace(prefs, idle_lock_minutes=int(data["idle_lock_minutes"]))
        if isinstance(data.get("last_workspace"), str):
            prefs = replace(prefs, last_workspace=data["last_workspace"])
        return prefs

    def save(self) -> None:
        atomic_write_bytes(self.path(), json.dumps(asdict(self), indent=2).encode("utf-8"))
