"""The guidance library: principles and practice cards, by thematic area, searchable."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit.guidance import (
    AREAS,
    GuidanceCard,
    GuidanceLibrary,
    paragraphs_and_bullets,
)
from practitioner_toolkit.i18n import _, current_language
from practitioner_toolkit.i18n.textbreak import insert_break_hints
from practitioner_toolkit.ui.widgets import heading


class GuidancePage(QWidget):
    back = Signal()

    def __init__(self, library: GuidanceLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.current: GuidanceCard | None = None
        self.title = heading("")
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back.emit)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._fill_tree)
        self.search.textChanged.connect(self._debounce.start)
        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(self._selected)
        self.reader = QTextBrowser()
        self.reader.setOpenLinks(False)
        self.reader.anchorClicked.connect(lambda url: self.show_card(url.toString()))
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.search_label)
        top.addWidget(self.search, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.reader)
        splitter.setSizes([340, 860])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Guidance library"))
        self.back_button.setText(_("‹ &Back"))
        self.search_label.setText(_("&Search"))
        self.search.setAccessibleName(_("Search the guidance"))
        self.tree.setAccessibleName(_("Guidance cards"))
        self.reader.setAccessibleName(_("Guidance card"))
        self._fill_tree()

    def _fill_tree(self) -> None:
        language = current_language()
        text = self.search.text().strip()
        matches = {c.id for c in self.library.search(text, language)} if text else None
        keep = self.current.id if self.current else None
        self.tree.blockSignals(True)
        self.tree.clear()
        first: QTreeWidgetItem | None = None
        for area, label in AREAS.items():
            cards = [c for c in self.library.cards_in(area) if matches is None or c.id in matches]
            if not cards:
                continue
            parent = QTreeWidgetItem([_(label)])
            parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.tree.addTopLevelItem(parent)
            for card in cards:
                item = QTreeWidgetItem([card.title.get(language) or card.title["en"]])
                item.setData(0, Qt.ItemDataRole.UserRole, card.id)
                parent.addChild(item)
                if first is None or card.id == keep:
                    first = item
            parent.setExpanded(True)
        self.tree.blockSignals(False)
        if first is not None:
            self.tree.setCurrentItem(first)
        else:
            self.reader.setHtml(f"<p>{html.escape(_('No card matches your search.'))}</p>")

    def _selected(self, item: QTreeWidgetItem | None) -> None:
        if item is not None and item.data(0, Qt.ItemDataRole.UserRole):
            self.show_card(str(item.data(0, Qt.ItemDataRole.UserRole)))

    def show_card(self, card_id: str) -> None:
        card = self.library.get(card_id)
        self.current = card
        language = current_language()

        def text(values: dict[str, str]) -> str:
            return html.escape(insert_break_hints(values.get(language) or values["en"], language))

        parts = [f"<h2>{text(card.title)}</h2>", f"<p><b>{text(card.summary)}</b></p>"]
        in_list = False
        for kind, content in paragraphs_and_bullets(card.body.get(language) or card.body["en"]):
            escaped = html.escape(insert_break_hints(content, language))
            if kind == "li" and not in_list:
                parts.append("<ul>")
                in_list = True
            if kind != "li" and in_list:
                parts.append("</ul>")
                in_list = False
            parts.append(f"<li>{escaped}</li>" if kind == "li" else f"<p>{escaped}</p>")
        if in_list:
            parts.append("</ul>")
        if card.related:
            links = ", ".join(
                f'<a href="{html.escape(r)}">{text(self.library.get(r).title)}</a>'
                for r in card.related
            )
            parts.append(f"<p>{html.escape(_('See also:'))} {links}</p>")
        if card.sources:
            parts.append(f"<h4>{html.escape(_('Sources'))}</h4><ul>")
            parts += [f"<li>{html.escape(s.citation)}</li>" for s in card.sources]
            parts.append("</ul>")
        if language != "en" and card.translations.get(language) != "reviewed":
            note = _("This translation has not yet been reviewed by a native speaker.")
            parts.append(f"<p><i>{html.escape(note)}</i></p>")
        self.reader.setHtml("".join(parts))
