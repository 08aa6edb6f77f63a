"""Shared fixtures. Qt runs offscreen and every test gets its own data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No system fonts: the tests see only what the app bundles, as on a bare machine.
os.environ["FONTCONFIG_FILE"] = str(Path(__file__).parent / "fonts" / "fonts.conf")

import pytest

from practitioner_toolkit.store import KdfParams, Workspace

PASSPHRASE = "correct horse battery staple"
FAST_KDF = KdfParams.fast_for_tests()


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path / "user-data"
    monkeypatch.setenv("PTK_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def workspace(workspace_dir: Path) -> Iterator[Workspace]:
    ws, _code = Workspace.create(
        workspace_dir,
        name="Test border post",
        username="supervisor",
        display_name="Test Supervisor",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
    )
    yield ws
    ws.lock()
