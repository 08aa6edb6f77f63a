"""Sync by file: this device, its team, the sync folder, bundles on USB, and conflicts.

Everything slow (bundle export and import, folder sync) runs on the background lane with a
progress bar; the window stays usable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit.i18n import _
from practitioner_toolkit.i18n.formatting import format_datetime
from practitioner_toolkit.store import Conflict, Role
from practitioner_toolkit.sync import DeviceCard
from practitioner_toolkit.sync.service import SyncReport, SyncStatus
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.operations import ProgressCallback
from practitioner_toolkit.ui.widgets import NO_RECENT_FILES, WrapLabel, confirm, show_error


def _file_status(status: str) -> str:
    labels = {
        "accepted": _("Accepted"),
        "duplicate": _("Already imported"),
        "rejected": _("Rejected"),
        "incomplete": _("Still being copied"),
        "not-for-this-device": _("Not for this device"),
        "unreadable": _("Unreadable"),
    }
    return labels.get(status, status)


class SyncDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = ctx.sync
        self.setWindowTitle(_("Sync"))
        self.resize(820, 620)
        self.status_label = WrapLabel()
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Progress"))
        self.progress.hide()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._exchange_tab(), _("&Exchange"))
        self.tabs.addTab(self._team_tab(), _("&Team and devices"))
        if ctx.ws.user.role is Role.SUPERVISOR:
            self.tabs.addTab(self._conflicts_tab(), _("&Conflicts"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.progress)
        layout.addWidget(buttons)
        self.refresh()

    # -- tabs ----------------------------------------------------------------------------

    def _exchange_tab(self) -> QWidget:
        tab = QWidget()
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setAccessibleName(_("Sync folder"))
        choose = QPushButton(_("C&hoose folder…"))
        choose.clicked.connect(self._choose_folder)
        self.sync_button = QPushButton(_("&Sync now"))
        self.sync_button.clicked.connect(self._sync_now)
        export = QPushButton(_("E&xport a bundle to a folder (USB stick)…"))
        export.clicked.connect(self._export)
        import_ = QPushButton(_("&Import bundle files…"))
        import_.clicked.connect(self._import)
        self.results = QListWidget()
        self.results.setAccessibleName(_("Sync results"))
        folder_row = QHBoxLayout()
        folder_label = QLabel(_("Sync &folder"))
        folder_label.setBuddy(self.folder)
        folder_row.addWidget(folder_label)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        layout = QVBoxLayout(tab)
        layout.addWidget(
            WrapLabel(
                _(
                    "Records travel only as encrypted, signed bundle files. Point the app at a "
                    "shared folder (or one that a sync tool keeps in step), or carry bundles "
                    "on a USB stick."
                )
            )
        )
        layout.addLayout(folder_row)
        layout.addWidget(self.sync_button)
        row = QHBoxLayout()
        row.addWidget(export)
        row.addWidget(import_)
        layout.addLayout(row)
        layout.addWidget(self.results, 1)
        return tab

    def _team_tab(self) -> QWidget:
        tab = QWidget()
        self.device_info = WrapLabel()
        self.roster = QListWidget()
        self.roster.setAccessibleName(_("Devices in the team"))
        supervisor = self.ctx.ws.user.role is Role.SUPERVISOR
        card = QPushButton(_("Save this device's &card…"))
        card.clicked.connect(self._save_card)
        create = QPushButton(_("C&reate a team…"))
        create.clicked.connect(self._create_team)
        create.setVisible(supervisor)
        approve = QPushButton(_("&Approve a device card…"))
        approve.clicked.connect(self._approve)
        approve.setVisible(supervisor)
        revoke = QPushButton(_("Re&voke selected device…"))
        revoke.clicked.connect(self._revoke)
        revoke.setVisible(supervisor)
        join = QPushButton(_("&Join a team from a team file…"))
        join.clicked.connect(self._join)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.device_info)
        layout.addWidget(self.roster, 1)
        for row_buttons in ((card, join), (create, approve, revoke)):
            row = QHBoxLayout()
            for button in row_buttons:
                row.addWidget(button)
            layout.addLayout(row)
        return tab

    def _conflicts_tab(self) -> QWidget:
        tab = QWidget()
        self.conflicts = QListWidget()
        self.conflicts.setAccessibleName(_("Conflicts to review"))
        keep = QPushButton(_("&Keep the current value"))
        keep.clicked.connect(lambda: self._resolve("current"))
        restore = QPushButton(_("Restore the &other value"))
        restore.clicked.connect(lambda: self._resolve("other"))
        layout = QVBoxLayout(tab)
        layout.addWidget(
            WrapLabel(
                _(
                    "The same field was changed on two devices before they synced. The later "
                    "change was kept everywhere; review each one and restore the other value "
                    "if it was the right one."
                )
            )
        )
        layout.addWidget(self.conflicts, 1)
        row = QHBoxLayout()
        row.addWidget(keep)
        row.addWidget(restore)
        layout.addLayout(row)
        return tab

    # -- refresh -------------------------------------------------------------------------

    def refresh(self) -> None:
        service = self.service
        supervisor = self.ctx.ws.user.role is Role.SUPERVISOR

        def work(_p: object) -> tuple[SyncStatus, list[Conflict], list[str]]:
            status = service.status()
            conflicts = service.conflicts() if supervisor else []
            roster = service.roster()
            lines = []
            if roster is not None:
                for entry in roster.entries.values():
                    lines.append(f"{entry.name} · {entry.device_id} · {entry.fingerprint}")
            return status, conflicts, lines

        self.ctx.ops.run(
            work, owner=self, on_done=self._show, on_error=lambda e: show_error(self, e)
        )

    def _show(self, loaded: tuple[SyncStatus, list[Conflict], list[str]]) -> None:
        status, conflicts, roster_lines = loaded
        self.folder.setText(status.folder or "")
        self.sync_button.setEnabled(bool(status.folder) and status.approved)
        if status.team_name:
            team = _("Team {team} (fingerprint {fingerprint}), {count} devices.").format(
                team=status.team_name, fingerprint=status.team_fingerprint, count=status.devices
            )
        else:
            team = _("This device is not in a team yet.")
        pending = ""
        if status.pending is not None:
            pending = _("{count} changes waiting to be sent.").format(count=status.pending.total)
        last = ""
        if status.last_export is not None:
            last = _("Last bundle sent {when}.").format(when=format_datetime(status.last_export.at))
        self.status_label.set_text(" ".join(p for p in (team, pending, last) if p))
        self.device_info.set_text(
            _(
                "This device: {name}, fingerprint {fingerprint}. Compare fingerprints by eye or "
                "by phone before approving a device or joining a team."
            ).format(name=status.device_name, fingerprint=status.fingerprint)
        )
        self.roster.clear()
        for line in roster_lines:
            self.roster.addItem(line)
        if hasattr(self, "conflicts"):
            self.conflicts.clear()
            for conflict in conflicts:
                item = QListWidgetItem(
                    _("{record} · {field}: kept “{kept}”, other “{lost}”").format(
                        record=f"{conflict.entity} {conflict.entity_id[:8]}",
                        field=conflict.field,
                        kept=_short(conflict.kept_value),
                        lost=_short(conflict.lost_value),
                    )
                )
                item.setData(Qt.ItemDataRole.UserRole, conflict.id)
                self.conflicts.addItem(item)

    # -- actions -------------------------------------------------------------------------

    def _run(
        self, work: Callable[[ProgressCallback], object], done: Callable[[Any], object]
    ) -> None:
        self.progress.show()
        self.progress.setRange(0, 0)

        def finished(result: object) -> None:
            self.progress.hide()
            done(result)
            self.refresh()

        def failed(exc: Exception) -> None:
            self.progress.hide()
            show_error(self, exc)

        def progress(done_: int, total: int) -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done_)

        self.ctx.ops.run(
            work,
            owner=self,
            on_done=finished,
            on_error=failed,
            on_progress=progress,
        )

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Choose the sync folder"), options=NO_RECENT_FILES
        )
        if folder:
            state = self.ctx.ws.sync_state
            self._run(lambda _p: state.set_sync_folder(folder), lambda _r: None)

    def _sync_now(self) -> None:
        service, folder = self.service, Path(self.folder.text())

        def work(report: object) -> SyncReport:
            return service.sync_folder(folder, lambda _s, d, t: report(d, t))  # type: ignore[operator]

        self._run(work, self._show_report)

    def _show_report(self, report: SyncReport) -> None:
        self.results.clear()
        if not report.reachable:
            self.results.addItem(_("The folder cannot be reached now; nothing was changed."))
            return
        if report.exported is not None:
            self.results.addItem(
                _("Sent {name}: {rows} changes.").format(
                    name=report.exported.path.name, rows=report.exported.rows
                )
            )
        for result in report.files:
            text = f"{result.name}: {_file_status(result.status)}"
            if result.message:
                text += f" — {result.message}"
            self.results.addItem(text)
        if not report.files and report.exported is None:
            self.results.addItem(_("Nothing new to send or receive."))

    def _export(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Export the bundle to"), options=NO_RECENT_FILES
        )
        if not folder:
            return
        service = self.service
        self._run(
            lambda _p: service.export_bundle(Path(folder)),
            lambda result: self.results.addItem(
                _("Nothing to send.")
                if result is None
                else _("Saved {name}: {rows} changes.").format(
                    name=result.path.name, rows=result.rows
                )
            ),
        )

    def _import(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Import bundle files"),
            "",
            "Practitioner Toolkit bundles (*.ptkbundle)",
            options=NO_RECENT_FILES,
        )
        if not files:
            return
        service = self.service

        def work(report: object) -> list[str]:
            lines = []
            for index, name in enumerate(files):
                report(index, len(files))  # type: ignore[operator]
                try:
                    result = service.import_file(Path(name))
                except Exception as exc:
                    translated = getattr(exc, "translated", None)
                    message = translated() if callable(translated) else type(exc).__name__
                    lines.append(f"{Path(name).name}: {_('Rejected')} — {message}")
                    continue
                status = _("Already imported") if result.duplicate else _("Accepted")
                lines.append(f"{Path(name).name}: {status}")
            return lines

        self._run(work, lambda lines: [self.results.addItem(line) for line in lines])

    def _save_card(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save this device's card"),
            "device-card.ptkcard",
            "Device card (*.ptkcard)",
            options=NO_RECENT_FILES,
        )
        if target:
            path = Path(target)
            service = self.service
            self._run(
                lambda _p: service.write_card(path, path.with_suffix(".png")),
                lambda card: self.results.addItem(
                    _("Card saved with its QR code: {name}").format(name=path.name)
                ),
            )

    def _create_team(self) -> None:
        name, ok = QInputDialog.getText(self, _("Create a team"), _("Team name"))
        if ok and name.strip():
            service = self.service
            self._run(lambda _p: service.create_team(name.strip()), lambda _r: None)

    def _approve(self) -> None:
        source, _filter = QFileDialog.getOpenFileName(
            self,
            _("Approve a device card"),
            "",
            "Device card (*.ptkcard)",
            options=NO_RECENT_FILES,
        )
        if not source:
            return
        try:
            card = DeviceCard.from_bytes(Path(source).read_bytes())
        except Exception as exc:
            show_error(self, exc)
            return
        if not confirm(
            self,
            _("Approve device"),
            _(
                "Approve {name}? Its fingerprint is {fingerprint}. Compare it with the one shown "
                "on that device before you continue."
            ).format(name=card.name, fingerprint=card.fingerprint),
        ):
            return
        target, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the team file for this device"),
            f"team-{card.device_id}.ptkteam",
            "Team file (*.ptkteam)",
            options=NO_RECENT_FILES,
        )
        service = self.service

        def work(_p: object) -> None:
            service.approve_device(card)
            if target:
                Path(target).write_bytes(service.team_file_for(card.device_id))

        self._run(work, lambda _r: None)

    def _revoke(self) -> None:
        item = self.roster.currentItem()
        if item is None:
            return
        device_id = item.text().split(" · ")[1]
        if not confirm(
            self,
            _("Revoke device"),
            _("Stop exchanging records with device {device}? This cannot be undone.").format(
                device=device_id
            ),
        ):
            return
        service = self.service
        self._run(lambda _p: service.revoke_device(device_id), lambda _r: None)

    def _join(self) -> None:
        source, _filter = QFileDialog.getOpenFileName(
            self,
            _("Join a team"),
            "",
            "Team file (*.ptkteam)",
            options=NO_RECENT_FILES,
        )
        if not source:
            return
        data = Path(source).read_bytes()
        try:
            roster = self.service.read_team_file(data)
        except Exception as exc:
            show_error(self, exc)
            return
        if not confirm(
            self,
            _("Join team {team}").format(team=roster.team_name),
            _(
                "The team's fingerprint is {fingerprint}. Join only if it is exactly the "
                "fingerprint your supervisor gave you."
            ).format(fingerprint=roster.fingerprint),
        ):
            return
        service, expected = self.service, roster.fingerprint
        self._run(
            lambda _p: service.join_team(data, expected_fingerprint=expected), lambda _r: None
        )

    def _resolve(self, keep: str) -> None:
        item = self.conflicts.currentItem() if hasattr(self, "conflicts") else None
        if item is None:
            return
        conflict_id = item.data(Qt.ItemDataRole.UserRole)
        service = self.service
        self._run(lambda _p: service.resolve_conflict(conflict_id, keep), lambda _r: None)


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"
