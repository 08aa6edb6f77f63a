"""The local service directory: agencies a case can be referred to."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from typing import Any

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.context import StoreContext, dump_json, load_json
from practitioner_toolkit.store.errors import NotFoundError, ValidationError
from practitioner_toolkit.store.models import Agency, AuditAction, Role

AGENCY_KINDS = (
    "shelter",
    "medical",
    "legal",
    "psychosocial",
    "child_protection",
    "labour",
    "immigration",
    "law_enforcement",
    "consular",
    "repatriation",
    "ngo",
    "government",
    "other",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,24}$")
_COLUMNS = (
    "id, name, kind, services, languages, area, address, phone, email, hours, notes, verified_on"
)


def _row_to_agency(row: tuple[Any, ...]) -> Agency:
    return Agency(
        id=row[0],
        name=row[1] or "",
        kind=row[2] or "other",
        services=tuple(load_json(row[3], [])),
        languages=tuple(load_json(row[4], [])),
        area=row[5],
        address=row[6],
        phone=row[7],
        email=row[8],
        hours=row[9],
        notes=row[10],
        verified_on=row[11],
    )


def validate_agency(agency: Agency) -> Agency:
    name = " ".join(agency.name.split())
    if not name:
        raise ValidationError(N_("An agency needs a name."))
    if len(name) > 160:
        raise ValidationError(N_("An agency name is limited to 160 characters."))
    if agency.kind not in AGENCY_KINDS:
        raise ValidationError(N_("Unknown kind of agency: {kind}."), kind=agency.kind)
    if agency.email and not _EMAIL.fullmatch(agency.email.strip()):
        raise ValidationError(N_("The e-mail address does not look right."))
    if agency.phone and not _PHONE.fullmatch(agency.phone.strip()):
        raise ValidationError(N_("The phone number may hold only digits, spaces, + ( ) . / -."))
    return replace(agency, name=name)


class ServiceDirectory:
    def __init__(self, ctx: StoreContext) -> None:
        self._ctx = ctx

    def list(self) -> list[Agency]:
        rows = self._ctx.db.query(
            f"SELECT {_COLUMNS} FROM agencies WHERE name IS NOT NULL ORDER BY name COLLATE NOCASE"
        )
        return [_row_to_agency(r) for r in rows]

    def get(self, agency_id: str) -> Agency:
        row = self._ctx.db.query_one(f"SELECT {_COLUMNS} FROM agencies WHERE id = ?", (agency_id,))
        if row is None or row[1] is None:
            raise NotFoundError(N_("This agency is not in the service directory."))
        return _row_to_agency(row)

    def save(self, agency: Agency) -> Agency:
        """Add (empty id) or update an agency."""
        self._ctx.require_role(Role.SUPERVISOR, Role.TRAINER)
        agency = validate_agency(agency)
        agency_id = agency.id or str(uuid.uuid4())
        with self._ctx.db.transaction():
            created = not agency.id
            self._ctx.journal.write(
                "agency",
                agency_id,
                {
                    "name": agency.name,
                    "kind": agency.kind,
                    "services": dump_json(list(agency.services)),
                    "languages": dump_json(list(agency.languages)),
                    "area": agency.area or None,
                    "address": agency.address or None,
                    "phone": agency.phone.strip() if agency.phone else None,
                    "email": agency.email.strip() if agency.email else None,
                    "hours": agency.hours or None,
                    "notes": agency.notes or None,
                    "verified_on": agency.verified_on or None,
                },
            )
            self._ctx.audit.append(
                self._ctx.actor.id,
                AuditAction.CREATE if created else AuditAction.EDIT,
                "agency",
                agency_id,
            )
        return self.get(agency_id)

    def delete(self, agency_id: str) -> None:
        self._ctx.require_role(Role.SUPERVISOR, Role.TRAINER)
        self.get(agency_id)
        with self._ctx.db.transaction():
            self._ctx.journal.delete("agency", agency_id)
            self._ctx.audit.append(self._ctx.actor.id, AuditAction.DELETE, "agency", agency_id)
