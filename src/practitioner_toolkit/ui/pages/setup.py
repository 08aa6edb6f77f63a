"""First run: create a workspace and its first supervisor, then show the recovery code once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit import paths
from practitioner_toolkit.i18n import _
from practitioner_toolkit.store import MIN_PASSPHRASE_LENGTH, StoreError, folder_name_for
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.fonts import scale_font
from practitioner_toolkit.ui.widgets import (
    NO_RECENT_FILES,
    WrapLabel,
    heading,
    secret_field,
    show_error,
)


class SetupPage(QWidget):
    """Create a workspace (real or training) with its first supervisor account."""

    created = Signal(object, str)  # Workspace, recovery code
    cancelled = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.training = False
        self.title = heading("")
        self.explanation = WrapLabel()
        self.name = QLineEdit()
        self.display_name = QLineEdit()
        self.username = QLineEdit()
        self.passphrase = secret_field()
        self.repeat = secret_field()
        self.status = WrapLabel()
        self.create_button = QPushButton()
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._create)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.labels = [QLabel() for _ in range(5)]
        form = QFormLayout()
        for label, field in zip(
            self.labels,
            (self.name, self.display_name, self.username, self.passphrase, self.repeat),
            strict=True,
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        box = QWidget()
        box.setMaximumWidth(640)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.explanation)
        inner.addLayout(form)
        inner.addWidget(self.status)
        inner.addLayout(buttons)
        inner.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 3)
        outer.addStretch(1)
        self.retranslate_ui()

    def start(self, training: bool) -> None:
        self.training = training
        for field in (self.name, self.display_name, self.username, self.passphrase, self.repeat):
            field.clear()
        if training:
            self.name.setText(_("Training workspace"))
        self.status.set_text("")
        self.create_button.setEnabled(True)
        self.retranslate_ui()
        self.name.setFocus()

    def retranslate_ui(self) -> None:
        self.title.setText(_("New training workspace") if self.training else _("New workspace"))
        self.explanation.set_text(
            _(
                "Training workspaces hold fictional cases only and are kept apart from real "
                "ones. Everything in a workspace is encrypted. You will be its first "
                "supervisor."
            )
            if self.training
            else _(
                "Everything in a workspace is encrypted on this computer. You will be its "
                "first supervisor and can add other users later. Choose a passphrase of "
                "several words that others cannot guess."
            )
        )
        texts = (
            _("Workspace &name (for example the post or office)"),
            _("Your &full name"),
            _("Your &user name"),
            _("&Passphrase (at least {count} characters)").format(count=MIN_PASSPHRASE_LENGTH),
            _("&Repeat the passphrase"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        for field, text in zip(
            (self.name, self.display_name, self.username, self.passphrase, self.repeat),
            texts,
            strict=True,
        ):
            field.setAccessibleName(text.replace("&", ""))
        self.create_button.setText(_("&Create workspace"))
        self.cancel_button.setText(_("Cancel"))

    def _create(self) -> None:
        if self.passphrase.text() != self.repeat.text():
            self.status.set_text(_("The two passphrases differ."))
            self.repeat.setFocus()
            return
        name = self.name.text().strip()
        folder = _free_folder(paths.workspaces_dir(), folder_name_for(name or "workspace"))
        values = {
            "name": name,
            "username": self.username.text(),
            "display_name": self.display_name.text() or self.username.text(),
            "passphrase": self.passphrase.text(),
            "training": self.training,
            "kdf": self.ctx.kdf,
        }
        self.create_button.setEnabled(False)
        self.status.set_text(_("Creating the encrypted workspace…"))

        def failed(exc: Exception) -> None:
            self.create_button.setEnabled(True)
            if isinstance(exc, StoreError):
                self.status.set_text(exc.translated())
            else:
                self.status.set_text("")
                show_error(self, exc)

        def work(_p: object) -> object:
            from practitioner_toolkit.store import Workspace

            return Workspace.create(folder, **values)  # type: ignore[arg-type]

        self.ctx.ops.run(
            work,
            owner=self,
            on_done=lambda result: self.created.emit(*result),  # type: ignore[misc]
            on_error=failed,
        )


def _free_folder(root: Path, name: str) -> Path:
    candidate, number = root / name, 2
    while candidate.exists():
        candidate, number = root / f"{name}-{number}", number + 1
    return candidate


class RecoveryCodePage(QWidget):
    """Shown once after set-up: the code that can reset any passphrase."""

    acknowledged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code = ""
        self._workspace_name = ""
        self.title = heading("")
        self.explanation = WrapLabel()
        self.code_label = QLabel()
        self.code_label.setObjectName("recoveryCode")
        scale_font(self.code_label, 1.7, bold=True, letter_spacing=2)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self._save_sheet)
        self.stored = QCheckBox()
        self.continue_button = QPushButton()
        self.continue_button.setEnabled(False)
        self.stored.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._continue)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.code_label)
        layout.addWidget(self.save_button)
        layout.addWidget(self.stored)
        layout.addWidget(self.continue_button)
        layout.addStretch(1)
        self.retranslate_ui()

    def show_code(self, code: str, workspace_name: str) -> None:
        self._code = code
        self._workspace_name = workspace_name
        self.code_label.setText(code)
        self.code_label.setAccessibleName(code)
        self.stored.setChecked(False)
        self.stored.setFocus()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Your recovery code"))
        self.explanation.set_text(
            _(
                "Write this code down or save the recovery sheet and print it, then keep it "
                "locked away. It is shown only now. With it, a supervisor can set a new "
                "passphrase for anyone who forgets theirs. Without it or a passphrase, nobody "
                "can open this workspace: not you, not the developers."
            )
        )
        self.save_button.setText(_("&Save recovery sheet as PDF…"))
        self.stored.setText(_("I have stored the recovery code &safely"))
        self.continue_button.setText(_("C&ontinue"))

    def _save_sheet(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save recovery sheet"),
            "recovery-sheet.pdf",
            "PDF (*.pdf)",
            options=NO_RECENT_FILES,
        )
        if target:
            write_recovery_sheet(Path(target), self._code, self._workspace_name)

    def _continue(self) -> None:
        self._code = ""
        self.code_label.clear()
        self.acknowledged.emit()


def write_recovery_sheet(path: Path, code: str, workspace_name: str) -> None:
    """A one-page PDF with the code (no case data; safe to print)."""
    # Imported here: these Qt classes are slow to set up and only needed on this path.
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter)
    writer.setTitle("Recovery sheet")
    document = QTextDocument()
    document.setDefaultFont(QFont("Noto Sans", 12))
    heading_text = _("Practitioner Toolkit: recovery sheet")
    body = _(
        "Workspace: {name}. Keep this sheet locked away. Anyone holding it and the "
        "computer can read the workspace."
    ).format(name=workspace_name)
    document.setHtml(
        f"<h1>{_escape(heading_text)}</h1><p>{_escape(body)}</p>"
        f"<p style='font-size:22pt; font-weight:bold; letter-spacing:3px'>{_escape(code)}</p>"
    )
    document.print_(writer)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
