"""The main window: page navigation, menus, locking, live language switching."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QObject, QTimer
from PySide6.QtGui import QAction, QClipboard, QCloseEvent, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit import __version__
from practitioner_toolkit.i18n import _, set_language
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.folder_sync import FolderSync
from practitioner_toolkit.ui.fonts import rescale_fonts, scale_font, ui_font
from practitioner_toolkit.ui.pages.setup import RecoveryCodePage, SetupPage
from practitioner_toolkit.ui.pages.unlock import UnlockPage
from practitioner_toolkit.ui.preferences import Preferences
from practitioner_toolkit.ui.translator import GettextBridge
from practitioner_toolkit.ui.widgets import confirm, disposing, show_error

if TYPE_CHECKING:
    from practitioner_toolkit.forms import OutcomeResult
    from practitioner_toolkit.forms.session import ActiveScreening
    from practitioner_toolkit.store import Agency, Referral, Workspace
    from practitioner_toolkit.training import Scenario
    from practitioner_toolkit.ui.pages.case_detail import CasePage
    from practitioner_toolkit.ui.pages.cases import CasesPage
    from practitioner_toolkit.ui.pages.guidance import GuidancePage
    from practitioner_toolkit.ui.pages.outcome import OutcomePage
    from practitioner_toolkit.ui.pages.screening import ScreeningPage

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.InputMethod,
    QEvent.Type.TouchBegin,
}


def _forget_copied_text() -> None:
    """Empty the clipboard (and X11 selection) if this app filled it: a copied name must not
    outlive the lock. Text another program put there is left alone."""
    clipboard = QApplication.clipboard()
    if clipboard.ownsClipboard():
        clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection() and clipboard.ownsSelection():
        clipboard.clear(QClipboard.Mode.Selection)


def _training_banner() -> QLabel:
    """Black on amber, bold. Palette and font rather than a style sheet, which would pin the
    banner's font and ignore the text size chosen in the settings."""
    banner = QLabel()
    banner.setObjectName("trainingBanner")
    banner.setAutoFillBackground(True)
    palette = banner.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#ffd54f"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    banner.setPalette(palette)
    scale_font(banner, 1.0, bold=True)
    banner.setMargin(6)
    return banner


