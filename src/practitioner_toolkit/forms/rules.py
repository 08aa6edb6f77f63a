"""Outcome rules: how answers become an indicative outcome.

No rule adds points into a "victim score". The rules are the published ones:

- Palermo Protocol art. 3 / ACTIP art. 2: an adult needs an act, a means and a purpose; for a
  child (under 18) an act and a purpose are enough.
- ILO/EC operational indicators (Delphi, 2009): a dimension is positive with 2 strong, or 1
  strong + 1 medium or weak, or 3 medium, or 2 medium + 1 weak indicators; the threshold is met
  when a recruitment dimension, the exploitative-conditions dimension and a destination
  dimension are all positive. For children the means-related (recruitment) dimensions are
  not required.
- ILO indicators of forced labour (2012): one indicator may imply forced labour, several
  together point to it. Here a strong indicator or three distinct indicators meet the
  threshold; any indicator calls for further screening.

Every rule is a low threshold for assistance: anything found leads at least to further
screening and an offer of help, and the outcome never says someone is "not a victim".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from practitioner_toolkit.forms.engine import ScreeningRun
from practitioner_toolkit.forms.model import DECLINED, Strength
from practitioner_toolkit.forms.outcome import GroupResult, IndicatorHit, OutcomeResult, Reason
from practitioner_toolkit.forms.vocabulary import (
    DELPHI_DIMENSIONS,
    DESTINATION_DIMENSIONS,
    FORCED_LABOUR_INDICATORS,
    RECRUITMENT_DIMENSIONS,
)
from practitioner_toolkit.i18n.gettext import N_

VICTIM_SERVICES = ("formal_identification", "shelter", "medical", "psychosocial", "legal")


@dataclass(frozen=True)
class Rule:
    name: str
    groups: frozenset[str]  # indicator groups a form using this rule may use
    evaluate: Callable[[ScreeningRun], OutcomeResult]
    uses_elements: bool = True


@dataclass
class _Findings:
    indicators: list[IndicatorHit]
    elements: dict[str, list[str]]
    referrals: list[str]
    flags: list[str]


def _collect(run: ScreeningRun) -> _Findings:
    indicators: list[IndicatorHit] = []
    elements: dict[str, list[str]] = {"act": [], "means": [], "purpose": []}
    referrals: list[str] = []
    flags: list[str] = []
    seen_indicators: set[str] = set()
    for question, choice in run.triggered():
        effects = choice or question
        for link in effects.indicators:
            if link.id in seen_indicators:
                continue  # the same indicator reached by two questions counts once
            seen_indicators.add(link.id)
            indicators.append(
                IndicatorHit(
                    link.id,
                    link.group,
                    link.strength.value,
                    question.id,
                    choice.value if choice else None,
                    link.weight_check,
                )
            )
        for element in effects.elements:
            kind, value = element.split(":", 1)
            if value not in elements[kind]:
                elements[kind].append(value)
        for code in effects.refer:
            if code not in referrals:
                referrals.append(code)
        for flag in effects.flags:
            if flag not in flags:
                flags.append(flag)
    return _Findings(indicators, elements, referrals, flags)


def dimension_positive(strong: int, medium: int, weak: int) -> bool:
    """The Delphi rule for one dimension (2S | 1S+1M/W | 3M | 2M+1W)."""
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


def _group_results(
    indicators: list[IndicatorHit],
    groups: dict[str, str],
    positive_rule: Callable[[int, int, int], bool],
) -> list[GroupResult]:
    results = []
    for group in groups:
        hits = [i for i in indicators if i.group == group]
        strong = sum(1 for i in hits if i.strength == Strength.STRONG)
        medium = sum(1 for i in hits if i.strength == Strength.MEDIUM)
        weak = sum(1 for i in hits if i.strength == Strength.WEAK)
        results.append(
            GroupResult(group, positive_rule(strong, medium, weak), strong, medium, weak)
        )
    return results


def _merge(*lists: list[str] | tuple[str, ...]) -> list[str]:
    merged: list[str] = []
    for items in lists:
        for item in items:
            if item not in merged:
                merged.append(item)
    return merged


def _consent_declined(run: ScreeningRun) -> bool:
    """Declining the consent question itself is a refusal, even though "declined" has no effects."""
    return any(
        "consent_refused" in question.flags and run.answers.get(question.id) == DECLINED
        for question in run.form.questions()
    )


def _unable(run: ScreeningRun, found: _Findings) -> OutcomeResult | None:
    if "consent_refused" not in found.flags and not _consent_declined(run):
        return None
    if "consent_refused" not in found.flags:
        found.flags.append("consent_refused")
    return _result(
        run,
        "unable_to_complete",
        [Reason(N_("The person did not consent to continue the interview."))],
        found,
        [],
        _merge(found.referrals),
    )


def _result(
    run: ScreeningRun,
    code: str,
    reasons: list[Reason],
    found: _Findings,
    groups: list[GroupResult],
    referrals: list[str],
    urgency: str | None = None,
) -> OutcomeResult:
    return OutcomeResult(
        form_id=run.form.id,
        form_version=run.form.version,
        rule=run.form.rule,
        code=code,
        reasons=reasons,
        indicators=found.indicators,
        groups=groups,
        elements=found.elements,
        referrals=referrals,
        flags=found.flags,
        missing_required=[q.id for q in run.missing_required()],
        urgency=urgency or _urgency(found.flags, code),
    )


def _urgency(flags: list[str], code: str, *, key_question: bool = False) -> str:
    if {"immediate_danger", "medical_emergency", "unaccompanied_child"} & set(flags):
        return "immediate"
    if code in ("presumed_victim", "immediate_needs") or key_question:
        return "urgent"
    return "routine"


def _palermo(run: ScreeningRun, *, child: bool) -> OutcomeResult:
    found = _collect(run)
    unable = _unable(run, found)
    if unable:
        return unable
    treat_as_child = child or "possible_child" in found.flags
    reasons: list[Reason] = []
    if treat_as_child and not child:
        reasons.append(
            Reason(N_("The person may be under 18, so the rules for children were applied."))
        )

    els = found.elements
    has_act, has_means, has_purpose = bool(els["act"]), bool(els["means"]), bool(els["purpose"])
    for kind, present in (("act", has_act), ("means", has_means), ("purpose", has_purpose)):
        if present:
            reasons.append(
                Reason(
                    N_("{element} element present: {values}."),
                    {"element": kind, "values": ", ".join(els[kind])},
                )
            )
    if treat_as_child:
        palermo_met = has_act and has_purpose
        if palermo_met:
            reasons.append(
                Reason(N_("For a child an act and a purpose are enough; no means is required."))
            )
    else:
        palermo_met = has_act and has_means and has_purpose

    groups = _group_results(found.indicators, DELPHI_DIMENSIONS, dimension_positive)
    positive = {g.group for g in groups if g.positive}
    for g in groups:
        if g.positive:
            reasons.append(
                Reason(
                    N_("{dimension}: positive ({strong} strong, {medium} medium, {weak} weak)."),
                    {
                        "dimension": g.group,
                        "strong": str(g.strong),
                        "medium": str(g.medium),
                        "weak": str(g.weak),
                    },
                )
            )
    recruitment = bool(positive & set(RECRUITMENT_DIMENSIONS))
    exploitation = "exploitative_conditions" in positive
    destination = bool(positive & set(DESTINATION_DIMENSIONS))
    ilo_met = exploitation and destination and (recruitment or treat_as_child)
    if ilo_met:
        reasons.append(
            Reason(
                N_("The ILO operational-indicator threshold is met.")
                if not treat_as_child
                else N_(
                    "The ILO operational-indicator threshold for children is met "
                    "(recruitment dimensions not required)."
                )
            )
        )
    extra = ["child_protection"] if treat_as_child else []
    if palermo_met or ilo_met:
        if palermo_met:
            reasons.insert(0, Reason(N_("All elements of the trafficking definition are present.")))
        return _result(
            run,
            "presumed_victim",
            reasons,
            found,
            groups,
            _merge(VICTIM_SERVICES, extra, found.referrals),
        )
    if found.indicators or has_act or has_means or has_purpose:
        reasons.append(
            Reason(
                N_("{count} indicator(s) found, below the threshold: more information is needed."),
                {"count": str(len(found.indicators))},
            )
        )
        return _result(
            run,
            "further_screening",
            reasons,
            found,
            groups,
            _merge(["further_screening"], extra, found.referrals),
        )
    if _protection_needs(found):
        reasons.append(Reason(N_("No indicators of trafficking, but protection needs were found.")))
        return _result(
            run, "other_protection_needs", reasons, found, groups, _merge(extra, found.referrals)
        )
    reasons.append(Reason(N_("None of the answers given showed an indicator.")))
    return _result(run, "no_indicators_found", reasons, found, groups, _merge(extra))


def _protection_needs(found: _Findings) -> bool:
    """A referral or a flag beyond needing an interpreter: protection needs to name."""
    return bool(found.referrals or set(found.flags) - {"interpreter_needed"})


def _forced_labour_groups(found: _Findings) -> tuple[list[GroupResult], list[GroupResult]]:
    """The ILO eleven, each present as soon as one of its indicators is (no weighting)."""
    groups = _group_results(
        found.indicators, FORCED_LABOUR_INDICATORS, lambda s, m, w: s + m + w > 0
    )
    return groups, [g for g in groups if g.positive]


def _forced_labour(run: ScreeningRun) -> OutcomeResult:
    found = _collect(run)
    unable = _unable(run, found)
    if unable:
        return unable

    groups, present_groups = _forced_labour_groups(found)
    strong_hits = [i for i in found.indicators if i.strength == Strength.STRONG]
    reasons = [Reason(N_("{indicator}: present."), {"indicator": g.group}) for g in present_groups]
    extra = ["child_protection"] if "possible_child" in found.flags else []
    if strong_hits or len(present_groups) >= 3:
        reasons.insert(
            0,
            Reason(
                N_(
                    "Forced-labour threshold met: {strong} strong indicator(s), {groups} distinct "
                    "indicator(s) of the ILO eleven."
                ),
                {"strong": str(len(strong_hits)), "groups": str(len(present_groups))},
            ),
        )
        return _result(
            run,
            "presumed_victim",
            reasons,
            found,
            groups,
            _merge(VICTIM_SERVICES, ["labour_rights"], extra, found.referrals),
        )
    if present_groups:
        reasons.append(Reason(N_("Indicators found, below the threshold: screen further.")))
        return _result(
            run,
            "further_screening",
            reasons,
            found,
            groups,
            _merge(["further_screening"], extra, found.referrals),
        )
    if _protection_needs(found):
        return _result(
            run,
            "other_protection_needs",
            [Reason(N_("No indicators of forced labour, but protection needs were found."))],
            found,
            groups,
            _merge(extra, found.referrals),
        )
    return _result(
        run,
        "no_indicators_found",
        [Reason(N_("None of the answers given showed an indicator."))],
        found,
        groups,
        extra,
    )


def _needs(run: ScreeningRun) -> OutcomeResult:
    found = _collect(run)
    unable = _unable(run, found)
    if unable:
        return unable
    if _protection_needs(found):
        reasons = [Reason(N_("Needs found: {services}."), {"services": ", ".join(found.referrals)})]
        return _result(run, "immediate_needs", reasons, found, [], _merge(found.referrals))
    return _result(
        run, "no_immediate_needs", [Reason(N_("No needs were recorded."))], found, [], []
    )


def _signs(run: ScreeningRun, *, quick: bool) -> OutcomeResult:
    """Tier 0 (observation) and tier 1 (quick screen): never an identification, only next steps."""
    found = _collect(run)
    unable = _unable(run, found)
    if unable:
        return unable

    groups, present_groups = _forced_labour_groups(found)
    reasons = [Reason(N_("{indicator}: present."), {"indicator": g.group}) for g in present_groups]
    key_hits = sorted(
        {q.id for q, _choice in run.triggered() if q.key and (q.indicators or q.elements)}
    )
    extra = ["child_protection"] if "possible_child" in found.flags else []
    if key_hits or present_groups:
        if key_hits:
            reasons.insert(
                0,
                Reason(
                    N_(
                        "{count} key question(s) answered yes: a full screening is recommended, "
                        "with an offer of assistance."
                    ),
                    {"count": str(len(key_hits))},
                ),
            )
        elif quick:
            reasons.insert(0, Reason(N_("Indicators found: a full screening is recommended.")))
        else:
            reasons.insert(
                0, Reason(N_("Signs observed: talk with the person privately (quick screen)."))
            )
        return _result(
            run,
            "further_screening",
            reasons,
            found,
            groups,
            _merge(["further_screening"], extra, found.referrals),
            urgency=_urgency(found.flags, "further_screening", key_question=bool(key_hits)),
        )
    if _protection_needs(found):
        reasons.append(Reason(N_("No indicators of trafficking, but protection needs were found.")))
        return _result(
            run, "other_protection_needs", reasons, found, groups, _merge(extra, found.referrals)
        )
    reasons.append(Reason(N_("None of the answers given showed an indicator.")))
    return _result(run, "no_indicators_found", reasons, found, groups, extra)


def _record_only(run: ScreeningRun) -> OutcomeResult:
    """Imported forms until someone gives them effects and a rule: answers are only kept."""
    found = _collect(run)
    return _result(
        run,
        "recorded",
        [Reason(N_("This form has no outcome rule yet."))],
        found,
        [],
        found.referrals,
    )


RULES: dict[str, Rule] = {
    "record_only": Rule("record_only", frozenset(), _record_only, uses_elements=False),
    "observation": Rule(
        "observation",
        frozenset(FORCED_LABOUR_INDICATORS),
        lambda run: _signs(run, quick=False),
        uses_elements=False,
    ),
    "quick_screen": Rule(
        "quick_screen",
        frozenset(FORCED_LABOUR_INDICATORS),
        lambda run: _signs(run, quick=True),
    ),
    "palermo_ilo_adult": Rule(
        "palermo_ilo_adult",
        frozenset(DELPHI_DIMENSIONS),
        lambda run: _palermo(run, child=False),
    ),
    "palermo_ilo_child": Rule(
        "palermo_ilo_child",
        frozenset(DELPHI_DIMENSIONS),
        lambda run: _palermo(run, child=True),
    ),
    "forced_labour": Rule("forced_labour", frozenset(FORCED_LABOUR_INDICATORS), _forced_labour),
    "needs_assessment": Rule("needs_assessment", frozenset(), _needs, uses_elements=False),
}


def evaluate_outcome(run: ScreeningRun) -> OutcomeResult:
    return RULES[run.form.rule].evaluate(run)
