"""Blank paper checklists from the form definitions, in every language and in two at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from practitioner_toolkit.forms import load_and_validate, text_in
from practitioner_toolkit.referral import ReferralError, export_blank_checklist
from practitioner_toolkit.referral.export import render_checklist
from practitioner_toolkit.referral.furniture import CONFIDENTIAL, PAGE_OF, TRAINING
from practitioner_toolkit.referral.labels import Translator
from tests.referral.pdftools import (
    marker_count,
    pdftotext,
    render_grey,
    render_pngs,
    squash,
    words_outside,
)
from tests.referral.samples import LANGUAGES, nine_language_form

MM = 72 / 25.4
MINI = Path(__file__).parents[1] / "forms" / "fixtures" / "mini.yaml"


@pytest.mark.parametrize("language", LANGUAGES)
def test_blank_checklist_in_every_language(
    tmp_path: Path, png_dir: Path, png_dpi: int, language: str
) -> None:
    form = nine_language_form()
    second = None if language == "en" else "en"
    out = export_blank_checklist(
        form, tmp_path / f"checklist-{language}.pdf", language, second_language=second
    )
    pngs = render_pngs(out, png_dir, prefix=f"checklist-{language}", dpi=png_dpi)
    images = render_grey(out, tmp_path / "grey")
    assert len(pngs) == len(images) >= 1
    for image in images:
        assert image.ink() > 1000
        assert image.dark_pixels_near_edge(band=int(7 * MM * 50 / 72)) == 0

    t = Translator(language)
    pages = len(images)
    for page in range(1, pages + 1):
        page_text = squash(pdftotext(out, page=page))
        assert squash(t(CONFIDENTIAL)) in page_text
        assert squash(t(PAGE_OF).format(page=page, total=pages)) in page_text

    text = squash(pdftotext(out))
    expected = [text_in(form.title, language)]
    for section in form.sections:
        expected.append(text_in(section.title, language))
        for question in section.questions:
            expected.append(text_in(question.label, language))
            expected.append(text_in(question.label, "en"))  # the second language
    for choice in form.choice_lists["recruiters"]:
        expected += [text_in(choice.label, language), text_in(choice.label, "en")]
    for item in expected:
        assert squash(item) in text, item
    assert words_outside(out, left=18 * MM, right=18 * MM, top=8 * MM, bottom=8 * MM) == []


def test_checklist_says_which_questions_depend_on_others(tmp_path: Path) -> None:
    out = export_blank_checklist(nine_language_form(), tmp_path / "c.pdf", "en")
    text = squash(pdftotext(out))
    assert squash("Ask only if the answers to 1.1 call for it.") in text  # section "Work"
    assert squash("Ask only if the answers to 2.2 call for it.") in text  # the story question
    assert squash("Declined to answer") in text
    assert text.count(squash("Yes")) >= 5


def test_training_checklist_is_watermarked_on_every_page(tmp_path: Path) -> None:
    out = export_blank_checklist(
        nine_language_form(), tmp_path / "t.pdf", "lo", second_language="en", training=True
    )
    marker = Translator("lo")(TRAINING)
    pages = len(render_grey(out, tmp_path / "grey"))
    assert pages >= 2
    for page in range(1, pages + 1):
        assert marker_count(pdftotext(out, page=page), marker) == 2


def test_checklist_refuses_a_language_the_form_lacks(tmp_path: Path) -> None:
    mini = load_and_validate(MINI)  # English and Khmer only
    with pytest.raises(ReferralError, match="no lo translation"):
        export_blank_checklist(mini, tmp_path / "x.pdf", "lo")
    with pytest.raises(ReferralError, match="no th translation"):
        export_blank_checklist(mini, tmp_path / "x.pdf", "km", second_language="th")
    assert list(tmp_path.iterdir()) == []
    out = export_blank_checklist(mini, tmp_path / "km.pdf", "km", page_size="Letter")
    assert squash("តើអ្នកយល់ព្រមនិយាយជាមួយខ្ញុំទេ?") in squash(pdftotext(out))


def test_shaping_changes_what_is_drawn(tmp_path: Path) -> None:
    """The same Khmer page with and without HarfBuzz: different pixels, and only the shaped
    one needs ActualText (its glyphs no longer map one-to-one to characters)."""
    form = nine_language_form()
    shaped = tmp_path / "shaped.pdf"
    plain = tmp_path / "plain.pdf"
    shaped.write_bytes(render_checklist(form, "km"))
    plain.write_bytes(render_checklist(form, "km", shaped=False))
    shaped_page = render_grey(shaped, tmp_path / "a")[0]
    plain_page = render_grey(plain, tmp_path / "b")[0]
    assert shaped_page.pixels != plain_page.pixels
    assert b"/ActualText" in _content(shaped)
    assert b"/ActualText" not in _content(plain)


def _content(path: Path) -> bytes:
    import pypdf

    reader = pypdf.PdfReader(path)
    return b"".join(page.get_contents().get_data() for page in reader.pages)  # type: ignore[union-attr]
