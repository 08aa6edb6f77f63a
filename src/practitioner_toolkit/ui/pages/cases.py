"""The case list: search as you type, filter by status, post and period, open a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from practitioner_toolkit.forms import OUTCOME_SHORT
from practitioner_toolkit.i18n import _
from practitioner_toolkit.i18n.formatting import format_date
from practitioner_toolkit.store import CaseFilter, CasePage, CaseStatus, CaseSummary
from practitioner_toolkit.ui.context import UiContext
from practitioner_toolkit.ui.widgets import heading, show_error, wipe

_ModelIndex = QModelIndex | QPersistentModelIndex


def status_label(status: CaseStatus) -> str:
    return {
        CaseStatus.OPEN: _("Open"),
        CaseStatus.REFERRED: _("Referred"),
        CaseStatus.CLOSED: _("Closed"),
    }[status]


class CaseTableModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cases: list[CaseSummary] = []

    def set_cases(self, cases: list[CaseSummary]) -> None:
        self.beginResetModel()
        self.cases = cases
        self.endResetModel()

    def rowCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: _ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 5

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (_("Reference"), _("Status"), _("Post"), _("Opened"), _("Latest outcome"))[section]

    def data(self, index: _ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        case = self.cases[index.row()]
        column = index.column()
        if column == 0:
            return case.reference
        if column == 1:
            return status_label(case.status)
        if column == 2:
            return case.post or ""
        if column == 3:
            return format_date(case.opened_at) if case.opened_at else ""
        if case.latest_outcome in OUTCOME_SHORT:
            return _(OUTCOME_SHORT[case.latest_outcome])
        return ""

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 4)
        if self.cases:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.cases) - 1, 4))


class CasesPage(QWidget):
    open_case = Signal(str)
    new_case = Signal()

    PERIODS = (None, 7, 30, 365)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._query_serial = 0
        self._total = 0
        self._more = False
        self.title = heading("")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._schedule)
        self.status = QComboBox()
        self.status.currentIndexChanged.connect(self.reload)
        self.post = QComboBox()
        self.post.currentIndexChanged.connect(self.reload)
        self.period = QComboBox()
        self.period.currentIndexChanged.connect(self.reload)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_case.emit)
        self.model = CaseTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.activated.connect(self._activated)
        self.count = QLabel()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)

        self.search_label = QLabel()
        self.search_label.setBuddy(self.search)
        self.status_label = QLabel()
        self.status_label.setBuddy(self.status)
        self.post_label = QLabel()
        self.post_label.setBuddy(self.post)
        self.period_label = QLabel()
        self.period_label.setBuddy(self.period)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        for label, widget, stretch in (
            (self.search_label, self.search, 3),
            (self.status_label, self.status, 1),
            (self.post_label, self.post, 1),
            (self.period_label, self.period, 1),
        ):
            filters.addWidget(label)
            filters.addWidget(widget, stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Cases"))
        self.new_button.setText(_("&New case"))
        self.search_label.setText(_("&Search"))
        self.search.setPlaceholderText(_("Reference, name, post or words in notes"))
        self.search.setAccessibleName(_("Search cases"))
        self.status_label.setText(_("S&tatus"))
        self.post_label.setText(_("&Post"))
        self.period_label.setText(_("Pe&riod"))
        self.table.setAccessibleName(_("Case list"))
        self._fill_combo(
            self.status,
            [
                (_("Open and referred"), (CaseStatus.OPEN, CaseStatus.REFERRED)),
                (_("Open"), (CaseStatus.OPEN,)),
                (_("Referred"), (CaseStatus.REFERRED,)),
                (_("Closed"), (CaseStatus.CLOSED,)),
                (_("All"), ()),
            ],
        )
        self._fill_combo(
            self.period,
            [
                (_("Any time"), None),
                (_("Last 7 days"), 7),
                (_("Last 30 days"), 30),
                (_("Last 12 months"), 365),
            ],
        )
        if self.post.count():
            self.post.setItemText(0, _("All posts"))
        self.model.retranslate()
        self._show_count(len(self.model.cases), self._total)

    @staticmethod
    def _fill_combo(combo: QComboBox, items: list[tuple[str, object]]) -> None:
        index = max(0, combo.currentIndex())
        combo.blockSignals(True)
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(min(index, combo.count() - 1))
        combo.blockSignals(False)

    def activate(self) -> None:
        """Called each time the page is shown: refresh posts and the list."""
        ws = self.ctx.ws
        self.ctx.ops.run(lambda _p: ws.cases.posts(), owner=self, on_done=self._set_posts)
        self.reload()
        self.search.setFocus()

    def _set_posts(self, posts: list[str]) -> None:
        current = self.post.currentData()
        self.post.blockSignals(True)
        self.post.clear()
        self.post.addItem(_("All posts"), None)
        for post in posts:
            self.post.addItem(post, post)
        self.post.setCurrentIndex(max(0, self.post.findData(current)))
        self.post.blockSignals(False)

    def _schedule(self) -> None:
        self._debounce.start()

    def current_filter(self) -> CaseFilter:
        days = self.period.currentData()
        opened_from = (dt.date.today() - dt.timedelta(days=days)).isoformat() if days else None
        return CaseFilter(
            text=self.search.text(),
            statuses=tuple(self.status.currentData() or ()),
            post=self.post.currentData(),
            opened_from=opened_from,
        )

    def reload(self) -> None:
        if self.ctx.workspace is None or self.ctx.workspace.is_locked:
            return
        self._query_serial += 1
        serial = self._query_serial
        query = self.current_filter()
        ws = self.ctx.ws

        def done(page: CasePage) -> None:
            if serial != self._query_serial:
                return  # a newer search is on its way; drop this one
            self.model.set_cases(page.cases)
            self._total = page.total
            self._more = page.more
            self._show_count(len(page.cases), page.total)

        self.ctx.ops.run(
            lambda _p: ws.cases.list_cases(query),
            owner=self,
            on_done=done,
            on_error=lambda exc: show_error(self, exc),
        )

    def _show_count(self, shown: int, total: int) -> None:
        if self._more:
            self.count.setText(
                _("Showing {shown} of the {total} most recent matches; refine the search").format(
                    shown=shown, total=total
                )
            )
        elif total > shown:
            self.count.setText(
                _("Showing {shown} of {total} cases").format(shown=shown, total=total)
            )
        else:
            self.count.setText(_("{total} cases").format(total=total))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(self.model.cases[index.row()].id)

    def clear(self) -> None:
        self.model.set_cases([])
        wipe(self.search)
