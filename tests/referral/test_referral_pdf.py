"""Referral PDFs as a reader gets them: rendered (pdftoppm), read back (pdftotext), measured.

Every language is printed, rendered to PNG, its text extracted and compared with what was
stored, and every word's box checked to lie inside the printable area.
"""

from __future__ import annotations

import gettext
import threading
import unicodedata
from pathlib import Path
from typing import Any

import pypdf
import pytest

from practitioner_toolkit.referral import (
    ReferralError,
    ReferralPdfOptions,
    export_referral_pdf,
)
from practitioner_toolkit.referral import labels as labels_module
from practitioner_toolkit.referral.furniture import CONFIDENTIAL, PAGE_OF, TRAINING
from practitioner_toolkit.referral.labels import Translator
from practitioner_toolkit.store import Workspace
from tests.referral.pdftools import (
    marker_count,
    pdftotext,
    render_grey,
    render_pngs,
    squash,
    words,
    words_outside,
)
from tests.referral.samples import (
    LANGUAGES,
    NOT_SHARED_ALIAS,
    SAMPLES,
    SECRET_STORY,
    make_referral,
    registry,
)

MM = 72 / 25.4
SIDE = 18 * MM  # the page's left and right margins: no text may go past them
TOP = 8 * MM
BOTTOM = 8 * MM
BODY_TOP = 33 * MM  # below the header rule

KHMER_WORDS = (
    "តើអ្នកត្រូវបានគេបង្ខំឱ្យធ្វើការទេ ស្ត្រី ប្រាក់ខែ លិខិតឆ្លងដែន និយោជក "
    "ភ្នាក់ងារជ្រើសរើសបុគ្គលិក បានសន្យាការងារក្លែងក្លាយ "
)


def _export(
    workspace: Workspace, folder: Path, language: str, **options: object
) -> tuple[Path, str]:
    referral = make_referral(workspace, language)
    out = folder / f"referral-{language}.pdf"
    export_referral_pdf(
        workspace,
        registry(),
        referral.id,
        out,
        ReferralPdfOptions(language, **options),  # type: ignore[arg-type]
    )
    return out, referral.id


def _page_count(path: Path, password: str | None = None) -> int:
    reader = pypdf.PdfReader(path)
    if password is not None:
        reader.decrypt(password)
    return len(reader.pages)


def _assert_every_page_marked(path: Path, language: str, *markers: str) -> int:
    """Every page says "Confidential" and "Page N of M", in the printout's language."""
    t = Translator(language)
    count = _page_count(path)
    for page in range(1, count + 1):
        text = squash(pdftotext(path, page=page))
        for marker in (t(CONFIDENTIAL), *markers):
            assert squash(marker) in text, f"page {page} lacks {marker!r}"
        assert squash(t(PAGE_OF).format(page=page, total=count)) in text
    return count


def _body_text(path: Path) -> str:
    """The text between the header rule and the footer, all pages in order (so a paragraph
    broken over a page comes back whole)."""
    boxes, found = words(path)
    text = ""
    for page, box in enumerate(boxes, 1):
        # The footer starts with "Page N of M", the lowest word ending at the right margin.
        label_top = max(
            w.y0 for w in found if w.page == page and abs(w.x1 - (box.width - SIDE)) < 1
        )
        crop = (0.0, BODY_TOP, box.width, label_top - 1 - BODY_TOP)
        text += pdftotext(path, page=page, crop=crop)
    return text


