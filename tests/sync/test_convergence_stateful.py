"""Three devices edit and delete at random and swap bundles in random orders, with duplicates
and subsets; once everyone has exchanged everything, all hold identical data and no accepted
change is lost.

"Not lost" is checked write by write. Every value any device ever wrote is accounted for on
every device: it is the field's current value, or it is kept as the losing side of a
conflict, or its record was deleted (tombstone), or a later write that saw it (its base, or a
later write by the same device) or that holds the same value is itself accounted for. And
each surviving field holds the value with the highest clock ever written to it: latest clock
wins.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule, run_state_machine_as_test

from practitioner_toolkit.store import (
    Agency,
    CaseStatus,
    Interpreter,
    IntervieweeDetails,
    StoreError,
    SyncSnapshot,
    parse_hlc,
)
from practitioner_toolkit.sync import NotForThisDeviceError
from tests.sync.conftest import Device, copy_team

EXAMPLES = int(os.environ.get("PTK_SYNC_EXAMPLES", "30"))
STEPS = int(os.environ.get("PTK_SYNC_STEPS", "50"))

DEVICE = st.integers(0, 2)
PICK = st.integers(0, 10_000)
ALIASES = st.sampled_from(["Min", "Aye", "Dara", "Sok", None])
NATIONALITY = st.sampled_from(["MM", "KH", "LA", None])
QUESTIONS = st.sampled_from(["q1", "q2", "q3"])
ANSWERS = st.sampled_from(["yes", "no", "unsure", None])
NOTES = st.sampled_from(["crossed at night", "boat", "", "passport kept"])
AGENCY_NAMES = st.sampled_from(["Shelter A", "Clinic B", "Legal aid C"])

_SESSION_CHILDREN = ("answer", "note", "outcome")


@dataclass(frozen=True)
class Write:
    entity: str
    entity_id: str
    field: str
    hlc: str
    base: str
    value: object

    @property
    def device(self) -> str:
        return parse_hlc(self.hlc)[2]


class SyncMachine(RuleBasedStateMachine):
    def __init__(self, template: Path) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="run-", dir=template.parent))
        self.devices: list[Device] = copy_team(template, self.root / "devices")
        self.outbox = self.root / "outbox"
        self.pool: list[bytes] = []
        self.imported: list[set[int]] = [set() for _ in self.devices]
        # Ids in the order this run created them, so picks do not depend on random uuids.
        self.cases: list[str] = []
        self.sessions: list[str] = []
        self.agencies: list[str] = []
        self.writes: set[Write] = set()
        self.session_case: dict[str, str] = {}

    # -- bookkeeping -------------------------------------------------------------------

    def _record(self, device: Device) -> None:
        """Note every field clock the device holds: each local write is seen right after."""
        snapshot = device.ws.sync_state.canonical_snapshot()
        for entity, rows in snapshot.rows.items():
            for entity_id, fields in rows.items():
                for name, (value, hlc, base) in fields.items():
                    self.writes.add(Write(entity, entity_id, name, hlc, base, value))
                    if entity == "session" and name == "case_id" and value:
                        self.session_case[entity_id] = str(value)

    @staticmethod
    def _pick(ids: list[str], index: int) -> str | None:
        return ids[index % len(ids)] if ids else None

    def _act(self, index: int, action: object) -> None:
        device = self.devices[index]
        try:
            assert callable(action)
            action(device)
        except StoreError:
            pass  # the record is absent, deleted or finished on this device: a no-op here
        self._record(device)

    # -- edits -------------------------------------------------------------------------

    @rule(device=DEVICE, alias=ALIASES)
    def open_case(self, device: int, alias: str | None) -> None:
        def action(d: Device) -> None:
            self.cases.append(d.ws.cases.open_case(IntervieweeDetails(alias=alias)).id)

        self._act(device, action)

    @rule(device=DEVICE, pick=PICK, alias=ALIASES, nationality=NATIONALITY)
    def edit_case(self, device: int, pick: int, alias: str | None, nationality: str | None) -> None:
        case_id = self._pick(self.cases, pick)
        if case_id is not None:
            details = IntervieweeDetails(alias=alias, nationality=nationality)
            self._act(device, lambda d: d.ws.cases.update_interviewee(case_id, details))

    @rule(device=DEVICE, pick=PICK, status=st.sampled_from(list(CaseStatus)))
    def set_case_status(self, device: int, pick: int, status: CaseStatus) -> None:
        case_id = self._pick(self.cases, pick)
        if case_id is not None:
            self._act(device, lambda d: d.ws.cases.set_case_status(case_id, status))

    @rule(device=DEVICE, pick=PICK)
    def start_session(self, device: int, pick: int) -> None:
        case_id = self._pick(self.cases, pick)
        if case_id is None:
            return

        def action(d: Device) -> None:
            session = d.ws.cases.start_session(
                case_id, "adult", "1.0.0", "en", "my", Interpreter(False)
            )
            self.sessions.append(session.id)

        self._act(device, action)

    @rule(device=DEVICE, pick=PICK, question=QUESTIONS, value=ANSWERS)
    def answer(self, device: int, pick: int, question: str, value: str | None) -> None:
        session_id = self._pick(self.sessions, pick)
        if session_id is not None:
            self._act(device, lambda d: d.ws.cases.save_answer(session_id, question, value))

    @rule(device=DEVICE, pick=PICK, text=NOTES)
    def note(self, device: int, pick: int, text: str) -> None:
        session_id = self._pick(self.sessions, pick)
        if session_id is not None:
            self._act(device, lambda d: d.ws.cases.save_note(session_id, "journey", text))

    @rule(device=DEVICE, pick=PICK)
    def delete_case(self, device: int, pick: int) -> None:
        case_id = self._pick(self.cases, pick)
        if case_id is not None:
            self._act(device, lambda d: d.ws.cases.delete_case(case_id))

    @rule(device=DEVICE, pick=PICK, name=AGENCY_NAMES, new=st.booleans())
    def save_agency(self, device: int, pick: int, name: str, new: bool) -> None:
        agency_id = "" if new else self._pick(self.agencies, pick)
        if agency_id is None:
            return

        def action(d: Device) -> None:
            if agency_id:
                d.ws.agencies.get(agency_id)  # only edit what this device holds
            saved = d.ws.agencies.save(Agency(agency_id, name, "shelter", ("shelter",)))
            if not agency_id:
                self.agencies.append(saved.id)

        self._act(device, action)

    @rule(device=DEVICE, pick=PICK)
    def delete_agency(self, device: int, pick: int) -> None:
        agency_id = self._pick(self.agencies, pick)
        if agency_id is not None:
            self._act(device, lambda d: d.ws.agencies.delete(agency_id))

    @rule(device=DEVICE, pick=PICK, keep=st.sampled_from(["current", "other", "kept"]))
    def resolve_conflict(self, device: int, pick: int, keep: str) -> None:
        d = self.devices[device]
        conflicts = sorted(c.id for c in d.ws.sync_state.list_conflicts(include_resolved=True))
        conflict_id = self._pick(conflicts, pick)
        if conflict_id is not None:
            self._act(device, lambda dev: dev.ws.sync_state.resolve_conflict(conflict_id, keep))

    # -- exchange ----------------------------------------------------------------------

    def _import(self, device: int, index: int) -> None:
        # A bundle sent before its sender knew this device joined (the template's devices
        # learn the full roster only from each other's bundles): a later one carries it all.
        with contextlib.suppress(NotForThisDeviceError):
            self.devices[device].sync.import_bytes(self.pool[index])
        self.imported[device].add(index)

    @rule(device=DEVICE, everything=st.booleans())
    def export(self, device: int, everything: bool) -> None:
        result = self.devices[device].sync.export_bundle(self.outbox, everything=everything)
        if result is not None:
            self.pool.append(result.path.read_bytes())

    @rule(device=DEVICE, pick=PICK)
    def import_one(self, device: int, pick: int) -> None:
        """Any bundle, any order, again and again: duplicates and subsets included."""
        if self.pool:
            self._import(device, pick % len(self.pool))
            self._record(self.devices[device])

    @rule(device=DEVICE, pick=PICK)
    def import_latest_reversed(self, device: int, pick: int) -> None:
        """A burst of the most recent bundles, newest first."""
        for index in reversed(range(max(0, len(self.pool) - 1 - pick % 4), len(self.pool))):
            self._import(device, index)
        self._record(self.devices[device])

    # -- the end -----------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            if self.devices:
                self._exchange_everything()
                self._check()
        finally:
            for device in self.devices:
                device.ws.lock()
            shutil.rmtree(self.root, ignore_errors=True)

    def _exchange_everything(self) -> None:
        for _ in range(6):
            fresh = [d.sync.export_bundle(self.outbox) for d in self.devices]
            self.pool.extend(r.path.read_bytes() for r in fresh if r is not None)
            pending = False
            for position in range(len(self.devices)):
                for index in range(len(self.pool)):
                    if index not in self.imported[position]:
                        pending = True
                        self._import(position, index)
            if not pending:
                return
        pytest.fail("devices kept producing new bundles: the exchange does not settle")

    def _check(self) -> None:
        snapshots = [d.ws.sync_state.canonical_snapshot() for d in self.devices]
        for device, snapshot in zip(self.devices[1:], snapshots[1:], strict=True):
            assert snapshot.rows == snapshots[0].rows, f"records differ on {device.name}"
            assert snapshot.tombstones == snapshots[0].tombstones
            assert snapshot.conflicts == snapshots[0].conflicts
            assert snapshot.digest() == snapshots[0].digest()
        for device, snapshot in zip(self.devices, snapshots, strict=True):
            self._check_nothing_lost(snapshot)
            assert device.ws.verify_audit_log().ok

    def _deleted(self, snapshot: SyncSnapshot, entity: str, entity_id: str) -> bool:
        tombstones = snapshot.tombstones
        if (entity, entity_id) in tombstones:
            return True
        if entity in _SESSION_CHILDREN:
            return self._deleted(snapshot, "session", entity_id.split("/", 1)[0])
        if entity == "session":
            case_id = self.session_case.get(entity_id)
            return case_id is not None and ("case", case_id) in tombstones
        return False

    def _check_nothing_lost(self, snapshot: SyncSnapshot) -> None:
        by_field: dict[tuple[str, str, str], list[Write]] = {}
        for write in self.writes:
            by_field.setdefault((write.entity, write.entity_id, write.field), []).append(write)
        lost_clocks: dict[tuple[str, str, str], set[str]] = {}
        for conflict in snapshot.conflicts.values():
            entity, entity_id, name, _kept, _kept_clock, _lost, lost_clock = conflict[:7]
            lost_clocks.setdefault((entity, entity_id, name), set()).add(lost_clock)

        for key, writes in by_field.items():
            entity, entity_id, name = key
            if self._deleted(snapshot, entity, entity_id):
                continue
            current = snapshot.rows[entity].get(entity_id, {}).get(name)
            latest = max(w.hlc for w in writes)
            assert current is not None and current[1] == latest, (
                f"{entity}.{name}: the highest clock ever written does not hold"
            )
            memo: dict[str, bool] = {}
            lost = lost_clocks.get(key, set())
            for write in sorted(writes, key=lambda w: w.hlc, reverse=True):
                assert _accounted(write, writes, current[1], lost, memo), (
                    f"a value of {entity}.{name} was lost"
                )


def _accounted(
    write: Write, writes: list[Write], current: str, lost: set[str], memo: dict[str, bool]
) -> bool:
    """Held now, kept in a conflict, or carried on by a later write that is accounted for."""
    if write.hlc not in memo:
        memo[write.hlc] = (
            write.hlc == current
            or write.hlc in lost
            # A later write that saw this one, or that holds the same value (a clash of
            # equal values loses nothing, so no conflict is kept for it).
            or any(
                _accounted(later, writes, current, lost, memo)
                for later in writes
                if later.hlc > write.hlc
                and (
                    later.base == write.hlc
                    or later.device == write.device
                    or later.value == write.value
                )
            )
        )
    return memo[write.hlc]


def test_devices_converge_and_lose_nothing(team_template: Path) -> None:
    run_state_machine_as_test(
        lambda: SyncMachine(team_template),
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
