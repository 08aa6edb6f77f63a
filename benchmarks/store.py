"""Store benchmark: the encrypted workspace beside plain SQLite with the same schema.

    python benchmarks/store.py [--sessions 100000] [--answers 40]

Prints, for N screening sessions of 40 answers each: unlock time, insert throughput,
open-case list time, full-text search time, file size and peak memory, for SQLCipher and for
plain SQLite (same SQLite build, same schema, same service code), and their ratios.
Targets: encrypted within 1.3x of plain for bulk writes and search; search under 100 ms;
open-case list under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from practitioner_toolkit.store import (
    CaseFilter,
    Interpreter,
    IntervieweeDetails,
    KdfParams,
    Role,
    User,
    Workspace,
)
from practitioner_toolkit.store.audit import AuditLog
from practitioner_toolkit.store.cases import CaseBook
from practitioner_toolkit.store.clock import HybridLogicalClock
from practitioner_toolkit.store.context import StoreContext
from practitioner_toolkit.store.database import Database
from practitioner_toolkit.store.journal import Journal
from practitioner_toolkit.store.models import WorkspaceInfo

WORDS = (
    "passport",
    "broker",
    "boat",
    "Ranong",
    "debt",
    "wages",
    "factory",
    "recruiter",
    "phone",
    "scam",
    "compound",
    "ថ្ងៃ",
    "កំពង់ផែ",
    "លិខិតឆ្លងដែន",
    "ငါးဖမ်းလှေ",
    "အကြွေး",
    "เรือประมง",
    "หนังสือเดินทาง",
    "ໂຮງງານ",
    "Nguyễn",
)
SEARCHES = ("passport", "លិខិតឆ្លងដែន", "ငါးဖမ်းလှေ", "หนังสือเดินทาง", "Ranong", "broker boat")


@dataclass
class Figures:
    label: str
    unlock_ms: float
    insert_seconds: float
    answers_per_second: float
    answer_commit_ms: float
    list_ms: float
    search_ms: float
    file_mb: float
    peak_mb: float


def _plain_casebook(folder: Path) -> tuple[CaseBook, Database]:
    """The same service code over an unencrypted file (benchmark comparison only)."""
    db = Database.create(folder / "plain.db", None, encrypted=False)
    with db.transaction():
        for key, value in (("workspace_id", "bench"), ("device_id", "be0c4a11")):
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
    user = User("bench-user", "bench", "Bench", Role.SUPERVISOR, "2026-01-01T00:00:00Z")
    info = WorkspaceInfo("bench", "Bench", False, "be0c4a11", "2026-01-01T00:00:00Z")
    ctx = StoreContext(db, Journal(db, HybridLogicalClock("be0c4a11")), AuditLog(db), info, user)
    return CaseBook(ctx), db


def _fill(cases: CaseBook, transaction: object, sessions: int, answers: int) -> float:
    """Bulk path: whole screenings recorded in batches of 1,000 per transaction."""
    rng = random.Random(7)
    started = time.perf_counter()
    batch = 1000
    for first in range(0, sessions, batch):
        with transaction():  # type: ignore[operator]
            for _ in range(min(batch, sessions - first)):
                case = cases.open_case(IntervieweeDetails(alias=f"person {rng.randrange(10**6)}"))
                story = " ".join(rng.choice(WORDS) for _ in range(12))
                values: dict[str, object] = {
                    f"q{q}": rng.choice(("yes", "no", "unsure")) for q in range(answers - 1)
                }
                values["story"] = story
                cases.record_screening(
                    case.id,
                    "adult-screening",
                    "1.0.0",
                    "en",
                    "km",
                    Interpreter(True, "km"),
                    values,  # type: ignore[arg-type]
                    search_texts={"story": story},
                    notes={"journey": " ".join(rng.choice(WORDS) for _ in range(8))},
                )
    return time.perf_counter() - started


def _interactive_ms(cases: CaseBook, count: int = 200) -> float:
    """One answer per transaction, as during an interview (each commit reaches the disk)."""
    case = cases.open_case(IntervieweeDetails())
    session = cases.start_session(case.id, "adult", "1.0.0", "en", "km", Interpreter(False))
    started = time.perf_counter()
    for index in range(count):
        cases.save_answer(session.id, f"live{index}", "yes")
    return (time.perf_counter() - started) * 1000 / count


def _median_ms(action: object, repeat: int = 15) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _measure(
    cases: CaseBook,
    transaction: object,
    label: str,
    unlock_ms: float,
    folder: Path,
    sessions: int,
    answers: int,
) -> Figures:
    seconds = _fill(cases, transaction, sessions, answers)
    answer_ms = _interactive_ms(cases)
    list_ms = _median_ms(lambda: cases.list_cases(CaseFilter()))
    search_ms = statistics.median(
        _median_ms(lambda term=term: cases.list_cases(CaseFilter(text=term)), 5)
        for term in SEARCHES
    )
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figures(
        label,
        unlock_ms,
        seconds,
        sessions * answers / seconds,
        answer_ms,
        list_ms,
        search_ms,
        size / 1e6,
        peak,
    )


def run_variant(variant: str, sessions: int, answers: int) -> Figures:
    """One variant per process: SQLCipher's memory scrubbing, once on, stays on for the
    whole process, and would slow a plain-SQLite run that shared it."""
    with tempfile.TemporaryDirectory(prefix="ptk-bench-") as tmp:
        if variant == "encrypted":
            folder = Path(tmp) / "encrypted"
            passphrase = secrets.token_hex(8)
            ws, _ = Workspace.create(
                folder,
                name="Bench",
                username="bench",
                display_name="Bench",
                passphrase=passphrase,
                kdf=KdfParams(),
            )
            ws.lock()
            unlock = []
            for _ in range(3):
                started = time.perf_counter()
                ws = Workspace.unlock(folder, "bench", passphrase)
                unlock.append((time.perf_counter() - started) * 1000)
                ws.lock()
            ws = Workspace.unlock(folder, "bench", passphrase)
            figures = _measure(
                ws.cases,
                ws.bulk,
                "SQLCipher",
                statistics.median(unlock),
                folder,
                sessions,
                answers,
            )
            ws.lock()
            return figures
        folder = Path(tmp) / "plain"
        folder.mkdir()
        cases, db = _plain_casebook(folder)
        db.close()
        started = time.perf_counter()
        cases, db = _plain_casebook_reopen(folder)
        plain_open = (time.perf_counter() - started) * 1000
        figures = _measure(
            cases, db.transaction, "plain SQLite", plain_open, folder, sessions, answers
        )
        db.close()
        return figures


def run(sessions: int, answers: int) -> list[Figures]:
    results = []
    for variant in ("encrypted", "plain"):
        output = subprocess.run(
            [
                sys.executable,
                __file__,
                "--variant",
                variant,
                "--sessions",
                str(sessions),
                "--answers",
                str(answers),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results.append(Figures(**json.loads(output.strip().splitlines()[-1])))
    return results


def _plain_casebook_reopen(folder: Path) -> tuple[CaseBook, Database]:
    db = Database(folder / "plain.db", None, encrypted=False)
    user = User("bench-user", "bench", "Bench", Role.SUPERVISOR, "2026-01-01T00:00:00Z")
    info = WorkspaceInfo("bench", "Bench", False, "be0c4a11", "2026-01-01T00:00:00Z")
    ctx = StoreContext(db, Journal(db, HybridLogicalClock("be0c4a11")), AuditLog(db), info, user)
    return CaseBook(ctx), db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=40)
    parser.add_argument("--variant", choices=("encrypted", "plain"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.variant:
        print(json.dumps(asdict(run_variant(args.variant, args.sessions, args.answers))))
        return 0
    encrypted, plain = run(args.sessions, args.answers)
    print(f"{args.sessions:,} sessions x {args.answers} answers")
    print(f"{'':24}{'SQLCipher':>14}{'plain SQLite':>14}{'ratio':>8}")
    rows = (
        ("unlock / open (ms)", encrypted.unlock_ms, plain.unlock_ms),
        ("bulk insert (s)", encrypted.insert_seconds, plain.insert_seconds),
        ("answers per second", encrypted.answers_per_second, plain.answers_per_second),
        ("one answer, committed (ms)", encrypted.answer_commit_ms, plain.answer_commit_ms),
        ("open-case list (ms)", encrypted.list_ms, plain.list_ms),
        ("full-text search (ms)", encrypted.search_ms, plain.search_ms),
        ("file size (MB)", encrypted.file_mb, plain.file_mb),
        ("peak memory (MB)", encrypted.peak_mb, plain.peak_mb),
    )
    for label, a, b in rows:
        ratio = a / b if b else float("nan")
        print(f"{label:<24}{a:>14,.1f}{b:>14,.1f}{ratio:>8.2f}")
    print("each variant runs in its own process; peak memory is that process's high-water mark")
    return 0


if __name__ == "__main__":
    sys.exit(main())
