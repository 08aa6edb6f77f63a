"""Save a PNG of every main screen in several languages, for reviewers and for the tests.

    python -m practitioner_toolkit.ui.screenshots OUTDIR [--languages en km my th lo]

Runs offscreen with a throw-away training workspace full of fictional cases, so it is safe
to run anywhere. Also reports labels and buttons whose text does not fit (cut off).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QWidget,
)

DEFAULT_LANGUAGES = ("en", "km", "my", "th", "lo")
PARTNER = {"en": "km", "km": "en", "my": "th", "th": "my", "lo": "en"}


def clipped_texts(root: QWidget) -> list[str]:
    """Visible labels and buttons whose text needs more room than they were given."""
    problems: list[str] = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 1:
            continue
        if isinstance(widget, QLabel) and widget.text():
            rect = widget.contentsRect()
            if widget.wordWrap():
                too_small = widget.heightForWidth(rect.width()) > rect.height() + 2
            else:
                too_small = widget.sizeHint().width() > widget.width() + 2
            if too_small:
                problems.append(widget.text())
        elif (
            isinstance(widget, QAbstractButton)
            and widget.text()
            and widget.minimumSizeHint().width() > widget.width() + 2
        ):
            problems.append(widget.text())
    return problems


class Shooter:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.out.mkdir(parents=True, exist_ok=True)
        self.clipped: dict[str, list[str]] = {}
        self.saved: list[Path] = []

    def shoot(self, widget: QWidget, name: str) -> Path:
        QApplication.processEvents()
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        self.saved.append(path)
        problems = clipped_texts(widget)
        if problems:
            self.clipped[name] = problems
        return path


WINDOW_SIZE = QSize(1280, 860)
# A throw-away training workspace in a temporary folder; it never holds real data.
_PASSPHRASE = "training passphrase"  # noqa: S105


def capture(out: Path, languages: tuple[str, ...], size: QSize = WINDOW_SIZE) -> Shooter:
    """Drive the real window through every main screen for each language."""
    from practitioner_toolkit import paths
    from practitioner_toolkit.forms import FormRegistry
    from practitioner_toolkit.store import KdfParams, Workspace
    from practitioner_toolkit.training import populate_demo_workspace
    from practitioner_toolkit.ui.context import AppSignals, UiContext
    from practitioner_toolkit.ui.fonts import load_bundled_fonts
    from practitioner_toolkit.ui.main_window import MainWindow
    from practitioner_toolkit.ui.operations import Operations
    from practitioner_toolkit.ui.pages.referral import ExportDialog, ReferralDialog
    from practitioner_toolkit.ui.pages.settings import DirectoryTab, PassphraseTab, SettingsDialog
    from practitioner_toolkit.ui.pages.sync import SyncDialog
    from practitioner_toolkit.ui.preferences import Preferences

    app = QApplication.instance() or QApplication(sys.argv[:1])
    load_bundled_fonts()
    shooter = Shooter(out)
    registry = FormRegistry.load(paths.forms_dir())
    kdf = KdfParams.fast_for_tests()
    folder = paths.workspaces_dir() / "training"
    ws, code = Workspace.create(
        folder,
        name="Training: Mae Sot",
        username="trainer",
        display_name="Trainer",
        passphrase=_PASSPHRASE,
        training=True,
        kdf=kdf,
    )
    populate_demo_workspace(ws, registry)
    ws.lock()
    ctx = UiContext(Operations(), registry, Preferences(), AppSignals(), kdf=kdf)
    window = MainWindow(ctx)
    window.resize(size)
    window.show()

    def settle() -> None:
        for _ in range(3):
            ctx.ops.wait_idle()
            for _ in range(5):
                app.processEvents()

    def dialog_shot(dialog: QWidget, name: str) -> None:
        dialog.resize(dialog.sizeHint().expandedTo(QSize(760, 560)))
        dialog.show()
        settle()
        shooter.shoot(dialog, name)
        dialog.close()

    for code_ in languages:
        prefix = f"{code_}-"
        window.apply_preferences(Preferences(language=code_), initial=True)
        window.show_unlock()
        settle()
        shooter.shoot(window, prefix + "01-unlock")
        window.setup_page.start(training=False)
        window.stack.setCurrentWidget(window.setup_page)
        settle()
        shooter.shoot(window, prefix + "02-setup")
        window.recovery_page.show_code(code, "Training: Mae Sot")
        window.stack.setCurrentWidget(window.recovery_page)
        settle()
        shooter.shoot(window, prefix + "03-recovery-code")
        workspace = Workspace.unlock(folder, "trainer", _PASSPHRASE, kdf=kdf)
        window._unlocked(workspace)
        settle()
        shooter.shoot(window, prefix + "04-cases")
        cases = workspace.cases.list_cases().cases
        case = next(c for c in cases if c.latest_outcome == "presumed_victim")
        window.show_case(case.id)
        settle()
        shooter.shoot(window, prefix + "05-case")
        sessions = workspace.cases.sessions_of_case(case.id)
        finished = next(s for s in sessions if workspace.cases.outcome_of(s.id))
        service = ctx.screenings
        active = service.start(
            case.id, finished.form_id, code_, PARTNER[code_], finished.interpreter
        )
        for question_id, answer in finished.answers.items():
            active.answer(question_id, answer.value)
        window.show_screening(active)
        settle()
        page = window.screening_page
        visible = [i for i in range(page.sections.count()) if not page.sections.item(i).isHidden()]
        page.sections.setCurrentRow(visible[min(2, len(visible) - 1)])
        settle()
        shooter.shoot(window, prefix + "06-screening")
        window._live_outcome(active)
        settle()
        shooter.shoot(window, prefix + "07-outcome")
        agencies = workspace.agencies.list()
        dialog_shot(ReferralDialog(agencies, active.outcome(), window), prefix + "08-referral")
        referral = workspace.referrals.for_case(case.id)
        if referral:
            dialog_shot(ExportDialog(referral[0], agencies[0], window), prefix + "09-export")
        settings = SettingsDialog(ctx, window)
        dialog_shot(settings, prefix + "10-settings")
        settings = SettingsDialog(ctx, window)
        settings.show_tab(DirectoryTab)
        dialog_shot(settings, prefix + "11-directory")
        settings = SettingsDialog(ctx, window)
        settings.show_tab(PassphraseTab)
        dialog_shot(settings, prefix + "15-passphrase")
        # The guidance library, on the non-punishment card.
        window.show_guidance()
        guidance = window.guidance_page
        assert guidance is not None
        guidance.show_card("non-punishment")
        settle()
        shooter.shoot(window, prefix + "12-guidance")
        # A scam-compound screening, bilingual, in the section on life in the compound.
        scam = service.start(case.id, "scam-compound", code_, PARTNER[code_], finished.interpreter)
        for question in scam.form.questions():  # consent given, so the later sections open
            if "consent_refused" in question.flags:
                scam.answer(question.id, "yes")
        window.show_screening(scam)
        settle()
        visible = [i for i in range(page.sections.count()) if not page.sections.item(i).isHidden()]
        page.sections.setCurrentRow(visible[min(3, len(visible) - 1)])
        settle()
        shooter.shoot(window, prefix + "13-scam-compound")
        dialog_shot(SyncDialog(ctx, window), prefix + "14-sync")
        scam.end_early("other")
        active.end_early("other")
        window.lock()
        settle()
    return shooter


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--languages", nargs="+", default=list(DEFAULT_LANGUAGES))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ptk-screens-") as data:
        os.environ["PTK_DATA_DIR"] = data
        shooter = capture(args.out, tuple(args.languages))
    for path in shooter.saved:
        print(path)
    for name, texts in shooter.clipped.items():
        print(f"cut off in {name}: {texts[:5]}")
    return 1 if shooter.clipped else 0


if __name__ == "__main__":
    sys.exit(main())
