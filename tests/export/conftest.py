"""A test workspace with cases that exercise every export path.

Case A  adult, presumed victim, referred (consent; agreed to share some details and the
        summary), local agency phone.
Case B  child, further screening, child-safeguarding referral without consent.
Case C  adult who refused consent (unable to complete), no referral, post that looks like
        a spreadsheet formula.
Case D  closed after a referral; shares sex and nationality (one that maps to no country);
        its outcome names purposes HTCDS has no value for.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pytest

from practitioner_toolkit.forms import FormDefinition, FormRegistry, evaluate, load_and_validate
from practitioner_toolkit.store import (
    Agency,
    AnswerValue,
    CaseStatus,
    Consent,
    ConsentMethod,
    Interpreter,
    IntervieweeDetails,
    Urgency,
    Workspace,
)

MINI = Path(__file__).parents[1] / "forms" / "fixtures" / "mini.yaml"

# Values that must never appear in an export unless chosen and agreed.
GIVEN_NAME = "Sokhalina"
FAMILY_NAME = "Chanthavong"
ALIAS = "Boprik"
SUMMARY = "Met at the checkpoint, exhausted, asked for help quietly"
REASON = "Private reason text that is never exported"
WITNESS = "Witnessing Officer Name"
FORMULA_POST = "=1+2"

PRESUMED_ANSWERS: dict[str, AnswerValue] = {
    "consent": "yes",
    "age": 26,
    "who_recruited": "agent",
    "deceived": "yes",
    "threats": "yes",
    "hours": "yes",
    "documents": "yes",
    "story": "A sensitive free-text answer that is never exported",
}


@dataclass(frozen=True)
class Populated:
    workspace: Workspace
    registry: FormRegistry
    form: FormDefinition
    references: dict[str, str]  # "A".."D" -> case reference


def _consent(given: bool, method: ConsentMethod = ConsentMethod.WRITTEN) -> Consent:
    return Consent(
        given,
        "person" if given else "social_worker",
        method,
        "2026-03-01T10:00:00Z",
        ("purpose", "data_use", "sharing") if given else (),
        witness=WITNESS,
    )


def _screen(
    ws: Workspace,
    form: FormDefinition,
    case_id: str,
    answers: dict[str, AnswerValue],
    elements: dict[str, list[str]] | None = None,
) -> str:
    session = ws.cases.start_session(
        case_id, form.id, form.version, "en", "km", Interpreter(True, "km")
    )
    for question, value in answers.items():
        ws.cases.save_answer(session.id, question, value)
    result = evaluate(form, answers)
    if elements is not None:
        result = dataclasses.replace(result, elements=elements)
    ws.cases.record_outcome(session.id, result.code, result.to_json())
    return session.id


def populate(ws: Workspace) -> Populated:
    form = load_and_validate(MINI)
    registry = FormRegistry(forms={form.key: form})
    ngo = ws.agencies.save(
        Agency(
            id="", name="Safe Harbour NGO", kind="ngo", services=("shelter",), phone="02 123 4567"
        )
    )
    police = ws.agencies.save(
        Agency(
            id="", name="Anti-Trafficking Police", kind="law_enforcement", phone="+66 81 234 5678"
        )
    )
    shelter = ws.agencies.save(Agency(id="", name="City Shelter", kind="shelter", phone="(1300)"))

    a = ws.cases.open_case(
        IntervieweeDetails(
            given_name=GIVEN_NAME,
            family_name=FAMILY_NAME,
            alias=ALIAS,
            sex="female",
            birth_year=1999,
            nationality="Cambodian",
            languages=("km", "th"),
        ),
        post="Poipet",
    )
    a_session = _screen(ws, form, a.id, PRESUMED_ANSWERS)
    ws.referrals.create(
        a.id,
        ngo.id,
        ("shelter", "medical"),
        Urgency.URGENT,
        _consent(True),
        session_id=a_session,
        shared_fields=("given_name", "sex", "age", "nationality", "languages", "screening_summary"),
        reason=REASON,
        summary=SUMMARY,
    )

    b = ws.cases.open_case(
        IntervieweeDetails(
            given_name="Kyaw Child",
            sex="male",
            age_estimate=15,
            age_uncertain=True,
            nationality="Myanmar",
            languages=("my",),
        ),
        post="Mae Sot",
    )
    b_session = _screen(ws, form, b.id, {"consent": "yes", "age": 15, "threats": "yes"})
    ws.referrals.create(
        b.id,
        police.id,
        ("child_protection",),
        Urgency.IMMEDIATE,
        _consent(False, ConsentMethod.NOT_REQUIRED_CHILD_SAFEGUARDING),
        session_id=b_session,
        summary="Child summary never exported",
    )

    c = ws.cases.open_case(IntervieweeDetails(sex="undisclosed"), post=FORMULA_POST)
    _screen(ws, form, c.id, {"consent": "no"})

    d = ws.cases.open_case(
        IntervieweeDetails(sex="other", nationality="Rohingya", languages=("rhg",)), post="Ranong"
    )
    d_session = _screen(
        ws,
        form,
        d.id,
        PRESUMED_ANSWERS,
        elements={
            "act": ["recruitment"],
            "means": ["use_of_force"],
            "purpose": ["forced_labour", "forced_criminality", "sexual_exploitation"],
        },
    )
    ws.referrals.create(
        d.id,
        shelter.id,
        ("return_reintegration",),
        Urgency.ROUTINE,
        _consent(True),
        session_id=d_session,
        shared_fields=("sex", "nationality", "languages"),
    )
    ws.cases.set_case_status(d.id, CaseStatus.CLOSED)
    references = {
        key: ws.cases.get_case(case.id).reference
        for key, case in {"A": a, "B": b, "C": c, "D": d}.items()
    }
    return Populated(ws, registry, form, references)


@pytest.fixture
def populated(workspace: Workspace) -> Populated:
    return populate(workspace)
