"""Teams of real, encrypted workspaces (with the fast test KDF) that sync through files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from practitioner_toolkit.store import Interpreter, IntervieweeDetails, Workspace
from practitioner_toolkit.sync import DeviceCard, ExportResult, SyncService
from tests.conftest import FAST_KDF, PASSPHRASE


@dataclass
class Device:
    name: str
    folder: Path
    ws: Workspace
    sync: SyncService

    @property
    def id(self) -> str:
        return self.ws.info.device_id

    def export(self, out: Path, *, everything: bool = False) -> ExportResult:
        result = self.sync.export_bundle(out, everything=everything)
        assert result is not None, f"{self.name} had nothing to export"
        return result

    def reopen(self) -> None:
        self.ws.lock()
        self.ws = Workspace.unlock(self.folder, "supervisor", PASSPHRASE, kdf=FAST_KDF)
        self.sync = SyncService(self.ws)


def make_device(folder: Path, name: str) -> Device:
    ws, _ = Workspace.create(
        folder,
        name=f"Post {name}",
        username="supervisor",
        display_name=f"Supervisor {name}",
        passphrase=PASSPHRASE,
        kdf=FAST_KDF,
    )
    return Device(name, folder, ws, SyncService(ws))


def join(founder: Device, newcomer: Device, *, admin: bool = False) -> None:
    """The paper process: card to the supervisor, team file back, fingerprints compared."""
    card = DeviceCard.from_bytes(newcomer.sync.card_bytes())
    founder.sync.approve_device(card, admin=admin)
    team_file = founder.sync.team_file_for(card.device_id)
    roster = founder.sync.roster()
    assert roster is not None
    newcomer.sync.join_team(team_file, expected_fingerprint=roster.fingerprint)


def make_team(root: Path, names: list[str]) -> list[Device]:
    devices = [make_device(root / name, name) for name in names]
    devices[0].sync.create_team("Border team")
    for device in devices[1:]:
        join(devices[0], device)
    return devices


def open_devices(root: Path, names: list[str]) -> list[Device]:
    devices = []
    for name in names:
        ws = Workspace.unlock(root / name, "supervisor", PASSPHRASE, kdf=FAST_KDF)
        devices.append(Device(name, root / name, ws, SyncService(ws)))
    return devices


def new_session(device: Device) -> tuple[str, str]:
    case = device.ws.cases.open_case(IntervieweeDetails(alias="Min"), post="Mae Sot")
    session = device.ws.cases.start_session(
        case.id, "adult", "1.0.0", "en", "my", Interpreter(False)
    )
    return case.id, session.id


@pytest.fixture(scope="session")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three devices in one team, locked on disk, copied for each test that needs a team.

    ``a`` founded the team and approved ``b`` then ``c``; ``b`` joined before ``c`` was
    approved, so it learns about ``c`` only from ``a``'s bundles, as in real life.
    """
    root = tmp_path_factory.mktemp("team-template") / "devices"
    devices = make_team(root, ["a", "b", "c"])
    for device in devices:
        device.ws.lock()
    return root


@pytest.fixture
def team(team_template: Path, tmp_path: Path) -> Iterator[list[Device]]:
    devices = copy_team(team_template, tmp_path / "devices")
    # Everyone hears of everyone (the founder's first bundle), so each test starts settled.
    first = devices[0].export(tmp_path / "roster")
    for device in devices[1:]:
        device.sync.import_file(first.path)
    yield devices
    for device in devices:
        device.ws.lock()


def copy_team(template: Path, destination: Path) -> list[Device]:
    shutil.copytree(template, destination)
    return open_devices(destination, ["a", "b", "c"])
