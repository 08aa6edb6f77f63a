"""``ptk referral export`` and ``ptk forms print``, as a person at a terminal uses them."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from practitioner_toolkit.cli import main, referral_commands
from practitioner_toolkit.forms import FormError, FormProblem
from practitioner_toolkit.store import KdfParams, Workspace
from tests.conftest import PASSPHRASE
from tests.referral.pdftools import pdftotext, squash
from tests.referral.samples import NINE_LANGUAGES, SAMPLES, make_referral, registry


@pytest.fixture
def case_with_referrals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    folder = tmp_path / "ws"
    ws, _ = Workspace.create(
        folder,
        name="Mae Sot border post",
        username="somchai",
        display_name="Somchai",
        passphrase=PASSPHRASE,
        kdf=KdfParams.fast_for_tests(),
    )
    referral = make_referral(ws, "my")
    case_reference = ws.cases.get_case(referral.case_id).reference
    ws.lock()
    monkeypatch.setenv("PTK_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("PTK_PDF_PASSWORD", raising=False)
    # The bundled forms are not this package's to test (and they are large): use the fixture's.
    monkeypatch.setattr(referral_commands, "load_registry", registry)
    return folder, case_reference


def test_referral_export(
    case_with_referrals: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, case = case_with_referrals
    out = tmp_path / "referral-my.pdf"
    args = ["referral", "export", case, "--lang", "my", "--out", str(out)]
    assert main([*args, "--workspace", str(folder)]) == 0
    printed = capsys.readouterr().out
    assert "saved to" in printed and SAMPLES["my"].given_name not in printed
    text = squash(pdftotext(out))
    assert squash(SAMPLES["my"].agency) in text
    assert squash("စစ်ဆေးမှု မြန်မာ ကျေးဇူး") in text  # the form's title, from the registry

    letter = tmp_path / "letter.pdf"
    assert (
        main(
            [
                "referral",
                "export",
                case,
                "--lang",
                "my",
                "--out",
                str(letter),
                "--bilingual",
                "--page-size",
                "Letter",
                "--workspace",
                str(folder),
            ]
        )
        == 0
    )
    assert round(float(pypdf.PdfReader(letter).pages[0].mediabox.width)) == 612


def test_referral_export_still_prints_if_the_bundled_forms_are_broken(
    case_with_referrals: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken() -> None:
        raise FormError([FormProblem("screening_forms/x/1.0.0.yaml", 3, "id", "bad")])

    monkeypatch.setattr(referral_commands, "load_registry", broken)
    folder, case = case_with_referrals
    out = tmp_path / "r.pdf"
    args = ["referral", "export", case, "--lang", "en", "--out", str(out)]
    assert main([*args, "--workspace", str(folder)]) == 0
    assert "warning" in capsys.readouterr().err
    assert "nine-languages" in pdftotext(out)  # named by its form id


def test_referral_export_with_a_password(
    case_with_referrals: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, case = case_with_referrals
    out = tmp_path / "locked.pdf"
    args = ["referral", "export", case, "--lang", "km", "--out", str(out), "--password-prompt"]
    args += ["--workspace", str(folder)]
    monkeypatch.setenv("PTK_PDF_PASSWORD", PASSPHRASE)
    assert main(args) == 2  # the workspace passphrase is refused as a PDF password
    assert "differs from the workspace passphrase" in capsys.readouterr().err
    monkeypatch.setenv("PTK_PDF_PASSWORD", "for the shelter only")
    assert main(args) == 0
    reader = pypdf.PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("for the shelter only")


def test_referral_export_errors(
    case_with_referrals: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, case = case_with_referrals
    base = ["--workspace", str(folder), "--lang", "lo", "--out", str(tmp_path / "x.pdf")]
    assert main(["referral", "export", "NO-SUCH-CASE", *base]) == 2
    assert "No case" in capsys.readouterr().err
    assert main(["referral", "export", case, "--referral", "REF-NOPE", *base]) == 2
    assert "has no referral" in capsys.readouterr().err
    missing = ["--workspace", str(folder), "--lang", "lo", "--out", str(tmp_path / "no" / "x.pdf")]
    assert main(["referral", "export", case, *missing]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_forms_print(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "checklist-lo.pdf"
    args = ["forms", "print", str(NINE_LANGUAGES), "--lang", "lo", "--out", str(out)]
    assert main([*args, "--second-language", "en", "--training"]) == 0
    assert "saved to" in capsys.readouterr().out
    text = squash(pdftotext(out))
    assert squash("ທ່ານຕົກລົງລົມກັບຂ້ອຍບໍ?") in text
    assert squash("Do you agree to talk with me?") in text
    mini = Path(__file__).parents[1] / "forms" / "fixtures" / "mini.yaml"
    assert main(["forms", "print", str(mini), "--lang", "lo", "--out", str(out)]) == 2
    assert "no lo translation" in capsys.readouterr().err
