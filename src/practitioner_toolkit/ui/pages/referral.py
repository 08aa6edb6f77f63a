"""Making a referral (agency, services, urgency, consent, what is shared) and its PDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressDialog,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit.forms import OutcomeResult
from practitioner_toolkit.forms.vocabulary import (
    CONSENT_GIVEN_BY,
    CONSENT_METHODS,
    CONSENT_STATEMENTS,
    SERVICES,
    URGENCY,
)
from practitioner_toolkit.i18n import LANGUAGES, _, current_language
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store import (
    SHAREABLE_FIELDS,
    Agency,
    Consent,
    ConsentMethod,
    Referral,
    Urgency,
)
from practitioner_toolkit.store.timeutil import utc_now
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.widgets import (
    NO_RECENT_FILES,
    WrapLabel,
    mark_as_problem,
    secret_field,
    show_error,
)

SHAREABLE_LABELS = {
    "given_name": N_("Given name"),
    "family_name": N_("Family name"),
    "alias": N_("Alias"),
    "sex": N_("Sex"),
    "age": N_("Age"),
    "nationality": N_("Nationality"),
    "languages": N_("Languages spoken"),
    "screening_summary": N_("Summary of the screening findings"),
}
URGENCY_LABELS = {Urgency(code): label for code, label in URGENCY.items()}
CONSENT_METHOD_LABELS = {ConsentMethod(code): label for code, label in CONSENT_METHODS.items()}
GIVEN_BY_LABELS = CONSENT_GIVEN_BY


@dataclass(frozen=True)
class ReferralRequest:
    agency_id: str
    services: tuple[str, ...]
    urgency: Urgency
    consent: Consent
    shared_fields: tuple[str, ...]
    reason: str | None
    summary: str | None


class ReferralDialog(QDialog):
    def __init__(
        self,
        agencies: list[Agency],
        outcome: OutcomeResult | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New referral"))
        self.resize(720, 780)
        self.agency = QComboBox()
        for agency in agencies:
            self.agency.addItem(agency.name, agency.id)
        self.agency.setAccessibleName(_("Receiving agency"))
        self.services = QListWidget()
        self.services.setAccessibleName(_("Services requested"))
        recommended = set(outcome.referrals if outcome else ())
        for code, label in SERVICES.items():
            item = QListWidgetItem(_(label))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if code in recommended else Qt.CheckState.Unchecked
            )
            self.services.addItem(item)
        self.urgency_group = QButtonGroup(self)
        urgency_row = QHBoxLayout()
        suggested = Urgency(outcome.urgency) if outcome and outcome.urgency else Urgency.ROUTINE
        for urgency, label in URGENCY_LABELS.items():
            radio = QRadioButton(_(label))
            radio.setProperty("urgency", urgency.value)
            radio.setChecked(urgency is suggested)
            self.urgency_group.addButton(radio)
            urgency_row.addWidget(radio)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(_("Reason for referral"))

        self.consent_given = QCheckBox(_("Informed consent to this referral was &given"))
        self.given_by = QComboBox()
        for code, label in GIVEN_BY_LABELS.items():
            self.given_by.addItem(_(label), code)
        self.given_by.setAccessibleName(_("Consent given by"))
        self.method = QComboBox()
        for method, label in CONSENT_METHOD_LABELS.items():
            self.method.addItem(_(label), method.value)
        self.method.setAccessibleName(_("How consent was given"))
        self.statements = QListWidget()
        self.statements.setAccessibleName(_("What was explained"))
        for code, label in CONSENT_STATEMENTS.items():
            item = QListWidgetItem(_(label))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.statements.addItem(item)
        self.witness = QLineEdit()
        self.witness.setAccessibleName(_("Witness"))

        self.shared: dict[str, QCheckBox] = {}
        shared_box = QGroupBox(_("Details shared with the receiving agency (the person decides)"))
        shared_layout = QVBoxLayout(shared_box)
        shared_layout.addWidget(
            WrapLabel(_("Share only what the agency needs for the services requested."))
        )
        for code in SHAREABLE_FIELDS:
            box = QCheckBox(_(SHAREABLE_LABELS[code]))
            self.shared[code] = box
            shared_layout.addWidget(box)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setAccessibleName(_("Short note for the receiving agency"))
        self.summary.setFixedHeight(self.summary.fontMetrics().lineSpacing() * 4 + 12)
        self.problem = WrapLabel()
        mark_as_problem(self.problem)

        form = QFormLayout()
        form.addRow(_("Receiving &agency"), self.agency)
        form.addRow(_("&Services requested"), self.services)
        form.addRow(_("Urgency"), urgency_row)
        form.addRow(_("Reason (o&ptional)"), self.reason)
        consent_box = QGroupBox(_("Consent"))
        consent_form = QFormLayout(consent_box)
        consent_form.addRow(self.consent_given)
        consent_form.addRow(_("Given &by"), self.given_by)
        consent_form.addRow(_("&How"), self.method)
        consent_form.addRow(_("&Explained"), self.statements)
        consent_form.addRow(_("&Witness (optional)"), self.witness)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        if not agencies:
            body_layout.addWidget(
                WrapLabel(
                    _(
                        "The service directory is empty. A supervisor can add agencies in "
                        "Settings › Service directory."
                    )
                )
            )
        body_layout.addLayout(form)
        body_layout.addWidget(consent_box)
        body_layout.addWidget(shared_box)
        summary_label = QLabel(_("Short &note for the receiving agency (optional)"))
        summary_label.setBuddy(self.summary)
        body_layout.addWidget(summary_label)
        body_layout.addWidget(self.summary)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create referral"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.method.currentIndexChanged.connect(self._method_changed)

    def _method_changed(self) -> None:
        child = self.method.currentData() == ConsentMethod.NOT_REQUIRED_CHILD_SAFEGUARDING.value
        if child:
            self.consent_given.setChecked(False)
            for box in self.shared.values():
                box.setChecked(False)
        self.consent_given.setEnabled(not child)
        for box in self.shared.values():
            box.setEnabled(not child)

    def _accept(self) -> None:
        if self.agency.count() == 0:
            self.problem.set_text(_("Choose a receiving agency."))
            return
        if not self.request().services:
            self.problem.set_text(_("Choose at least one service."))
            return
        self.accept()

    def request(self) -> ReferralRequest:
        services = tuple(
            self.services.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.services.count())
            if self.services.item(i).checkState() == Qt.CheckState.Checked
        )
        statements = tuple(
            self.statements.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.statements.count())
            if self.statements.item(i).checkState() == Qt.CheckState.Checked
        )
        checked = self.urgency_group.checkedButton()
        urgency = Urgency(checked.property("urgency")) if checked else Urgency.ROUTINE
        return ReferralRequest(
            agency_id=self.agency.currentData(),
            services=services,
            urgency=urgency,
            consent=Consent(
                given=self.consent_given.isChecked(),
                given_by=self.given_by.currentData(),
                method=ConsentMethod(self.method.currentData()),
                recorded_at=utc_now(),
                statements=statements,
                witness=self.witness.text().strip() or None,
            ),
            shared_fields=tuple(code for code, box in self.shared.items() if box.isChecked()),
            reason=self.reason.text().strip() or None,
            summary=self.summary.toPlainText().strip() or None,
        )


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    language: str
    bilingual: bool
    page_size: str
    password: str | None


class ExportDialog(QDialog):
    """Language, layout and optional password of the referral PDF."""

    def __init__(self, referral: Referral, agency: Agency | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Export referral PDF"))
        self.referral = referral
        self.language = QComboBox()
        default = agency.languages[0] if agency and agency.languages else current_language()
        for lang in LANGUAGES:
            self.language.addItem(f"{lang.native_name} — {lang.english_name}", lang.code)
        self.language.setCurrentIndex(max(0, self.language.findData(default)))
        self.language.setAccessibleName(_("Language of the form"))
        self.bilingual = QCheckBox(_("Add &English beside the agency's language"))
        self.page_size = QComboBox()
        self.page_size.addItem("A4", "A4")
        self.page_size.addItem("US Letter", "Letter")
        self.page_size.setAccessibleName(_("Paper size"))
        self.password = secret_field()
        self.password.setAccessibleName(_("Password to open the PDF (optional)"))
        self.repeat = secret_field()
        self.repeat.setAccessibleName(_("Repeat the password"))
        self.problem = WrapLabel()
        form = QFormLayout()
        form.addRow(_("&Language"), self.language)
        form.addRow("", self.bilingual)
        form.addRow(_("&Paper"), self.page_size)
        form.addRow(_("Pass&word (optional)"), self.password)
        form.addRow(_("&Repeat password"), self.repeat)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            WrapLabel(
                _(
                    "Save the PDF only where it is needed (for example a USB stick for the "
                    "agency), and delete copies once handed over."
                )
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.chosen_path: Path | None = None

    def _accept(self) -> None:
        if self.password.text() != self.repeat.text():
            self.problem.set_text(_("The two passwords differ."))
            return
        target, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save referral"),
            f"{self.referral.reference}.pdf",
            "PDF (*.pdf)",
            options=NO_RECENT_FILES,
        )
        if not target:
            return
        self.chosen_path = Path(target if target.lower().endswith(".pdf") else target + ".pdf")
        self.accept()

    def choice(self) -> ExportChoice:
        assert self.chosen_path is not None
        return ExportChoice(
            path=self.chosen_path,
            language=self.language.currentData(),
            bilingual=self.bilingual.isChecked(),
            page_size=self.page_size.currentData(),
            password=self.password.text() or None,
        )


def run_export(ctx: UiContext, parent: QWidget, referral_id: str, choice: ExportChoice) -> None:
    """Write the PDF on the background lane with a progress dialog; the window stays live."""
    from practitioner_toolkit.referral import ReferralPdfOptions, export_referral_pdf

    progress = QProgressDialog(_("Writing the referral PDF…"), "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setWindowTitle(_("Export referral PDF"))
    progress.setMinimumDuration(300)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    ws, registry = ctx.ws, ctx.registry
    options = ReferralPdfOptions(
        language=choice.language,
        bilingual=choice.bilingual,
        page_size=choice.page_size,
        password=choice.password,
    )

    def work(report: object) -> Path:
        return export_referral_pdf(ws, registry, referral_id, choice.path, options, report)  # type: ignore[arg-type]

    def on_progress(done: int, total: int) -> None:
        progress.setMaximum(total)
        progress.setValue(done)

    def finished(path: Path) -> None:
        progress.close()
        progress.deleteLater()
        parent.window().statusBar().showMessage(  # type: ignore[attr-defined]
            _("Referral saved: {file}").format(file=path.name), 8000
        )

    def failed(exc: Exception) -> None:
        progress.close()
        progress.deleteLater()
        show_error(parent, exc)

    ctx.ops.run(work, owner=parent, on_done=finished, on_error=failed, on_progress=on_progress)
