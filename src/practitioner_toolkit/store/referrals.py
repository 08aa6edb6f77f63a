"""Referrals: who is referred where, for which services, with what consent and data."""

from __future__ import annotations

import uuid
from typing import Any

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.context import StoreContext, dump_json, load_json
from practitioner_toolkit.store.errors import NotFoundError, ValidationError
from practitioner_toolkit.store.models import (
    AuditAction,
    CaseStatus,
    Consent,
    ConsentMethod,
    Referral,
    Urgency,
)
from practitioner_toolkit.store.timeutil import utc_now

# Personal details a referral may carry; each must be chosen explicitly (default: none).
SHAREABLE_FIELDS = (
    "given_name",
    "family_name",
    "alias",
    "sex",
    "age",
    "nationality",
    "languages",
    "screening_summary",
)
_COLUMNS = (
    "id, case_id, session_id, agency_id, reference, services, urgency, reason, consent, "
    "shared_fields, summary, created_at, created_by, exported_at"
)


def _consent_to_json(consent: Consent) -> str:
    return dump_json(
        {
            "given": consent.given,
            "given_by": consent.given_by,
            "method": consent.method.value,
            "recorded_at": consent.recorded_at,
            "statements": list(consent.statements),
            "witness": consent.witness,
        }
    )


def _consent_from_json(text: str | None) -> Consent:
    data = load_json(text, {})
    return Consent(
        given=bool(data.get("given", False)),
        given_by=str(data.get("given_by", "")),
        method=ConsentMethod(data.get("method", ConsentMethod.ORAL_WITNESSED.value)),
        recorded_at=str(data.get("recorded_at", "")),
        statements=tuple(data.get("statements", [])),
        witness=data.get("witness"),
    )


def _row_to_referral(row: tuple[Any, ...]) -> Referral:
    return Referral(
        id=row[0],
        case_id=row[1] or "",
        session_id=row[2],
        agency_id=row[3] or "",
        reference=row[4] or "",
        services=tuple(load_json(row[5], [])),
        urgency=Urgency(row[6] or Urgency.ROUTINE),
        reason=row[7],
        consent=_consent_from_json(row[8]),
        shared_fields=tuple(load_json(row[9], [])),
        summary=row[10],
        created_at=row[11] or "",
        created_by=row[12],
        exported_at=row[13],
    )


class ReferralBook:
    def __init__(self, ctx: StoreContext) -> None:
        self._ctx = ctx

    def create(
        self,
        case_id: str,
        agency_id: str,
        services: tuple[str, ...],
        urgency: Urgency,
        consent: Consent,
        *,
        session_id: str | None = None,
        shared_fields: tuple[str, ...] = (),
        reason: str | None = None,
        summary: str | None = None,
    ) -> Referral:
        if not self._ctx.db.scalar(
            "SELECT 1 FROM cases WHERE id = ? AND reference IS NOT NULL", (case_id,)
        ):
            raise NotFoundError(N_("This case does not exist or was deleted."))
        if not self._ctx.db.scalar(
            "SELECT 1 FROM agencies WHERE id = ? AND name IS NOT NULL", (agency_id,)
        ):
            raise ValidationError(N_("Choose a receiving agency from the service directory."))
        if not services:
            raise ValidationError(N_("Choose at least one service to request."))
        unknown = set(shared_fields) - set(SHAREABLE_FIELDS)
        if unknown:
            raise ValidationError(
                N_("These details cannot be shared: {fields}."), fields=", ".join(sorted(unknown))
            )
        child_safeguarding = consent.method is ConsentMethod.NOT_REQUIRED_CHILD_SAFEGUARDING
        if not consent.given and not child_safeguarding:
            raise ValidationError(
                N_(
                    "A referral needs the person's informed consent (for a child, record the "
                    "safeguarding referral instead)."
                )
            )
        if not consent.given and shared_fields:
            raise ValidationError(N_("Without consent, a referral may not carry personal details."))
        referral_id = str(uuid.uuid4())
        now = utc_now()
        with self._ctx.db.transaction():
            number = self._ctx.next_counter("referral")
            reference = f"REF-{self._ctx.device_code}-{now[:10].replace('-', '')}-{number:04d}"
            self._ctx.journal.write(
                "referral",
                referral_id,
                {
                    "case_id": case_id,
                    "session_id": session_id,
                    "agency_id": agency_id,
                    "reference": reference,
                    "services": dump_json(list(services)),
                    "urgency": urgency.value,
                    "reason": reason or None,
                    "consent": _consent_to_json(consent),
                    "shared_fields": dump_json(list(shared_fields)),
                    "summary": summary or None,
                    "created_at": now,
                    "created_by": self._ctx.actor.id,
                },
            )
            self._ctx.journal.write("case", case_id, {"status": CaseStatus.REFERRED.value})
            self._ctx.audit.append(self._ctx.actor.id, AuditAction.CREATE, "referral", referral_id)
        return self.get(referral_id)

    def get(self, referral_id: str) -> Referral:
        row = self._ctx.db.query_one(
            f"SELECT {_COLUMNS} FROM referrals WHERE id = ?", (referral_id,)
        )
        if row is None or row[4] is None:
            raise NotFoundError(N_("This referral does not exist or was deleted."))
        return _row_to_referral(row)

    def for_case(self, case_id: str) -> list[Referral]:
        rows = self._ctx.db.query(
            f"SELECT {_COLUMNS} FROM referrals WHERE case_id = ? AND reference IS NOT NULL "
            "ORDER BY created_at",
            (case_id,),
        )
        return [_row_to_referral(r) for r in rows]

    def mark_exported(self, referral_id: str, detail: str = "pdf") -> None:
        self.get(referral_id)
        with self._ctx.db.transaction():
            self._ctx.journal.write("referral", referral_id, {"exported_at": utc_now()})
            self._ctx.audit.append(
                self._ctx.actor.id, AuditAction.EXPORT, "referral", referral_id, detail
            )
