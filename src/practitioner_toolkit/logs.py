"""Logging and crash reports that never carry personal data.

Log calls in this code base pass ids, counts and type names only. As a second line of defence,
crash reports keep the exception type and the code location of each frame, but never the
exception message or local variables (either may quote an answer or a name).
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from practitioner_toolkit import paths

_LOG_FILE = "practitioner-toolkit.log"


def configure_logging(level: int = logging.INFO) -> None:
    from logging.handlers import RotatingFileHandler  # only the entry points need it

    root = logging.getLogger()
    root.setLevel(level)
    if any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        return
    folder = paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        folder / _LOG_FILE, maxBytes=512_000, backupCount=2, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def redacted_traceback(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """Exception type plus file:line:function of each frame; no message, no values."""
    lines = [f"{exc_type.__module__}.{exc_type.__qualname__}"]
    for frame in traceback.extract_tb(tb):
        lines.append(f"  {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name}")
    return "\n".join(lines)


def install_crash_handler(show: Callable[[str], None] | None = None) -> None:
    """Replace sys.excepthook: log a redacted report, then tell the user (if a UI is up)."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report = redacted_traceback(exc_type, tb)
        logging.getLogger("crash").error("unexpected error\n%s", report)
        if show is not None:
            show(report)

    sys.excepthook = hook


def disable_core_dumps() -> None:
    """A crash must not leave a memory image (decrypted pages, the key) on the disk."""
    try:
        import resource
    except ImportError:  # Windows writes no core files unless configured to
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