@pytest.mark.parametrize("language", LANGUAGES)
def test_referral_prints_correctly_in_every_language(
    workspace: Workspace, tmp_path: Path, png_dir: Path, png_dpi: int, language: str
) -> None:
    out, referral_id = _export(workspace, tmp_path, language)
    sample = SAMPLES[language]
    t = Translator(language)

    pngs = render_pngs(out, png_dir, prefix=f"referral-{language}", dpi=png_dpi)
    pages = _assert_every_page_marked(out, language)
    assert len(pngs) == pages >= 1
    for image in render_grey(out, tmp_path / "grey"):
        assert image.ink() > 1000  # something is printed on every page
        assert image.dark_pixels_near_edge(band=int(7 * MM * 50 / 72)) == 0

    text = squash(_body_text(out))
    for stored in (
        sample.agency,
        sample.address,
        sample.reason,
        sample.summary,
        sample.given_name,
        t.group("exploitative_conditions"),
        t.group("coercion_at_destination"),
        t.headline("presumed_victim"),
        t.flag("non_punishment"),
    ):
        assert squash(stored) in text, stored
    everything = squash(pdftotext(out))
    assert squash(NOT_SHARED_ALIAS) not in everything
    assert squash(SECRET_STORY) not in everything
    assert words_outside(out, left=SIDE, right=SIDE, top=TOP, bottom=BOTTOM) == []
    assert workspace.referrals.get(referral_id).exported_at is not None


def test_shaped_scripts_come_back_exactly_as_written(workspace: Workspace, tmp_path: Path) -> None:
    """The tricky clusters survive: extraction gives the logical Unicode, in NFC."""
    tricky = {
        "km": "ស្ត្រី ប្រាក់",
        "my": "မြန်မာ ကျေးဇူး",
        "th": "ที่นี่ ผู้ใหญ่",
        "lo": "ທ່ານຖືກບັງຄັບ",
        "vi": "Nguyễn Thị Hương",
    }
    for language, words_ in tricky.items():
        referral = make_referral(
            workspace,
            language,
            summary=unicodedata.normalize("NFD", f"{words_} (NFD input)"),
        )
        out = tmp_path / f"{language}.pdf"
        export_referral_pdf(workspace, registry(), referral.id, out, ReferralPdfOptions(language))
        extracted = pdftotext(out)
        assert unicodedata.normalize("NFC", words_) in extracted, language


def test_long_text_flows_over_several_pages_without_overflow(
    workspace: Workspace, tmp_path: Path
) -> None:
    reason = "\n".join(f"{i}. {KHMER_WORDS * 6}" for i in range(1, 19))
    unbreakable = "https://example.org/" + "a" * 900 + " " + "ក" * 400
    referral = make_referral(workspace, "km", reason=reason, summary=unbreakable)
    out = tmp_path / "long.pdf"
    export_referral_pdf(workspace, registry(), referral.id, out, ReferralPdfOptions("km"))

    pages = _assert_every_page_marked(out, "km")
    assert pages >= 3
    body = squash(_body_text(out))
    assert squash(reason) in body  # every character, once, in order, across the page breaks
    assert squash(unbreakable) in body
    assert words_outside(out, left=SIDE, right=SIDE, top=TOP, bottom=BOTTOM) == []


