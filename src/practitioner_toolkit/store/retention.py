"""Retention: cases older than the configured age are deleted or anonymised, for good.

``secure_delete`` zeroes freed pages, the search index uses FTS5's secure-delete, and the WAL is
checkpointed and truncated afterwards, so removed text does not linger anywhere in the files.
"""

from __future__ import annotations

import datetime as dt

from practitioner_toolkit.i18n.gettext import N_
from practitioner_toolkit.store.context import StoreContext
from practitioner_toolkit.store.errors import ValidationError
from practitioner_toolkit.store.models import (
    AuditAction,
    RetentionPolicy,
    RetentionReport,
    Role,
)

_AGE_KEY = "retention.max_age_days"
_MODE_KEY = "retention.mode"
MODES = ("anonymise", "delete")
_PERSONAL_CASE_FIELDS = ("given_name", "family_name", "alias", "birth_year")


class Retention:
    def __init__(self, ctx: StoreContext) -> None:
        self._ctx = ctx

    def policy(self) -> RetentionPolicy:
        rows = dict(
            self._ctx.db.query(
                "SELECT key, value FROM settings WHERE key IN (?, ?)", (_AGE_KEY, _MODE_KEY)
            )
        )
        age = rows.get(_AGE_KEY)
        return RetentionPolicy(int(age) if age else None, rows.get(_MODE_KEY, "anonymise"))

    def set_policy(self, policy: RetentionPolicy) -> None:
        self._ctx.require_role(Role.SUPERVISOR)
        if policy.mode not in MODES:
            raise ValidationError(N_("Retention either anonymises or deletes old cases."))
        if policy.max_age_days is not None and policy.max_age_days < 1:
            raise ValidationError(N_("The retention period must be at least one day."))
        with self._ctx.db.transaction():
            for key, value in ((_AGE_KEY, policy.max_age_days), (_MODE_KEY, policy.mode)):
                if value is None:
                    self._ctx.db.execute("DELETE FROM settings WHERE key = ?", (key,))
                else:
                    self._ctx.db.execute(
                        "INSERT INTO settings (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        (key, str(value)),
                    )
            self._ctx.audit.append(
                self._ctx.actor.id,
                AuditAction.SETTINGS,
                detail=f"retention={policy.max_age_days}:{policy.mode}",
            )

    def apply(self, now: dt.datetime | None = None) -> RetentionReport:
        """Apply the policy to every case whose last activity is older than the limit."""
        self._ctx.require_role(Role.SUPERVISOR)
        policy = self.policy()
        if policy.max_age_days is None:
            return RetentionReport(0, 0)
        now = now or dt.datetime.now(dt.UTC)
        cutoff = (now - dt.timedelta(days=policy.max_age_days)).isoformat().replace("+00:00", "Z")
        rows = self._ctx.db.query(
            "SELECT c.id FROM cases c WHERE c.opened_at < ? AND c.reference IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.case_id = c.id "
            "AND s.started_at >= ?)",
            (cutoff, cutoff),
        )
        case_ids = [str(r[0]) for r in rows]
        deleted = anonymised = 0
        with self._ctx.db.transaction():
            for case_id in case_ids:
                if policy.mode == "delete":
                    self._ctx.journal.delete("case", case_id)
                    deleted += 1
                elif self._anonymise(case_id):
                    anonymised += 1
            self._ctx.audit.append(
                self._ctx.actor.id,
                AuditAction.RETENTION,
                detail=f"deleted={deleted} anonymised={anonymised}",
            )
        self._ctx.db.checkpoint()
        return RetentionReport(deleted, anonymised)

    def _anonymise(self, case_id: str) -> bool:
        """Drop identifying details and free text; keep coded answers and outcomes."""
        journal = self._ctx.journal
        changed = journal.write("case", case_id, dict.fromkeys(_PERSONAL_CASE_FIELDS))
        session_ids = [
            str(r[0])
            for r in self._ctx.db.query("SELECT id FROM sessions WHERE case_id = ?", (case_id,))
        ]
        for session_id in session_ids:
            for (question_id,) in self._ctx.db.query(
                "SELECT question_id FROM answers WHERE session_id = ? AND search_text IS NOT NULL",
                (session_id,),
            ):
                journal.write(
                    "answer", f"{session_id}/{question_id}", {"value": None, "search_text": None}
                )
                changed = True
            for (section_id,) in self._ctx.db.query(
                "SELECT section_id FROM notes WHERE session_id = ? AND text IS NOT NULL",
                (session_id,),
            ):
                journal.write("note", f"{session_id}/{section_id}", {"text": None})
                changed = True
        self.forget_conflicts(case_id, session_ids)
        for (referral_id,) in self._ctx.db.query(
            "SELECT id FROM referrals WHERE case_id = ? AND summary IS NOT NULL", (case_id,)
        ):
            journal.write("referral", str(referral_id), {"summary": None})
            changed = True
        return changed

    def forget_conflicts(self, case_id: str, session_ids: list[str]) -> None:
        """Losing values kept for review may be personal: they go too."""
        db = self._ctx.db
        db.execute("DELETE FROM conflicts WHERE entity = 'case' AND entity_id = ?", (case_id,))
        for session_id in session_ids:
            db.execute(
                "DELETE FROM conflicts WHERE entity IN ('answer', 'note') AND entity_id LIKE ?",
                (f"{session_id}/%",),
            )
