"""The sync folder kept in step while a workspace is open.

Soon after unlocking, when the folder becomes reachable (a USB stick plugged in, a network
share back; looked for every 30 s) and every 5 minutes while it stays reachable, this device's
changes are written to the sync folder and the other devices' bundles are taken in. Every sync
with news writes a bundle file, so a shorter period would fill a shared folder faster. The
work runs on a lane of its own, so answers being saved never wait behind an import; the status
bar shows progress and a one-line summary.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from practitioner_toolkit.i18n import _
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.operations import Operations

if TYPE_CHECKING:  # the sync package (libsodium) loads with the first run, not at start-up
    from practitioner_toolkit.sync import SyncReport

_log = logging.getLogger(__name__)

CHECK_MS = 30_000  # how often the folder is looked for
SYNC_EVERY_S = 300.0  # how often a reachable folder is synced
FIRST_DELAY_MS = 3_000


@dataclass(frozen=True)
class _Run:
    reachable: bool
    report: SyncReport | None  # None: nothing was synced


class FolderSync(QObject):
    """Timed folder sync for the open workspace; the window starts and stops it."""

    progress = Signal(int, int)  # done, total
    finished = Signal(str, bool)  # summary for the status bar (may be empty), data arrived?

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lane = Operations(self)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self._reachable = False  # at the last look
        self._last_sync: float | None = None  # time.monotonic() of the last sync
        self.first = QTimer(self)
        self.first.setSingleShot(True)
        self.first.setInterval(FIRST_DELAY_MS)
        self.first.timeout.connect(self.run_now)

    @property
    def running(self) -> bool:
        return self.lane.busy

    def start(self) -> None:
        self.first.start()
        self.timer.start()

    def stop(self) -> None:
        """Before the workspace closes: no new run, the current one finished, its result
        dropped."""
        self.first.stop()
        self.timer.stop()
        self.lane.wait_idle()
        self.lane.drop_results()
        self._reachable, self._last_sync = False, None

    def run_now(self) -> None:
        """Sync at once if the folder can be reached (soon after unlocking)."""
        self._run(due=True)

    def check(self) -> None:
        """Sync if the folder has just become reachable, or was last synced 5 minutes ago."""
        last = self._last_sync
        self._run(due=last is None or time.monotonic() - last >= SYNC_EVERY_S)

    def _run(self, *, due: bool) -> None:
        if self.running or self.ctx.workspace is None or self.ctx.workspace.is_locked:
            return
        from practitioner_toolkit.sync import SyncError

        service, state = self.ctx.sync, self.ctx.ws.sync_state
        was_reachable = self._reachable

        def work(report: object) -> _Run:
            folder = state.sync_folder()
            if not folder or state.team() is None:
                return _Run(False, None)  # nothing set up: nothing to do, nothing to say
            path = Path(folder)
            if not path.is_dir():
                return _Run(False, None)
            if was_reachable and not due:
                return _Run(True, None)
            try:
                return _Run(
                    True,
                    service.sync_folder(
                        path,
                        lambda _stage, done, total: report(done, total),  # type: ignore[operator]
                    ),
                )
            except SyncError:
                return _Run(True, None)  # not (or no longer) approved: the Sync window says why

        self.lane.run(
            work,
            owner=self,
            on_done=self._done,
            on_error=self._failed,
            on_progress=self.progress.emit,
        )

    def _done(self, run: _Run) -> None:
        self._reachable = run.reachable
        report = run.report
        if report is None or not report.reachable:
            self.finished.emit("", False)
            return
        self._last_sync = time.monotonic()
        sent = report.exported.rows if report.exported is not None else 0
        received = report.accepted
        new_refusals = sum(1 for f in report.files if f.status == "rejected" and not f.repeated)
        if new_refusals:
            summary = _("Sync folder: {count} files could not be used; see Workspace › Sync.")
            self.finished.emit(summary.format(count=new_refusals), received > 0)
        elif sent or received:
            summary = _("Sync folder: {sent} changes sent, {received} bundles taken in.")
            self.finished.emit(summary.format(sent=sent, received=received), received > 0)
        else:
            self.finished.emit("", False)

    def _failed(self, exc: Exception) -> None:
        _log.error("folder sync failed: %s", type(exc).__name__)  # type only: no data
        self.finished.emit(_("Sync folder: the last sync failed; see Workspace › Sync."), False)
