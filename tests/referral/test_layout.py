"""Line breaking: ICU word boundaries, shaped widths, one font per run, and its checker."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from practitioner_toolkit.i18n.textbreak import line_segments
from practitioner_toolkit.referral.fonts import UnsupportedCharactersError, font_library, split_runs
from practitioner_toolkit.referral.layout import TextStyle, Typesetter, clean_text
from tests.referral.pdftools import pdftotext, words_outside

TEXTS = {
    "km": "តើអ្នកត្រូវបានគេបង្ខំឱ្យធ្វើការទេ? ស្ត្រីម្នាក់បានប្រាប់ថា និយោជករក្សាលិខិតឆ្លងដែន "
    "និងប្រាក់ខែរបស់នាង ហើយភ្នាក់ងារជ្រើសរើសបុគ្គលិកបានសន្យាការងារក្លែងក្លាយ។",
    "th": "ผู้ใหญ่ที่นี่บอกว่านายจ้างยึดหนังสือเดินทางและไม่จ่ายค่าจ้างมาหลายเดือนแล้ว "
    "คนงานบนเรือประมงทำงานวันละยี่สิบชั่วโมงโดยไม่มีวันหยุด",
    "lo": "ທ່ານຖືກບັງຄັບໃຫ້ເຮັດວຽກບໍ? ນາຍຈ້າງເກັບໜັງສືຜ່ານແດນໄວ້ ແລະ ບໍ່ຈ່າຍເງິນເດືອນໃຫ້ຫຼາຍເດືອນແລ້ວ",
    "my": "မြန်မာနိုင်ငံမှ အလုပ်သမားများကို ကျေးဇူးတင်ပါတယ်။ အလုပ်ရှင်က နိုင်ငံကူးလက်မှတ်ကို "
    "သိမ်းထားပြီး လစာမပေးဘဲ နေ့စဉ် နာရီအများကြီး အလုပ်လုပ်ခိုင်းသည်။",
}


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_lines_break_only_at_icu_word_boundaries(language: str) -> None:
    text = TEXTS[language]
    setter = Typesetter(font_library(), language)
    style = TextStyle(10)
    width = 110.0
    lines = setter.lines(clean_text(text), style, width)
    assert len(lines) >= 4
    boundaries = {0}
    for segment in line_segments(text, language):
        boundaries.add(max(boundaries) + len(segment))
    position = 0
    for line in lines:
        assert line.width <= width + 0.5, line.text
        start = text.index(line.text, position)
        assert start in boundaries or text[position:start].strip() == ""
        position = start + len(line.text)
        assert position in boundaries or text[position : position + 1] == " ", line.text
    assert "".join(line.text for line in lines).replace(" ", "") == text.replace(" ", "")


def test_each_run_has_one_font_that_covers_it() -> None:
    chain = font_library().chain("lo")
    runs = split_runs("ທ່ານ? (REF-12) ສະບາຍດີ ស្ត្រី", chain)
    assert [r.face.spec.key for r in runs] == ["lao", "latin", "lao", "khmer"]
    assert all(all(r.face.covers(ord(c)) for c in r.text) for r in runs)
    assert "".join(r.text for r in runs) == "ທ່ານ? (REF-12) ສະບາຍດີ ស្ត្រី"
    with pytest.raises(UnsupportedCharactersError, match=r"U\+4E2D"):
        split_runs("ok 中", chain)


def test_words_longer_than_a_line_are_cut_between_clusters() -> None:
    setter = Typesetter(font_library(), "km")
    word = "ស្ត្រី" * 40
    lines = setter.lines(word, TextStyle(10), 80.0)
    assert len(lines) > 3
    assert "".join(line.text for line in lines) == word
    for line in lines:
        assert line.width <= 80.5
        assert not line.text.startswith(("\u17d2", "\u17b8"))  # never a coeng or vowel first


def test_clean_text_normalises_and_drops_invisible_characters() -> None:
    assert clean_text("Nguye\u0302\u0303n\u200b  Thi\u0323\r\n\r\nx\ty\x07") == "Nguyễn Thị\n\nx y"


def test_the_overflow_check_catches_text_off_the_page(tmp_path: Path) -> None:
    """The tests' own checker must be able to fail."""
    path = tmp_path / "bad.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(60, 400, "inside the margins")
    canvas.drawString(500, 300, "this sentence runs off the right edge of the page")
    canvas.save()
    outside = words_outside(path, left=50, right=50, top=20, bottom=20)
    assert outside and all(w.y0 > 500 for w in outside)
    assert {w.text for w in outside} >= {"sentence", "runs"}
    # Words wholly off the page are not extracted at all: the round-trip checks catch those.
    assert "edge" not in pdftotext(path)
