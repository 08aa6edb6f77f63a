"""The log and crash reports never carry personal data, and a crash leaves no memory image."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from practitioner_toolkit import paths
from practitioner_toolkit.logs import configure_logging, install_crash_handler

NAME = "Nang Somchai"
PASSPORT = "AA1234567"


@pytest.fixture
def log_file(isolated_data_dir: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    configure_logging()
    yield paths.log_dir() / "practitioner-toolkit.log"
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def _save_interviewee() -> None:
    details = f"{NAME}, passport {PASSPORT}"
    raise ValueError(f"could not save {details}")


def test_a_crash_report_names_the_error_and_the_code_but_no_message_or_value(
    log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    shown: list[str] = []
    install_crash_handler(shown.append)
    try:
        _save_interviewee()
    except ValueError:
        sys.excepthook(*sys.exc_info())
    text = log_file.read_text("utf-8")
    assert "builtins.ValueError" in text
    assert "test_logs.py" in text and "in _save_interviewee" in text
    assert len(shown) == 1 and shown[0] in text
    for secret in (NAME, PASSPORT, "could not save"):
        assert secret not in text and secret not in shown[0]


def test_configuring_twice_keeps_one_log_file_handler(log_file: Path) -> None:
    from logging.handlers import RotatingFileHandler

    configure_logging()
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert len(handlers) == 1
    assert Path(handlers[0].baseFilename) == log_file


def test_an_error_in_the_running_app_reaches_the_log_redacted(
    isolated_data_dir: Path, tmp_path: Path
) -> None:
    """The real window, an uncaught error in a Qt slot: the log and stderr stay clean."""
    script = textwrap.dedent(
        f"""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox

        from practitioner_toolkit.logs import configure_logging
        from practitioner_toolkit.ui import build_window

        # Offscreen there is no one to close the message box; record that it was shown.
        QMessageBox.critical = staticmethod(lambda *a, **k: print("told the user", flush=True))
        configure_logging()
        window = build_window([])
        window.show()

        def save_interviewee():
            details = "{NAME}, passport {PASSPORT}"
            raise ValueError("could not save " + details)

        QTimer.singleShot(0, save_interviewee)
        QTimer.singleShot(300, QApplication.quit)
        QApplication.exec()
        window.ctx.ops.wait_idle()
        """
    )
    temp = tmp_path / "system-temp"
    temp.mkdir()
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(temp),
        "TEMP": str(temp),
        "TMP": str(temp),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "told the user" in result.stdout
    log = (isolated_data_dir / "logs" / "practitioner-toolkit.log").read_text("utf-8")
    assert "unexpected error" in log and "builtins.ValueError" in log
    assert "in save_interviewee" in log
    for secret in (NAME, PASSPORT):
        assert secret not in log and secret not in result.stderr and secret not in result.stdout
    assert list(temp.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="Windows writes no core files by default")
def test_the_entry_points_forbid_core_dumps() -> None:
    script = (
        "import resource\n"
        "from practitioner_toolkit.logs import disable_core_dumps\n"
        "disable_core_dumps()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "(0, 0)"
