"""The unlock screen: choose workspace and user, enter the passphrase."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit import paths
from practitioner_toolkit.i18n import LANGUAGES, _, current_language
from practitioner_toolkit.store import (
    StoreError,
    UnlockThrottledError,
    WorkspaceHandle,
    list_workspaces,
)

if TYPE_CHECKING:
    from practitioner_toolkit.store import Workspace
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.widgets import disposing, heading, secret_field, show_error


def language_combo(current: str) -> QComboBox:
    combo = QComboBox()
    for lang in LANGUAGES:
        label = (
            lang.native_name if lang.code == "en" else f"{lang.native_name} ({lang.english_name})"
        )
        combo.addItem(label, lang.code)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    # Size from a fixed length rather than by measuring every item: measuring shapes text in
    # five scripts and loads every font before the first paint.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(24)
    return combo


class UnlockPage(QWidget):
    unlocked = Signal(object)  # Workspace
    create_requested = Signal(bool)  # training?
    language_chosen = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._handles: list[WorkspaceHandle] = []
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self._clear_wait)

        self.title = heading("")
        self.language = language_combo(ctx.preferences.language)
        self.language.currentIndexChanged.connect(
            lambda: self.language_chosen.emit(self.language.currentData())
        )
        self.workspace = QComboBox()
        self.workspace.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.workspace.setMinimumContentsLength(24)
        self.workspace.currentIndexChanged.connect(self._fill_users)
        self.user = QComboBox()
        self.passphrase = secret_field()
        self.passphrase.returnPressed.connect(self._unlock)
        self.unlock_button = QPushButton()
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("status")
        self.recover_button = QPushButton()
        self.recover_button.clicked.connect(self._recover)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(lambda: self.create_requested.emit(False))
        self.training_button = QPushButton()
        self.training_button.clicked.connect(lambda: self.create_requested.emit(True))

        self.form = QFormLayout()
        self.language_label = QLabel()
        self.workspace_label = QLabel()
        self.user_label = QLabel()
        self.passphrase_label = QLabel()
        for label, field in (
            (self.language_label, self.language),
            (self.workspace_label, self.workspace),
            (self.user_label, self.user),
            (self.passphrase_label, self.passphrase),
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)

        box = QWidget()
        box.setMaximumWidth(620)
        inner = QVBoxLayout(box)
        inner.addStretch(1)
        inner.addWidget(self.title)
        inner.addSpacing(12)
        inner.addLayout(self.form)
        inner.addWidget(self.unlock_button)
        inner.addWidget(self.status)
        inner.addSpacing(24)
        for button in (self.recover_button, self.new_button, self.training_button):
            button.setFlat(True)
            inner.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 3)
        outer.addStretch(1)
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Practitioner Toolkit"))
        self.language_label.setText(_("&Language"))
        self.workspace_label.setText(_("&Workspace"))
        self.user_label.setText(_("&User"))
        self.passphrase_label.setText(_("&Passphrase"))
        self.unlock_button.setText(_("&Unlock"))
        self.recover_button.setText(_("Forgot passphrase? Use the &recovery code"))
        self.new_button.setText(_("&New workspace…"))
        self.training_button.setText(_("New &training workspace…"))
        # The language may have changed in the settings: the chooser shows the one in use.
        self.language.blockSignals(True)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language.blockSignals(False)
        for widget, name in (
            (self.language, _("Language")),
            (self.workspace, _("Workspace")),
            (self.user, _("User")),
            (self.passphrase, _("Passphrase")),
        ):
            widget.setAccessibleName(name)
        self._fill_workspace_labels()

    def refresh(self) -> None:
        self._handles = list_workspaces(paths.workspaces_dir())
        self.workspace.blockSignals(True)
        self.workspace.clear()
        for handle in self._handles:
            self.workspace.addItem("", str(handle.directory))
        self._fill_workspace_labels()
        last = self.ctx.preferences.last_workspace
        index = self.workspace.findData(last) if last else -1
        self.workspace.setCurrentIndex(max(0, index))
        self.workspace.blockSignals(False)
        self._fill_users()
        self.passphrase.clear()
        self.status.clear()
        self.passphrase.setFocus()

    def _fill_workspace_labels(self) -> None:
        for i, handle in enumerate(self._handles):
            suffix = f" — {_('training')}" if handle.training else ""
            self.workspace.setItemText(i, handle.name + suffix)

    def _current_handle(self) -> WorkspaceHandle | None:
        index = self.workspace.currentIndex()
        return self._handles[index] if 0 <= index < len(self._handles) else None

    def _fill_users(self) -> None:
        self.user.clear()
        handle = self._current_handle()
        if handle:
            self.user.addItems(list(handle.usernames))

    def _unlock(self) -> None:
        handle = self._current_handle()
        if handle is None:
            self.status.setText(_("There is no workspace yet: create one first."))
            return
        username = self.user.currentText()
        passphrase = self.passphrase.text()
        if not passphrase:
            self.status.setText(_("Enter your passphrase."))
            return
        self.passphrase.clear()
        self.unlock_button.setEnabled(False)
        self.status.setText(_("Unlocking…"))
        directory, kdf = handle.directory, self.ctx.kdf

        def work(_progress: object) -> Workspace:
            from practitioner_toolkit.store import Workspace

            return Workspace.unlock(directory, username, passphrase, kdf=kdf)

        self.ctx.ops.run(
            work,
            owner=self,
            on_done=self._done,
            on_error=self._failed,
        )

    def _done(self, workspace: Workspace) -> None:
        self.unlock_button.setEnabled(True)
        self.status.clear()
        self.unlocked.emit(workspace)

    def _failed(self, exc: Exception) -> None:
        self.unlock_button.setEnabled(True)
        if isinstance(exc, UnlockThrottledError):
            self.unlock_button.setEnabled(False)
            self._retry_timer.start(int(exc.retry_after_seconds * 1000) + 50)
        if isinstance(exc, StoreError):
            self.status.setText(exc.translated())
        else:
            self.status.clear()
            show_error(self, exc)
        self.passphrase.setFocus()

    def _clear_wait(self) -> None:
        self.unlock_button.setEnabled(True)
        self.status.clear()

    def _recover(self) -> None:
        handle = self._current_handle()
        if handle is None:
            return
        dialog = RecoveryDialog(self.ctx, handle.directory, list(handle.usernames), self)
        with disposing(dialog):
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            workspace = dialog.workspace
        if accepted and workspace is not None:
            self.unlocked.emit(workspace)


class RecoveryDialog(QDialog):
    """Unlock with the recovery code and set a new passphrase for one user."""

    def __init__(
        self, ctx: UiContext, directory: Path, usernames: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.directory = directory
        self.workspace: Workspace | None = None
        self.setWindowTitle(_("Recover access"))
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.user = QComboBox()
        self.user.addItems(usernames)
        self.new_passphrase = secret_field()
        self.repeat = secret_field()
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("&Recovery code"), self.code)
        form.addRow(_("&User"), self.user)
        form.addRow(_("&New passphrase"), self.new_passphrase)
        form.addRow(_("Re&peat it"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._recover)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        explanation = QLabel(
            _(
                "The recovery code was shown once when the workspace was created. It lets a "
                "supervisor set a new passphrase for any user."
            )
        )
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.buttons = buttons

    def _recover(self) -> None:
        if self.new_passphrase.text() != self.repeat.text():
            self.status.setText(_("The two passphrases differ."))
            return
        code, user, passphrase = (
            self.code.text(),
            self.user.currentText(),
            self.new_passphrase.text(),
        )
        directory, kdf = self.directory, self.ctx.kdf
        self.buttons.setEnabled(False)
        self.status.setText(_("Checking the recovery code…"))

        def done(workspace: Workspace) -> None:
            self.workspace = workspace
            self.accept()

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            self.status.setText(exc.translated() if isinstance(exc, StoreError) else "")
            if not isinstance(exc, StoreError):
                show_error(self, exc)

        def work(_p: object) -> Workspace:
            from practitioner_toolkit.store import Workspace

            return Workspace.recover(directory, code, user, passphrase, kdf=kdf)

        self.ctx.ops.run(
            work,
            owner=self,
            on_done=done,
            on_error=failed,
        )
        self.code.setFocus(Qt.FocusReason.OtherFocusReason)
