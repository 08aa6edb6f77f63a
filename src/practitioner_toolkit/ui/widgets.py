"""Small widgets and helpers shared by the pages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from practitioner_toolkit.errors import UserFacingError
from practitioner_toolkit.i18n import _
from practitioner_toolkit.i18n.textbreak import insert_break_hints
from practitioner_toolkit.ui.fonts import scale_font

D = TypeVar("D", bound=QDialog)

# Qt's own file dialogs: native ones add chosen files to the desktop's recent-file lists.
NO_RECENT_FILES = QFileDialog.Option.DontUseNativeDialog


class WrapLabel(QLabel):
    """A word-wrapped label that wraps Thai, Khmer, Lao and Burmese at real word boundaries."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, locale: str = "en"):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._locale = locale
        self.set_text(text, locale)

    def set_text(self, text: str, locale: str | None = None) -> None:
        self._locale = locale or self._locale
        self.setText(insert_break_hints(text, self._locale))
        self.setAccessibleName(text)


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    label.setObjectName(f"heading{level}")
    scale_font(label, 1.5 if level == 1 else 1.2, bold=True)
    label.setWordWrap(True)
    label.setAccessibleName(text)
    return label


def add_rows(form: QFormLayout, rows: Iterable[tuple[str, QWidget]]) -> None:
    """Each field beside a label whose mnemonic (``&``) focuses it. The label's text also
    names the field for screen readers, unless the field has a name of its own."""
    for text, field in rows:
        label = QLabel(text)
        label.setBuddy(field)
        if text and not field.accessibleName():
            field.setAccessibleName(text.replace("&", ""))
        form.addRow(label, field)


def secret_field() -> QLineEdit:
    """A masked field for a passphrase or password; masking also keeps it out of the undo
    history, so nothing typed there can be brought back."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def wipe(field: QLineEdit) -> None:
    """Empty a field and its undo history.

    ``QLineEdit.clear()`` can be undone: after a lock, Ctrl+Z would bring a name back.
    ``setText`` resets the history.
    """
    field.setText("")


@contextmanager
def disposing(dialog: D) -> Iterator[D]:
    """Use a modal dialog, then destroy it.

    A closed dialog with a parent otherwise lives on as a hidden child of the window, still
    holding what was typed into it (a consent note, a PDF password, a recovery code).
    """
    try:
        yield dialog
    finally:
        dialog.deleteLater()


def mark_as_problem(label: QLabel) -> None:
    """Dark red text, set through the palette: a style sheet would pin the label's font to
    the one it had when styled, ignoring the text size chosen later."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#b00020"))
    label.setPalette(palette)


def separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def show_error(parent: QWidget, exc: Exception) -> None:
    """Known problems show their own message; anything else a generic one (no details)."""
    if isinstance(exc, UserFacingError):
        message = exc.translated()
    elif callable(getattr(exc, "translated", None)):
        message = exc.translated()  # type: ignore[attr-defined]
    else:
        message = _(
            "Something went wrong and the last action was not completed. Your saved answers "
            "are safe. If it happens again, tell your supervisor."
        )
    QMessageBox.warning(parent, _("Practitioner Toolkit"), message)


def confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
