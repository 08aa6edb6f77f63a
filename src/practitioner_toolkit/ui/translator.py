"""Qt's own strings (OK, Cancel, ...) answered from the same gettext catalogs as ours.

Qt ships no translations for Thai, Khmer, Lao, Burmese, Vietnamese, Indonesian, Malay or
Filipino, so a QTranslator subclass asks gettext with Qt's context as msgctxt.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from practitioner_toolkit.i18n import pgettext


def NP_(context: str, message: str) -> str:  # noqa: N802 (gettext naming)
    """Mark a Qt string for extraction with its Qt context."""
    return message


# The Qt strings this application shows (collected by watching translate() calls).
QT_STRINGS = [
    NP_("QPlatformTheme", "OK"),
    NP_("QPlatformTheme", "Cancel"),
    NP_("QPlatformTheme", "Close"),
    NP_("QPlatformTheme", "Save"),
    NP_("QPlatformTheme", "Yes"),
    NP_("QPlatformTheme", "No"),
    NP_("QPlatformTheme", "&Yes"),
    NP_("QPlatformTheme", "&No"),
    NP_("QPlatformTheme", "Apply"),
    NP_("QPlatformTheme", "Discard"),
    NP_("QFileDialog", "Save As"),
    NP_("QFileDialog", "Open"),
    NP_("QFileDialog", "&Save"),
    NP_("QFileDialog", "&Open"),
    NP_("QFileDialog", "File &name:"),
    NP_("QFileDialog", "Look in:"),
    NP_("QFileDialog", "Files of type:"),
    NP_("QWidgetTextControl", "&Copy"),
    NP_("QWidgetTextControl", "Select All"),
    NP_("QLineEdit", "&Copy"),
    NP_("QLineEdit", "&Paste"),
    NP_("QLineEdit", "Cu&t"),
    NP_("QLineEdit", "&Undo"),
    NP_("QLineEdit", "&Redo"),
    NP_("QLineEdit", "Select All"),
    NP_("QLineEdit", "Delete"),
]


class GettextBridge(QTranslator):
    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if not source:
            return None
        translated = pgettext(context, source)
        return translated if translated != source else None
