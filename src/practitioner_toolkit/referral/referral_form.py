"""The referral sheet: what goes where, from a ``ReferralDocument`` (no store access here).

Follows the field list of shared/reference/screening-sources.md §3.1: referral metadata,
referring and receiving agencies, services requested, the minimum personal details, a
summary of the screening (never the interview), consent (how and when), and the receiving
agency's acknowledgement with signature lines.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from practitioner_toolkit.i18n.formatting import format_date, format_datetime
from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.referral.compose import (
    BODY_BOLD,
    NOTE,
    Composer,
)
from practitioner_toolkit.referral.document import ReferralDocument, form_title
from practitioner_toolkit.referral.labels import (
    AGENCY_KINDS,
    CONSENT_GIVEN_BY,
    CONSENT_METHODS,
    CONSENT_STATEMENTS,
    NO,
    PERSON_FIELDS,
    SEX,
    URGENCY,
    YES,
    Translator,
)
from practitioner_toolkit.referral.pdf import Row

REFERRAL_FORM = N_("Referral form")
_SECTION_GAP = 4 * mm


def _pair(composer: Composer, table: dict[str, str], code: str) -> tuple[str, str | None]:
    first = composer.first.t.lookup(table, code)
    second = composer.second.t.lookup(table, code) if composer.second else None
    return first, second


class _Sections:
    """Collects a section's rows so its heading never ends a page alone."""

    def __init__(self, composer: Composer) -> None:
        self.composer = composer
        self.story: list[Flowable] = []

    def add(self, heading: str | None, rows: list[Row], *, keep_together: bool = False) -> None:
        c = self.composer
        head = c.heading_rows(heading) if heading else []
        keep = len(head) + len(rows) if keep_together else 1  # headings: keep_with_next
        self.story.append(c.block(head + rows, keep_first=keep, space_before=_SECTION_GAP))


def compose_referral(doc: ReferralDocument, composer: Composer) -> list[Flowable]:
    c = composer
    t = c.first.t
    second_t: Translator | None = c.second.t if c.second else None
    code = c.first.setter.language
    out = _Sections(c)

    out.story.append(c.block(c.title_rows(REFERRAL_FORM)))

    urgency, urgency_second = _pair(c, URGENCY, doc.urgency)
    rows = c.field_rows(N_("Referral reference"), doc.reference)
    rows += c.field_rows(N_("Case reference"), doc.case_reference)
    rows += c.field_rows(
        N_("Date of referral"),
        format_date(doc.created_at, code),
        second_value=format_date(doc.created_at, c.second.setter.language) if c.second else None,
    )
    rows += c.field_rows(N_("Urgency"), urgency, second_value=urgency_second)
    out.add(N_("Referral"), rows, keep_together=True)

    rows = c.field_rows(N_("Organisation"), doc.referring.organisation)
    if doc.referring.officer:
        rows += c.field_rows(N_("Referring officer"), doc.referring.officer)
    if doc.referring.place:
        rows += c.field_rows(N_("Place of identification"), doc.referring.place)
    out.add(N_("Referring agency"), rows)

    agency = doc.receiving
    kind, kind_second = _pair(c, AGENCY_KINDS, agency.kind)
    rows = c.field_rows(N_("Name"), agency.name)
    rows += c.field_rows(N_("Type of service"), kind, second_value=kind_second)
    for label, value in (
        (N_("Area"), agency.area),
        (N_("Address"), agency.address),
        (N_("Phone"), agency.phone),
        (N_("E-mail"), agency.email),
        (N_("Opening hours"), agency.hours),
    ):
        if value:
            rows += c.field_rows(label, value)
    out.add(N_("Receiving agency"), rows)

    rows = []
    for service in doc.services:
        rows += c.item_rows(
            t.service(service),
            field=N_("Services requested"),
            second_text=second_t.service(service) if second_t else None,
            checked=True,
        )
    if doc.reason:
        rows += c.label_lines_rows(N_("Reason for referral"))
        rows += c.text_rows(doc.reason, field=N_("Reason for referral"))
    out.add(N_("Services requested"), rows)

    out.add(N_("Person referred"), _person_rows(doc, c))
    out.add(N_("Screening findings (summary)"), _findings_rows(doc, c))
    out.add(N_("Consent"), _consent_rows(doc, c))

    rows = c.message_rows(N_("To be completed by the receiving agency:"), style=NOTE)
    accepted = c.both(N_("Referral accepted"))
    declined = c.both(N_("Referral declined"))
    rows += c.choice_rows([accepted, declined], field=N_("Acknowledgement"), indent=0.0)
    rows += c.writing_rows(1, label=N_("Date received:"))
    rows += c.writing_rows(1, label=N_("Next contact with the person:"))
    labels = [
        N_("Referring officer: signature and date"),
        N_("Receiving agency: signature and date"),
    ]
    if doc.consent.method in ("written", "thumbprint"):
        labels.append(N_("Person referred: signature or thumbprint"))
    rows += c.signature_rows(labels)
    out.add(N_("Acknowledgement and signatures"), rows, keep_together=True)

    closing = c.message_rows(
        N_(
            "Keep this form confidential. Share it only with the receiving agency named "
            "above; do not copy it or send photographs of it."
        ),
        style=NOTE,
    )
    out.story.append(c.block(closing, keep_first=len(closing), space_before=_SECTION_GAP))
    return out.story


