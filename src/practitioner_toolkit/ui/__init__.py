"""The desktop application (PySide6).

Pages live in ``ui.pages``; they call the store and forms services through the background
lane in ``ui.operations`` and never run SQL. ``main()`` is the ``practitioner-toolkit``
entry point.
"""

from __future__ import annotations

import os
import sys

from practitioner_toolkit import paths


def build_window(argv: list[str] | None = None) -> object:
    """Create the QApplication (if needed) and the main window; returns the window."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from practitioner_toolkit.i18n import _
    from practitioner_toolkit.ui.context import AppSignals, LazyRegistry, UiContext
    from practitioner_toolkit.ui.fonts import load_bundled_fonts
    from practitioner_toolkit.ui.main_window import MainWindow
    from practitioner_toolkit.ui.operations import Operations
    from practitioner_toolkit.ui.preferences import Preferences

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Practitioner Toolkit")
    load_bundled_fonts()

    def load_forms() -> object:
        from practitioner_toolkit.forms import FormRegistry

        return FormRegistry.load(paths.forms_dir())

    forms = LazyRegistry(load_forms)  # type: ignore[arg-type]
    ctx = UiContext(
        ops=Operations(), forms=forms, preferences=Preferences.load(), signals=AppSignals()
    )
    window = MainWindow(ctx)
    # Warm up once the unlock screen is painted: the forms engine and the bundled forms.
    from PySide6.QtCore import QTimer

    def warm_up(_progress: object) -> object:
        import practitioner_toolkit.ui.pages.case_detail
        import practitioner_toolkit.ui.pages.cases
        import practitioner_toolkit.ui.pages.outcome
        import practitioner_toolkit.ui.pages.screening  # noqa: F401

        return forms.get()

    QTimer.singleShot(400, lambda: ctx.ops.run(warm_up, owner=window))

    def show_crash(_report: str) -> None:
        QMessageBox.critical(
            window,
            _("Practitioner Toolkit"),
            _(
                "An unexpected error occurred. Your saved answers are safe. A report without "
                "any personal data was written to the log."
            ),
        )

    from practitioner_toolkit.logs import install_crash_handler

    install_crash_handler(show_crash)
    return window


def main() -> int:
    """GUI entry point; ``--version`` and ``--self-check`` run without a window."""
    if "--version" in sys.argv[1:]:
        from practitioner_toolkit import __version__

        print(f"Practitioner Toolkit {__version__}")
        return 0
    if "--self-check" in sys.argv[1:]:
        from practitioner_toolkit.cli import main as cli_main

        return cli_main(["self-check"])
    if sys.argv[1:2] == ["--cli"]:
        from practitioner_toolkit.cli import main as cli_main

        return cli_main(sys.argv[2:])
    from PySide6.QtWidgets import QApplication

    from practitioner_toolkit.logs import configure_logging, disable_core_dumps

    configure_logging()
    disable_core_dumps()

    window = build_window()
    window.show()  # type: ignore[attr-defined]
    if os.environ.get("PTK_STARTUP_PROBE"):
        # Benchmarks and packaging checks: report the first paint, then quit.
        QApplication.processEvents()
        print("shown", flush=True)
        return 0
    return QApplication.instance().exec()  # type: ignore[union-attr]
