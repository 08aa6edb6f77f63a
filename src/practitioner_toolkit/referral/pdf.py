"""Drawing laid-out lines with ReportLab: rows, a splittable flowable, page furniture.

Every run of a line is drawn by a one-line ``Paragraph`` whose style has ``shaping=1``: that
is the ReportLab path that really shapes with HarfBuzz (``canvas.drawString(shaping=True)``
silently does nothing without ``rlbidi``). Plain Latin runs (no combining marks) use
``shaping=0``: their glyphs are the characters' own either way. A shaped run whose glyphs
no longer map one-to-one to its characters (Khmer subscripts, reordered vowels, ligatures)
is wrapped in a ``/Span <</ActualText ...>>`` marked-content sequence, so copying text or
``pdftotext`` gives back the words as written.

Body content is a list of ``RowBlock`` flowables; a row is one line high, so a block can be
split between any two rows and long text flows over as many pages as it needs.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache, partial
from typing import Any

import segno
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.paraparser import ParaFrag

from practitioner_toolkit.referral.layout import Line, Run

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}
MARGIN_X: float = 18 * mm
HEADER_TOP: float = 9 * mm
BOTTOM_MARGIN: float = 9 * mm  # nothing is printed lower than this
_HUGE = 100_000.0  # width given to one-line paragraphs: the line is already broken

# ReportLab's document builders share module-level state (font subsets, rl_config): one
# build at a time, whichever thread asks.
BUILD_LOCK = threading.RLock()


@dataclass(frozen=True)
class Placed:
    x: float
    line: Line


@dataclass(frozen=True)
class Box:
    """A tick box; its bottom sits a little below the row's baseline."""

    x: float
    size: float
    checked: bool = False


@dataclass(frozen=True)
class Rule:
    x0: float
    x1: float
    y: float  # from the row's bottom
    width: float = 0.4
    color: str = "#9a9a9a"


@dataclass(frozen=True)
class Row:
    """One line high: everything in it shares a baseline."""

    height: float
    baseline: float  # from the row's top
    texts: tuple[Placed, ...] = ()
    boxes: tuple[Box, ...] = ()
    rules: tuple[Rule, ...] = ()
    shade: str | None = None
    keep_with_next: bool = False  # headings and labels never end a page


def make_row(
    texts: Sequence[Placed],
    *,
    boxes: Sequence[Box] = (),
    rules: Sequence[Rule] = (),
    shade: str | None = None,
    pad_top: float = 1.2,
    pad_bottom: float = 1.2,
    min_height: float = 0.0,
) -> Row:
    ascent = max((p.line.ascent for p in texts), default=0.0)
    descent = max((p.line.descent for p in texts), default=0.0)
    baseline = pad_top + ascent
    height = max(min_height, baseline + descent + pad_bottom)
    return Row(height, baseline, tuple(texts), tuple(boxes), tuple(rules), shade)


def column_rows(columns: Sequence[tuple[float, Sequence[Line]]], **kwargs: Any) -> list[Row]:
    """Columns of lines side by side, one row per line."""
    count = max((len(lines) for _, lines in columns), default=0)
    return [
        make_row([Placed(x, lines[i]) for x, lines in columns if i < len(lines)], **kwargs)
        for i in range(count)
    ]


def kept_with_next(rows: list[Row]) -> list[Row]:
    """The same rows, none of which may be the last on a page."""
    return [replace(row, keep_with_next=True) for row in rows]


def with_rule(rows: list[Row], x0: float, x1: float, **kwargs: Any) -> list[Row]:
    """The same rows with a hairline under the last one."""
    if not rows:
        return rows
    last = rows[-1]
    return [*rows[:-1], replace(last, rules=(*last.rules, Rule(x0, x1, 0.0, **kwargs)))]


@cache
def _color(value: str) -> Color:
    return HexColor(value)


