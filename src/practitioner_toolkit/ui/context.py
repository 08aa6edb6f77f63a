"""What every page shares: preferences, the background lane, forms and the open workspace."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from practitioner_toolkit.forms import FormRegistry
from practitioner_toolkit.forms.session import ScreeningService
from practitioner_toolkit.store import KdfParams, Workspace
from practitioner_toolkit.ui.operations import Operations
from practitioner_toolkit.ui.preferences import Preferences


class AppSignals(QObject):
    language_changed = Signal(str)
    workspace_unlocked = Signal()
    workspace_locked = Signal()


@dataclass
class UiContext:
    ops: Operations
    registry: FormRegistry
    preferences: Preferences
    signals: AppSignals
    kdf: KdfParams = field(default_factory=KdfParams)
    workspace: Workspace | None = None

    @property
    def ws(self) -> Workspace:
        if self.workspace is None or self.workspace.is_locked:
            raise RuntimeError("no unlocked workspace")
        return self.workspace

    @property
    def screenings(self) -> ScreeningService:
        return ScreeningService(self.ws, self.registry)
