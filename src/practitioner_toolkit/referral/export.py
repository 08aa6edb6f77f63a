"""The public entry points: a referral PDF, a blank checklist PDF, written atomically.

Both build the whole PDF in memory, then write it to a temporary file in the target folder
and rename it over the target: a failure or a power cut never leaves half a PDF, and no copy
of the content is written anywhere else (no system temp folder).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from practitioner_toolkit.forms import FormDefinition, FormRegistry
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.i18n.languages import LANGUAGE_CODES, SOURCE_LANGUAGE
from practitioner_toolkit.referral.checklist import (
    CHECKLIST_FOOTER,
    SCREENING_CHECKLIST,
    compose_checklist,
)
from practitioner_toolkit.referral.compose import Composer
from practitioner_toolkit.referral.document import ReferralDocument, build_document
from practitioner_toolkit.referral.encryption import Aes256Encryption
from practitioner_toolkit.referral.errors import ReferralError
from practitioner_toolkit.referral.fonts import font_library
from practitioner_toolkit.referral.furniture import furniture
from practitioner_toolkit.referral.labels import Translator
from practitioner_toolkit.referral.pdf import (
    BUILD_LOCK,
    MARGIN_X,
    PAGE_SIZES,
    LineRenderer,
    PdfWriter,
    geometry,
)
from practitioner_toolkit.referral.referral_form import REFERRAL_FORM, compose_referral
from practitioner_toolkit.store import Workspace
from practitioner_toolkit.store.atomic import atomic_write_bytes

_log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ReferralPdfOptions:
    """How to print a referral. ``bilingual`` adds English under every label and value;
    ``password`` (never shown by ``repr``, so never logged) encrypts the PDF with AES-256."""

    language: str
    bilingual: bool = False
    page_size: str = "A4"  # "A4" or "Letter"
    password: str | None = field(default=None, repr=False)


def export_referral_pdf(
    workspace: Workspace,
    registry: FormRegistry,
    referral_id: str,
    out_path: Path,
    options: ReferralPdfOptions,
    progress: Progress | None = None,
) -> Path:
    """Print a referral to ``out_path`` and record the export; returns ``out_path``.

    Safe to call from a worker thread (PDF builds are serialised). Raises ``ReferralError``
    for anything the user can fix; its message names no personal data.
    """
    steps = 4
    _report(progress, 0, steps)
    _check_language(options.language)
    _check_page_size(options.page_size)
    _check_password(options.password)
    _check_target(out_path)
    document = build_document(workspace, registry, referral_id)
    _report(progress, 1, steps)
    data = render_referral(document, options)
    _report(progress, 2, steps)
    _write(out_path, data)
    _report(progress, 3, steps)
    workspace.referrals.mark_exported(referral_id)
    _log.info("referral exported (%d bytes, %s)", len(data), options.language)
    _report(progress, 4, steps)
    return out_path


def export_blank_checklist(
    form: FormDefinition,
    out_path: Path,
    language: str,
    *,
    second_language: str | None = None,
    page_size: str = "A4",
    training: bool = False,
) -> Path:
    """Print a form as a blank paper checklist, in one language or two."""
    _check_language(language)
    _check_page_size(page_size)
    _check_target(out_path)
    for code in (language, second_language):
        if code is None:
            continue
        _check_language(code)
        if code not in form.translations:
            raise ReferralError(
                N_("The form “{form}” has no {language} translation yet."),
                form=form.id,
                language=code,
            )
    data = render_checklist(
        form, language, second_language=second_language, page_size=page_size, training=training
    )
    _write(out_path, data)
    return out_path


# -- rendering (also used by the benchmark and the tests) -----------------------------------


def render_referral(
    document: ReferralDocument,
    options: ReferralPdfOptions,
    *,
    shaped: bool = True,
    translators: dict[str, Translator] | None = None,
) -> bytes:
    """The referral as PDF bytes. ``shaped=False`` exists only for the benchmark."""
    second = SOURCE_LANGUAGE if options.bilingual else None
    with BUILD_LOCK:
        composer = _composer(options.language, second, options.page_size, shaped, translators)
        page = furniture(
            composer,
            title=REFERRAL_FORM,
            identity=document.reference,
            qr_data=document.reference,
            training=document.training,
        )
        story = compose_referral(document, composer)
        encrypt = Aes256Encryption(options.password) if options.password else None
        writer = PdfWriter(geometry(options.page_size, page), page, composer.renderer)
        return writer.build(story, title=f"Referral {document.reference}", encrypt=encrypt)


def render_checklist(
    form: FormDefinition,
    language: str,
    *,
    second_language: str | None = None,
    page_size: str = "A4",
    training: bool = False,
    shaped: bool = True,
    translators: dict[str, Translator] | None = None,
) -> bytes:
    identity = f"{form.id} {form.version}"
    with BUILD_LOCK:
        composer = _composer(language, second_language, page_size, shaped, translators)
        page = furniture(
            composer,
            title=SCREENING_CHECKLIST,
            identity=identity,
            qr_data=identity,
            training=training,
            footer_note=CHECKLIST_FOOTER,
        )
        story = compose_checklist(form, composer)
        writer = PdfWriter(geometry(page_size, page), page, composer.renderer)
        return writer.build(story, title=f"Screening checklist {identity}")


def _composer(
    language: str,
    second: str | None,
    page_size: str,
    shaped: bool,
    translators: dict[str, Translator] | None,
) -> Composer:
    width = PAGE_SIZES[page_size][0] - 2 * MARGIN_X
    return Composer(
        font_library(),
        language,
        width,
        LineRenderer(shaped),
        second_language=second,
        shaped=shaped,
        translators=translators,
    )


# -- checks and writing --------------------------------------------------------------------


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


def _check_language(code: str) -> None:
    if code not in LANGUAGE_CODES:
        raise ReferralError(
            N_("Printing in {language} is not supported; choose one of: {known}."),
            language=code,
            known=", ".join(LANGUAGE_CODES),
        )


def _check_page_size(page_size: str) -> None:
    if page_size not in PAGE_SIZES:
        raise ReferralError(N_("Unknown paper size {size}; choose A4 or Letter."), size=page_size)


def _check_password(password: str | None) -> None:
    if password is not None and not password.strip():
        raise ReferralError(N_("A password for the PDF cannot be empty."))


def _check_target(out_path: Path) -> None:
    if out_path.is_dir():
        raise ReferralError(N_("Choose a file name for the PDF, not a folder."))
    if not out_path.parent.is_dir():
        raise ReferralError(N_("The folder {folder} does not exist."), folder=str(out_path.parent))


def _write(out_path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(out_path, data)
    except OSError as exc:
        raise ReferralError(
            N_("The PDF could not be saved in {folder}: {reason}"),
            folder=str(out_path.parent),
            reason=exc.strerror or type(exc).__name__,
        ) from None
