"""Export of records (HTCDS 2.0 or analyst tables), with the same data minimisation as a
referral: no personal detail leaves unless chosen and agreed by the person."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit.export import ExportOptions, export_records
from practitioner_toolkit.export.options import FORMAT_LABELS, SUFFIXES
from practitioner_toolkit.i18n import _
from practitioner_toolkit.store import SHAREABLE_FIELDS
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.pages.referral import SHAREABLE_LABELS
from practitioner_toolkit.ui.widgets import NO_RECENT_FILES, WrapLabel, show_error


class ExportRecordsDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Export records"))
        self.format = QComboBox()
        for code, label in FORMAT_LABELS.items():
            self.format.addItem(_(label), code)
        self.format.setAccessibleName(_("Format"))
        self.personal: dict[str, QCheckBox] = {}
        box = QGroupBox(_("Personal details to include (only where the person agreed)"))
        box_layout = QVBoxLayout(box)
        for code in SHAREABLE_FIELDS:
            check = QCheckBox(_(SHAREABLE_LABELS[code]))
            self.personal[code] = check
            box_layout.addWidget(check)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Progress"))
        self.progress.hide()
        self.summary_label = WrapLabel()
        form = QFormLayout()
        format_label = QLabel(_("&Format"))
        format_label.setBuddy(self.format)
        form.addRow(format_label, self.format)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.accepted.connect(self._export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            WrapLabel(
                _(
                    "By default an export holds only pseudonymous references and coded "
                    "findings. Answers and notes are never exported."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.buttons)

    def _export(self) -> None:
        code = str(self.format.currentData())
        target, _filter = QFileDialog.getSaveFileName(
            self,
            _("Export records"),
            f"records{SUFFIXES[code]}",
            f"*{SUFFIXES[code]}",
            options=NO_RECENT_FILES,
        )
        if not target:
            return
        options = ExportOptions(
            format=code,  # type: ignore[arg-type]
            include_personal=tuple(c for c, box in self.personal.items() if box.isChecked()),
        )
        ws, registry, path = self.ctx.ws, self.ctx.registry, Path(target)
        self.buttons.setEnabled(False)
        self.progress.show()

        def progress(done: int, total: int) -> None:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)

        def finished(summary: object) -> None:
            self.buttons.setEnabled(True)
            self.progress.hide()
            notes: list[str] = list(getattr(summary, "notes", list)())
            saved = _("Saved {file}.").format(file=path.name)
            self.summary_label.set_text("\n".join([saved, *notes]))

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            self.progress.hide()
            show_error(self, exc)

        self.ctx.ops.run(
            lambda report: export_records(ws, registry, path, options, report),
            owner=self,
            on_done=finished,
            on_error=failed,
            on_progress=progress,
        )