class LineRenderer:
    """Draws lines on a canvas; ``shaped=False`` only for the benchmark's comparison."""

    def __init__(self, shaped: bool = True) -> None:
        self.shaped = shaped
        self._styles: dict[tuple[str, float, bool], ParagraphStyle] = {}

    def _style(self, font: str, size: float, shaping: bool) -> ParagraphStyle:
        style = self._styles.get((font, size, shaping))
        if style is None:
            style = ParagraphStyle(
                f"run-{font}-{size}",
                fontName=font,
                fontSize=size,
                leading=size,
                shaping=1 if shaping else 0,
            )
            self._styles[(font, size, shaping)] = style
        return style

    def draw_line(
        self, canvas: Canvas, x: float, baseline: float, line: Line, *, whole: bool = False
    ) -> None:
        """``whole``: one ActualText for the whole line, so rotated text extracts in one piece."""
        if whole and line.runs:
            canvas.saveState()
            canvas.translate(x, baseline)
            canvas.addLiteral(_actual_text(line.text))
            for run in line.runs:
                self._draw_run(canvas, run.x, 0.0, run, line, tagged=True)
            canvas.addLiteral("EMC")
            canvas.restoreState()
            return
        for run in line.runs:
            self._draw_run(canvas, x + run.x, baseline, run, line)

    def _draw_run(
        self,
        canvas: Canvas,
        x: float,
        baseline: float,
        run: Run,
        line: Line,
        *,
        tagged: bool = False,
    ) -> None:
        size = line.style.size
        frag = ParaFrag()
        frag.text = run.text
        frag.fontName = run.face.rl_name
        frag.fontSize = size
        frag.textColor = _color(line.style.color)
        frag.rise = 0
        frag.link = []
        frag.us_lines = []
        frag.greek = 0
        frag.bold = 0
        frag.italic = 0
        shaping = self.shaped and run.face.needs_shaping(run.text)
        style = self._style(run.face.rl_name, size, shaping)
        paragraph = Paragraph("", style, frags=[frag])
        _, height = paragraph.wrap(_HUGE, 4 * size)
        # A one-line paragraph puts its baseline ``fontSize`` below its top.
        y = baseline - (height - size)
        if tagged or not shaping or run.face.plain(run.text):
            paragraph.drawOn(canvas, x, y)
            return
        # The span must close under the transformation the glyphs were drawn with: readers
        # place the ActualText with the graphics state current at EMC.
        canvas.saveState()
        canvas.translate(x, y)
        canvas.addLiteral(_actual_text(run.text))
        paragraph.drawOn(canvas, 0, 0)
        canvas.addLiteral("EMC")
        canvas.restoreState()

    def draw_row(self, canvas: Canvas, x: float, y: float, width: float, row: Row) -> None:
        """Draw ``row`` with its bottom-left corner at (x, y)."""
        if row.shade:
            canvas.saveState()
            canvas.setFillColor(_color(row.shade))
            canvas.rect(x, y, width, row.height, stroke=0, fill=1)
            canvas.restoreState()
        baseline = y + row.height - row.baseline
        for placed in row.texts:
            self.draw_line(canvas, x + placed.x, baseline, placed.line)
        for box in row.boxes:
            draw_box(canvas, x + box.x, baseline - 0.15 * box.size, box)
        for rule in row.rules:
            canvas.saveState()
            canvas.setStrokeColor(_color(rule.color))
            canvas.setLineWidth(rule.width)
            canvas.line(x + rule.x0, y + rule.y, x + rule.x1, y + rule.y)
            canvas.restoreState()


def _actual_text(text: str) -> str:
    return f"/Span <</ActualText <FEFF{text.encode('utf-16-be').hex()}>>> BDC"


def draw_box(canvas: Canvas, x: float, y: float, box: Box) -> None:
    canvas.saveState()
    canvas.setLineWidth(0.8)
    canvas.setStrokeColor(_color("#333333"))
    canvas.rect(x, y, box.size, box.size, stroke=1, fill=0)
    if box.checked:
        inset = box.size * 0.2
        canvas.setLineWidth(1.2)
        canvas.line(x + inset, y + inset, x + box.size - inset, y + box.size - inset)
        canvas.line(x + inset, y + box.size - inset, x + box.size - inset, y + inset)
    canvas.restoreState()


