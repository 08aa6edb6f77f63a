"""Fixtures for the referral tests: a training workspace, and where PNGs go.

Set ``REFERRAL_PNG_DIR`` (and ``REFERRAL_PNG_DPI``) to keep the rendered pages for a person
to look at (e.g. /tmp/referral-png at 110 dpi); otherwise they go to the test's temporary
folder. The tests need poppler-utils (pdftoppm, pdftotext), which .ci/run installs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from practitioner_toolkit.store import Workspace
from tests.conftest import FAST_KDF, PASSPHRASE


@pytest.fixture
def training_workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws, _code = Workspace.create(
        tmp_path / "training",
        name="Training border post",
        username="trainer",
        display_name="Somchai Trainer",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
        training=True,
    )
    yield ws
    ws.lock()


@pytest.fixture
def png_dir(tmp_path: Path) -> Path:
    keep = os.environ.get("REFERRAL_PNG_DIR")
    return Path(keep) if keep else tmp_path / "png"


@pytest.fixture
def png_dpi() -> int:
    """50 dpi is enough for the checks; ask for more (REFERRAL_PNG_DPI) to read the pages."""
    return int(os.environ.get("REFERRAL_PNG_DPI", "50"))