def _person_rows(doc: ReferralDocument, c: Composer) -> list[Row]:
    person = doc.person
    if person.is_empty:
        return c.message_rows(
            N_(
                "No personal details are shared on this form: the person chose to share "
                "none. Refer to the person by the case reference."
            )
        )
    rows: list[Row] = []
    for key, value in (
        ("given_name", person.given_name),
        ("family_name", person.family_name),
        ("alias", person.alias),
    ):
        if value:
            rows += c.field_rows(PERSON_FIELDS[key], value)
    if person.sex:
        first, second = _pair(c, SEX, person.sex)
        rows += c.field_rows(PERSON_FIELDS["sex"], first, second_value=second)
    if person.age is not None:
        first, second = _age_texts(c, person.age, person.age_is_estimate, person.age_uncertain)
        rows += c.field_rows(PERSON_FIELDS["age"], first, second_value=second)
    if person.nationality:
        rows += c.field_rows(PERSON_FIELDS["nationality"], person.nationality)
    if person.languages:
        names = ", ".join(c.first.t.language_name(code) for code in person.languages)
        rows += c.field_rows(PERSON_FIELDS["languages"], names)
    if person.interpreter_language:
        first, second = c.both(N_("Yes: {language}"))
        name = c.first.t.language_name(person.interpreter_language)
        rows += c.field_rows(
            N_("Interpreter needed"),
            first.format(language=name),
            second_value=second.format(language=name) if second else None,
        )
    return rows


def _age_texts(c: Composer, age: int, estimate: bool, uncertain: bool) -> tuple[str, str | None]:
    def render(t: Translator) -> str:
        text = t(N_("{age} (estimated)") if estimate else N_("{age}")).format(age=age)
        if uncertain:
            text += " — " + t(N_("age uncertain: treat as a child until the age is verified"))
        return text

    first = render(c.first.t)
    return first, render(c.second.t) if c.second else None


def _findings_rows(doc: ReferralDocument, c: Composer) -> list[Row]:
    t = c.first.t
    second_t = c.second.t if c.second else None
    if not doc.summary_shared:
        return c.message_rows(
            N_("Not shared: the person did not agree to share the screening findings.")
        )
    findings = doc.findings
    rows: list[Row] = []
    if findings is None and not doc.narrative:
        return c.message_rows(N_("No screening outcome is recorded for this referral."))
    if findings is not None:
        code = c.first.setter.language
        title = f"{form_title(findings, code)} ({findings.form_version})"
        second_title = (
            f"{form_title(findings, c.second.setter.language)} ({findings.form_version})"
            if c.second
            else None
        )
        rows += c.field_rows(N_("Screening"), title, second_value=second_title)
        rows += c.field_rows(
            N_("Indicative outcome"),
            t.headline(findings.outcome),
            second_value=second_t.headline(findings.outcome) if second_t else None,
        )
        if not findings.complete:
            rows += c.message_rows(N_("Some required questions were not answered."))
        if findings.groups:
            rows += c.label_lines_rows(N_("Indicators found in"))
            for group in findings.groups:
                rows += c.item_rows(
                    t.group(group),
                    field=N_("Indicators found in"),
                    second_text=second_t.group(group) if second_t else None,
                    bullet="•",
                    indent=2 * mm,
                )
        if findings.elements:
            rows += c.label_lines_rows(N_("Elements of trafficking identified"))
            for kind, values in findings.elements:
                rows += c.item_rows(
                    t.element(kind, list(values)),
                    field=N_("Elements of trafficking identified"),
                    second_text=second_t.element(kind, list(values)) if second_t else None,
                    bullet="•",
                    indent=2 * mm,
                )
        for flag in findings.flags:
            rows += c.item_rows(
                t.flag(flag),
                field=N_("Flags"),
                second_text=second_t.flag(flag) if second_t else None,
                bullet="!",
                indent=0.0,
            )
        first, second = t.disclaimer(), second_t.disclaimer() if second_t else None
        rows += c.text_rows(first, field=N_("Disclaimer"), style=NOTE, second_text=second)
    if doc.narrative:
        rows += c.label_lines_rows(N_("Summary by the referring officer"))
        rows += c.text_rows(doc.narrative, field=N_("Summary by the referring officer"))
    return rows


def _consent_rows(doc: ReferralDocument, c: Composer) -> list[Row]:
    consent = doc.consent
    rows: list[Row] = []
    if consent.method == "child_safeguarding" and not consent.given:
        rows += c.message_rows(
            N_(
                "Safeguarding referral of a child: consent is not required. This form "
                "carries no personal details of the child."
            ),
            style=BODY_BOLD,
        )
    elif consent.given:
        rows += c.message_rows(
            N_(
                "The person was told the purpose of this referral and agreed to it, and to "
                "the sharing of the details on this form with the receiving agency only."
            ),
            style=BODY_BOLD,
        )
    yes_no = YES if consent.given else NO
    first, second = c.both(yes_no)
    rows += c.field_rows(N_("Consent given"), first, second_value=second)
    if consent.given_by:
        first, second = _pair(c, CONSENT_GIVEN_BY, consent.given_by)
        rows += c.field_rows(N_("Given by"), first, second_value=second)
    first, second = _pair(c, CONSENT_METHODS, consent.method)
    rows += c.field_rows(N_("How consent was given"), first, second_value=second)
    if consent.recorded_at:
        code = c.first.setter.language
        rows += c.field_rows(
            N_("When"),
            format_datetime(consent.recorded_at, code),
            second_value=(
                format_datetime(consent.recorded_at, c.second.setter.language) if c.second else None
            ),
        )
    if consent.witness:
        rows += c.field_rows(N_("Witness"), consent.witness)
    if consent.statements:
        rows += c.label_lines_rows(N_("Explained to the person and agreed"))
        for statement in consent.statements:
            first, second = _pair(c, CONSENT_STATEMENTS, statement)
            rows += c.item_rows(
                first,
                field=N_("Explained to the person and agreed"),
                second_text=second,
                checked=True,
                indent=2 * mm,
            )
    return rows