class IdleWatcher(QObject):
    """Restarts the lock timer on any keyboard, mouse or touch input in the application."""

    def __init__(self, timer: QTimer, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = timer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False


@dataclass
class _WorkPages:
    """The pages that show case data, built on first unlock (they pull in the forms engine,
    which the unlock screen does not need: the window appears sooner)."""

    cases: CasesPage
    case: CasePage
    screening: ScreeningPage
    outcome: OutcomePage


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        # The text size first, so that every widget is built with it.
        QApplication.setFont(ui_font(ctx.preferences.font_size))
        self.bridge = GettextBridge(self)
        QApplication.installTranslator(self.bridge)
        ctx.ops.error_handler = lambda exc: show_error(self, exc)

        self.stack = QStackedWidget()
        self.unlock_page = UnlockPage(ctx)
        self.setup_page = SetupPage(ctx)
        self.recovery_page = RecoveryCodePage()
        self._work: _WorkPages | None = None
        for page in self.pages:
            self.stack.addWidget(page)
        self.guidance_page: GuidancePage | None = None
        self._before_guidance: QWidget | None = None
        self.training_banner = _training_banner()
        self.training_banner.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.training_banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.user_label = QLabel()
        self.sync_progress = QProgressBar()
        self.sync_progress.setMaximumWidth(160)
        self.sync_progress.hide()
        self.statusBar().addPermanentWidget(self.sync_progress)
        self.statusBar().addPermanentWidget(self.user_label)
        self.folder_sync = FolderSync(ctx, self)
        self.folder_sync.progress.connect(self._folder_sync_progress)
        self.folder_sync.finished.connect(self._folder_sync_finished)

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)
        # Watches input only while a workspace is open: a filter on every event of the
        # application would also slow the first paint of the unlock window.
        self.idle_watcher = IdleWatcher(self.idle_timer, self)

        self._build_menus()
        self._connect_entry_pages()
        self.apply_preferences(ctx.preferences, initial=True)
        self.resize(1200, 800)
        self.show_unlock()

    @property
    def pages(self) -> list[QWidget]:
        pages: list[QWidget] = [self.unlock_page, self.setup_page, self.recovery_page]
        if self._work is not None:
            work = self._work
            pages += [work.cases, work.case, work.screening, work.outcome]
        return pages

    def _work_pages(self) -> _WorkPages:
        if self._work is None:
            from practitioner_toolkit.ui.pages.case_detail import CasePage
            from practitioner_toolkit.ui.pages.cases import CasesPage
            from practitioner_toolkit.ui.pages.outcome import OutcomePage
            from practitioner_toolkit.ui.pages.screening import ScreeningPage

            self._work = _WorkPages(
                CasesPage(self.ctx),
                CasePage(self.ctx),
                ScreeningPage(self.ctx),
                OutcomePage(self.ctx),
            )
            for page in (
                self._work.cases,
                self._work.case,
                self._work.screening,
                self._work.outcome,
            ):
                self.stack.addWidget(page)
            self._connect_work_pages()
        return self._work

    @property
    def cases_page(self) -> CasesPage:
        return self._work_pages().cases

    @property
    def case_page(self) -> CasePage:
        return self._work_pages().case

    @property
    def screening_page(self) -> ScreeningPage:
        return self._work_pages().screening

    @property
    def outcome_page(self) -> OutcomePage:
        return self._work_pages().outcome

    # -- menus ---------------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.workspace_menu = self.menuBar().addMenu("")
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.settings_action = QAction(self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.triggered.connect(self.open_settings)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        for action in (self.lock_action, self.settings_action, self.quit_action):
            self.workspace_menu.addAction(action)
        self.case_menu = self.menuBar().addMenu("")
        self.new_case_action = QAction(self)
        self.new_case_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_case_action.triggered.connect(self.new_case)
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(self.find_case)
        self.case_menu.addAction(self.new_case_action)
        self.case_menu.addAction(self.find_action)
        self.sync_action = QAction(self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.triggered.connect(self.open_sync)
        self.export_action = QAction(self)
        self.export_action.triggered.connect(self.open_export)
        self.workspace_menu.insertAction(self.quit_action, self.sync_action)
        self.workspace_menu.insertAction(self.quit_action, self.export_action)
        self.reset_training_action = QAction(self)
        self.reset_training_action.triggered.connect(self.reset_training)
        self.workspace_menu.insertAction(self.quit_action, self.reset_training_action)
        self.help_menu = self.menuBar().addMenu("")
        self.guidance_action = QAction(self)
        self.guidance_action.setShortcut(QKeySequence("F1"))
        self.guidance_action.triggered.connect(self.show_guidance)
        self.help_menu.addAction(self.guidance_action)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)

    def retranslate_ui(self) -> None:
        if self.guidance_page is not None:
            self.guidance_page.retranslate_ui()
        self.workspace_menu.setTitle(_("&Workspace"))
        self.lock_action.setText(_("&Lock now"))
        self.settings_action.setText(_("&Settings…"))
        self.quit_action.setText(_("&Quit"))
        self.case_menu.setTitle(_("&Case"))
        self.new_case_action.setText(_("&New case"))
        self.find_action.setText(_("&Find case"))
        self.help_menu.setTitle(_("&Help"))
        self.guidance_action.setText(_("&Guidance library"))
        self.reset_training_action.setText(_("&Reset training workspace…"))
        self.sync_action.setText(_("S&ync…"))
        self.export_action.setText(_("&Export records…"))
        self.about_action.setText(_("&About Practitioner Toolkit"))
        self.training_banner.setText(
            _("TRAINING WORKSPACE — fictional cases only. Never enter real data here.")
        )
        for page in self.pages:
            retranslate = getattr(page, "retranslate_ui", None)
            if retranslate is not None:
                retranslate()
        self._update_window_state()

    def _update_window_state(self) -> None:
        ws = self.ctx.workspace
        unlocked = ws is not None and not ws.is_locked
        training = unlocked and ws is not None and ws.info.training
        title = _("Practitioner Toolkit")
        self.setWindowTitle(f"{title} — {_('Training')}" if training else title)
        self.training_banner.setVisible(bool(training))
        for action in (
            self.lock_action,
            self.settings_action,
            self.new_case_action,
            self.find_action,
        ):
            action.setEnabled(unlocked)
        if unlocked and ws is not None:
            self.user_label.setText(f"{ws.user.display_name} · {ws.info.name}")
        else:
            self.user_label.clear()

    # -- preferences and language ----------------------------------------------------------

    def apply_preferences(self, prefs: Preferences, initial: bool = False) -> None:
        language_changed = initial or prefs.language != self.ctx.preferences.language
        self.ctx.preferences = prefs
        if not initial:
            prefs.save()
        QApplication.setFont(ui_font(prefs.font_size))
        rescale_fonts()
        self.idle_timer.setInterval(prefs.idle_lock_minutes * 60_000)
        if language_changed:
            set_language(prefs.language)
            QLocale.setDefault(QLocale(prefs.language))
            QApplication.removeTranslator(self.bridge)
            QApplication.installTranslator(self.bridge)
            self.retranslate_ui()
            self.ctx.signals.language_changed.emit(prefs.language)

    def _language_chosen(self, code: str) -> None:
        self.apply_preferences(replace(self.ctx.preferences, language=code))

    # -- navigation ----------------------------------------------------------------------

    def _connect_entry_pages(self) -> None:
        self.unlock_page.unlocked.connect(self._unlocked)
        self.unlock_page.create_requested.connect(self._create)
        self.unlock_page.language_chosen.connect(self._language_chosen)
        self.setup_page.created.connect(self._created)
        self.setup_page.cancelled.connect(self.show_unlock)
        self.recovery_page.acknowledged.connect(self.show_cases)

    def _connect_work_pages(self) -> None:
        self.cases_page.open_case.connect(self.show_case)
        self.cases_page.new_case.connect(self.new_case)
        self.case_page.back.connect(self.show_cases)
        self.case_page.screening_started.connect(self.show_screening)
        self.case_page.scenario_started.connect(self.show_screening)
        self.case_page.resume_screening.connect(self._resume)
        self.case_page.show_outcome.connect(self._recorded_outcome)
        self.case_page.new_referral.connect(self.new_referral)
        self.case_page.export_referral.connect(self.export_referral)
        self.screening_page.review_outcome.connect(self._live_outcome)
        self.screening_page.leave.connect(self.show_case)
        self.outcome_page.back_to_questions.connect(
            lambda _a: self.stack.setCurrentWidget(self.screening_page)
        )
        self.outcome_page.back_to_case.connect(self.show_case)
        self.outcome_page.refer.connect(self.new_referral)
        self.outcome_page.next_form.connect(self._next_form)

    def show_unlock(self) -> None:
        self.unlock_page.refresh()
        self.stack.setCurrentWidget(self.unlock_page)
        self._update_window_state()

    def _create(self, training: bool) -> None:
        self.setup_page.start(training)
        self.stack.setCurrentWidget(self.setup_page)

    def _created(self, workspace: Workspace, recovery_code: str) -> None:
        self._set_workspace(workspace)
        self.recovery_page.show_code(recovery_code, workspace.info.name)
        self.stack.setCurrentWidget(self.recovery_page)
        if workspace.info.training:
            registry = self.ctx.registry

            def work(_p: object) -> int:
                from practitioner_toolkit.training import populate_demo_workspace

                return populate_demo_workspace(workspace, registry)

            self.statusBar().showMessage(_("Loading the demo cases…"))
            self.ctx.ops.run(
                work,
                owner=self,
                on_done=lambda count: self.statusBar().showMessage(
                    _("{count} demo cases loaded.").format(count=count), 8000
                ),
                on_error=lambda e: show_error(self, e),
            )

    def _unlocked(self, workspace: Workspace) -> None:
        self._set_workspace(workspace)
        self.show_cases()

    def _set_workspace(self, workspace: Workspace) -> None:
        self.ctx.workspace = workspace
        prefs = replace(self.ctx.preferences, last_workspace=str(workspace.directory))
        self.ctx.preferences = prefs
        prefs.save()
        QApplication.instance().installEventFilter(self.idle_watcher)  # type: ignore[union-attr]
        self.idle_timer.start()
        self.folder_sync.start()
        self._update_window_state()
        self.ctx.signals.workspace_unlocked.emit()

    def show_cases(self) -> None:
        if self.ctx.workspace is None:
            return
        self.stack.setCurrentWidget(self.cases_page)
        self.cases_page.activate()

    def show_case(self, case_id: str) -> None:
        self.case_page.load(case_id)
        self.stack.setCurrentWidget(self.case_page)
        self.case_page.sessions.setFocus()

    def show_screening(self, active: ActiveScreening, scenario: Scenario | None = None) -> None:
        self.screening_page.load(active, scenario)
        self.stack.setCurrentWidget(self.screening_page)

    def _resume(self, session_id: str) -> None:
        service = self.ctx.screenings
        self.ctx.ops.run(
            lambda _p: service.resume(session_id),
            owner=self,
            on_done=self.show_screening,
            on_error=lambda e: show_error(self, e),
        )

    def _live_outcome(self, active: ActiveScreening) -> None:
        self.outcome_page.show_live(active)
        self.stack.setCurrentWidget(self.outcome_page)

    def _recorded_outcome(self, session_id: str) -> None:
        self.outcome_page.active = None
        self.outcome_page.show_recorded(session_id)
        self.stack.setCurrentWidget(self.outcome_page)

    def _next_form(self, case_id: str, form_id: str) -> None:
        previous = self.outcome_page.active or self.screening_page.active
        service = self.ctx.screenings
        ws = self.ctx.ws
        session = previous.session if previous else None

        def work(_p: object) -> ActiveScreening:
            last = session or ws.cases.sessions_of_case(case_id)[-1]
            return service.start(
                case_id,
                form_id,
                last.officer_language,
                last.interviewee_language,
                last.interpreter,
                last.post,
            )

        self.ctx.ops.run(
            work, owner=self, on_done=self.show_screening, on_error=lambda e: show_error(self, e)
        )

    def new_case(self) -> None:
        if self.ctx.workspace is None or self.ctx.workspace.is_locked:
            return
        from practitioner_toolkit.store import IntervieweeDetails

        ws = self.ctx.ws
        self.ctx.ops.run(
            lambda _p: ws.cases.open_case(IntervieweeDetails()),
            owner=self,
            on_done=lambda case: self.show_case(case.id),
            on_error=lambda e: show_error(self, e),
        )

    def find_case(self) -> None:
        if self.ctx.workspace is None or self.ctx.workspace.is_locked:
            return
        self.show_cases()
        self.cases_page.search.setFocus()
        self.cases_page.search.selectAll()

    # -- referrals -----------------------------------------------------------------------

    def new_referral(self, case_id: str, session_id: str | None) -> None:
        ws, service = self.ctx.ws, self.ctx.screenings

        def work(_p: object) -> tuple[list[Agency], OutcomeResult | None]:
            outcome = service.stored_outcome(session_id) if session_id else None
            return ws.agencies.list(), outcome

        def ready(loaded: tuple[list[Agency], OutcomeResult | None]) -> None:
            agencies, outcome = loaded
            from practitioner_toolkit.ui.pages.referral import ReferralDialog

            with disposing(ReferralDialog(agencies, outcome, self)) as dialog:
                if dialog.exec() != QDialog.DialogCode.Accepted or self.ctx.workspace is None:
                    return
                request = dialog.request()
            self.ctx.ops.run(
                lambda _p: ws.referrals.create(
                    case_id,
                    request.agency_id,
                    request.services,
                    request.urgency,
                    request.consent,
                    session_id=session_id,
                    shared_fields=request.shared_fields,
                    reason=request.reason,
                    summary=request.summary,
                ),
                owner=self,
                on_done=lambda referral: self._referral_created(referral, agencies),
                on_error=lambda e: show_error(self, e),
            )

        self.ctx.ops.run(work, owner=self, on_done=ready, on_error=lambda e: show_error(self, e))

    def _referral_created(self, referral: Referral, agencies: list[Agency]) -> None:
        self.show_case(referral.case_id)
        self._export(referral, next((a for a in agencies if a.id == referral.agency_id), None))

    def export_referral(self, referral_id: str) -> None:
        ws = self.ctx.ws

        def work(_p: object) -> tuple[Referral, Agency | None]:
            referral = ws.referrals.get(referral_id)
            agencies = {a.id: a for a in ws.agencies.list()}
            return referral, agencies.get(referral.agency_id)

        self.ctx.ops.run(
            work,
            owner=self,
            on_done=lambda loaded: self._export(*loaded),
            on_error=lambda e: show_error(self, e),
        )

    def _export(self, referral: Referral, agency: Agency | None) -> None:
        from practitioner_toolkit.ui.pages.referral import ExportDialog, run_export

        with disposing(ExportDialog(referral, agency, self)) as dialog:
            if dialog.exec() != QDialog.DialogCode.Accepted or self.ctx.workspace is None:
                return
            choice = dialog.choice()
        run_export(self.ctx, self, referral.id, choice)
        self.ctx.ops.run(
            lambda _p: None, owner=self, on_done=lambda _r: self.case_page.load(referral.case_id)
        )

    # -- settings, about -----------------------------------------------------------------

    def open_settings(self) -> None:
        if self.ctx.workspace is None or self.ctx.workspace.is_locked:
            return
        from practitioner_toolkit.ui.pages.settings import SettingsDialog

        with disposing(SettingsDialog(self.ctx, self)) as dialog:
            dialog.preferences_changed.connect(self.apply_preferences)
            dialog.exec()

    def open_sync(self) -> None:
        if self.ctx.workspace is None or self.ctx.workspace.is_locked:
            return
        from practitioner_toolkit.ui.pages.sync import SyncDialog

        with disposing(SyncDialog(self.ctx, self)) as dialog:
            dialog.exec()
        if self.stack.currentWidget() is self.cases_page:
            self.cases_page.reload()

    def open_export(self) -> None:
        if self.ctx.workspace is None or self.ctx.workspace.is_locked:
            return
        from practitioner_toolkit.ui.pages.export import ExportRecordsDialog

        with disposing(ExportRecordsDialog(self.ctx, self)) as dialog:
            dialog.exec()

    def show_guidance(self) -> None:
        """The guidance library works locked or unlocked: it holds no case data."""
        if self.guidance_page is None:
            from practitioner_toolkit.guidance import load_library
            from practitioner_toolkit.ui.pages.guidance import GuidancePage

            self.guidance_page = GuidancePage(load_library())
            self.guidance_page.back.connect(self._leave_guidance)
            self.stack.addWidget(self.guidance_page)
        if self.stack.currentWidget() is not self.guidance_page:
            self._before_guidance = self.stack.currentWidget()
        self.stack.setCurrentWidget(self.guidance_page)
        self.guidance_page.search.setFocus()

    def _leave_guidance(self) -> None:
        previous = self._before_guidance
        locked = self.ctx.workspace is None
        if previous is None or (locked and previous is not self.unlock_page):
            self.show_unlock() if locked else self.show_cases()
        else:
            self.stack.setCurrentWidget(previous)

    def reset_training(self) -> None:
        ws = self.ctx.workspace
        if ws is None or ws.is_locked or not ws.info.training:
            return
        if not confirm(
            self,
            _("Reset training workspace"),
            _("Delete every case in this training workspace and load the demo cases again?"),
        ):
            return
        registry = self.ctx.registry

        def work(_p: object) -> int:
            from practitioner_toolkit.training import reset_training_workspace

            return reset_training_workspace(ws, registry)

        self.ctx.ops.run(
            work,
            owner=self,
            on_done=lambda _n: self.show_cases(),
            on_error=lambda e: show_error(self, e),
        )

    def _about(self) -> None:
        QMessageBox.about(
            self,
            _("About Practitioner Toolkit"),
            _(
                "Practitioner Toolkit {version}\n\nOffline screening, referral and secure "
                "record exchange for anti-trafficking practitioners. Outcomes are decision "
                "support, never a legal determination.\n\nFonts: Noto (SIL Open Font License 1.1)."
            ).format(version=__version__),
        )

    # -- the sync folder -----------------------------------------------------------------

    def _folder_sync_progress(self, done: int, total: int) -> None:
        self.sync_progress.setAccessibleName(_("Progress"))
        self.sync_progress.setRange(0, max(total, 1))
        self.sync_progress.setValue(done)
        self.sync_progress.show()

    def _folder_sync_finished(self, summary: str, data_arrived: bool) -> None:
        self.sync_progress.hide()
        if summary:
            self.statusBar().showMessage(summary, 15_000)
        work = self._work
        if data_arrived and work is not None and self.stack.currentWidget() is work.cases:
            work.cases.reload()  # new cases from other devices appear in the open list

    # -- locking -------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide all data now: close dialogs, save typing, close the database, forget the key.

        The unlock screen is painted before waiting for background work (a long export may
        run for a while), and results of that work are dropped rather than shown.
        """
        workspace = self.ctx.workspace
        if workspace is None:
            return
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        if self._work is not None:
            self._work.screening.flush()
            self._work.case.flush()
        self.ctx.workspace = None
        self.idle_timer.stop()
        QApplication.instance().removeEventFilter(self.idle_watcher)  # type: ignore[union-attr]
        self.show_unlock()
        self.repaint()
        _forget_copied_text()
        self.ctx.ops.wait_idle()
        self.ctx.ops.drop_results()
        self.folder_sync.stop()
        self.sync_progress.hide()
        if self._work is not None:
            self._work.screening.clear()
            self._work.outcome.clear()
            self._work.case.clear()
            self._work.cases.clear()
        workspace.lock()
        self.ctx.signals.workspace_locked.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.lock()
        self.ctx.ops.wait_idle()
        event.accept()