@lru_cache(maxsize=64)
def _qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """Encoded once per document, not once per page (segno takes ~10 ms)."""
    return tuple(tuple(bool(m) for m in row) for row in segno.make_qr(data, error="m").matrix)


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code drawn as vector squares (no image, nothing written to disk)."""
    matrix = _qr_matrix(data)
    modules = len(matrix) + 2  # one module of quiet zone each side (the page is white)
    unit = size / modules
    canvas.saveState()
    canvas.setFillColor(_color("#000000"))
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(
                    x + (start + 1) * unit,
                    y + size - (r + 2) * unit,
                    (c - start) * unit,
                    unit,
                )
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


class RowBlock(Flowable):  # type: ignore[misc]  # untyped base
    """Rows drawn top to bottom; splits between rows, never before ``keep_first`` rows."""

    def __init__(
        self,
        rows: Sequence[Row],
        renderer: LineRenderer,
        *,
        keep_first: int = 1,
        space_before: float = 0.0,
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.renderer = renderer
        self.keep_first = keep_first
        self.spaceBefore = space_before
        self.height = sum(r.height for r in self.rows)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        used = 0.0
        fitted = 0
        for row in self.rows:
            if used + row.height > avail_height:
                break
            used += row.height
            fitted += 1
        while 0 < fitted < len(self.rows) and self.rows[fitted - 1].keep_with_next:
            fitted -= 1
        if fitted == 0 or fitted < min(self.keep_first, len(self.rows)):
            return []
        if fitted >= len(self.rows):
            return [self]
        return [
            RowBlock(self.rows[:fitted], self.renderer, space_before=self.spaceBefore),
            RowBlock(self.rows[fitted:], self.renderer),
        ]

    def draw(self) -> None:
        y = self.height
        for row in self.rows:
            y -= row.height
            self.renderer.draw_row(self.canv, 0.0, y, self.width, row)


@dataclass(frozen=True)
class PageFurniture:
    """What every page carries besides the body: marking, identity, numbering, watermark."""

    header: tuple[Line, ...]  # stacked at the top left ("CONFIDENTIAL" first)
    footer: tuple[Line, ...]  # stacked at the bottom left
    page_label: Callable[[int, int], Line]  # "Page N of M", right-aligned in the footer
    qr_data: str | None = None
    watermark: tuple[Line, ...] = ()  # training mode only

    @property
    def header_height(self) -> float:
        return sum(line.height + 2.5 for line in self.header)

    @property
    def footer_height(self) -> float:
        """Room for the footer lines (they can wrap, and be in two scripts)."""
        label = self.page_label(999, 999)
        lines = sum(line.height + 1.0 for line in self.footer)
        return max(lines, label.height + 1.0) + 2.0


@dataclass(frozen=True)
class PageGeometry:
    page_size: str
    width: float
    height: float
    top: float  # frame top, from the page's top edge
    bottom: float  # frame bottom, from the page's bottom edge
    footer_rule: float  # from the page's bottom edge; the footer's lines hang below it

    @property
    def content_width(self) -> float:
        return self.width - 2 * MARGIN_X

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


QR_SIZE: float = 19 * mm


def geometry(page_size: str, furniture: PageFurniture) -> PageGeometry:
    """The body frame: whatever room the header and footer leave, in their languages."""
    width, height = PAGE_SIZES[page_size]
    top = max(HEADER_TOP + QR_SIZE, HEADER_TOP + furniture.header_height) + 5 * mm
    footer_rule = BOTTOM_MARGIN + furniture.footer_height
    return PageGeometry(page_size, width, height, top, footer_rule + 4 * mm, footer_rule)


class _TextObject(PDFTextObject):  # type: ignore[misc]  # untyped base
    """ReportLab 5.1's text object with its ``setRise`` fixed.

    When two rises follow each other, ReportLab merges them into one ``Ts`` operator but
    forgets to record the new rise; its shaper then believes the baseline is back at zero
    and draws the rest of the word lowered. That happens in every Khmer word with a vowel
    under a subscript (ផ្លូវ, បញ្ជូន): each glyph after it sank below the line.
    """

    _rise: float
    _y: float
    _code: list[str]

    def setRise(self, rise: float) -> None:  # noqa: N802 (ReportLab's name)
        operator = f"{fp_str(rise)} Ts"
        if self._code and self._code[-1].endswith(" Ts"):
            self._y += self._rise  # undo the rise being replaced
            self._code[-1] = operator
        else:
            self._code.append(operator)
        self._rise = rise
        self._y -= rise


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # untyped base
    """Holds pages back until the end, so each can say "Page N of M"."""

    def beginText(  # noqa: N802 (ReportLab's name)
        self, x: float = 0, y: float = 0, direction: str | None = None
    ) -> _TextObject:
        return _TextObject(self, x, y, direction=direction)

    def __init__(
        self, *args: Any, finish_page: Callable[[Canvas, int, int], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._finish_page = finish_page
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._finish_page(self, self._pageNumber, total)
            Canvas.showPage(self)
        Canvas.save(self)


class PdfWriter:
    """Builds one PDF in memory: body flowables inside the page furniture."""

    def __init__(
        self, geometry: PageGeometry, furniture: PageFurniture, renderer: LineRenderer
    ) -> None:
        self.geometry = geometry
        self.furniture = furniture
        self.renderer = renderer
        self.initial_font = next(
            (run.face.rl_name for line in furniture.header for run in line.runs), None
        )

    def build(self, story: list[Flowable], *, title: str, encrypt: Any = None) -> bytes:
        g = self.geometry
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=(g.width, g.height),
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=g.top,
            bottomMargin=g.bottom,
            title=title,
            author="",
            subject="",
            creator="Practitioner Toolkit",
            producer="Practitioner Toolkit (ReportLab)",
            encrypt=encrypt,
            pageCompression=1,
            # ReportLab opens every page with its initial font: make it an embedded one.
            initialFontName=self.initial_font,
        )
        frame = Frame(
            MARGIN_X,
            g.bottom,
            g.content_width,
            g.frame_height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate("page", [frame], onPage=self._on_page)])
        with BUILD_LOCK:
            # Binary streams: ASCII85 would make the file 25% larger and, without ReportLab's
            # optional C accelerator, cost ~10 ms per referral. Set only for this build.
            use_a85 = rl_config.useA85
            rl_config.useA85 = 0
            try:
                doc.build(story, canvasmaker=partial(_NumberedCanvas, finish_page=self._finish))
            finally:
                rl_config.useA85 = use_a85
        return buffer.getvalue()

    def _on_page(self, canvas: Canvas, doc: Any) -> None:
        """Drawn first on every page: the watermark under everything, then the header."""
        g = self.geometry
        f = self.furniture
        if f.watermark:
            canvas.saveState()
            canvas.translate(g.width / 2, g.height / 2)
            canvas.rotate(38)
            total = sum(line.height for line in f.watermark)
            y = total / 2
            for line in f.watermark:
                y -= line.ascent
                self.renderer.draw_line(canvas, -line.width / 2, y, line, whole=True)
                y -= line.descent
            canvas.restoreState()
        y = g.height - HEADER_TOP
        for line in f.header:
            y -= line.ascent + 1.0
            self.renderer.draw_line(canvas, MARGIN_X, y, line)
            y -= line.descent + 1.5
        if f.qr_data:
            draw_qr(
                canvas,
                f.qr_data,
                g.width - MARGIN_X - QR_SIZE,
                g.height - HEADER_TOP - QR_SIZE,
                QR_SIZE,
            )
        rule_y = g.height - g.top + 2.5 * mm
        canvas.saveState()
        canvas.setStrokeColor(_color("#7a7a7a"))
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, rule_y, g.width - MARGIN_X, rule_y)
        canvas.line(MARGIN_X, g.footer_rule, g.width - MARGIN_X, g.footer_rule)
        canvas.restoreState()

    def _finish(self, canvas: Canvas, page: int, total: int) -> None:
        """Drawn last, once the page count is known: the footer."""
        g = self.geometry
        label = self.furniture.page_label(page, total)
        y = g.footer_rule - 2.0
        first = True
        for line in self.furniture.footer or (label,):
            y -= line.ascent
            if first:
                self.renderer.draw_line(canvas, g.width - MARGIN_X - label.width, y, label)
                first = False
            if line is not label:
                self.renderer.draw_line(canvas, MARGIN_X, y, line)
            y -= line.descent + 1.0
