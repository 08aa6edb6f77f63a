"""The engine's result: decision support with its reasoning, never a legal determination.

Reasons are stored as message ids with parameters, so the same outcome can be read in the
officer's language today and in another language later (a referral, a supervisor's review).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from practitioner_toolkit.i18n.gettext import N_, _

# Every outcome code the rules produce, with its headline.
OUTCOMES: dict[str, str] = {
    "presumed_victim": N_(
        "Indicators of trafficking present: presumed victim. Refer for formal identification "
        "and offer assistance now."
    ),
    "further_screening": N_(
        "Some indicators present: continue with a full screening or further interview, and "
        "offer assistance."
    ),
    "other_protection_needs": N_(
        "Not enough indicators of trafficking so far, but other protection needs were found. "
        "Refer for those needs."
    ),
    "no_indicators_found": N_(
        "No indicators found in the answers given. This does not mean the person is not a "
        "victim: stay alert to new information."
    ),
    "unable_to_complete": N_("The screening could not be completed."),
    "immediate_needs": N_("Immediate needs identified: arrange the recommended services."),
    "no_immediate_needs": N_("No immediate needs identified in the answers given."),
    "recorded": N_("Answers recorded. This form gives no indicative outcome."),
}

# Short labels for lists and tables.
OUTCOME_SHORT: dict[str, str] = {
    "presumed_victim": N_("Presumed victim: refer"),
    "further_screening": N_("Further screening"),
    "other_protection_needs": N_("Other protection needs"),
    "no_indicators_found": N_("No indicators found"),
    "unable_to_complete": N_("Unable to complete"),
    "immediate_needs": N_("Immediate needs"),
    "no_immediate_needs": N_("No immediate needs"),
    "recorded": N_("Answers recorded"),
}

DISCLAIMER = N_(
    "Decision support only. This indicative outcome is not a legal determination of victim "
    "status; the competent authority decides."
)


@dataclass(frozen=True)
class Reason:
    """One line of reasoning: a translatable message id and its parameters."""

    message: str
    params: dict[str, str] = field(default_factory=dict)

    def render(self) -> str:
        return _(self.message).format(**self.params)


@dataclass(frozen=True)
class IndicatorHit:
    id: str
    group: str
    strength: str
    question_id: str
    choice: str | None
    weight_check: bool


@dataclass(frozen=True)
class GroupResult:
    """A Delphi dimension or an ILO forced-labour indicator, with what was found in it."""

    group: str
    positive: bool
    strong: int
    medium: int
    weak: int


@dataclass(frozen=True)
class OutcomeResult:
    form_id: str
    form_version: str
    rule: str
    code: str
    reasons: list[Reason]
    indicators: list[IndicatorHit]
    groups: list[GroupResult]
    elements: dict[str, list[str]]
    referrals: list[str]
    flags: list[str]
    missing_required: list[str]
    urgency: str | None = None

    @property
    def headline(self) -> str:
        return _(OUTCOMES[self.code])

    @property
    def complete(self) -> bool:
        return not self.missing_required

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OutcomeResult:
        return cls(
            form_id=data["form_id"],
            form_version=data["form_version"],
            rule=data["rule"],
            code=data["code"],
            reasons=[Reason(r["message"], dict(r["params"])) for r in data["reasons"]],
            indicators=[IndicatorHit(**i) for i in data["indicators"]],
            groups=[GroupResult(**g) for g in data["groups"]],
            elements={k: list(v) for k, v in data["elements"].items()},
            referrals=list(data["referrals"]),
            flags=list(data["flags"]),
            missing_required=list(data["missing_required"]),
            urgency=data.get("urgency"),
        )
