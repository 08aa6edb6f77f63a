"""Store and export work off the GUI thread, one operation at a time, in order.

A small take on Anki's operations: ``ops.run(work, on_done=..., on_error=...)`` runs ``work``
on a single background thread (so answers are saved in the order they were given) and calls
back on the GUI thread. ``work`` must not touch widgets. Callbacks are skipped if their owner
widget was destroyed meanwhile (the window was locked, a page closed).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_log = logging.getLogger(__name__)
T = TypeVar("T")
ProgressCallback = Callable[[int, int], None]


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Job(QRunnable, Generic[T]):
    def __init__(self, work: Callable[[ProgressCallback], T], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._work(lambda done, total: self._signals.progress.emit(done, total))
        except Exception as exc:  # handed to the GUI thread, which decides what to show
            self._signals.failed.emit(exc)
        else:
            self._signals.done.emit(result)


class Operations(QObject):
    """The one background lane for database and file work."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending = 0
        self._lock = threading.Lock()
        self._signals: set[_Signals] = set()
        self._epoch = 0
        self.error_handler: Callable[[Exception], None] = _log_unexpected

    def run(
        self,
        work: Callable[[ProgressCallback], T],
        *,
        owner: QObject,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> None:
        signals = _Signals()
        self._signals.add(signals)
        epoch = self._epoch

        def alive() -> bool:
            return epoch == self._epoch and shiboken6.isValid(owner)

        def finished() -> None:
            self._signals.discard(signals)
            self._set_pending(-1)

        def done(result: Any) -> None:
            finished()
            if on_done is not None and alive():
                on_done(result)

        def failed(exc: Exception) -> None:
            finished()
            if on_error is not None and alive():
                on_error(exc)
            else:
                self.error_handler(exc)

        signals.done.connect(done)
        signals.failed.connect(failed)
        if on_progress is not None:
            signals.progress.connect(lambda d, t: on_progress(d, t) if alive() else None)
        self._set_pending(+1)
        self._pool.start(_Job(work, signals))

    def drop_results(self) -> None:
        """Results of work queued so far reach no page (after a lock, nothing may be shown).

        Their errors still go to ``error_handler``: a save that failed must be reported.
        """
        self._epoch += 1

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Block until queued work has run (used before locking and in tests)."""
        return self._pool.waitForDone(timeout_ms)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def _set_pending(self, delta: int) -> None:
        with self._lock:
            before = self._pending > 0
            self._pending += delta
            after = self._pending > 0
        if before != after:
            self.busy_changed.emit(after)


def _log_unexpected(exc: Exception) -> None:
    # Type only: exception messages may quote data.
    _log.error("background operation failed: %s", type(exc).__name__)
