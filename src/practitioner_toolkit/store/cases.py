"""Cases, screening sessions, answers, section notes and outcomes.

Every answer is its own committed transaction (``save_answer``), so a power cut during an
interview loses at most the answer being typed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from collections.abc import Mapping
from typing import Any

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.context import StoreContext, dump_json, load_json
from practitioner_toolkit.store.errors import NotFoundError, ValidationError
from practitioner_toolkit.store.journal import FieldValue
from practitioner_toolkit.store.models import (
    Answer,
    AnswerValue,
    AuditAction,
    Case,
    CaseFilter,
    CasePage,
    CaseStatus,
    CaseSummary,
    Interpreter,
    IntervieweeDetails,
    Outcome,
    Role,
    ScreeningSession,
    SessionStatus,
)
from practitioner_toolkit.store.timeutil import utc_now

SEX_VALUES = ("female", "male", "other", "undisclosed")
SEARCH_MATCH_LIMIT = 1000  # a search shows at most this many (most recent) matching cases
MAX_TEXT = 20_000
_CASE_COLUMNS = (
    "id, reference, status, post, opened_at, opened_by, closed_at, given_name, family_name, "
    "alias, sex, birth_year, age_estimate, age_uncertain, nationality, languages, updated_at, "
    "latest_outcome"
)
_SESSION_COLUMNS = (
    "id, case_id, form_id, form_version, officer_language, interviewee_language, "
    "interpreter_used, interpreter_language, post, status, started_at, started_by, "
    "finished_at, current_section"
)


def _clean_text(value: str | None, label: str, limit: int = 200) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    if len(text) > limit:
        raise ValidationError(
            N_("{label} is longer than {limit} characters."), label=label, limit=limit
        )
    return text or None


def _validate_details(details: IntervieweeDetails) -> dict[str, FieldValue]:
    this_year = dt.date.today().year
    if details.birth_year is not None and not 1900 <= details.birth_year <= this_year:
        raise ValidationError(
            N_("The year of birth must be between 1900 and {year}."), year=this_year
        )
    if details.age_estimate is not None and not 0 <= details.age_estimate <= 120:
        raise ValidationError(N_("The estimated age must be between 0 and 120."))
    if details.sex is not None and details.sex not in SEX_VALUES:
        raise ValidationError(N_("Sex must be one of: {values}."), values=", ".join(SEX_VALUES))
    for code in details.languages:
        if not code.isascii() or not 2 <= len(code) <= 8:
            raise ValidationError(
                N_("Languages are given as language codes, such as 'km' or 'my'.")
            )
    return {
        "given_name": _clean_text(details.given_name, "The given name"),
        "family_name": _clean_text(details.family_name, "The family name"),
        "alias": _clean_text(details.alias, "The alias"),
        "sex": details.sex,
        "birth_year": details.birth_year,
        "age_estimate": details.age_estimate,
        "age_uncertain": 1 if details.age_uncertain else 0,
        "nationality": _clean_text(details.nationality, "The nationality", 64),
        "languages": dump_json(list(details.languages)),
    }


def _row_to_case(row: tuple[Any, ...]) -> Case:
    return Case(
        id=row[0],
        reference=row[1] or "",
        status=CaseStatus(row[2] or CaseStatus.OPEN),
        post=row[3],
        opened_at=row[4] or "",
        opened_by=row[5],
        closed_at=row[6],
        interviewee=IntervieweeDetails(
            given_name=row[7],
            family_name=row[8],
            alias=row[9],
            sex=row[10],
            birth_year=row[11],
            age_estimate=row[12],
            age_uncertain=bool(row[13]),
            nationality=row[14],
            languages=tuple(load_json(row[15], [])),
        ),
        updated_at=row[16],
        latest_outcome=row[17],
    )


def _row_to_session(row: tuple[Any, ...]) -> ScreeningSession:
    return ScreeningSession(
        id=row[0],
        case_id=row[1] or "",
        form_id=row[2] or "",
        form_version=row[3] or "",
        officer_language=row[4] or "en",
        interviewee_language=row[5] or "en",
        interpreter=Interpreter(bool(row[6]), row[7]),
        post=row[8],
        status=SessionStatus(row[9] or SessionStatus.IN_PROGRESS),
        started_at=row[10] or "",
        started_by=row[11],
        finished_at=row[12],
        current_section=row[13],
    )


def _session_values(
    case_id: str,
    form_id: str,
    form_version: str,
    officer_language: str,
    interviewee_language: str,
    interpreter: Interpreter,
) -> dict[str, FieldValue]:
    return {
        "case_id": case_id,
        "form_id": form_id,
        "form_version": form_version,
        "officer_language": officer_language,
        "interviewee_language": interviewee_language,
        "interpreter_used": 1 if interpreter.used else 0,
        "interpreter_language": interpreter.language if interpreter.used else None,
    }


def fts_phrase(text: str) -> str:
    """Quote user text as one FTS5 phrase so operators in it are taken literally."""
    normalised = unicodedata.normalize("NFC", text.strip())
    return '"' + normalised.replace('"', '""') + '"'


class CaseBook:
    def __init__(self, ctx: StoreContext) -> None:
        self._ctx = ctx

    # -- cases ---------------------------------------------------------------------------

    def open_case(self, details: IntervieweeDetails, post: str | None = None) -> Case:
        values = _validate_details(details)
        case_id = str(uuid.uuid4())
        now = utc_now()
        with self._ctx.db.transaction():
            number = self._ctx.next_counter("case")
            reference = f"{self._ctx.device_code}-{now[:4]}-{number:05d}"
            self._ctx.journal.write(
                "case",
                case_id,
                {
                    **values,
                    "reference": reference,
                    "status": CaseStatus.OPEN.value,
                    "post": _clean_text(post, "The post"),
                    "opened_at": now,
                    "opened_by": self._ctx.actor.id,
                },
            )
            self._ctx.audit.append(self._ctx.actor.id, AuditAction.CREATE, "case", case_id)
        return self._load_case(case_id)

    def update_interviewee(self, case_id: str, details: IntervieweeDetails) -> Case:
        values = _validate_details(details)
        self._load_case(case_id)
        with self._ctx.db.transaction():
            if self._ctx.journal.write("case", case_id, values):
                self._ctx.audit.append(
                    self._ctx.actor.id, AuditAction.EDIT, "case", case_id, "interviewee"
                )
        return self._load_case(case_id)

    def set_case_status(self, case_id: str, status: CaseStatus) -> Case:
        self._load_case(case_id)
        closed_at = utc_now() if status is CaseStatus.CLOSED else None
        with self._ctx.db.transaction():
            self._ctx.journal.write(
                "case", case_id, {"status": status.value, "closed_at": closed_at}
            )
            self._ctx.audit.append(
                self._ctx.actor.id, AuditAction.EDIT, "case", case_id, f"status={status.value}"
            )
        return self._load_case(case_id)

    def get_case(self, case_id: str) -> Case:
        """Open a case for viewing (recorded in the audit log)."""
        case = self._load_case(case_id)
        self._ctx.audit.append(self._ctx.actor.id, AuditAction.VIEW, "case", case_id)
        return case

    def find_by_reference(self, reference: str) -> Case:
        case_id = self._ctx.db.scalar(
            "SELECT id FROM cases WHERE reference = ?", (reference.strip().upper(),)
        )
        if case_id is None:
            raise NotFoundError(
                N_("No case with reference {reference}."), reference=reference.strip()
            )
        return self.get_case(str(case_id))

    def delete_case(self, case_id: str) -> None:
        """Remove a case, its sessions, answers, notes and referrals for good."""
        self._ctx.require_role(Role.SUPERVISOR, Role.TRAINER)
        self._load_case(case_id)
        with self._ctx.db.transaction():
            self._ctx.journal.delete("case", case_id)
            self._ctx.audit.append(self._ctx.actor.id, AuditAction.DELETE, "case", case_id)
        self._ctx.db.checkpoint()

    def list_cases(self, query: CaseFilter | None = None) -> CasePage:
        query = query or CaseFilter()
        where: list[str] = []
        params: list[Any] = []
        if query.statuses:
            where.append(f"status IN ({', '.join('?' for _ in query.statuses)})")
            params.extend(s.value for s in query.statuses)
        if query.post:
            where.append("post = ?")
            params.append(query.post)
        if query.opened_from:
            where.append("opened_at >= ?")
            params.append(query.opened_from)
        if query.opened_to:
            where.append("opened_at < ?")
            day_after = dt.date.fromisoformat(query.opened_to) + dt.timedelta(days=1)
            params.append(day_after.isoformat())
        text = query.text.strip()
        capped = False
        if len(text) >= 3:
            # The most recent matches only: a word found in most cases would otherwise make
            # every keystroke count and sort the whole workspace.
            where.append(
                "num IN (SELECT rowid FROM case_search WHERE case_search MATCH ? "
                "ORDER BY rowid DESC LIMIT ?)"
            )
            params += [fts_phrase(text), SEARCH_MATCH_LIMIT]
            capped = True
        elif text:
            where.append("reference LIKE ? ESCAPE '\\'")
            escaped = text.upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%{escaped}%")
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        total = int(self._ctx.db.scalar(f"SELECT count(*) FROM cases {clause}", params))
        more = capped and bool(
            self._ctx.db.scalar(
                "SELECT 1 FROM case_search WHERE case_search MATCH ? LIMIT 1 OFFSET ?",
                (fts_phrase(text), SEARCH_MATCH_LIMIT),
            )
        )
        rows = self._ctx.db.query(
            "SELECT id, reference, status, post, opened_at, updated_at, latest_outcome "
            f"FROM cases {clause} ORDER BY updated_at DESC, num DESC LIMIT ? OFFSET ?",
            [*params, query.limit, query.offset],
        )
        summaries = [
            CaseSummary(
                id=r[0],
                reference=r[1] or "",
                status=CaseStatus(r[2] or CaseStatus.OPEN),
                post=r[3],
                opened_at=r[4] or "",
                updated_at=r[5],
                latest_outcome=r[6],
            )
            for r in rows
        ]
        return CasePage(summaries, total, more)

    def posts(self) -> list[str]:
        """Posts seen in the cases so far, for the case-list filter."""
        rows = self._ctx.db.query("SELECT DISTINCT post FROM cases WHERE post IS NOT NULL")
        return sorted(str(r[0]) for r in rows)

    # -- sessions ------------------------------------------------------------------------

    def start_session(
        self,
        case_id: str,
        form_id: str,
        form_version: str,
        officer_language: str,
        interviewee_language: str,
        interpreter: Interpreter,
        post: str | None = None,
    ) -> ScreeningSession:
        case = self._load_case(case_id)
        if case.status is CaseStatus.CLOSED:
            raise ValidationError(N_("This case is closed. Reopen it before starting a screening."))
        session_id = str(uuid.uuid4())
        with self._ctx.db.transaction():
            self._ctx.journal.write(
                "session",
                session_id,
                {
                    **_session_values(
                        case_id,
                        form_id,
                        form_version,
                        officer_language,
                        interviewee_language,
                        interpreter,
                    ),
                    "post": _clean_text(post, "The post") or case.post,
                    "status": SessionStatus.IN_PROGRESS.value,
                    "started_at": utc_now(),
                    "started_by": self._ctx.actor.id,
                },
            )
            self._ctx.audit.append(
                self._ctx.actor.id, AuditAction.CREATE, "session", session_id, form_id
            )
        return self.get_session(session_id)

    def record_screening(
        self,
        case_id: str,
        form_id: str,
        form_version: str,
        officer_language: str,
        interviewee_language: str,
        interpreter: Interpreter,
        answers: Mapping[str, AnswerValue],
        *,
        search_texts: Mapping[str, str] | None = None,
        notes: Mapping[str, str] | None = None,
        post: str | None = None,
    ) -> str:
        """Record a whole screening at once (paper forms typed in later, bulk imports).

        The answers must already have been checked by the forms engine. Returns the new
        session's id; the session is left completed.
        """
        self._load_case(case_id)
        session_id = str(uuid.uuid4())
        now = utc_now()
        actor = self._ctx.actor.id
        texts = search_texts or {}
        with self._ctx.db.transaction():
            self._ctx.journal.write(
                "session",
                session_id,
                {
                    **_session_values(
                        case_id,
                        form_id,
                        form_version,
                        officer_language,
                        interviewee_language,
                        interpreter,
                    ),
                    "post": _clean_text(post, "The post"),
                    "status": SessionStatus.COMPLETED.value,
                    "started_at": now,
                    "started_by": actor,
                    "finished_at": now,
                },
            )
            self._ctx.journal.insert_new(
                "answer",
                [
                    (
                        f"{session_id}/{question_id}",
                        {
                            "value": dump_json(value),
                            "search_text": unicodedata.normalize("NFC", texts[question_id])
                            if question_id in texts
                            else None,
                            "answered_at": now,
                            "answered_by": actor,
                        },
                    )
                    for question_id, value in answers.items()
                    if value is not None
                ],
            )
            self._ctx.journal.insert_new(
                "note",
                [
                    (
                        f"{session_id}/{section_id}",
                        {
                            "text": unicodedata.normalize("NFC", text.strip()),
                            "updated_at": now,
                            "updated_by": actor,
                        },
                    )
                    for section_id, text in (notes or {}).items()
                    if text.strip()
                ],
            )
            self._ctx.audit.append(
                actor, AuditAction.CREATE, "session", session_id, f"{form_id} {len(answers)}"
            )
        return session_id

    def get_session(self, session_id: str) -> ScreeningSession:
        row = self._ctx.db.query_one(
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)
        )
        if row is None:
            raise NotFoundError(N_("This screening session does not exist or was deleted."))
        session = _row_to_session(row)
        answers = {
            r[0]: Answer(r[0], load_json(r[1]), r[2] or "", r[3])
            for r in self._ctx.db.query(
                "SELECT question_id, value, answered_at, answered_by FROM answers "
                "WHERE session_id = ? AND value IS NOT NULL",
                (session_id,),
            )
        }
        notes = {
            r[0]: r[1]
            for r in self._ctx.db.query(
                "SELECT section_id, text FROM notes WHERE session_id = ? AND text IS NOT NULL",
                (session_id,),
            )
        }
        return ScreeningSession(**{**session.__dict__, "answers": answers, "notes": notes})

    def sessions_of_case(self, case_id: str) -> list[ScreeningSession]:
        ids = self._ctx.db.query(
            "SELECT id FROM sessions WHERE case_id = ? ORDER BY started_at", (case_id,)
        )
        return [self.get_session(str(r[0])) for r in ids]

    def save_answer(
        self,
        session_id: str,
        question_id: str,
        value: AnswerValue,
        search_text: str | None = None,
    ) -> None:
        """Commit one answer now. ``search_text`` is indexed for search (free-text answers)."""
        self._require_editable(session_id)
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value)
            if len(value) > MAX_TEXT:
                raise ValidationError(
                    N_("An answer is limited to {limit} characters."), limit=MAX_TEXT
                )
        entity_id = f"{session_id}/{question_id}"
        with self._ctx.db.transaction():
            written = self._ctx.journal.write(
                "answer",
                entity_id,
                {
                    "value": None if value is None else dump_json(value),
                    "search_text": unicodedata.normalize("NFC", search_text)
                    if search_text
                    else None,
                    "answered_at": utc_now(),
                    "answered_by": self._ctx.actor.id,
                },
            )
            if written:
                self._ctx.audit.append(self._ctx.actor.id, AuditAction.EDIT, "answer", entity_id)

    def clear_answer(self, session_id: str, question_id: str) -> None:
        self.save_answer(session_id, question_id, None)

    def save_note(self, session_id: str, section_id: str, text: str) -> None:
        self._require_editable(session_id)
        cleaned = unicodedata.normalize("NFC", text.strip())
        if len(cleaned) > MAX_TEXT:
            raise ValidationError(N_("A note is limited to {limit} characters."), limit=MAX_TEXT)
        entity_id = f"{session_id}/{section_id}"
        with self._ctx.db.transaction():
            written = self._ctx.journal.write(
                "note",
                entity_id,
                {
                    "text": cleaned or None,
                    "updated_at": utc_now(),
                    "updated_by": self._ctx.actor.id,
                },
            )
            if written:
                self._ctx.audit.append(self._ctx.actor.id, AuditAction.EDIT, "note", entity_id)

    def set_current_section(self, session_id: str, section_id: str) -> None:
        self._ctx.journal.write("session", session_id, {"current_section": section_id})

    def set_session_status(self, session_id: str, status: SessionStatus) -> ScreeningSession:
        self.get_session(session_id)
        finished = (
            utc_now() if status in (SessionStatus.COMPLETED, SessionStatus.ABANDONED) else None
        )
        with self._ctx.db.transaction():
            self._ctx.journal.write(
                "session", session_id, {"status": status.value, "finished_at": finished}
            )
            self._ctx.audit.append(
                self._ctx.actor.id, AuditAction.EDIT, "session", session_id, f"status={status}"
            )
        return self.get_session(session_id)

    def record_outcome(self, session_id: str, code: str, detail: dict[str, Any]) -> Outcome:
        self.get_session(session_id)
        now = utc_now()
        with self._ctx.db.transaction():
            self._ctx.journal.write(
                "outcome",
                session_id,
                {
                    "code": code,
                    "detail": dump_json(detail),
                    "decided_by": self._ctx.actor.id,
                    "decided_at": now,
                },
            )
            self._ctx.audit.append(
                self._ctx.actor.id, AuditAction.EDIT, "outcome", session_id, code
            )
        outcome = self.outcome_of(session_id)
        assert outcome is not None
        return outcome

    def outcome_of(self, session_id: str) -> Outcome | None:
        row = self._ctx.db.query_one(
            "SELECT session_id, code, detail, decided_by, decided_at FROM outcomes "
            "WHERE session_id = ? AND code IS NOT NULL",
            (session_id,),
        )
        if row is None:
            return None
        return Outcome(row[0], row[1], load_json(row[2], {}), row[3], row[4] or "")

    # -- internals -----------------------------------------------------------------------

    def _load_case(self, case_id: str) -> Case:
        row = self._ctx.db.query_one(f"SELECT {_CASE_COLUMNS} FROM cases WHERE id = ?", (case_id,))
        if row is None or row[1] is None:
            raise NotFoundError(N_("This case does not exist or was deleted."))
        return _row_to_case(row)

    def _require_editable(self, session_id: str) -> None:
        status = self._ctx.db.scalar("SELECT status FROM sessions WHERE id = ?", (session_id,))
        if status is None:
            raise NotFoundError(N_("This screening session does not exist or was deleted."))
        if status in (SessionStatus.COMPLETED.value, SessionStatus.ABANDONED.value):
            raise ValidationError(
                N_("This screening is finished; reopen it before changing its answers.")
            )
