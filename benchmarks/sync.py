"""Sync benchmark: export and import of 10,000 changed screening sessions.

Device A records the sessions (each with a few answers, a handful of sessions per case) and
exports one bundle; device B imports it. The import is set beside a plain bulk insert of the
very same rows (same schema, one ``executemany`` per table in one transaction). The headline
ratio writes them into a copy of device B's workspace as it was before the import, opened the
same way: what it would cost to bring these rows in without sync. That ratio is what
verification, decryption, merging and the search index add. Two stricter references are
printed too: a new SQLCipher file and a new unencrypted one (a file that has never committed
anything has an empty write-ahead log and takes bulk inserts about twice as fast; and once a
database with ``cipher_memory_security`` is open, SQLCipher scrubs every allocation of the
process, so even the unencrypted insert pays for that).

Target: the import takes at most 3x the plain (encrypted) insert. Both are the best of
``--repeat`` runs, each import into a fresh copy of device B.

    .venv/bin/python benchmarks/sync.py [--sessions 10000] [--answers 4] [--per-case 4]
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from practitioner_toolkit.store import (
    ENTITIES,
    Interpreter,
    IntervieweeDetails,
    KdfParams,
    RowState,
    Workspace,
)
from practitioner_toolkit.store.database import Database
from practitioner_toolkit.sync import DeviceCard, SyncService
from practitioner_toolkit.sync.bundle import decode_payload, open_envelope, read_header

PASSPHRASE = "benchmark passphrase"
TARGET_RATIO = 3.0


def _device(folder: Path, name: str) -> tuple[Workspace, SyncService]:
    ws, _ = Workspace.create(
        folder,
        name=name,
        username="supervisor",
        display_name="Supervisor",
        passphrase=PASSPHRASE,
        kdf=KdfParams.fast_for_tests(),  # unlock cost is not what this measures
    )
    return ws, SyncService(ws)


WORDS = (
    "passport",
    "broker",
    "boat",
    "debt",
    "wages",
    "factory",
    "recruiter",
    "phone",
    "compound",
    "night",
    "river",
    "truck",
    "kept",
    "locked",
    "paid",
    "unpaid",
    "hours",
    "days",
    "months",
    "agent",
    "cousin",
    "village",
    "border",
    "checkpoint",
    "เรือประมง",
    "หนังสือเดินทาง",
    "ငါးဖမ်းလှေ",
    "အကြွေး",
    "លិខិតឆ្លងដែន",
    "កំពង់ផែ",
    "ໂຮງງານ",
)
CHOICES = ("yes", "no", "unsure", "refused", "not_asked")


def _fill(ws: Workspace, sessions: int, answers: int, per_case: int) -> None:
    """Sessions with a mix of coded answers and short free-text ones, as screenings have."""
    rng = random.Random(20261126)
    with ws.bulk():
        case_id = ""
        for index in range(sessions):
            if index % per_case == 0:
                case_id = ws.cases.open_case(
                    IntervieweeDetails(alias=f"person {index}", nationality="MM"),
                    post="Mae Sot",
                ).id
            session = ws.cases.start_session(
                case_id, "adult-screening", "1.0.0", "th", "my", Interpreter(True, "my")
            )
            for question in range(answers):
                if question % 2:
                    ws.cases.save_answer(session.id, f"q{question}", rng.choice(CHOICES))
                else:
                    text = " ".join(rng.choices(WORDS, k=rng.randint(3, 12)))
                    ws.cases.save_answer(session.id, f"q{question}", text, search_text=text)


def _rows_of(bundle: Path, ws: Workspace, service: SyncService) -> list[RowState]:
    """The rows the bundle carries, decoded (outside any timing)."""
    header = read_header(bundle.read_bytes())
    envelope = open_envelope(header, service.identity().box_secret)
    return decode_payload(envelope.payload).rows


def _plain_insert(rows: list[RowState], path: Path, *, encrypted: bool) -> float:
    key = secrets.token_bytes(32) if encrypted else None
    db = Database.create(path, key, encrypted=encrypted)
    elapsed = _insert(db, rows)
    db.close()
    return elapsed


def _plain_insert_into_copy(rows: list[RowState], device: Path, copy: Path) -> float:
    """The same rows written straight into a copy of the receiving workspace."""
    shutil.copytree(device, copy)
    ws = Workspace.unlock(copy, "supervisor", PASSPHRASE)
    try:
        return _insert(ws._db, rows)
    finally:
        ws.lock()


def _insert(db: Database, rows: list[RowState]) -> float:
    params: dict[str, list[tuple[object, ...]]] = {}
    for seq, row in enumerate(rows, start=1):
        spec = ENTITIES[row.entity]
        clocks = json.dumps(
            {f: [c.hlc, c.base] for f, c in sorted(row.clocks.items())}, separators=(",", ":")
        )
        params.setdefault(row.entity, []).append(
            (
                *spec.key_values(row.entity_id),
                *(row.values.get(f) for f in spec.fields),
                clocks,
                seq,
            )
        )
    started = time.perf_counter()
    with db.transaction():
        for entity, batch in params.items():
            spec = ENTITIES[entity]
            columns = [*spec.key, *spec.fields, "_clock", "_seq"]
            db.executemany(
                f"INSERT INTO {spec.table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                batch,
            )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=4, help="answers per session")
    parser.add_argument("--per-case", type=int, default=4, help="sessions per case")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="ptk-sync-bench-"))
    try:
        a, sync_a = _device(root / "a", "Office")
        b, sync_b = _device(root / "b", "Border post")
        sync_a.create_team("Benchmark team")
        card = DeviceCard.from_bytes(sync_b.card_bytes())
        sync_a.approve_device(card)
        sync_b.join_team(sync_a.team_file_for(card.device_id))

        started = time.perf_counter()
        _fill(a, args.sessions, args.answers, args.per_case)
        fill_s = time.perf_counter() - started

        started = time.perf_counter()
        exported = sync_a.export_bundle(root / "out")
        export_s = time.perf_counter() - started
        assert exported is not None

        rows = _rows_of(exported.path, b, sync_b)
        b.lock()
        import_times: list[float] = []
        for attempt in range(args.repeat):
            # Each attempt imports into a fresh copy of device B, as it was before.
            copy = root / f"b-{attempt}"
            shutil.copytree(root / "b", copy)
            b = Workspace.unlock(copy, "supervisor", PASSPHRASE)
            sync_b = SyncService(b)
            started = time.perf_counter()
            result = sync_b.import_file(exported.path)
            import_times.append(time.perf_counter() - started)
            assert result.outcome is not None and result.outcome.rows == exported.rows
            if attempt + 1 < args.repeat:
                b.lock()
        import_s = min(import_times)
        assert a.sync_state.canonical_snapshot() == b.sync_state.canonical_snapshot()

        started = time.perf_counter()
        again = sync_b.import_file(exported.path)
        duplicate_s = time.perf_counter() - started
        assert again.duplicate

        plain_s = min(
            _plain_insert_into_copy(rows, root / "b", root / f"plain-b-{n}")
            for n in range(args.repeat)
        )
        plain_fresh_s = min(
            _plain_insert(rows, root / f"plain-encrypted-{n}.db", encrypted=True)
            for n in range(args.repeat)
        )
        plain_clear_s = min(
            _plain_insert(rows, root / f"plain-clear-{n}.db", encrypted=False)
            for n in range(args.repeat)
        )

        counts: dict[str, int] = {}
        for row in rows:
            counts[row.entity] = counts.get(row.entity, 0) + 1
        ratio = import_s / plain_s
        print(f"sessions            {args.sessions:,} ({args.answers} answers each)")
        print(f"rows in the bundle  {exported.rows:,} " + str(counts))
        print(f"recording them      {fill_s:8.2f} s (services, one transaction; not measured)")
        print(f"export              {export_s:8.2f} s")
        print(
            f"bundle size         {exported.bytes / 1_048_576:8.2f} MiB "
            f"({exported.bytes / exported.rows:.0f} bytes per row)"
        )
        print(
            f"import              {import_s:8.2f} s  (verify, decrypt, merge, search index; "
            f"best of {args.repeat})"
        )
        print(f"import again        {duplicate_s:8.2f} s  (recognised as already imported)")
        print(f"plain insert        {plain_s:8.2f} s  (same rows, into a copy of B as it was)")
        print(f"plain insert        {plain_fresh_s:8.2f} s  (same rows, into a new SQLCipher file)")
        print(
            f"plain insert        {plain_clear_s:8.2f} s  (same rows, into a new unencrypted file)"
        )
        print(f"import / plain      {ratio:8.2f} x  (target <= {TARGET_RATIO:.0f} x)")
        print(f"import / new file   {import_s / plain_fresh_s:8.2f} x  (stricter: empty WAL)")
        print(f"import / unencr.    {import_s / plain_clear_s:8.2f} x")
        a.lock()
        b.lock()
        return 0 if ratio <= TARGET_RATIO else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
