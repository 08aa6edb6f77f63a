"""What every page shares: preferences, the background lane, forms and the open workspace."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from practitioner_toolkit.store import KdfParams
from practitioner_toolkit.ui.operations import Operations
from practitioner_toolkit.ui.preferences import Preferences

if TYPE_CHECKING:
    from practitioner_toolkit.forms import FormRegistry
    from practitioner_toolkit.forms.session import ScreeningService
    from practitioner_toolkit.store import Workspace
    from practitioner_toolkit.sync import SyncService


class AppSignals(QObject):
    language_changed = Signal(str)
    workspace_unlocked = Signal()
    workspace_locked = Signal()


class LazyRegistry:
    """The bundled forms, loaded once, on first use or ahead of time on a worker thread.

    The unlock screen needs no forms; loading them (and the forms engine) after the window is
    shown makes it appear sooner.
    """

    def __init__(self, load: Callable[[], FormRegistry]) -> None:
        self._load = load
        self._value: FormRegistry | None = None
        self._lock = threading.Lock()

    def get(self) -> FormRegistry:
        with self._lock:
            if self._value is None:
                self._value = self._load()
            return self._value


@dataclass
class UiContext:
    ops: Operations
    forms: LazyRegistry | FormRegistry
    preferences: Preferences
    signals: AppSignals
    kdf: KdfParams = field(default_factory=KdfParams)
    workspace: Workspace | None = None
    _sync: tuple[Workspace, SyncService] | None = field(default=None, repr=False)

    @property
    def registry(self) -> FormRegistry:
        forms = self.forms
        return forms.get() if isinstance(forms, LazyRegistry) else forms

    @property
    def ws(self) -> Workspace:
        if self.workspace is None or self.workspace.is_locked:
            raise RuntimeError("no unlocked workspace")
        return self.workspace

    @property
    def screenings(self) -> ScreeningService:
        from practitioner_toolkit.forms.session import ScreeningService

        return ScreeningService(self.ws, self.registry)

    @property
    def sync(self) -> SyncService:
        """One sync service per open workspace: the timed folder sync and the Sync window
        share it, so its lock keeps them from running a folder sync at the same time."""
        ws = self.ws
        if self._sync is None or self._sync[0] is not ws:
            from practitioner_toolkit.sync import SyncService

            self._sync = (ws, SyncService(ws))
        return self._sync[1]
