"""The analyst table: one row per screening session, codes and 0/1 columns, no prose.

Column names are stable English codes (they are read by scripts, not people), listed in
``columns``. Indicator-group columns are 1 when the group met its threshold, 0 when the
form assessed it and it did not, and empty when the form does not use that group. Flag
columns are 0/1 once an outcome exists. A referral counts for the session it was made from;
one made from the case without naming a session counts for the case's latest session.
Personal columns appear only when chosen, and hold a value only when the person agreed to
share it (see ``collect``).
"""

from __future__ import annotations

from collections.abc import Iterable

from practitioner_toolkit.export.codes import country_code
from practitioner_toolkit.export.collect import CaseFacts, ReferralFacts, SessionFacts
from practitioner_toolkit.export.fieldlist import FieldList
from practitioner_toolkit.forms import FormRegistry
from practitioner_toolkit.forms.vocabulary import (
    DELPHI_DIMENSIONS,
    FLAGS,
    FORCED_LABOUR_INDICATORS,
    PALERMO_ELEMENT_NAMES,
)

Cell = str | int | None

BASE_COLUMNS = (
    "case_ref",
    "case_status",
    "case_opened",
    "training",
    "session_number",
    "form_id",
    "form_version",
    "form_title",
    "session_status",
    "post",
    "started_on",
    "finished_on",
    "officer_language",
    "interviewee_language",
    "interpreter_used",
    "interpreter_language",
    "outcome",
    "outcome_complete",
    "outcome_urgency",
    "indicators_found",
)
ELEMENT_COLUMNS = tuple(f"elements_{kind}" for kind in PALERMO_ELEMENT_NAMES)
GROUP_COLUMNS = tuple(f"delphi_{g}" for g in DELPHI_DIMENSIONS) + tuple(
    f"ilo_{g}" for g in FORCED_LABOUR_INDICATORS
)
FLAG_COLUMNS = tuple(f"flag_{f}" for f in FLAGS)
SERVICE_COLUMNS = (
    "recommended_services",
    "referral_count",
    "referral_services",
    "referral_urgency",
)
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "given_name": ("given_name",),
    "family_name": ("family_name",),
    "alias": ("alias",),
    "sex": ("sex",),
    "age": ("age", "age_uncertain"),
    "nationality": ("nationality", "nationality_iso"),
    "languages": ("languages",),
    "screening_summary": ("screening_summary",),
}
URGENCY_ORDER = ("immediate", "urgent", "routine")
SEPARATOR = ";"
SUMMARY_SEPARATOR = " | "


def columns(include_personal: Iterable[str]) -> tuple[str, ...]:
    chosen = set(include_personal)
    personal = tuple(
        name for detail, names in PERSONAL_COLUMNS.items() if detail in chosen for name in names
    )
    return (
        BASE_COLUMNS[:4]
        + personal
        + BASE_COLUMNS[4:]
        + ELEMENT_COLUMNS
        + GROUP_COLUMNS
        + FLAG_COLUMNS
        + SERVICE_COLUMNS
    )


def session_rows(
    fields: FieldList,
    registry: FormRegistry,
    case: CaseFacts,
    include_personal: tuple[str, ...],
    training: bool,
) -> list[dict[str, Cell]]:
    header = columns(include_personal)
    by_session: dict[str, list[ReferralFacts]] = {s.id: [] for s in case.sessions}
    latest = case.sessions[-1].id if case.sessions else None
    for referral in case.referrals:
        target = referral.session_id if referral.session_id in by_session else latest
        if target is not None:
            by_session[target].append(referral)
    rows: list[dict[str, Cell]] = []
    for session in case.sessions:
        row: dict[str, Cell] = dict.fromkeys(header)
        row.update(
            case_ref=case.reference,
            case_status=case.status.value,
            case_opened=_day(case.opened_at),
            training=int(training),
        )
        _personal(fields, case, row)
        _session(registry, session, row)
        _referrals(by_session[session.id], row)
        rows.append(row)
    return rows


def _personal(fields: FieldList, case: CaseFacts, row: dict[str, Cell]) -> None:
    person = case.person
    values: dict[str, Cell] = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "alias": person.alias,
        "sex": person.sex,
        "age": person.age,
        "age_uncertain": None if person.age_uncertain is None else int(person.age_uncertain),
        "nationality": person.nationality,
        "nationality_iso": country_code(fields, person.nationality),
        "languages": SEPARATOR.join(person.languages) or None,
    }
    for name, value in values.items():
        if name in row:
            row[name] = value


def _session(registry: FormRegistry, session: SessionFacts, row: dict[str, Cell]) -> None:
    try:
        title = registry.get(session.form_id, session.form_version).title.get("en")
    except KeyError:
        title = None
    row.update(
        session_number=session.number,
        form_id=session.form_id,
        form_version=session.form_version,
        form_title=title,
        session_status=session.status,
        post=session.post,
        started_on=_day(session.started_at),
        finished_on=_day(session.finished_at),
        officer_language=session.officer_language,
        interviewee_language=session.interviewee_language,
        interpreter_used=int(session.interpreter_used),
        interpreter_language=session.interpreter_language,
    )
    outcome = session.outcome
    if outcome is None:
        return
    row.update(
        outcome=outcome.code,
        outcome_complete=int(outcome.complete),
        outcome_urgency=outcome.urgency,
        indicators_found=len({hit.id for hit in outcome.indicators}),
        recommended_services=SEPARATOR.join(outcome.referrals) or None,
    )
    for kind in PALERMO_ELEMENT_NAMES:
        row[f"elements_{kind}"] = SEPARATOR.join(outcome.elements.get(kind, [])) or None
    for group in outcome.groups:
        for prefix in ("delphi_", "ilo_"):
            if prefix + group.group in row:
                row[prefix + group.group] = int(group.positive)
    flags = set(outcome.flags)
    for flag in FLAGS:
        row[f"flag_{flag}"] = int(flag in flags)


def _referrals(referrals: list[ReferralFacts], row: dict[str, Cell]) -> None:
    row["referral_count"] = len(referrals)
    services = list(dict.fromkeys(s for r in referrals for s in r.services))
    row["referral_services"] = SEPARATOR.join(services) or None
    urgencies = {r.urgency for r in referrals}
    row["referral_urgency"] = next((u for u in URGENCY_ORDER if u in urgencies), None)
    if "screening_summary" in row:
        summaries = [r.summary for r in referrals if r.summary]
        row["screening_summary"] = SUMMARY_SEPARATOR.join(summaries) or None


def _day(timestamp: str | None) -> str | None:
    return timestamp[:10] if timestamp and len(timestamp) >= 10 else None
