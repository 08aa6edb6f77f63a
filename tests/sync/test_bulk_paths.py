"""The journal's bulk paths used by imports give exactly what the per-row paths give."""

from __future__ import annotations

import shutil
from pathlib import Path

from practitioner_toolkit.store import (
    ENTITIES,
    CaseFilter,
    IntervieweeDetails,
    RowState,
    Workspace,
)
from practitioner_toolkit.store.journal import ApplyStats
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.sync.conftest import Device, new_session


def _fill(device: Device, cases: int) -> list[str]:
    ws = device.ws
    case_ids = []
    with ws.bulk():
        for index in range(cases):
            case_id, session_id = new_session(device)
            case_ids.append(case_id)
            ws.cases.save_answer(session_id, "story", f"boat {index}", search_text=f"boat {index}")
            ws.cases.save_answer(session_id, "age", 30 + index)
            ws.cases.save_note(session_id, "journey", f"crossed river {index}")
            if index % 3:
                ws.cases.record_outcome(session_id, f"code-{index % 4}", {"score": index})
            if index % 5 == 0:
                second = ws.cases.start_session(
                    case_id, "child", "1", "en", "km", ws.cases.get_session(session_id).interpreter
                )
                ws.cases.record_outcome(second.id, "later", {})
    return case_ids


def _search_state(ws: Workspace) -> dict[str, tuple[list[str], str | None]]:
    db = ws._db
    rows = db.query(
        "SELECT c.id, s.body, c.latest_outcome FROM cases c JOIN case_search s ON s.rowid = c.num"
    )
    return {str(r[0]): (sorted(str(r[1]).split("\n")), r[2]) for r in rows}


def test_the_bulk_search_index_matches_the_per_case_one(team: list[Device]) -> None:
    a = team[0]
    case_ids = _fill(a, 60)
    journal = a.ws._ctx.journal
    with a.ws.bulk():
        for case_id in case_ids:
            journal._reindex_case(case_id, "2026-01-01T00:00:00.000Z")
    one_by_one = _search_state(a.ws)
    with a.ws.bulk():
        a.ws._db.execute("DELETE FROM case_search")
        journal._reindex_cases(sorted(case_ids), "2026-01-01T00:00:00.000Z")
    assert _search_state(a.ws) == one_by_one
    assert a.ws.cases.list_cases(CaseFilter(text="river 7")).total == 1


def test_bulk_apply_equals_row_by_row_apply(team: list[Device], tmp_path: Path) -> None:
    a, b, _ = team
    case_ids = _fill(a, 60)
    b.sync.import_file(a.export(tmp_path / "1").path)
    # Now both diverge: b holds some records a changes, a deletes some, b edits others.
    for case_id in case_ids[:10]:
        a.ws.cases.update_interviewee(case_id, IntervieweeDetails(alias="from a"))
        b.ws.cases.update_interviewee(case_id, IntervieweeDetails(alias="from b"))
    for case_id in case_ids[10:15]:
        a.ws.cases.delete_case(case_id)
    _fill(a, 60)  # and new records b never saw
    changes = a.ws.sync_state.pending_changes(everything=True)
    b.ws.lock()
    copies = []
    for name in ("bulk", "rows"):
        shutil.copytree(b.folder, tmp_path / name)
        copies.append(Workspace.unlock(tmp_path / name, "supervisor", PASSPHRASE, kdf=FAST_KDF))
    bulk, rows = copies
    try:
        stats_bulk, stats_rows = ApplyStats(), ApplyStats()
        kinds = list(ENTITIES)  # the order apply_remote_rows takes them in
        ordered: list[RowState] = sorted(changes.rows, key=lambda r: kinds.index(r.entity))
        with bulk.bulk():
            for tombstone in changes.tombstones:
                bulk._ctx.journal.apply_remote_tombstone(tombstone, stats_bulk)
            bulk._ctx.journal.apply_remote_rows(ordered, stats_bulk)
        with rows.bulk():
            for tombstone in changes.tombstones:
                rows._ctx.journal.apply_remote_tombstone(tombstone, stats_rows)
            for row in ordered:
                rows._ctx.journal.apply_remote_row(row, stats_rows)
        assert stats_bulk == stats_rows
        assert bulk.sync_state.canonical_snapshot() == rows.sync_state.canonical_snapshot()
        assert _search_state(bulk) == _search_state(rows)
    finally:
        for ws in copies:
            ws.lock()
        b.reopen()
