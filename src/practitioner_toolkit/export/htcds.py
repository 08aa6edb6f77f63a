"""Mapping a minimised case to HTCDS 2.0 fields.

One record per case; its referrals are nested (JSON) or spread over one CSV row each (a case
without referrals still has one row). Field names are the HTCDS ones with their table prefix
(``prs_`` person, ``vic_`` victim context, ``cas_`` case, ``org_`` organisation, ``con_``
consent); what HTCDS has no field for goes in ``ptk_`` fields, marked as the toolkit's own in
the field list. Only what the toolkit records is written: unknown stays empty, never "false".

Case and person
    ptk_CaseReference         the pseudonymous case reference (never a name)
    cas_Status                open → Active, referred → FollowUp, closed → Closed, or
                              ClosedReferred when the closed case has a referral
    prs_FirstName/SecondName  given/family name (only if chosen and agreed)
    prs_Gender                female → Feminine, male → Masculine, other → NonConforming,
                              undisclosed → NonSpecifiedUnknown
    prs_Citizenship           the recorded nationality as an ISO 3166-1 alpha-2 code
    prs_Primary/SecondaryLanguage  the first two languages as ISO 639-2 codes
    ptk_Alias, ptk_AgeAtIdentification, ptk_AgeUncertain  (HTCDS has no such fields)

Trafficking status
    vic_TraffickingStatus     PossibleVictimOfTrafficking when a screening of the case ended
                              in ``presumed_victim``; empty otherwise. The toolkit never
                              determines "actual" or "not a victim", so neither is written.
    vic_TraffickingStatusDecisionMakingOrg  the exporter's choice (ExportOptions.decision_org),
                              written only with a trafficking status
    ptk_ScreeningOutcomes     every outcome code of the case's screenings

Methods of control (vic_MethodsOfControl*: TRUE when an indicator found in a screening maps
to it; never FALSE, since an indicator not found is not evidence of absence). An indicator's
id is looked up first (``INDICATOR_CONTROL``), then its group (``GROUP_CONTROL``); Palermo
means come last (``MEANS_CONTROL``). The six Delphi dimensions are too broad to map as
groups; their indicators map by id.

    ILO-11 group / indicator ids                         HTCDS method of control
    debt_bondage; debt_bondage*, debt_to_broker...       DebtBondage
    withholding_of_wages; wages_*, withholding_of_...    TakesEarnings
    intimidation_threats; threats_of_violence*, ...      Threats
    threat_of_denunciation* (any group)                  ThreatOfLawEnforcement
    physical_violence, violence_on_victim*, visible_...  PhysicalAbuse
    sexual_violence                                      SexualAbuse
    deception; deceptive_recruitment (Delphi group)      FalsePromises
    restriction_of_movement; isolation; confinement...   RestrictsMovement
    excessive_overtime; excessive_*hours, insufficient_  ExcessiveWorkingHours
    retention_of_documents; confiscation_of_documents*   WithholdsDocuments
    deprived_of_food_or_sleep, not_enough_food_or_water  WithholdsNecessities
    means threat_of_force / use_of_force / fraud, deception  Threats / PhysicalAbuse /
                                                         FalsePromises
    Not mapped: abuse_of_vulnerability, abusive_conditions (as a group), under_strong_influence
    (boss, partner or drugs: too vague), and HTCDS's RestrictsFinancialAccess,
    PsychoactiveSubstances, RestrictsMedicalCare, UsesChildren, Other, which no bundled
    indicator names.

Type of exploitation (vic_TypeOfExploitation, from the Palermo purposes found)
    sexual_exploitation → SexualExploitation, forced_labour → ForcedLabour,
    servitude → Servitude, organ_removal → OrganRemoval, forced_marriage → ForcedMarriage;
    forced_criminality and slavery have no HTCDS value: Other, with the toolkit code in
    ptk_TypeOfExploitationOther.

Referral (one per referral)
    ptk_ReferralReference, cas_ReferredOrganisation (agency name), org_Name, org_Type (agency
    kind ngo → NGO, law_enforcement → LawEnforcement, medical → HealthServiceOrganisation,
    legal → LegalService, immigration → ImmigrationService; other kinds stay empty),
    org_Phone (E.164 or empty), cas_OutgoingReferralDate, cas_ReasonForOutgoingReferral
    (MigrationOrChangeOfLocation when only return/reintegration is requested, else
    AdditionalServicesRequired), ptk_ServicesRequested, ptk_Urgency, con_Consent (the
    referral consent), ptk_ConsentMethod, ptk_ConsentStatements, ptk_ConsentDate,
    ptk_ScreeningSummary (only if chosen and agreed for that referral).

Not filled (the toolkit does not record them): prs_Birthdate (only a birth year or an
estimate exists), vic_MethodOfRecruitment, vic_ForcedLabourIndustry, vic_TypeOfSexExploitation,
locations of recruitment and exploitation, perpetrator fields, cas_ReferringOrganisation and
the incoming-referral fields, cas_OutgoingReferralDetails, and the separate HTCDS consent
statements (the toolkit's statement codes go in ptk_ConsentStatements instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from practitioner_toolkit.export.codes import country_code, e164_phone, language_code
from practitioner_toolkit.export.collect import CaseFacts, ReferralFacts
from practitioner_toolkit.export.fieldlist import FieldList
from practitioner_toolkit.export.options import ExportOptions
from practitioner_toolkit.forms import OutcomeResult
from practitioner_toolkit.store import CaseStatus

Value = str | int | bool | list[str] | None
Record = dict[str, Value]

CONTROL_PREFIX = "vic_MethodsOfControl"
POSSIBLE_VICTIM = "PossibleVictimOfTrafficking"
PRESUMED_VICTIM = "presumed_victim"

INDICATOR_CONTROL: dict[str, str] = {
    # Debt bondage
    "debt_bondage": "DebtBondage",
    "debt_bondage_during_recruitment": "DebtBondage",
    "debt_to_broker_or_employer": "DebtBondage",
    # Takes earnings
    "withholding_of_wages": "TakesEarnings",
    "withholding_of_money_during_recruitment": "TakesEarnings",
    "wages_unpaid": "TakesEarnings",
    "wages_held_until_end": "TakesEarnings",
    "wages_paid_to_third_party": "TakesEarnings",
    "unagreed_deductions": "TakesEarnings",
    # Threats (to the person or to others)
    "threats_of_violence": "Threats",
    "threats_of_violence_against_victim": "Threats",
    "threats_of_violence_during_recruitment": "Threats",
    "threat_of_violence": "Threats",
    "threat_to_family": "Threats",
    "violence_on_family": "Threats",
    "violence_on_family_during_recruitment": "Threats",
    "threats_to_inform_family_or_community": "Threats",
    "threat_to_inform_family_during_recruitment": "Threats",
    "threat_worse_conditions": "Threats",
    "threat_of_even_worse_working_conditions": "Threats",
    "threat_of_financial_penalty": "Threats",
    "threat_of_sexual_exploitation": "Threats",
    "witnessed_violence_or_death": "Threats",
    # Threat of law enforcement (HTCDS keeps it apart from other threats)
    "threat_of_denunciation": "ThreatOfLawEnforcement",
    "threat_of_denunciation_to_authorities": "ThreatOfLawEnforcement",
    "threat_of_denunciation_during_recruitment": "ThreatOfLawEnforcement",
    # Physical and sexual abuse
    "physical_violence": "PhysicalAbuse",
    "violence_on_victim": "PhysicalAbuse",
    "violence_on_victim_during_recruitment": "PhysicalAbuse",
    "visible_injuries": "PhysicalAbuse",
    "sexual_violence": "SexualAbuse",
    # Restricts movement (physical or social isolation, confinement, surveillance)
    "isolation": "RestrictsMovement",
    "isolation_confinement_or_surveillance": "RestrictsMovement",
    "isolation_confinement_surveillance": "RestrictsMovement",
    "isolation_confinement_during_recruitment": "RestrictsMovement",
    "confinement_or_guarding": "RestrictsMovement",
    "locked_or_guarded_premises": "RestrictsMovement",
    "under_surveillance": "RestrictsMovement",
    "crew_kept_on_board": "RestrictsMovement",
    "not_allowed_ashore": "RestrictsMovement",
    "contact_with_family_prevented": "RestrictsMovement",
    "phone_taken_or_forbidden": "RestrictsMovement",
    # Excessive working hours
    "excessive_hours": "ExcessiveWorkingHours",
    "excessive_working_hours": "ExcessiveWorkingHours",
    "excessive_working_days_or_hours": "ExcessiveWorkingHours",
    "insufficient_rest": "ExcessiveWorkingHours",
    # Withholds documents
    "confiscation_of_documents": "WithholdsDocuments",
    "confiscation_of_documents_during_recruitment": "WithholdsDocuments",
    "documents_confiscated": "WithholdsDocuments",
    "documents_held_by_captain_owner_broker": "WithholdsDocuments",
    "documents_held_by_other_person": "WithholdsDocuments",
    "documents_held_by_other": "WithholdsDocuments",
    # Withholds necessities
    "deprived_of_food_or_sleep": "WithholdsNecessities",
    "not_enough_food_or_water": "WithholdsNecessities",
}
GROUP_CONTROL: dict[str, str] = {
    # ILO indicators of forced labour (2012)
    "debt_bondage": "DebtBondage",
    "withholding_of_wages": "TakesEarnings",
    "intimidation_threats": "Threats",
    "deception": "FalsePromises",
    "restriction_of_movement": "RestrictsMovement",
    "isolation": "RestrictsMovement",
    "excessive_overtime": "ExcessiveWorkingHours",
    "retention_of_documents": "WithholdsDocuments",
    # ILO/EC Delphi dimension: every indicator in it is a deception of the person
    "deceptive_recruitment": "FalsePromises",
}
MEANS_CONTROL: dict[str, str] = {
    "threat_of_force": "Threats",
    "use_of_force": "PhysicalAbuse",
    "fraud": "FalsePromises",
    "deception": "FalsePromises",
}
PURPOSE_EXPLOITATION: dict[str, str] = {
    "sexual_exploitation": "SexualExploitation",
    "forced_labour": "ForcedLabour",
    "servitude": "Servitude",
    "organ_removal": "OrganRemoval",
    "forced_marriage": "ForcedMarriage",
}
OTHER_EXPLOITATION = "Other"
GENDER: dict[str, str] = {
    "female": "Feminine",
    "male": "Masculine",
    "other": "NonConforming",
    "undisclosed": "NonSpecifiedUnknown",
}
ORGANISATION_TYPE: dict[str, str] = {
    "ngo": "NGO",
    "law_enforcement": "LawEnforcement",
    "medical": "HealthServiceOrganisation",
    "legal": "LegalService",
    "immigration": "ImmigrationService",
}
CASE_STATUS: dict[CaseStatus, str] = {
    CaseStatus.OPEN: "Active",
    CaseStatus.REFERRED: "FollowUp",
    CaseStatus.CLOSED: "Closed",
}
MIGRATION_SERVICES = frozenset({"return_reintegration"})

# Which personal detail fills which fields (the header shows them only when chosen).
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "given_name": ("prs_FirstName",),
    "family_name": ("prs_SecondName",),
    "alias": ("ptk_Alias",),
    "sex": ("prs_Gender",),
    "age": ("ptk_AgeAtIdentification", "ptk_AgeUncertain"),
    "nationality": ("prs_Citizenship",),
    "languages": ("prs_PrimaryLanguage", "prs_SecondaryLanguage"),
}
CASE_FIELDS_HEAD = ("ptk_CaseReference", "ptk_TrainingData", "ptk_CaseOpenedDate", "cas_Status")
CASE_FIELDS_TAIL = (
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "ptk_ScreeningOutcomes",
)
EXPLOITATION_FIELDS = ("vic_TypeOfExploitation", "ptk_TypeOfExploitationOther")
REFERRAL_FIELDS = (
    "ptk_ReferralReference",
    "cas_ReferredOrganisation",
    "org_Name",
    "org_Type",
    "org_Phone",
    "cas_OutgoingReferralDate",
    "cas_ReasonForOutgoingReferral",
    "ptk_ServicesRequested",
    "ptk_Urgency",
    "con_Consent",
    "ptk_ConsentMethod",
    "ptk_ConsentStatements",
    "ptk_ConsentDate",
)
SUMMARY_FIELD = "ptk_ScreeningSummary"


@dataclass
class CodeTally:
    unmapped_nationalities: int = 0
    unmapped_languages: int = 0
    phones_omitted: int = 0


def control_fields(fields: FieldList) -> tuple[str, ...]:
    return tuple(name for name in fields.fields if name.startswith(CONTROL_PREFIX))


def case_columns(fields: FieldList, include_personal: Iterable[str]) -> tuple[str, ...]:
    chosen = set(include_personal)
    personal = tuple(
        name for detail, names in PERSONAL_FIELDS.items() if detail in chosen for name in names
    )
    return (
        CASE_FIELDS_HEAD
        + personal
        + CASE_FIELDS_TAIL
        + control_fields(fields)
        + EXPLOITATION_FIELDS
    )


def referral_columns(include_personal: Iterable[str]) -> tuple[str, ...]:
    with_summary = "screening_summary" in set(include_personal)
    return REFERRAL_FIELDS + ((SUMMARY_FIELD,) if with_summary else ())


def case_record(
    fields: FieldList,
    case: CaseFacts,
    options: ExportOptions,
    training: bool,
    tally: CodeTally,
) -> Record:
    """The case-level fields (the header's, in its order), without referrals."""
    record: Record = dict.fromkeys(case_columns(fields, options.include_personal))
    record["ptk_CaseReference"] = case.reference
    record["ptk_TrainingData"] = training
    record["ptk_CaseOpenedDate"] = _date(case.opened_at)
    status = CASE_STATUS[case.status]
    if case.status is CaseStatus.CLOSED and case.referrals:
        status = "ClosedReferred"
    record["cas_Status"] = status
    _person_fields(fields, case, record, options, tally)
    outcomes = [s.outcome for s in case.sessions if s.outcome is not None]
    codes = _unique(o.code for o in outcomes)
    if PRESUMED_VICTIM in codes:
        record["vic_TraffickingStatus"] = POSSIBLE_VICTIM
        record["vic_TraffickingStatusDecisionMakingOrg"] = options.decision_org
    record["ptk_ScreeningOutcomes"] = codes or None
    for control in _controls(outcomes):
        record[CONTROL_PREFIX + control] = True
    purposes = _unique(p for o in outcomes for p in o.elements.get("purpose", []))
    types = _unique(PURPOSE_EXPLOITATION.get(p, OTHER_EXPLOITATION) for p in purposes)
    others = [p for p in purposes if p not in PURPOSE_EXPLOITATION]
    record["vic_TypeOfExploitation"] = types or None
    record["ptk_TypeOfExploitationOther"] = others or None
    return record


def referral_record(
    fields: FieldList,
    referral: ReferralFacts,
    options: ExportOptions,
    tally: CodeTally,
) -> Record:
    record: Record = dict.fromkeys(referral_columns(options.include_personal))
    record["ptk_ReferralReference"] = referral.reference
    agency = referral.agency
    if agency is not None:
        record["cas_ReferredOrganisation"] = agency.name
        record["org_Name"] = agency.name
        record["org_Type"] = ORGANISATION_TYPE.get(agency.kind)
        phone = e164_phone(fields, agency.phone, options.phone_calling_code)
        if agency.phone and phone is None:
            tally.phones_omitted += 1
        record["org_Phone"] = phone
    record["cas_OutgoingReferralDate"] = _date(referral.created_at)
    services = set(referral.services)
    migration_only = bool(services) and services <= MIGRATION_SERVICES
    record["cas_ReasonForOutgoingReferral"] = (
        "MigrationOrChangeOfLocation" if migration_only else "AdditionalServicesRequired"
    )
    record["ptk_ServicesRequested"] = list(referral.services) or None
    record["ptk_Urgency"] = referral.urgency
    record["con_Consent"] = referral.consent_given
    record["ptk_ConsentMethod"] = referral.consent_method
    record["ptk_ConsentStatements"] = list(referral.consent_statements) or None
    record["ptk_ConsentDate"] = _date(referral.consent_recorded_at)
    if SUMMARY_FIELD in record:
        record[SUMMARY_FIELD] = referral.summary
    return record


def _person_fields(
    fields: FieldList,
    case: CaseFacts,
    record: Record,
    options: ExportOptions,
    tally: CodeTally,
) -> None:
    person = case.person
    chosen = set(options.include_personal)
    if "given_name" in chosen:
        record["prs_FirstName"] = person.given_name
    if "family_name" in chosen:
        record["prs_SecondName"] = person.family_name
    if "alias" in chosen:
        record["ptk_Alias"] = person.alias
    if "sex" in chosen:
        record["prs_Gender"] = GENDER.get(person.sex) if person.sex else None
    if "age" in chosen:
        record["ptk_AgeAtIdentification"] = person.age
        record["ptk_AgeUncertain"] = person.age_uncertain
    if "nationality" in chosen and person.nationality:
        code = country_code(fields, person.nationality)
        if code is None:
            tally.unmapped_nationalities += 1
        record["prs_Citizenship"] = [code] if code else None
    if "languages" in chosen:
        mapped: list[str] = []
        for language in person.languages:
            iso = language_code(fields, language)
            if iso is None:
                tally.unmapped_languages += 1
            elif iso not in mapped:
                mapped.append(iso)
        record["prs_PrimaryLanguage"] = mapped[0] if mapped else None
        record["prs_SecondaryLanguage"] = mapped[1] if len(mapped) > 1 else None


def _controls(outcomes: Iterable[OutcomeResult]) -> list[str]:
    found: list[str] = []
    for outcome in outcomes:
        for hit in outcome.indicators:
            control = INDICATOR_CONTROL.get(hit.id) or GROUP_CONTROL.get(hit.group)
            if control:
                found.append(control)
        means = outcome.elements.get("means", [])
        found.extend(MEANS_CONTROL[m] for m in means if m in MEANS_CONTROL)
    return _unique(found)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _date(timestamp: str | None) -> str | None:
    """The calendar day of a stored UTC timestamp (ISO 8601 date), or None."""
    return timestamp[:10] if timestamp and len(timestamp) >= 10 else None
