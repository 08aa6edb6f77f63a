"""The sync and export dialogs: long work runs on the background lane and reports back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from practitioner_toolkit.export import validate_htcds_file
from practitioner_toolkit.sync import SyncService
from practitioner_toolkit.ui.pages.export import ExportRecordsDialog
from practitioner_toolkit.ui.pages.sync import SyncDialog
from tests.ui.conftest import settle, unlock


def _unlocked(qtbot: QtBot, make_window: object, registry: object) -> object:
    window = make_window(registry)  # type: ignore[operator]
    unlock(qtbot, window)
    return window


def test_a_bundle_is_exported_to_a_usb_folder_from_the_sync_dialog(
    qtbot: QtBot,
    make_window: object,
    fixture_registry: object,
    workspace_on_disk: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = _unlocked(qtbot, make_window, fixture_registry)
    SyncService(window.ctx.ws).create_team("Mae Sot team")  # type: ignore[attr-defined]
    dialog = SyncDialog(window.ctx, window)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    settle(qtbot, window)  # type: ignore[arg-type]
    assert "Mae Sot team" in dialog.status_label.text()
    assert dialog.tabs.count() == 3  # a supervisor also sees the conflicts tab
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(usb)))
    dialog._export()
    settle(qtbot, window)  # type: ignore[arg-type]
    bundles = list(usb.glob("*.ptkbundle"))
    assert len(bundles) == 1
    assert bundles[0].name in dialog.results.item(0).text()
    assert b"Hope Shelter" not in bundles[0].read_bytes()  # encrypted


def test_records_are_exported_as_htcds_with_progress(
    qtbot: QtBot,
    make_window: object,
    fixture_registry: object,
    workspace_on_disk: object,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = _unlocked(qtbot, make_window, fixture_registry)
    window.new_case()  # type: ignore[attr-defined]
    settle(qtbot, window)  # type: ignore[arg-type]
    target = tmp_path / "cases.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "*.json"))
    )
    dialog = ExportRecordsDialog(window.ctx, window)  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("htcds-json"))
    dialog._export()
    settle(qtbot, window)  # type: ignore[arg-type]
    assert target.exists()
    assert validate_htcds_file(target) == []
    assert "cases.json" in dialog.summary_label.text()
