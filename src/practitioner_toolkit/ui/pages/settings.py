"""Settings: display (everyone), users (supervisors), service directory, retention."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit.forms.vocabulary import SERVICES
from practitioner_toolkit.i18n import LANGUAGES, _
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store import (
    AGENCY_KINDS,
    Agency,
    RetentionPolicy,
    Role,
    User,
)
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.pages.unlock import language_combo
from practitioner_toolkit.ui.preferences import FONT_SIZES, IDLE_LOCK_CHOICES, Preferences
from practitioner_toolkit.ui.widgets import WrapLabel, add_rows, confirm, secret_field, show_error

ROLE_LABELS = {
    Role.SCREENER: N_("Screener"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.TRAINER: N_("Trainer"),
}
AGENCY_KIND_LABELS = {
    "shelter": N_("Shelter"),
    "medical": N_("Medical"),
    "legal": N_("Legal aid"),
    "psychosocial": N_("Psychosocial support"),
    "child_protection": N_("Child protection"),
    "labour": N_("Labour rights"),
    "immigration": N_("Immigration"),
    "law_enforcement": N_("Law enforcement"),
    "consular": N_("Consular"),
    "repatriation": N_("Return and reintegration"),
    "ngo": N_("NGO (general)"),
    "government": N_("Government office"),
    "other": N_("Other"),
}


class SettingsDialog(QDialog):
    preferences_changed = Signal(object)  # Preferences

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Settings"))
        self.resize(760, 560)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._display_tab(), _("&Display"))
        self.tabs.addTab(PassphraseTab(ctx), _("&My passphrase"))
        role = ctx.ws.user.role
        if role is Role.SUPERVISOR:
            self.tabs.addTab(UsersTab(ctx), _("&Users"))
        if role in (Role.SUPERVISOR, Role.TRAINER):
            self.tabs.addTab(DirectoryTab(ctx), _("Service &directory"))
        if role is Role.SUPERVISOR:
            self.tabs.addTab(RetentionTab(ctx), _("&Retention"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def show_tab(self, kind: type[QWidget]) -> None:
        """Bring the tab of this kind to the front."""
        for index in range(self.tabs.count()):
            if isinstance(self.tabs.widget(index), kind):
                self.tabs.setCurrentIndex(index)
                return
        raise LookupError(kind.__name__)

    def _display_tab(self) -> QWidget:
        prefs = self.ctx.preferences
        tab = QWidget()
        self.language = language_combo(prefs.language)
        self.language.setAccessibleName(_("Interface language"))
        self.font_size = QComboBox()
        for size in FONT_SIZES:
            self.font_size.addItem(f"{int(size)} pt", size)
        self.font_size.setCurrentIndex(max(0, self.font_size.findData(prefs.font_size)))
        self.font_size.setAccessibleName(_("Text size"))
        self.idle = QComboBox()
        for minutes in IDLE_LOCK_CHOICES:
            self.idle.addItem(_("{minutes} minutes").format(minutes=minutes), minutes)
        self.idle.setCurrentIndex(max(0, self.idle.findData(prefs.idle_lock_minutes)))
        self.idle.setAccessibleName(_("Lock after inactivity"))
        form = QFormLayout(tab)
        add_rows(
            form,
            (
                (_("Interface &language"), self.language),
                (_("&Text size"), self.font_size),
                (_("Lock after &inactivity"), self.idle),
            ),
        )
        for combo in (self.language, self.font_size, self.idle):
            combo.currentIndexChanged.connect(self._display_changed)
        return tab

    def _display_changed(self) -> None:
        prefs: Preferences = replace(
            self.ctx.preferences,
            language=self.language.currentData(),
            font_size=float(self.font_size.currentData()),
            idle_lock_minutes=int(self.idle.currentData()),
        )
        self.preferences_changed.emit(prefs)


class PassphraseTab(QWidget):
    """Anyone changes their own passphrase: one key slot is rewritten, the data is untouched."""

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.current = secret_field()
        self.new = secret_field()
        self.repeat = secret_field()
        self.change_button = QPushButton(_("C&hange passphrase"))
        self.change_button.clicked.connect(self._change)
        self.repeat.returnPressed.connect(self._change)
        self.status = WrapLabel()
        form = QFormLayout()
        add_rows(
            form,
            (
                (_("&Current passphrase"), self.current),
                (_("&New passphrase"), self.new),
                (_("&Repeat the passphrase"), self.repeat),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def _change(self) -> None:
        current, new, repeat = self.current.text(), self.new.text(), self.repeat.text()
        for field in (self.current, self.new, self.repeat):
            field.clear()
        if new != repeat:
            self.status.set_text(_("The two passphrases differ."))
            return
        ws = self.ctx.ws
        username = ws.user.username
        self.status.set_text("")
        self.ctx.ops.run(
            lambda _p: ws.users.change_passphrase(username, current, new),
            owner=self,
            on_done=lambda _r: self.status.set_text(
                _("Your passphrase was changed. Use it the next time you unlock.")
            ),
            on_error=lambda e: show_error(self, e),
        )


_ACTIVE_ROLE = Qt.ItemDataRole.UserRole + 1


class UsersTab(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.users = QListWidget()
        self.users.setAccessibleName(_("Users"))
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for role, label in ROLE_LABELS.items():
            self.role.addItem(_(label), role.value)
        self.passphrase = secret_field()
        self.add_button = QPushButton(_("&Add user"))
        self.add_button.clicked.connect(self._add)
        self.deactivate_button = QPushButton(_("D&eactivate selected user"))
        self.deactivate_button.clicked.connect(self._deactivate)
        # A forgotten passphrase: the supervisor types a new one in the passphrase field.
        self.reset_button = QPushButton(_("Se&t a new passphrase for the selected user"))
        self.reset_button.clicked.connect(self._reset)
        self.users.currentRowChanged.connect(self._update_buttons)
        self.status = WrapLabel()
        form = QFormLayout()
        add_rows(
            form,
            (
                (_("User &name"), self.username),
                (_("&Full name"), self.display_name),
                (_("R&ole"), self.role),
                (_("&Passphrase"), self.passphrase),
            ),
        )
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(self.users)
        left.addWidget(self.reset_button)
        left.addWidget(self.deactivate_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.add_button)
        right.addWidget(self.status)
        right.addStretch(1)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._reload()

    def _reload(self) -> None:
        ws = self.ctx.ws
        self.ctx.ops.run(lambda _p: ws.users.list(), owner=self, on_done=self._show)

    def _show(self, users: list[User]) -> None:
        self.users.clear()
        for user in users:
            state = "" if user.active else f" ({_('deactivated')})"
            item = QListWidgetItem(
                f"{user.display_name} — {user.username} — {_(ROLE_LABELS[user.role])}{state}"
            )
            item.setData(Qt.ItemDataRole.UserRole, user.username)
            item.setData(_ACTIVE_ROLE, user.active)
            self.users.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.users.currentItem()
        other_active = (
            item is not None
            and bool(item.data(_ACTIVE_ROLE))
            and item.data(Qt.ItemDataRole.UserRole) != self.ctx.ws.user.username
        )  # one's own passphrase is changed in "My passphrase", with the current one
        self.reset_button.setEnabled(other_active)
        self.deactivate_button.setEnabled(other_active)

    def _reset(self) -> None:
        item = self.users.currentItem()
        if item is None:
            return
        username = str(item.data(Qt.ItemDataRole.UserRole))
        passphrase = self.passphrase.text()
        self.passphrase.clear()
        ws = self.ctx.ws
        self.ctx.ops.run(
            lambda _p: ws.users.change_passphrase(username, "", passphrase),
            owner=self,
            on_done=lambda _r: self.status.set_text(
                _("New passphrase set for {user}.").format(user=username)
            ),
            on_error=lambda e: show_error(self, e),
        )

    def _add(self) -> None:
        ws = self.ctx.ws
        username, name = self.username.text(), self.display_name.text()
        role, passphrase = Role(self.role.currentData()), self.passphrase.text()
        self.passphrase.clear()

        def done(user: User) -> None:
            self.status.set_text(_("Added {name}.").format(name=user.display_name))
            self.username.clear()
            self.display_name.clear()
            self._reload()

        self.ctx.ops.run(
            lambda _p: ws.users.add(username, name, role, passphrase),
            owner=self,
            on_done=done,
            on_error=lambda e: show_error(self, e),
        )

    def _deactivate(self) -> None:
        item = self.users.currentItem()
        if item is None:
            return
        username = item.data(Qt.ItemDataRole.UserRole)
        if not confirm(
            self,
            _("Deactivate user"),
            _("{user} will no longer be able to unlock this workspace.").format(user=username),
        ):
            return
        ws = self.ctx.ws
        self.ctx.ops.run(
            lambda _p: ws.users.deactivate(username),
            owner=self,
            on_done=lambda _r: self._reload(),
            on_error=lambda e: show_error(self, e),
        )


class DirectoryTab(QWidget):
    """Edit the local service directory (agencies a case can be referred to)."""

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.agencies: list[Agency] = []
        self.list = QListWidget()
        self.list.setAccessibleName(_("Agencies"))
        self.list.currentRowChanged.connect(self._select)
        self.name = QLineEdit()
        self.kind = QComboBox()
        for kind in AGENCY_KINDS:
            self.kind.addItem(_(AGENCY_KIND_LABELS[kind]), kind)
        self.services = QListWidget()
        for code, label in SERVICES.items():
            item = QListWidgetItem(_(label))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.services.addItem(item)
        self.languages = QListWidget()
        for lang in LANGUAGES:
            item = QListWidgetItem(f"{lang.native_name} — {lang.english_name}")
            item.setData(Qt.ItemDataRole.UserRole, lang.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.languages.addItem(item)
        self.area = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.hours = QLineEdit()
        self.verified = QLineEdit()
        self.verified.setPlaceholderText(_("YYYY-MM-DD"))
        form = QFormLayout()
        add_rows(
            form,
            (
                (_("&Name"), self.name),
                (_("&Kind"), self.kind),
                (_("&Services"), self.services),
                (_("Lan&guages"), self.languages),
                (_("&Area"), self.area),
                (_("Add&ress"), self.address),
                (_("&Phone"), self.phone),
                (_("&E-mail"), self.email),
                (_("&Hours"), self.hours),
                (_("Last &verified"), self.verified),
            ),
        )
        self.new_button = QPushButton(_("Ne&w agency"))
        self.new_button.clicked.connect(lambda: self._fill(None))
        self.save_button = QPushButton(_("Sa&ve agency"))
        self.save_button.clicked.connect(self._save)
        self.delete_button = QPushButton(_("&Delete agency"))
        self.delete_button.clicked.connect(self._delete)
        left = QVBoxLayout()
        left.addWidget(self.list)
        left.addWidget(self.new_button)
        left.addWidget(self.delete_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.save_button)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 2)
        self._editing: str = ""
        self._reload()

    def _reload(self, select: str | None = None) -> None:
        ws = self.ctx.ws
        self.ctx.ops.run(
            lambda _p: ws.agencies.list(), owner=self, on_done=lambda a: self._show(a, select)
        )

    def _show(self, agencies: list[Agency], select: str | None) -> None:
        self.agencies = agencies
        self.list.blockSignals(True)
        self.list.clear()
        for agency in agencies:
            self.list.addItem(agency.name)
        self.list.blockSignals(False)
        index = next((i for i, a in enumerate(agencies) if a.id == select), 0 if agencies else -1)
        self.list.setCurrentRow(index)
        self._select(index)

    def _select(self, row: int) -> None:
        self._fill(self.agencies[row] if 0 <= row < len(self.agencies) else None)

    def _fill(self, agency: Agency | None) -> None:
        self._editing = agency.id if agency else ""
        self.name.setText(agency.name if agency else "")
        self.kind.setCurrentIndex(max(0, self.kind.findData(agency.kind if agency else "shelter")))
        for widget, chosen in (
            (self.services, agency.services if agency else ()),
            (self.languages, agency.languages if agency else ()),
        ):
            for i in range(widget.count()):
                item = widget.item(i)
                checked = item.data(Qt.ItemDataRole.UserRole) in chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        for field, value in (
            (self.area, agency.area if agency else None),
            (self.address, agency.address if agency else None),
            (self.phone, agency.phone if agency else None),
            (self.email, agency.email if agency else None),
            (self.hours, agency.hours if agency else None),
            (self.verified, agency.verified_on if agency else None),
        ):
            field.setText(value or "")
        if agency is None:
            self.name.setFocus()

    @staticmethod
    def _checked(widget: QListWidget) -> tuple[str, ...]:
        return tuple(
            widget.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        )

    def _save(self) -> None:
        agency = Agency(
            id=self._editing,
            name=self.name.text(),
            kind=self.kind.currentData(),
            services=self._checked(self.services),
            languages=self._checked(self.languages),
            area=self.area.text().strip() or None,
            address=self.address.text().strip() or None,
            phone=self.phone.text().strip() or None,
            email=self.email.text().strip() or None,
            hours=self.hours.text().strip() or None,
            verified_on=self.verified.text().strip() or None,
        )
        ws = self.ctx.ws
        self.ctx.ops.run(
            lambda _p: ws.agencies.save(agency),
            owner=self,
            on_done=lambda saved: self._reload(saved.id),
            on_error=lambda e: show_error(self, e),
        )

    def _delete(self) -> None:
        if not self._editing:
            return
        agency_id = self._editing
        if not confirm(self, _("Delete agency"), _("Remove this agency from the directory?")):
            return
        ws = self.ctx.ws
        self.ctx.ops.run(
            lambda _p: ws.agencies.delete(agency_id),
            owner=self,
            on_done=lambda _r: self._reload(),
            on_error=lambda e: show_error(self, e),
        )


class RetentionTab(QWidget):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.days = QSpinBox()
        self.days.setRange(0, 3650)
        self.days.setSpecialValueText(_("Keep until deleted by hand"))
        self.days.setSuffix(" " + _("days"))
        self.days.setAccessibleName(_("Keep cases for"))
        self.mode = QComboBox()
        self.mode.addItem(_("Anonymise (keep coded answers for statistics)"), "anonymise")
        self.mode.addItem(_("Delete completely"), "delete")
        self.mode.setAccessibleName(_("What happens to old cases"))
        self.save_button = QPushButton(_("&Save policy"))
        self.save_button.clicked.connect(self._save)
        self.apply_button = QPushButton(_("&Apply the policy now"))
        self.apply_button.clicked.connect(self._apply)
        self.status = WrapLabel()
        form = QFormLayout()
        add_rows(
            form,
            ((_("&Keep cases for"), self.days), (_("&Then"), self.mode)),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(
            WrapLabel(
                _(
                    "Cases whose last screening is older than this are anonymised or deleted "
                    "for good: the data is overwritten in the file, not just hidden."
                )
            )
        )
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.apply_button)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        policy = ctx.ws.retention.policy()
        self.days.setValue(policy.max_age_days or 0)
        self.mode.setCurrentIndex(max(0, self.mode.findData(policy.mode)))

    def _policy(self) -> RetentionPolicy:
        return RetentionPolicy(self.days.value() or None, self.mode.currentData())

    def _save(self) -> None:
        ws, policy = self.ctx.ws, self._policy()
        self.ctx.ops.run(
            lambda _p: ws.retention.set_policy(policy),
            owner=self,
            on_done=lambda _r: self.status.set_text(_("Policy saved.")),
            on_error=lambda e: show_error(self, e),
        )

    def _apply(self) -> None:
        if not confirm(
            self,
            _("Apply retention"),
            _("Old cases will be anonymised or deleted now. This cannot be undone."),
        ):
            return
        ws, policy = self.ctx.ws, self._policy()

        def work(_p: object) -> object:
            ws.retention.set_policy(policy)
            return ws.retention.apply()

        self.ctx.ops.run(
            work,
            owner=self,
            on_done=lambda report: self.status.set_text(
                _("{deleted} cases deleted, {anonymised} anonymised.").format(
                    deleted=report.cases_deleted,  # type: ignore[attr-defined]
                    anonymised=report.cases_anonymised,  # type: ignore[attr-defined]
                )
            ),
            on_error=lambda e: show_error(self, e),
        )
