"""A headless end-to-end check of an installation (used on built packages in CI).

Creates a throw-away encrypted workspace in a temporary folder, runs a bundled form with a
set of answers, makes a referral and writes its PDF, verifies the audit log, then deletes
everything. Nothing is written outside the temporary folder.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from practitioner_toolkit import __version__, paths
from practitioner_toolkit.forms import FormRegistry
from practitioner_toolkit.forms.session import ScreeningService
from practitioner_toolkit.store import (
    Agency,
    Consent,
    ConsentMethod,
    Interpreter,
    IntervieweeDetails,
    KdfParams,
    Urgency,
    Workspace,
)

# Protects a workspace that lives for a few seconds in a temporary folder and holds no data.
_THROWAWAY_PASSPHRASE = "self-check passphrase"  # noqa: S105


@dataclass
class SelfCheckReport:
    steps: list[tuple[str, float]] = field(default_factory=list)

    def lines(self) -> list[str]:
        rows = [f"Practitioner Toolkit {__version__} self-check"]
        rows += [f"  ok  {name:<44} {seconds * 1000:8.1f} ms" for name, seconds in self.steps]
        return rows


def run_self_check(language: str = "km") -> SelfCheckReport:
    report = SelfCheckReport()

    def step(name: str, started: float) -> float:
        now = time.perf_counter()
        report.steps.append((name, now - started))
        return now

    t = time.perf_counter()
    registry = FormRegistry.load(paths.forms_dir())
    t = step(f"load and validate {len(registry.forms)} bundled forms", t)
    with tempfile.TemporaryDirectory(prefix="ptk-selfcheck-") as folder:
        ws, _code = Workspace.create(
            Path(folder) / "workspace",
            name="Self-check",
            username="selfcheck",
            display_name="Self-check",
            passphrase=_THROWAWAY_PASSPHRASE,
            kdf=KdfParams(),
            training=True,
        )
        t = step("create an encrypted workspace", t)
        ws.lock()
        ws = Workspace.unlock(Path(folder) / "workspace", "selfcheck", _THROWAWAY_PASSPHRASE)
        t = step("unlock it (Argon2id + SQLCipher)", t)
        form = registry.current_forms()[0]
        case = ws.cases.open_case(IntervieweeDetails())
        active = ScreeningService(ws, registry).start(
            case.id, form.id, "en", language, Interpreter(True, language)
        )
        for question in form.questions():  # consent questions take "yes" too
            if question.type.fixed_values and active.run.is_relevant(question):
                active.answer(question.id, "yes")
        active.finish()
        t = step(f"run form {form.id} {form.version}", t)
        agency = ws.agencies.save(Agency("", "Self-check shelter", "shelter", ("shelter",)))
        referral = ws.referrals.create(
            case.id,
            agency.id,
            ("shelter",),
            Urgency.URGENT,
            Consent(True, "person", ConsentMethod.ORAL_WITNESSED, "2026-01-01T00:00:00Z"),
            session_id=active.session.id,
        )
        from practitioner_toolkit.referral import ReferralPdfOptions, export_referral_pdf

        pdf = export_referral_pdf(
            ws, registry, referral.id, Path(folder) / "referral.pdf", ReferralPdfOptions(language)
        )
        if not pdf.read_bytes().startswith(b"%PDF"):
            raise RuntimeError("the referral PDF is not a PDF")
        t = step(f"write a referral PDF in {language}", t)
        if not ws.verify_audit_log().ok:
            raise RuntimeError("the audit log does not verify")
        ws.lock()
        step("verify the audit log and lock", t)
    return report
