"""What every printed page carries: marking, identity, page numbers, training watermark.

Shared by the referral sheet and the blank checklist. Every text here is laid out within
the room it has (the header beside the QR code, the footer beside "Page N of M", the
watermark across the page), so a long translation wraps instead of running off the paper.
"""

from __future__ import annotations

from reportlab.lib.units import mm

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.referral.compose import Composer
from practitioner_toolkit.referral.layout import Line, TextStyle
from practitioner_toolkit.referral.pdf import QR_SIZE, PageFurniture

CONFIDENTIAL = N_("CONFIDENTIAL")
TRAINING = N_("TRAINING — NOT A REAL CASE")
PAGE_OF = N_("Page {page} of {total}")
REFERRAL_FOOTER = N_(
    "Contains personal data. Share only with the receiving agency named on this form."
)

HEADER_CONFIDENTIAL = TextStyle(11, bold=True, color="#a01818")
HEADER_TEXT = TextStyle(9, color="#222222")
HEADER_TRAINING = TextStyle(9, bold=True, color="#b35900")
FOOTER_TEXT = TextStyle(7.5, color="#444444")
PAGE_LABEL = TextStyle(8, color="#222222")
WATERMARK = TextStyle(36, bold=True, color="#d6d6d6")
WATERMARK_SECOND = TextStyle(24, bold=True, color="#d6d6d6")


def furniture(
    composer: Composer,
    *,
    title: str,
    identity: str,
    qr_data: str | None,
    training: bool,
    footer_note: str = REFERRAL_FOOTER,
) -> PageFurniture:
    """Header, footer and watermark in the printout's language(s).

    ``title`` and ``footer_note`` are message ids; ``identity`` (a reference) is printed as is.
    """
    c = composer
    header_width = c.width - QR_SIZE - 4 * mm

    def both_lines(message: str, style: TextStyle, width: float, suffix: str = "") -> list[Line]:
        first, second = c.both(message)
        text = first + (f"  ·  {second}" if second else "") + suffix
        return c.lines(text, style, width, field=message)

    header = both_lines(CONFIDENTIAL, HEADER_CONFIDENTIAL, header_width)
    header += both_lines(title, HEADER_TEXT, header_width, f"  ·  {identity}")
    if training:
        header += both_lines(TRAINING, HEADER_TRAINING, header_width)

    def page_label(page: int, total: int) -> Line:
        parts = []
        for lang in (c.first, c.second):
            if lang is None:
                continue
            try:
                parts.append(lang.t(PAGE_OF).format(page=page, total=total))
            except (KeyError, IndexError, ValueError):  # a broken translation
                parts.append(PAGE_OF.format(page=page, total=total))
        return c.one_line("  ·  ".join(dict.fromkeys(parts)), PAGE_LABEL, field=PAGE_OF)

    footer_width = c.width - page_label(999, 999).width - 8 * mm
    footer_first, footer_second = c.both(footer_note)
    footer = c.lines(footer_first, FOOTER_TEXT, footer_width, field=footer_note)
    if footer_second and c.second:
        footer += c.lines(
            footer_second, FOOTER_TEXT, footer_width, field=footer_note, language=c.second
        )

    watermark: list[Line] = []
    if training:
        diagonal = c.width * 1.2  # what fits across the page at the watermark angle
        first, second = c.both(TRAINING)
        watermark += c.lines(first, WATERMARK, diagonal, field=TRAINING)
        if second and c.second:
            watermark += c.lines(
                second, WATERMARK_SECOND, diagonal, field=TRAINING, language=c.second
            )
    return PageFurniture(
        header=tuple(header),
        footer=tuple(footer),
        page_label=page_label,
        qr_data=qr_data,
        watermark=tuple(watermark),
    )
