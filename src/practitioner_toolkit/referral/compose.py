"""Building blocks of a printed form, in one language or two.

A ``Composer`` turns texts into rows at the page's content width: headings, label/value
fields, tick-box items, writing lines and signature lines. When a second language is asked
for, every printed label and every translated value is followed by its English (or other
second-language) text in smaller grey type, so a border official and a shelter worker can
read the same sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.referral.errors import ReferralError
from practitioner_toolkit.referral.fonts import FontLibrary, UnsupportedCharactersError
from practitioner_toolkit.referral.labels import Translator
from practitioner_toolkit.referral.layout import Line, TextStyle, Typesetter, clean_text
from practitioner_toolkit.referral.pdf import (
    Box,
    LineRenderer,
    Placed,
    Row,
    RowBlock,
    Rule,
    column_rows,
    kept_with_next,
    make_row,
    with_rule,
)

BODY = TextStyle(10)
BODY_BOLD = TextStyle(10, bold=True)
LABEL = TextStyle(8.5, bold=True, color="#333333")
SECOND = TextStyle(8, color="#555555")
LABEL_SECOND = TextStyle(7.5, color="#555555")
HEADING = TextStyle(12, bold=True, color="#1f3a5f")
HEADING_SECOND = TextStyle(9, color="#1f3a5f")
TITLE = TextStyle(16, bold=True)
TITLE_SECOND = TextStyle(11, color="#333333")
NOTE = TextStyle(8.5, color="#333333")
RULE_COLOR = "#b0b0b0"


@dataclass(frozen=True)
class Language:
    """One language of a printout: its line breaker and its translations."""

    setter: Typesetter
    t: Translator


class Composer:
    def __init__(
        self,
        library: FontLibrary,
        language: str,
        width: float,
        renderer: LineRenderer,
        *,
        second_language: str | None = None,
        shaped: bool = True,
        translators: dict[str, Translator] | None = None,
    ) -> None:
        def make(code: str) -> Language:
            t = (translators or {}).get(code) or Translator(code)
            return Language(Typesetter(library, code, shaped=shaped), t)

        self.library = library
        self.first = make(language)
        self.second = (
            make(second_language) if second_language and second_language != language else None
        )
        self.width = width
        self.renderer = renderer
        self.label_width = round(width * 0.34)
        self.value_x = self.label_width + 4 * mm

    # -- text -------------------------------------------------------------------------------

    def lines(
        self,
        text: str,
        style: TextStyle,
        width: float,
        *,
        field: str,
        language: Language | None = None,
    ) -> list[Line]:
        """Broken lines of ``text``; a character no font has is the user's to fix."""
        lang = language or self.first
        cleaned = clean_text(text)
        try:
            return lang.setter.lines(cleaned, style, width)
        except UnsupportedCharactersError:
            missing = self.library.unsupported(cleaned)
            shown = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:5])
            raise ReferralError(
                N_(
                    "The field “{field}” contains characters that no bundled font can print "
                    "({characters}). Replace them and try again."
                ),
                field=field,
                characters=shown + (", …" if len(missing) > 5 else ""),
            ) from None

    def one_line(
        self, text: str, style: TextStyle, *, field: str, language: Language | None = None
    ) -> Line:
        """``text`` as a single unbroken line (short labels: page numbers, tick-box choices)."""
        return self.lines(text.replace("\n", " "), style, 100_000, field=field, language=language)[
            0
        ]

    def both(self, message: str) -> tuple[str, str | None]:
        first = self.first.t(message)
        second = self.second.t(message) if self.second else None
        return first, (second if second != first else None)

    def label_lines(
        self, message: str, width: float, style: TextStyle = LABEL, second: TextStyle = LABEL_SECOND
    ) -> list[Line]:
        first_text, second_text = self.both(message)
        lines = self.lines(first_text, style, width, field=message)
        if second_text and self.second:
            lines += self.lines(second_text, second, width, field=message, language=self.second)
        return lines

    def value_lines(
        self, value: str, width: float, *, field: str, second_value: str | None = None
    ) -> list[Line]:
        lines = self.lines(value, BODY, width, field=field)
        if second_value and second_value != value and self.second:
            lines += self.lines(second_value, SECOND, width, field=field, language=self.second)
        return lines

    # -- blocks -----------------------------------------------------------------------------

    def block(
        self, rows: Sequence[Row], *, keep_first: int = 1, space_before: float = 0.0
    ) -> RowBlock:
        return RowBlock(rows, self.renderer, keep_first=keep_first, space_before=space_before)

    def title_rows(self, message: str) -> list[Row]:
        return self.title_text_rows(*self.both(message), field=message)

    def title_text_rows(self, first_text: str, second_text: str | None, *, field: str) -> list[Row]:
        rows = column_rows([(0.0, self.lines(first_text, TITLE, self.width, field=field))])
        if second_text and second_text != first_text and self.second:
            second_lines = self.lines(
                second_text, TITLE_SECOND, self.width, field=field, language=self.second
            )
            rows += column_rows([(0.0, second_lines)])
        return rows

    def numbered_rows(
        self,
        number: str,
        text: str,
        second_text: str | None,
        *,
        field: str,
        style: TextStyle,
        indent: float,
    ) -> list[Row]:
        """A numbered item: the number in the left gutter, the text beside it."""
        lines = self.lines(text, style, self.width - indent, field=field)
        if second_text and second_text != text and self.second:
            lines += self.lines(
                second_text, SECOND, self.width - indent, field=field, language=self.second
            )
        label = self.first.setter.line(number, style)
        rows = column_rows([(indent, lines)], pad_top=1.5)
        if rows:
            rows[0] = make_row([Placed(0.0, label), *rows[0].texts], pad_top=1.5)
        return rows

    def heading_rows(self, message: str) -> list[Row]:
        first_text, second_text = self.both(message)
        return self.heading_text_rows(first_text, second_text, field=message)

    def heading_text_rows(
        self, first_text: str, second_text: str | None, *, field: str, number: str = ""
    ) -> list[Row]:
        prefix = f"{number}  " if number else ""
        lines = self.lines(prefix + first_text, HEADING, self.width, field=field)
        if second_text and second_text != first_text and self.second:
            lines += self.lines(
                prefix + second_text,
                HEADING_SECOND,
                self.width,
                field=field,
                language=self.second,
            )
        rows = column_rows([(0.0, lines)], pad_top=2.0)
        rows = with_rule(rows, 0.0, self.width, width=0.9, color="#1f3a5f")
        return kept_with_next([*rows, Row(height=2.0, baseline=0.0)])  # air under the rule

    def label_lines_rows(self, message: str) -> list[Row]:
        """A sub-heading inside a section (small bold label, full width)."""
        rows = column_rows([(0.0, self.label_lines(message, self.width))], pad_top=4.0)
        return kept_with_next(rows)

    def field_rows(self, label: str, value: str, *, second_value: str | None = None) -> list[Row]:
        """A label (left column) and its value (right column), with a hairline below."""
        label_lines = self.label_lines(label, self.label_width)
        value_lines = self.value_lines(
            value, self.width - self.value_x, field=label, second_value=second_value
        )
        rows = column_rows([(0.0, label_lines), (self.value_x, value_lines)])
        return with_rule(rows, 0.0, self.width, color=RULE_COLOR)

    def text_rows(
        self,
        text: str,
        *,
        field: str,
        style: TextStyle = BODY,
        indent: float = 0.0,
        second_text: str | None = None,
    ) -> list[Row]:
        lines = self.lines(text, style, self.width - indent, field=field)
        if second_text and second_text != text and self.second:
            lines += self.lines(
                second_text, SECOND, self.width - indent, field=field, language=self.second
            )
        return column_rows([(indent, lines)])

    def message_rows(
        self, message: str, *, style: TextStyle = BODY, indent: float = 0.0
    ) -> list[Row]:
        """A translated sentence, followed by its second-language version."""
        first_text, second_text = self.both(message)
        return self.text_rows(
            first_text, field=message, style=style, indent=indent, second_text=second_text
        )

    def item_rows(
        self,
        text: str,
        *,
        field: str,
        second_text: str | None = None,
        checked: bool | None = None,
        indent: float = 0.0,
        bullet: str | None = None,
    ) -> list[Row]:
        """A list item: a tick box (``checked`` not None) or a bullet, then wrapped text."""
        box_size = 3.2 * mm
        text_x = indent + (box_size + 2.5 * mm if checked is not None or bullet else 0.0)
        lines = self.lines(text, BODY, self.width - text_x, field=field)
        if second_text and second_text != text and self.second:
            lines += self.lines(
                second_text, SECOND, self.width - text_x, field=field, language=self.second
            )
        rows = column_rows([(text_x, lines)])
        if rows and checked is not None:
            rows[0] = make_row(
                list(rows[0].texts),
                boxes=[Box(indent, box_size, checked)],
                min_height=rows[0].height,
            )
        elif rows and bullet:
            mark = self.first.setter.line(bullet, BODY)
            rows[0] = make_row([Placed(indent, mark), *rows[0].texts])
        return rows

    def choice_rows(
        self, choices: Sequence[tuple[str, str | None]], *, field: str, indent: float
    ) -> list[Row]:
        """Tick boxes side by side when they fit on one line, else one per line."""
        box_size = 3.2 * mm
        gap = 6 * mm
        available = self.width - indent
        pieces: list[tuple[list[Line], float]] = []
        for text, second_text in choices:
            label = text if not second_text or second_text == text else f"{text} / {second_text}"
            line = self.one_line(label, BODY, field=field)
            pieces.append(([line], box_size + 2 * mm + line.width))
        total = sum(w for _, w in pieces) + gap * (len(pieces) - 1)
        if pieces and total <= available:
            texts: list[Placed] = []
            boxes: list[Box] = []
            x = indent
            for lines, w in pieces:
                boxes.append(Box(x, box_size))
                texts.append(Placed(x + box_size + 2 * mm, lines[0]))
                x += w + gap
            return [make_row(texts, boxes=boxes, pad_top=2.0, pad_bottom=2.0)]
        rows: list[Row] = []
        for text, second_text in choices:
            rows += self.item_rows(
                text, field=field, second_text=second_text, checked=False, indent=indent
            )
        return rows

    def writing_rows(
        self, count: int, *, indent: float = 0.0, label: str | None = None
    ) -> list[Row]:
        """Empty lines to write on (paper), the first one after its label."""
        rows: list[Row] = []
        label_lines: list[Line] = []
        if label:
            first_text, second_text = self.both(label)
            text = f"{first_text} / {second_text}" if second_text else first_text
            label_lines = self.lines(text, NOTE, (self.width - indent) * 0.6, field=label)
            rows += column_rows([(indent, label_lines[:-1])])
        for i in range(count):
            texts: list[Placed] = []
            start = indent
            if i == 0 and label_lines:
                texts.append(Placed(indent, label_lines[-1]))
                start = indent + label_lines[-1].width + 2 * mm
            rows.append(
                Row(
                    height=7.5 * mm,
                    baseline=7.5 * mm - 2.0,
                    texts=tuple(texts),
                    rules=(Rule(start, self.width, 1.5, width=0.5, color="#777777"),),
                )
            )
        return rows

    def signature_rows(self, labels: Sequence[str]) -> list[Row]:
        """Signature and date lines side by side, the label under each line."""
        columns = len(labels)
        gap = 8 * mm
        column_width = (self.width - gap * (columns - 1)) / columns
        space = Row(height=14 * mm, baseline=0.0)
        label_columns = [
            (i * (column_width + gap), self.label_lines(message, column_width, NOTE, SECOND))
            for i, message in enumerate(labels)
        ]
        rows = column_rows(label_columns, pad_top=2.0)
        if rows:
            rules = tuple(
                Rule(
                    i * (column_width + gap),
                    i * (column_width + gap) + column_width,
                    rows[0].height,
                    width=0.7,
                    color="#333333",
                )
                for i in range(columns)
            )
            rows[0] = Row(rows[0].height, rows[0].baseline, rows[0].texts, (), rules)
        return [space, *rows]
