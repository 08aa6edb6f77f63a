"""Words for codes: turning an outcome's codes into text in the reader's language.

Used by every place that shows an outcome (the desktop app, ``ptk forms run``, referral PDFs),
so the reasoning reads the same everywhere.
"""

from __future__ import annotations

from practitioner_toolkit.forms.model import FormDefinition, text_in
from practitioner_toolkit.forms.outcome import IndicatorHit, OutcomeResult, Reason
from practitioner_toolkit.forms.vocabulary import (
    DELPHI_DIMENSIONS,
    FLAGS,
    FORCED_LABOUR_INDICATORS,
    PALERMO_ELEMENT_NAMES,
    PALERMO_ELEMENTS,
    SERVICES,
    STRENGTHS,
)
from practitioner_toolkit.i18n.gettext import N_, _

END_EARLY_REASONS: dict[str, str] = {
    "consent_withdrawn": N_("The person withdrew consent"),
    "person_distressed": N_("The person was too distressed to continue"),
    "medical_needs_first": N_("Medical needs had to come first"),
    "no_interpreter": N_("No suitable interpreter was available"),
    "person_left": N_("The person left"),
    "unsafe": N_("It was not safe to continue"),
    "other": N_("Another reason"),
}


def group_label(group: str) -> str:
    return _(DELPHI_DIMENSIONS.get(group) or FORCED_LABOUR_INDICATORS.get(group) or group)


def service_label(code: str) -> str:
    return _(SERVICES[code]) if code in SERVICES else code


def flag_label(code: str) -> str:
    return _(FLAGS[code]) if code in FLAGS else code


def strength_label(code: str) -> str:
    return _(STRENGTHS[code]) if code in STRENGTHS else code


def element_label(kind: str, value: str) -> str:
    return _(PALERMO_ELEMENTS.get(kind, {}).get(value, value))


def reason_text(reason: Reason) -> str:
    params = dict(reason.params)
    if "dimension" in params:
        params["dimension"] = group_label(params["dimension"])
    if "indicator" in params:
        params["indicator"] = group_label(params["indicator"])
    if "element" in params:
        kind = params["element"]
        params["element"] = _(PALERMO_ELEMENT_NAMES.get(kind, kind))
        if "values" in params:
            params["values"] = ", ".join(
                element_label(kind, v) for v in params["values"].split(", ") if v
            )
    if "services" in params:
        params["services"] = ", ".join(
            service_label(code) for code in params["services"].split(", ") if code
        )
    if "reason" in params and params["reason"] in END_EARLY_REASONS:
        params["reason"] = _(END_EARLY_REASONS[params["reason"]])
    return _(reason.message).format(**params)


def indicator_text(form: FormDefinition, hit: IndicatorHit, language: str) -> str:
    """The question (and choice) that showed the indicator, in the form's own words."""
    try:
        question = form.question(hit.question_id)
    except KeyError:
        return hit.id
    label = text_in(question.label, language)
    if hit.choice:
        for choice in form.choices_for(question):
            if choice.value == hit.choice:
                return f"{label} — {text_in(choice.label, language)}"
    return label


def outcome_lines(form: FormDefinition, result: OutcomeResult, language: str) -> list[str]:
    """A plain-text rendering (CLI, logs-free summaries); the UI lays the same parts out."""
    lines = [result.headline, ""]
    lines += [f"- {reason_text(r)}" for r in result.reasons]
    if result.indicators:
        lines += ["", _("Indicators found:")]
        for hit in result.indicators:
            mark = " *" if hit.weight_check else ""
            lines.append(
                f"- {indicator_text(form, hit, language)} — {group_label(hit.group)} "
                f"({strength_label(hit.strength)}){mark}"
            )
    if result.referrals:
        lines += ["", _("Recommended referrals:")]
        lines += [f"- {service_label(code)}" for code in result.referrals]
    if result.flags:
        lines += [""] + [f"! {flag_label(flag)}" for flag in result.flags]
    return lines
