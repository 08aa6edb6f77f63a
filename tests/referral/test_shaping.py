"""Shaped glyphs land where HarfBuzz puts them: a regression test on the pixels."""

from __future__ import annotations

from pathlib import Path

import pytest

from practitioner_toolkit.referral.fonts import font_library
from practitioner_toolkit.referral.layout import TextStyle, Typesetter
from practitioner_toolkit.referral.pdf import LineRenderer, _NumberedCanvas
from tests.referral.pdftools import GreyImage, render_grey

DPI = 144
SCALE = DPI / 72


def _draw(path: Path, language: str, pieces: list[tuple[float, str]]) -> None:
    canvas = _NumberedCanvas(str(path), pagesize=(400, 100), finish_page=lambda *_: None)
    setter = Typesetter(font_library(), language)
    renderer = LineRenderer()
    for x, text in pieces:
        renderer.draw_line(canvas, x, 50, setter.line(text, TextStyle(30)))
    canvas.showPage()
    canvas.save()


def _ink_rows(image: GreyImage, x_from: float) -> tuple[int, int]:
    """First and last pixel rows with ink right of ``x_from`` (points)."""
    column = int(x_from * SCALE)
    rows = [y for y in range(image.height) if min(image.row(y)[column:], default=255) < 128]
    return rows[0], rows[-1]


@pytest.mark.parametrize(
    ("language", "head", "tail"),
    [
        ("km", "ផ្លូវ", "ច្បាប់"),  # a vowel under a subscript, then more text
        ("km", "បញ្ជូ", "នបន្ត"),
        ("my", "နှုတ်", "ဆက်"),  # Burmese stacked marks below
        ("th", "ผู้ใ", "หญ่"),  # Thai marks above and below
    ],
)
def test_text_after_a_lowered_mark_stays_on_the_baseline(
    tmp_path: Path, language: str, head: str, tail: str
) -> None:
    """ReportLab 5.1 drew everything after such a cluster lowered (its ``setRise`` bug)."""
    setter = Typesetter(font_library(), language)
    start = 10.0 + setter.width(head, TextStyle(30))
    whole, alone = tmp_path / "whole.pdf", tmp_path / "alone.pdf"
    _draw(whole, language, [(10.0, head + tail)])
    _draw(alone, language, [(start, tail)])
    in_word = _ink_rows(render_grey(whole, tmp_path / "a", dpi=DPI)[0], start + 2)
    on_its_own = _ink_rows(render_grey(alone, tmp_path / "b", dpi=DPI)[0], start + 2)
    assert abs(in_word[0] - on_its_own[0]) <= 2 and abs(in_word[1] - on_its_own[1]) <= 2