def test_bilingual_prints_the_translation_and_english_on_every_page(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    khmer = {
        "CONFIDENTIAL": "សម្ងាត់",
        "Referral form": "លិខិតបញ្ជូន",
        "Page {page} of {total}": "ទំព័រ {page} នៃ {total}",
        "Urgency": "ភាពបន្ទាន់",
        "Safe accommodation (shelter)": "កន្លែងស្នាក់នៅមានសុវត្ថិភាព",
    }

    class Catalog(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return khmer.get(message, message)

    monkeypatch.setattr(
        labels_module,
        "load_translations",
        lambda code: Catalog() if code == "km" else gettext.NullTranslations(),
    )
    out, _ = _export(workspace, tmp_path, "km", bilingual=True)
    pages = _assert_every_page_marked(out, "km", "CONFIDENTIAL")
    for page in range(1, pages + 1):
        assert squash(f"ទំព័រ {page} នៃ {pages}") in squash(pdftotext(out, page=page))
    assert khmer["CONFIDENTIAL"] == Translator("km")(CONFIDENTIAL)
    text = squash(pdftotext(out))
    for both in ("លិខិតបញ្ជូន", "Referral form", "ភាពបន្ទាន់", "Urgency"):
        assert squash(both) in text
    assert squash("កន្លែងស្នាក់នៅមានសុវត្ថិភាព") in text
    assert squash("Safe accommodation (shelter)") in text

    single = tmp_path / "single"
    single.mkdir()
    out, _ = _export(workspace, single, "km")
    text = pdftotext(out)
    assert "សម្ងាត់" in text and "CONFIDENTIAL" not in text
    assert "Urgency" not in text


def test_letter_paper(workspace: Workspace, tmp_path: Path) -> None:
    out, _ = _export(workspace, tmp_path, "th", page_size="Letter", bilingual=True)
    reader = pypdf.PdfReader(out)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    pages, found = words(out)
    assert pages and all((p.width, p.height) == (612.0, 792.0) for p in pages)
    assert found and words_outside(out, left=SIDE, right=SIDE, top=TOP, bottom=BOTTOM) == []


def test_password_protects_the_pdf_with_aes_256(workspace: Workspace, tmp_path: Path) -> None:
    out, _ = _export(workspace, tmp_path, "my", password="shelter-2026!")
    raw = out.read_bytes()
    assert b"/AESV3" in raw and b"/R 6" in raw
    assert b"Referral REF-" not in raw  # even the document title is encrypted

    reader = pypdf.PdfReader(out)
    assert reader.is_encrypted
    with pytest.raises(pypdf.errors.FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert reader.decrypt("wrong password") == pypdf.PasswordType.NOT_DECRYPTED
    assert reader.decrypt("shelter-2026!") == pypdf.PasswordType.USER_PASSWORD
    assert "REF-" in reader.pages[0].extract_text()

    with pytest.raises(RuntimeError):
        pdftotext(out)
    assert squash(SAMPLES["my"].agency) in squash(pdftotext(out, password="shelter-2026!"))


def test_training_watermark_on_every_page(
    training_workspace: Workspace, workspace: Workspace, tmp_path: Path
) -> None:
    long_reason = KHMER_WORDS * 40
    referral = make_referral(training_workspace, "km", reason=long_reason)
    out = tmp_path / "training.pdf"
    export_referral_pdf(training_workspace, registry(), referral.id, out, ReferralPdfOptions("km"))
    pages = _page_count(out)
    assert pages >= 2
    marker = Translator("km")(TRAINING)
    for page in range(1, pages + 1):
        # once in the header, once as the diagonal watermark
        assert marker_count(pdftotext(out, page=page), marker) == 2

    real, _ = _export(workspace, tmp_path, "km")
    assert marker not in pdftotext(real)


def test_personal_details_are_minimal_by_default(workspace: Workspace, tmp_path: Path) -> None:
    sample = SAMPLES["en"]
    referral = make_referral(workspace, "en", shared_fields=())
    out = tmp_path / "minimal.pdf"
    export_referral_pdf(workspace, registry(), referral.id, out, ReferralPdfOptions("en"))
    text = pdftotext(out)
    for personal in (sample.given_name, sample.family_name, NOT_SHARED_ALIAS, "24 (estimated)"):
        assert personal not in text
    for hidden in (sample.summary, "Coercion at destination", SECRET_STORY):
        assert hidden not in text
    assert "No personal details are shared" in text
    assert "Not shared: the person did not agree to share the screening findings." in text
    assert sample.agency in text and sample.reason in text

    only_sex = make_referral(workspace, "en", shared_fields=("sex", "age"))
    out = tmp_path / "sex.pdf"
    export_referral_pdf(workspace, registry(), only_sex.id, out, ReferralPdfOptions("en"))
    text = pdftotext(out)
    assert "Female" in text and "24 (estimated)" in text
    assert sample.given_name not in text and sample.family_name not in text


def test_findings_are_a_summary_never_the_interview(workspace: Workspace, tmp_path: Path) -> None:
    out, _ = _export(workspace, tmp_path, "en")
    text = pdftotext(out)
    assert "Indicators of trafficking present: presumed victim." in text
    assert "Act: Recruitment" in text and "Means: Deception" in text
    assert "Decision support only." in text
    assert squash(Translator("en").flag("non_punishment")) in squash(text)  # the reminder
    # No question and no answer of the interview is printed, sensitive or not.
    for question in ("Tell me what happened", "Does someone else keep your passport"):
        assert question not in text
    assert SECRET_STORY not in text


def test_embedded_fonts_are_subsets(workspace: Workspace, tmp_path: Path) -> None:
    out, _ = _export(workspace, tmp_path, "my", bilingual=True)
    reader = pypdf.PdfReader(out)
    fonts: dict[str, int] = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font: Any = reference.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = len(descriptor["/FontFile2"].get_object().get_data())
    assert fonts
    assert all(name[7] == "+" and name[1:7].isupper() for name in fonts), fonts
    assert any("Myanmar" in name for name in fonts)
    assert all(size < 60_000 for size in fonts.values()), fonts  # the full fonts are 0.2-0.5 MB
    assert out.stat().st_size < 250_000


def test_progress_is_reported_and_export_works_from_a_worker_thread(
    workspace: Workspace, tmp_path: Path
) -> None:
    referral = make_referral(workspace, "lo")
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    out = tmp_path / "threaded.pdf"

    def work() -> None:
        try:
            export_referral_pdf(
                workspace,
                registry(),
                referral.id,
                out,
                ReferralPdfOptions("lo"),
                progress=lambda done, total: seen.append((done, total)),
            )
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)

    thread = threading.Thread(target=work)  # as the desktop app does
    thread.start()
    thread.join(60)
    assert not errors, errors
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert out.read_bytes().startswith(b"%PDF")


# -- bad input --------------------------------------------------------------------------------


def _no_pdf_left(folder: Path) -> None:
    assert [p.name for p in folder.iterdir()] == []


def test_unknown_referral(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ReferralError, match="does not exist"):
        export_referral_pdf(
            workspace, registry(), "no-such-id", out / "x.pdf", ReferralPdfOptions("en")
        )
    _no_pdf_left(out)


def test_receiving_agency_missing_from_the_directory(workspace: Workspace, tmp_path: Path) -> None:
    referral = make_referral(workspace, "th")
    workspace.agencies.delete(referral.agency_id)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ReferralError, match="service directory") as caught:
        export_referral_pdf(
            workspace, registry(), referral.id, out / "x.pdf", ReferralPdfOptions("th")
        )
    assert SAMPLES["th"].agency not in str(caught.value)
    _no_pdf_left(out)
    assert workspace.referrals.get(referral.id).exported_at is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ReferralPdfOptions("xx"), "not supported"),
        (ReferralPdfOptions("en", page_size="A3"), "paper size"),
        (ReferralPdfOptions("en", password="   "), "cannot be empty"),
    ],
)
def test_bad_options(
    workspace: Workspace, tmp_path: Path, options: ReferralPdfOptions, message: str
) -> None:
    referral = make_referral(workspace, "en")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ReferralError, match=message):
        export_referral_pdf(workspace, registry(), referral.id, out / "x.pdf", options)
    _no_pdf_left(out)


@pytest.mark.parametrize(("text", "missing"), [("王小明", 3), ("ok 🙂", 1), ("مرحبا", 5)])
def test_characters_no_font_has_are_refused_by_field(
    workspace: Workspace, tmp_path: Path, text: str, missing: int
) -> None:
    referral = make_referral(workspace, "km", reason=f"ស្ត្រី {text}")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "x.pdf"
    target.write_bytes(b"an earlier export")
    with pytest.raises(ReferralError, match="Reason for referral") as caught:
        export_referral_pdf(workspace, registry(), referral.id, target, ReferralPdfOptions("km"))
    assert str(caught.value).count("U+") == missing  # every one named, by code point only
    assert not any(ch in str(caught.value) for ch in text if ch not in "ok ")
    assert target.read_bytes() == b"an earlier export"  # never a half-written file
    assert [p.name for p in out.iterdir()] == ["x.pdf"]  # and no temporary file left


def test_missing_folder(workspace: Workspace, tmp_path: Path) -> None:
    referral = make_referral(workspace, "en")
    with pytest.raises(ReferralError, match="does not exist"):
        export_referral_pdf(
            workspace,
            registry(),
            referral.id,
            tmp_path / "nope" / "x.pdf",
            ReferralPdfOptions("en"),
        )
