"""The sync folder kept in step while a workspace is open.

Soon after unlocking and then every minute, this device's changes are written to the sync
folder and the other devices' bundles are taken in, whenever the folder can be reached (a USB
stick plugged in, a network share back). The work runs on a lane of its own, so answers being
saved never wait behind an import; the status bar shows progress and a one-line summary.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from practitioner_toolkit.i18n import _
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.operations import Operations

if TYPE_CHECKING:  # the sync package (libsodium) loads with the first run, not at start-up
    from practitioner_toolkit.sync import SyncReport

_log = logging.getLogger(__name__)

INTERVAL_MS = 60_000
FIRST_DELAY_MS = 3_000


class FolderSync(QObject):
    """Timed folder sync for the open workspace; the window starts and stops it."""

    progress = Signal(int, int)  # done, total
    finished = Signal(str, bool)  # summary for the status bar (may be empty), data arrived?

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lane = Operations(self)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.run_now)
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

    def run_now(self) -> None:
        if self.running or self.ctx.workspace is None or self.ctx.workspace.is_locked:
            return
        from practitioner_toolkit.sync import SyncError

        service, state = self.ctx.sync, self.ctx.ws.sync_state

        def work(report: object) -> SyncReport | None:
            folder = state.sync_folder()
            if not folder or state.team() is None:
                return None  # nothing set up: nothing to do, nothing to say
            try:
                return service.sync_folder(
                    Path(folder),
                    lambda _stage, done, total: report(done, total),  # type: ignore[operator]
                )
            except SyncError:
                return None  # not (or no longer) approved: the Sync window says why

        self.lane.run(
            work,
            owner=self,
            on_done=self._done,
            on_error=self._failed,
            on_progress=self.progress.emit,
        )

    def _done(self, report: SyncReport | None) -> None:
        if report is None or not report.reachable:
            self.finished.emit("", False)
            return
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
