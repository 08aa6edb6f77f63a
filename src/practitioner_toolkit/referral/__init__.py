"""Printed referral forms and blank screening checklists, in any of the nine languages.

The desktop app (from a worker thread) and ``ptk`` call exactly this::

    export_referral_pdf(workspace, registry, referral_id, out_path, ReferralPdfOptions("my"))
    export_blank_checklist(form, out_path, "lo", second_language="en")

Thai, Lao, Khmer and Burmese are shaped by HarfBuzz (through ReportLab) and broken into lines
at ICU's word boundaries; fonts are the bundled Noto families, embedded as subsets.
"""

from practitioner_toolkit.referral.errors import ReferralError
from practitioner_toolkit.referral.export import (
    ReferralPdfOptions,
    export_blank_checklist,
    export_referral_pdf,
)

__all__ = ["ReferralError", "ReferralPdfOptions", "export_blank_checklist", "export_referral_pdf"]
