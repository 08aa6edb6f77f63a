"""Shared codes: services a person can be referred to, flags, and indicator groups.

Labels are marked for translation with ``N_`` and translated where they are shown.
"""

from __future__ import annotations

from practitioner_toolkit.i18n.gettext import N_

# Services that can be recommended by a form and requested on a referral.
SERVICES: dict[str, str] = {
    "formal_identification": N_("Formal identification by the competent authority"),
    "shelter": N_("Safe accommodation (shelter)"),
    "medical": N_("Medical care"),
    "psychosocial": N_("Psychosocial support and counselling"),
    "legal": N_("Legal aid and information on rights"),
    "interpretation": N_("Interpretation"),
    "child_protection": N_("Child protection services and guardian"),
    "immigration_documentation": N_("Immigration status and documents"),
    "reflection_period": N_("Recovery and reflection period"),
    "consular": N_("Consular contact (only with consent)"),
    "family_tracing": N_("Family tracing"),
    "return_reintegration": N_("Voluntary return and reintegration"),
    "basic_needs": N_("Basic needs (food, clothing, transport)"),
    "labour_rights": N_("Labour-rights complaint and back wages"),
    "further_screening": N_("Full screening interview"),
}

# Facts the outcome always shows, whatever the rule decides.
FLAGS: dict[str, str] = {
    "non_punishment": N_(
        "Non-punishment: acts may have been committed as a direct consequence of being "
        "trafficked. Do not detain, charge or prosecute for them."
    ),
    "immediate_danger": N_("Immediate danger to the person or to others"),
    "medical_emergency": N_("Needs urgent medical care"),
    "possible_child": N_("May be a child: treat as a child until the age is verified"),
    "consent_refused": N_("The person did not consent to continue"),
    "interpreter_needed": N_("Needs an interpreter"),
    "safety_plan": N_("A safety plan is needed"),
    "unaccompanied_child": N_("Unaccompanied child"),
    # Protection needs other than trafficking, named when the indicators fall short.
    "exploited_migrant": N_(
        "Exploited migrant worker: labour exploitation below the trafficking threshold"
    ),
    "smuggled_migrant": N_("Smuggled migrant: protection and information on rights"),
    "labour_rights_case": N_("Labour-rights case: unpaid wages or unlawful conditions"),
    "international_protection": N_("May need international protection (asylum)"),
    "gender_based_violence": N_("Survivor of gender-based violence"),
}

# ILO/EC operational indicators of trafficking (Delphi, 2009): six dimensions.
DELPHI_DIMENSIONS: dict[str, str] = {
    "deceptive_recruitment": N_("Deceptive recruitment"),
    "coercive_recruitment": N_("Coercive recruitment"),
    "recruitment_abuse_of_vulnerability": N_("Recruitment by abuse of vulnerability"),
    "exploitative_conditions": N_("Exploitative conditions of work"),
    "coercion_at_destination": N_("Coercion at destination"),
    "abuse_of_vulnerability_at_destination": N_("Abuse of vulnerability at destination"),
}
RECRUITMENT_DIMENSIONS = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
)
DESTINATION_DIMENSIONS = ("coercion_at_destination", "abuse_of_vulnerability_at_destination")

# ILO indicators of forced labour (2012): eleven indicators.
FORCED_LABOUR_INDICATORS: dict[str, str] = {
    "abuse_of_vulnerability": N_("Abuse of vulnerability"),
    "deception": N_("Deception"),
    "restriction_of_movement": N_("Restriction of movement"),
    "isolation": N_("Isolation"),
    "physical_sexual_violence": N_("Physical and sexual violence"),
    "intimidation_threats": N_("Intimidation and threats"),
    "retention_of_documents": N_("Retention of identity documents"),
    "withholding_of_wages": N_("Withholding of wages"),
    "debt_bondage": N_("Debt bondage"),
    "abusive_conditions": N_("Abusive working and living conditions"),
    "excessive_overtime": N_("Excessive overtime"),
}

# Palermo Protocol / ACTIP: the three elements and their values.
PALERMO_ELEMENTS: dict[str, dict[str, str]] = {
    "act": {
        "recruitment": N_("Recruitment"),
        "transportation": N_("Transportation"),
        "transfer": N_("Transfer"),
        "harbouring": N_("Harbouring"),
        "receipt": N_("Receipt"),
    },
    "means": {
        "threat_of_force": N_("Threat of force"),
        "use_of_force": N_("Use of force"),
        "other_coercion": N_("Other forms of coercion"),
        "abduction": N_("Abduction"),
        "fraud": N_("Fraud"),
        "deception": N_("Deception"),
        "abuse_of_power": N_("Abuse of power"),
        "abuse_of_vulnerability": N_("Abuse of a position of vulnerability"),
        "payments_to_controller": N_("Payments or benefits to a person in control"),
    },
    "purpose": {
        "sexual_exploitation": N_("Exploitation of prostitution or other sexual exploitation"),
        "forced_labour": N_("Forced labour or services"),
        "slavery": N_("Slavery or practices similar to slavery"),
        "servitude": N_("Servitude"),
        "organ_removal": N_("Removal of organs"),
        "forced_criminality": N_("Forced criminality (national law)"),
        "forced_marriage": N_("Forced marriage (national law)"),
    },
}
PALERMO_ELEMENT_NAMES: dict[str, str] = {
    "act": N_("Act"),
    "means": N_("Means"),
    "purpose": N_("Purpose"),
}

# Referral vocabulary, shared by the referral screen, the referral PDF and the exports.
URGENCY: dict[str, str] = {
    "immediate": N_("Immediate (within hours)"),
    "urgent": N_("Urgent (within 24 to 72 hours)"),
    "routine": N_("Routine"),
}

CONSENT_METHODS: dict[str, str] = {
    "written": N_("Written consent, signed"),
    "oral_witnessed": N_("Oral consent, witnessed"),
    "thumbprint": N_("Consent by thumbprint"),
    "guardian": N_("Consent by a parent or guardian"),
    "child_safeguarding": N_("Not required: safeguarding referral of a child"),
}

CONSENT_GIVEN_BY: dict[str, str] = {
    "person": N_("The person referred"),
    "guardian": N_("Parent or guardian"),
    "social_worker": N_("Social worker"),
}

# The consent statements of the IOM screening form, as used by HTCDS 2.0 (con_Consent),
# and the two a referral adds.
CONSENT_STATEMENTS: dict[str, str] = {
    "interview": N_("Agreed to the interview"),
    "purpose": N_("Was told the purpose of the interview and of this referral"),
    "data_use": N_("Was told how the information will be used"),
    "research": N_("Was told that data without names may be used for research"),
    "access": N_("Knows they can ask for their personal data at any time"),
    "retention": N_("Knows how long the data will be kept"),
    "withdrawal": N_("Knows how to withdraw consent"),
    "referral": N_("Agreed to be referred to the receiving agency"),
    "sharing": N_("Agreed to share the details on this form with the receiving agency"),
}

STRENGTHS: dict[str, str] = {
    "strong": N_("strong"),
    "medium": N_("medium"),
    "weak": N_("weak"),
}


def element_codes() -> set[str]:
    return {f"{kind}:{value}" for kind, values in PALERMO_ELEMENTS.items() for value in values}
